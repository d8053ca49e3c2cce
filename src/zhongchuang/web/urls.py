from django.contrib import admin
from django.urls import include, path

from zhongchuang.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("zhongchuang.accounts.urls")),
    path("spaces/", include("zhongchuang.spaces.urls")),
    path("evidence/", include("zhongchuang.evidence.urls")),
    path("applications/", include("zhongchuang.applications.urls")),
    path("checks/", include("zhongchuang.checks.urls")),
    path("transfer/", include("zhongchuang.transfer.urls")),
]
