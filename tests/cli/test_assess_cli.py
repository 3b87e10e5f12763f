"""``safecity assess``: help with an example, and one-sentence errors (exit 2, no traceback)."""

from __future__ import annotations

from click.testing import CliRunner

from safecity.cli import cli, main


def test_help_names_the_outputs_and_gives_an_example():
    result = CliRunner().invoke(cli, ["assess", "--help"])
    assert result.exit_code == 0
    assert "safecity assess --year 2019/20" in result.output
    assert "--custom-period" in result.output and "--month" in result.output


def test_a_missing_warehouse_is_one_sentence_and_exit_2(home, capsys):
    assert main(["assess", "--year", "2019/20", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "There is no warehouse" in err and "Traceback" not in err


def test_a_bad_year_is_one_sentence_and_exit_2(home, capsys):
    assert main(["assess", "--year", "2019/2x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error:") and "Traceback" not in err


def test_year_and_period_together_are_refused(home, capsys):
    assert main(["assess", "--year", "2019/20", "--period", "2018-10..2019-02"]) == 2
    assert "either a financial year" in capsys.readouterr().err
