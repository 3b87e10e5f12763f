"""``safecity web manage purge_hate_reports``: delete the text and contact details of third-party
hate reports past the retention period (setting hate_report_retention_months; run it daily, like
the other purges). The reports' dates, channels, strands and areas stay for the counts."""

from django.core.management.base import BaseCommand

from .....engine.governance import runlog
from ...retention import purge


class Command(BaseCommand):
    help = "Delete the text and contact details of hate reports past the retention period."

    def handle(self, *args, **options):
        done = purge()
        # in the run log beside the warehouse purges, for the data protection officer
        runlog.record("web purge_hate_reports", [], f"completed: {done} report(s) purged")
        self.stdout.write(f"Deleted the text and contact details of {done} hate report(s) "
                          "past the retention period.")
