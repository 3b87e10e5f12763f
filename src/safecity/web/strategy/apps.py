from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "safecity.web.strategy"
    label = "strategy"
