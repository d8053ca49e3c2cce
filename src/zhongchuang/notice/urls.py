"""Public pages (no login): the notices and the objection form. Staff pages: publishing and objections."""

from django.urls import path

from zhongchuang.notice import views

app_name = "notice"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("application/<int:application_id>/", views.application_notice, name="application_notice"),
    path("<int:notice_id>/objections/", views.notice_staff, name="notice_staff"),
    path("objections/<int:objection_id>/", views.objection_handle, name="objection_handle"),
    path("objections/<int:objection_id>/files/<int:file_id>/", views.objection_file, name="objection_file"),
]
