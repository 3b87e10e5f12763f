"""Section 2, crime by ONS offence group and subgroup (or police.uk category for open data).

Every row carries the E-test of this period against the comparison period and the rate per
1,000 with its exact/Byar interval. *Notable* changes are those that are statistically
significant, not small numbers, and large in absolute terms (at least ``MIN_DIFFERENCE``
crimes), ranked by the size of the difference: a 50 % rise from 4 to 6 is never notable.
"""

from __future__ import annotations

import re

from .. import narrative
from ..context import Context
from ..model import ChartSpec, Series, Suppressed, TableColumn, TableResult
from ...figures import basket_fields, kept
from ._common import (CHANGE_COLUMNS, NO_CODES, SectionOutput, basket_condition, change_cells,
                      compare, section, unavailable)

MIN_DIFFERENCE = 20  # crimes; smaller shifts are not called out as notable however significant
NOTABLE = 5  # at most this many increases and decreases named in the narrative

#: Headline keys taken from this section: key -> (level, label as in the classification).
GROUP_HEADLINES = {
    "violent_crime_change_pct": ("offence_group", "violence against the person"),
    "sexual_offences_rape_change_pct": ("offence_subgroup", "rape"),
    "other_sexual_offences_change_pct": ("offence_subgroup", "other sexual offences"),
    "stalking_harassment_change_pct": ("offence_subgroup", "stalking and harassment"),
    "arson_change_pct": ("offence_subgroup", "arson"),
    "residential_burglary_change_pct": ("offence_subgroup", "residential burglary"),
}


#: Headline keys from classification baskets: key -> (basket name, label).
BASKET_HEADLINES = {
    "modern_slavery_change_pct": ("modern_slavery", "Modern slavery"),
    "cruelty_to_children_change_pct": ("cruelty_to_children", "Cruelty to children"),
}


#: Offence groups whose counts fall under disclosure control (sexual offences).
SENSITIVE_GROUPS = ("sexual offences",)


#: Groups whose counts other sections publish whatever this one does (so never a secondary
#: suppression here): group -> whether its subgroups are published there too.
PUBLISHED_ELSEWHERE = {"violence against the person": True,  # section 7, with its subgroups
                       "drug offences": False}  # section 9, drug offences (the group)


def register(ctx: Context, led, groups: list[tuple], categories: list[tuple] | None) -> None:
    """Every count of the offence group table (and the police.uk category table) and every
    relation between them: subgroups add up to their group, groups to all recorded crime,
    categories to all recorded crime, and the subgroups and categories that share crimes add
    up to the same number (e.g. police.uk 'Violence and sexual offences' is violence against
    the person plus sexual offences). Sexual offences are sensitive; violence against the
    person (published again in section 7) and all recorded crime (section 1) are public."""
    from .. import disclosure

    for flag, col in (("in_cur", 2), ("in_prev", 3)):
        total = disclosure.crime_cell("all", "all", flag)
        group_keys = []
        for row in groups:
            g, s, n = row[0], row[1], row[col]
            if n is None or (g is None and s is not None):
                continue
            if g is None:
                led.count(total, n, public=True)
                continue
            sensitive = g.lower() in SENSITIVE_GROUPS
            public = g.lower() in PUBLISHED_ELSEWHERE and (
                s is None or PUBLISHED_ELSEWHERE[g.lower()])
            if s is None:
                group_keys.append(led.count(disclosure.crime_cell("offence_group", g, flag), n,
                                            sensitive=sensitive, public=public))
            else:
                led.count(disclosure.crime_cell("offence_subgroup", s, flag), n,
                          sensitive=sensitive, public=public)
        led.total(total, group_keys)
        for g_key in group_keys:
            g = g_key.split("|")[2]
            subs = [disclosure.crime_cell("offence_subgroup", s, flag) for gg, s, *_ in groups
                    if gg is not None and gg.lower() == g and s is not None]
            if subs:
                led.total(g_key, subs)
        if categories is not None:
            cat_keys = [led.count(disclosure.crime_cell("police_uk_category", c, flag), n,
                                  sensitive=False)
                        for c, n in ((r[0], r[col - 1]) for r in categories) if n is not None]
            led.total(total, cat_keys)
    if categories is not None and groups:
        for flag in ("in_cur", "in_prev"):
            for subs, cats in _shared_crimes(ctx):
                led.relate({**{disclosure.crime_cell("offence_subgroup", s, flag): 1.0
                               for s in subs},
                            **{disclosure.crime_cell("police_uk_category", c, flag): -1.0
                               for c in cats}})


def _shared_crimes(ctx: Context) -> list[tuple[set, set]]:
    """Sets of offence subgroups and police.uk categories holding exactly the same crimes
    (connected parts of the subgroup-category pairs seen in the data): their counts are equal
    in every period, a relation anyone reading both tables can use."""
    table, _ = ctx.counts("c", GROUPED)
    pairs = ctx.rows(f"SELECT DISTINCT offence_subgroup, police_uk_category FROM {table} "
                     "WHERE offence_group IS NOT NULL")
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for s, c in pairs:
        parent[find(("s", s))] = find(("c", c))
    parts: dict = {}
    for node in list(parent):
        subs, cats = parts.setdefault(find(node), (set(), set()))
        (subs if node[0] == "s" else cats).add(node[1])
    return [(subs, cats) for subs, cats in parts.values() if subs and cats]


def _num(value) -> float | None:
    """A chart value: a withheld cell is drawn as a gap, never as its number."""
    return None if isinstance(value, Suppressed) or value is None else float(value)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _row(ctx: Context, label_cells: tuple, cur: int, prev: int):
    from ...stats.intervals import rate_interval  # scipy.stats: imported when first used

    ch = compare(cur, prev)
    rate, low, high = (rate_interval(cur, ctx.population, per=1000) if ctx.population
                       else (None, None, None))
    cells = label_cells + change_cells(ch) + tuple(
        None if x is None else round(float(x), 2) for x in (rate, low, high))
    return ch, cells


def _prow(ctx: Context, label_cells: tuple, pr, cur_key: str, prev_key: str, cur: int):
    """A table row from the protected counts: change, p-value and rates only when both
    counts are published (each would give a withheld count back)."""
    c, p = pr[cur_key], pr[prev_key]
    if isinstance(c, Suppressed) or isinstance(p, Suppressed):
        return None, label_cells + (c, p, None, None, "withheld: small numbers", None, None,
                                    None)
    return _row(ctx, label_cells, cur if c is None else c, p)


RATE_COLUMNS = (TableColumn("rate", "Rate per 1,000", "rate"),
                TableColumn("rate_low", "Lower 95 % limit", "rate"),
                TableColumn("rate_high", "Upper 95 % limit", "rate"))


#: The columns this section's tables select on: all kept in the monthly counts a purge writes
#: (figures.AGGREGATE_FIELDS), so the tables are counted for purged months from those counts.
GROUPED = ("offence_group", "offence_subgroup", "police_uk_category")


def build(ctx: Context) -> SectionOutput:
    if not ctx.counted("c"):
        return unavailable("crime_groups", f"No crimes are loaded for this area and "
                                           f"{ctx.period.label}.")
    heads: dict = {}
    tables, charts = [], []
    text = []
    partial = []
    increases, decreases = [], []
    from .. import disclosure

    # Monthly counts written by an earlier purge keep the group but not the subgroup: the
    # groups are compared, their subgroups not (``loaded`` with the fields each level needs).
    has_prev = {True: ctx.loaded("c", "in_prev", GROUPED[:1]),
                False: ctx.loaded("c", "in_prev", GROUPED[:2])}
    groups = categories = None
    if ctx.has("offence_group"):
        ctx.require_counts("c", "in_cur", GROUPED[:2])
        table, n = ctx.counts("c", GROUPED)
        groups = ctx.rows(
            f"SELECT offence_group, offence_subgroup, {n} FILTER (WHERE in_cur), "
            f"{n} FILTER (WHERE in_prev) FROM {table} GROUP BY ROLLUP (offence_group, "
            "offence_subgroup) "
            + ("HAVING grouping(offence_subgroup) = 1 OR offence_subgroup IS NOT NULL "
               if not has_prev[False] and has_prev[True] else "")
            + "ORDER BY offence_group NULLS LAST, offence_subgroup NULLS FIRST")
        groups = [(g, s, int(c or 0), int(p or 0) if has_prev[s is None] else None)
                  for g, s, c, p in groups]
    if ctx.has("police_uk_category"):
        categories = ctx.grouped("police_uk_category", fields=GROUPED[2:])
    led = disclosure.ledger(ctx)
    register(ctx, led, groups or [], categories)
    pr = led.protect()  # both tables, the headlines and the sentences read the protected set
    if groups is not None:
        rows = []
        changes = []
        for group, sub, cur, prev in groups:
            if group is None and sub is None:
                label = ("All recorded crime", "")
                level, name = "all", "all"
            elif sub is None:
                label = (group, "All")
                level, name = "offence_group", group
            else:
                label = (group, sub)
                level, name = "offence_subgroup", sub
            if group is None and sub is not None:
                continue
            ch, cells = _prow(ctx, label, pr, disclosure.crime_cell(level, name, "in_cur"),
                              disclosure.crime_cell(level, name, "in_prev"), cur)
            rows.append(cells)
            if group is None:
                continue
            for key, (want_level, want) in GROUP_HEADLINES.items():
                if level == want_level and name.lower() == want:
                    heads[key] = (None if ch is None or ch.change_pct is None
                                  else round(ch.change_pct, 1))
                    heads[key.replace("_change_pct", "")] = cells[len(label)]
                    heads[key.replace("_change_pct", "_previous")] = cells[len(label) + 1]
            if sub is not None and ch is not None:
                changes.append((sub, ch))
        tables.append(TableResult(
            key="crime_by_offence_group",
            title=f"Crime by ONS offence group and subgroup, {ctx.period.label} and "
                  f"{ctx.comparison.label}",
            columns=(TableColumn("offence_group", "Offence group"),
                     TableColumn("offence_subgroup", "Offence subgroup")) + CHANGE_COLUMNS
            + RATE_COLUMNS, rows=tuple(rows),
            notes=("'Small numbers' marks changes where either period has fewer than the "
                   "small-number limit of the E-test comparison: interpret with caution.",)))
        # largest first, so the chart reads as a ranking (the table keeps the ONS order)
        group_rows = sorted((r for r in rows if r[1] == "All"),
                            key=lambda r: (-(_num(r[2]) or 0), str(r[0])))
        charts.append(ChartSpec(
            key="crime_by_group_chart", title="Recorded crime by offence group",
            finding=_largest(max(group_rows, key=lambda r: _num(r[2]) or 0)[0])
            if group_rows else "No offence groups.", kind="hbar",
            table_key="crime_by_offence_group", categories=tuple(r[0] for r in group_rows),
            series=(Series(ctx.period.label, tuple(_num(r[2]) for r in group_rows)),
                    Series(ctx.comparison.label, tuple(
                        None if r[3] is None else _num(r[3]) for r in group_rows))),
            x_label="Crimes", y_label="Offence group"))
        notable = [(n, c) for n, c in changes if c.significant and not c.small_numbers
                   and abs(c.current - c.previous) >= MIN_DIFFERENCE]
        notable.sort(key=lambda nc: -abs(nc[1].current - nc[1].previous))
        increases = [f"{n.lower()} ({c.change_pct:+.1f} %)" for n, c in notable
                     if c.current > c.previous and c.change_pct is not None][:NOTABLE]
        decreases = [f"{n.lower()} ({c.change_pct:+.1f} %)" for n, c in notable
                     if c.current < c.previous and c.change_pct is not None][:NOTABLE]
        if not ctx.has_comparison:
            text.append("No change can be judged: no crimes are loaded for the comparison "
                        f"period {ctx.comparison.label}.")
        else:
            text.append(narrative.notable_changes_sentence(increases, decreases)
                        + (ctx.flag_caveat(ctx.months["in_cur"] + ctx.months["in_prev"])
                           if increases or decreases else ""))
        brows = []
        for key, (basket, label) in BASKET_HEADLINES.items():
            cond = basket_condition(basket, ctx.fields)
            if cond is None:
                partial.append(f"{label}: the classification defines no '{basket}' basket.")
                continue
            cur, prev = ctx.pair(cond, fields=kept("crimes", basket_fields(basket, ctx.fields)))
            ch = compare(cur, prev)
            heads[key] = None if ch.change_pct is None else round(ch.change_pct, 1)
            heads[key.replace("_change_pct", "")] = cur
            heads[key.replace("_change_pct", "_previous")] = prev
            brows.append((label,) + change_cells(ch))
            text.append(narrative.change_sentence(label, ch))
        if brows:
            tables.append(TableResult(
                key="selected_offences", title="Selected offences (classification baskets)",
                columns=(TableColumn("offences", "Offences"),) + CHANGE_COLUMNS,
                rows=tuple(brows)))
    else:
        partial.append(f"ONS offence groups and subgroups: {NO_CODES}.")
    if categories is not None:
        rows = []
        for cat, cur, prev in categories:
            label = cat or "Not known"
            ch, cells = _prow(ctx, (label,), pr,
                              disclosure.crime_cell("police_uk_category", cat, "in_cur"),
                              disclosure.crime_cell("police_uk_category", cat, "in_prev"), cur)
            rows.append(cells)
            heads[f"crimes_{slug(label)}"] = cells[1]
            heads[f"crimes_{slug(label)}_previous"] = cells[2]
        tables.append(TableResult(
            key="crime_by_police_uk_category",
            title=f"Crime by police.uk category, {ctx.period.label} and {ctx.comparison.label}",
            columns=(TableColumn("category", "police.uk category"),) + CHANGE_COLUMNS
            + RATE_COLUMNS, rows=tuple(rows)))
        if not ctx.has("offence_group"):
            changes = [(r[0], r[1], r[2], r[5]) for r in rows]
            sig = [r for r in changes if str(r[3]).startswith("significant")]
            if not ctx.has_comparison:
                text.append("No change can be judged: no crimes are loaded for the comparison "
                            f"period {ctx.comparison.label}.")
            elif sig:
                text.append("Categories with a statistically significant change: "
                            + ", ".join(f"{r[0].lower()} ({r[2]:,} to {r[1]:,})" for r in sig)
                            + "." + ctx.flag_caveat(ctx.months["in_cur"] + ctx.months["in_prev"]))
            else:
                text.append("No police.uk category changed by more than chance variation "
                            "would explain.")
    if not ctx.has_comparison:
        partial.append(f"Change: no crimes are loaded for the comparison period "
                       f"{ctx.comparison.label}.")
    return SectionOutput(section("crime_groups", narrative=tuple(text), tables=tuple(tables),
                                 charts=tuple(charts),
                                 partial=tuple(partial),
                                 caveats=("Notable changes are chosen by statistical "
                                          "significance and size (at least "
                                          f"{MIN_DIFFERENCE} crimes), not by percentage.",)),
                         heads)


def _largest(group: str) -> str:
    return f"{group} {narrative.be(group)} the largest group."
