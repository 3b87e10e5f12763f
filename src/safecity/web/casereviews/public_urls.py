from django.urls import path

from . import views

app_name = "casereview_public"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("sent/", views.sent, name="sent"),
]
