from django.urls import path

from zhongchuang.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="space_list"),
]
