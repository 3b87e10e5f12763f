"""Every map in a real browser (#12): the LSOA choropleth and the hotspot cells on the same base
pass axe-core with no violations, and their boundary lines and names are drawn (present and with
a size on screen). The demo report, maps included, is checked by test_report_a11y.py."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from safecity.engine.assessment.model import ChartSpec
from safecity.engine.report import maps
from safecity.engine.report.charts import render_chart

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def map_page(tmp_path_factory, shared_data):
    data = json.loads((shared_data / "boundaries" / "lsoa11_bsc_southampton.geojson")
                      .read_text(encoding="utf-8"))
    areas = [{"code": f["properties"]["LSOA11CD"], "value": float(i % 17) * 9.5,
              "ward": f["properties"]["LSOA11NM"][:-1], "lad": f["properties"]["LAD19CD"]}
             for i, f in enumerate(data["features"])]
    choropleth = maps.lsoa_map_svg(areas, title="Crime rate by LSOA", finding="Rates vary.",
                                   value_label="Crimes per 1,000 residents",
                                   table_title="Crime rate by LSOA")
    cells = [{"x": 442000 + 250 * i, "y": 112000, "value": 30, "label": "hot (99%)"}
             for i in range(4)] + [{"x": 438000, "y": 115000, "value": 0,
                                    "label": "cold (95%)"}]
    grid = render_chart(ChartSpec("hot", "Crime hotspots", "Four hot cells in the centre.",
                                  "grid_map", "t", extra={"cell_size": 250, "cells": cells,
                                                          "base": areas}),
                        "hot", "Hotspot cells")
    rows = "".join(f"<tr><th scope='row'>{escape(a['code'])}</th><td>{a['value']}</td></tr>"
                   for a in areas[:5])
    html = ("<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
            "<title>Maps</title></head><body><main><h1>Maps</h1>"
            f"<h2>Crime rate by LSOA</h2>{choropleth}"
            "<table><caption>Crime rate by LSOA</caption><thead><tr><th scope='col'>LSOA</th>"
            f"<th scope='col'>Rate</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<h2>Crime hotspots</h2>{grid}</main></body></html>")
    path = tmp_path_factory.mktemp("maps") / "maps.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_the_maps_have_no_axe_violations(page, axe_check, map_page):
    page.goto(map_page.as_uri())
    violations = axe_check(page)
    assert violations == [], axe_check.describe(violations)


def test_boundary_lines_and_labels_are_drawn(page, map_page):
    page.goto(map_page.as_uri())
    found = page.evaluate("""() => {
        const size = (el) => { const b = el.getBoundingClientRect(); return b.width * b.height; };
        const out = [];
        for (const svg of document.querySelectorAll('svg[role=img]')) {
            const q = (s) => Array.from(svg.querySelectorAll(s));
            out.push({
                wards: q('.ward-line').filter(e => size(e) > 0).length,
                authorities: q('.la-line').filter(e => size(e) > 0).map(e => e.dataset.authority),
                wardLabels: q('.ward-label').filter(e => size(e) > 0).map(e => e.textContent),
                otherLabels: q('.map-label:not(.ward-label)').map(e => e.textContent),
            });
        }
        return out;
    }""")
    assert len(found) == 2
    for one in found:
        assert one["wards"] == 32
        assert one["authorities"] == ["Southampton"]
        assert len(one["wardLabels"]) == 32 and "Southampton 023" in one["wardLabels"]
        assert "Eastleigh" in one["otherLabels"]
