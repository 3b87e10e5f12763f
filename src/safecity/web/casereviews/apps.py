from django.apps import AppConfig


class CaseReviewsConfig(AppConfig):
    name = "safecity.web.casereviews"
    label = "casereviews"
    verbose_name = "ASB Case Reviews"
