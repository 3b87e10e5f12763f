"""The ``safecity`` command group and the one place errors become messages."""

from __future__ import annotations

import importlib
import sys

import click

from ..engine.errors import SafecityError


class LazyGroup(click.Group):
    """Imports a command family's module only when that command runs (or help lists it):
    ``safecity assess`` need not import the ingest readers, the demo generator or Django.
    Each module registers its commands on ``cli`` when imported (click's "lazy loading of
    subcommands" pattern)."""

    # command name -> module under safecity.cli that defines it
    families = {"ingest": "ingest", "warehouse": "warehouse", "demo": "demo", "assess": "assess",
                "web": "web", "governance": "governance"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.families))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.families:
            importlib.import_module(f"{__package__}.{self.families[name]}")
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="safecity")
def cli() -> None:
    """safecity: the Strategic Assessment and partnership delivery platform for a CSP.

    All state lives under $SAFECITY_HOME (default ./var). Start with:

        safecity demo && safecity warehouse status
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning deliberate errors into one sentence and exit code 2.

    Tracebacks are for bugs only; bad input never shows one.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    code = 1
    try:
        code = _run(args)
        return code
    finally:
        _log_run(args, code)


def _run(args: list[str]) -> int:
    try:
        cli.main(args=args, prog_name="safecity", standalone_mode=False)
    except SafecityError as err:
        click.secho(f"Error: {err.message}", fg="red", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.exceptions.Exit as err:
        return err.exit_code
    return 0


def _log_run(args: list[str], code: int) -> None:
    """Every ingest, assessment, purge and erasure is logged with who ran it and when.
    Asking for help is not a run."""
    from ..engine.governance.runlog import logged_command, record

    command = logged_command(args)
    if command is None or "--help" in args or "-h" in args:
        return
    try:
        record(command, args, "completed" if code == 0 else f"failed (exit {code})")
    except OSError as exc:  # the log must never turn a finished run into a failure
        click.secho(f"Warning: the run could not be written to the run log ({exc}).",
                    fg="yellow", err=True)


def run() -> None:
    sys.exit(main())
