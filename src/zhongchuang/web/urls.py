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
    path("workflow/", include("zhongchuang.workflow.urls")),
    path("review/", include("zhongchuang.review.urls")),
    path("inspection/", include("zhongchuang.inspection.urls")),
    path("decisions/", include("zhongchuang.decisions.urls")),
    path("notices/", include("zhongchuang.notice.urls")),  # public pages: no login
    path("certificates/", include("zhongchuang.certificates.urls")),  # verification and register: public
    path("dashboard/", include("zhongchuang.dashboard.urls")),
]
