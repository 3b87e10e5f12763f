"""``safecity demo``: write the synthetic demo partnership and load it through the real readers."""

from __future__ import annotations

from pathlib import Path

import click

from ..engine.demo import DEFAULT_SEED
from ..engine.demo.build import build, default_folder
from .app import cli
from .ingest import format_report
from .output import BarProgress


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the extract files (default $SAFECITY_HOME/demo).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed; the same seed writes byte-identical files.")
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Warehouse folder (default $SAFECITY_HOME/warehouse).")
def demo(out: Path | None, seed: int, warehouse: Path | None) -> None:
    """Build the demo partnership: a synthetic, Southampton-sized CSP, April 2017 to December 2020.

    Writes a police record-level extract (crimes, victims, suspects and its mapping file), ASB,
    hate reports, youth justice, high-risk referrals and the geography as ordinary extract files
    you can open, then loads each through the same readers `safecity ingest` uses and prints
    what was read, stored and rejected. Real Southampton LSOAs, populations and IMD 2019; every
    person and crime is synthetic. Calibrated to the published 2019/20 Southampton figures.
    Running it again with the same seed changes nothing.

    Example:

        safecity demo && safecity assess --year 2019/20
    """
    folder = out or default_folder()
    result = build(folder, seed=seed, warehouse=warehouse, progress=BarProgress())
    click.echo(f"Demo partnership files (seed {seed}) in {result.files.folder}")
    for source, report in result.reports:
        click.echo(f"\n[{source}]")
        for line in format_report(report):
            click.echo(line)
