"""``safecity web``: set up, load the demo partnership into, and serve the partnership web app."""

from __future__ import annotations

import os
import sys

import click

from ..engine.errors import ConfigError
from .app import cli

SETTINGS = "safecity.web.settings"


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigError(str(exc)) from None


@cli.group()
def web() -> None:
    """The partnership web app: strategy, updates, scorecard and papers.

        safecity web demo && safecity web serve
    """


@web.command()
def demo() -> None:
    """Create the app database and load the demo partnership and its users.

    The demo users' password comes from SAFECITY_DEMO_PASSWORD (documented default in
    docs/configuration.md). Example:

        SAFECITY_DEMO_PASSWORD=choose-one safecity web demo
    """
    _django()
    from django.core.management import call_command

    from ..web.environment import VARIABLES, value
    from ..web.strategy import demo as demo_data

    call_command("migrate", verbosity=0, interactive=False)
    password = value("SAFECITY_DEMO_PASSWORD")
    people = demo_data.load(password)
    click.echo(f"Loaded the demo partnership: {demo_data.TITLE}.")
    click.echo("Sign in at http://127.0.0.1:8000/sign-in/ as any of:")
    for p in people:
        click.echo(f"  {p.username:<15} {p.name:<14} {p.role:<14} {p.agency}")
    source = ("SAFECITY_DEMO_PASSWORD" if os.environ.get("SAFECITY_DEMO_PASSWORD")
              else f"the default {VARIABLES['SAFECITY_DEMO_PASSWORD'].default!r}; set "
                   "SAFECITY_DEMO_PASSWORD to choose another")
    click.echo(f"Password for every demo user: from {source}.")

    # Compute the scorecard's indicator values now, so the first page view is fast.
    from ..web.dashboards import services
    from ..web.dashboards.models import Indicator

    if services.warehouse().exists():
        from .output import BarProgress

        indicators = list(Indicator.objects.all())
        bar = BarProgress()
        bar.start("Computing indicator values", total=len(indicators))
        for indicator in indicators:  # one at a time, so the bar moves
            services.trends([indicator])
            bar.advance()
        bar.finish()
        click.echo(f"Computed the scorecard's {len(indicators)} indicator values from the "
                   "warehouse.")


@web.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--workers", default=None, type=int,
              help="Worker processes (default: 2 x CPUs + 1).")
def serve(port: int, workers: int | None) -> None:
    """Serve the app on 127.0.0.1 with gunicorn (static files through WhiteNoise).

        safecity web serve --port 8000
    """
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    workers = workers or 2 * (os.cpu_count() or 1) + 1  # gunicorn's own advice
    click.echo(f"Serving on http://127.0.0.1:{port}/ with {workers} workers, one connection "
               "at a time each (Ctrl+C stops).")
    from gunicorn.app.wsgiapp import run as gunicorn_run

    # Each worker serves one connection at a time and closes it after the response, so a
    # worker accepts only when it is free and requests spread over the workers; with
    # keep-alive, or with two connections to one worker, a client waits behind whichever
    # request shares its worker (and its interpreter lock), and the busiest worker sets the
    # tail (bench/web.py, 20 clients: p95 86 ms this way against 120-130 ms with 4 workers x
    # 2 threads, docs/benchmarks.md). One more worker than twice the cores keeps both cores
    # busy while a request waits for SQLite's write lock. The workers are threaded (gthread)
    # rather than sync because a sync worker waits out its whole timeout on a connection
    # that sends nothing, which browsers' preconnect sockets do (benoitc/gunicorn#1801,
    # #2797); gunicorn's gthread worker gives such a connection back after 5 s.
    sys.argv = ["gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--worker-class", "gthread", "--threads", "1", "--worker-connections", "1",
                "--keep-alive", "0", "--access-logfile", "-", "safecity.web.wsgi:application"]
    gunicorn_run()


@web.command("create-admin")
@click.option("--email", required=True, help="The administrator's email; also their user name.")
@click.option("--agency", required=True, help="Their agency (created if it does not exist).")
@click.option("--first-name", default="", help="First name.")
@click.option("--last-name", default="", help="Last name.")
@click.password_option(help="The password (asked for, twice, when not given).")
def create_admin(email: str, agency: str, first_name: str, last_name: str,
                 password: str) -> None:
    """Create the first administrator, who then sets up the partnership in the app
    (agencies, people, roles) without the Django admin site.

        safecity web create-admin --email you@example.gov.uk --agency "Example City Council"
    """
    _django()
    from django.core.management import call_command

    from ..web.partnerships.setup import SetupError, create_administrator

    call_command("migrate", verbosity=0, interactive=False)
    try:
        user = create_administrator(email=email, agency=agency, password=password,
                                    first_name=first_name, last_name=last_name)
    except SetupError as exc:
        raise ConfigError(str(exc)) from None
    click.echo(f"Created the administrator {user.username} ({user.membership.agency}). Sign in "
               "with `safecity web serve` and choose Partnership to invite your people.")


@web.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (what manage.py would do).

        safecity web manage send_reminders
        DJANGO_SETTINGS_MODULE=safecity.web.settings_production safecity web manage check --deploy
    """
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safecity web manage", *args])
