"""Helpers shared by the section builders: change rows, unavailable sections, age bands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The figure rules live in engine/figures.py; sections import them from here for brevity.
from ...figures import (DOMESTIC, NO_CODES, NO_FLAGS, NO_VICTIMS, OTHER_SEXUAL,  # noqa: F401
                        RAPE, SEXUAL, VAP, NoComparison, basket_condition, compare, in_codes)
from ... import partners as _partners
from ..context import Context
from ..model import Figure, Section, TableColumn, Value

TITLES = {
    "overview": (1, "Overview"),
    "crime_groups": (2, "Crime by offence group and subgroup"),
    "harm": (3, "Harm: crime severity"),
    "repeat": (4, "Repeat victimisation"),
    "domestic": (5, "Domestic abuse"),
    "sexual": (6, "Sexual offences"),
    "violence": (7, "Violence"),
    "hate": (8, "Hate crime"),
    "substances": (9, "Alcohol- and drug-affected crime; drug offences"),
    "place": (10, "Place"),
    "time": (11, "Time"),
    "benchmarking": (12, "Benchmarking"),
    "youth": (13, "Youth justice"),
    "intelligence": (14, "Partner intelligence"),
}
# The Serious Violence Duty needs assessment's own sections (sections/serious_violence.py).
TITLES.update({
    "sv_definition": (1, "Serious violence: the local definition"),
    "sv_public_space": (2, "Public-space violence"),
    "sv_weapons": (3, "Knife and weapon offences"),
    "sv_people": (4, "Victims and suspects under 25"),
    "sv_places": (5, "Places and repeat locations"),
    "sv_times": (6, "Times"),
})
# Sections 15-19: partner data, one section per partner source (engine/partners.py).
TITLES.update({_p.section: (_p.number, _p.title) for _p in _partners.SOURCES})

#: Age bands used for every victim and offender profile (age at the offence).
AGE_BANDS = (("under18", "Under 18", 0, 17), ("18_24", "18 to 24", 18, 24),
             ("25_34", "25 to 34", 25, 34), ("35_49", "35 to 49", 35, 49),
             ("50_64", "50 to 64", 50, 64), ("65plus", "65 and over", 65, 200))

AGE_BAND_SQL = ("CASE " + " ".join(f"WHEN age BETWEEN {lo} AND {hi} THEN '{key}'"
                                     for key, _, lo, hi in AGE_BANDS) + " END")


@dataclass
class SectionOutput:
    section: Section
    headlines: dict[str, Value] = field(default_factory=dict)


def section(key: str, **kwargs: Any) -> Section:
    number, title = TITLES[key]
    return Section(key=key, number=number, title=title, **kwargs)


def unavailable(key: str, reason: str) -> SectionOutput:
    return SectionOutput(section(key, available=False, unavailable_reason=reason))


CHANGE_COLUMNS = (
    TableColumn("current", "This period", "count"),
    TableColumn("previous", "Comparison period", "count"),
    TableColumn("change_pct", "Change (%)", "change_pct"),
    TableColumn("p_value", "p-value (E-test)", "p_value"),
    TableColumn("assessment", "Assessment", "text"),
)


def assessment_words(change: Any) -> str:
    """A short label for a change, for the table column 'Assessment'."""
    if change.previous is None:
        return "no comparison data loaded"
    if change.previous == 0:
        return "no baseline" if change.current else "none in either period"
    if change.small_numbers:
        return "small numbers: interpret with caution"
    if change.significant:
        return f"significant {'increase' if change.current > change.previous else 'decrease'}"
    return "not significant"


def change_cells(change: Any) -> tuple[Value, ...]:
    p = change.p_value
    return (change.current, change.previous,
            None if change.change_pct is None else round(change.change_pct, 1),
            None if p is None else round(float(p), 4), assessment_words(change))


def pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def change_pct(cur: int, prev: int) -> float | None:
    return None if not prev else round(100.0 * (cur - prev) / prev, 1)


def rate(count: int | None, population: int | None, per: int = 1000) -> float | None:
    if count is None or not population:
        return None
    return round(per * count / population, 2)


def figure(key: str, label: str, value: Value, unit: str = "", metric: str | None = None
           ) -> Figure:
    return Figure(key=key, label=label, value=value, unit=unit, metric=metric or key)


def band_label(key: str) -> str:
    return {k: label for k, label, _, _ in AGE_BANDS}.get(key, "Unknown")


def protected_change(pr, cur_key: str, prev_key: str):
    """(change or None, the five change cells) for two protected counts: when either count is
    withheld so are the change, its p-value and its assessment (each would give it back)."""
    from ..model import Suppressed

    cur, prev = pr[cur_key], pr[prev_key]
    if isinstance(cur, Suppressed) or isinstance(prev, Suppressed):
        return None, (cur, prev, None, None, "withheld: small numbers")
    ch = compare(cur, prev)
    return ch, change_cells(ch)


def protected_sentence(subject: str, ch, period_label: str = "") -> str:
    """``narrative.change_sentence`` for a protected change (None: withheld)."""
    from .. import narrative

    if ch is None:
        tail = f" in {period_label}" if period_label else ""
        text = (f"{subject}{tail}: the figures are withheld because the numbers are small "
                "(fewer than the publication threshold in one of the periods compared).")
        return text[0].upper() + text[1:]
    return narrative.change_sentence(subject, ch, period_label)
