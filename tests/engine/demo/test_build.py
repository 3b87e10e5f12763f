"""``safecity demo`` end to end: files written, every row loaded by the real readers, idempotent."""

from __future__ import annotations

from click.testing import CliRunner

from safecity.cli import cli
from safecity.engine.warehouse import Warehouse


def test_safecity_demo_loads_every_file_and_a_second_run_changes_nothing(home, tmp_path):
    runner = CliRunner()
    out, warehouse = tmp_path / "files", tmp_path / "warehouse"
    first = runner.invoke(cli, ["demo", "--out", str(out), "--warehouse", str(warehouse)])
    assert first.exit_code == 0, first.output
    text = first.output
    for source in ("geography", "police-extract", "asb", "hate", "youth-justice", "referrals"):
        assert f"[{source}]" in text
    assert "rejected 0" in text and "rejected 1" not in text
    assert "crimes.csv (2017-04..2020-12): read 113," in text
    wh = Warehouse(warehouse)
    for table in ("crimes", "victims", "suspects", "asb_incidents", "hate_reports",
                  "youth_justice", "referrals", "geography"):
        assert wh.has_data(table), table
    con = wh.connect()
    n, keyed = con.execute("SELECT count(*), count(person_key) FROM victims "
                           "WHERE victim_type = 'person'").fetchall()[0]
    assert n == keyed and not con.execute(
        "SELECT count(*) FROM victims WHERE person_key LIKE 'NOM%'").fetchall()[0][0]
    second = runner.invoke(cli, ["demo", "--out", str(out), "--warehouse", str(warehouse)])
    assert second.exit_code == 0, second.output
    assert "Nothing changed" in second.output and "stored" not in second.output.replace(
        "Nothing changed", "")


def test_demo_files_go_to_safecity_home_by_default(home):
    from safecity.engine.demo.build import default_folder

    assert default_folder() == home / "demo"


def test_an_unwritable_output_folder_is_one_sentence_not_a_traceback(home, tmp_path):
    from safecity.cli import main

    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    code = main(["demo", "--out", str(blocker / "demo")])
    assert code == 2
