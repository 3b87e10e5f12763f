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
            sc, sp = ctx.pair(figures.hate_condition(prefix, extra, s), table=table, a=a, b=b,
                              fields=figures.kept("crimes", (f"{prefix}{s}",))
                              if table == "c" else None)
            led.count(f"{s}:{a}", sc)
            led.count(f"{s}:{b}", sp)
    # Strands overlap (one crime, several strands): each strand is at most the total and the
    # total at most their sum, relations the audit knows.
    for a, b, _, _, _ in periods:
        for flag in (a, b):
            for s in HATE_STRANDS:
                led.relate({f"{s}:{flag}": 1, f"any:{flag}": -1}, "<=")
            led.relate({**{f"{s}:{flag}": -1 for s in HATE_STRANDS}, f"any:{flag}": 1}, "<=")
    # Hate reports by channel, and third-party reports by centre: their counts and the
    # relations between them (reports to centres and online add up to the third-party and
    # online channels' rows; hate crimes from the reports file are among the channels' crimes).
    channels = []
    if ctx.tables["h"]:
        channels = ctx.rows("SELECT channel, coalesce(is_crime, FALSE), count(*) FILTER (WHERE "
                            "in_cur), count(*) FILTER (WHERE in_prev) FROM h GROUP BY 1, 2 "
                            "ORDER BY 1, 2")
        flags = ("in_cur", "in_prev") if ctx.loaded("h", "in_prev") else ("in_cur",)
        for j, flag in enumerate(flags):
            for i, r in enumerate(channels):
                led.count(f"channel:{i}:{flag}", int(r[2 + j]))
            if table == "h":
                led.relate({f"any:{flag}": 1, **{f"channel:{i}:{flag}": -1
                                                 for i, r in enumerate(channels) if r[1]}}, "<=")
    centres = third_party_counts(ctx, "in_cur")
    if centres is not None:
        register_third_party(led, centres, "in_cur")
        led.total("tp:in_cur:*:reports", [f"channel:{i}:in_cur" for i, r in enumerate(channels)
                                          if r[0] in THIRD_PARTY_CHANNELS])
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
    if channels:
        tables.append(TableResult(
            key="hate_reports_by_channel", title="Hate crimes and incidents reported, by "
                                                 "channel",
            columns=(TableColumn("channel", "Reported to"), TableColumn("kind", "Crime or "
                                                                        "incident"),
                     TableColumn("current", "This period", "count"),
                     TableColumn("previous", "Comparison period", "count")),
            rows=tuple((r[0], "crime" if r[1] else "non-crime incident",
                        pr[f"channel:{i}:in_cur"], pr[f"channel:{i}:in_prev"])
                       for i, r in enumerate(channels)), sensitive=True))
    if centres is not None:
        tables.append(third_party_table(pr, centres, "in_cur", ctx.label_of("in_cur", "h")))
        heads["hate_third_party_reports"] = pr["tp:in_cur:*:reports"]
    return SectionOutput(section("hate", narrative=tuple(text), tables=tuple(tables)), heads)


#: The channels of third-party reports: to a reporting centre, or online.
THIRD_PARTY_CHANNELS = ("third_party", "online")
THIRD_PARTY = f"channel IN {THIRD_PARTY_CHANNELS}"
TP_COLUMNS = ("reports",) + HATE_STRANDS


def third_party_counts(ctx: Context, flag: str) -> list[tuple] | None:
    """Reports made to third-party centres or online in period ``flag``: [(centre, reports,
    reports of each strand)], or None when there are none. The one count behind the
    assessment's table and the monthly pack's."""
    if not ctx.loaded("h", flag):
        return None
    strands = ", ".join(f"count(*) FILTER (WHERE coalesce(strand_{s}, FALSE))"
                        for s in HATE_STRANDS)
    found = ctx.rows(
        "SELECT coalesce(centre, CASE WHEN channel = 'online' THEN 'Online' ELSE 'Not recorded' "
        f"END), count(*), {strands} FROM h WHERE {flag} AND {THIRD_PARTY} GROUP BY 1 ORDER BY 1")
    return [tuple(r) for r in found] or None


def register_third_party(led, found: list[tuple], flag: str) -> None:
    """The counts of one period's third-party table on a section's ledger, keyed
    ``tp:<flag>:<row>:<column>`` (row ``*``: all centres and online), with the relations the
    table publishes: each column adds up to its "All centres" cell, and a strand (strands
    overlap) is at most its row's reports."""
    for j, col in enumerate(TP_COLUMNS):
        led.total(led.count(f"tp:{flag}:*:{col}", sum(int(r[1 + j]) for r in found)),
                  [led.count(f"tp:{flag}:{i}:{col}", int(r[1 + j]))
                   for i, r in enumerate(found)])
    for row in [str(i) for i in range(len(found))] + ["*"]:
        for s in HATE_STRANDS:
            led.relate({f"tp:{flag}:{row}:{s}": 1, f"tp:{flag}:{row}:reports": -1}, "<=")


def third_party_table(pr, found: list[tuple], flag: str, label: str) -> TableResult:
    """The third-party table of period ``flag`` from the protected counts ``pr``."""
    rows = [(r[0], *(pr[f"tp:{flag}:{i}:{c}"] for c in TP_COLUMNS)) for i, r in enumerate(found)]
    rows.append(("All centres and online", *(pr[f"tp:{flag}:*:{c}"] for c in TP_COLUMNS)))
    return TableResult(
        key=f"hate_third_party_by_centre{'' if flag == 'in_cur' else '_' + flag}",
        title=f"Third-party and online hate reports by centre and strand, {label}",
        columns=(TableColumn("centre", "Reporting centre"),
                 TableColumn("reports", "Reports", "count"),
                 *(TableColumn(s, LABELS[s], "count") for s in HATE_STRANDS)),
        rows=tuple(rows), sensitive=True,
        notes=("Reports accepted by the hate crime coordinator from reporting centres and the "
               "online form. One report can carry several strands.",))
