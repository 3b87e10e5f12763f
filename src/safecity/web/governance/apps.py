from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safecity.web.governance"
    label = "governance"
    verbose_name = "Data governance"
