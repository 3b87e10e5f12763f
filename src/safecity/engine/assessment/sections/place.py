"""Section 10, place: rates per 1,000 by LSOA and ward, top areas with funnel-plot limits,
Getis-Ord Gi* hotspots on a British National Grid square grid, how concentrated crime is across
LSOAs and grid cells (Gini, generalized Gini and the Gini above chance, ``stats.concentration``),
and the night-time economy.

Funnel limits: overdispersed (Spiegelhalter 2005) 95 % and 99.8 % limits around the area's own
rate, so a small LSOA with a high rate is not over-read (``stats.rates.funnel_flags``). Hotspots:
Gi* with queen-contiguity binary weights including the focal cell, on square cells of
``hotspot_cell_size`` metres (setting, default 250 m: a few streets), via ``stats.hotspots`` (esda ``G_Local``).
"""

from __future__ import annotations

import numpy as np

from ... import figures
from .. import narrative
from ..context import Context
from ..model import ChartSpec, Series, TableColumn, TableResult
from ._common import CHANGE_COLUMNS, SectionOutput, change_cells, compare, section, unavailable

TOP_AREAS = 10


def _value(obj, *names, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def build(ctx: Context) -> SectionOutput:
    if not ctx.tables["c"]:
        return unavailable("place", f"No crimes are loaded for {ctx.period.label}.")
    if not ctx.has("lsoa11_code"):
        return unavailable("place", "The crimes carry no LSOA codes, so they cannot be placed.")
    text, tables, charts, partial = [], [], [], []
    heads: dict = {}
    lsoa = ctx.rows(
        "SELECT g.lsoa11_code, g.lsoa_name, g.ward_name, g.population, g.imd_decile, "
        "count(c.crime_ref) FILTER (WHERE c.in_cur), g.lad_code FROM geo g LEFT JOIN c "
        "ON c.lsoa11_code = g.lsoa11_code GROUP BY ALL ORDER BY g.lsoa11_code")
    lsoa = [r for r in lsoa if r[3]]
    counts = [int(r[5]) for r in lsoa]
    pops = [int(r[3]) for r in lsoa]
    from ...stats.rates import funnel_flags

    points = funnel_flags(counts, pops, per=1000, overdispersed=True)
    rows = []
    for r, pt in zip(lsoa, points):
        rows.append((r[0], r[1], r[2], r[3], r[4], int(r[5]), _round(_value(pt, "rate")),
                     _round(_value(pt, "low95")), _round(_value(pt, "high95")),
                     _round(_value(pt, "high998")), _value(pt, "flag")))
    cols = (TableColumn("lsoa11_code", "LSOA"), TableColumn("lsoa_name", "LSOA name"),
            TableColumn("ward_name", "Ward"), TableColumn("population", "Population", "count"),
            TableColumn("imd_decile", "IMD decile", "count"),
            TableColumn("crimes", "Crimes", "count"), TableColumn("rate", "Rate per 1,000",
                                                                  "rate"),
            TableColumn("low95", "Funnel lower 95 %", "rate"),
            TableColumn("high95", "Funnel upper 95 %", "rate"),
            TableColumn("high998", "Funnel upper 99.8 %", "rate"),
            TableColumn("funnel_flag", "Compared with the area"))
    tables.append(TableResult(key="crime_by_lsoa", title=f"Crime rate by LSOA, "
                                                         f"{ctx.period.label}",
                              columns=cols, rows=tuple(rows)))
    top = sorted(rows, key=lambda r: -(r[6] or 0))[:TOP_AREAS]
    tables.append(TableResult(key="top_lsoas", title=f"The {TOP_AREAS} LSOAs with the highest "
                                                     "crime rates, with funnel limits",
                              columns=cols, rows=tuple(top),
                              notes=("LSOAs whose rate lies within the funnel limits are not "
                                     "distinguishable from the area average by chance alone.",)))
    above = [r for r in rows if str(r[10] or "").lower().startswith("high")]
    text.append(f"{len(above)} of {len(rows)} LSOAs have crime rates above the 95 % funnel limit "
                "around the area's rate; the highest rate is "
                f"{top[0][6]:.1f} per 1,000 in {top[0][1] or top[0][0]}." if top and top[0][6]
                else "No LSOA rate could be calculated.")
    charts.append(ChartSpec(
        key="lsoa_funnel", title="Crime rate by LSOA against population (funnel plot)",
        finding=f"{len(above)} LSOAs lie above the upper 95 % funnel limit.", kind="funnel",
        table_key="crime_by_lsoa", categories=tuple(r[0] for r in rows),
        series=(Series("Rate per 1,000", tuple(r[6] for r in rows)),),
        x_label="Population", y_label="Crimes per 1,000 residents",
        extra={"populations": [r[3] for r in rows]}))
    # The same rates on a map of the LSOAs with their wards and the local authority (the
    # twin table is crime_by_lsoa); its base also carries the hotspot cells below.
    base = [{"code": r[0], "ward": r[2], "lad": r[6]} for r in lsoa]
    charts.append(ChartSpec(
        key="lsoa_choropleth", title=f"Crime rate by LSOA, {ctx.period.label}",
        finding=(f"The highest crime rates are in {_top_wards(rows)}."
                 if rows else "No LSOA rate could be calculated."),
        kind="choropleth", table_key="crime_by_lsoa",
        categories=tuple(r[0] for r in rows),
        series=(Series("Rate per 1,000", tuple(r[6] for r in rows)),),
        extra={"areas": [dict(b, value=r[6]) for b, r in zip(base, rows)],
               "value_label": "Crimes per 1,000 residents"}))
    ctx.cache["map_base"] = base
    heads["lsoas_above_funnel_95"] = len(above)
    # Crimes are counted per LSOA first, so each LSOA's population is added once per ward
    # (joining crimes straight to the geography summed it once per crime).
    # LSOAs are kept in the monthly counts of purged months (engine/assessment/aggregates.py)
    table, n = ctx.counts("c")
    ward = ctx.rows(
        f"WITH l AS (SELECT lsoa11_code, {n} FILTER (WHERE in_cur) AS cur, "
        f"{n} FILTER (WHERE in_prev) AS prev FROM {table} GROUP BY 1) "
        "SELECT g.ward_name, sum(g.population), coalesce(sum(l.cur), 0), "
        "coalesce(sum(l.prev), 0) FROM geo g LEFT JOIN l ON l.lsoa11_code = g.lsoa11_code "
        "WHERE g.ward_name IS NOT NULL GROUP BY 1 ORDER BY 1")
    if ward:
        wrows = []
        for name, pop, cur, prev in ward:
            ch = compare(int(cur), int(prev) if ctx.loaded("c", "in_prev", ()) else None)
            wrows.append((name, int(pop), ) + change_cells(ch)
                         + (_round(1000 * cur / pop) if pop else None,))
        tables.append(TableResult(
            key="crime_by_ward", title=f"Crime by ward, {ctx.period.label}",
            columns=(TableColumn("ward", "Ward"), TableColumn("population", "Population",
                                                              "count"))
            + CHANGE_COLUMNS + (TableColumn("rate", "Rate per 1,000", "rate"),),
            rows=tuple(wrows)))
    else:
        partial.append("Wards: the geography has no ward names.")
    grid = _hotspots(ctx, text, tables, partial, heads, charts)
    _concentration(ctx, counts, grid, text, tables, heads, charts)
    try:
        cur, prev = figures.count(ctx, "night_time_economy_crime")
    except figures.FigureUnavailable as err:
        partial.append(f"Night-time economy: {err.message[:1].lower()}{err.message[1:]}")
    else:
        ch = compare(cur, prev)
        heads.update(night_time_economy_crime=cur, night_time_economy_crime_previous=prev,
                     night_time_economy_crime_change_pct=None if ch.change_pct is None
                     else round(ch.change_pct, 1))
        tables.append(TableResult(key="night_time_economy", title="Night-time economy crime",
                                  columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS,
                                  rows=(("Night-time economy crime",) + change_cells(ch),),
                                  notes=(figures.NTE_RULE,)))
        text.append(narrative.change_sentence("Night-time economy crime", ch))
    return SectionOutput(section("place", narrative=tuple(text), tables=tuple(tables),
                                 charts=tuple(charts), partial=tuple(partial)), heads)


def _concentration(ctx: Context, lsoa_counts: list[int], grid, text, tables, heads,
                   charts) -> None:
    """Gini, generalized Gini, expected Gini under chance and the excess, over the area's LSOAs
    (every LSOA, none left out for having no crime) and over the hotspot grid's cells."""
    from ...stats.concentration import concentration

    rows = []
    measured = [("LSOAs", lsoa_counts)]
    if grid is not None:
        measured.append((f"Grid cells of {grid.cell_size:g} m", list(grid.counts)))
    for label, counts in measured:
        if not counts or not sum(counts):
            continue
        m = concentration(counts)
        rows.append((label, m.places, m.crimes, _round(m.gini, 3), _round(m.generalized_gini, 3),
                     _round(m.expected_gini, 3), _round(m.excess_gini, 3),
                     _round(100 * m.half_in_share_of_places, 1)))
        if label == "LSOAs":
            heads["crime_gini_lsoa"] = _round(m.gini, 3)
            heads["crime_excess_gini_lsoa"] = _round(m.excess_gini, 3)
            text.append(f"Half of the period's crimes happened in {100 * m.half_in_share_of_places:.1f} % "
                        f"of the area's {m.places:,} LSOAs (Gini {m.gini:.2f}; "
                        f"{m.excess_gini:+.2f} against the same crimes spread at random).")
    if rows:
        from ...stats.concentration import top_shares

        points = (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
        curves = [(label, top_shares(counts, points)) for label, counts in measured
                  if counts and sum(counts)]
        tables.append(TableResult(
            key="lorenz", title="Share of crimes in the places with most crime (Lorenz curve)",
            columns=(TableColumn("share_of_places", "% of places (most crime first)",
                                 "percent"),)
            + tuple(TableColumn(f"crimes_{i}", f"% of crimes: {label}", "percent")
                    for i, (label, _) in enumerate(curves)),
            rows=tuple((round(100 * p, 1),) + tuple(round(100 * c[j], 1) for _, c in curves)
                       for j, p in enumerate(points))))
        charts.append(ChartSpec(
            key="lorenz_chart", title="Share of crimes in the places with most crime",
            finding=f"The 10 % of LSOAs with most crime hold {100 * curves[0][1][2]:.0f} % of "
                    "the crimes." if curves[0][0] == "LSOAs" else "Crime by place.",
            kind="line", table_key="lorenz",
            categories=tuple(f"{100 * p:g} %" for p in points),
            series=tuple(Series(label, tuple(round(100 * v, 1) for v in c))
                         for label, c in curves),
            x_label="Share of places, most crime first", y_label="% of crimes"))
        tables.append(TableResult(
            key="concentration", title=f"How concentrated crime is across places, "
                                       f"{ctx.period.label}",
            columns=(TableColumn("places", "Places"), TableColumn("n_places", "Number", "count"),
                     TableColumn("crimes", "Crimes", "count"),
                     TableColumn("gini", "Gini", "ratio"),
                     TableColumn("generalized_gini", "Generalized Gini", "ratio"),
                     TableColumn("expected_gini", "Gini if spread at random", "ratio"),
                     TableColumn("excess_gini", "Gini above random", "ratio"),
                     TableColumn("half_share", "% of places with half the crimes", "percent")),
            rows=tuple(rows),
            notes=("Gini: 0 when every place has the same number of crimes, near 1 when one "
                   "place has them all. The generalized Gini (Bernasco & Steenbeek 2017) "
                   "corrects it when there are fewer crimes than places. 'Gini above random' "
                   "subtracts the Gini the same number of crimes would give if they fell on "
                   "the same places at random: near 0 means no more concentrated than chance.",
                   "Grid cells cover the rectangle around the area's located crimes.")))


def _hotspots(ctx: Context, text, tables, partial, heads, charts):
    """Gi* hotspots; returns the grid of counts (None when there are too few points)."""
    if not ctx.has("easting", "northing"):
        partial.append("Hotspots: the crimes have no coordinates.")
        return None
    pts = ctx.con.execute("SELECT easting, northing FROM c WHERE in_cur AND easting IS NOT "
                          "NULL AND northing IS NOT NULL").fetchnumpy()
    if len(pts["easting"]) < 30:
        partial.append("Hotspots: fewer than 30 crimes have coordinates.")
        return None
    from ...stats.hotspots import gi_star, grid_counts

    # cell size from the hotspot_cell_size setting (0: sfhotspot's rule on these points)
    grid = grid_counts(np.asarray(pts["easting"], float), np.asarray(pts["northing"], float))
    cell_size = grid.cell_size
    cells = gi_star(grid)
    hot = [c for c in cells if str(_value(c, "label", default="")).lower().startswith("hot")]
    hot.sort(key=lambda c: -(c.z or 0.0))
    rows = tuple((round(c.x), round(c.y), round(c.count, 1), _round(c.z), _round(c.p, 4),
                  c.label) for c in hot)
    heads["hotspot_cells"] = len(rows)
    charts.append(ChartSpec(
        key="hotspot_map", title=f"Crime hotspots (Getis-Ord Gi*), {ctx.period.label}",
        finding=f"{len(rows)} cells of {cell_size:g} m are significant hotspots.",
        kind="grid_map", table_key="hotspots",
        extra={"cell_size": cell_size,
               "cells": [{"x": c.x, "y": c.y, "value": c.count, "label": c.label}
                         for c in cells],
               "base": ctx.cache.get("map_base", [])}))
    tables.append(TableResult(
        key="hotspots", title=f"Getis-Ord Gi* hotspots on a {cell_size} m grid, "
                              f"{ctx.period.label}",
        columns=(TableColumn("easting", "Cell easting (m)", "count"),
                 TableColumn("northing", "Cell northing (m)", "count"),
                 TableColumn("crimes", "Crimes", "count"), TableColumn("z", "Gi* z", "ratio"),
                 TableColumn("p", "p-value", "p_value"), TableColumn("label", "Class")),
        rows=rows,
        notes=("Cells are British National Grid squares; weights are the 8 neighbouring cells "
               "and the cell itself (Gi*), binary.",
               "data.police.uk points are anonymised snap points; read cells, not points.")))
    text.append(f"{len(rows)} grid cells of {cell_size} m are statistically significant crime "
                "hotspots (Getis-Ord Gi*).")
    return grid


def _top_wards(rows) -> str:
    """The wards holding the ten highest-rate LSOAs, most first ('Bargate and Bevois')."""
    top = sorted((r for r in rows if r[6] is not None), key=lambda r: -r[6])[:TOP_AREAS]
    counts: dict[str, int] = {}
    for r in top:
        if r[2]:
            counts[r[2]] = counts.get(r[2], 0) + 1
    names = sorted(counts, key=lambda w: (-counts[w], w))[:3]
    if not names:
        return "the LSOAs listed in the table"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"LSOAs of {joined}"


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)
