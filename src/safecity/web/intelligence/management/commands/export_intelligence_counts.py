"""``safecity web manage export_intelligence_counts``: send partner intelligence counts (month,
theme, agency, ward and LSOA; no text) to the warehouse for the assessment (the button on the
analysts' page does the same). Run it before the assessment."""

from django.core.management.base import BaseCommand, CommandError

from ....engine.errors import SafecityError
from ...intelligence.warehouse import export_to_warehouse


class Command(BaseCommand):
    help = "Send partner intelligence counts (no text) to the warehouse."

    def handle(self, *args, **options):
        try:
            result = export_to_warehouse()
        except SafecityError as exc:
            raise CommandError(str(exc)) from None
        if result.skipped:
            self.stdout.write("The warehouse already has these counts.")
        else:
            self.stdout.write(f"Sent the counts of {result.submissions} submissions from "
                              f"{result.first_month:%B %Y} on to the warehouse ({result.path}).")
