"""The monthly pack by policing sector and by ward (the geography's ``sector`` and ward):
recorded crime and anti-social behaviour, the month against the same month last year and the
rolling 12 months against the previous 12, with a chart of the rolling year per place, and each
place's monthly series for the exceptions (``monthly._exceptions``).

Recorded crime and ASB are not sensitive counts (docs/metrics.md, disclosure rules), so places'
counts are published as they are; they still go through ``pack_measures.measure`` so the
month, the rolling year and the places are counted by one rule (``figures``).
"""

from __future__ import annotations

from .. import figures
from .context import Context
from .model import ChartSpec, Section, Series
from .pack_measures import measure, place_table
from .sections._common import SectionOutput

#: (figure, label) counted by place.
PLACE_FIGURES = (("recorded_crime", "Recorded crime"), ("asb_incidents", "Anti-social behaviour"))
TITLES = {"sector": "By policing sector", "ward_name": "By ward"}


def build(ctx: Context, first_number: int) -> tuple[list[SectionOutput],
                                                    dict[str, dict[str, int]]]:
    """(sections, {"Recorded crime in East sector": {month: count}} for the exceptions).
    A geography with no sectors (or wards) gives no section for them."""
    outputs, series = [], {}
    number = first_number
    for by in ("sector", "ward_name"):
        if not ctx.scalar(f"SELECT count({by}) FROM geo"):
            continue
        tables, charts = [], []
        for figure, label in PLACE_FIGURES:
            try:
                m = measure(ctx, f"{figure}_{by}", figure, label, sensitive=False, places=(by,))
            except figures.FigureUnavailable:
                continue
            key = f"{figure}_by_{'sector' if by == 'sector' else 'ward'}"
            table = place_table(ctx, m, by, key)
            tables.append(table)
            charts.append(_chart(ctx, table, label, by))
            if figure == "recorded_crime":
                for place, months in figures.series(ctx, figure, by=by).items():
                    if place != figures.NOT_KNOWN_PLACE:
                        where = f"{place} sector" if by == "sector" else place
                        series[f"{label} in {where}"] = months
        if not tables:
            continue
        word = "sector" if by == "sector" else "ward"
        section = Section(
            key=f"by_{word}", number=number, title=TITLES[by], tables=tuple(tables),
            charts=tuple(charts),
            narrative=(f"Each {word}'s recorded crime and anti-social behaviour in "
                       f"{ctx.custom.label} and over the 12 months to it, against the same "
                       "periods a year earlier. Exceptions by " + word + " are listed with the "
                       "pack's exceptions.",))
        outputs.append(SectionOutput(section, {}))
        number += 1
    return outputs, series


def _chart(ctx: Context, table, label: str, by: str) -> ChartSpec:
    rows = [r for r in table.rows if isinstance(r[4], int)]
    up = sorted(rows, key=lambda r: -(r[4] - (r[5] or 0)) if isinstance(r[5], int) else 0)
    finding = (f"{label} over the 12 months to {ctx.custom.label} by "
               f"{figures.PLACES[by].lower()}")
    if up and isinstance(up[0][5], int) and up[0][4] > up[0][5]:
        finding += f"; the largest rise was in {up[0][0]} ({up[0][5]:,} to {up[0][4]:,})."
    else:
        finding += "; no place rose on the year before."
    return ChartSpec(key=table.key, title=f"{label} by {figures.PLACES[by].lower()}, rolling "
                     "12 months", finding=finding, kind="hbar", table_key=table.key,
                     categories=tuple(str(r[0]) for r in rows),
                     series=(Series(f"12 months to {ctx.custom.label}",
                                    tuple(float(r[4]) for r in rows)),
                             Series("The 12 months before",
                                    tuple(float(r[5]) if isinstance(r[5], int) else None
                                          for r in rows))),
                     x_label="Count", y_label=figures.PLACES[by])
