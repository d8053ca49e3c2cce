from django.urls import path

from zhongchuang.review import views

app_name = "review"
urlpatterns = [
    path("<int:application_id>/", views.case, name="case"),
    path("<int:application_id>/receipt/", views.receipt, name="receipt"),
    path("<int:application_id>/formal/", views.formal_review, name="formal_review"),
    path(
        "<int:application_id>/formal/criteria/<str:criterion_id>/",
        views.criterion_verdict,
        name="criterion_verdict",
    ),
    path("<int:application_id>/formal/items/<str:check_id>/", views.review_item, name="review_item"),
    path("<int:application_id>/evidence/<str:ref>/", views.evidence_download, name="evidence"),
    path("<int:application_id>/corrections/", views.correction_request, name="correction_request"),
    path("<int:application_id>/diff/", views.diff, name="version_diff"),
    path("rounds/<int:round_id>/intake/", views.round_intake, name="round_intake"),
]
