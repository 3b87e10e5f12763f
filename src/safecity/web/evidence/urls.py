"""Published evidence: assessment runs and monthly packs."""

from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("partnerships/<id:pk>/", views.runs, name="runs"),
    path("partnerships/<id:pk>/upload/", views.upload, name="upload"),
    path("runs/<id:pk>/", views.run_detail, name="run"),
    path("runs/<id:pk>/publish/", views.publish, name="publish"),
    path("runs/<id:pk>/files/<path:name>", views.run_file, name="file"),
]
