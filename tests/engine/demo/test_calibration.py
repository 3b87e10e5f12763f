"""The demo's files reproduce the published Southampton 2019/20 figures within their tolerance.

Figures are recomputed from the CSV files by ``figures.compute`` (csv module, plain Python) and
compared with the values read from ``shared/reference/southampton-2019-20.md``: counts within
±2 %, percentages and changes within ±1.0 percentage point, ratios within ±10 %.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from .conftest import uk_date, uk_datetime
from .figures import compute, fy

CHANGES = (
    "violent_crime_change_pct", "domestic_violent_crime_change_pct",
    "sexual_offences_rape_change_pct", "hate_crime_change_pct", "drug_offences_change_pct",
    "drug_affected_crime_change_pct", "stalking_harassment_change_pct",
    "modern_slavery_change_pct", "cruelty_to_children_change_pct",
    "most_serious_violence_change_pct", "arson_change_pct", "residential_burglary_change_pct",
    "other_sexual_offences_change_pct", "bladed_implement_offences_change_pct")
COUNTS = ("recorded_crime", "asb_incidents", "alcohol_affected_crime", "unique_person_victims",
          "victims_5plus", "victims_5plus_crimes", "domestic_offenders",
          "sexual_offence_victims", "sexual_offence_offenders", "hate_race_period",
          "hate_five_strands_period")
RATIOS = ("domestic_rate_ratio_most_vs_least_deprived",)
#: Keys whose reference row also gives the 2018/19 (or 2019, for the hate period) value.
WITH_PREVIOUS = ("asb_incidents", "alcohol_affected_crime", "victims_one_crime_pct",
                 "victims_5plus", "hate_race_period", "hate_five_strands_period")
#: Reference keys that are not generator output.
NOT_GENERATED = ()


def kind(key: str) -> str:
    base = key.removesuffix("_previous")
    return "count" if base in COUNTS else "ratio" if base in RATIOS else "pct"


def published(reference) -> dict[str, float]:
    """Every value of the reference, keyed as the assessment's headlines.csv names them."""
    out = {}
    for key, cells in reference.items():
        if key in CHANGES:
            out[key] = cells[2]
        else:
            out[key] = cells[0]
            if key in WITH_PREVIOUS:
                out[key + "_previous"] = cells[1]
    return {k: v for k, v in out.items() if v is not None}


@pytest.fixture(scope="session")
def figures(demo) -> dict[str, float]:
    return compute(demo, uk_date, uk_datetime)


def within(got: float, want: float, how: str) -> bool:
    if how == "count":
        return abs(got - want) <= 0.02 * abs(want)
    if how == "ratio":
        return abs(got - want) <= 0.10 * abs(want)
    return abs(got - want) <= 1.0


def test_the_reference_lists_the_figures_these_tests_expect(reference):
    values = published(reference)
    assert len(values) >= 65, sorted(values)
    for key in CHANGES + COUNTS + RATIOS:
        assert key in values, key


def test_demo_files_reproduce_every_published_figure(figures, reference):
    failures = []
    for key, want in sorted(published(reference).items()):
        got = figures.get(key)
        if got is None or not within(got, want, kind(key)):
            failures.append(f"{key}: demo {got}, published {want} ({kind(key)})")
    assert not failures, "\n".join(failures)


def test_calibration_is_exact_where_the_generator_allocates_exactly(figures, reference):
    values = published(reference)
    for key in ("recorded_crime", "asb_incidents", "asb_incidents_previous",
                "alcohol_affected_crime", "alcohol_affected_crime_previous",
                "unique_person_victims", "victims_5plus", "victims_5plus_previous",
                "victims_5plus_crimes", "domestic_offenders", "sexual_offence_victims",
                "sexual_offence_offenders", "hate_race_period", "hate_race_period_previous",
                "hate_five_strands_period", "hate_five_strands_period_previous"):
        assert figures[key] == values[key], key
    for key in CHANGES:
        assert abs(figures[key] - values[key]) < 0.15, (key, figures[key], values[key])


def test_highest_harm_subgroups_are_rape_then_violence_with_injury_then_residential_burglary(
        demo, shared_data):
    weights = {}
    with open(shared_data / "offences" / "mopd_severity_codes.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            weights.setdefault(r["code_original"].strip(), float(r["weight"]))
    for year in (2018, 2019):
        harm = defaultdict(float)
        for r in demo.crimes:
            if fy(uk_date(r["Date Recorded"])) == year:
                harm[demo.offences[r["HO Offence Code"]]["offence_subgroup"]] += weights.get(
                    r["HO Offence Code"], 0.0)
        top = sorted(harm, key=harm.get, reverse=True)[:3]
        assert top == ["Rape", "Violence with injury", "Residential burglary"], (year, top)
