from django.urls import path

from . import views

app_name = "actiongroups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("export/", views.export, name="export"),
    path("partnership/<id:pk>/new/", views.group_new, name="group_new"),
    path("<id:pk>/", views.group_detail, name="group"),
    path("<id:pk>/edit/", views.group_edit, name="group_edit"),
    path("<id:pk>/problems/new/", views.problem_new, name="problem_new"),
    path("problems/<id:pk>/", views.problem_detail, name="problem"),
    path("problems/<id:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<id:pk>/evidence/", views.problem_evidence, name="evidence"),
    path("problems/<id:pk>/close/", views.problem_close, name="problem_close"),
]
