"""``safecity governance …``: the register of sources, the DPIA outline, the run log, the
quarterly returns and subject requests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..engine import settings
from ..engine.governance import load_register, save_entry
from ..engine.governance.register import read_entry_file, review_warnings
from ..engine.governance.runlog import runs as logged_runs, who
from ..engine.warehouse import Warehouse
from .app import cli

_WAREHOUSE = click.option("--warehouse", "root", type=click.Path(path_type=Path), default=None,
                          help="Warehouse folder (default $SAFECITY_HOME/warehouse).")


@cli.group()
def governance() -> None:
    """What each source is, under which agreement, kept how long; and who did what.

    Example:

        safecity governance register list
    """


@governance.group()
def register() -> None:
    """The register of sources (one YAML file per source kind and supplier, in the warehouse).

    Example:

        safecity governance register add police-extract.yaml
    """


@register.command("list")
@_WAREHOUSE
def register_list(root: Path | None) -> None:
    """List every registered source with its agreement, retention and review date.

    Example:

        safecity governance register list
    """
    wh = Warehouse(root)
    entries = load_register(wh.root)
    if not entries:
        click.echo("The register of sources is empty. Add an entry with: "
                   "safecity governance register add ENTRY.yaml (see docs/governance.md).")
        return
    for e in entries:
        click.echo(f"{e.source} from {e.supplier}: ISA {e.isa.reference} ({e.isa.start} to "
                   f"review {e.isa.review}), retention {e.retention_months} months"
                   + (", quarterly return" if e.quarterly_return else "")
                   + f"; version {e.version}")
    for warning in review_warnings(wh.root):
        click.secho(f"Warning: {warning}", fg="yellow")


@register.command("add")
@click.argument("entry_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_WAREHOUSE
def register_add(entry_file: Path, root: Path | None) -> None:
    """Add or update a register entry from a YAML file; the previous version is kept.

    Example:

        safecity governance register add police-extract.yaml
    """
    wh = Warehouse(root)
    saved = save_entry(wh.root, read_entry_file(entry_file), by=who())
    click.echo(f"Registered {saved.source} from {saved.supplier} (version {saved.version}).")


@governance.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for dpia.md and dpia.docx (default $SAFECITY_HOME/governance).")
@click.option("--partnership", default=None,
              help="The partnership's name (default: the name of its CSP).")
@_WAREHOUSE
def dpia(out: Path | None, partnership: str | None, root: Path | None) -> None:
    """Write the DPIA outline and record of processing from the register (Markdown and Word).

    Example:

        safecity governance dpia --out ~/dpia
    """
    from ..engine.governance.dpia import write_dpia

    wh = Warehouse(root)
    name = partnership or _partnership_name()
    for path in write_dpia(wh.root, out or settings.home() / "governance", name):
        click.echo(f"Wrote {path}")


def _partnership_name() -> str:
    from ..engine.reference import csp_names

    code = settings.get("partnership_csp")
    name = csp_names().get(code, (code, None))[0]
    return f"{name} Community Safety Partnership"


@governance.command()
@click.option("--limit", type=int, default=50, show_default=True, help="How many of the latest.")
def runs(limit: int) -> None:
    """The latest logged runs of ingest, assess, purge and erasure: when, who, what.

    Example:

        safecity governance runs --limit 10
    """
    entries = list(logged_runs())[-limit:]
    if not entries:
        click.echo("No runs are logged yet.")
    for run in entries:
        click.echo(f"{run.at}  {run.user}  safecity {' '.join(run.args)}  ({run.outcome})")


@governance.command()
@_WAREHOUSE
def returns(root: Path | None) -> None:
    """The prescribed quarterly returns: received, late and not yet due, per supplier.

    Example:

        safecity governance returns
    """
    from ..engine.governance.returns import expected_returns

    rows = expected_returns(Warehouse(root))
    if not rows:
        click.echo("No register entry expects a quarterly return (quarterly_return: true).")
    for r in rows:
        got = f", received {r.received_at}" if r.received_at else ""
        click.echo(f"{r.quarter}  {r.source} from {r.supplier}: {r.status} (due {r.due}{got})"
                   + (f"; chase {r.contact}" if r.needs_chasing else ""))


@governance.command()
@click.argument("key", required=False)
@click.option("--identifier", default=None,
              help="The supplier's own identifier for the person; safecity pseudonymises it "
                   "with the partnership's key to find their rows.")
@click.option("--reference", required=True, help="The request's reference, for the record.")
@click.option("--erase", is_flag=True, help="Remove the rows (an erasure request).")
@click.option("--yes", is_flag=True, help="With --erase: do not ask for confirmation.")
@_WAREHOUSE
def subject(key: str | None, identifier: str | None, reference: str, erase: bool, yes: bool,
            root: Path | None) -> None:
    """Answer a subject access or erasure request for one person: list (or remove) their rows.

    Give the pseudonymised KEY, or --identifier to pseudonymise the supplier's identifier.
    The request is recorded in the manifest with a fingerprint of the key, not the key.

    Example:

        safecity governance subject --identifier P123456 --reference SAR-2026-014
    """
    from ..engine.errors import ConfigError
    from ..engine.governance.subjects import erase_subject, find_subject, record_access
    from ..engine.ingest.pseudonymise import Pseudonymiser

    if bool(key) == bool(identifier):
        raise ConfigError("Give either the pseudonymised KEY or --identifier, not both or neither.",
                          fix="Example: safecity governance subject --identifier P123456 "
                              "--reference SAR-1.")
    key = key or Pseudonymiser()(identifier)
    wh = Warehouse(root)
    report = find_subject(wh, key)
    if not report.found:
        click.echo(f"No rows carry that person's key ({key[:8]}…).")
    for f in report.found:
        months = f"{f.months[0]}..{f.months[-1]}" if f.months else "no month"
        click.echo(f"{f.table}: {f.rows} row{'s' * (f.rows != 1)} ({months}) from batch "
                   f"{f.batch_id} ({f.source}), source lines {', '.join(map(str, f.lines[:20]))}"
                   + (" …" if len(f.lines) > 20 else ""))
    if not erase:
        record_access(wh, report, reference=reference)
        click.echo(f"Recorded subject access request {reference}.")
        return
    if report.found and not yes:
        click.confirm(f"Remove these {report.rows} rows for good?", abort=True)
    erased = erase_subject(wh, key, reference=reference)
    click.echo(f"Erased {erased.rows} row{'s' * (erased.rows != 1)}; recorded request {reference}.")
