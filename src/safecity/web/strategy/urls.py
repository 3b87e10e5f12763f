from django.urls import path

from . import import_views, views

app_name = "strategy"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", import_views.import_upload, name="import"),
    path("import/preview/", import_views.import_preview, name="import_preview"),
    path("<int:pk>/", views.strategy_detail, name="strategy"),
    path("<int:pk>/cycles/new/", views.cycle_new, name="cycle_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/chase/", views.chase, name="chase"),
    path("cycles/<int:cycle_pk>/actions/<int:action_pk>/", views.update_detail, name="update"),
    path("cycles/<int:cycle_pk>/actions/<int:action_pk>/edit/", views.update_edit,
         name="update_edit"),
    path("cycles/<int:cycle_pk>/actions/<int:action_pk>/review/", views.update_review,
         name="update_review"),
]
