"""Build the Strategic Assessment: resolve periods and area, scan once, run every section.

>>> # build_assessment(year="2019/20", custom_period="2020-09-30..2020-11-30")  # needs data
"""

from __future__ import annotations

from .. import settings
from ..errors import AssessmentError, SafecityError, WarehouseError
from ..progress import NULL, Progress
from ..warehouse import Warehouse
from . import headlines as headline_rows
from . import metrics
from .area import resolve
from .context import Context, open_context, today
from .partner_context import coverage_gaps as partner_gaps
from .partner_context import open_partners
from .model import Period, StrategicAssessment
from .sections import (benchmarking, crime_groups, domestic, harm, hate, intelligence, overview,
                       place, repeat, sexual, substances, time, violence, youth)
from .sections import partners
from .sections._common import SectionOutput, unavailable

SECTIONS = (overview, crime_groups, harm, repeat, domestic, sexual, violence, hate, substances,
            place, time, benchmarking, youth)
#: Sections present only when their source is loaded for the period (context table key).
OPTIONAL_SECTIONS = ((intelligence, "intelligence"),)
#: Partner data (fire, health, ambulance, children's services, treatment): each appears only
#: when its data is loaded for the area.
PARTNER_SECTIONS = partners.SECTIONS


def resolve_periods(year: str | None, period: str | None, compare: str | None,
                    custom_period: str | None
                    ) -> tuple[Period, Period, Period | None, Period | None]:
    from .. import periods

    if bool(year) == bool(period):
        raise AssessmentError("Give either a financial year (--year 2019/20) or a period "
                              "(--period 2018-10..2019-02), not both or neither.")
    main = periods.financial_year(year) if year else periods.parse_custom_period(period)
    comparison = (periods.financial_year(compare) if compare and year else
                  periods.parse_custom_period(compare) if compare else
                  periods.previous_year(main))
    custom = custom_cmp = None
    if custom_period:
        custom = periods.parse_custom_period(custom_period)
        custom_cmp = periods.same_period_last_year(custom)
    return main, comparison, custom, custom_cmp


def open_warehouse(path=None) -> Warehouse:
    wh = Warehouse(path)
    if not wh.exists():
        raise WarehouseError(f"There is no warehouse at {wh.root}.",
                             fix="Load data first (safecity ingest … or safecity demo), or "
                                 "point --warehouse at an existing one.")
    return wh


# Built last, though shown in its place: its Gi* map waits for esda, which `safecity assess`
# imports in a helper process meanwhile (engine/helper.py). Sections share nothing but the
# context, so the order they are built in changes no figure.
BUILT_LAST = (place,)


def run_sections(ctx: Context, modules, progress: Progress = NULL) -> list[SectionOutput]:
    outputs: dict[int, SectionOutput] = {}
    progress.start("Building sections", total=len(modules))
    order = sorted(range(len(modules)), key=lambda i: modules[i] in BUILT_LAST)
    for i in order:
        module = modules[i]
        try:
            outputs[i] = module.build(ctx)
        except SafecityError as err:  # bad configuration or input: the section says why
            key = module.__name__.rsplit(".", 1)[-1]
            outputs[i] = unavailable(key, err.message)
        progress.advance()
    progress.finish()
    # A section that returns None does not apply to this data (a partner not loaded).
    return [outputs[i] for i in range(len(modules)) if outputs[i] is not None]


def build_assessment(year: str | None = None, *, period: str | None = None,
                     compare: str | None = None, custom_period: str | None = None,
                     area: str | None = None, warehouse=None, benchmark: str | None = None,
                     partial: bool = False, progress: Progress = NULL,
                     national=()) -> StrategicAssessment:
    """The Strategic Assessment of ``area`` (default setting partnership_csp) for a financial
    year (``year="2019/20"``) or any period (``period="2018-10..2019-02"``).

    Raises ``coverage.CoverageError`` when crimes are not loaded for every month of a period
    and its comparison, unless ``partial``: then each pair is compared over the months loaded
    on both sides and its labels say so (engine/coverage.py)."""
    main, comparison, custom, custom_cmp = resolve_periods(year, period, compare, custom_period)
    from .. import national as national_tables

    tables = national_tables.load(national)  # a bad table stops before anything is built
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    con = wh.connect()  # one connection for the area and the scan
    the_area = resolve(area or partnership, wh, partnership=partnership, con=con)
    threshold = int(settings.get("suppression_threshold"))
    ctx = open_context(wh, the_area, main, comparison, custom, custom_cmp, threshold=threshold,
                       con=con)
    open_partners(ctx)
    if not partial:
        require_coverage(ctx)
    if benchmark:
        ctx.cache["benchmark_path"] = benchmark
    modules = SECTIONS + tuple(m for m, key in OPTIONAL_SECTIONS if ctx.tables.get(key))
    outputs = run_sections(ctx, modules + PARTNER_SECTIONS, progress)
    if tables:  # national and comparator context (engine/national.py)
        national_tables.annotate(outputs, tables, main.label)
    return assemble(ctx, outputs)


def require_coverage(ctx: Context) -> None:
    """Stop (one CoverageError naming every source and month) when a period or its comparison
    misses months of crimes, or of a source another figure is counted from (ASB, hate
    reports, youth justice, referrals: engine/coverage.py SOURCE_COVERAGE). A month purged
    under its source's retention is said to be purged."""
    from ..coverage import SOURCE_COVERAGE, gaps, refuse
    from ..governance.purge import purged_months

    purged = purged_months(ctx.warehouse)
    flags = (("in_cur", "in_prev"), ("in_cp", "in_cpp"))
    clauses = []
    if ctx.crime_source is not None:
        clauses.append(gaps([(ctx.cover.get(a), ctx.cover.get(b)) for a, b in flags
                             if ctx.cover.get(a)], "crimes",
                            ctx.cache.get("loaded_months", set()),
                            purged.get(ctx.crime_source, ()), ctx.crime_source))
    kinds = ctx.cache.get("source_kind", {})
    for key, (_, _, what) in SOURCE_COVERAGE.items():
        cover = ctx.source_cover.get(key) or {}
        kind = kinds.get(key) or key
        clauses.append(gaps([(cover.get(a), cover.get(b)) for a, b in flags if cover.get(a)],
                            what, ctx.cache.get("source_loaded", {}).get(key, set()),
                            purged.get(kind, ()), kind))
    clauses += partner_gaps(ctx, purged)  # each partner source over its own months
    refuse(clauses)


def assemble(ctx: Context, outputs: list[SectionOutput], kind: str = "annual",
             not_available: tuple[tuple[str, str], ...] = ()) -> StrategicAssessment:
    """The assessment from its sections; ``not_available`` adds (title, reason) of parts
    with no section of their own (e.g. a monthly pack's priority the data cannot count)."""
    import dataclasses

    rows = headline_rows.assemble([o.headlines for o in outputs])
    sections = tuple(dataclasses.replace(o.section, definitions=tuple(
        d.key for d in metrics.used([k for k, v in o.headlines.items() if v is not None])))
        for o in outputs)
    figure_keys = [f.metric for s in sections for f in s.figures]
    return StrategicAssessment(
        area_code=ctx.area.code, area_name=ctx.area.name, period=ctx.period,
        comparison=ctx.comparison, custom_period=ctx.custom,
        custom_comparison=ctx.custom_comparison, generated_at=today(),
        population=ctx.population, data_coverage=tuple(ctx.coverage), sections=sections,
        headlines=rows, definitions=metrics.used([k for k, _ in rows] + figure_keys),
        settings={"suppression_threshold": ctx.threshold,
                  "non_recent_months": settings.get("non_recent_months"),
                  "comparator_csps": list(settings.get("comparator_csps")),
                  "crime_source": ctx.crime_source,
                  "weights_edition": _weights_edition(ctx)},
        kind=kind,
        not_available=tuple((s.title, s.unavailable_reason) for s in sections
                            if not s.available) + tuple(not_available))


def _weights_edition(ctx: Context) -> str | None:
    if not ctx.has("offence_code"):
        return None
    try:
        from .. import classification

        return getattr(classification.load(), "weights_edition", None)
    except (ImportError, SafecityError):
        return None
