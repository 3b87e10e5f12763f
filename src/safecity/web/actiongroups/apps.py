from django.apps import AppConfig


class ActionGroupsConfig(AppConfig):
    name = "safecity.web.actiongroups"
    label = "actiongroups"
    verbose_name = "Partnership Action Groups"
