"""Every chart kind is an accessible SVG whose series differ by more than colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from safecity.engine.assessment.model import ChartSpec, Series
from safecity.engine.report import charts
from safecity.engine.report.svg import PALETTE, TEXT, MUTED, contrast_ratio

SVG = "{http://www.w3.org/2000/svg}"


def all_charts(assessment):
    return [c for s in assessment.sections for c in s.charts]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_the_fixture_covers_every_chart_kind(assessment):
    assert {c.kind for c in all_charts(assessment)} == {"line", "bar", "hbar", "heatmap", "funnel",
                                                       "grid_map"}


def test_every_chart_is_an_image_labelled_by_its_title_and_description(assessment):
    for chart in all_charts(assessment):
        root = parse(charts.render_chart(chart, f"c-{chart.key}", "Twin"))
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text == chart.title
        assert desc is not None and desc.text.startswith(chart.finding)
        assert "Twin" in desc.text, "the description points to the table twin"
        assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_line_series_differ_by_dash_pattern_and_marker_as_well_as_colour(assessment):
    line = next(c for c in all_charts(assessment) if c.kind == "line")
    root = parse(charts.render_chart(line))
    paths = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len({p.get("stroke-dasharray") for p in paths}) == len(line.series)
    assert len({p.get("stroke") for p in paths}) == len(line.series)
    assert root.findall(f".//{SVG}circle") and root.findall(f".//{SVG}rect[@width='7']")


def test_a_missing_month_is_a_gap_in_the_line_not_a_zero():
    chart = ChartSpec("c", "T", "F.", "line", "t", ("a", "b", "c"), (Series("s", (5.0, None, 5.0)),))
    path = next(p for p in parse(charts.render_chart(chart)).iter(f"{SVG}path") if p.get("fill") == "none")
    assert path.get("d").count("M") == 2 and "L" not in path.get("d")


def test_grouped_bars_differ_by_fill_pattern(assessment):
    bar = next(c for c in all_charts(assessment) if c.kind == "bar")
    root = parse(charts.render_chart(bar, "b"))
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("height") and r.get("stroke") in PALETTE}
    assert any(f.startswith("url(#b-p1)") for f in fills) and PALETTE[0] in fills
    assert root.find(f".//{SVG}pattern[@id='b-p1']") is not None


def test_funnel_marks_flagged_areas_with_a_shape_and_a_label(assessment):
    funnel = next(c for c in all_charts(assessment) if c.kind == "funnel")
    svg = charts.render_chart(funnel)
    root = parse(svg)
    flagged = [p for p in funnel.extra["points"] if p["flag"]]
    texts = {t.text for t in root.iter(f"{SVG}text")}
    for point in flagged:
        assert point["label"] in texts
    triangles = [p for p in root.iter(f"{SVG}polygon") if p.get("stroke") in {"#b54700", "#1d70b8"}]
    assert len(triangles) >= len(flagged)  # legend swatches plus one per flagged point
    assert "2 above the limits" in root.find(f"{SVG}desc").text


def test_grid_map_marks_hot_and_cold_cells_with_triangles(assessment):
    grid = next(c for c in all_charts(assessment) if c.kind == "grid_map")
    root = parse(charts.render_chart(grid))
    classed = [c for c in grid.extra["cells"] if c["label"]]
    polygons = list(root.iter(f"{SVG}polygon"))
    assert len(polygons) >= len(classed)
    assert f"{len(classed) - 2} hot spot cells" in root.find(f"{SVG}desc").text


def test_heatmap_cells_print_their_values_so_shade_is_not_the_only_cue(assessment):
    heat = next(c for c in all_charts(assessment) if c.kind == "heatmap")
    texts = [t.text for t in parse(charts.render_chart(heat)).iter(f"{SVG}text")]
    assert sum(1 for t in texts if t and re.fullmatch(r"\d+(\.\d)?k?", t)) >= 7 * 24


def test_series_colours_and_text_meet_wcag_contrast_on_white():
    assert all(contrast_ratio(c, "#ffffff") >= 4.5 for c in PALETTE)
    assert contrast_ratio(TEXT, "#ffffff") >= 7 and contrast_ratio(MUTED, "#ffffff") >= 4.5


def test_heatmap_value_text_contrasts_with_its_cell(assessment):
    heat = next(c for c in all_charts(assessment) if c.kind == "heatmap")
    root = parse(charts.render_chart(heat))
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") == "#ffffff"]
    labels = [t for t in root.iter(f"{SVG}text") if t.get("font-size") == "10"]
    for rect, label in zip(rects, labels):
        assert contrast_ratio(rect.get("fill"), label.get("fill")) >= 4.5


def test_an_unknown_chart_kind_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="expected one of"):
        charts.render_chart(ChartSpec("c", "T", "F.", "pie", "t"))  # type: ignore[arg-type]


def test_empty_charts_still_render():
    for kind in ("line", "bar", "hbar", "heatmap", "funnel", "grid_map"):
        root = parse(charts.render_chart(ChartSpec("c", "T", "F.", kind, "t")))  # type: ignore[arg-type]
        assert root.get("role") == "img"


def test_a_funnel_given_only_rates_and_populations_takes_flags_and_limits_from_its_table():
    from safecity.engine.assessment.model import TableColumn, TableResult
    from safecity.engine.report.funnel import complete_from_table

    table = TableResult("lsoa", "By LSOA", (
        TableColumn("lsoa11_code", "LSOA"), TableColumn("population", "Population", "count"),
        TableColumn("crimes", "Crimes", "count"), TableColumn("rate", "Rate", "rate"),
        TableColumn("low95", "Low", "rate"), TableColumn("high95", "High", "rate"),
        TableColumn("funnel_flag", "Flag")),
        (("E01000001", 1000, 90, 90.0, 20.0, 45.0, "High (0.025)"),
         ("E01000002", 2000, 60, 30.0, 22.0, 40.0, None),
         ("E01000003", 1500, 10, 6.7, 21.0, 42.0, "Low (0.025)")))
    chart = ChartSpec("f", "Funnel", "One high.", "funnel", "lsoa",
                      categories=("E01000001", "E01000002", "E01000003"),
                      series=(Series("Rate", (90.0, 30.0, 6.7)),),
                      extra={"populations": [1000, 2000, 1500]})
    completed = complete_from_table(chart, table)
    assert completed.extra["overall"] == pytest.approx(1000 * 160 / 4500)
    assert completed.extra["limits"]["population"] == [1000.0, 1500.0, 2000.0]
    root = parse(charts.render_chart(completed))
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"E01000001", "E01000003"} <= texts and "E01000002" not in texts
    assert "1 above the limits" in root.find(f"{SVG}desc").text


def test_grid_map_draws_a_run_of_same_class_cells_as_one_rectangle():
    cells = [{"x": 1000 + 250 * i, "y": 5000, "value": 1, "label": ""} for i in (0, 1, 2, 4)]
    chart = ChartSpec("g", "Grid", "F.", "grid_map", "t", extra={"cell_size": 250, "cells": cells})
    root = parse(charts.render_chart(chart))
    neutral = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#e6e6e6"
               and r.get("stroke") is None]
    widths = sorted(float(r.get("width")) for r in neutral)
    assert len(neutral) == 2 and widths[1] > 2.9 * widths[0]  # cells 0-2 merged; cell 4 alone


def test_long_hbar_labels_wrap_whole_instead_of_being_cut():
    from safecity.engine.assessment.model import ChartSpec, Series
    from safecity.engine.report.charts import render_chart

    cats = ("Miscellaneous crimes against society", "Death or serious injury - unlawful driving",
            "Robbery")
    svg = render_chart(ChartSpec("g", "Groups", "Robbery was smallest.", "hbar", "t", cats,
                                 (Series("2019/20", (400.0, 2.0, 1.0)),)))
    assert "…" not in svg
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    joined = " ".join(spans)  # each label is drawn whole, over one or more lines
    assert "Miscellaneous crimes" in joined and "against society" in joined
    assert "unlawful driving" in joined
