"""Acceptance: the demo partnership through ``safecity assess`` reproduces the published
Southampton 2019/20 figures (shared/reference/southampton-2019-20.md) within their tolerances.

The reference markdown is parsed here, so a key added to it is checked without editing this
test. Tolerances (stated in the reference): counts ±2 %, percentages and changes ±1.0 percentage
point, ratios ±10 %. The row published as "75 %" is checked against its derived value 76.1.
"""

from __future__ import annotations

import csv
import re

import pytest

from safecity.cli import main

from .reference_table import parse_reference, within


@pytest.fixture(scope="module")
def demo_headlines(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("demo-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        out = home / "out"
        assert main(["assess", "--year", "2019/20", "--custom-period",
                     "2020-09-30..2020-11-30", "--out", str(out), "--no-pdf"]) == 0
    finally:
        mp.undo()
    with open(out / "headlines.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["key", "value"]
    return dict(rows[1:]), out


def test_every_reference_key_is_within_its_tolerance(demo_headlines, shared_data):
    heads, _ = demo_headlines
    expected = parse_reference(shared_data.parent / "reference" / "southampton-2019-20.md")
    assert len(expected) >= 60
    failures = []
    for key, value, kind in expected:
        got = heads.get(key)
        if got is None or not within(float(got), value, kind):
            failures.append(f"{key}: expected {value} ({kind}), got {got}")
    assert not failures, "\n".join(failures)


def test_highest_harm_subgroups_are_rape_violence_with_injury_and_residential_burglary(
        demo_headlines):
    heads, _ = demo_headlines
    top = ["Rape", "Violence with injury", "Residential burglary"]
    assert heads["harm_top3_subgroups"].split("; ") == top
    assert heads["harm_top3_subgroups_previous"].split("; ") == top


def test_the_demo_assessment_writes_every_output(demo_headlines):
    _, out = demo_headlines
    assert (out / "assessment.json").exists() and (out / "report.html").exists()
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"crime_by_offence_group", "harm_by_subgroup", "repeat_victimisation",
            "domestic_profiles", "sexual_profiles", "hate_crime_by_strand", "crime_by_lsoa",
            "hotspots", "monthly_series", "hour_by_weekday", "youth_reoffending"} <= tables
    text = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"statistically significant|within normal", text)
