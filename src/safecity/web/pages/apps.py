from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "safecity.web.pages"
    label = "pages"
