"""The partner sections' and the serious violence needs assessment's published files attacked
(attacker_partners.py with the rest of the attacker, none of which imports the disclosure code):
on the demo, for short periods where partner counts are small and for the needs assessment, no
withheld count can be recovered and every file is read or declared free of withheld counts; and
the attacker does recover a count from a leaky breakdown."""

from __future__ import annotations

import csv
import json

import pytest

from safecity.cli import main

from . import attacker, attacker_partners


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("partner-attack")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
    finally:
        mp.undo()
    return home


@pytest.fixture(scope="module")
def reference(demo_home, tmp_path_factory):
    """Reports of other periods (the annual and the needs assessment): text printed the same in
    them is a rule, not a figure (attacker_html.check)."""
    out = tmp_path_factory.mktemp("partner-reference")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["assess", "--period", "2018-04..2019-03", "--no-pdf", "--out",
                     str(out / "annual")]) == 0
        assert main(["assess", "--period", "2018-04..2018-09", "--serious-violence",
                     "--no-pdf", "--out", str(out / "sv")]) == 0
    finally:
        mp.undo()
    return out


def _attack(out):
    at = attacker.Attack()
    data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    with open(out / "headlines.csv", encoding="utf-8", newline="") as fh:
        heads = dict(list(csv.reader(fh))[1:])
    pop = float(heads["population"]) if heads.get("population") not in (None, "") else None

    def table(key):
        path = out / "tables" / f"{key}.csv"
        if not path.exists():
            return []
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    attacker_partners.partners(at, table, heads, data["sections"], pop)
    return at


@pytest.mark.parametrize("args", [
    ["--period", "2019-12-06..2019-12-19"], ["--period", "2020-05..2020-05"],
    ["--period", "2019-06-01..2019-06-01"], ["--year", "2019/20", "--serious-violence"]])
def test_no_withheld_partner_count_can_be_recovered(demo_home, reference, tmp_path, args):
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["assess", *args, "--no-pdf", "--out", str(tmp_path / "out")]) == 0
    finally:
        mp.undo()
    out = tmp_path / "out"
    at = attacker.read(out, reference=reference / (  # every reader, and the HTML report's
        "sv" if "--serious-violence" in args else "annual"))
    partner = _attack(out)  # the partner sections' figures alone
    if args[0] == "--period" and args[1] != "2020-05..2020-05":
        assert partner.hidden, "short periods have small partner counts to protect"
    assert partner.recovered() == {}
    assert at.recovered() == {} and not at.leaks
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    read = {"assessment.json", "headlines.csv", "report.html"} | {
        f"tables/{key}.csv" for key in attacker.READS}
    unknown = [f for f in files if f not in read and f not in attacker.NO_WITHHELD_COUNT]
    assert not unknown, unknown


def test_the_attacker_recovers_a_count_a_breakdown_gives_away(tmp_path):
    out = tmp_path
    (out / "tables").mkdir()
    tables = {
        "health_measures": [["measure", "current", "previous", "change_pct", "p_value",
                             "assessment"],
                            ["A&E attendances for assault", "40", "38", "5.3", "", ""]],
        "health_by_weapon": [["category", "count", "share_pct"], ["Body", "37", "92.5"],
                             ["Firearm", "[c]", "[c]"], ["Not recorded", "0", "0.0"],
                             ["All", "40", "100.0"]],
    }
    for key, rows in tables.items():
        with open(out / "tables" / f"{key}.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    sections = [{"key": "health", "narrative": [], "tables": [{"key": "health_measures"},
                                                             {"key": "health_by_weapon"}]}]
    (out / "assessment.json").write_text(json.dumps({"sections": sections}), encoding="utf-8")
    with open(out / "headlines.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["key", "value"], ["population", "1000"]])
    found = _attack(out).recovered()
    assert found["health_by_weapon|Firearm"][:2] == (3, 3)


def test_the_needs_assessment_since_the_last_one_is_attacked(demo_home, reference, tmp_path):
    # The previous needs assessment is of this one's comparison period: its figures are this
    # run's comparison values, read by the attacker with everything else (attacker_since.py).
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["assess", "--period", "2018-10..2019-03", "--serious-violence", "--no-pdf",
                     "--out", str(tmp_path / "before")]) == 0
        assert main(["assess", "--period", "2019-10..2020-03", "--serious-violence", "--no-pdf",
                     "--previous", str(tmp_path / "before"), "--out", str(tmp_path / "out")]) == 0
    finally:
        mp.undo()
    out = tmp_path / "out"
    data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    since = data["findings"]["since_last"]
    assert since["previous_period"] == data["comparison"]["label"]
    assert len(since["figures"]) >= 8, "the table compares the needs assessments' figures"
    at = attacker.read(out, reference=reference / "sv")
    assert at.recovered() == {} and not at.leaks
