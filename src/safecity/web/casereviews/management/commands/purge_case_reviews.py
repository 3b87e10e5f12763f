"""``safecity web manage purge_case_reviews``: delete closed ASB Case Review applications past
their partnership's retention period (run it daily, like the reminders)."""

from django.core.management.base import BaseCommand

from .....engine.governance import runlog
from ...services import purge


class Command(BaseCommand):
    help = "Delete closed ASB Case Review applications past the retention period."

    def handle(self, *args, **options):
        gone = purge()
        runlog.record("web purge_case_reviews", [], f"completed: {gone} application(s) purged")
        self.stdout.write(f"Purged {gone} closed ASB Case Review application(s) past their "
                          "retention period.")
