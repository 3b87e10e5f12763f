"""The monthly performance pack: the month against the same month last year, the rolling 12
months against the previous 12, and exceptions worth a meeting's attention.

An *exception* is an offence group (police.uk category for open data) whose count rose with
statistical significance (Poisson E-test, not small numbers) either in the month against the
same month last year or over the rolling 12 months against the previous 12; increases of at
least ``crime_groups.MIN_DIFFERENCE`` crimes over the rolling year are listed first. The pack is a
``StrategicAssessment`` of kind "monthly" so the same writers and report render it.
"""

from __future__ import annotations

from .. import settings
from ..progress import NULL, Progress
from .area import resolve
from .build import assemble, open_warehouse
from .context import Context, open_context
from .model import Section, TableColumn, TableResult
from .sections._common import CHANGE_COLUMNS, SectionOutput, change_cells, compare
from . import narrative


def _groups(ctx: Context) -> tuple[str, str]:
    if ctx.has("offence_group"):
        return "offence_group", "Offence group"
    return "police_uk_category", "police.uk category"


def _comparison_section(ctx: Context, key: str, number: int, title: str, a: str, b: str,
                        la: str, lb: str) -> tuple[SectionOutput, list]:
    expr, label = _groups(ctx)
    rows, changes, heads = [], [], {}
    for group, cur, prev in ctx.grouped(f"coalesce({expr}, 'Not known')", a=a, b=b):
        ch = compare(cur, prev)
        rows.append((group,) + change_cells(ch))
        changes.append((group, ch))
    cur, prev = ctx.pair(a=a, b=b)
    total = compare(cur, prev)
    rows.append(("All recorded crime",) + change_cells(total))
    suffix = "month" if key == "month" else "rolling_12"
    heads[f"recorded_crime_{suffix}"] = cur
    heads[f"recorded_crime_{suffix}_previous"] = prev
    text = [narrative.change_sentence(f"Recorded crime in {la} (against {lb})", total)]
    if ctx.tables["a"]:
        acur, aprev = ctx.pair(table="a", a=a, b=b)
        ach = compare(acur, aprev)
        rows.append(("Anti-social behaviour incidents",) + change_cells(ach))
        heads[f"asb_incidents_{suffix}"] = acur
        heads[f"asb_incidents_{suffix}_previous"] = aprev
        text.append(narrative.change_sentence(f"The number of ASB incidents in {la}", ach))
    table = TableResult(key=f"{key}_comparison", title=f"{la} against {lb}",
                        columns=(TableColumn("group", label),) + CHANGE_COLUMNS,
                        rows=tuple(rows))
    section = Section(key=key, number=number, title=title, narrative=tuple(text),
                      tables=(table,))
    return SectionOutput(section, heads), changes


def build_monthly_pack(month: str, *, area: str | None = None, warehouse=None,
                       progress: Progress = NULL):
    """The monthly pack for ``month`` ("2020-03") of ``area`` (default partnership_csp)."""
    from .. import periods

    the_month = periods.month(month)
    rolling = periods.rolling_12_months(month)
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    the_area = resolve(area or partnership, wh, partnership=partnership)
    ctx = open_context(wh, the_area, rolling, periods.previous_year(rolling), the_month,
                       periods.same_period_last_year(the_month),
                       threshold=int(settings.get("suppression_threshold")))
    progress.start("Building the monthly pack", total=3)
    month_out, month_changes = _comparison_section(
        ctx, "month", 1, "The month against the same month last year", "in_cp", "in_cpp",
        ctx.custom.label, ctx.custom_comparison.label)
    progress.advance()
    roll_out, roll_changes = _comparison_section(
        ctx, "rolling", 2, "Rolling 12 months against the previous 12", "in_cur", "in_prev",
        ctx.period.label, ctx.comparison.label)
    progress.advance()
    exceptions = _exceptions(month_changes, roll_changes)
    progress.finish()
    return assemble(ctx, [month_out, roll_out, exceptions], kind="monthly")


def _exceptions(month_changes, roll_changes) -> SectionOutput:
    from .sections.crime_groups import MIN_DIFFERENCE

    def rising(ch) -> bool:
        return (ch.previous is not None and ch.significant and not ch.small_numbers
                and ch.current > ch.previous)

    month = dict(month_changes)
    rows = []
    for group, ch in roll_changes:
        m = month.get(group)
        flags = [name for name, c in (("month", m), ("rolling 12 months", ch))
                 if c is not None and rising(c)]
        if not flags:
            continue
        rows.append((group, " and ".join(flags), ch.current, ch.previous,
                     None if ch.change_pct is None else round(ch.change_pct, 1),
                     m.current if m else None, m.previous if m else None,
                     None if m is None or m.change_pct is None else round(m.change_pct, 1),
                     abs(ch.current - (ch.previous or 0)) >= MIN_DIFFERENCE))
    rows.sort(key=lambda r: (not r[8], -(r[2] - (r[3] or 0))))
    text = (["Exceptions (statistically significant rises): "
             + ", ".join(f"{r[0].lower()} ({r[1]})" for r in rows) + "."] if rows else
            ["No offence group rose by more than chance variation would explain, in the month "
             "or over the rolling year."])
    table = TableResult(
        key="exceptions", title="Exceptions: significant rises",
        columns=(TableColumn("group", "Offences"), TableColumn("where", "Significant rise in"),
                 TableColumn("rolling", "Rolling 12 months", "count"),
                 TableColumn("rolling_previous", "Previous 12 months", "count"),
                 TableColumn("rolling_change_pct", "Change (%)", "change_pct"),
                 TableColumn("month", "Month", "count"),
                 TableColumn("month_previous", "Same month last year", "count"),
                 TableColumn("month_change_pct", "Change (%)", "change_pct"),
                 TableColumn("large", "At least 20 more crimes over the year", "flag")),
        rows=tuple(rows))
    section = Section(key="exceptions", number=3, title="Exceptions worth the meeting's "
                      "attention", narrative=tuple(text), tables=(table,))
    return SectionOutput(section, {"exceptions": len(rows)})
