from django.urls import path

from zhongchuang.workflow import views

app_name = "workflow"
urlpatterns = [
    path("<int:application_id>/steps/<slug:step_id>/", views.take_step, name="take_step"),
]
