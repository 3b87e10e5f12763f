from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("<int:pk>/", views.scorecard, name="scorecard"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
]
