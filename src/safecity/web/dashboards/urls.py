from django.urls import path

from . import views, violence, youth

app_name = "dashboards"
urlpatterns = [
    path("<id:pk>/", views.scorecard, name="scorecard"),
    path("<id:pk>/refresh/", views.refresh, name="refresh"),
    path("<id:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("<id:pk>/violence/", violence.dashboard, name="violence"),
    path("<id:pk>/violence/csv/", violence.download, name="violence_csv"),
    path("indicators/<id:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<id:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("youth-tracker/", youth.tracker, name="youth_tracker"),
]
