"""``safecity web manage purge_action_groups``: blank the free text of Partnership Action Group
problems closed more than ``RETENTION_MONTHS`` ago (run it daily). The place, type, dates and
closing figures stay; each change is audited without the text."""

from django.core.management.base import BaseCommand

from .....engine.governance import runlog
from ...services import purge


class Command(BaseCommand):
    help = "Remove the text of closed action group problems past the retention period."

    def handle(self, *args, **options):
        done = purge()
        runlog.record("web purge_action_groups", [], f"completed: {done} problem(s) purged")
        self.stdout.write(f"Purged the text of {done} closed problem(s) past the retention "
                          "period.")
