from django.urls import path

from . import public

app_name = "report_hate"
urlpatterns = [
    path("", public.start, name="start"),
    path("sent/", public.sent, name="sent"),
    path("<slug:step>/", public.step, name="step"),
]
