"""What the documents say, gathered once from the assessment, so the summary (DOCX and PDF), the
slides and the scrutiny report cannot disagree. Only published values are used: a withheld
figure (``model.Suppressed``) is skipped and not named."""

from __future__ import annotations

from dataclasses import dataclass

from ...assessment.model import StrategicAssessment, Suppressed
from ..format import format_value

TOP_FINDINGS = 10

#: Headline figures the summary lists, when published (key, unit kind).
HEADLINE_KEYS = (
    ("recorded_crime", "count"), ("asb_incidents", "count"), ("unique_person_victims", "count"),
    ("victims_repeat_pct", "percent"), ("victims_5plus", "count"),
    ("domestic_share_of_crime_pct", "percent"), ("domestic_share_of_violence_pct", "percent"),
    ("sexual_offences_non_recent_pct", "percent"), ("alcohol_affected_crime", "count"),
    ("lsoas_above_funnel_95", "count"), ("hotspot_cells", "count"), ("population", "count"),
)


@dataclass(frozen=True)
class Content:
    area: str
    title: str  # e.g. "Southampton Community Safety Strategic Assessment 2019/20"
    period: str
    comparison: str
    generated: str
    threshold: int | None
    summary: tuple[str, ...]
    findings: tuple[tuple[str, str], ...]  # (subject, sentence), best first
    priorities: tuple[tuple[str, ...], ...]  # rows: rank, issue, total, recommended
    priority_decisions: tuple[str, ...]
    since_last: tuple[tuple[str, str, str], ...]  # label, previous, now
    since_last_periods: tuple[str, str] | None
    since_last_sentences: tuple[str, ...]
    headlines: tuple[tuple[str, str], ...]  # (label, value)
    not_available: tuple[tuple[str, str], ...]
    coverage: tuple[str, ...]


def _fmt(value: float) -> str:
    return f"{value:,.1f}" if not float(value).is_integer() else f"{int(value):,}"


def gather(assessment: StrategicAssessment) -> Content:
    from ...assessment import metrics

    found = assessment.findings
    heads = dict(assessment.headlines)
    headlines = []
    for key, kind in HEADLINE_KEYS:
        value = heads.get(key)
        if value is None or isinstance(value, Suppressed):
            continue
        definition = metrics.definition_for(key)
        label = definition.name if definition else key.replace("_", " ")
        headlines.append((label, format_value(value, kind)))
    matrix = assessment.priorities
    rows, decisions = (), ()
    if matrix is not None:
        rows = tuple((str(p.rank), p.issue, f"{p.total:.2f}", "Yes" if p.recommended else "No")
                     for p in matrix.issues)
        decisions = tuple(c.reason for c in matrix.comparison)
    sl = found.since_last if found is not None else None
    return Content(
        area=assessment.area_name,
        title=f"{assessment.area_name} Community Safety Strategic Assessment "
              f"{assessment.period.label}",
        period=assessment.period.label, comparison=assessment.comparison.label,
        generated=str(assessment.generated_at)[:10],
        threshold=assessment.settings.get("suppression_threshold"),
        summary=tuple(found.summary) if found else (),
        findings=tuple((f.subject, f.text) for f in found.findings[:TOP_FINDINGS])
        if found else (),
        priorities=rows, priority_decisions=decisions,
        since_last=tuple((label, _fmt(then), _fmt(now)) for label, then, now in sl.figures)
        if sl else (),
        since_last_periods=(sl.previous_period, sl.this_period) if sl else None,
        since_last_sentences=tuple(sl.sentences) if sl else (),
        headlines=tuple(headlines),
        not_available=tuple(assessment.not_available),
        coverage=tuple(assessment.data_coverage))
