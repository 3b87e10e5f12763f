"""The monthly performance pack: the month against the same month last year, the rolling 12
months against the previous 12, exceptions worth a meeting's attention, the area by policing
sector and ward (``pack_places``), a section per priority with its 24-month series and control
limits (``pack_priorities``), third-party hate reports, partner data when loaded
(``pack_partners``), and hotspots that show what is new (``pack_hotspots``).

Exceptions come from ``stats.trends`` for each offence group (police.uk category for open
data), each priority and each sector and ward's recorded crime: the month against the same
month last year (E-test), against the control limits of the previous 12 months, and a
sustained rise over the last 12 months found by the Poisson CUSUM (``cusum_exception``); plus
any significant rise of at least ``crime_groups.MIN_DIFFERENCE`` crimes over the rolling year.
Each comes with the reason in words. The pack is a ``StrategicAssessment`` of kind "monthly",
so the same writers and report render it (charts with their table twins).
"""

from __future__ import annotations

from .. import figures, settings
from ..contract import HATE_STRANDS
from ..progress import NULL, Progress
from .area import resolve
from .build import assemble, open_warehouse
from .context import Context, open_context
from .model import Section, TableColumn, TableResult
from .sections._common import (CHANGE_COLUMNS, SectionOutput, change_cells, compare,
                               protected_change)
from . import narrative


def _groups(ctx: Context) -> tuple[str, str]:
    if ctx.has("offence_group"):
        return "offence_group", "Offence group"
    return "police_uk_category", "police.uk category"


def _comparison_section(ctx: Context, key: str, number: int, title: str, a: str, b: str,
                        la: str, lb: str) -> tuple[SectionOutput, list]:
    """One comparison table; its counts are protected once (a small sexual offences count and
    what would give it back through the total) and every cell, change and sentence is read
    from the protected set. Returns the section and [(group, change or None if withheld)]."""
    from . import disclosure
    from .sections.crime_groups import SENSITIVE_GROUPS

    expr, label = _groups(ctx)
    rows, changes, heads = [], [], {}
    grouped = ctx.grouped(f"coalesce({expr}, 'Not known')", a=a, b=b, fields=(expr,))
    cur, prev = figures.count(ctx, "recorded_crime", a, b)
    led = disclosure.Ledger(ctx.threshold)
    for flag, col, n in ((a, 1, cur), (b, 2, prev)):
        keys = [led.count(f"{group}|{flag}", row[col],
                          sensitive=str(group).lower() in SENSITIVE_GROUPS)
                for row in grouped for group in (row[0],)]
        led.total(led.count(f"all|{flag}", n, public=True), keys)
    pr = led.protect()
    for group, _, _ in grouped:
        ch, cells = protected_change(pr, f"{group}|{a}", f"{group}|{b}")
        rows.append((group,) + cells)
        changes.append((group, ch))
    total, total_cells = protected_change(pr, f"all|{a}", f"all|{b}")
    rows.append(("All recorded crime",) + total_cells)
    suffix = "month" if key == "month" else "rolling_12"
    heads[f"recorded_crime_{suffix}"] = cur
    heads[f"recorded_crime_{suffix}_previous"] = prev
    text = [narrative.change_sentence(f"Recorded crime in {la} (against {lb})", total)]
    if ctx.counted("a"):
        acur, aprev = figures.count(ctx, "asb_incidents", a, b)
        ach = compare(acur, aprev)
        own = ctx.own_coverage("a", a, b)  # ASB's own months when only ASB is partial
        rows.append(("Anti-social behaviour incidents" + own,) + change_cells(ach))
        heads[f"asb_incidents_{suffix}"] = acur
        heads[f"asb_incidents_{suffix}_previous"] = aprev
        text.append(narrative.change_sentence(f"The number of ASB incidents in {la}" + own, ach))
    table = TableResult(key=f"{key}_comparison", title=f"{la} against {lb}",
                        columns=(TableColumn("group", label),) + CHANGE_COLUMNS,
                        rows=tuple(rows))
    section = Section(key=key, number=number, title=title, narrative=tuple(text),
                      tables=(table,))
    return SectionOutput(section, heads), changes


def build_monthly_pack(month: str, *, area: str | None = None, warehouse=None,
                       partial: bool = False, progress: Progress = NULL):
    """The monthly pack for ``month`` ("2020-03") of ``area`` (default partnership_csp).

    A month with no crimes loaded is refused (``coverage.CoverageError``); so is a month or
    rolling year whose comparison is not wholly loaded, unless ``partial``."""
    from .. import periods
    from ..coverage import CoverageError, span
    from .build import require_coverage

    the_month = periods.month(month)
    rolling = periods.rolling_12_months(month)
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    con = wh.connect()  # one connection for the area and the scan
    the_area = resolve(area or partnership, wh, partnership=partnership, con=con)
    ctx = open_context(wh, the_area, rolling, periods.previous_year(rolling), the_month,
                       periods.same_period_last_year(the_month),
                       threshold=int(settings.get("suppression_threshold")), con=con)
    loaded = ctx.cache.get("loaded_months", set())
    if month not in loaded:
        latest = ctx.scalar("SELECT max(strftime(recorded_date, '%Y-%m')) FROM crimes")
        raise CoverageError(
            f"No crimes are loaded for {the_month.label}, so there is no monthly pack for it: "
            + (f"the latest month loaded is {span([latest])}; choose a loaded month (for "
               f"example --month {latest}) or load {the_month.label} first." if latest else
               "no crimes are loaded at all; load them first (safecity ingest …)."))
    if not partial:
        require_coverage(ctx)
    # Partner data after the coverage check: a partner's missing month (returns come up to a
    # quarter late) is said in its table (pack_partners), it does not stop the pack.
    from .partner_context import open_partners

    open_partners(ctx)
    from . import pack_hotspots, pack_partners, pack_places, pack_priorities

    progress.start("Building the monthly pack", total=5)
    month_out, month_changes = _comparison_section(
        ctx, "month", 1, "The month against the same month last year", "in_cp", "in_cpp",
        ctx.custom.label, ctx.custom_comparison.label)
    progress.advance()
    roll_out, roll_changes = _comparison_section(
        ctx, "rolling", 2, "Rolling 12 months against the previous 12", "in_cur", "in_prev",
        ctx.period.label, ctx.comparison.label)
    progress.advance()
    place_outs, place_series = pack_places.build(ctx, 4)
    number = 4 + len(place_outs)
    priority_outs, measured, missing = pack_priorities.build(ctx, number)
    number += len(priority_outs)
    progress.advance()
    extra: dict[str, dict[str, int]] = {}
    for m in measured:
        if not m.any_withheld():  # a reason sentence would print a withheld count
            extra[m.label] = m.series()
    extra.update(place_series)
    exceptions = _exceptions(ctx, month, roll_changes, month_changes, extra)
    progress.advance()
    hate = _third_party_hate(ctx, number)
    number += 1 if hate else 0
    partner = pack_partners.build(ctx, number)
    number += 1 if partner else 0
    hotspots = pack_hotspots.build(ctx, number)
    progress.finish()
    outputs = ([month_out, roll_out, exceptions] + place_outs + priority_outs
               + ([hate] if hate else []) + ([partner] if partner else []) + [hotspots])
    problems = _action_group_problems(ctx, len(outputs) + 1)
    outputs += [problems] if problems else []
    return assemble(ctx, outputs, kind="monthly", not_available=tuple(missing))


def _third_party_hate(ctx: Context, number: int) -> SectionOutput | None:
    """Hate reports from third-party centres and online: the month and the rolling 12 months,
    by centre and strand (the assessment's table, ``sections.hate.third_party_table``),
    protected once over both periods; None when neither period has any, so a pack of open
    data alone has no empty section."""
    from . import disclosure
    from .sections.hate import register_third_party, third_party_counts, third_party_table

    found = {flag: third_party_counts(ctx, flag) for flag in ("in_cp", "in_cur")}
    found = {flag: rows for flag, rows in found.items() if rows is not None}
    if not found:
        return None
    led = disclosure.ledger(ctx)
    for flag, rows in found.items():
        register_third_party(led, rows, flag)
    if len(found) == 2:  # the month is one of the rolling year's months
        rolling = {r[0]: i for i, r in enumerate(found["in_cur"])}
        for c in ("reports",) + HATE_STRANDS:
            led.relate({f"tp:in_cp:*:{c}": 1, f"tp:in_cur:*:{c}": -1}, "<=")
            for i, r in enumerate(found["in_cp"]):
                if r[0] in rolling:
                    led.relate({f"tp:in_cp:{i}:{c}": 1, f"tp:in_cur:{rolling[r[0]]}:{c}": -1},
                               "<=")
    pr = led.protect()
    tables, heads = [], {}
    for flag, key in (("in_cp", "month"), ("in_cur", "rolling_12")):
        if flag in found:
            # labelled with the hate reports' own months (engine/coverage.py)
            tables.append(third_party_table(pr, found[flag], flag, ctx.label_of(flag, "h")))
            heads[f"hate_third_party_reports_{key}"] = pr[f"tp:{flag}:*:reports"]
    return SectionOutput(Section(key="third_party_hate", number=number, title="Third-party hate "
                                 "reports", tables=tuple(tables)), heads)


def _action_group_problems(ctx: Context, number: int) -> SectionOutput | None:
    """Each sector's open Partnership Action Group problems, with their address in the web
    app (``problem_solving.open_problems``); None when the app has sent none."""
    from ..problem_solving import open_problems

    found = open_problems(ctx.con, ctx.warehouse)
    if not found:
        return None
    rows = tuple((p.sector, p.problem_ref, p.problem_type, p.opened.strftime("%-d %b %Y"),
                  p.actions_open, p.actions_overdue, "yes" if p.escalated else "no",
                  p.link or "") for p in found)
    table = TableResult(
        key="action_group_problems", title="Open Partnership Action Group problems",
        columns=(TableColumn("sector", "Sector"), TableColumn("problem", "Problem"),
                 TableColumn("type", "Type"), TableColumn("opened", "Opened"),
                 TableColumn("actions_open", "Actions open", "count"),
                 TableColumn("actions_overdue", "Overdue", "count"),
                 TableColumn("escalated", "Escalated to the partnership"),
                 TableColumn("link", "In the web app")),
        rows=rows, notes=("As last sent from the web app (safecity web manage "
                          "export_action_groups); each problem's plan, actions and reviews are "
                          "on its page there.",))
    sectors = sorted({p.sector for p in found})
    return SectionOutput(Section(
        key="action_group_problems", number=number, title="Partnership Action Groups",
        narrative=(f"{len(found)} problem{'s are' if len(found) != 1 else ' is'} open in "
                   f"{len(sectors)} sector{'s' if len(sectors) != 1 else ''} "
                   f"({', '.join(sectors)}).",), tables=(table,)), {})


def _series(ctx: Context) -> dict[str, dict[str, int]]:
    """{group: {month: count}} over every loaded month (a group absent in a loaded month is 0;
    a month with no data at all is missing, not zero)."""
    expr, _ = _groups(ctx)
    # months whose records were purged are counted from their monthly counts (aggregates.py)
    table, count = ctx.counts("c", (expr,))
    loaded = [m for (m,) in ctx.rows(f"SELECT DISTINCT month FROM {table} ORDER BY 1")]
    out: dict[str, dict[str, int]] = {}
    for group, month, n in ctx.rows(f"SELECT coalesce({expr}, 'Not known'), month, {count} "
                                    f"FROM {table} GROUP BY 1, 2 ORDER BY 1, 2"):
        out.setdefault(group, {m: 0 for m in loaded})[month] = int(n)
    out["All recorded crime"] = {m: int(n) for m, n in ctx.rows(
        f"SELECT month, {count} FROM {table} GROUP BY 1 ORDER BY 1")}
    return out


CUSUM_CHECK = "a sustained rise (CUSUM) over 24 months"
ALL_CHECKS = ("the same month last year", "the previous 12 months", "the previous rolling year",
              CUSUM_CHECK)


def _exceptions(ctx: Context, month: str, roll_changes, month_changes,
                extra: dict[str, dict[str, int]]) -> SectionOutput:
    """Flags from ``stats.trends.exceptions`` (the month against the same month last year, and
    against the previous 12 months' control limits) and ``cusum_exception`` (a sustained rise)
    for each offence group and each series of ``extra`` (priorities, sectors, wards), plus
    significant rises of offence groups over the rolling year."""
    from ..stats.trends import cusum_exception, exceptions
    from .sections.crime_groups import MIN_DIFFERENCE

    from .. import periods

    rows = []
    # a group whose counts the comparison tables withhold is not named with its counts here
    withheld = {g for g, ch in month_changes + roll_changes if ch is None}
    groups = _series(ctx)
    series = {**groups, **{k: v for k, v in extra.items() if k not in groups}}
    before = [periods.shift_month(month, -i) for i in range(1, 13)]
    loaded = set(series.get("All recorded crime", {}))
    checks = []  # the comparisons that could be made at all
    if periods.shift_month(month, -12) in loaded:
        checks.append("the same month last year")
    if all(m in loaded for m in before):
        checks.append("the previous 12 months")
    if ctx.has_comparison:
        checks.append("the previous rolling year")
    # A flagged month behind a statement is named beside it (engine/coverage.py).
    month_caveat = ctx.flag_caveat([month, periods.shift_month(month, -12)] + before)
    flags = list(exceptions(series, month))
    if all(periods.shift_month(month, -i) in loaded for i in range(24)):
        checks.append(CUSUM_CHECK)
    flags += [f for f in (cusum_exception(k, v, month) for k, v in series.items()) if f]
    cusum_caveat = ctx.flag_caveat([periods.shift_month(month, -i) for i in range(24)])
    for flag in flags:
        if flag.measure in withheld:
            continue  # its count and reason sentence would print a withheld count
        check = "sustained rise (CUSUM)" if flag.kind == "cusum" else flag.kind.replace("_", " ")
        rows.append((flag.measure, check, flag.direction, flag.current,
                     round(flag.reference, 1),
                     flag.reason + (cusum_caveat if flag.kind == "cusum" else month_caveat)))
    roll_caveat = ctx.flag_caveat(ctx.months.get("in_cur", ()) + ctx.months.get("in_prev", ()))
    for group, ch in roll_changes:
        if (ch is not None and ch.previous is not None and ch.significant and not ch.small_numbers
                and ch.current - ch.previous >= MIN_DIFFERENCE):
            rows.append((group, "rolling 12 months", "higher", ch.current, ch.previous,
                         narrative.change_sentence(f"{group} over the rolling 12 months", ch)
                         + roll_caveat))
    if rows:
        text = ([f"{len(rows)} exceptions are worth the meeting's attention:"]
                + [r[5] for r in rows])
    elif not checks:
        text = ["Nothing could be compared: neither the same month last year, nor the previous "
                "12 months, nor the previous rolling year is loaded, so no exception can be "
                "judged."]
    else:
        compared = [c for c in checks if c != CUSUM_CHECK]
        text = ["Nothing is out of the ordinary: no offence group, priority, sector or ward "
                "differs from " + " or from ".join(compared) + " by more than chance variation "
                "would explain"
                + (", and none shows a sustained rise (CUSUM)" if CUSUM_CHECK in checks else "")
                + (" (not checked against "
                   + " or ".join(c for c in ALL_CHECKS if c not in checks) + ": not loaded)"
                   if len(checks) < len(ALL_CHECKS) else "") + "."]
    table = TableResult(
        key="exceptions", title="Exceptions worth the meeting's attention",
        columns=(TableColumn("group", "Offences, priority or place"),
                 TableColumn("check", "Compared with"),
                 TableColumn("direction", "Higher or lower"),
                 TableColumn("current", "Count", "count"),
                 TableColumn("reference", "Expected or last year", "rate"),
                 TableColumn("reason", "Why it is flagged")),
        rows=tuple(rows),
        notes=("Month against the same month last year: Poisson E-test. Month against the "
               "previous 12 months: c-chart control limits around their mean. Sustained rise: "
               "upper Poisson CUSUM over the last 12 months against the mean of the 12 before, "
               "tuned to a rise of one standard deviation, decision limit four standard "
               "deviations. Rolling year: "
               f"significant rises of at least {MIN_DIFFERENCE} crimes. Offence groups, "
               "priorities and each sector's and ward's recorded crime are checked.",))
    section = Section(key="exceptions", number=3, title="Exceptions worth the meeting's "
                      "attention", narrative=tuple(text), tables=(table,))
    return SectionOutput(section, {"exceptions": len(rows)})
