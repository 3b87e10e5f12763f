from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "safecity.web.evidence"
    label = "evidence"
    verbose_name = "Published evidence"
