"""The attacker test: on the demo warehouse, for random periods from one day to a year and for
monthly packs, every number published (assessment.json, headlines.csv, the table CSVs, the
narrative, the HTML report) is gathered and every withheld count is attacked by integer linear
programming over the relations the attacker knows from the definitions (``attacker.py`` and
``attacker_sections.py``, written without the disclosure module; ``attacker_html.py`` holds the
report to the files). No withheld count may be recovered exactly, and every file ``safecity
assess`` writes is either attacked or declared to carry no count the rules withhold.

The attacker is shown to work first: on outputs protected the way they were before (each table
on its own, headlines and sentences from the raw counts) it recovers the counts the issue found.
"""

from __future__ import annotations

import datetime as dt
import json
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


@pytest.fixture(scope="module")
def reference(demo_home, tmp_path_factory):
    """Reports of other periods: text the page prints the same in them is a rule, not a
    figure (attacker_html.check)."""
    out = tmp_path_factory.mktemp("reference")
    _assess(demo_home, ("period", "2018-04-01..2019-03-31"), out / "annual")
    _assess(demo_home, ("month", "2020-03"), out / "monthly")
    return {"annual": out / "annual", "monthly": out / "monthly"}


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


def _assess(home, args, out, threshold: int | None = None, previous=None):
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
        if previous is not None:  # --previous: "Since the last assessment"
            from safecity.engine.assessment import findings

            a = findings.attach(a, findings.load_previous(previous))
        output.write(a, out, pdf=False, report=True)
    finally:
        mp.undo()


def test_no_withheld_count_can_be_recovered_for_random_periods(demo_home, reference,
                                                              tmp_path):
    failures, attacked = [], 0
    for i, period in enumerate(_periods()):
        out = tmp_path / f"p{i}"
        _assess(demo_home, ("period", period), out)
        at = attacker.read(out, reference=reference["annual"])
        attacked += len(at.hidden)
        for q, (lo, hi, where) in at.recovered().items():
            failures.append(f"{period}: {where or q} recovered as {lo:g}")
    assert attacked > 20, "the periods drawn withheld almost nothing: the test attacks nothing"
    assert not failures, "\n".join(failures)


def _year_before(period: str) -> str:
    start, end = (dt.date.fromisoformat(d) for d in period.split(".."))
    return f"{start.replace(year=start.year - 1)}..{end.replace(year=end.year - 1)}"


#: (period, previous run's threshold, this run's threshold): the previous run is of this run's
#: comparison period, so its figures are this run's comparison values. Periods where people
#: counts are small; and a partnership that raised its threshold from 5 to 10 after the last
#: assessment (Jun-Aug 2020: 21 people victimised five or more times, 9 a year earlier, which
#: the last assessment published and this one withholds).
SINCE_CASES = [("2019-12-06..2019-12-19", None, None), ("2019-08-25..2019-09-24", None, None),
               ("2020-06-01..2020-08-31", None, 10)]


def _since_failures(home, reference, tmp_path, cases) -> tuple[list[str], int]:
    failures, compared = [], 0
    for i, (period, before, now) in enumerate(cases):
        prev_out, out = tmp_path / f"prev{i}", tmp_path / f"p{i}"
        _assess(home, ("period", _year_before(period)), prev_out, threshold=before)
        _assess(home, ("period", period), out, threshold=now, previous=prev_out)
        at = attacker.read(out, reference=reference["annual"])
        data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
        compared += len(data["findings"]["since_last"]["figures"])
        for q, (lo, hi, where) in at.recovered().items():
            failures.append(f"{period}: {where or q} recovered as {lo:g}")
    return failures, compared


def test_no_withheld_count_can_be_recovered_since_the_last_assessment(demo_home, reference,
                                                                     tmp_path):
    failures, compared = _since_failures(demo_home, reference, tmp_path, SINCE_CASES)
    assert compared > 10, "the since-last tables compared almost nothing: nothing attacked"
    assert not failures, "\n".join(failures)


def test_the_attacker_recovers_what_an_unprotected_since_last_table_shows(demo_home, reference,
                                                                          tmp_path):
    # The table as it was: every figure published in both runs, whether or not this run
    # withholds the same figure. The attacker reads the 9 people of Jun-Aug 2019 back.
    from safecity.engine.assessment import findings

    mp = pytest.MonkeyPatch()
    mp.setattr(findings, "same_figure_withheld", lambda *args: False)
    try:
        failures, _ = _since_failures(demo_home, reference, tmp_path, SINCE_CASES[-1:])
    finally:
        mp.undo()
    assert any("People victimised five or more times" in f and "as 9," in f
               and "victims_5plus_previous" in f for f in failures), failures


def test_the_attacker_reads_a_withheld_band_from_the_since_last_table(tmp_path):
    # This run withholds the comparison period's 5+ band (and publishes no headline for it);
    # the previous run, of that period, published 3: the table gives the band back, and the
    # 3-4 band by difference from the repeat total.
    head = ["period", "band", "victims", "victims_pct", "crimes", "crimes_pct"]
    rows = [head]
    for period, bands in (("2019/20", ("400", "10", "5", "4")),
                          ("2018/19", ("390", "12", "[c]", "[c]"))):
        for band, n in zip(attacker.BANDS, bands):
            rows.append([period, band, n, "", "", ""])
        rows.append([period, "All person victims", "419" if period == "2019/20" else "409",
                     "", "", ""])
    _write(tmp_path, {"repeat_victimisation": rows}, {"population": "1000"})
    data = json.loads((tmp_path / "assessment.json").read_text(encoding="utf-8"))
    data.update(period={"label": "2019/20"}, comparison={"label": "2018/19"},
                findings={"since_last": {"previous_period": "2018/19", "this_period": "2019/20",
                                         "figures": [["People victimised five or more times",
                                                      3.0, 4.0]]}})
    (tmp_path / "assessment.json").write_text(json.dumps(data), encoding="utf-8")
    found = attacker.read(tmp_path).recovered()
    assert found["rv|victims|5 or more crimes|prev"][:2] == (3, 3)
    assert found["rv|victims|3 to 4 crimes|prev"][:2] == (4, 4)


@pytest.mark.parametrize("month", ["2020-01", "2020-05"])
def test_no_withheld_count_can_be_recovered_from_a_monthly_pack(demo_home, reference, tmp_path,
                                                               month):
    # The demo city has about 60 sexual offences a month: a threshold of 70 makes the pack
    # withhold them, as a small partnership's pack would.
    _assess(demo_home, ("month", month), tmp_path, threshold=70)
    at = attacker.read(tmp_path, kind="monthly", reference=reference["monthly"])
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


# -- every output file is attacked or declared -----------------------------------------------


@pytest.mark.parametrize("args", [["--period", "2019-12-06..2019-12-19"], ["--month", "2020-05"]])
def test_every_file_safecity_assess_writes_is_attacked_or_declared(demo_home, reference,
                                                                   tmp_path, args):
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["assess", *args, "--no-pdf", "--out", str(tmp_path / "out")]) == 0
    finally:
        mp.undo()
    out = tmp_path / "out"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    read = {"assessment.json", "headlines.csv", "report.html"} | {
        f"tables/{key}.csv" for key in attacker.READS}
    unknown = [f for f in files if f not in read and f not in attacker.NO_WITHHELD_COUNT]
    assert not unknown, ("published files the attacker neither reads nor declares free of "
                         f"withheld counts (attacker.py READS / NO_WITHHELD_COUNT): {unknown}")
    assert "report.html" in files and any(f.startswith("tables/") for f in files)
    kind = "monthly" if args[0] == "--month" else "annual"
    at = attacker.read(out, kind=kind, reference=reference[kind])
    assert at.hidden and not at.recovered()
    unread = attacker.unread_headlines(at.heads)
    assert not unread, ("headlines the attacker neither reads nor declares free of withheld "
                        f"counts (attacker.py NO_WITHHELD_HEADLINE): {unread}")


def test_partner_intelligence_is_attacked_when_its_counts_are_loaded(demo_home, reference,
                                                                    tmp_path):
    # The web app's intelligence counts (engine/ingest/intelligence.py) for the demo's months:
    # many drugs submissions, a few on hate, some without a ward: small counts to withhold.
    import csv
    import shutil

    from safecity.engine.ingest.run import ingest_paths
    from safecity.engine.warehouse import Warehouse

    root = tmp_path / "warehouse"
    shutil.copytree(demo_home / "warehouse", root)
    (root / ".lock").unlink(missing_ok=True)
    path = tmp_path / "intelligence-counts.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["recorded_date", "theme", "source_agency", "ward_name", "lsoa_code",
                    "submissions"])
        for i in range(33):  # Apr 2018 - Dec 2020
            month = f"{2018 + (i + 3) // 12}-{(i + 3) % 12 + 1:02d}-01"
            w.writerow([month, "drugs", "Police", "Bevois", "E01017153", 10 + i % 3])
            w.writerow([month, "asb", "City Council", "Shirley", "", 5 + i % 2])
            w.writerow([month, "hate", "City Council", "", "", 1 + i % 3])
    ingest_paths([path], source="intelligence", warehouse=Warehouse(root))
    out = tmp_path / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(demo_home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["assess", "--period", "2020-02-01..2020-02-29", "--warehouse", str(root),
                     "--no-pdf", "--out", str(out)]) == 0
    finally:
        mp.undo()
    files = {p.name for p in (out / "tables").iterdir()}
    assert {"partner_intelligence_by_theme.csv", "partner_intelligence_by_ward.csv"} <= files
    at = attacker.read(out, reference=reference["annual"])
    assert any(q.startswith("intel|") for q in at.hidden), "nothing withheld: nothing attacked"
    assert not at.recovered()


# -- the new readers find the leaks of the old per-table protection ------------------------


def _files(out, tables: dict[str, list[list]], heads: dict[str, str], sections=(),
           threshold: int = 5):
    import csv
    import json

    (out / "tables").mkdir(parents=True)
    for key, rows in tables.items():
        with open(out / "tables" / f"{key}.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    with open(out / "headlines.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["key", "value"], *heads.items()])
    (out / "assessment.json").write_text(json.dumps({
        "settings": {"suppression_threshold": threshold},
        "sections": list(sections) or [{"key": "x", "narrative": []}]}), encoding="utf-8")


GROUPS = ["offence_group", "offence_subgroup", "current", "previous", "change_pct", "p_value",
          "assessment", "rate"]
HARM = ["offence_group", "offence_subgroup", "harm", "harm_previous", "harm_change",
        "share_pct", "rank_contribution", "rank_change"]


def test_the_attacker_recovers_a_withheld_count_from_harm_per_resident(tmp_path):
    # Rape harm is 2,397 to 3,895 custody days a crime (the classification's weights): 6,000
    # days among 1,000 residents can only be 2 rapes.
    groups = [GROUPS, ["Sexual offences", "All", "40", "40", "", "", "", ""],
              ["Sexual offences", "Rape", "[c]", "[c]", "", "", "", ""],
              ["Sexual offences", "Other sexual offences", "[c]", "[c]", "", "", "", ""]]
    harm = [HARM, ["Sexual offences", "Rape", "6.0", "[c]", "[c]", "", "", ""]]
    _files(tmp_path, {"crime_by_offence_group": groups, "harm_by_subgroup": harm},
           {"population": "1000"})
    found = attacker.read(tmp_path).recovered()
    assert found["crimes|sub|rape|cur"][:2] == (2, 2)
    assert found["crimes|sub|other sexual offences|cur"][:2] == (38, 38)


def test_the_attacker_recovers_a_withheld_count_from_total_harm(tmp_path):
    # Bicycle theft has one weight (15.18 days): total harm less the rows shown gives it back.
    groups = [GROUPS, ["Theft offences", "All", "103", "104", "", "", "", ""],
              ["Theft offences", "Shoplifting", "100", "100", "", "", "", ""],
              ["Theft offences", "Bicycle theft", "[c]", "[c]", "", "", "", ""]]
    harm = [HARM, ["Theft offences", "Shoplifting", "1.186", "1.186", "0.0", "", "1", "1"],
            ["Theft offences", "Bicycle theft", "[c]", "[c]", "[c]", "", "", ""]]
    _files(tmp_path, {"crime_by_offence_group": groups, "harm_by_subgroup": harm},
           {"population": "1000", "harm_per_resident": "1.23"})
    found = attacker.read(tmp_path).recovered()
    assert found["crimes|sub|bicycle theft|cur"][:2] == (3, 3)


def test_the_attacker_recovers_youth_counts_from_rates_and_cohorts(tmp_path):
    cohorts = [["cohort", "cohort_size", "reoffenders", "binary_rate", "frequency",
                "per_reoffender", "status"],
               ["Apr 2018 – Jun 2018", "12", "[c]", "25.0", "", "", "final"],
               ["Jul 2018 – Sep 2018", "43", "41", "95.3", "1.21", "1.27", "final"]]
    fte = [["period", "fte", "rate"], ["2019/20", "100", "500.0"], ["2018/19", "[c]", "15.0"]]
    _files(tmp_path, {"youth_reoffending": cohorts, "first_time_entrants": fte},
           {"population": "1000"})
    found = attacker.read(tmp_path).recovered()
    assert found["yro|0|reoffenders"][:2] == (3, 3)  # 25.0 % of 12
    assert found["yro|1|not"][:2] == (2, 2)  # 43 young people, 41 re-offended
    assert found["fte|prev"][:2] == (3, 3)  # the population from 2019/20's count and rate


def test_the_attacker_recovers_hate_reports_from_the_channels_and_centres(tmp_path):
    # Each table protected on its own: the centres' total is the third-party and online
    # channels' reports, so the online channel's withheld count is 10 - 6.
    channels = [["channel", "kind", "current", "previous"],
                ["online", "non-crime incident", "[c]", "[c]"],
                ["police", "crime", "41", "43"], ["police", "non-crime incident", "15", "15"],
                ["third_party", "non-crime incident", "6", "6"]]
    centres = [["centre", "reports", "race", "religion", "sexual_orientation", "disability",
                "transgender"], ["Not recorded", "[c]", "[c]", "0", "0", "0", "[c]"],
               ["Online", "[c]", "[c]", "0", "[c]", "0", "0"],
               ["All centres and online", "10", "8", "0", "[c]", "0", "[c]"]]
    _files(tmp_path, {"hate_reports_by_channel": channels,
                      "hate_third_party_by_centre": centres}, {"population": "1000"})
    found = attacker.read(tmp_path).recovered()
    assert found["hate_channel|online|non-crime incident|cur"][:2] == (4, 4)


def _page(out, body: str) -> None:
    (out / "report.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")


def test_the_attacker_reads_the_html_report_beside_the_files(tmp_path):
    table = {"key": "violence_by_age", "title": "Knife crime by age", "rows": [],
             "columns": []}
    rows = [["offences", "who", "under18", "unknown"], ["Knife crime", "Victims", "[c]", "0"]]
    _files(tmp_path, {"violence_by_age": rows}, {"population": "1000"},
           [{"key": "violence", "number": 7, "title": "Violence", "tables": [table],
             "narrative": ["Knife crime fell."], "figures": [], "charts": []}])
    _page(tmp_path, "<h2>7. Violence</h2><p>Knife crime fell.</p><table><caption>Knife crime "
                    "by age</caption><tr><th>Offences</th><th>Who</th><th>Under 18</th>"
                    "<th>Unknown</th></tr><tr><th>Knife crime</th><td>Victims</td>"
                    "<td class='num suppressed'>[c]</td><td>0</td></tr></table>")
    assert not attacker.read(tmp_path).recovered()  # the page shows what the files show
    # a page that shows the withheld cell, or a sentence with a count no file has, is caught
    _page(tmp_path, "<h2>7. Violence</h2><p>Knife crime fell.</p><p>3 victims were under 18."
                    "</p><table><caption>Knife crime by age</caption><tr><th>Offences</th>"
                    "<th>Who</th><th>Under 18</th><th>Unknown</th></tr><tr><th>Knife crime</th>"
                    "<td>Victims</td><td>3</td><td>0</td></tr></table>")
    leaks = [where for _, _, where in attacker.read(tmp_path).recovered().values()]
    assert any("violence_by_age" in w and "'3'" in w for w in leaks)
    assert any("3 victims were under 18." in w for w in leaks)


def test_the_attacker_holds_charts_and_key_figures_to_their_tables(tmp_path):
    table = {"key": "violence_by_age", "title": "Knife crime by age", "rows": [
        ["Knife crime", "Victims", "[c]", 12]], "columns": []}
    chart = {"key": "knife_chart", "table_key": "violence_by_age",
             "series": [{"label": "Victims", "values": [3, 12]}]}
    figure = {"key": "knife_victims_under18", "label": "Knife crime victims under 18",
              "value": "[c]"}
    rows = [["offences", "who", "under18", "unknown"], ["Knife crime", "Victims", "[c]", "12"]]
    _files(tmp_path, {"violence_by_age": rows}, {"population": "1000"},
           [{"key": "violence", "number": 7, "title": "Violence", "tables": [table],
             "narrative": [], "figures": [figure], "charts": [chart]}])
    _page(tmp_path, "<dl><div class='figure-card'><dt>Knife crime victims under 18</dt><dd>"
                    "<span class='figure-value'>3</span></dd></div></dl>")
    leaks = [where for _, _, where in attacker.read(tmp_path).recovered().values()]
    assert any("chart knife_chart plots 3" in w for w in leaks)
    assert any("key figure 'Knife crime victims under 18'" in w for w in leaks)
