"""The key charts of the documents: the report's own charts, drawn from the same (protected)
tables, as SVG for the PDF summary and as PNG for Word and PowerPoint (CairoSVG: the SVG
renderer the documents need; WeasyPrint prints SVG into PDF but writes no images)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ...assessment.model import ChartSpec, StrategicAssessment
from ..charts import render_chart
from ..funnel import complete_from_table

#: Chart keys shown in the documents, in this order when present; when fewer than
#: MIN_CHARTS of them are, the assessment's other charts follow in report order.
KEY_CHARTS = ("crime_by_group_chart", "harm_chart", "lsoa_choropleth", "hotspot_map",
              "monthly_series_chart", "lsoa_funnel")
#: The serious violence needs assessment's key charts.
KEY_CHARTS_SV = ("sv_by_subgroup_chart", "sv_by_ward_chart", "sv_by_day_and_time_chart",
                 "health_chart", "ambulance_chart")
MIN_CHARTS = 3
MAX_CHARTS = 6


@dataclass(frozen=True)
class KeyChart:
    key: str
    title: str
    finding: str  # the chart's one message
    svg: str
    section: str

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.finding} Every value is in the full report's table."

    @cached_property
    def png(self) -> bytes:
        import cairosvg

        # twice the SVG's 640 px width: sharp on slides and in print
        return cairosvg.svg2png(bytestring=self.svg.encode("utf-8"), scale=2.0)

    @property
    def aspect(self) -> float:
        """Height over width, from the SVG's own viewBox."""
        import re

        found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', self.svg)
        return float(found.group(2)) / float(found.group(1)) if found else 0.6


def key_charts(assessment: StrategicAssessment) -> tuple[KeyChart, ...]:
    tables = {t.key: t for s in assessment.sections for t in s.tables}
    keys = KEY_CHARTS_SV if assessment.kind == "serious_violence" else KEY_CHARTS
    every = [(s, c) for s in assessment.sections for c in s.charts if c.table_key in tables]
    chosen = sorted((sc for sc in every if sc[1].key in keys),
                    key=lambda sc: keys.index(sc[1].key))
    if len(chosen) < MIN_CHARTS:
        chosen += [sc for sc in every if sc[1].key not in keys]
    out = []
    for section, chart in chosen[:MAX_CHARTS]:
        table = tables[chart.table_key]
        spec: ChartSpec = complete_from_table(chart, table) if chart.kind == "funnel" else chart
        svg = render_chart(spec, f"doc-{chart.key}", table.title)
        out.append(KeyChart(chart.key, chart.title, chart.finding, svg, section.key))
    return tuple(out)
