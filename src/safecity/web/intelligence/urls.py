from django.urls import path

from . import views

app_name = "intelligence"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("submit/", views.submit, name="submit"),
    path("yours/", views.mine, name="mine"),
    path("export/", views.export, name="export"),
    path("<id:pk>/", views.item_detail, name="item"),
]
