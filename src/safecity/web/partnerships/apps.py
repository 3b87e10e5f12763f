from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "safecity.web.partnerships"
    label = "partnerships"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the change signals)
