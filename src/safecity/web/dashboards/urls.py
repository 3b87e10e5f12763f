from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("<id:pk>/", views.scorecard, name="scorecard"),
    path("<id:pk>/refresh/", views.refresh, name="refresh"),
    path("<id:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<id:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<id:pk>/edit/", views.indicator_edit, name="indicator_edit"),
]
