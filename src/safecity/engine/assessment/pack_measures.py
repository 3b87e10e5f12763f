"""The monthly pack's measures of one figure: the month against the same month last year, the
rolling 12 months against the previous 12, and the 24-month series with control limits.

Every count comes from ``figures`` (``figures.series`` over the pack's context, whose periods
are: ``in_cur`` the rolling 12 months to the pack's month, ``in_prev`` the 12 before, ``in_cp``
the month, ``in_cpp`` the same month last year). The counts of a sensitive figure (domestic
abuse, hate crime) go through one disclosure ``Ledger`` with every relation the pack publishes
between them (the month is one of the 24, each rolling year is the sum of its months, places add
up to the area), so no withheld count can be worked back from the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import figures, periods
from ..stats.trends import c_chart_limits
from . import disclosure
from .context import Context
from .model import ChartSpec, Series, Suppressed, TableColumn, TableResult, Value
from .sections._common import CHANGE_COLUMNS, protected_change

SERIES_COLUMNS = (
    TableColumn("month", "Month"),
    TableColumn("count", "Count", "count"),
    TableColumn("centre", "Centre line (previous year's mean)", "rate"),
    TableColumn("lower", "Lower control limit", "rate"),
    TableColumn("upper", "Upper control limit", "rate"),
    TableColumn("signal", "Outside the limits"),
)


@dataclass
class Measured:
    """One figure's protected counts in the pack: ``pr`` holds the keys ``{key}|m|YYYY-MM``,
    ``{key}|month|cur/prev``, ``{key}|roll|cur/prev`` and any ``{key}|{place}|…|…``."""

    key: str
    label: str
    months: list[str]  # the series' months, oldest first
    flags: dict[str, tuple[bool, bool]]  # month -> (in the rolling year, in the year before)
    pr: disclosure.Protected
    raw_series: dict[str, int]
    places: dict[str, list[str]] = field(default_factory=dict)  # by -> places in order

    def series(self) -> dict[str, int]:
        """The published series (months withheld left out)."""
        return {m: v for m in self.months
                if isinstance(v := self.pr[f"{self.key}|m|{m}"], int)}

    def any_withheld(self) -> bool:
        return any(isinstance(v, Suppressed) for v in self.pr.values.values())


def measure(ctx: Context, key: str, figure: str, label: str, *, sensitive: bool,
            places: tuple[str, ...] = (), extra=None) -> Measured:
    """Count figure ``figure`` for the pack and protect it (raises ``FigureUnavailable``).
    ``extra(led)`` may add counts and relations of the same figure to the ledger first."""
    table, _, _ = figures.selection(ctx, figure)
    raw = figures.series(ctx, figure)["all"]
    flags = {m: (bool(c), bool(p)) for m, c, p in ctx.rows(
        f"SELECT month, bool_or(in_cur), bool_or(in_prev) FROM {table} "
        "WHERE in_cur OR in_prev GROUP BY 1")}
    months = sorted(raw)
    led = disclosure.Ledger(ctx.threshold)
    for m in months:
        led.count(f"{key}|m|{m}", raw[m], sensitive=sensitive)
    month, last_year = _month_keys(ctx)
    cur, prev = figures.count(ctx, figure, "in_cp", "in_cpp")
    led.count(f"{key}|month|cur", cur, sensitive=sensitive)
    led.count(f"{key}|month|prev", prev, sensitive=sensitive)
    if month in raw:
        led.same(f"{key}|month|cur", f"{key}|m|{month}")
    if last_year in raw and prev is not None:
        led.same(f"{key}|month|prev", f"{key}|m|{last_year}")
    rcur, rprev = figures.count(ctx, figure, "in_cur", "in_prev")
    led.count(f"{key}|roll|cur", rcur, sensitive=sensitive)
    led.count(f"{key}|roll|prev", rprev, sensitive=sensitive)
    led.total(f"{key}|roll|cur", [f"{key}|m|{m}" for m in months if flags.get(m, (0, 0))[0]])
    if rprev is not None:
        led.total(f"{key}|roll|prev", [f"{key}|m|{m}" for m in months
                                       if flags.get(m, (0, 0))[1]])
    by_place: dict[str, list[str]] = {}
    for by in places:
        split = _place_counts(ctx, figure, by)
        by_place[by] = list(split)
        for col, flag_pair in (("month", ("in_cp", "in_cpp")), ("roll", ("in_cur", "in_prev"))):
            for side, flag in zip(("cur", "prev"), flag_pair):
                total = f"{key}|{col}|{side}"
                if total not in led.values:
                    continue
                parts = [led.count(f"{key}|{by}|{place}|{col}|{side}", counts[flag],
                                   sensitive=sensitive) for place, counts in split.items()]
                led.total(total, parts)
    if extra is not None:
        extra(led)
    return Measured(key, label, months, flags, led.protect(), raw, by_place)


def _month_keys(ctx: Context) -> tuple[str, str]:
    month = f"{ctx.custom.start:%Y-%m}"
    return month, periods.shift_month(month, -12)


def _place_counts(ctx: Context, figure: str, by: str) -> dict[str, dict[str, int]]:
    """{place: {period flag: count}} of the figure by ``by`` (figures.PLACES), every place of
    the area's geography listed (rows with no LSOA as 'Not known (no LSOA)' when there are any)."""
    table, where, n = figures.selection(ctx, figure)
    out = {p: {f: 0 for f in ("in_cur", "in_prev", "in_cp", "in_cpp")} for (p,) in ctx.rows(
        f"SELECT DISTINCT {by} FROM geo WHERE {by} IS NOT NULL ORDER BY 1")}
    for p, *counts in ctx.rows(
            f"SELECT coalesce(g.{by}, ?), {n} FILTER (WHERE in_cur), "
            f"{n} FILTER (WHERE in_prev), {n} FILTER (WHERE in_cp), "
            f"{n} FILTER (WHERE in_cpp) FROM (SELECT * FROM {table} WHERE {where}) t "
            "LEFT JOIN geo g ON g.lsoa11_code = t.lsoa11_code GROUP BY 1 ORDER BY 1",
            [figures.NOT_KNOWN_PLACE]):
        out[p] = dict(zip(("in_cur", "in_prev", "in_cp", "in_cpp"), (int(n) for n in counts)))
    return out


def comparison_table(ctx: Context, m: Measured, key: str) -> tuple[TableResult, list]:
    """The month and the rolling year of one figure against their comparisons; returns the
    table and [(label, change or None when withheld)]."""
    rows, changes = [], []
    for col, la, lb in (("month", ctx.custom.label, ctx.custom_comparison.label),
                        ("roll", ctx.period.label, ctx.comparison.label)):
        if f"{m.key}|{col}|cur" not in m.pr.values:
            continue
        ch, cells = protected_change(m.pr, f"{m.key}|{col}|cur", f"{m.key}|{col}|prev")
        name = f"{la} against {lb}"
        rows.append((name,) + cells)
        changes.append((col, ch))
    table = TableResult(key=key, title=f"{m.label}: the month and the rolling year",
                        columns=(TableColumn("measure", "Period compared"),) + CHANGE_COLUMNS,
                        rows=tuple(rows))
    return table, changes


def place_table(ctx: Context, m: Measured, by: str, key: str) -> TableResult:
    """The figure by sector or ward: the month and the rolling year with their comparisons."""
    rows = []
    for place in m.places.get(by, []):
        cells: list[Value] = [place]
        for col in ("month", "roll"):
            k = f"{m.key}|{by}|{place}|{col}"
            if f"{k}|cur" not in m.pr.values:
                cells += [None, None, None]
                continue
            ch, c = protected_change(m.pr, f"{k}|cur", f"{k}|prev")
            cells += [c[0], c[1], c[2]]
        rows.append(tuple(cells))
    return TableResult(
        key=key, title=f"{m.label} by {figures.PLACES[by].lower()}",
        columns=(TableColumn("place", figures.PLACES[by]),
                 TableColumn("month", ctx.custom.label, "count"),
                 TableColumn("month_previous", ctx.custom_comparison.label, "count"),
                 TableColumn("month_change_pct", "Change on last year (%)", "change_pct"),
                 TableColumn("rolling", f"12 months to {ctx.custom.label}", "count"),
                 TableColumn("rolling_previous", "The 12 months before", "count"),
                 TableColumn("rolling_change_pct", "Change (%)", "change_pct")),
        rows=tuple(rows))


def series_table_and_chart(ctx: Context, m: Measured, key: str) -> tuple[TableResult, ChartSpec,
                                                                          str]:
    """The 24-month series with c-chart limits around the previous year's monthly mean
    (``stats.trends.c_chart_limits``: mean ± 3 sqrt(mean), exact Poisson limits below a mean of
    20), the chart drawn from it, and a sentence on the months outside the limits."""
    base = [m.pr[f"{m.key}|m|{mm}"] for mm in m.months if m.flags.get(mm, (0, 0))[1]]
    limits = None
    if len(base) == 12 and all(isinstance(v, int) for v in base):
        limits = c_chart_limits(sum(base) / 12.0)
    rows, outside = [], []
    for mm in m.months:
        v = m.pr[f"{m.key}|m|{mm}"]
        signal = ""
        if limits is not None and isinstance(v, int) and m.flags.get(mm, (0, 0))[0]:
            signal = ("above" if v > limits.high else "below" if v < limits.low else "")
            if signal:
                outside.append(f"{periods.month_label(mm)} ({signal})")
        rows.append((periods.month_label(mm), v,
                     None if limits is None else round(limits.centre, 1),
                     None if limits is None else round(limits.low, 1),
                     None if limits is None else round(limits.high, 1), signal))
    notes = ((f"Control limits: {limits.method} around the monthly mean of "
              f"{ctx.comparison.label}; the months of {ctx.period.label} are judged against "
              "them.",) if limits is not None else
             ("No control limits: the previous year is not wholly loaded or a month of it "
              "is withheld.",))
    table = TableResult(key=key, title=f"{m.label} by month, with control limits",
                        columns=SERIES_COLUMNS, rows=tuple(rows), notes=notes)
    cats = tuple(r[0] for r in rows)
    series = [Series("Count", tuple(None if not isinstance(r[1], int) else float(r[1])
                                    for r in rows))]
    if limits is not None:
        series += [Series("Upper control limit", tuple(float(r[4]) for r in rows)),
                   Series("Centre line", tuple(float(r[2]) for r in rows)),
                   Series("Lower control limit", tuple(float(r[3]) for r in rows))]
    if limits is None:
        finding = f"{m.label} month by month over the two years to {ctx.custom.label}."
    elif outside:
        finding = (f"{m.label} was outside its control limits in " + ", ".join(outside) + ".")
    else:
        finding = (f"{m.label} stayed within its control limits in every month of "
                   f"{ctx.period.label}.")
    chart = ChartSpec(key=key, title=f"{m.label} by month", finding=finding, kind="line",
                      table_key=key, categories=cats, series=tuple(series), x_label="Month",
                      y_label="Count")
    return table, chart, finding
