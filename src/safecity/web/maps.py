"""The app's map component: the report's LSOA map (``engine/report/maps.lsoa_map_svg``, the one
builder) served inline, each area a keyboard stop with a tooltip, and its table twin built from
the same list of areas, so the map shows exactly the values the table publishes (a withheld
value stays withheld in both: ``maps.area_value_text`` words it once for both).

A view calls :func:`area_map` with the areas (already protected where the page publishes
protected figures) and renders ``includes/area_map.html`` with the result as ``map``. No tiles,
no network and no script: the tooltips are shown by ``safecity.css`` on focus and hover, so the
Content-Security-Policy (``script-src 'self'; style-src 'self'``) holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from ..engine.assessment.model import Suppressed
from ..engine.report import maps

#: The published run's table a run page maps (its LSOAs' crime rates: ``sections/place.py``).
PUBLISHED_LSOA_TABLE = "tables/crime_by_lsoa.csv"


#: A map of at most this many areas names each one on the map (a problem's place); larger
#: maps are named by their ward labels.
LABEL_AREAS = 12


@dataclass(frozen=True)
class AreaMap:
    ident: str
    title: str
    value_label: str
    svg: SafeString  # built by the engine from escaped text only
    rows: tuple[tuple[str, str, str, str], ...]  # (LSOA code, name, ward, value in words)


def area_map(areas: Sequence[dict], *, title: str, finding: str, value_label: str,
             ident: str = "area-map") -> AreaMap:
    """The map and its table twin for ``areas`` ({code, name, ward, lad, value})."""
    svg = maps.lsoa_map_svg(areas, title=title, finding=finding, value_label=value_label,
                            ident=ident, table_title=title, focusable=True,
                            label_areas=len(areas) <= LABEL_AREAS)
    rows = tuple((str(a["code"]), a.get("name") or "", a.get("ward") or "",
                  maps.area_value_text(a.get("value"))) for a in areas)
    return AreaMap(ident=ident, title=title, value_label=value_label, svg=mark_safe(svg),  # noqa: S308
                   rows=rows)


def _published(cell: str | None):
    """A published CSV cell as the map reads it: "[c]" withheld, empty no value, else a number
    (a cell that is not one is shown as no value rather than guessed)."""
    cell = (cell or "").strip()
    if cell == str(Suppressed()):
        return Suppressed()
    try:
        return float(cell) if cell else None
    except ValueError:
        return None


def published_lsoa_map(data: bytes, *, period_label: str, ident: str = "run-map") -> AreaMap | None:
    """The map of a published run's crime rate by LSOA, read from the published table itself
    (so the map can show nothing the run did not publish, and withheld cells stay withheld);
    None when the table has no LSOA rates."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    areas = [{"code": r["lsoa11_code"], "name": r.get("lsoa_name") or None,
              "ward": r.get("ward_name") or None, "value": _published(r.get("rate"))}
             for r in rows if r.get("lsoa11_code") and "rate" in r]
    if not areas:
        return None
    return area_map(areas, title=f"Crime rate by LSOA, {period_label}",
                    finding="The published crime rate of each LSOA, per 1,000 residents.",
                    value_label="Crimes per 1,000 residents", ident=ident)


def hotspot_map(base: Sequence[dict], cells: Sequence, cell_size: float, *, title: str,
                ident: str = "hotspot-map") -> SafeString:
    """The report's hotspot map (Gi* cells on the LSOA base: ``report/gridmap.py``) with each
    cell a keyboard stop saying its corner, class and crimes; ``cells`` are
    ``stats.hotspots.HotspotCell``s, the same list the page's hotspot table lists."""
    from ..engine.assessment.model import ChartSpec
    from ..engine.report.charts import render_chart

    spec = ChartSpec(key=ident, title=title, finding=f"{len(cells)} hot spot cells.",
                     kind="grid_map", table_key="",
                     extra={"cell_size": cell_size, "base": list(base), "focusable": True,
                            "cells": [{"x": c.x, "y": c.y, "value": c.count, "label": c.label}
                                      for c in cells]})
    return mark_safe(render_chart(spec, ident, title, role="group"))  # noqa: S308
