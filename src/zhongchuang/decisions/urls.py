from django.urls import path

from zhongchuang.decisions import views

app_name = "decisions"
urlpatterns = [
    path("rounds/<int:round_id>/meetings/", views.meeting_list, name="meeting_list"),
    path("rounds/<int:round_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.meeting_minutes, {"fmt": "pdf"}, name="minutes_pdf"),
    path(
        "meetings/<int:meeting_id>/minutes.docx", views.meeting_minutes, {"fmt": "docx"}, name="minutes_docx"
    ),
    path("applications/<int:application_id>/", views.application_decision, name="application_decision"),
]
