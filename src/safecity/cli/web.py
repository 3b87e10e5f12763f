"""``safecity web``: set up, load the demo partnership into, and serve the partnership web app."""

from __future__ import annotations

import os
import sys

import click

from ..engine import settings
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
    from ..web import channels_demo

    for line in channels_demo.load(demo_data.TITLE):
        click.echo(line)
    from ..web.governance import demo as governance_demo

    for line in governance_demo.load():
        click.echo(line)
    # `make demo` runs `safecity assess` first: its runs are published for the demo analyst,
    # so the app shows the assessment (a run already published is not published again).
    from ..web.evidence.publishing import publish_demo_runs

    for line in publish_demo_runs(settings.home() / "assessments"):
        click.echo(line)
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


THREADS = 8  # connections each worker serves at once (see serve)


@web.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--workers", default=None, type=int,
              help="Worker processes (default: 2 x CPUs + 1).")
@click.option("--threads", default=THREADS, show_default=True,
              help="Connections each worker serves at once (one thread each).")
def serve(port: int, workers: int | None, threads: int) -> None:
    """Serve the app on 127.0.0.1 with gunicorn (static files through WhiteNoise).

        safecity web serve --port 8000
    """
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    workers = workers or 2 * (os.cpu_count() or 1) + 1  # gunicorn's own advice
    click.echo(f"Serving on http://127.0.0.1:{port}/ with {workers} workers, {threads} "
               f"connections at a time each (Ctrl+C stops).")
    from gunicorn.app.wsgiapp import run as gunicorn_run

    # gunicorn's threaded worker (gthread), each worker taking at most as many connections as
    # it has threads (--worker-connections = --threads), without keep-alive.
    #
    # A connection holds a thread while its request arrives: gunicorn reads the request line
    # and headers with a blocking read, so a client that sends one header line every few
    # seconds ("slowloris") keeps its thread for as long as it likes. With one thread per
    # worker (the previous shape) five such clients stalled all five workers. Now the server
    # holds workers x threads connections (5 x 8 = 40 on two cores): 20 slow or idle clients
    # leave 20 threads answering everyone else (bench/web.py measures it; tests/web/
    # test_server.py checks it). A worker whose threads are all taken stops accepting, so new
    # connections go to the workers with free threads. An idle connection that never sends a
    # byte waits in the worker's poller, not in a thread, and gunicorn gives it back after 5 s.
    #
    # Why threads and not an asyncio server: the app is synchronous Django (WSGI), and under
    # ASGI each request would hop to Django's one sync thread per process anyway; the thread
    # pool gives the same protection with the code path the rest of the app is tested on. The
    # bound is the pool: more than workers x threads slow clients would queue new connections
    # in the listen backlog. In production a reverse proxy (nginx) in front reads each request
    # whole before passing it on, with its own header and body timeouts, so slow clients never
    # reach gunicorn at all (docs/configuration.md).
    #
    # More threads in one process share its interpreter lock, which lengthens the tail under
    # load (docs/benchmarks.md compares the shapes); 8 is the smallest count that keeps 20
    # slow clients from taking more than half of the pool.
    sys.argv = ["gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--worker-class", "gthread", "--threads", str(threads),
                "--worker-connections", str(threads), "--keep-alive", "0",
                "--access-logfile", "-", "safecity.web.wsgi:application"]
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


@web.command()
@click.argument("run", type=click.Path(exists=True))
@click.option("--strategy", "strategy_id", type=int, default=None,
              help="The partnership (strategy) id to publish to; needed when there are several.")
@click.option("--user", "username", required=True,
              help="Who publishes it: the user name of an analyst, coordinator or "
                   "administrator of that partnership.")
@click.option("--draft", is_flag=True, help="Upload it without publishing (publish it in the "
              "app once checked).")
@click.option("--restricted", is_flag=True, help="For the partners' officers only, not for "
              "read-only members.")
def publish(run: str, strategy_id: int | None, username: str, draft: bool,
            restricted: bool) -> None:
    """Publish an assessment run or monthly pack (the folder `safecity assess` wrote, or a zip
    of it) into the app for one partnership, as the next version of its period.

        safecity web publish var/assessments/E22000120-2019-20 --user analyst
    """
    _django()
    from pathlib import Path

    from django.core.management import call_command

    from ..web.evidence.publishing import PublishError, publish_path

    call_command("migrate", verbosity=0, interactive=False)
    try:
        published = publish_path(Path(run), username=username, strategy_id=strategy_id,
                                 draft=draft, restricted=restricted)
    except PublishError as exc:
        raise ConfigError(str(exc)) from None
    state = "uploaded as a draft" if draft else "published"
    click.echo(f"{published.title} {state} to {published.partnership.title} as version "
               f"{published.version} ({published.files.count()} files).")


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
