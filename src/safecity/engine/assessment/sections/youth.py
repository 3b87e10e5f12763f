"""Section 13, youth justice: first-time entrants and proven re-offending.

First-time entrant (FTE): a young person aged 10–17 at the outcome whose first youth caution,
conditional caution or court sentence in the data falls in the period (MoJ definition,
research/methods.md §3.3). Rate per 100,000 residents aged 10–17. Records start when the youth
justice data starts, so the first year of data over-counts FTEs (earlier outcomes are unseen).

Proven re-offending (MoJ, methods §3.2): quarterly cohorts of young people with a caution,
conditional caution or court sentence in the quarter (index date = their first in the quarter).
A proven re-offence is an offence committed within 12 months after the index date and proven
(outcome date) within 18 months (12-month follow-up plus a 6-month waiting period). Binary rate
= re-offenders / cohort; frequency = re-offences / cohort and / re-offender. A cohort whose
index quarter ended less than 18 months before the latest outcome in the data is *maturing*.
"""

from __future__ import annotations

from ... import figures
from .. import disclosure
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import SectionOutput, section, unavailable

OUTCOMES = figures.YOUTH_OUTCOMES


def build(ctx: Context) -> SectionOutput:
    if not ctx.tables["youth_justice"]:
        reason = ("No youth justice records are loaded." if ctx.area.is_partnership else
                  "Youth justice records carry no location; they are reported only for the "
                  "partnership's own area.")
        return unavailable("youth", reason)
    heads: dict = {}
    text, tables, partial = [], [], []
    data_start, data_end = ctx.con.execute(
        f"SELECT min(outcome_date), max(outcome_date) FROM youth_justice WHERE {OUTCOMES}"
    ).fetchall()[0]
    fte = dict(zip(("cur", "prev"), figures.count(ctx, "first_time_entrants")))
    pop = ctx.area.population_10_17
    cohorts = figures.reoffending_cohorts(ctx, ctx.comparison.start, ctx.period.end)
    # The published rate is the figure the scorecard shows (figures.latest_matured_cohort):
    # the latest matured cohort, and the same quarter a year earlier.
    latest, earlier = figures.latest_matured_cohort(ctx)
    # One protection over every count the section publishes (engine/assessment/disclosure.py):
    # first-time entrants of each period, and each cohort's young people, re-offenders and
    # those who did not re-offend (the cohort less its re-offenders: a count of people too).
    # A cohort is one set of cells in the table and the headlines alike (``_key``).
    led = disclosure.ledger(ctx)
    for n in ("cur", "prev"):
        led.count(f"fte:{n}", fte[n])
    for c in cohorts + [c for c in (latest, earlier) if c is not None]:
        if f"cohort:{_key(c)}" not in led.values:
            led.total(led.count(f"cohort:{_key(c)}", c.size),
                      [led.count(f"reoffenders:{_key(c)}", c.reoffenders),
                       led.count(f"not_reoffending:{_key(c)}", c.size - c.reoffenders)])
    pr = led.protect()  # every figure below is read from the protected set only
    rate = (pr.derived(round(100000 * fte["cur"] / pop, 1), "fte:cur")
            if pop and fte["cur"] is not None else None)
    heads.update(fte_count=pr["fte:cur"], fte_count_previous=pr["fte:prev"],
                 fte_rate_per_100k=None if disclosure.is_suppressed(rate) else rate)
    if pop is None:
        partial.append("FTE rate: the population aged 10–17 is not known for this area.")
    tables.append(TableResult(
        key="first_time_entrants", title="First-time entrants to the youth justice system",
        columns=(TableColumn("period", "Period"), TableColumn("fte", "First-time entrants",
                                                              "count"),
                 TableColumn("rate", "Rate per 100,000 aged 10–17", "rate")),
        rows=tuple((ctx.label_of(p, "youth_justice"), pr[f"fte:{n}"],
                    None if not pop or fte[n] is None or pr.withheld(f"fte:{n}")
                    else round(100000 * fte[n] / pop, 1))
                   for n, p in (("cur", "in_cur"), ("prev", "in_prev"))),
        sensitive=True,
        notes=(f"Youth justice records run from {data_start} to {data_end}; first-time entry "
               "is judged on these records only.",)))
    if data_start and data_start > ctx.comparison.start:
        partial.append("First-time entrants may be over-counted: the youth justice records "
                       f"start on {data_start}, inside the comparison period.")
    text.append(f"There were {_n(heads['fte_count'])} first-time entrants in "
                f"{ctx.label_of('in_cur', 'youth_justice')}"
                + (f", {rate:.0f} per 100,000 residents aged 10–17."
                   if heads['fte_rate_per_100k'] is not None else "."))
    rows = []
    for c in cohorts:
        # a cohort's rates give its counts back: shown only when both counts are published
        hidden = not pr.published(f"cohort:{_key(c)}", f"reoffenders:{_key(c)}")
        binary = None if hidden else c.binary_pct
        freq = None if hidden or not c.size else round(c.reoffences / c.size, 2)
        per_re = None if hidden or not c.reoffenders else round(c.reoffences / c.reoffenders, 2)
        rows.append((c.label, pr[f"cohort:{_key(c)}"], pr[f"reoffenders:{_key(c)}"], binary,
                     freq, per_re, "final" if c.matured else "maturing: follow-up not complete"))
    tables.append(TableResult(
        key="youth_reoffending", title="Proven re-offending by quarterly cohort",
        columns=(TableColumn("cohort", "Cohort (quarter)"),
                 TableColumn("cohort_size", "Young people", "count"),
                 TableColumn("reoffenders", "Re-offenders", "count"),
                 TableColumn("binary_rate", "Binary rate (%)", "percent"),
                 TableColumn("frequency", "Re-offences per young person", "ratio"),
                 TableColumn("per_reoffender", "Re-offences per re-offender", "ratio"),
                 TableColumn("status", "Status")),
        rows=tuple(rows), sensitive=True,
        notes=("12-month follow-up plus a 6-month waiting period; cohorts still inside that "
               "window are marked maturing and will rise.",)))
    if latest is None:
        text.append("No cohort in these years has completed its 18-month follow-up yet; the "
                    "rates shown are still maturing.")
    else:
        heads["youth_reoffending_cohort"] = latest.label
        for suffix, c in (("", latest), ("_previous", earlier)):
            if c is None:
                continue
            hidden = not pr.published(f"cohort:{_key(c)}", f"reoffenders:{_key(c)}")
            heads[f"youth_reoffenders{suffix}"] = pr[f"reoffenders:{_key(c)}"]
            heads[f"youth_reoffending_binary_pct{suffix}"] = None if hidden else c.binary_pct
        if heads.get("youth_reoffending_binary_pct") is not None:
            text.append(f"Of the latest cohort with a complete follow-up ({latest.label}), "
                        f"{latest.binary_pct:.1f} % re-offended.")
        else:
            text.append(f"The latest cohort with a complete follow-up ({latest.label}) is too "
                        "small for its re-offending rate to be published.")
    return SectionOutput(section("youth", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _key(c) -> str:
    """One cohort's cells: the table's first quarter can be cut at the comparison's start, so
    a headline cohort of the same quarter is the same cells only when it counts the same."""
    return f"{c.label}|{c.size}|{c.reoffenders}"


def _n(value) -> str:
    return "fewer than the publication threshold of" if disclosure.is_suppressed(value) \
        else f"{value:,}"

