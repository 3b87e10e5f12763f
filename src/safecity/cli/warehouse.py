"""``safecity warehouse …``: what the warehouse holds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..engine.ingest.status import WarehouseStatus, runs, warehouse_status
from .app import cli


def format_status(status: WarehouseStatus) -> list[str]:
    if not status.sources:
        return [f"The warehouse at {status.root} is empty.",
                "Load data with: safecity ingest PATH --source KIND (or run: safecity demo)."]
    lines = [f"Warehouse: {status.root} (last loaded {status.last_loaded})", ""]
    for src in status.sources:
        lines.append(f"{src.source}: {src.files:,} file{'s' * (src.files != 1)}, read "
                     f"{src.read:,}, stored {src.stored:,}, rejected {src.rejected:,}"
                     + (f", replaced by newer files {src.replaced:,}" if src.replaced else "")
                     + f"; last loaded {src.last_loaded}")
        for scope in src.scopes:
            if scope.whole:
                lines.append(f"  {scope.scope}: whole table (no months; a newer file replaces it)")
                continue
            covered = ", ".join(runs(scope.months)) or "no months"
            gaps = (f"; gaps: {', '.join(runs(scope.gaps))} ({len(scope.gaps)} months)"
                    if scope.gaps else "")
            lines.append(f"  {scope.scope or '(all)'}: {covered} "
                         f"({len(scope.months)} month{'s' * (len(scope.months) != 1)}){gaps}")
    lines += ["", "Rows per table:"]
    width = max(len(name) for name, _ in status.tables)
    lines += [f"  {name:<{width}}  {rows:>12,}" for name, rows in status.tables]
    return lines


@cli.group()
def warehouse() -> None:
    """Inspect the Parquet warehouse.

    Example:

        safecity warehouse status
    """


@warehouse.command()
@click.option("--warehouse", "root", type=click.Path(path_type=Path), default=None,
              help="Warehouse folder (default $SAFECITY_HOME/warehouse).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def status(root: Path | None, as_json: bool) -> None:
    """Sources loaded, months covered per source and force, gaps, rows per table, rejects.

    Example:

        safecity warehouse status --json
    """
    from ..engine.governance.register import review_warnings

    result = warehouse_status(root)
    warnings = review_warnings(result.root)
    if as_json:
        click.echo(json.dumps({**result.to_json(), "governance_warnings": warnings}, indent=1))
        return
    for line in format_status(result):
        click.echo(line)
    for warning in warnings:
        click.secho(f"Warning: {warning}", fg="yellow")


@warehouse.command()
@click.option("--warehouse", "root", type=click.Path(path_type=Path), default=None,
              help="Warehouse folder (default $SAFECITY_HOME/warehouse).")
def compact(root: Path | None) -> None:
    """Merge the small files of each source, force (or scope) and year into one.

    Ingest writes one Parquet file per input file; police.uk publishes one per force per
    month. Run this when years of monthly files have piled up: the rows, counts and
    replacement rules stay the same, in one atomic step.

    Example:

        safecity warehouse compact
    """
    from ..engine.compaction import compact as run_compact
    from ..engine.warehouse import Warehouse

    done = run_compact(Warehouse(root))
    if not done.groups:
        click.echo("Nothing to compact: no source, scope and year has more than one batch.")
        return
    click.echo(f"Merged {done.batches:,} batches into {done.groups:,} "
               f"({done.files_before:,} table files before, {done.files_after:,} after).")


@warehouse.command()
@click.option("--warehouse", "root", type=click.Path(path_type=Path), default=None,
              help="Warehouse folder (default $SAFECITY_HOME/warehouse).")
@click.option("--yes", is_flag=True,
              help="Purge for real. Without it the command only shows what would go.")
def purge(root: Path | None, yes: bool) -> None:
    """Remove record-level rows older than each source's retention in the register.

    Without --yes it is a dry run: it lists what would go and changes nothing. With --yes the
    monthly counts of those rows are kept first (so trends survive), the rows go in one atomic
    step, and the purge is recorded in the manifest.

    Example:

        safecity warehouse purge            # see what would go
        safecity warehouse purge --yes      # then purge
    """
    from ..engine.governance.purge import plan_purge, purge as run_purge
    from ..engine.warehouse import Warehouse

    wh = Warehouse(root)
    plan = plan_purge(wh)
    if not plan.rules:
        click.echo("No source in the register has a retention period, so nothing is purged. "
                   "Register each record-level source (safecity governance register add).")
        return
    for rule in plan.rules:
        click.echo(f"Rule: {rule.sentence}.")
    if plan.empty:
        click.echo("Nothing to purge: no loaded rows are older than their retention.")
        return
    for item in plan.items:
        click.echo(f"  {item.source} {item.table}: {item.rows:,} rows "
                   f"({item.months[0]}..{item.months[-1]})")
    if not yes:
        click.echo(f"Dry run: {plan.rows:,} rows would be purged. Run again with --yes to purge.")
        return
    result = run_purge(wh)
    if result.record is None:
        click.echo("Nothing to purge.")
        return
    click.echo(f"Purged {result.plan.rows:,} rows; their monthly counts are kept in "
               "monthly_counts, and the purge is recorded in the manifest.")
