"""Section 11, time: monthly series against the comparison year, and an hour × weekday profile.

Aoristic weighting (Ratcliffe 2002, ``stats.aoristic.hour_of_week_profile``): a crime known to
the hour counts 1 in the hour of ``committed_from``; when committed-from/to span more than an
hour its weight of 1 is spread evenly over the hours touched. A span longer than the setting
``aoristic_max_span_hours`` (default 168, a week) says too little about the time to place it:
such crimes are left out of the profile and counted in its note.
"""

from __future__ import annotations

from ... import periods
from ..context import Context
from ..model import ChartSpec, Series, TableColumn, TableResult
from ._common import SectionOutput, compare, section, unavailable

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

def build(ctx: Context) -> SectionOutput:
    if not ctx.counted("c"):
        return unavailable("time", f"No crimes are loaded for {ctx.period.label}.")
    text, tables, charts, partial = [], [], [], []
    heads: dict = {}
    # monthly totals are kept for months whose records were purged (figures.AGGREGATE_FIELDS)
    table, n = ctx.counts("c")
    cur = dict(ctx.rows(f"SELECT month, {n} FROM {table} WHERE in_cur GROUP BY 1"))
    prev = dict(ctx.rows(f"SELECT month, {n} FROM {table} WHERE in_prev GROUP BY 1"))
    months = periods.months_in(ctx.period)
    prev_months = periods.months_in(ctx.comparison)
    rows = []
    for i, m in enumerate(months):
        pm = prev_months[i] if i < len(prev_months) else None
        rows.append((m, cur.get(m), pm, prev.get(pm) if pm else None))
    tables.append(TableResult(
        key="monthly_series", title="Recorded crime by month",
        columns=(TableColumn("month", "Month"), TableColumn("crimes", "Crimes", "count"),
                 TableColumn("comparison_month", "Same month, comparison period"),
                 TableColumn("comparison_crimes", "Crimes", "count")),
        rows=tuple(rows), notes=("A blank means no data is loaded for that month.",)))
    charts.append(ChartSpec(
        key="monthly_series_chart", title="Recorded crime by month",
        finding=_finding(rows), kind="line", table_key="monthly_series",
        categories=tuple(m for m in months),
        series=(Series(ctx.period.label, tuple(r[1] for r in rows)),
                Series(ctx.comparison.label, tuple(r[3] for r in rows))),
        x_label="Month", y_label="Crimes"))
    long_run = _long_run(ctx)
    if long_run is not None:
        if long_run[0] is not None:
            tables.append(long_run[0])
        text.append(long_run[1])
    if cur:
        peak = max(cur.items(), key=lambda kv: kv[1])
        heads["peak_month"] = peak[0]
        text.append(f"The busiest month was {peak[0]} with {peak[1]:,} crimes"
                    f"{ctx.flag_caveat([peak[0]])}.")
    if ctx.has("committed_from"):
        from ...stats.aoristic import hour_of_week_profile

        times = ctx.con.execute("SELECT committed_from, committed_to FROM c WHERE in_cur"
                                ).fetchnumpy()
        profile = hour_of_week_profile(times["committed_from"], times["committed_to"])
        max_span = profile.max_span_hours
        excluded = profile.excluded_long + profile.excluded_invalid + profile.missing
        grid = {(d + 1, h): w for d, row in enumerate(profile.weights) for h, w in enumerate(row)}
        hrows = tuple((f"{h:02d}:00",) + tuple(round(grid.get((d, h), 0.0), 1)
                                               for d in range(1, 8)) for h in range(24))
        tables.append(TableResult(
            key="hour_by_weekday", title="Crimes by hour of day and day of week (aoristic)",
            columns=(TableColumn("hour", "Hour"),)
            + tuple(TableColumn(d.lower(), d, "rate") for d in WEEKDAYS), rows=hrows,
            notes=("Crimes whose time of commission spans more than an hour are spread evenly "
                   "over the hours of the span (aoristic weighting).",
                   f"{excluded:,} crimes with no time, or a window longer than {max_span} hours, "
                   "are left out.")))
        charts.append(ChartSpec(
            key="hour_by_weekday_chart", title="When crime happens: hour by day of week",
            finding=_peak_finding(grid), kind="heatmap", table_key="hour_by_weekday",
            categories=tuple(f"{h:02d}:00" for h in range(24)),
            series=tuple(Series(d, tuple(round(grid.get((i + 1, h), 0.0), 1)
                                         for h in range(24))) for i, d in enumerate(WEEKDAYS)),
            x_label="Hour", y_label="Day"))
        text.append(_peak_finding(grid))
    else:
        partial.append("Hour × weekday: " + (
            f"the records of {ctx.period.label} were purged under retention" if not
            ctx.tables["c"] else "data.police.uk gives only the month of each crime"
            if ctx.is_open_data else "the crimes have no committed-from time") + ".")
    return SectionOutput(section("time", narrative=tuple(text), tables=tuple(tables),
                                 charts=tuple(charts), partial=tuple(partial)), heads)


#: Years in the long-run series (the period and the four before it).
LONG_RUN_YEARS = 5


def _long_run(ctx: Context):
    """(table, sentence) of recorded crime and ASB in the period and the same dates in the
    years before it, each year against the one before (E-test); the period's own counts are
    the overview's; months whose records were purged are counted from the monthly counts the
    purge kept (figures.yearly_series). None with fewer than two years; (None, why) when the
    earlier years cannot be counted over the same dates."""
    from ... import coverage
    from ...figures import FigureUnavailable, yearly_series
    from ._common import assessment_words

    try:
        crimes = yearly_series(ctx, "c", LONG_RUN_YEARS)
        asb = {y.period: y for y in yearly_series(ctx, "a", LONG_RUN_YEARS)}
    except FigureUnavailable as why:
        return None, f"There is no long-run table by year: {why}."
    if len(crimes) < 2:
        return None
    rows, prev_c, prev_a = [], None, None
    for year in crimes:
        a = asb.get(year.period)
        ch = compare(year.count, prev_c) if year.count is not None and prev_c is not None \
            else None
        ach = (compare(a.count, prev_a) if a is not None and a.count is not None
               and prev_a is not None else None)
        note = []
        months = len(periods.months_in(year.period))
        if year.count is None:
            note.append(f"{year.months} of {months} month{'s' if months != 1 else ''} loaded: "
                        "not counted" if year.months < months else
                        f"counted for {ctx.label_of('in_cur')} only: not counted whole")
        if year.from_counts or (a is not None and a.from_counts):
            gone = sorted(set(year.from_counts) | set(a.from_counts if a else ()))
            note.append(f"{coverage.span(gone)} {coverage.AGGREGATE_LABEL}")
        rows.append((year.period.label, year.count,
                     None if ch is None or ch.change_pct is None else round(ch.change_pct, 1),
                     assessment_words(ch) if ch is not None else None,
                     a.count if a is not None else None,
                     None if ach is None or ach.change_pct is None else round(ach.change_pct, 1),
                     "; ".join(note) or None))
        prev_c = year.count
        prev_a = a.count if a is not None else None
    table = TableResult(
        key="long_run", title=f"Recorded crime and ASB by year, {rows[0][0]} to {rows[-1][0]}",
        columns=(TableColumn("year", "Year"), TableColumn("crimes", "Recorded crime", "count"),
                 TableColumn("crimes_change_pct", "Change on the year before (%)", "change_pct"),
                 TableColumn("crimes_assessment", "Assessment", "text"),
                 TableColumn("asb", "ASB incidents", "count"),
                 TableColumn("asb_change_pct", "ASB change (%)", "change_pct"),
                 TableColumn("note", "Note", "text")),
        rows=tuple(rows),
        notes=("Each year is the period's dates a year earlier, compared with the year before "
               "(Poisson E-test); the period's own count is the overview's. A year not wholly "
               "loaded is not counted. Months whose records were purged under retention are "
               "counted from the monthly counts the purge kept.",))
    counted = [r for r in rows if r[1] is not None]
    if len(counted) >= 2:
        first, last = counted[0], counted[-1]
        sentence = (f"Over the long run, recorded crime went from {first[1]:,} in {first[0]} to "
                    f"{last[1]:,} in {last[0]}.")
    else:
        sentence = "Fewer than two whole years are loaded, so there is no long-run comparison."
    return table, sentence


def _finding(rows) -> str:
    have = [(r[0], r[1]) for r in rows if r[1] is not None]
    if not have:
        return "No crimes are loaded for the months of the period."
    hi = max(have, key=lambda x: x[1])
    lo = min(have, key=lambda x: x[1])
    return f"Monthly crime ranged from {lo[1]:,} ({lo[0]}) to {hi[1]:,} ({hi[0]})."


def _peak_finding(grid: dict) -> str:
    if not grid:
        return "No crime has a known time of commission."
    (d, h), w = max(grid.items(), key=lambda kv: kv[1])
    return f"The busiest hour of the week was {WEEKDAYS[d - 1]} {h:02d}:00 to {h:02d}:59."
