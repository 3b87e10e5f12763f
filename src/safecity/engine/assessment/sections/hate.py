"""Section 8, hate crime by strand (several strands may apply to one crime), the year
comparison and any custom period against the same period a year earlier.

Source: the hate-crime flags on police recorded crimes when the crimes carry them; otherwise the
hate reports file (reports that became crimes, ``is_crime``). A crime counts once in the total
("any of the five strands") and once in each strand flagged, so strands add up to more than the
total. Hate incidents that are not crimes and third-party reports are shown separately.
"""

from __future__ import annotations

from ...contract import HATE_STRANDS
from ... import figures
from .. import disclosure
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import (NO_FLAGS, SectionOutput, protected_change, protected_sentence,
                      section, unavailable)

LABELS = {"race": "Race", "religion": "Religion", "sexual_orientation": "Sexual orientation",
          "disability": "Disability", "transgender": "Transgender identity"}


def build(ctx: Context) -> SectionOutput:
    src = figures.hate_source(ctx)
    if src is None:
        return unavailable("hate", (NO_FLAGS[0].upper() + NO_FLAGS[1:] + ", and no hate reports "
                                    "are loaded." if ctx.is_open_data else
                                    "The crimes carry no hate-crime flags and no hate reports "
                                    "are loaded."))
    table, prefix, extra = src
    t = ctx.threshold
    heads: dict = {}
    text: list[str] = []
    rows: list[tuple] = []
    # Hate reports are counted over their own months (engine/coverage.py); labels say so.
    own = figures.figure_source(ctx, "hate_crime")
    periods = [("in_cur", "in_prev", ctx.label_of("in_cur", own), ctx.label_of("in_prev", own),
                "")]
    if ctx.custom is not None:
        periods.append(("in_cp", "in_cpp", ctx.label_of("in_cp", own),
                        ctx.label_of("in_cpp", own), "_period"))
    led = disclosure.ledger(ctx)
    for a, b, _, _, _ in periods:
        cur, prev = figures.count(ctx, "hate_crime", a, b)
        led.count(f"any:{a}", cur)
        led.count(f"any:{b}", prev)
        for s in HATE_STRANDS:
            sc, sp = ctx.pair(figures.hate_condition(prefix, extra, s), table=table, a=a, b=b)
            led.count(f"{s}:{a}", sc)
            led.count(f"{s}:{b}", sp)
    # Strands overlap (one crime, several strands): each strand is at most the total and the
    # total at most their sum, relations the audit knows.
    for a, b, _, _, _ in periods:
        for flag in (a, b):
            for s in HATE_STRANDS:
                led.relate({f"{s}:{flag}": 1, f"any:{flag}": -1}, "<=")
            led.relate({**{f"{s}:{flag}": -1 for s in HATE_STRANDS}, f"any:{flag}": 1}, "<=")
    pr = led.protect()  # every figure below is read from the protected set only
    for a, b, la, lb, suffix in periods:
        key = "hate_crime" if not suffix else "hate_five_strands_period"
        total_change, _ = protected_change(pr, f"any:{a}", f"any:{b}")
        heads[key] = pr[f"any:{a}"]
        heads[f"{key}_previous"] = pr[f"any:{b}"]
        if not suffix:
            heads["hate_crime_change_pct"] = (None if total_change is None
                                              or total_change.change_pct is None
                                              else round(total_change.change_pct, 1))
        text.append(protected_sentence(
            f"Hate crime in {la} (any of the five strands, against {lb})", total_change))
        for s in HATE_STRANDS:
            heads[f"hate_{s}{suffix}"] = pr[f"{s}:{a}"]
            heads[f"hate_{s}{suffix}_previous"] = pr[f"{s}:{b}"]
            ch, _ = protected_change(pr, f"{s}:{a}", f"{s}:{b}")
            rows.append((la, lb, LABELS[s], pr[f"{s}:{a}"], pr[f"{s}:{b}"],
                         None if ch is None or ch.change_pct is None
                         else round(ch.change_pct, 1)))
        rows.append((la, lb, "Any of the five strands", pr[f"any:{a}"], pr[f"any:{b}"],
                     None if total_change is None or total_change.change_pct is None
                     else round(total_change.change_pct, 1)))
    tables = [TableResult(
        key="hate_crime_by_strand", title="Hate crime by strand",
        columns=(TableColumn("period", "Period"), TableColumn("compared_with", "Compared with"),
                 TableColumn("strand", "Strand"), TableColumn("current", "This period", "count"),
                 TableColumn("previous", "Comparison period", "count"),
                 TableColumn("change_pct", "Change (%)", "change_pct")),
        rows=tuple(rows), sensitive=True,
        notes=("One crime can carry several strands, so strands add up to more than the total.",
               "Source: " + ("hate-crime flags on police recorded crimes." if table == "c" else
                             "hate reports that became crimes."),))]
    if ctx.tables["h"]:
        rep = ctx.rows("SELECT channel, coalesce(is_crime, FALSE), count(*) FILTER (WHERE in_cur)"
                       ", count(*) FILTER (WHERE in_prev) FROM h GROUP BY 1, 2 ORDER BY 1, 2")
        cur_cells = disclosure.protect([int(r[2]) for r in rep], t)
        prev_cells = disclosure.protect([int(r[3]) for r in rep], t)
        tables.append(TableResult(
            key="hate_reports_by_channel", title="Hate crimes and incidents reported, by "
                                                 "channel",
            columns=(TableColumn("channel", "Reported to"), TableColumn("kind", "Crime or "
                                                                        "incident"),
                     TableColumn("current", "This period", "count"),
                     TableColumn("previous", "Comparison period", "count")),
            rows=tuple((r[0], "crime" if r[1] else "non-crime incident", c,
                        p if ctx.loaded("h", "in_prev") else None)
                       for r, c, p in zip(rep, cur_cells, prev_cells)), sensitive=True))
    by_centre = third_party_by_centre(ctx, "in_cur", ctx.label_of("in_cur", "h"))
    if by_centre is not None:
        tables.append(by_centre[0])
        heads["hate_third_party_reports"] = by_centre[1]
    return SectionOutput(section("hate", narrative=tuple(text), tables=tuple(tables)), heads)


THIRD_PARTY = "channel IN ('third_party', 'online')"


def third_party_by_centre(ctx: Context, flag: str, label: str):
    """Reports made to third-party centres or online in period ``flag``, by centre and strand:
    (table, the protected total), or None when there are none. The one definition behind the
    assessment's table and the monthly pack's. Each column adds up to its "All centres" cell,
    so each is protected against that total; strands overlap, so a row has no such sum."""
    if not ctx.loaded("h", flag):
        return None
    strands = ", ".join(f"count(*) FILTER (WHERE coalesce(strand_{s}, FALSE))"
                        for s in HATE_STRANDS)
    found = ctx.rows(
        "SELECT coalesce(centre, CASE WHEN channel = 'online' THEN 'Online' ELSE 'Not recorded' "
        f"END), count(*), {strands} FROM h WHERE {flag} AND {THIRD_PARTY} GROUP BY 1 ORDER BY 1")
    if not found:
        return None
    t = ctx.threshold
    columns = [disclosure.protect([int(r[i]) for r in found], t)
               for i in range(1, 2 + len(HATE_STRANDS))]
    totals = [sum(int(r[i]) for r in found) for i in range(1, 2 + len(HATE_STRANDS))]
    rows = [(r[0], *(col[j] for col in columns)) for j, r in enumerate(found)]
    rows.append(("All centres and online", *(disclosure.protect_total(v, t) for v in totals)))
    table = TableResult(
        key=f"hate_third_party_by_centre{'' if flag == 'in_cur' else '_' + flag}",
        title=f"Third-party and online hate reports by centre and strand, {label}",
        columns=(TableColumn("centre", "Reporting centre"),
                 TableColumn("reports", "Reports", "count"),
                 *(TableColumn(s, LABELS[s], "count") for s in HATE_STRANDS)),
        rows=tuple(rows), sensitive=True,
        notes=("Reports accepted by the hate crime coordinator from reporting centres and the "
               "online form. One report can carry several strands.",))
    return table, disclosure.protect_total(totals[0], t)
