from django.urls import path

from zhongchuang.transfer import views

app_name = "transfer"
urlpatterns = [
    path("spaces/<int:space_id>/", views.space_transfer, name="space_transfer"),
    path("spaces/<int:space_id>/template/", views.template_download, name="template"),
    path("spaces/<int:space_id>/import/", views.import_upload, name="import_upload"),
    path("spaces/<int:space_id>/export/", views.export_space, name="export_space"),
    path("spaces/<int:space_id>/export/<str:table>/", views.export_table, name="export_table"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<int:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("applications/<int:application_id>/", views.application_packets, name="application_packets"),
    path("applications/<int:application_id>/packet/", views.packet_create, name="packet_create"),
]
