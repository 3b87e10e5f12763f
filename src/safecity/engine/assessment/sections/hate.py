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
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import NO_FLAGS, SectionOutput, compare, section, unavailable

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
    text = []
    rows = []
    periods = [("in_cur", "in_prev", ctx.period.label, ctx.comparison.label, "")]
    if ctx.custom is not None:
        periods.append(("in_cp", "in_cpp", ctx.custom.label, ctx.custom_comparison.label,
                        "_period"))
    for a, b, la, lb, suffix in periods:
        cur, prev = figures.count(ctx, "hate_crime", a, b)
        ch = compare(cur, prev)
        key = "hate_crime" if not suffix else "hate_five_strands_period"
        heads[key] = disclosure.primary(cur, t)
        heads[f"{key}_previous"] = disclosure.primary(prev, t)
        if not suffix:
            heads["hate_crime_change_pct"] = None if ch.change_pct is None else round(
                ch.change_pct, 1)
        total_change = ch
        text.append(narrative.change_sentence(
            f"Hate crime in {la} (any of the five strands, against {lb})", ch, threshold=ctx.threshold))
        strand_cur, strand_prev = [], []
        for s in HATE_STRANDS:
            sc, sp = ctx.pair(figures.hate_condition(prefix, extra, s), table=table, a=a, b=b)
            strand_cur.append(sc)
            strand_prev.append(sp)
            heads[f"hate_{s}{suffix}"] = disclosure.primary(sc, t)
            heads[f"hate_{s}{suffix}_previous"] = disclosure.primary(sp, t)
        # Strands overlap, so the total does not reveal a cell: primary suppression only.
        shown_c = disclosure.protect(strand_cur, t, total_published=False)
        shown_p = disclosure.protect(strand_prev, t, total_published=False)
        for s, sc, sp, rc, rp in zip(HATE_STRANDS, shown_c, shown_p, strand_cur, strand_prev):
            ch = compare(rc, rp)
            hidden = disclosure.is_suppressed(sc) or disclosure.is_suppressed(sp)
            rows.append((la, lb, LABELS[s], sc, sp,
                         None if hidden or ch.change_pct is None else round(ch.change_pct, 1)))
        rows.append((la, lb, "Any of the five strands", disclosure.protect_total(cur, t),
                     disclosure.protect_total(prev, t),
                     None if total_change.change_pct is None or cur < t or (prev or 0) < t
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
    return SectionOutput(section("hate", narrative=tuple(text), tables=tuple(tables)), heads)
