"""The monthly pack's hotspots that show what is new: emerging hot spot classes by crime type
over the rolling 12 months, the commercial burglary watch (cells that turned hot this month),
and the near-repeat burglary test with its alerts (``hotspot_watch``).

Disclosure: the watch's counts are counts of burglaries in one 250 m grid cell, where a single
business can be named by its location, so they are withheld below the publication threshold as
sensitive counts are (no total of them is published, so primary suppression is enough). The
emerging classes table counts grid cells and the Knox table gives ratios and p-values of pairs
of burglaries: neither publishes a count of crimes or people.
"""

from __future__ import annotations

import datetime as dt

from .. import figures
from ..stats.emerging import COLD_CLASSES, HOT_CLASSES
from . import disclosure
from .context import Context
from .hotspot_watch import commercial_burglary_watch, emerging_for, near_repeat_for
from .model import Section, TableColumn, TableResult
from .sections._common import SectionOutput


def build(ctx: Context, number: int) -> SectionOutput:
    tables, text, partial = [], [], []
    heads: dict = {}
    classes: dict[str, dict[str, int]] = {}
    for key, (label, *_rest) in figures.HOTSPOT_TYPES.items():
        try:
            classes[label] = emerging_for(ctx, key).by_category()
        except figures.FigureUnavailable as exc:
            partial.append(f"Emerging hot spots of {label.lower()}: {exc}")
    if classes:
        shown = [c for c in HOT_CLASSES + COLD_CLASSES if any(c in v for v in classes.values())]
        tables.append(TableResult(
            key="emerging_hotspots", title="Emerging hot spots by crime type: grid cells by class",
            columns=(TableColumn("crime_type", "Crime type"),)
            + tuple(TableColumn(c.replace(" ", "_"), c[0].upper() + c[1:], "count")
                    for c in shown),
            rows=tuple((label,) + tuple(v.get(c, 0) for c in shown)
                       for label, v in classes.items()),
            notes=(f"Cells of the grid over {ctx.period.label}, classed by the Getis-Ord Gi* "
                   "of each month (p < 0.05, no multiple-testing adjustment, so some cells turn "
                   "hot by chance) and a Mann-Kendall trend test, with the classes of ArcGIS's "
                   "emerging hot spot analysis.",)))
        new = {label: v.get("new hot spot", 0) for label, v in classes.items()
               if v.get("new hot spot", 0)}
        text.append("New hot spots this year: " + ", ".join(
            f"{label.lower()} {n} cell{'s' if n != 1 else ''}" for label, n in new.items())
            + "." if new else "No crime type has a new hot spot this year.")
    try:
        watch = commercial_burglary_watch(ctx)
    except figures.FigureUnavailable as exc:
        partial.append(f"Commercial burglary watch: {exc}")
    else:
        tables.append(_watch_table(ctx, watch))
        heads["commercial_burglary_cells_turned_hot"] = len(watch.cells)
        text.append(f"{len(watch.cells)} grid cell{'s' if len(watch.cells) != 1 else ''} of "
                    f"commercial burglary turned hot in {ctx.custom.label}"
                    + (": " + "; ".join(sorted({w for c in watch.cells for w in c.wards}))
                       + "." if watch.cells else "."))
    try:
        near = near_repeat_for(ctx)
    except figures.FigureUnavailable as exc:
        partial.append(f"Near-repeat burglary: {exc}")
    else:
        tables.append(_knox_table(near))
        w = near.window
        if w.metres is None:
            text.append("Residential burglaries showed no near-repeat pattern over "
                        f"{ctx.period.label} (Knox test, {near.knox.n_iter} permutations): no "
                        "alert is raised.")
        else:
            text.append(f"Near repeats: burglaries within {w.metres:,.0f} m and {w.days:,.0f} "
                        f"days of another happened more often than chance over "
                        f"{ctx.period.label} (Knox test). {len(near.alerts)} grid "
                        f"cell{'s are' if len(near.alerts) != 1 else ' is'} within that window "
                        f"of a burglary up to {near.as_of}.")
            heads["near_repeat_metres"] = w.metres
            heads["near_repeat_days"] = w.days
        heads["near_repeat_cells_alerted"] = len(near.alerts)
    if not tables:
        return SectionOutput(Section(key="hotspots", number=number, title="Hotspots that show "
                                     "what is new", available=False,
                                     unavailable_reason=" ".join(partial)))
    return SectionOutput(Section(key="hotspots", number=number, title="Hotspots that show what "
                                 "is new", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _watch_table(ctx: Context, watch) -> TableResult:
    led = disclosure.Ledger(ctx.threshold)
    for i, c in enumerate(watch.cells):
        led.count(f"cell|{i}|cur", c.count)
        led.count(f"cell|{i}|prev", c.previous_count)
    pr = led.protect()
    half = watch.cell_size / 2
    rows = tuple((f"{c.x - half:.0f}, {c.y - half:.0f}", pr[f"cell|{i}|cur"],
                  pr[f"cell|{i}|prev"], c.category, "; ".join(c.lsoas), "; ".join(c.wards))
                 for i, c in enumerate(watch.cells))
    return TableResult(
        key="commercial_burglary_watch",
        title=f"Commercial burglary watch: cells that turned hot in {ctx.custom.label}",
        columns=(TableColumn("cell", f"Cell (south-west corner, {watch.cell_size:.0f} m, BNG)"),
                 TableColumn("count", "Burglaries this month", "count"),
                 TableColumn("previous_count", "The month before", "count"),
                 TableColumn("category", "Emerging hot spot class"),
                 TableColumn("lsoas", "Areas (LSOA)"), TableColumn("wards", "Wards")),
        rows=rows, sensitive=True,
        notes=("A cell is on the watch when it is a hot spot (Gi*, p < 0.05) this month and was "
               "not last month. A count in one cell could point at one business, so counts from "
               f"1 to {ctx.threshold - 1} are withheld as [c].",))


def _knox_table(near) -> TableResult:
    k = near.knox
    time_cols = tuple(TableColumn(f"days_{t:g}", f"Within {t:g} days", "text")
                      for t in k.time_bands)
    rows = []
    lower = 0.0
    for s, upper in enumerate(k.space_bands):
        band = "Same location" if upper == 0 else f"{lower + (1 if lower else 0):g}-{upper:g} m"
        lower = upper
        cells = []
        for t in range(len(k.time_bands)):
            ratio = k.ratio[s][t]
            cells.append("" if ratio is None else
                         f"{ratio:.2f}{' *' if k.p[s][t] < 0.05 and ratio > 1 else ''}")
        rows.append((band,) + tuple(cells))
    return TableResult(
        key="near_repeat_knox", title="Near-repeat residential burglary: Knox ratios",
        columns=(TableColumn("distance", "Distance apart"),) + time_cols, rows=tuple(rows),
        notes=(f"Knox ratio: pairs of burglaries observed / expected if time and place were "
               f"unrelated ({k.n_iter} permutations of the days among {k.events:,} burglaries); "
               "* marks a ratio above 1 with p < 0.05. Days from the offence start date "
               f"(as of {dt.date.fromisoformat(near.as_of):%d %b %Y}).",))
