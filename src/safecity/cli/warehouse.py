"""``safecity warehouse …``: what the warehouse holds; excluding and including months; rotating
the pseudonymisation key."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..engine.ingest import anomalies, pseudonymise
from ..engine.ingest.status import WarehouseStatus, runs, warehouse_status
from ..engine.warehouse import Warehouse
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
        if src.checked or src.unchecked:
            lines.append("  months checked against the force's (or source's) other months: "
                         f"{src.checked:,}"
                         + (f" ({src.unchecked:,} not checked: fewer than "
                            f"{anomalies.MIN_OTHER_MONTHS} other months, or too few rows)"
                            if src.unchecked else ""))
        for force, month, reason in src.flagged:
            lines.append("  Warning: " + anomalies.flag_sentence((src.source, force, month),
                                                                  reason))
        for force, month, reason in src.excluded:
            lines.append(f"  EXCLUDED: {' '.join(filter(None, (force, month)))}: {reason} "
                         f"(include it again with: safecity warehouse include {src.source} "
                         f"{force or '-'} {month})")
    if status.key:
        lines += ["", f"Pseudonymisation key: fingerprint {status.key['fingerprint']}, epoch "
                  f"{status.key['epoch']} since {status.key['since']}"]
        if len(status.key_epochs) > 1:
            lines.append("  Warning: person keys from key epochs "
                         + ", ".join(str(e) for e, _ in status.key_epochs)
                         + " are loaded; the same person does not match across epochs, so "
                           "repeat victimisation and re-offending count within an epoch only. "
                           "Re-ingest the older person files to bring them to the current key.")
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


_ROOT = click.option("--warehouse", "root", type=click.Path(path_type=Path), default=None,
                     help="Warehouse folder (default $SAFECITY_HOME/warehouse).")


@warehouse.command()
@click.argument("source")
@click.argument("force")
@click.argument("month")
@click.option("--reason", required=True, help="Why the month is excluded (recorded).")
@_ROOT
def exclude(source: str, force: str, month: str, reason: str, root: Path | None) -> None:
    """Exclude MONTH of SOURCE and FORCE from figures, with a recorded reason.

    FORCE is the police force as status shows it, or - for a source not split by force. The
    rows stay loaded; figures leave the month out and say so. Undo with: safecity warehouse
    include.

    Examples:

        safecity warehouse exclude police-uk hampshire 2019-03 --reason "categories mis-assigned at source"

        safecity warehouse exclude asb - 2020-04 --reason "council system migration"
    """
    anomalies.exclude_month(Warehouse(root), source, force, month, reason)
    where = f"{source} {force}" if force not in ("", "-") else source
    click.echo(f"Excluded {where} {month}: {reason}")


@warehouse.command()
@click.argument("source")
@click.argument("force")
@click.argument("month")
@_ROOT
def include(source: str, force: str, month: str, root: Path | None) -> None:
    """Include again MONTH of SOURCE and FORCE, which an analyst excluded.

    Example:

        safecity warehouse include police-uk hampshire 2019-03
    """
    force_or_none = None if force in ("", "-") else force
    reason = anomalies.include_month(Warehouse(root), source, force_or_none, month)
    where = f"{source} {force_or_none}" if force_or_none else source
    click.echo(f"Included {where} {month} again (it was excluded: {reason}).")


@warehouse.command("rotate-key")
@click.option("--reason", required=True, help="Why the key is replaced (recorded).")
@_ROOT
def rotate_key(reason: str, root: Path | None) -> None:
    """Replace the pseudonymisation key with a new one, deliberately, starting a new key epoch.

    Person keys already loaded stay as they are (a keyed hash cannot be re-keyed without the
    identifiers, which safecity never stores). The same person loaded after the rotation gets
    a different key, so repeat victimisation and re-offending match within an epoch only:
    re-ingest the original person files (police extracts, youth justice) to bring them to the
    new key. The old key is not kept: back it up first if you may need it. Use it when the key
    leaked, or was lost (ingest stops until you restore it or rotate).

    Example:

        safecity warehouse rotate-key --reason "key file lost with the old server"
    """
    record = pseudonymise.rotate_key(Warehouse(root), reason)
    click.echo(f"New pseudonymisation key written to {pseudonymise.key_path()} (fingerprint "
               f"{record['fingerprint']}, epoch {record['epoch']}).")
    if record["epoch"] > 1:
        click.echo("People loaded from now on get new pseudonyms: they do not match those of "
                   f"epoch {record['epoch'] - 1} and earlier. Re-ingest the original person files "
                   "to link them again.")
