"""Key findings of the serious violence needs assessment (engine/assessment/findings_sv.py),
scored by the same rule as the Strategic Assessment's (docs/metrics.md).

Worked example, scored by hand (weights volume 2, trend 2, concentration 2, vulnerability 2;
harm is not scored; a criterion with no figure adds nothing). Serious violence 1,000.

============================================== ========= ========== ============ ========= =====
finding                                        volume    trend      concentr.    vuln.     score
============================================== ========= ========== ============ ========= =====
Serious violence not flagged as domestic abuse 70 %→5    sig.+ 5    –            –         20
Offences with a knife or bladed implement      15 %→4    sig.− 3    –            –         14
Violence with injury                           80 %→5    n.s. 1     –            –         12
A&E attendances for assault                    – (partner) sig.+ 5  –            –         10
Robbery of personal property                   14 %→4    n.s. 1     –            –         10
Possession of weapons offences                 6 %→3     n.s. 1     –            –          8
Victims and suspects under 25                  –         –          –            35 %→4     8
When serious violence happens                  –         –          31 %→4       –          8
Repeat locations                               –         –          25 %→3       –          6
============================================== ========= ========== ============ ========= =====

Serious violence as a whole opens the summary and is not a finding; the subgroup "Possession of
weapons offences" is the measure of that name, once; firearms and hospital admissions are
withheld, so they are named nowhere.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from safecity.engine.assessment import findings, output
from safecity.engine.assessment.model import (Period, Section, StrategicAssessment, Suppressed,
                                              TableColumn, TableResult)
from safecity.engine.errors import AssessmentError

C = Suppressed()
CH = ("current", "previous", "change_pct", "p_value", "assessment")
NS = "not significant"


def _table(key, cols, rows):
    return TableResult(key=key, title=key, columns=tuple(TableColumn(c, c) for c in cols),
                       rows=tuple(tuple(r) for r in rows))


def _assessment():
    m = ("measure",) + CH
    sections = (
        Section("sv_definition", 1, "Serious violence: the local definition", tables=(
            _table("sv_measures", m, [("Serious violence", 1000, 980, 2.0, 0.6, NS)]),
            _table("sv_by_subgroup", ("subgroup",) + CH, [
                ("Violence with injury", 800, 790, 1.3, 0.8, NS),
                ("Possession of weapons offences", 60, 58, 3.4, 0.9, NS),
                ("Robbery of personal property", 140, 130, 7.7, 0.5, NS)]))),
        Section("sv_public_space", 2, "Public-space violence", tables=(
            _table("sv_public_space", m, [("Serious violence not flagged as domestic abuse",
                                           700, 650, 7.7, 0.04, "significant increase")]),)),
        Section("sv_weapons", 3, "Knife and weapon offences", tables=(
            _table("sv_weapons", m, [
                ("Offences with a knife or bladed implement", 150, 180, -16.7, 0.02,
                 "significant decrease"),
                ("Possession of weapons offences", 60, 58, 3.4, 0.9, NS),
                ("Crimes where a firearm was used or threatened", C, C, C, C, C)]),)),
        Section("sv_times", 6, "Times", narrative=(
            "60.0 % of serious violence was committed between 18:00 and 05:59; 31.0 % on "
            "Friday and Saturday evenings and the nights after them.",)),
        Section("health", 7, "Health", tables=(
            _table("health_measures", m, [
                ("A&E attendances for assault", 400, 300, 33.3, 0.001, "significant increase"),
                ("Hospital admissions for assault", C, C, C, C, C)]),)))
    p = Period("2019/20", dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    q = Period("2018/19", dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    return StrategicAssessment(
        area_code="E1", area_name="Testtown", period=p, comparison=q, custom_period=None,
        custom_comparison=None, generated_at="2020-05-01", population=100000,
        data_coverage=(), sections=sections, kind="serious_violence",
        headlines=(("serious_violence", 1000), ("serious_violence_previous", 980),
                   ("sv_victims_under25_pct", 35.0), ("sv_suspects_under25_pct", C),
                   ("sv_repeat_locations", 40), ("sv_repeat_location_crimes_pct", 25.0),
                   ("sv_weekend_night_pct", 31.0), ("assault_admissions", C)),
        definitions=())


EXPECTED = [  # subject, (harm, volume, trend, concentration, vulnerability), score
    ("Serious violence not flagged as domestic abuse", (None, 5, 5, None, None), 20),
    ("Offences with a knife or bladed implement", (None, 4, 3, None, None), 14),
    ("Violence with injury", (None, 5, 1, None, None), 12),
    ("A&E attendances for assault", (None, None, 5, None, None), 10),
    ("Robbery of personal property", (None, 4, 1, None, None), 10),
    ("Possession of weapons offences", (None, 3, 1, None, None), 8),
    ("Victims and suspects under 25", (None, None, None, None, 4), 8),
    ("When serious violence happens", (None, None, None, 4, None), 8),
    ("Repeat locations", (None, None, None, 3, None), 6),
]


def test_the_worked_example_scores_and_order():
    found = findings.build(_assessment())
    got = [(f.subject, tuple(f.scores[k] for k in findings.CRITERIA), f.score)
           for f in found.findings]
    assert got == EXPECTED


def test_the_summary_opens_with_serious_violence_then_the_top_five():
    found = findings.build(_assessment())
    assert found.summary[0] == (
        "Serious violence in Testtown rose by 2.0 % (from 980 to 1,000), which is within "
        "normal year-to-year variation (not statistically significant) in 2019/20 (compared "
        "with 2018/19).")
    assert list(found.summary[1:]) == [f.text for f in found.findings[:5]]
    texts = {f.subject: f.text for f in found.findings}
    assert texts["Victims and suspects under 25"] == (
        "35.0 % of victims of serious violence whose age is recorded were under 25.")
    assert texts["Repeat locations"] == (
        "40 repeat locations (100 m squares with 3 or more crimes) had 25.0 % of serious "
        "violence.")


def test_withheld_figures_are_never_named():
    a = findings.attach(_assessment())
    text = json.dumps(output.to_jsonable(a.findings))
    assert "firearm" not in text and "Hospital admissions" not in text
    assert "of suspects" not in text  # their under-25 share is withheld


def test_since_the_last_needs_assessment(tmp_path):
    previous = {"schema": "safecity.assessment/1", "kind": "serious_violence",
                "period": {"label": "2018/19"},
                "headlines": {"serious_violence": 900, "sv_victims_under25_pct": "[c]",
                              "sv_repeat_locations": 35}}
    sl = findings.attach(_assessment(), previous).findings.since_last
    assert sl.figures == (("Serious violence (local definition)", 900.0, 1000.0),
                          ("Repeat locations (100 m squares)", 35.0, 40.0))
    # a previous run of another kind is refused in one sentence
    (tmp_path / "assessment.json").write_text(json.dumps(
        {"schema": "safecity.assessment/1", "kind": "annual"}), encoding="utf-8")
    with pytest.raises(AssessmentError, match="is a strategic assessment, not a serious "
                                              "violence needs assessment"):
        findings.load_previous(tmp_path, "serious_violence")
    assert findings.load_previous(tmp_path)["kind"] == "annual"


def test_the_command_refuses_what_the_needs_assessment_does_not_take(home, tmp_path, capsys):
    from safecity.cli import main

    spec = tmp_path / "priorities.yaml"
    spec.write_text("current_priorities: []\n", encoding="utf-8")
    assert main(["assess", "--year", "2019/20", "--serious-violence", "--priorities",
                 str(spec)]) == 2
    assert "priorities are set with the strategic assessment" in capsys.readouterr().err
    (tmp_path / "assessment.json").write_text(json.dumps(
        {"schema": "safecity.assessment/1", "kind": "annual"}), encoding="utf-8")
    assert main(["assess", "--year", "2019/20", "--serious-violence", "--previous",
                 str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a strategic assessment, not a serious violence needs assessment" in err
    assert "Traceback" not in err
