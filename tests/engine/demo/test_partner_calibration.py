"""The demo's partner files meet the published national rates they are calibrated to, counted
from the CSV files with the csv module (partner_data.RATES states each figure and its year)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from safecity.engine.demo import partner_data

FY = (date(2019, 4, 1), date(2020, 3, 31))

# national count / population, copied from the publications (not from the generator)
PER_1000 = {
    "deliberate_fires": 1000 * 69_776 / 56_536_419,  # Home Office, England, YE Mar 2022
    "assault_admissions": 1000 * 28_905 / 56_286_961,  # NHS Digital HES 2019-20
    "sharp_object_admissions": 1000 * 4_674 / 56_286_961,  # HES 2019-20, X99
    "ed_assault_attendances": 1000 * 133_896 / 54_316_618,  # HSCIC, May 2014-Apr 2015
    # NHS Digital, Statistics on Alcohol, England 2020: narrow measure, 2018-19; mid-2018 England
    "alcohol_related_admissions": 1000 * 357_660 / 55_977_178,
    "assault_callouts": 1000 * 15_687 / 3 / 7_133_067,  # Quigg et al. 2017, NW England
    "treatment_starts": 1000 * 132_124 / 56_286_961,  # PHE 2019-20
    "drug_related_deaths": 1000 * 2_880 / 59_439_840,  # ONS 2019 registrations
}


def _rows(demo, kind):
    path = dict(demo.files.partners)[kind]
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _in_year(rows, col):
    return [r for r in rows if FY[0] <= date.fromisoformat(r[col][:10]) <= FY[1]]


def _population(demo) -> int:
    return sum(int(r["population"]) for r in demo.geography)


def _count(demo, measure) -> int:
    if measure == "deliberate_fires":
        return sum(r["deliberate"] == "true" for r in _in_year(_rows(demo, "fire"),
                                                               "incident_date"))
    if measure in ("assault_admissions", "sharp_object_admissions", "ed_assault_attendances"):
        rows = _in_year(_rows(demo, "health"), "attendance_date")
        if measure == "ed_assault_attendances":
            return sum(r["setting"] == "emergency_department" for r in rows)
        adm = [r for r in rows if r["setting"] == "admission" and r["alcohol_related"] != "true"]
        return len(adm) if measure == "assault_admissions" else sum(
            r["icd10_cause"].startswith("X99") for r in adm)
    if measure == "alcohol_related_admissions":
        rows = _in_year(_rows(demo, "health"), "attendance_date")
        return sum(r["setting"] == "admission" and r["alcohol_related"] == "true" for r in rows)
    if measure == "assault_callouts":
        return len(_in_year(_rows(demo, "ambulance"), "callout_date"))
    kind = {"treatment_starts": "start", "drug_related_deaths": "drug_related_death"}[measure]
    return sum(r["event_type"] == kind for r in _in_year(_rows(demo, "treatment"), "event_date"))


@pytest.mark.parametrize("measure", sorted(PER_1000))
def test_2019_20_partner_counts_meet_the_published_national_rate(demo, measure):
    expected = PER_1000[measure] * _population(demo) / 1000
    got = _count(demo, measure)
    assert abs(got - expected) <= max(1.0, 0.01 * expected), (measure, got, expected)


def test_childrens_assessments_and_the_domestic_abuse_factor(demo):
    rows = _in_year(_rows(demo, "childrens-services"), "completed_date")
    referrals = 642_980 / 56_286_961 * _population(demo)  # DfE 2019-20
    assert abs(len(rows) - 0.85 * referrals) <= 0.01 * referrals
    da = sum(r["factor_domestic_abuse"] == "true" for r in rows)
    # DfE 2019-20: domestic violence by the parent at the end of assessment in 169,860 of
    # 642,980 referrals; binomial sampling allows four standard errors
    share = 169_860 / 642_980 / 0.85
    sd = (share * (1 - share) / len(rows)) ** 0.5
    assert abs(da / len(rows) - share) < 4 * sd


def test_every_partner_file_is_written_and_planned(demo):
    kinds = [k for k, _, _ in demo.files.plan()]
    for kind in ("fire", "health", "ambulance", "childrens-services", "treatment"):
        assert kind in kinds
    assert partner_data.population() == _population(demo)
