from django.urls import path

from zhongchuang.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:space_id>/", views.document_list, name="document_list"),
    path("<int:space_id>/<int:doc_id>/", views.download, name="download"),
]
