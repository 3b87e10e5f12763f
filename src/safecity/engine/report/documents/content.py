"""What the documents say, gathered once from the assessment, so the summary (DOCX and PDF), the
slides and the scrutiny report cannot disagree. Only published values are used: a withheld
figure (``model.Suppressed``) is skipped and not named."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...assessment.model import StrategicAssessment, Suppressed
from ..format import format_value

TOP_FINDINGS = 10

#: Headline figures the summary lists, when published (key, unit kind).
HEADLINE_KEYS_SV = (
    ("serious_violence", "count"), ("serious_violence_rate_per_1000", "ratio"),
    ("public_space_serious_violence", "count"), ("bladed_implement_offences", "count"),
    ("possession_of_weapons", "count"), ("firearm_crimes", "count"),
    ("sv_victims_under25_pct", "percent"), ("sv_suspects_under25_pct", "percent"),
    ("sv_repeat_locations", "count"), ("sv_repeat_location_crimes_pct", "percent"),
    ("sv_evening_night_pct", "percent"), ("ed_assault_attendances", "count"),
    ("assault_admissions", "count"), ("sharp_object_admissions", "count"),
    ("assault_callouts", "count"), ("fte_count", "count"), ("fte_rate_per_100k", "rate"),
)
HEADLINE_KEYS = (
    ("recorded_crime", "count"), ("asb_incidents", "count"), ("unique_person_victims", "count"),
    ("victims_repeat_pct", "percent"), ("victims_5plus", "count"),
    ("domestic_share_of_crime_pct", "percent"), ("domestic_share_of_violence_pct", "percent"),
    ("sexual_offences_non_recent_pct", "percent"), ("alcohol_affected_crime", "count"),
    ("lsoas_above_funnel_95", "count"), ("hotspot_cells", "count"), ("population", "count"),
)


@dataclass(frozen=True)
class Profile:
    """What differs between the kinds of assessment the documents are written for; everything
    else (the writers, the rules on published figures) is the same."""

    kind: str
    name: str  # the document's name after the area's
    short: str  # "the assessment", "the needs assessment"
    noun: str  # "strategic assessment", "needs assessment"
    headline_keys: tuple[tuple[str, str], ...]
    by_section: bool  # the documents go through the assessment section by section
    priorities: bool  # the priority-setting matrix is part of this kind


PROFILES = {
    "annual": Profile("annual", "Community Safety Strategic Assessment", "the assessment",
                      "strategic assessment", HEADLINE_KEYS, by_section=False, priorities=True),
    "serious_violence": Profile(
        "serious_violence", "Serious Violence Duty strategic needs assessment",
        "the needs assessment", "needs assessment", HEADLINE_KEYS_SV, by_section=True,
        priorities=False),
}


@dataclass(frozen=True)
class SectionDigest:
    """A section of the assessment as the documents give it: its title and its published
    sentences, or why the data could not give it."""

    title: str
    sentences: tuple[str, ...]
    reason: str = ""  # why it is not available; "" when it is


@dataclass(frozen=True)
class Content:
    profile: Profile
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
    sections: tuple[SectionDigest, ...]  # every section in order (used when by_section)


_COMPLETE = re.compile(r"^(?P<period>.+?): (?P<what>.+) are counted for (?P<n>\d+) of "
                       r"(?P=n) months?\.$")


def compact_coverage(lines) -> tuple[str, ...]:
    """The data-coverage notes for a short document: the sources counted for every month of
    every period in one sentence, the notes that say more (months missing, purged, flagged)
    whole. The full report keeps every note."""
    complete: dict[str, list[str]] = {}
    out: list[str] = []
    at = None
    for line in lines:
        m = _COMPLETE.match(line)
        if m is None:
            out.append(line)
            continue
        if at is None:
            at = len(out)
            out.append("")
        complete.setdefault(m["what"], []).append(m["period"])
    if at is not None:
        groups: dict[tuple[str, ...], list[str]] = {}
        for what, periods in complete.items():
            groups.setdefault(tuple(periods), []).append(what)
        out[at] = " ".join(f"Every month of {_and(periods)} is counted for {_and(whats)}."
                           for periods, whats in groups.items())
    return tuple(out)


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def gather(assessment: StrategicAssessment) -> Content:
    from ...assessment import metrics
    from ...assessment.findings import since_value

    profile = PROFILES[assessment.kind]
    found = assessment.findings
    heads = dict(assessment.headlines)
    headlines = []
    for key, kind in profile.headline_keys:
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
    sections = tuple(SectionDigest(s.title, tuple(s.narrative) if s.available else (),
                                   "" if s.available else s.unavailable_reason)
                     for s in assessment.sections)
    return Content(
        profile=profile,
        area=assessment.area_name,
        title=f"{assessment.area_name} {profile.name} {assessment.period.label}",
        period=assessment.period.label, comparison=assessment.comparison.label,
        generated=str(assessment.generated_at)[:10],
        threshold=assessment.settings.get("suppression_threshold"),
        summary=tuple(found.summary) if found else (),
        findings=tuple((f.subject, f.text) for f in found.findings[:TOP_FINDINGS])
        if found else (),
        priorities=rows, priority_decisions=decisions,
        since_last=tuple((label, since_value(label, then), since_value(label, now))
                         for label, then, now in sl.figures)
        if sl else (),
        since_last_periods=(sl.previous_period, sl.this_period) if sl else None,
        since_last_sentences=tuple(sl.sentences) if sl else (),
        headlines=tuple(headlines),
        not_available=tuple(assessment.not_available),
        coverage=compact_coverage(assessment.data_coverage), sections=sections)
