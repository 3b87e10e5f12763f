"""``safecity assess``: the Strategic Assessment or the monthly performance pack."""

from __future__ import annotations

from pathlib import Path

import click

from ..engine import settings
from .app import cli


def _default_out(area: str, label: str) -> Path:
    return settings.home() / "assessments" / f"{area}-{label}"


@cli.command()
@click.option("--year", help="Financial year to assess, e.g. 2019/20.")
@click.option("--period", help="Any period instead of a year: START..END as months "
                               "(2018-10..2019-02) or dates; compared with a year earlier.")
@click.option("--month", help="Build the monthly performance pack for this month (YYYY-MM).")
@click.option("--compare", help="Comparison year (default: the year before).")
@click.option("--custom-period", help="Extra period compared with the same dates a year "
                                      "earlier, e.g. 2020-09-30..2020-11-30 (keys end _period).")
@click.option("--area", help="ONS CSP code (default: setting partnership_csp).")
@click.option("--warehouse", type=click.Path(file_okay=False), help="Warehouse folder.")
@click.option("--benchmark", type=click.Path(dir_okay=False, exists=True),
              help="Home Office CSP open-data table (CSV/XLSX) for benchmarking.")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: "
              "$SAFECITY_HOME/assessments/<area>-<period>).")
@click.option("--no-pdf", is_flag=True, help="Write report.html only (no PDF, no summary, "
              "slides or scrutiny report).")
@click.option("--partial", is_flag=True, help="When crimes are not loaded for every month of a "
              "period and its comparison, compare only the months loaded in both (labels say "
              "'9 of 12 months') instead of stopping.")
@click.option("--priorities", "priorities_input", type=click.Path(dir_okay=False, exists=True),
              help="Priority-setting input (YAML: current_priorities, issues' public_concern "
                   "and capacity, optional weights): writes priorities.csv (docs/metrics.md).")
@click.option("--previous", "previous_run", type=click.Path(exists=True),
              help="A previous run's assessment.json (or its folder): adds 'Since the last "
                   "assessment' (its figures and priorities against this run's).")
@click.option("--progress", "progress_export", type=click.Path(dir_okay=False, exists=True),
              help="The web app's scorecard export (scorecard.xlsx) of the partnership's "
                   "strategy: its progress goes into the scrutiny report, and its priorities "
                   "are the current priorities --priorities compares with (instead of the "
                   "input file's). An export of another area is refused.")
@click.option("--national", "national", type=click.Path(dir_okay=False, exists=True),
              multiple=True, help="A published national table (CSV/XLSX; layout in "
              "docs/data-sources.md): figures show the national value and the quartile. "
              "Repeat for several tables.")
@click.option("--serious-violence", "serious_violence", is_flag=True,
              help="Write the Serious Violence Duty strategic needs assessment instead (local "
                   "definition: the 'serious_violence' basket), with its own summary, slides "
                   "and scrutiny report, in its own folder (<area>-<period>-serious-violence).")
def assess(year, period, month, compare, custom_period, area, warehouse, benchmark, out, no_pdf,
           partial, priorities_input, previous_run, progress_export, national, serious_violence):
    """Build the Strategic Assessment (or with --month the monthly pack) and write its outputs.

    The folder gets assessment.json, headlines.csv, tables/*.csv and report.html/report.pdf;
    for a year or period (and with --serious-violence) also summary.docx/summary.pdf,
    slides.pptx and scrutiny.docx; with --priorities also priorities.csv (the priority-setting
    matrix).

    Examples:

        safecity assess --year 2019/20 --custom-period 2020-09-30..2020-11-30

        safecity assess --period 2018-10..2019-02 --no-pdf

        safecity assess --month 2020-03

        safecity assess --year 2020/21 --partial

        safecity assess --year 2019/20 --priorities priorities.yaml

        safecity assess --year 2019/20 --priorities priorities.yaml --progress scorecard.xlsx

        safecity assess --year 2019/20 --serious-violence
    """
    from ..engine import helper
    from ..engine.stats import gi_worker

    # A helper process imports on the other core what the main path would otherwise wait for:
    # esda for the hotspot map (about 2 s), WeasyPrint for the PDF; it then computes Gi* and
    # prints the PDF while this process writes the other files (engine/helper.py). It starts
    # before this process imports anything heavy, so its imports begin as early as they can.
    imports = (() if month else gi_worker.MODULES) + (() if no_pdf else ("weasyprint",))
    with helper.started(*imports):
        from ..engine.assessment import output
        from .output import BarProgress

        area_code = area or settings.get("partnership_csp")
        if serious_violence and (custom_period or month or priorities_input):
            raise click.UsageError("--serious-violence takes --year or --period (and --compare, "
                                   "--previous, --progress, --national), not --custom-period, "
                                   "--month or --priorities (priorities are set with the "
                                   "strategic assessment).")
        spec = None
        if priorities_input:
            from ..engine.assessment import priorities

            spec = priorities.load_input(priorities_input)  # bad input stops before the build
        export = None
        if progress_export and not month:
            from ..engine.strategy_export import read_strategy

            # whose strategy it is, checked before the build: another area's export is refused
            export = read_strategy(progress_export, area_code)
        previous = None
        if previous_run and not month:
            from ..engine.assessment import findings

            # bad input stops before the build
            previous = findings.load_previous(
                previous_run, "serious_violence" if serious_violence else "annual")
        if month:
            from ..engine.assessment.monthly import build_monthly_pack

            result = build_monthly_pack(month, area=area_code, warehouse=warehouse,
                                        partial=partial)
            label = f"{month}-monthly"
        elif serious_violence:
            from ..engine.assessment.serious_violence import build_serious_violence

            result = build_serious_violence(year, period=period, compare=compare,
                                            area=area_code, warehouse=warehouse,
                                            partial=partial, progress=BarProgress(),
                                            national=national)
            label = (year or period).replace("/", "-").replace("..", "_to_") + \
                "-serious-violence"
        else:
            from ..engine.assessment.build import build_assessment

            result = build_assessment(year, period=period, compare=compare,
                                      custom_period=custom_period, area=area_code,
                                      warehouse=warehouse, benchmark=benchmark,
                                      partial=partial, progress=BarProgress(),
                                      national=national)
            label = (year or period).replace("/", "-").replace("..", "_to_")
        if spec is not None:
            import dataclasses

            result = dataclasses.replace(result, priorities=priorities.build(result, spec,
                                                                             export=export))
        if not month:  # key findings, and since the last assessment with --previous
            from ..engine.assessment import findings

            result = findings.attach(result, previous)
        folder = Path(out) if out else _default_out(area_code, label)
        if progress_export and not month:
            from ..engine.report.documents.progress import read_progress

            read_progress(progress_export)  # a bad workbook stops before the build's output
        paths = output.write(result, folder, pdf=not no_pdf, progress=BarProgress(),
                             progress_export=None if month else progress_export)
    what = ("monthly pack" if month else "serious violence needs assessment"
            if serious_violence else "assessment")
    click.echo(f"{result.area_name}: {what} for "
               f"{result.period.label} written to {folder} ({len(paths)} files).")
    missing = [title for title, _ in result.not_available]
    if missing:
        click.echo("Not available from this data: " + "; ".join(missing) + ".")
