"""``safecity web manage export_action_groups --base-url https://…``: send the open action group
problems (references, sectors, types, dates; no text) to the warehouse, so the monthly pack
lists and links them (the button on the action groups page does the same). Run it before the
monthly pack."""

from django.core.management.base import BaseCommand, CommandError

from ....engine.errors import SafecityError
from ...actiongroups.warehouse import export_to_warehouse


class Command(BaseCommand):
    help = "Send the open action group problems (no text) to the warehouse for the monthly pack."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="",
                            help="The web app's address, for the pack's links "
                                 "(for example https://safecity.example.org).")

    def handle(self, *args, **options):
        try:
            result = export_to_warehouse(options["base_url"])
        except SafecityError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Sent {result.problems} open problem(s) to the warehouse "
                          f"({result.path}).")
