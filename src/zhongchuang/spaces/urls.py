from django.urls import path

from zhongchuang.spaces import views

app_name = "spaces"
ROW = "<int:space_id>/tables/<slug:table>/<int:row_id>/"
urlpatterns = [
    path("", views.space_list, name="space_list"),
    path("<int:space_id>/", views.space_detail, name="space_detail"),
    path("<int:space_id>/profile/", views.profile, name="profile"),
    path("<int:space_id>/profile/upload/", views.profile_upload, name="profile_upload"),
    path("<int:space_id>/tables/<slug:table>/", views.table, name="table"),
    path("<int:space_id>/tables/<slug:table>/new/", views.row_new, name="row_new"),
    path(ROW, views.row_detail, name="row_detail"),
    path(ROW + "row/", views.row_show, name="row_show"),
    path(ROW + "edit/", views.row_edit, name="row_edit"),
    path(ROW + "delete/", views.row_remove, name="row_delete"),
    path(ROW + "upload/", views.row_upload, name="row_upload"),
    path(ROW + "evidence/<int:doc_id>/remove/", views.row_detach, name="row_detach"),
]
