"""Maps people can read (engine/report/maps.py, basemap.py): LSOA choropleths and hotspot cells on
one base with ward and local authority boundary lines and names, from the shipped boundaries.

The shipped polygons are checked against the shared ONS file projected here with pyproj (a second
path from the same source); ward outlines against a union of the same LSOAs."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from safecity.engine.assessment.model import ChartSpec, Suppressed
from safecity.engine.report import basemap, maps
from safecity.engine.report.charts import render_chart
from safecity.engine.report.gridmap import draw_grid_map


@pytest.fixture(scope="module")
def southampton(shared_data):
    """The 148 Southampton LSOAs of the shared boundary file, each given a 'ward' (its MSOA
    name, e.g. 'Southampton 023': 32 groups) and a value."""
    data = json.loads((shared_data / "boundaries" / "lsoa11_bsc_southampton.geojson")
                      .read_text(encoding="utf-8"))
    areas, source = [], {}
    for i, f in enumerate(sorted(data["features"], key=lambda f: f["properties"]["LSOA11CD"])):
        p = f["properties"]
        areas.append({"code": p["LSOA11CD"], "value": float(10 + i), "lad": p["LAD19CD"],
                      "ward": p["LSOA11NM"][:-1]})
        source[p["LSOA11CD"]] = f["geometry"]
    return areas, source


def test_the_shipped_polygons_match_the_ons_file(southampton):
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    areas, source = southampton
    shipped = basemap.lsoa_shapes([a["code"] for a in areas])
    assert set(shipped) == set(source)
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    for code, geometry in source.items():
        import numpy as np

        theirs = shapely.transform(shape(geometry), lambda xy: np.column_stack(
            to_bng.transform(xy[:, 0], xy[:, 1])))
        ours = shipped[code]
        assert ours.is_valid
        # same shape to the metre grid the files are stored on
        assert abs(ours.area - theirs.area) / theirs.area < 0.005, code
        assert ours.symmetric_difference(theirs).area / theirs.area < 0.01, code


def test_every_english_and_welsh_lsoa_is_shipped_once():
    lads = basemap.local_authorities()
    assert len(lads) >= 330
    assert lads["E06000045"]["name"] == "Southampton"


def _svg(areas, **kw):
    return maps.lsoa_map_svg(areas, title="Crime rate by LSOA", finding="Rates are highest in "
                             "the centre.", value_label="Crimes per 1,000 residents", **kw)


def test_the_choropleth_has_lsoas_ward_and_authority_lines_and_labels(southampton):
    areas, _ = southampton
    svg = _svg(areas)
    wards = {a["ward"] for a in areas}
    assert len(re.findall(r'stroke="#ffffff" stroke-width="0.6"', svg)) == 148
    drawn_wards = set(re.findall(r'class="ward-line" data-ward="([^"]+)"', svg))
    assert drawn_wards == wards
    labels = set(re.findall(r'class="map-label ward-label">([^<]+)</text>', svg))
    assert labels == wards
    assert re.findall(r'class="la-line" data-authority="([^"]+)"', svg) == ["Southampton"]
    neighbours = set(re.findall(r'class="map-label">([^<]+)</text>', svg))
    assert {"Eastleigh", "Test Valley"} <= neighbours
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "32 wards outlined and named" in svg


def test_each_ward_outline_is_the_union_of_its_lsoas(southampton):
    import shapely

    areas, _ = southampton
    shapes = basemap.lsoa_shapes([a["code"] for a in areas])
    groups = {a["code"]: a["ward"] for a in areas}
    outlines = basemap.dissolve(shapes, groups)
    members = defaultdict(list)
    for code, ward in groups.items():
        members[ward].append(shapes[code])
    for ward, outline in outlines.items():
        total = sum(g.area for g in members[ward])
        assert outline.area == pytest.approx(total, rel=1e-6)
        assert outline.geom_type == "Polygon"  # neighbours share edges exactly: no slivers
        assert shapely.equals(outline, shapely.union_all(members[ward]))


def test_classes_hold_equal_numbers_and_the_legend_says_so(southampton):
    areas, _ = southampton
    values = [a["value"] for a in areas]
    bounds = maps.classes(values)
    assert len(bounds) == 5 and bounds[-1] == max(values)
    counts = [sum(1 for v in values if (bounds[i - 1] if i else -1) < v <= b)
              for i, b in enumerate(bounds)]
    assert max(counts) - min(counts) <= 1
    svg = _svg(areas)
    assert "five classes with equal numbers of areas" in svg
    for colour in maps.CLASS_COLOURS:
        assert svg.count(f'fill="{colour}"') >= 29  # 148 / 5 areas, plus its legend swatch


def test_a_withheld_value_is_hatched_and_never_drawn(southampton):
    areas, _ = southampton
    areas = [dict(a) for a in areas]
    areas[0]["value"] = Suppressed()
    areas[1]["value"] = None
    svg = _svg(areas)
    assert svg.count('url(#lsoa-map-novalue)') == 3  # two areas and the legend swatch
    assert "No value" in svg and "[c]" not in svg


def test_areas_without_shipped_boundaries_say_so():
    svg = _svg([{"code": "X00000001", "value": 1.0, "ward": "A"}])
    assert "No boundaries are available for these areas." in svg


def test_hotspot_cells_sit_on_the_same_base(southampton):
    areas, _ = southampton
    cells = [{"x": 442250, "y": 112250, "value": 40, "label": "hot (99%)"},
             {"x": 442500, "y": 112250, "value": 2, "label": ""},
             {"x": 440000, "y": 114000, "value": 0, "label": "cold (95%)"}]
    chart = ChartSpec("h", "Hotspots", "One hot cell.", "grid_map", "t",
                      extra={"cell_size": 250, "cells": cells,
                             "base": [{"code": a["code"], "ward": a["ward"], "lad": a["lad"]}
                                      for a in areas]})
    svg = render_chart(chart, "h")
    assert 'class="la-line"' in svg and 'class="ward-line"' in svg
    assert 'class="map-label ward-label"' in svg
    assert "1 hot spot cells" in svg and "1 cold spot cells" in svg
    # the significant cells only, in the base's frame
    assert len(re.findall(r'fill-opacity="0.9"', svg)) == 2
    # without a base it is the plain grid, as before
    plain = draw_grid_map(ChartSpec("h", "Hotspots", "x", "grid_map", "t",
                                    extra={"cell_size": 250, "cells": cells}), "p")
    assert "ward-line" not in plain.body


def test_funnel_labels_are_outliers_by_area_name():
    from safecity.engine.assessment.model import TableColumn, TableResult
    from safecity.engine.report.funnel import complete_from_table

    cols = (TableColumn("lsoa11_code", "LSOA"), TableColumn("lsoa_name", "LSOA name"),
            TableColumn("population", "Population", "count"),
            TableColumn("crimes", "Crimes", "count"), TableColumn("rate", "Rate", "rate"),
            TableColumn("funnel_flag", "Compared with the area"))
    rows = [("E0100000%d" % i, f"Testtown 00{i}A", 1500 + 10 * i, 150, 100.0, "")
            for i in range(8)]
    rows.append(("E01000008", "Testtown 008A", 1600, 600, 375.0, "high (99.8%)"))
    rows.append(("E01000009", "Testtown 009A", 1700, 20, 11.8, "low (95%)"))
    table = TableResult("crime_by_lsoa", "Rates", cols, tuple(rows))
    chart = ChartSpec("f", "Funnel", "Two outliers.", "funnel", "crime_by_lsoa",
                      categories=tuple(r[0] for r in rows),
                      series=(__import__("safecity.engine.assessment.model", fromlist=["Series"])
                              .Series("Rate", tuple(r[4] for r in rows)),))
    svg = render_chart(complete_from_table(chart, table), "f")
    labels = re.findall(r'font-size="11.5"[^>]*>([^<]+)</text>', svg)
    assert sorted(labels) == ["Testtown 008A", "Testtown 009A"]
    assert "E01000008" not in svg.split("</desc>")[1]
