"""The attacker test: on the demo warehouse, for random periods from one day to a year and for
monthly packs, every number published (assessment.json, headlines.csv, the table CSVs, the
narrative) is gathered and every withheld count is attacked by integer linear programming over
the relations the attacker knows from the definitions (``attacker.py``, written without the
disclosure module). No withheld count may be recovered exactly.

The attacker is shown to work first: on outputs protected the way they were before (each table
on its own, headlines and sentences from the raw counts) it recovers the counts the issue found.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safecity.cli import main

from . import attacker

SEED = 20261207
N_PERIODS = 10


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("attack-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        yield home
    finally:
        mp.undo()


def _periods() -> list[str]:
    """Random periods inside the demo's data (comparison a year earlier is loaded too): a
    single day, a few days, weeks, months and a year."""
    rng = random.Random(SEED)
    lengths = [1, 1, 2, 7, 7, 14, 31, 92, 183, 365][:N_PERIODS]
    out = []
    first, last = dt.date(2018, 4, 1), dt.date(2020, 12, 31)
    for days in lengths:
        start = first + dt.timedelta(days=rng.randrange((last - first).days - days))
        end = start + dt.timedelta(days=days - 1)
        out.append(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")
    # periods where an earlier version of the protection left a count determined (a
    # complement released too early; a band pinned by the 3-4 and 5+ multiplicities)
    return out + ["2020-07-30..2020-07-30", "2019-12-06..2019-12-19", "2019-08-25..2019-09-24"]


def _assess(home, args, out, threshold: int | None = None):
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    if threshold is not None:
        mp.setenv("SAFECITY_SUPPRESSION_THRESHOLD", str(threshold))
    try:
        from safecity.engine.assessment import output
        from safecity.engine.assessment.build import build_assessment
        from safecity.engine.assessment.monthly import build_monthly_pack

        if args[0] == "month":
            a = build_monthly_pack(args[1])  # months whose comparisons the demo covers
        else:
            a = build_assessment(period=args[1])
        output.write(a, out, pdf=False, report=False)
    finally:
        mp.undo()


def test_no_withheld_count_can_be_recovered_for_random_periods(demo_home, tmp_path):
    failures, attacked = [], 0
    for i, period in enumerate(_periods()):
        out = tmp_path / f"p{i}"
        _assess(demo_home, ("period", period), out)
        at = attacker.read(out)
        attacked += len(at.hidden)
        for q, (lo, hi, where) in at.recovered().items():
            failures.append(f"{period}: {where or q} recovered as {lo:g}")
    assert attacked > 20, "the periods drawn withheld almost nothing: the test attacks nothing"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("month", ["2020-01", "2020-05"])
def test_no_withheld_count_can_be_recovered_from_a_monthly_pack(demo_home, tmp_path, month):
    # The demo city has about 60 sexual offences a month: a threshold of 70 makes the pack
    # withhold them, as a small partnership's pack would.
    _assess(demo_home, ("month", month), tmp_path, threshold=70)
    at = attacker.read(tmp_path, kind="monthly")
    assert at.hidden, "nothing withheld: the test attacks nothing"
    assert not at.recovered()


def _write(out, tables: dict[str, list[list]], heads: dict[str, str], narrative=()):
    import csv
    import json

    (out / "tables").mkdir(parents=True)
    for key, rows in tables.items():
        with open(out / "tables" / f"{key}.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    with open(out / "headlines.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["key", "value"], *heads.items()])
    (out / "assessment.json").write_text(json.dumps({"sections": [
        {"key": "repeat", "narrative": list(narrative)}]}), encoding="utf-8")


def test_the_attacker_recovers_the_repeat_victim_bands_the_issue_found(tmp_path):
    # Protected the old way: each column of bands on its own against its total. Crimes =
    # victims in the 1-crime band + 2 x victims in the 2-crime band gives both back.
    head = ["period", "band", "victims", "victims_pct", "crimes", "crimes_pct"]
    rows = [head, ["P", "1 crime", "[c]", "[c]", "[c]", "[c]"],
            ["P", "2 crimes", "[c]", "[c]", "[c]", "[c]"],
            ["P", "3 to 4 crimes", "0", "0.0", "0", "0.0"],
            ["P", "5 or more crimes", "0", "0.0", "0", "0.0"],
            ["P", "All person victims", "417", "100.0", "419", "100.0"]]
    _write(tmp_path, {"repeat_victimisation": rows}, {"population": "1000"})
    found = attacker.read(tmp_path).recovered()
    assert found["rv|victims|2 crimes|cur"][:2] == (2, 2)
    assert found["rv|victims|1 crime|cur"][:2] == (415, 415)


def test_the_attacker_reads_a_withheld_band_from_the_narrative(tmp_path):
    head = ["period", "band", "victims", "victims_pct", "crimes", "crimes_pct"]
    rows = [head, ["P", "1 crime", "400", "96.4", "400", "90.5"],
            ["P", "2 crimes", "10", "2.4", "20", "4.5"],
            ["P", "3 to 4 crimes", "[c]", "[c]", "[c]", "[c]"],
            ["P", "5 or more crimes", "[c]", "[c]", "[c]", "[c]"],
            ["P", "All person victims", "415", "100.0", "442", "100.0"]]
    _write(tmp_path, {"repeat_victimisation": rows}, {"population": "1000"},
           ["2 victims suffered five or more crimes (a share withheld (small numbers) of the "
            "crimes)."])
    found = attacker.read(tmp_path).recovered()
    assert found["rv|victims|5 or more crimes|cur"][:2] == (2, 2)


def test_the_attacker_recovers_a_count_from_a_percentage_and_its_base(tmp_path):
    # domestic_victims_under18_pct x its base gives the withheld under-18 count, and then the
    # 65+ cell by subtraction.
    head = ["group", "characteristic", "category", "people", "share_pct"]
    ages = [["Victims", "Age", "Under 18", "[c]", "[c]"], ["Victims", "Age", "18 to 24", "24", "25.5"],
            ["Victims", "Age", "25 to 34", "32", "34.0"], ["Victims", "Age", "35 to 49", "21", "22.3"],
            ["Victims", "Age", "50 to 64", "12", "12.8"], ["Victims", "Age", "65 and over", "[c]", "[c]"],
            ["Victims", "Age", "Age not known", "0", ""]]
    sexes = [["Victims", "Sex", s, n, ""] for s, n in (("Female", "66"), ("Male", "28"),
                                                       ("Other", "0"), ("Sex not known", "0"))]
    _write(tmp_path, {"domestic_profiles": [head, *ages, *sexes,
                                            ["Victims", "All", "All people", "94", ""]]},
           {"population": "1000", "domestic_victims_under18_pct": "3.2"})
    found = attacker.read(tmp_path).recovered()
    assert found["domestic_profiles|Victims|Age|Under 18"][:2] == (3, 3)
    assert found["domestic_profiles|Victims|Age|65 and over"][:2] == (2, 2)
