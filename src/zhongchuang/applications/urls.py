from django.urls import path

from zhongchuang.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("rounds/", views.round_list, name="round_list"),
]
