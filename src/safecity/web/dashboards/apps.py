from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "safecity.web.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from . import generation  # noqa: F401  (connects the signals that raise the counter)
