from django.urls import path

from . import views

app_name = "hate_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<id:pk>/", views.report_detail, name="report"),
    path("export/", views.export, name="export"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/<id:pk>/", views.centre_detail, name="centre"),
    path("partnerships/<id:partnership_pk>/centres/new/", views.centre_new, name="centre_new"),
]
