"""Subject requests, the quarterly returns, the DPIA outline and the run log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from docx import Document

from safecity.engine.governance.dpia import write_dpia
from safecity.engine.governance.returns import due_date, expected_returns
from safecity.engine.governance.runlog import logged_command, runs
from safecity.engine.governance.subjects import erase_subject, find_subject, fingerprint
from safecity.engine.ingest.pseudonymise import Pseudonymiser
from safecity.engine.warehouse import Warehouse

from .helpers import entry, load, referrals_file, register


@pytest.fixture
def warehouse(tmp_path, home) -> Warehouse:
    root = tmp_path / "w"
    register(root, entry())
    load([referrals_file(tmp_path / "a.csv", [("R1", "2024-10-03", "V1"), ("R2", "2024-10-09", "V2"),
                                              ("R3", "2024-11-20", "v1 "), ("R4", "2024-11-21", "V3")])],
         root)
    return Warehouse(root)


def test_a_subject_access_request_finds_every_row_of_that_person(warehouse):
    key = Pseudonymiser()("V1")
    report = find_subject(warehouse, key)
    assert [(f.table, f.rows, f.months, f.lines) for f in report.found] == [
        ("referrals", 2, ("2024-10", "2024-11"), (2, 4))]


def test_erasure_removes_exactly_that_persons_rows_and_records_a_fingerprint(warehouse):
    key = Pseudonymiser()("V1")
    before = warehouse.connect().execute(
        "SELECT referral_ref FROM referrals ORDER BY 1").fetchall()
    erase_subject(warehouse, key, reference="ER-1", user="dpo")
    after = warehouse.connect().execute("SELECT referral_ref FROM referrals ORDER BY 1").fetchall()
    assert before == [("R1",), ("R2",), ("R3",), ("R4",)] and after == [("R2",), ("R4",)]
    assert not find_subject(warehouse, key).found
    (record,) = warehouse.manifest_records("subject_requests")
    assert record["kind"] == "erasure" and record["reference"] == "ER-1"
    assert record["key_fingerprint"] == fingerprint(key) and key not in json.dumps(record)
    (batch,) = [b for b in warehouse.batches() if b.source == "referrals"]
    assert (batch.read, batch.stored, batch.removed) == (4, 2, 2)


def test_the_cli_answers_an_access_request_by_identifier(warehouse, capsys):
    from safecity.cli import main

    code = main(["governance", "subject", "--identifier", "V1", "--reference", "SAR-9",
                 "--warehouse", str(warehouse.root)])
    out = capsys.readouterr().out
    assert code == 0 and "referrals: 2 rows (2024-10..2024-11)" in out
    assert warehouse.manifest_records("subject_requests")[0]["kind"] == "access"


def test_the_quarterly_tracker_flags_a_late_return(tmp_path, home):
    root = tmp_path / "w"
    register(root, entry(quarterly=True, start=dt.date(2024, 7, 1)))
    # Q3 2024 arrives (loaded now, which is after its due date of 2025-03-31); Q4 2024 never
    # arrives and is past its due date on 15 April 2025; Q1 2025 is not yet due.
    load([referrals_file(tmp_path / "q3.csv", [("R1", "2024-08-03", "V1")])], root)
    rows = expected_returns(Warehouse(root), today=dt.date(2025, 4, 15))
    by_quarter = {r.quarter: r for r in rows}
    assert set(by_quarter) == {"2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"}
    assert by_quarter["2024 Q4"].status == "late" and by_quarter["2024 Q4"].needs_chasing
    assert by_quarter["2024 Q4"].due == dt.date(2025, 3, 31)
    assert by_quarter["2025 Q1"].status == "not yet due"
    assert by_quarter["2024 Q3"].status == "received late"  # loaded today, after 2025-03-31
    assert "dpo@example.org" in by_quarter["2024 Q4"].contact


@pytest.mark.parametrize("quarter, due", [("2024 Q4", dt.date(2025, 3, 31)),
                                          ("2025 Q1", dt.date(2025, 6, 30)),
                                          ("2025 Q3", dt.date(2025, 12, 31))])
def test_a_return_is_due_by_the_end_of_the_following_quarter(quarter, due):
    assert due_date(quarter) == due


def test_the_dpia_outline_lists_every_registered_source(tmp_path, home):
    root = tmp_path / "w"
    register(root, entry(), entry("police-extract", supplier="Riverton Police"),
             entry("youth-justice", supplier="Riverton YJS"))
    md, docx = write_dpia(root, tmp_path / "out", "Riverton CSP", today=dt.date(2026, 12, 7))
    text = md.read_text()
    for source, supplier in [("referrals", "Riverton MARAC"), ("police-extract", "Riverton Police"),
                             ("youth-justice", "Riverton YJS")]:
        assert f"| {source} | {supplier} |" in text
    assert "3 registered sources" in text and "person_key (keyed hash)" in text
    # what a purge keeps, and how long the app keeps hate reports' text
    assert ("counts by month and LSOA of crimes: offence_code, offence_group, offence_subgroup, "
            "police_uk_category, domestic_abuse") in text and "no person key" in text
    assert "third-party hate reports' text and contact details: 12 months" in text
    doc = Document(str(docx))
    assert doc.core_properties.author == "Riverton CSP"
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Source")
    assert sorted(r.cells[0].text for r in table.rows[1:]) == [
        "police-extract", "referrals", "youth-justice"]


def test_every_ingest_assess_and_purge_run_is_logged_with_who_and_when(tmp_path, home):
    from safecity.cli import main

    root = tmp_path / "w"
    register(root, entry())
    f = referrals_file(tmp_path / "a.csv", [("R1", "2024-10-03", "V1")])
    assert main(["ingest", str(f), "--source", "referrals", "--warehouse", str(root)]) == 0
    assert main(["warehouse", "purge", "--warehouse", str(root)]) == 0
    assert main(["ingest", str(tmp_path / "missing.csv"), "--warehouse", str(root)]) == 2
    assert main(["ingest", "--help"]) == 0  # not a run
    logged = list(runs())
    assert [(r.command, r.outcome) for r in logged] == [
        ("ingest", "completed"), ("warehouse purge", "completed"), ("ingest", "failed (exit 2)")]
    assert all(r.user and r.at for r in logged)


@pytest.mark.parametrize("argv, command", [
    (["ingest", "x.csv"], "ingest"), (["warehouse", "status"], None),
    (["warehouse", "purge", "--yes"], "warehouse purge"), (["assess", "--year", "2019/20"], "assess"),
    (["--version"], None)])
def test_which_commands_are_runs(argv, command):
    assert logged_command(argv) == command


def test_the_demo_registers_each_record_level_source_it_loads(tmp_path, monkeypatch, home):
    from safecity.engine.demo.register import register_demo_sources
    from safecity.engine.demo.writer import DemoFiles
    from safecity.engine.governance.register import OPEN_SOURCES, require_registration

    monkeypatch.setenv("SAFECITY_ALLOW_UNREGISTERED_LOADS", "false")
    root = tmp_path / "w"
    register_demo_sources(root)
    register_demo_sources(root)  # a re-run changes nothing
    d = tmp_path / "demo"
    files = DemoFiles(d, *(d / n for n in "gcvsmahyr"))
    kinds = {source for source, _, _ in files.plan()} - OPEN_SOURCES
    assert kinds and all(require_registration(root, k).entry.version == 1 for k in kinds)
