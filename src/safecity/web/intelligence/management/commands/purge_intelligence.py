"""``safecity web manage purge_intelligence``: delete partner intelligence submitted more than
``RETENTION_MONTHS`` ago (run it daily). Each deletion is audited without the text."""

from django.core.management.base import BaseCommand

from ...services import purge


class Command(BaseCommand):
    help = "Delete partner intelligence past its retention period."

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {purge()} intelligence item(s) past the retention period.")
