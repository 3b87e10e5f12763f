"""The whole assessment on a small hand-built extract: figures against independent counts, and
disclosure control over every output file."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from safecity.engine.assessment import output
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.model import Suppressed

from .synthetic import build_extract, write_warehouse

FY = (dt.date(2019, 4, 1), dt.date(2020, 3, 31))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    ex = build_extract()
    write_warehouse(root / "wh", ex)
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(root / "home"))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assessment = build_assessment("2019/20", warehouse=root / "wh")
        paths = output.write(assessment, root / "out", pdf=False)
    finally:
        mp.undo()
    return ex, assessment, dict(assessment.headlines), root / "out", paths


def _in_year(row) -> bool:
    return FY[0] <= row["recorded_date"] <= FY[1]


def test_recorded_crime_equals_the_crimes_recorded_in_the_year(built):
    ex, _, heads, *_ = built
    assert heads["recorded_crime"] == sum(1 for c in ex.crimes if _in_year(c))
    assert heads["recorded_crime_previous"] == sum(1 for c in ex.crimes if not _in_year(c))


def test_repeat_victim_bands_match_an_independent_count(built):
    ex, _, heads, *_ = built
    crimes = {c["crime_ref"] for c in ex.crimes if _in_year(c)}
    per_victim = Counter(v["person_key"] for v in ex.victims if v["crime_ref"] in crimes
                         and v["victim_type"] == "person" and v["person_key"])
    assert heads["unique_person_victims"] == len(per_victim)
    assert heads["victims_5plus"] == sum(1 for n in per_victim.values() if n >= 5)
    one = sum(1 for n in per_victim.values() if n == 1)
    assert heads["victims_one_crime_pct"] == pytest.approx(100 * one / len(per_victim), abs=0.05)
    links = sum(per_victim.values())
    five = sum(n for n in per_victim.values() if n >= 5)
    assert heads["victims_5plus_share_of_crimes_pct"] == pytest.approx(100 * five / links,
                                                                       abs=0.05)


def test_domestic_share_of_crime_matches_an_independent_count(built):
    ex, _, heads, *_ = built
    year = [c for c in ex.crimes if _in_year(c)]
    share = 100 * sum(1 for c in year if c["domestic_abuse"]) / len(year)
    assert heads["domestic_share_of_crime_pct"] == pytest.approx(share, abs=0.05)


def test_a_small_sensitive_count_is_withheld_in_the_headlines(built):
    _, _, heads, *_ = built
    assert isinstance(heads["hate_transgender"], Suppressed)  # 2 crimes in 2019/20
    assert heads["hate_transgender_previous"] == 7


def test_every_section_is_present_in_order_and_unavailable_ones_say_why(built):
    _, assessment, *_ = built
    assert [s.number for s in assessment.sections] == list(range(1, 14))
    for s in assessment.sections:
        assert s.available or s.unavailable_reason.endswith(".")


def _count_cells_ok(value, threshold: int) -> bool:
    if value in ("", None, output.SUPPRESSED):
        return True
    number = float(value)
    return number == 0 or number >= threshold


def test_no_output_file_publishes_a_withheld_count(built):
    _, assessment, _, out, paths = built
    threshold = assessment.settings["suppression_threshold"]
    sensitive = {t.key: t for s in assessment.sections for t in s.tables if t.sensitive}
    assert {"sexual_offences", "hate_crime_by_strand", "repeat_victimisation"} <= set(sensitive)
    data = json.loads((out / "assessment.json").read_text())
    withheld = 0
    for section in data["sections"]:
        for table in section["tables"]:
            if not table["sensitive"]:
                continue
            counts = [i for i, c in enumerate(table["columns"]) if c["kind"] == "count"]
            for row in table["rows"]:
                withheld += sum(1 for v in row if v == output.SUPPRESSED)
                assert all(_count_cells_ok(row[i], threshold) for i in counts), (table["key"],
                                                                                  row)
    assert withheld > 0
    for key, table in sensitive.items():
        with open(out / "tables" / f"{key}.csv", newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                for col in table.columns:
                    if col.kind == "count":
                        assert _count_cells_ok(row[col.key], threshold), (key, row)
    for path in paths:
        if path.suffix in {".docx", ".pptx"}:  # Office files: the text of their XML parts
            import zipfile

            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                               if n.endswith(".xml"))
        elif path.suffix == ".pdf":
            continue
        else:
            text = path.read_text(encoding="utf-8")
        assert "Suppressed(" not in text and "fewer than 5'" not in text, path
    headlines = dict(csv.reader(open(out / "headlines.csv", encoding="utf-8")))
    assert headlines["hate_transgender"] == output.SUPPRESSED


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag in ("td", "th")

    def handle_data(self, data):
        if self._in and data.strip():
            self.cells.append(data.strip())


def test_the_html_report_shows_withheld_cells_as_c(built):
    *_, out, paths = built
    html = out / "report.html"
    assert html in paths
    parser = _Cells()
    parser.feed(html.read_text(encoding="utf-8"))
    assert output.SUPPRESSED in parser.cells


def test_small_sexual_offence_rows_of_the_group_table_are_withheld(built):
    *_, out, _ = built
    with open(out / "tables" / "crime_by_offence_group.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["offence_group"] == "Sexual offences"]
    assert rows
    for row in rows:
        assert _count_cells_ok(row["current"], 5) and _count_cells_ok(row["previous"], 5)
        if output.SUPPRESSED in (row["current"], row["previous"]):
            assert row["change_pct"] == "" and row["rate"] == ""


def test_the_hour_by_weekday_profile_spreads_each_crime_over_its_window(built):
    ex, assessment, *_ = built
    table = next(t for s in assessment.sections for t in s.tables if t.key == "hour_by_weekday")
    total = sum(sum(v for v in row[1:]) for row in table.rows)
    assert total == pytest.approx(sum(1 for c in ex.crimes if _in_year(c)), abs=0.5)
    # every synthetic crime runs 22:00-01:00, so only those three hours carry weight
    busy = {row[0] for row in table.rows if any(v for v in row[1:])}
    assert busy == {"22:00", "23:00", "00:00"}


def test_the_command_prints_the_pdf_in_its_helper_with_the_same_figures(built, tmp_path):
    """``safecity assess`` as a user runs it (a fresh process, so its helper really forks):
    it prints report.pdf in the helper while it writes the other files, and every file but the
    PDF matches the in-process build above."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    _, _, _, out_in_process, _ = built
    wh = out_in_process.parent / "wh"
    safecity = Path(sys.executable).with_name("safecity")
    out = tmp_path / "cli"
    env = {**os.environ, "SAFECITY_HOME": str(tmp_path / "home"), "SAFECITY_PROGRESS": "false"}
    done = subprocess.run([str(safecity), "assess", "--year", "2019/20", "--warehouse", str(wh),
                           "--out", str(out)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "1. Overview" in text and "Appendix" in text
    # The two builds may straddle a minute: the "generated at HH:MM" line is the one difference.
    stamp = re.compile(r"\d{1,2} \w+ \d{4} at \d{2}:\d{2}")
    for name in ("headlines.csv", "report.html"):
        assert stamp.sub("(time)", (out / name).read_text(encoding="utf-8")) == \
            stamp.sub("(time)", (out_in_process / name).read_text(encoding="utf-8")), name
    assert sorted(p.name for p in (out / "tables").iterdir()) == \
        sorted(p.name for p in (out_in_process / "tables").iterdir())
