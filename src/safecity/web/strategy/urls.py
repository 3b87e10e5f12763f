from django.urls import path

from . import import_views, views

app_name = "strategy"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", import_views.import_upload, name="import"),
    path("import/preview/", import_views.import_preview, name="import_preview"),
    path("<id:pk>/", views.strategy_detail, name="strategy"),
    path("<id:pk>/cycles/new/", views.cycle_new, name="cycle_new"),
    path("<id:pk>/rag-meanings/", views.rag_meanings, name="rag_meanings"),
    path("<id:pk>/schedule/", views.meeting_schedule, name="schedule"),
    path("<id:pk>/schedule/open/", views.schedule_open, name="schedule_open"),
    path("actions/<id:pk>/", views.action_detail, name="action"),
    path("actions/<id:pk>/edit/", views.action_edit, name="action_edit"),
    path("cycles/<id:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<id:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<id:pk>/chase/", views.chase, name="chase"),
    path("cycles/<id:cycle_pk>/actions/<id:action_pk>/", views.update_detail, name="update"),
    path("cycles/<id:cycle_pk>/actions/<id:action_pk>/edit/", views.update_edit,
         name="update_edit"),
    path("cycles/<id:cycle_pk>/actions/<id:action_pk>/review/", views.update_review,
         name="update_review"),
]
