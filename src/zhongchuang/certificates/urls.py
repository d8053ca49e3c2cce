"""Certificates: the public verification page and register (no login), and the staff pages."""

from django.urls import path

from zhongchuang.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("register/", views.register, name="register"),
    path("applications/<int:application_id>/certify/", views.certify, name="certify"),
    path(
        "applications/<int:application_id>/documents/<slug:kind>.pdf",
        views.document_download,
        name="document",
    ),
    path("rounds/<int:round_id>/series/", views.series, name="series"),
    path("<int:certificate_id>/", views.certificate_detail, name="certificate_detail"),
]
