"""Reading existing action plans and progress tables (DOCX, XLSX, CSV) into a ParsedPlan."""

from __future__ import annotations

import doctest
import functools
import re
import io
import sys
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import openpyxl
import pytest

from safecity.engine.errors import SourceError
from safecity.web.strategy import importing
from safecity.web.strategy.importing import (
    PlanImportError, join_actions, move_paragraph, parse_plan, split_lead_agencies)

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_docx import (  # noqa: E402
    docx_from_rows, headings_plan_docx, progress_table_docx, real_table_docx, summary)


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


# -- a council's own Word table, with every layout quirk (fixtures_docx.real_table_docx) ---------

def test_a_councils_exported_word_table_imports_exactly():
    data, expected = real_table_docx()
    assert summary(_parse_docx(data)) == expected


def test_probation_service_and_services_are_one_agency_in_the_file():
    data, _ = real_table_docx()
    assert _parse_docx(data).agencies == (
        "Northshire Constabulary", "Harbourside City Council", "Probation Services",
        "Youth Justice Service", "Northshire Fire and Rescue Service")


def test_the_readings_of_the_quirks_are_listed_for_the_preview():
    data, _ = real_table_docx()
    notes = _parse_docx(data).notes
    assert ("table 1, row 5: read the Action as the rest of the one above (it has no lead of "
            "its own and the text above does not end a sentence).") in notes
    assert ("table 1, row 10: read as part of the action printed below it (table 1, row 11), "
            "which shares a merged cell with it.") in notes
    assert any(n.startswith("table 1, row 15: read the Update up to its first full stop")
               for n in notes)


def test_an_action_run_on_with_a_capital_needs_no_lead_of_its_own():
    rows = [("Safety", "Work with the Health and Wellbeing", "Council", ""),
            ("", "Board to open a clinic.", "", "Opened in May."),
            ("", "Patrol the park", "Police", ""),
            ("", "Light the path.", "Council", "")]
    plan = _parse_docx(docx_from_rows(rows))
    assert [(a.text, a.lead_agencies) for a in plan.actions] == [
        ("Work with the Health and Wellbeing Board to open a clinic.", ("Council",)),
        ("Patrol the park", ("Police",)),  # the next row has a lead of its own: a new action
        ("Light the path.", ("Council",))]


def test_a_paragraph_between_two_actions_is_kept_above_and_flagged():
    rows = [("Safety", "Patrol the park.", "Police", "Patrols started."),
            ("", "", "", "Lighting is a priority for the council."),
            ("", "Light the path.", "Council", "Lights were fitted.")]
    plan = _parse_docx(docx_from_rows(rows))
    first, second = plan.actions
    assert first.update == "Patrols started.\nLighting is a priority for the council."
    assert first.doubts and "If it is about the next action, move it there." in first.doubts[0]
    moved = move_paragraph(plan, 0, "next")
    assert [a.update for a in moved.actions] == [
        "Patrols started.", "Lighting is a priority for the council.\nLights were fitted."]
    assert not any(a.doubts for a in moved.actions)


def test_an_action_cut_mid_phrase_above_a_row_with_its_own_lead_is_flagged_and_can_be_joined():
    rows = [("Safety", "Patrol the park and", "Police", "Started."),
            ("", "The play area at night.", "Council", "Going well.")]
    plan = _parse_docx(docx_from_rows(rows))
    assert len(plan.actions) == 2 and "join them" in plan.actions[1].doubts[0]
    joined = join_actions(plan, 1)
    assert [(a.text, a.lead_agencies, a.update) for a in joined.actions] == [
        ("Patrol the park and The play area at night.", ("Police", "Council"),
         "Started.\nGoing well.")]


def test_only_an_action_below_another_in_its_priority_can_be_joined():
    rows = [("Safety", "Patrol the park.", "Police", ""), ("Health", "Open a clinic.", "NHS", "")]
    plan = _parse_docx(docx_from_rows(rows))
    for index in (0, 1, 5):
        with pytest.raises(ValueError):
            join_actions(plan, index)
    with pytest.raises(ValueError):
        move_paragraph(plan, 0, "previous")


_WORDS = ["", "", "Police", "Council", "and", "the", "Patrol the park.", "rest of it", "All",
          "Safety", "1,150 visits.", "Action", "Lead", "Update", "Priority", "Fire and Rescue",
          "a levy rather than", "Done. Next", "x\ny"]


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    rows=st.lists(st.tuples(*[st.sampled_from(_WORDS)] * 4), min_size=1, max_size=12),
    merges=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(0, 3)),
                    max_size=3))
def test_any_grid_is_read_or_refused_with_problems_never_a_crash(rows, merges):
    from safecity.web.strategy.plan_reader import PlanReader
    from safecity.web.strategy.plan_grid import Grid

    grid_rows = [("row 1", ("Priority", "Action", "Lead Agency", "Update"))] + [
        (f"row {n}", cells) for n, cells in enumerate(rows, start=2)]
    vmerges = tuple((column, first, min(first + extra, len(grid_rows) - 1))
                    for column, first, extra in merges if first < len(grid_rows))
    reader = PlanReader("plan.docx", set())
    reader.read_grid(Grid("table 1", tuple(grid_rows), vmerges))
    try:
        plan = reader.finish("")
    except PlanImportError as exc:
        assert exc.problems
    else:
        assert all(a.text and a.lead_agencies for a in plan.actions)


@functools.lru_cache(maxsize=1)
def _progress_plan():
    return _parse_docx(progress_table_docx()[0])


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(operations=st.lists(st.tuples(st.sampled_from(["previous", "next", "join"]),
                                                st.integers(0, 12)), max_size=8))
def test_corrections_never_lose_or_invent_a_word(operations):
    plan = _progress_plan()

    def words(p):
        return sorted(" ".join(a.text + " " + a.update for a in p.actions).split())

    before = words(plan)
    for kind, index in operations:
        try:
            changed = (join_actions(plan, index) if kind == "join"
                       else move_paragraph(plan, index, kind))
        except ValueError:
            continue
        assert len(changed.actions) == len(plan.actions) - (kind == "join")
        plan = changed
    assert words(plan) == before
