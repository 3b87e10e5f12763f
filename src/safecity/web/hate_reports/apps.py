from django.apps import AppConfig


class HateReportsConfig(AppConfig):
    name = "safecity.web.hate_reports"
    label = "hate_reports"
    verbose_name = "Third-party hate reporting"
