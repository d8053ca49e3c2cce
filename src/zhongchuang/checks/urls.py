from django.urls import path

from zhongchuang.checks import views

app_name = "checks"
urlpatterns = [
    path("<int:space_id>/", views.overview, name="overview"),
    path("<int:space_id>/<slug:policy_id>/", views.policy, name="policy"),
    path("<int:space_id>/<slug:policy_id>/evidence/", views.evidence, name="evidence"),
]
