"""Remind every supplier with a late quarterly return (for a scheduler, e.g. daily cron):

    safecity web manage send_return_reminders

A supplier already reminded of all its late returns in the last week is not emailed again."""

from django.core.management.base import BaseCommand

from ...services import remind_all_late


class Command(BaseCommand):
    help = "Email the register contact of every supplier with a late quarterly return."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-days", type=int, default=7,
                            help="Do not remind a supplier reminded within this many days.")

    def handle(self, *args, quiet_days: int = 7, **options):
        lines = remind_all_late(quiet_days=quiet_days)
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write("No quarterly return is late.")
