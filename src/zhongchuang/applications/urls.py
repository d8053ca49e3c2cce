from django.urls import path

from zhongchuang.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("<int:application_id>/", views.application_detail, name="application_detail"),
    path("<int:application_id>/submit/", views.application_submit, name="application_submit"),
    path("<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("<int:application_id>/history/", views.application_history, name="application_history"),
    path("<int:application_id>/versions/<int:number>/", views.version_detail, name="version_detail"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/toggle/", views.round_toggle, name="round_toggle"),
]
