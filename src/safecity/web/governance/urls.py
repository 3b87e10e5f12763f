from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("register/", views.register_list, name="register"),
    path("register/new/", views.entry_new, name="entry_new"),
    path("register/<slug:entry_id>/", views.entry_detail, name="entry"),
    path("register/<slug:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("returns/", views.returns, name="returns"),
    path("returns/<slug:entry_id>/remind/", views.remind, name="remind"),
    path("audit/", views.audit, name="audit"),
    path("audit/audit-log.csv", views.audit_csv, name="audit_csv"),
    path("audit/run-log.csv", views.runs_csv, name="runs_csv"),
]
