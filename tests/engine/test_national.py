"""National and comparator context (engine/national.py): the documented layout, one-sentence
refusals, quartiles worked by hand, and the national value and quartile beside the area's figure.

The two files under national_files/ are small examples in the published layout, made up for the
tests (they are not published figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safecity.engine import national
from safecity.engine.assessment.model import Section, Suppressed
from safecity.engine.assessment.sections._common import SectionOutput
from safecity.engine.errors import SourceError

FILES = Path(__file__).parent / "national_files"


def test_quartiles_against_a_hand_worked_example():
    # Eight area values (the England row is not an area): 90 120 150 160 180 200 210 240.
    # Positions (n-1)p = 1.75, 3.5, 5.25: Q1 = 120 + 0.75*30 = 142.5, Q2 = (160+180)/2 = 170,
    # Q3 = 200 + 0.25*10 = 202.5.
    rows = national.read(FILES / "fte_example.csv")
    cmp = national.compare(rows, "fte_rate_per_100k", "2019/20", 240.0)
    assert (cmp.national, cmp.national_name, cmp.areas) == (169.0, "England", 8)
    assert cmp.quartile == 4
    for value, q in ((142.5, 1), (142.6, 2), (170.0, 2), (170.1, 3), (202.5, 3), (202.6, 4),
                     (50.0, 1)):
        assert national.compare(rows, "fte_rate_per_100k", "2019/20", value).quartile == q


def test_the_latest_year_is_used_when_the_assessment_year_is_absent():
    rows = national.read(FILES / "fte_example.csv")
    assert national.compare(rows, "fte_rate_per_100k", "2020/21", 100.0).year == "2019/20"
    assert national.compare(rows, "fte_rate_per_100k", "2018/19", 100.0).national == 207.0
    assert national.compare(rows, "fte_rate_per_100k", "2018/19", 100.0).quartile is None


def _output(key, heads):
    return SectionOutput(Section(key=key, number=1, title="t"), dict(heads))


def test_annotate_adds_national_value_quartile_and_a_sentence():
    rows = national.load([FILES / "fte_example.csv", FILES / "non_recent_example.csv"])
    youth = _output("youth", {"fte_rate_per_100k": 240.0})
    sexual = _output("sexual", {"sexual_offences_non_recent_pct": 33.0,
                                "rape_non_recent_pct": Suppressed()})
    other = _output("violence", {"fte_rate_per_100k": 240.0})
    national.annotate([youth, sexual, other], rows, "2019/20")
    assert youth.headlines["fte_rate_per_100k_national"] == 169.0
    assert youth.headlines["fte_rate_per_100k_quartile"] == 4
    assert "highest quartile" in youth.section.narrative[-1]
    # 28 30 34 36 40: Q1 = 30, Q2 = 34: 33 is in the second quartile; England and Wales value
    assert sexual.headlines["sexual_offences_non_recent_pct_quartile"] == 2
    assert sexual.headlines["sexual_offences_non_recent_pct_national"] == 32.0
    assert "England and Wales" in sexual.section.narrative[-1]
    # a withheld figure is never compared, and other sections are left alone
    assert "rape_non_recent_pct_national" not in sexual.headlines
    assert other.section.tables == () and "fte_rate_per_100k_national" not in other.headlines
    (table,) = youth.section.tables
    assert table.key == "national_youth" and table.rows[0][1:] == (240.0, 169.0, "2019/20", 4, 8)


@pytest.mark.parametrize("text, problem", [
    ("measure,year,area_code\nfte_rate_per_100k,2019/20,E92000001\n", "missing required column(s) value"),
    ("measure,year,area_code,value\nfte_rate,2019/20,E92000001,1\n",
     "is not one safecity compares"),
    ("measure,year,area_code,value\nfte_rate_per_100k,2019/20,E92000001,c\n",
     "'c' is not a number"),
])
def test_a_bad_table_is_one_sentence_with_its_line(tmp_path, text, problem):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        national.read(p)
    assert problem in err.value.message
    assert err.value.message.startswith("bad.csv")
    if "not" in problem:
        assert "line 2" in err.value.message
