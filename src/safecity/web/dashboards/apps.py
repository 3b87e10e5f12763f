from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "safecity.web.dashboards"
    label = "dashboards"
