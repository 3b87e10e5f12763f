"""Reading existing action plans and progress tables (DOCX, XLSX, CSV) into a ParsedPlan."""

from __future__ import annotations

import doctest
import re
import io
import sys
from pathlib import Path

import openpyxl
import pytest

from safecity.engine.errors import SourceError
from safecity.web.strategy import importing
from safecity.web.strategy.importing import PlanImportError, parse_plan, split_lead_agencies

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import (  # noqa: E402
    docx_from_rows, headings_plan_docx, progress_table_docx, summary)


def _parse_docx(data: bytes, **kwargs):
    return parse_plan(io.BytesIO(data), "plan.docx", **kwargs)


def test_importing_the_progress_table_reproduces_every_priority_action_lead_and_update():
    data, expected = progress_table_docx()
    assert summary(_parse_docx(data)) == expected


def test_importing_a_plan_with_full_width_priority_headings_reproduces_it():
    data, expected = headings_plan_docx()
    assert summary(_parse_docx(data)) == expected


def test_the_progress_table_can_be_read_from_a_path_on_disk(tmp_path):
    data, expected = progress_table_docx()
    path = tmp_path / "progress.docx"
    path.write_bytes(data)
    assert summary(parse_plan(path, path.name)) == expected


def test_continuation_rows_are_listed_for_the_preview():
    data, _ = progress_table_docx()
    notes = _parse_docx(data).notes
    assert "table 1, row 6: read the Action as the rest of the one above (it starts in lower case)." in notes
    assert any("Northshire Fire and Rescue Service" in note for note in notes)


def test_each_action_remembers_where_it_starts_in_the_file():
    data, _ = progress_table_docx()
    plan = _parse_docx(data)
    assert [a.source for a in plan.priorities[0].actions] == [
        "table 1, row 2", "table 1, row 4", "table 1, row 7", "table 1, row 10"]
    assert plan.priorities[3].actions[0].source == "table 2, row 2"


def test_agencies_are_listed_once_each_without_all():
    data, _ = progress_table_docx()
    assert _parse_docx(data).agencies == (
        "Northshire Police", "Harbourside City Council", "Youth Justice Service",
        "Probation Service", "Northshire Fire and Rescue Service")


@pytest.mark.parametrize("cell, expected", [
    ("All", ("All",)),
    ("all agencies", ("All",)),
    ("Police, Council", ("Police", "Council")),
    ("Police/ Council", ("Police", "Council")),
    ("Police;Council\nProbation", ("Police", "Council", "Probation")),
    ("Council and\nPolice", ("Council", "Police")),
    ("Fire and Rescue Service", ("Fire and Rescue Service",)),
    ("Health & Wellbeing Board", ("Health & Wellbeing Board",)),
    ("Police, police", ("Police",)),
])
def test_a_lead_cell_splits_on_separators_and_keeps_names_as_written(cell, expected):
    assert split_lead_agencies(cell) == expected


def test_and_splits_a_lead_cell_only_into_agencies_the_partnership_has():
    assert split_lead_agencies("Police and Probation") == ("Police and Probation",)
    assert split_lead_agencies("Police and Probation", known={"POLICE", "probation"}) == (
        "Police", "Probation")
    plan = _parse_docx(docx_from_rows([("Safety", "Patrol the park", "Police and Probation", "")]),
                       known_agencies=["Police", "Probation"])
    assert plan.actions[0].lead_agencies == ("Police", "Probation")


def test_a_priority_repeated_on_every_row_does_not_start_new_actions():
    rows = [("Safety", "Patrol the park", "Police", "First."),
            ("Safety", "Patrol the park", "Police", "Second."),
            ("Safety", "Light the path", "Council", "")]
    plan = _parse_docx(docx_from_rows(rows))
    assert summary(plan).priorities == (("Safety", (
        ("Patrol the park", ("Police",), "First.\nSecond."),
        ("Light the path", ("Council",), ""))),)


def test_a_later_row_naming_an_earlier_priority_adds_to_it():
    rows = [("Safety", "Patrol the park", "Police", ""),
            ("Health", "Open a clinic", "NHS Trust", ""),
            ("Safety", "Light the path", "Council", "")]
    plan = _parse_docx(docx_from_rows(rows))
    assert [(p.title, len(p.actions)) for p in plan.priorities] == [("Safety", 2), ("Health", 1)]


def test_a_spreadsheet_with_merged_cells_and_a_title_row_imports(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["Community safety action plan"])
    sheet.append(["Priority", "Action", "Lead agencies", "Progress update"])
    sheet.append(["Safer roads", "Enforce 20 mph near schools", "Police", "Six operations."])
    sheet.append([None, "Repaint crossings", "Council / Police", "Done in May."])
    sheet.append([None, None, None, "Two more are planned."])
    sheet.append(["Safer homes", "Fit smoke alarms", "Fire Service", None])
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("B4:B5")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    plan = parse_plan(path, "plan.xlsx")
    assert summary(plan).priorities == (
        ("Safer roads", (("Enforce 20 mph near schools", ("Police",), "Six operations."),
                         ("Repaint crossings", ("Council", "Police"),
                          "Done in May.\nTwo more are planned."))),
        ("Safer homes", (("Fit smoke alarms", ("Fire Service",), ""),)))


def test_a_csv_saved_by_excel_in_windows_1252_imports():
    text = "Priority;Action;Lead Agency;Update\nSafety;Café patrols – evenings;Police;Started\n"
    plan = parse_plan(io.BytesIO(text.encode("cp1252")), "plan.csv")
    assert plan.actions[0].text == "Café patrols – evenings"


def test_an_action_without_a_lead_agency_is_refused_with_its_row():
    with pytest.raises(PlanImportError) as caught:
        _parse_docx(docx_from_rows([("Safety", "Patrol the park", "", "Going well.")]))
    assert str(caught.value.problems[0]) == (
        'table 1, row 2: the action "Patrol the park" has no lead agency. Fill in its Lead Agency '
        "cell (write All if every agency leads it).")


def test_an_update_with_no_action_above_it_is_refused_with_its_row():
    with pytest.raises(PlanImportError) as caught:
        _parse_docx(docx_from_rows([("Safety", "", "", "An orphan update."),
                                    ("", "Patrol", "Police", "")]))
    assert caught.value.problems[0].where == "table 1, row 2"
    assert "no action in it or above it" in caught.value.problems[0].what


def test_every_problem_is_reported_at_once():
    rows = [("", "Patrol the park", "Police", ""), ("Safety", "Light the path", "", "")]
    with pytest.raises(PlanImportError) as caught:
        _parse_docx(docx_from_rows(rows))
    assert [p.where for p in caught.value.problems] == ["table 1, row 2", "table 1, row 3"]
    assert "(1 more problems are listed on the preview page.)" in str(caught.value)


def test_a_table_without_a_header_row_is_refused():
    with pytest.raises(PlanImportError, match="no header row with Action and Lead Agency"):
        _parse_docx(docx_from_rows([("Safety", "Patrol", "Police", "")], header=()))


@pytest.mark.parametrize("name, data, message", [
    ("plan.doc", b"\xd0\xcf\x11\xe0", "the old Office format"),
    ("plan.pdf", b"%PDF-1.4", "files ending .pdf cannot be imported"),
    ("plan.docx", b"not a zip", "is not a Word (.docx) document, or it is damaged"),
    ("plan.xlsx", b"", "the file is empty"),
])
def test_files_that_are_not_plans_get_a_sentence_naming_the_file(name, data, message):
    with pytest.raises(SourceError, match=re.escape(message)) as caught:
        parse_plan(io.BytesIO(data), name)
    assert str(caught.value).startswith(name)


def test_the_importing_docstring_examples_run():
    assert doctest.testmod(importing).failed == 0
