from django.urls import path

from zhongchuang.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/<int:round_id>/", views.round_stats, name="round_stats"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:message_id>/", views.message_detail, name="message_detail"),
    path("inbox/<int:message_id>/read/", views.message_read, name="message_read"),
]
