"""The priority-setting matrix (engine/assessment/priorities.py).

Worked example, computed by hand from the rules in docs/metrics.md (default weights harm 3,
volume 2, trend 2, vulnerability 2, public concern 1, capacity 1; total = Σ w·s / Σ w over the
criteria scored). Recorded crime 10,000.

=========================== ====== ====== ===== ===== ======= ======== =====================
issue                       harm   volume trend vuln  concern capacity total
=========================== ====== ====== ===== ===== ======= ======== =====================
Violence against the person 29.6%→5 40.8%→5 sig.+ →5 32.3%→4 4   3    (15+10+10+8+4+3)/11 = 4.55
Anti-social behaviour       –      24.7%→5 n.s.→3 –    5       2        (10+6+5+2)/6 = 3.83
Residential burglary        14.7%→4 3.9%→2 sig.− →1 –   3       5        (12+4+2+3+5)/9 = 2.89
Robbery (count withheld)    4.0%→2  –      –     –     –       –        6/3 = 2.00
=========================== ====== ====== ===== ===== ======= ======== =====================

Order: Violence, ASB, Residential burglary, Robbery. With ``recommend: 2`` and current priorities
[Residential burglary, Violence against the person]: keep Violence, drop Residential burglary,
add Anti-social behaviour. Sexual offences has every figure withheld, so it is not a candidate
and is named nowhere.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json

import pytest

from safecity.cli import main
from safecity.engine.assessment import output, priorities
from safecity.engine.assessment.model import (Period, Section, StrategicAssessment, Suppressed,
                                              TableColumn, TableResult)
from safecity.engine.errors import AssessmentError

C = Suppressed()


def _table(key, cols, rows):
    return TableResult(key=key, title=key, columns=tuple(TableColumn(c, c) for c in cols),
                       rows=tuple(tuple(r) for r in rows))


def _assessment():
    groups = _table("crime_by_offence_group",
                    ("offence_group", "offence_subgroup", "current", "assessment"), [
                        ("Violence against the person", "All", 4080, "significant increase"),
                        ("Theft offences", "Residential burglary", 390, "significant decrease"),
                        ("Robbery", "All", C, C),
                        ("Sexual offences", "All", C, C)])
    overview = _table("overview", ("measure", "current", "assessment"), [
        ("Police recorded crime", 10000, "significant increase"),
        ("Anti-social behaviour incidents", 2470, "not significant")])
    harm = _table("harm_by_subgroup", ("offence_group", "offence_subgroup", "share_pct"), [
        ("Violence against the person", "Violence with injury", 20.0),
        ("Violence against the person", "Violence without injury", 9.6),
        ("Theft offences", "Residential burglary", 14.7),
        ("Robbery", "Subgroups withheld (small numbers)", 4.0),
        ("Sexual offences", "Rape", C)])
    p = Period("2019/20", dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    return StrategicAssessment(
        area_code="E1", area_name="Test", period=p, comparison=p, custom_period=None,
        custom_comparison=None, generated_at="2020-05-01", population=100000,
        data_coverage=(), sections=(Section("s", 1, "S", tables=(groups, overview, harm)),),
        headlines=(("recorded_crime", 10000), ("domestic_share_of_violence_pct", 32.3),
                   ("sexual_victims_under18_pct", C)),
        definitions=())


SPEC = {"current": ["Residential burglary", "Violence against the person"],
        "weights": dict(priorities.DEFAULT_WEIGHTS), "recommend": 2,
        "issues": {"Violence against the person": {"public_concern": 4, "capacity": 3},
                   "Anti-social behaviour": {"public_concern": 5, "capacity": 2},
                   "Residential burglary": {"public_concern": 3, "capacity": 5}}}


def test_the_worked_example_scores_totals_and_order():
    m = priorities.build(_assessment(), SPEC)
    got = {p.issue: (tuple(p.scores[k] for k in priorities.CRITERIA), p.total, p.rank)
           for p in m.issues}
    assert got == {
        "Violence against the person": ((5, 5, 5, 4, 4, 3), 4.55, 1),
        "Anti-social behaviour": ((None, 5, 3, None, 5, 2), 3.83, 2),
        "Residential burglary": ((4, 2, 1, None, 3, 5), 2.89, 3),
        "Robbery": ((2, None, None, None, None, None), 2.0, 4)}
    assert [p.recommended for p in m.issues] == [True, True, False, False]
    assert [(c.issue, c.decision) for c in m.comparison] == [
        ("Residential burglary", "drop"), ("Violence against the person", "keep"),
        ("Anti-social behaviour", "add")]
    assert m.comparison[0].reason == ("Drop Residential burglary: ranked 3 of 4 (score 2.89), "
                                      "below the 2 recommended.")


def test_weights_from_the_input_change_the_total(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("weights: {harm: 0, volume: 1, trend: 1, vulnerability: 0, public_concern: 0,"
                 " capacity: 0}\n")
    spec = priorities.load_input(f)
    m = priorities.build(_assessment(), spec)
    # volume and trend only: Violence (5+5)/2 = 5, ASB (5+3)/2 = 4, burglary (2+1)/2 = 1.5
    assert [(p.issue, p.total) for p in m.issues] == [
        ("Violence against the person", 5.0), ("Anti-social behaviour", 4.0),
        ("Residential burglary", 1.5), ("Robbery", 0.0)]


def test_a_withheld_figure_is_never_used_or_named(tmp_path):
    a = _assessment()
    m = priorities.build(a, SPEC)
    names = [p.issue for p in m.issues]
    assert "Sexual offences" not in names  # every figure withheld: not a candidate
    robbery = next(p for p in m.issues if p.issue == "Robbery")
    assert robbery.scores["volume"] is None and robbery.scores["trend"] is None
    assert robbery.basis["volume"] == robbery.basis["trend"] == "not scored"
    output.write(dataclasses.replace(a, priorities=m), tmp_path, report=False)
    block = json.dumps(json.loads((tmp_path / "assessment.json").read_text())["priorities"])
    table = (tmp_path / "priorities.csv").read_text()
    for text in (block, table):
        assert "Sexual" not in text and "[c]" not in text


@pytest.mark.parametrize("body, words", [
    ("weights: {fear: 2}\n", "unknown criterion 'fear'"),
    ("issues: {Robbery: {public_concern: 7}}\n", "public_concern must be a whole number 1-5"),
    ("current_priorities: Robbery\n", "current_priorities must be a list"),
    ("recommend: 0\n", "recommend must be a whole number"),
])
def test_bad_input_is_one_sentence(tmp_path, body, words):
    f = tmp_path / "p.yaml"
    f.write_text(body)
    with pytest.raises(AssessmentError, match=words):
        priorities.load_input(f)


def test_an_issue_the_assessment_does_not_score_is_refused():
    spec = dict(SPEC, issues={"Fear of crime": {"public_concern": 5}})
    with pytest.raises(AssessmentError, match="Fear of crime"):
        priorities.build(_assessment(), spec)


def _export(path, area="E1", priorities_=None):
    """A scorecard workbook as the web app exports it (its own writer, no database)."""
    from safecity.web.reports.scorecard_xlsx import (Scorecard, ScorecardIndicator,
                                                     ScorecardPriority, render_scorecard_xlsx)

    def measure(name, metric):
        return ScorecardIndicator(name, "Lower is better", "count", None, "", None, (), None,
                                  "", metric=metric)

    card = Scorecard("Safer Testtown strategy: scorecard", "latest", priorities_ or (
        ScorecardPriority(1, "Reduce violence", (), (
            measure("Violent crime", "violence_against_the_person"),
            measure("Domestic violence", "domestic_violent_crime"))),
        ScorecardPriority(2, "Safer homes", (), (measure("Burglaries", "residential_burglary"),)),
        ScorecardPriority(3, "Youth justice", (), (measure("Re-offending",
                                                           "youth_reoffending"),))),
        dt.date(2020, 5, 1), partnership="Safer Testtown Partnership", area_code=area,
        strategy="Safer Testtown 2020-23")
    path.write_bytes(render_scorecard_xlsx(card))
    return path


def test_current_priorities_from_the_web_apps_export_are_read_by_their_measures(tmp_path):
    from safecity.engine.strategy_export import read_strategy

    export = read_strategy(_export(tmp_path / "s.xlsx"), "E1")
    spec = dict(SPEC, current=["Robbery"])  # the input file's list is not used
    m = priorities.build(_assessment(), spec, export=export)
    assert [(c.issue, c.decision) for c in m.comparison] == [
        ("Reduce violence", "keep"), ("Safer homes", "drop"), ("Youth justice", "review"),
        ("Anti-social behaviour", "add")]
    assert m.comparison[0].reason.startswith("Keep Reduce violence (as Violence against the "
                                             "person): ranked 1 of 4 (score 4.55)")
    assert m.comparison[1].reason == ("Drop Safer homes (as Residential burglary): ranked 3 of "
                                      "4 (score 2.89), below the 2 recommended.")
    assert "measured by Re-offending" in m.comparison[2].reason
    assert "scorecard export of Safer Testtown 2020-23" in m.current_from
    assert "current_priorities are not used" in m.current_from
    # the same scores and order as from the input file: only the comparison's source differs
    assert [p.issue for p in m.issues] == [p.issue for p in priorities.build(
        _assessment(), SPEC).issues]


@pytest.mark.parametrize("make, words", [
    (lambda p: _export(p, area="E9"), "is the scorecard export of Safer Testtown Partnership "
                                      r"\(area E9\), not of the area this assessment is for"),
    (lambda p: _export(p, area=""), "gives no area code"),
    (lambda p: (_export(p), _drop_sheet(p, "Strategy"))[0], "has no Strategy sheet"),
    (lambda p: (p.write_text("not a workbook"), p)[1], "cannot read the scorecard workbook"),
])
def test_an_export_that_is_not_this_partnerships_is_refused(tmp_path, make, words):
    from safecity.engine.strategy_export import read_strategy

    path = make(tmp_path / "s.xlsx")
    with pytest.raises(AssessmentError, match=words):
        read_strategy(path, "E1")


def _drop_sheet(path, name):
    import openpyxl

    book = openpyxl.load_workbook(path)
    del book[name]
    book.save(path)


def test_assess_on_the_demo_writes_the_matrix(tmp_path, shared_data, monkeypatch, capsys):
    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    assert main(["demo"]) == 0
    spec = tmp_path / "priorities.yaml"
    spec.write_text("current_priorities: [Violence against the person, Shoplifting]\n"
                    "recommend: 3\nissues:\n"
                    "  Anti-social behaviour: {public_concern: 5, capacity: 4}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights: {harm: -1}\n")
    out = tmp_path / "out"
    assert main(["assess", "--year", "2019/20", "--out", str(out), "--no-pdf",
                 "--priorities", str(bad)]) == 2
    assert "weight of harm must be a number" in capsys.readouterr().err
    assert main(["assess", "--year", "2019/20", "--out", str(out), "--no-pdf",
                 "--priorities", str(spec)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="priorities"' in html and "Keep Violence against the person" in html
    with open(out / "priorities.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["issue"] == "Violence against the person"  # harm, volume, trend all 5
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert sum(r["recommended"] == "yes" for r in rows) == 3
    block = json.loads((out / "assessment.json").read_text())["priorities"]
    decisions = {c["issue"]: c["decision"] for c in block["comparison"]}
    assert decisions["Violence against the person"] == "keep"
    assert decisions["Shoplifting"] == "drop"
    assert list(decisions.values()).count("add") == 2
    assert block["current_from"] == "the priorities input file, priorities.yaml"
    # the web app's export, when given, is where the current priorities come from; another
    # area's export is refused before anything is built
    capsys.readouterr()
    foreign = _export(tmp_path / "foreign.xlsx", area="E22000999")
    assert main(["assess", "--year", "2019/20", "--out", str(out), "--no-pdf",
                 "--priorities", str(spec), "--progress", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert "not of the area this assessment is for (E22000120)" in err
    assert "Traceback" not in err
    own = _export(tmp_path / "own.xlsx", area="E22000120")
    assert main(["assess", "--year", "2019/20", "--out", str(tmp_path / "out2"), "--no-pdf",
                 "--priorities", str(spec), "--progress", str(own)]) == 0
    block = json.loads((tmp_path / "out2" / "assessment.json").read_text())["priorities"]
    decisions = {c["issue"]: c["decision"] for c in block["comparison"]}
    assert decisions["Reduce violence"] == "keep" and decisions["Youth justice"] == "review"
    assert "Shoplifting" not in decisions  # the input file's list gave way to the export's
    html = (tmp_path / "out2" / "report.html").read_text(encoding="utf-8")
    assert "read from the web app&#39;s scorecard export of Safer Testtown 2020-23" in html or \
        "read from the web app's scorecard export of Safer Testtown 2020-23" in html
