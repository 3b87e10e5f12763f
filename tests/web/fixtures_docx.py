"""Word files shaped like a partnership's real progress table, written in this suite's own words.

Each builder returns DOCX bytes plus the structure an import must reproduce exactly. The tables
carry the quirks people's Word tables have (see ``safecity.web.strategy.importing``):

- the header row repeated inside the table after a page break, and a second table after an
  explicit page break that starts with the header again;
- an action whose text runs on into the next row (lower-case start) with an empty Priority cell,
  its lead agency cut in two by the same break ("Northshire" / "Police");
- an action whose lead agency sits in a middle row with empty Priority and Action cells;
- several agencies in one lead cell (comma, "/", "and", "&", a line break) and "All";
- updates spanning several rows, one sentence broken over a page break;
- blank Priority cells meaning "as above", a priority cut over two rows, and vertically merged
  Priority and Action cells;
- (second builder) priorities as full-width merged heading rows above the actions.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER = ("Priority", "Action", "Lead Agency", "Update")
AGAIN = "header again"  # marker: the header row repeated after a page break


@dataclass(frozen=True)
class Expected:
    title: str
    # (priority title, ((action text, lead agencies, update text), ...)), in order
    priorities: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], str], ...]], ...]


def summary(plan) -> Expected:
    """The parts of a ParsedPlan an import must reproduce (not source locations or notes)."""
    return Expected(plan.title, tuple(
        (p.title, tuple((a.text, a.lead_agencies, a.update) for a in p.actions))
        for p in plan.priorities))


def _mark_repeating_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _add_table(document, rows, merges=()):
    """``rows`` of 4 strings (or AGAIN); ``merges`` of (column, first row, last row) to merge
    vertically, the text coming from the first row."""
    table = document.add_table(rows=0, cols=len(HEADER))
    table.style = "Table Grid"
    header = table.add_row()
    for cell, text in zip(header.cells, HEADER):
        cell.text = text
    _mark_repeating_header(header)
    for values in rows:
        row = table.add_row()
        for cell, text in zip(row.cells, HEADER if values == AGAIN else values):
            cell.text = text
    for column, first, last in merges:
        # Row indexes count the header as row 0, as Word does.
        top = table.cell(first, column)
        text = top.text
        merged = top.merge(table.cell(last, column))
        merged.text = text
    return table


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


TITLE = "Harbourside Safer Communities Plan 2023-26: progress for the March board"

PROGRESS_TABLE = Expected(TITLE, (
    ("Cut crime and antisocial behaviour in our neighbourhoods", (
        ("Run a street survey every quarter so residents can say which problems matter most on "
         "their estate.", ("All",),
         "Two surveys ran this year and 640 people replied.\n"
         "Results went to every ward panel in October."),
        ("Share burglary hotspot maps with housing officers each month and target door and "
         "window repairs at repeat addresses.", ("Northshire Police",),
         "Housing officers received the maps on the first Monday of each month and fitted new "
         "locks at 38 homes by January."),
        ("Give shop staff a radio link to the town centre control room.",
         ("Harbourside City Council", "Northshire Police"),
         "Forty shops joined the scheme.\nThe radio contract was renewed in June.\n"
         "Night-time venues asked to join in the spring."),
        ("Help people targeted because of who they are to report hate incidents, and check the "
         "figures each quarter for patterns.", ("Harbourside City Council", "Northshire Police"),
         "A new reporting centre opened at the central library.\n"
         "Volunteers at the centre were trained in September."),
    )),
    ("Reduce the harm caused by drugs and alcohol", (
        ("Work with the licensing team to review late licences near schools.", ("All",),
         "A late-night levy was agreed.\nThree licences were reviewed."),
        ("Close drug markets that draw young people in from outside the area.",
         ("Northshire Police", "Youth Justice Service"),
         "Twelve warrants were executed."),
    )),
    ("Protect people at risk of harm", (
        ("Train front-line staff to spot the signs of exploitation.",
         ("Harbourside City Council", "Northshire Police", "Probation Service"),
         "310 staff finished the course.\nA refresher is planned for next year."),
        ("Visit older residents who live alone to test smoke alarms and give safety advice.",
         ("Northshire Fire and Rescue Service",), "The crews made 1,150 home visits."),
        ("Hear every high-risk domestic abuse case at MARAC within ten working days.",
         ("Northshire Police", "Harbourside City Council"), "The average wait fell to eight days."),
    )),
    ("Keep young people out of the justice system", (
        ("Offer every first-time entrant a mentor within a month.", ("Youth Justice Service",),
         "Mentors were matched for 52 of 58 young people."),
        ("Run knife-awareness sessions in secondary schools & youth clubs.",
         ("Youth Justice Service", "Northshire Police"),
         "Sessions reached 14 schools.\nTwo youth clubs are booked for the summer."),
    )),
))


def progress_table_docx() -> tuple[bytes, Expected]:
    """A progress table split over pages the way Word splits it, with every quirk listed above."""
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Updates were collected from each lead agency in February.")
    p1, p2, p3, p4 = (p[0] for p in PROGRESS_TABLE.priorities)
    rows = [
        (p1, "Run a street survey every quarter so residents can say which problems matter most "
         "on their estate.", "All", "Two surveys ran this year and 640 people replied."),
        ("", "", "", "Results went to every ward panel in October."),
        ("", "Share burglary hotspot maps with housing officers each month and", "Northshire",
         "Housing officers received the maps on the first Monday of each month and"),
        AGAIN,
        ("", "target door and window repairs at repeat addresses.", "Police",
         "fitted new locks at 38 homes by January."),
        ("", "Give shop staff a radio link to the town centre control room.",
         "Harbourside City Council / Northshire Police", "Forty shops joined the scheme."),
        ("", "", "", "The radio contract was renewed in June."),
        ("", "", "", "Night-time venues asked to join in the spring."),
        ("", "Help people targeted because of who they are to report hate incidents, and check "
         "the figures", "", "A new reporting centre opened at the central library."),
        ("", "", "Harbourside City Council and Northshire Police",
         "Volunteers at the centre were trained in September."),
        ("", "each quarter for patterns.", "", ""),
        ("Reduce the harm caused by drugs and", "Work with the licensing team to", "",
         "A late-night levy was agreed."),
        ("alcohol", "review late licences near schools.", "All", "Three licences were reviewed."),
        ("", "Close drug markets that draw young people in from outside the area.",
         "Northshire Police, Youth Justice Service", "Twelve warrants were executed."),
        AGAIN,
        # Rows 16-19: the Priority cell is merged down over its three actions; rows 16-17 also
        # merge the Action and Lead cells so the update runs over two rows beside one action.
        (p3, "Train front-line staff to spot the signs of exploitation.",
         "Harbourside City Council, Northshire Police, Probation Service",
         "310 staff finished the course."),
        ("", "", "", "A refresher is planned for next year."),
        ("", "Visit older residents who live alone to test smoke alarms and give safety advice.",
         "Northshire Fire and Rescue Service", "The crews made 1,150 home visits."),
        ("", "Hear every high-risk domestic abuse case at MARAC within ten working days.",
         "Northshire Police\nHarbourside City Council", "The average wait fell to eight days."),
    ]
    _add_table(document, rows, merges=[(0, 16, 19), (1, 16, 17), (2, 16, 17)])
    _page_break(document)
    _add_table(document, [
        (p4, "Offer every first-time entrant a mentor within a month.", "Youth Justice Service",
         "Mentors were matched for 52 of 58 young people."),
        ("", "Run knife-awareness sessions in secondary schools & youth clubs.",
         "Youth Justice Service & Northshire Police", "Sessions reached 14 schools."),
        ("", "", "", "Two youth clubs are booked for the summer."),
    ])
    assert p2 == "Reduce the harm caused by drugs and alcohol"
    return _save(document), PROGRESS_TABLE


HEADINGS_PLAN = Expected("", (
    ("Safer town centre at night", (
        ("Keep a taxi marshal at the main rank on Friday and Saturday nights.",
         ("Harbourside City Council",), ""),
        ("Check door staff licences at every late venue twice a year.",
         ("Northshire Police", "Harbourside City Council"), ""),
    )),
    ("Fewer first-time entrants", (
        ("Refer every young person arrested for a first offence to the diversion panel.", ("All",),
         ""),
    )),
))


def headings_plan_docx() -> tuple[bytes, Expected]:
    """An action plan (no updates yet) whose priorities are full-width merged heading rows."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Action", "Lead agencies", "Target date")):
        cell.text = text
    for title, actions in HEADINGS_PLAN.priorities:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[2])
        merged.text = title
        for text, leads, _update in actions:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = text, ", ".join(leads), "March 2025"
    return _save(document), HEADINGS_PLAN


def docx_from_rows(rows, header=HEADER) -> bytes:
    """A one-table DOCX from plain rows, for error cases."""
    document = docx.Document()
    table = document.add_table(rows=0, cols=len(header))
    if header:
        for cell, text in zip(table.add_row().cells, header):
            cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    return _save(document)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- a council's own progress table, as exported from Word -------------------------------------

REAL_TITLE = "Riverside Community Safety Partnership: progress against the 2022-25 plan"

REAL_TABLE = Expected(REAL_TITLE, (
    ("Safer neighbourhoods", (
        ("Ask residents twice a year which local problems worry them most.", ("All",),
         "The spring survey had 410 replies."),
        ("Use crime data from every partner to choose where patrols and Neighbourhood Watch "
         "schemes go next.", ("Northshire Constabulary",),
         "Data comes from several sources, such as the Northshire Constabulary annual "
         "assessment, which the board reviews each quarter."),
        ("Fit video doorbells for repeat burglary victims.", ("Northshire Constabulary",),
         "Ninety doorbells were fitted.\nVictims said they felt safer."),
        ("Support victims of hate crime to report it and check the figures every quarter.",
         ("Harbourside City Council", "Probation Services"),
         "A reporting centre opened in the library.\nProbation staff now refer victims too."),
        ("Run knife-awareness sessions in every secondary school.", ("Youth Justice Service",),
         "Schools asked for more sessions.\nSessions reached nine schools."),
        ("Offer a mentor to every young person leaving custody.", ("Youth Justice Service",),
         "Two mentors were recruited.\nA waiting list opened in March."),
    )),
    ("Reduce harm from drugs and alcohol", (
        ("Review late licences near schools with the licensing team.", ("All",),
         "Three licences were reviewed and the board asked for a levy rather than a new "
         "saturation zone."),
        ("Close drug markets that draw young people in.", ("Northshire Constabulary",),
         "Twelve warrants were executed."),
    )),
    ("Protect people at risk", (
        ("Train front-line staff to spot exploitation.", ("Harbourside City Council",),
         "310 staff finished the course.\nA refresher is planned.\nFeedback was good.\n"
         "Managers asked for a shorter version."),
        ("Work with Public Health and the Domestic Abuse Strategy Group to deliver the domestic "
         "abuse strategy.", ("Harbourside City Council",),
         "Demand rose sharply and the group will review the strategy next year."),
        ("Refer perpetrators to behaviour change programmes.", ("Probation Service",),
         "Forty referrals were made."),
        ("Visit older residents to test smoke alarms.", ("Northshire Fire and Rescue Service",),
         "1,150 visits were made."),
    )),
))


def _centre_vertically(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    tc_pr.append(align)


def real_table_docx() -> tuple[bytes, Expected]:
    """A progress table with the layouts a council's exported Word table has, each of which an
    earlier reader got wrong:

    - the header repeated after each page break, and a second table after an explicit break;
    - action text run on after a page break into a row starting with a capital letter ("...
      the Domestic Abuse" / "Strategy Group to ..."; "... where patrols and" / "Neighbourhood
      Watch schemes go next."), the row having no lead of its own;
    - update text run on into the next row with a capital ("... such as the Northshire" /
      "Constabulary annual assessment ..."), into the next row in lower case after a page
      break, and into the next action's first row ("... a levy rather than" / "a new
      saturation zone. Twelve warrants ...", the second sentence being the new action's);
    - update paragraphs printed above their action's text: a Lead cell merged down over the
      row with the paragraph and the row with the action, and an Update cell merged the same
      way; a tall row with the action centred beside several paragraphs;
    - leads split over rows ("Northshire" / "Constabulary" in the next row; "Harbourside City"
      / "Council" over a page break) beside a genuine second lead in a later row;
    - "Probation Services" and "Probation Service" both used for one agency.
    """
    document = docx.Document()
    document.add_heading(REAL_TITLE, level=1)
    rows = [
        ("Safer neighbourhoods",
         "Ask residents twice a year which local problems worry them most.", "All",
         "The spring survey had 410 replies."),
        ("", "Use crime data from every partner to choose where patrols and",
         "Northshire Constabulary", "Data comes from several sources, such as the Northshire"),
        AGAIN,
        ("", "Neighbourhood Watch schemes go next.", "",
         "Constabulary annual assessment, which the board reviews each quarter."),
        ("", "Fit video doorbells for repeat burglary victims.", "Northshire",
         "Ninety doorbells were fitted."),
        ("", "", "Constabulary", "Victims said they felt safer."),
        ("", "Support victims of hate crime to report it and check the figures every quarter.",
         "Harbourside City Council", "A reporting centre opened in the library."),
        ("", "", "Probation Services", "Probation staff now refer victims too."),
        # Rows 9-10: the Lead cell is merged down over both; the action is printed in row 10.
        ("", "", "Youth Justice Service", "Schools asked for more sessions."),
        ("", "Run knife-awareness sessions in every secondary school.", "",
         "Sessions reached nine schools."),
        # Rows 11-12: the Update cell is merged down over both; the action is in row 12.
        ("", "", "", "Two mentors were recruited.\nA waiting list opened in March."),
        ("", "Offer a mentor to every young person leaving custody.", "Youth Justice Service",
         ""),
        ("Reduce harm from drugs and",
         "Review late licences near schools with the licensing team.", "All",
         "Three licences were reviewed and the board asked for a levy rather than"),
        ("alcohol", "Close drug markets that draw young people in.", "Northshire Constabulary",
         "a new saturation zone. Twelve warrants were executed."),
        ("Protect people at risk", "Train front-line staff to spot exploitation.",
         "Harbourside City",
         "310 staff finished the course.\nA refresher is planned.\nFeedback was good."),
        AGAIN,
        ("", "", "Council", "Managers asked for a shorter version."),
        ("", "Work with Public Health and the Domestic Abuse", "Harbourside City Council",
         "Demand rose sharply and the group will review"),
        AGAIN,
        ("", "Strategy Group to deliver the domestic abuse strategy.", "",
         "the strategy next year."),
    ]
    table = _add_table(document, rows, merges=[(2, 9, 10), (3, 11, 12)])
    for column in (1, 2):
        _centre_vertically(table.cell(15, column))  # the tall row: action beside 3 paragraphs
    _page_break(document)
    _add_table(document, [
        ("", "Refer perpetrators to behaviour change programmes.", "Probation Service",
         "Forty referrals were made."),
        ("", "Visit older residents to test smoke alarms.", "Northshire Fire and Rescue Service",
         "1,150 visits were made."),
    ])
    return _save(document), REAL_TABLE
