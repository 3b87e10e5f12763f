"""Section 3, harm: ONS Crime Severity Score style totals by offence group and subgroup.

    harm(group) = Σ_codes in group  weight(code) · count(code)  /  population

(ONS CSS, research/methods.md §1.1: custody-equivalent days per resident). Weights come from the
classification table (``classification.load()``), one edition per assessment, named in the
section. Crimes whose code has no weight (fraud, unknown codes) are outside the score; the
coverage (share of crimes weighted) is stated.
"""

from __future__ import annotations

from .. import narrative
from ..context import Context
from ..model import ChartSpec, Series, Suppressed, TableColumn, TableResult
from ._common import NO_CODES, SectionOutput, section, unavailable


def _classification():
    from ... import classification

    return classification.load()


#: The crimes columns harm is counted from (all kept in the monthly counts a purge writes).
HARM_FIELDS = ("offence_code", "offence_group", "offence_subgroup")


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("offence_code"):
        return unavailable("harm", f"Harm weights attach to Home Office offence codes; {NO_CODES}.")
    if not ctx.population:
        return unavailable("harm", "The area has no population, so harm per resident cannot "
                                   "be calculated.")
    cls = _classification()
    if "harm_weights" not in ctx.cache:  # once per context (not SHOW TABLES: not portable)
        ctx.cache["harm_weights"] = True
        # Rows straight into DuckDB: building an Arrow table from Python values makes pyarrow
        # import pandas, a third of a second of every assessment for this small table.
        ctx.con.execute("CREATE OR REPLACE TEMP TABLE weights (code VARCHAR, weight DOUBLE)")
        ctx.con.executemany("INSERT INTO weights VALUES (?, ?)",
                            [(o.code, o.weight) for o in cls.offences()])
    edition = getattr(cls, "weights_edition", "") or "unnamed edition"
    pop = ctx.population
    # Codes are kept in the monthly counts of purged months (engine/assessment/aggregates.py):
    # there each row stands for n crimes.
    table, n = ctx.counts("c", HARM_FIELDS)
    weight = "w.weight" if table == "c" else "w.weight * c.n"
    rows = ctx.rows(
        "SELECT c.offence_group, c.offence_subgroup, "
        f"sum({weight}) FILTER (WHERE in_cur), sum({weight}) FILTER (WHERE in_prev), "
        f"coalesce({n} FILTER (WHERE in_cur AND w.weight IS NOT NULL), 0), "
        f"coalesce({n} FILTER (WHERE in_cur), 0), coalesce({n} FILTER (WHERE in_prev), 0) "
        f"FROM {table} c LEFT JOIN weights w ON w.code = c.offence_code "
        # ordered so tied ranks come out the same on every run (DuckDB's parallel GROUP BY
        # returns groups in any order)
        "GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST")
    # One protection (engine/assessment/disclosure.py): harm per resident is weight x count /
    # population, so it gives a subgroup's count back. Each subgroup's counts are registered
    # under section 2's keys (decided there once); a subgroup's harm is published only when
    # its count is, and a total or share of harm only when every count in it is (the total
    # less the rows shown would give the withheld rows back).
    from .. import disclosure
    from .crime_groups import SENSITIVE_GROUPS

    led = disclosure.ledger(ctx)
    for group, sub, _, _, _, n, n_prev in rows:
        sensitive = (group or "").lower() in SENSITIVE_GROUPS
        for flag, count in (("in_cur", n), ("in_prev", n_prev)):
            led.count(disclosure.crime_cell("offence_subgroup", sub, flag), count,
                      sensitive=sensitive)
    pr = led.protect()

    def shown(sub, flag: str) -> bool:
        return not pr.withheld(disclosure.crime_cell("offence_subgroup", sub, flag))

    hidden = {flag: any(not shown(r[1], flag) for r in rows) for flag in ("in_cur", "in_prev")}
    total_cur = sum(r[2] or 0.0 for r in rows)
    total_prev = sum(r[3] or 0.0 for r in rows)
    weighted = sum(r[4] for r in rows)
    crimes = sum(r[5] for r in rows)
    coverage = round(100.0 * weighted / crimes, 1) if crimes else None
    withheld = Suppressed("withheld: would reveal a count withheld for small numbers")
    sub_rows, kept = [], []  # every row; the rows whose harm is published
    for group, sub, hc, hp, *_ in rows:
        if not hc and not hp:
            continue
        hc, hp = hc or 0.0, hp or 0.0
        cur_ok, prev_ok = shown(sub, "in_cur"), shown(sub, "in_prev")
        row = (group or "Not known", sub or "Not known",
               round(hc / pop, 3) if cur_ok else withheld,
               round(hp / pop, 3) if prev_ok else withheld,
               round((hc - hp) / pop, 3) if cur_ok and prev_ok else withheld,
               round(100.0 * hc / total_cur, 1) if total_cur and not hidden["in_cur"]
               else (withheld if hidden["in_cur"] else None))
        sub_rows.append(row)
        if cur_ok and prev_ok:
            kept.append(row)
    # Ranks and the sentences below are among the subgroups whose harm is published only:
    # a rank among withheld values would bound them.
    by_contribution = sorted(kept, key=lambda r: -r[2])
    by_change = sorted(kept, key=lambda r: -abs(r[4]))
    for i, r in enumerate(by_contribution):
        by_contribution[i] = r + (i + 1, 1 + by_change.index(r))
    by_contribution += [r + (None, None) for r in sub_rows if r not in kept]
    prev_rank = sorted(kept, key=lambda r: -r[3])
    top = [r[1] for r in by_contribution[:3] if r[6] is not None]
    top_prev = [r[1] for r in prev_rank[:3]]
    among = (" (among the subgroups whose counts are published)"
             if len(kept) < len(sub_rows) else "")
    cols = (TableColumn("offence_group", "Offence group"),
            TableColumn("offence_subgroup", "Offence subgroup"),
            TableColumn("harm", f"Harm per resident, {ctx.period.label}", "rate"),
            TableColumn("harm_previous", f"Harm per resident, {ctx.comparison.label}", "rate"),
            TableColumn("harm_change", "Change in harm per resident", "rate"),
            TableColumn("share_pct", "Share of total harm (%)", "percent"),
            TableColumn("rank_contribution", "Rank by contribution", "count"),
            TableColumn("rank_change", "Rank by size of change", "count"))
    table = TableResult(
        key="harm_by_subgroup", title=f"Crime severity (harm) by offence subgroup, "
                                     f"{ctx.period.label}", columns=cols,
        rows=tuple(by_contribution),
        notes=(f"Weights: ONS Crime Severity Score, {edition}; {coverage} % of crimes carry a "
               "weight (fraud and unknown codes have none).",
               "Harm per resident = Σ weight × crimes / mid-2019 population (custody-equivalent "
               "days per resident)."))
    css = withheld if hidden["in_cur"] else round(total_cur / pop, 2)
    css_prev = withheld if hidden["in_prev"] else round(total_prev / pop, 2)
    if not ctx.loaded("c", "in_prev", HARM_FIELDS):
        css_prev, top_prev = None, []
    if isinstance(css, Suppressed):
        first = (f"Total crime severity (harm) in {ctx.period.label} is withheld: it would "
                 "reveal a count withheld for small numbers.")
    else:
        first = (f"Crime severity (harm) was {css:.2f} per resident in {ctx.period.label}"
                 + (f", against {css_prev:.2f} in {ctx.comparison.label}."
                    if isinstance(css_prev, float) else "."))
    text = [first, narrative.ranking_sentence([t.lower() for t in top],
                                              "The subgroups causing most harm" + among
                                              + " were")]
    if by_change:
        r = by_change[0]
        verb = "rise" if r[4] > 0 else "fall"
        text.append(f"The largest {verb} in harm{among} was in {r[1].lower()} "
                    f"({r[4]:+.2f} per resident).")
    heads = {"harm_per_resident": css, "harm_per_resident_previous": css_prev,
             "harm_weights_coverage_pct": coverage,
             "harm_top3_subgroups": "; ".join(top),
             "harm_top3_subgroups_previous": "; ".join(top_prev) or None}
    top10 = [r for r in by_contribution if r[6] is not None][:10]  # published values only
    chart = ChartSpec(
        key="harm_chart", title="Harm per resident by offence subgroup (top 10)",
        finding=f"{top[0]} caused the most harm." if top else "No harm could be calculated.",
        kind="hbar", table_key="harm_by_subgroup", categories=tuple(r[1] for r in top10),
        series=(Series(ctx.period.label, tuple(r[2] for r in top10)),
                Series(ctx.comparison.label, tuple(r[3] for r in top10))),
        x_label="Custody-equivalent days per resident", y_label="Offence subgroup")
    return SectionOutput(section("harm", narrative=tuple(text), tables=(table,), charts=(chart,),
                                 caveats=(f"Severity weights: ONS Crime Severity Score, {edition}. "
                                          "Weights change between editions; one edition is used "
                                          "for both years.",)), heads)
