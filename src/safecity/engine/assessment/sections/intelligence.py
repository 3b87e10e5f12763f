"""Section 14, partner intelligence: Community Partnership Intelligence submissions from
schools, community organisations and agencies, by theme, by submitting agency and by ward,
against the comparison period. Present only when the web app's counts are loaded
(``intelligence_counts``, exported with ``safecity web manage export_intelligence_counts``).

Counted through ``figures.intelligence_submissions`` over the counts' own months
(engine/coverage.py). Each table's rows add up to the total, so every count is protected
together with the total (``disclosure.Ledger``); the intelligence itself never leaves the app.
"""

from __future__ import annotations

from ... import figures
from .. import disclosure
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import (CHANGE_COLUMNS, SectionOutput, protected_change, protected_sentence,
                      section)

THEMES = {"drugs": "Drugs", "asb": "Anti-social behaviour",
          "exploitation": "Exploitation (including county lines)",
          "violence": "Violence or weapons", "hate": "Hate", "other": "Something else"}
TABLES = (("theme", "Theme", "by theme"), ("source", "Submitted by", "by submitting agency"),
          ("ward", "Ward", "by ward"))


def build(ctx: Context) -> SectionOutput:
    own = figures.figure_source(ctx, "partner_intelligence")
    la, lb = ctx.label_of("in_cur", own), ctx.label_of("in_prev", own)
    cur, prev = figures.count(ctx, "partner_intelligence")
    led = disclosure.ledger(ctx)
    led.count("total:cur", cur)
    led.count("total:prev", prev)
    groups: dict[str, list[str]] = {}
    for by, _, _ in TABLES:
        now = figures.intelligence_submissions(ctx, "in_cur", by)
        before = figures.intelligence_submissions(ctx, "in_prev", by) if prev is not None else {}
        groups[by] = sorted(set(now) | set(before))
        for flag, values, total in (("cur", now, "total:cur"), ("prev", before, "total:prev")):
            if flag == "prev" and prev is None:
                continue
            led.total(total, [led.count(f"{by}:{g}:{flag}", values.get(g, 0))
                              for g in groups[by]])
    pr = led.protect()  # every figure below is read from the protected set only
    change, _ = protected_change(pr, "total:cur", "total:prev") if prev is not None else (
        figures.compare(cur, None), None)
    text = [protected_sentence(f"Partner intelligence submissions in {la} (against {lb})",
                               change)]
    tables = []
    for by, label, title in TABLES:
        rows = []
        for g in groups[by]:
            name = THEMES.get(g, g) if by == "theme" else g
            if prev is None:
                rows.append((name, pr[f"{by}:{g}:cur"], None, None, None, "no comparison"))
            else:
                rows.append((name,) + protected_change(pr, f"{by}:{g}:cur", f"{by}:{g}:prev")[1])
        total = ((pr["total:cur"], None, None, None, "no comparison") if prev is None
                 else protected_change(pr, "total:cur", "total:prev")[1])
        rows.append(("All submissions",) + total)
        tables.append(TableResult(
            key=f"partner_intelligence_by_{by}", title=f"Partner intelligence submissions "
                                                      f"{title}, {la} and {lb}",
            columns=(TableColumn(by, label),) + CHANGE_COLUMNS, rows=tuple(rows),
            sensitive=True,
            notes=("Submissions made through the partnership's intelligence form, counted in "
                   "the month they were made; the intelligence itself stays in the app.",)))
    heads = {"partner_intelligence": pr["total:cur"],
             "partner_intelligence_previous": pr["total:prev"] if prev is not None else None}
    return SectionOutput(section("intelligence", narrative=tuple(text), tables=tuple(tables)),
                         heads)
