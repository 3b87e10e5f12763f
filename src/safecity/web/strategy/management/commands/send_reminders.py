"""Email agency leads who still owe an update for an open cycle near its deadline."""

from django.core.management.base import BaseCommand, CommandError

from ...chasing import is_chasing_time, send_reminders
from ...models import ReportingCycle


class Command(BaseCommand):
    help = ("Email agency leads about actions still lacking an update, for every open cycle "
            "within the chasing window (or one cycle with --cycle). "
            "Example: safecity web manage send_reminders --base-url https://safecity.example")

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, help="Only this cycle (id), even outside the "
                            "chasing window.")
        parser.add_argument("--base-url", default="", help="Prefix for links in the emails.")

    def handle(self, *args, cycle=None, base_url="", **options):
        if cycle is not None:
            cycles = list(ReportingCycle.objects.filter(pk=cycle))
            if not cycles:
                raise CommandError(f"There is no reporting cycle with id {cycle}.")
        else:
            cycles = [c for c in ReportingCycle.objects.filter(status="open")
                      if is_chasing_time(c)]
        for c in cycles:
            sent = send_reminders(c, base_url=base_url)
            self.stdout.write(f"{c.name}: {sent.emails} reminder email(s) sent.")
            for agency in sent.unreachable:
                self.stdout.write(f"{c.name}: nobody to notify at {agency.name}: invite an "
                                  "agency lead or give the agency a shared inbox.")
        if not cycles:
            self.stdout.write("No open cycle is within its chasing window.")
