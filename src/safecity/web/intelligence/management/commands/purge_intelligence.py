"""``safecity web manage purge_intelligence``: delete partner intelligence submitted more than
``RETENTION_MONTHS`` ago (run it daily). Each deletion is audited without the text."""

from django.core.management.base import BaseCommand

from .....engine.governance import runlog
from ...services import purge


class Command(BaseCommand):
    help = "Delete partner intelligence past its retention period."

    def handle(self, *args, **options):
        done = purge()
        runlog.record("web purge_intelligence", [], f"completed: {done} item(s) purged")
        self.stdout.write(f"Purged {done} intelligence item(s) past the retention period.")
