"""``safecity ingest``: load source files into the warehouse."""

from __future__ import annotations

from pathlib import Path

import click

from ..engine.ingest.base import IngestReport
from ..engine.ingest.run import REGISTRY, ingest_paths
from .app import cli
from .output import BarProgress


def format_report(report: IngestReport) -> list[str]:
    """The lines ``safecity ingest`` prints: one block per file, the total, replacements."""
    lines: list[str] = []
    for f in report.files:
        if f.skipped:
            lines.append(f"{f.name}: {'; '.join(f.notes) or 'skipped'}")
            continue
        months = f" ({', '.join(f.months)})" if 0 < len(f.months) <= 3 else (
            f" ({f.months[0]}..{f.months[-1]})" if f.months else "")
        lines.append(f"{f.name}{months}: read {f.read:,}, stored {f.stored:,}, "
                     f"rejected {f.rejected:,}")
        lines += [f"  note: {note}" for note in f.notes]
        if f.rejects_file:
            lines.append(f"  rejected rows and reasons: {f.rejects_file}")
    loaded = [f for f in report.files if not f.skipped]
    unchanged = len(report.files) - len(loaded)
    if loaded:
        extra = f"; {unchanged} skipped" if unchanged else ""
        lines.append(f"Total: read {report.read:,}, stored {report.stored:,}, rejected "
                     f"{report.rejected:,} ({len(loaded)} file{'s' * (len(loaded) != 1)} "
                     f"loaded{extra}).")
    else:
        lines.append("Nothing changed: every file was already loaded or skipped.")
    lines += list(report.replacements)
    lines += [report.compaction] if report.compaction else []
    lines += [f"Warning: {w}" for w in report.warnings]
    return lines


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", type=click.Choice(list(REGISTRY)), default=None,
              help="Source kind; guessed from the file when unambiguous.")
@click.option("--warehouse", type=click.Path(path_type=Path), default=None,
              help="Warehouse folder (default $SAFECITY_HOME/warehouse).")
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="YAML file mapping your headers and codes to the data contract.")
@click.option("--replace", "replace_loaded", is_flag=True,
              help="Confirm a replacement ingest refused: a loaded month replaced by far fewer "
                   "rows, a file named for another month than its rows hold, or victims and "
                   "suspects whose crimes the new file does not have (they are removed).")
@click.option("--supplier", default=None,
              help="The supplying agency, as named in the register of sources, when a source "
                   "kind has agreements with more than one supplier.")
@click.option("--force", "forces", multiple=True, metavar="FORCE",
              help="police.uk: load only this force's files (repeatable), e.g. from the "
                   "monthly archive of all forces: --force hampshire.")
def ingest(paths: tuple[Path, ...], source: str | None, warehouse: Path | None,
           mapping: Path | None, supplier: str | None, forces: tuple[str, ...],
           replace_loaded: bool) -> None:
    """Load files, folders or archives into the warehouse, all or nothing.

    Prints read, stored and rejected rows per file (stored + rejected = read); rejected rows
    are kept with their line and reason. Files already loaded are skipped; a newer file for
    months already loaded replaces them and says so. A replacement that would shrink a loaded
    month (fewer than SAFECITY_REPLACE_MIN_SHARE of its rows), a file named for one month whose
    rows are for another, or victims and suspects left without their crimes is refused, saying
    how many rows would go, until --replace confirms it. Each month is checked against the
    force's other months: one that looks wrong at source is flagged with a warning.

    A folder, a glob ('DIR/*.csv.gz') or the monthly archive zip loads as one transaction.

    Examples:

        safecity ingest ~/Downloads/2019-01 --source police-uk

        safecity ingest crimes-2019-03.csv --source police-extract --replace
    """
    report = ingest_paths(list(paths), source=source, warehouse=warehouse, mapping=mapping,
                          progress=BarProgress(), supplier=supplier, forces=forces,
                          replace_loaded=replace_loaded)
    for line in format_report(report):
        if line.startswith("Warning: "):
            click.secho(line, fg="yellow", bold=True)
        else:
            click.echo(line)
