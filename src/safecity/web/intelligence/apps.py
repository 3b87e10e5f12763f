from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "safecity.web.intelligence"
    label = "intelligence"
    verbose_name = "Partner intelligence"
