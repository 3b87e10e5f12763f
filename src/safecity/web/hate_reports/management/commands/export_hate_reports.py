"""``safecity web manage export_hate_reports``: send accepted third-party hate reports to the
warehouse (the button on the hate reports page does the same). Run it before the monthly pack."""

from django.core.management.base import BaseCommand, CommandError

from ....engine.errors import SafecityError
from ...hate_reports.warehouse import export_to_warehouse


class Command(BaseCommand):
    help = "Send accepted third-party hate reports (no personal details) to the warehouse."

    def handle(self, *args, **options):
        try:
            result = export_to_warehouse()
        except SafecityError as exc:
            raise CommandError(str(exc)) from None
        if result.skipped:
            self.stdout.write("The warehouse already has every accepted report.")
        else:
            self.stdout.write(f"Sent {result.reports} accepted hate reports to the warehouse "
                              f"({result.path}).")
