"""Section 7, violence: violence against the person and its subgroups, the Most Serious
Violence basket, offences with a bladed implement, and serious violence, robbery and knife crime
by victim and suspect age group.

Most Serious Violence and bladed-implement offences are the configurable classification baskets
``most_serious_violence`` and ``bladed_implement`` (codes, plus the ``weapon_bladed`` flag: a
knife or sharp instrument used or threatened).
"""

from __future__ import annotations

from ... import figures
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import (AGE_BAND_SQL, AGE_BANDS, CHANGE_COLUMNS, NO_CODES, VAP, SectionOutput,
                      basket_condition, change_cells, compare, protected_change, section,
                      unavailable)


def bladed_condition(ctx: Context) -> str | None:
    return basket_condition("bladed_implement", ctx.fields)


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("offence_group"):
        return unavailable("violence", f"Violence subgroups need offence codes; {NO_CODES}. "
                                       "The police.uk category 'Violence and sexual offences' "
                                       "is shown in section 2.")
    heads: dict = {}
    text, tables, partial = [], [], []
    subgroups = ctx.grouped("offence_subgroup", VAP, fields=figures.kept(
        "crimes", ("offence_group", "offence_subgroup")))
    cur, prev = figures.count(ctx, "violence_against_the_person")
    vap = compare(cur, prev)
    text.append(narrative.change_sentence("Violence against the person", vap))
    baskets = {}
    msv = basket_condition("most_serious_violence", ctx.fields)
    if msv:
        baskets["most_serious_violence"] = ("Most Serious Violence", msv)
    else:
        partial.append("Most Serious Violence: the classification defines no "
                       "'most_serious_violence' basket.")
    bladed = bladed_condition(ctx)
    if bladed:
        baskets["bladed_implement_offences"] = ("Offences with a bladed implement", bladed)
    else:
        partial.append("Bladed implement: no weapon flag and no 'bladed_implement' basket.")
    for key, (label, where) in baskets.items():
        c, p = figures.count(ctx, key)
        ch = compare(c, p)
        heads[key] = c
        heads[f"{key}_previous"] = p
        heads[f"{key}_change_pct"] = None if ch.change_pct is None else round(ch.change_pct, 1)
        baskets[key] += (ch,)
        text.append(narrative.change_sentence(label, ch))
    groups = [("Serious violence", baskets.get("most_serious_violence", (None, None))[1]),
              ("Robbery", "lower(offence_group) = 'robbery'"),
              ("Knife crime", bladed)]
    groups = [(g, w) for g, w in groups if w]
    # One protection over the section's counts (engine/assessment/disclosure.py). The counts
    # of the violence table are section 2's cells (violence against the person and its
    # subgroups are public there) and the baskets; the age table's counts are of people, each
    # sensitive. No total of an age row or column is published anywhere (a person can be in
    # two crimes, and victim records are not crimes), so the age cells share no relation.
    led = disclosure.ledger(ctx)
    vap_keys = {}
    for flag, n in (("in_cur", cur), ("in_prev", prev)):
        parts = [led.count(disclosure.crime_cell("offence_subgroup", sub, flag), c if
                           flag == "in_cur" else p, public=True) for sub, c, p in subgroups]
        vap_keys[flag] = led.count(disclosure.crime_cell(
            "offence_group", "violence against the person", flag), n, public=True)
        led.total(vap_keys[flag], parts)
    counted = []
    for who, table, person in (("Victims", "v", "victim_type = 'person'"),
                               ("Suspects", "s", "TRUE")):
        if not ctx.tables[table]:
            partial.append(f"{who} by age: no {who.lower()} records are loaded.")
            continue
        for g, where in groups:
            counts = dict(ctx.rows(f"SELECT {AGE_BAND_SQL}, count(*) FROM {table} "
                                   f"WHERE in_cur AND ({where}) AND {person} GROUP BY 1"))
            keys = [led.count(f"age:{g}:{who}:{k}", int(counts.get(k, 0)))
                    for k in [k for k, *_ in AGE_BANDS] + [None]]
            counted.append((g, who, keys))
    pr = led.protect()  # every table below is read from the protected set only
    rows = [(sub or "Not known",) + protected_change(
        pr, disclosure.crime_cell("offence_subgroup", sub, "in_cur"),
        disclosure.crime_cell("offence_subgroup", sub, "in_prev"))[1] for sub, _, _ in subgroups]
    rows.append(("All violence against the person",)
                + protected_change(pr, vap_keys["in_cur"], vap_keys["in_prev"])[1])
    rows += [(label,) + change_cells(ch) for label, _, ch in baskets.values()]
    tables.append(TableResult(
        key="violence", title=f"Violence, {ctx.period.label} and {ctx.comparison.label}",
        columns=(TableColumn("offences", "Offences"),) + CHANGE_COLUMNS, rows=tuple(rows)))
    age_rows = [(g, who) + tuple(pr[k] for k in keys) for g, who, keys in counted]
    if age_rows:
        tables.append(TableResult(
            key="violence_by_age", title="Serious violence, robbery and knife crime by victim "
                                         "and suspect age group",
            columns=(TableColumn("offences", "Offences"), TableColumn("who", "Victims or "
                                                                      "suspects"))
            + tuple(TableColumn(k, label, "count") for k, label, *_ in AGE_BANDS)
            + (TableColumn("unknown", "Age not known", "count"),),
            rows=tuple(age_rows), sensitive=True,
            notes=("Counts are victim (or suspect) records: a person involved in two crimes "
                   "counts twice.",)))
    return SectionOutput(section("violence", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)
