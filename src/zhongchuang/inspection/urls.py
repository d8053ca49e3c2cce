"""Site inspection pages (bureau staff only)."""

from django.urls import path

from zhongchuang.inspection import views

app_name = "inspection"
urlpatterns = [
    path("mine/", views.my_tasks, name="my_tasks"),
    path("<int:application_id>/", views.inspection_page, name="inspection"),
    path("<int:application_id>/assign/", views.assign, name="assign"),
    path("<int:application_id>/assignments/<int:assignment_id>/remove/", views.unassign, name="unassign"),
    path("<int:application_id>/declare/", views.declare, name="declare"),
    path("<int:application_id>/items/<int:item_id>/", views.item_page, name="item"),
    path("<int:application_id>/items/<int:item_id>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:application_id>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<int:application_id>/sign/", views.sign, name="sign"),
    path("<int:application_id>/report.pdf", views.report, name="report"),
]
