"""Helpers shared by the section builders: change rows, unavailable sections, age bands."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ... import settings
from ...sql import literal_list
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
}

#: Age bands used for every victim and offender profile (age at the offence).
AGE_BANDS = (("under18", "Under 18", 0, 17), ("18_24", "18 to 24", 18, 24),
             ("25_34", "25 to 34", 25, 34), ("35_49", "35 to 49", 35, 49),
             ("50_64", "50 to 64", 50, 64), ("65plus", "65 and over", 65, 200))

AGE_BAND_SQL = ("CASE " + " ".join(f"WHEN age BETWEEN {lo} AND {hi} THEN '{key}'"
                                     for key, _, lo, hi in AGE_BANDS) + " END")

NO_VICTIMS = ("data.police.uk files have no victim records (victims are only in a police "
              "record-level extract)")
NO_FLAGS = "data.police.uk files carry no domestic abuse, hate, alcohol, drug or weapon flags"
NO_CODES = ("data.police.uk files have no Home Office offence code, so ONS offence groups and "
            "subgroups cannot be derived")


@dataclass
class SectionOutput:
    section: Section
    headlines: dict[str, Value] = field(default_factory=dict)


def section(key: str, **kwargs: Any) -> Section:
    number, title = TITLES[key]
    return Section(key=key, number=number, title=title, **kwargs)


def unavailable(key: str, reason: str) -> SectionOutput:
    return SectionOutput(section(key, available=False, unavailable_reason=reason))


@dataclass(frozen=True)
class NoComparison:
    """Stands in for ``stats.change.Change`` when the comparison period has no data loaded."""

    current: int
    previous: None = None
    difference: None = None
    change_pct: None = None
    p_value: None = None
    significant: bool = False
    direction: str = "no change"
    small_numbers: bool = False
    rate_ratio: None = None
    rate_ratio_low: None = None
    rate_ratio_high: None = None
    test: str = "none (no comparison data)"


def compare(cur: int, prev: int | None):
    """The E-test comparison of two period counts (equal exposure: same-length periods);
    ``NoComparison`` when the comparison count is None (data not loaded)."""
    if prev is None:
        return NoComparison(int(cur))
    return _compare_counts(int(cur), int(prev), settings.get("small_numbers_threshold"))


@lru_cache(maxsize=1024)
def _compare_counts(cur: int, prev: int, small_below: int):
    # Sections compare the same pair of counts several times (a total in the overview, its
    # group table and the narrative); each E-test and exact interval costs milliseconds.
    # The result is a frozen dataclass, so sharing it is safe; the threshold is in the key.
    from ...stats.change import compare_counts

    return compare_counts(cur, prev, small_below=small_below)


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


# Offence selections in SQL over the crime rows (labels as the classification derives them).
VAP = "lower(offence_group) = 'violence against the person'"
SEXUAL = "lower(offence_group) = 'sexual offences'"
RAPE = "lower(offence_subgroup) = 'rape'"
OTHER_SEXUAL = "lower(offence_subgroup) = 'other sexual offences'"
DOMESTIC = "coalesce(domestic_abuse, FALSE)"


def basket_condition(name: str, fields: dict[str, bool] | None = None) -> str | None:
    """SQL condition selecting the crimes of a classification basket, or None if undefined.

    A crime is in the basket if its code is one of the basket's codes (subgroups already
    expanded by the classification) or the basket's flag column (e.g. ``weapon_bladed``) is true
    and recorded (baskets.yaml).
    """
    from ... import classification
    from ...errors import ConfigError

    try:
        basket = classification.load().basket_definition(name)
    except ConfigError:
        return None
    parts = []
    codes = tuple(sorted(str(c) for c in basket.codes))
    if codes:
        parts.append(in_codes(codes))
    flag = basket.flag
    if flag and (fields is None or fields.get(flag, False)):
        parts.append(f"coalesce({flag}, FALSE)")
    return "(" + " OR ".join(parts) + ")" if parts else None


def in_codes(codes: tuple[str, ...]) -> str:
    """SQL condition 'offence_code IN (...)' (FALSE for an empty basket)."""
    if not codes:
        return "FALSE"
    return "offence_code IN (" + literal_list(codes) + ")"
