from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safecity.web.reports"
    label = "reports"
