"""Section 9, alcohol- and drug-affected crime, and drug offences.

Alcohol- and drug-affected crime are crimes flagged ``alcohol_related`` / ``drug_related``.
Drug offences are the classification basket ``drug_offences`` when defined, else the ONS offence
group "Drug offences"; with data.police.uk only, the police.uk category "Drugs" (the same
offences: possession, trafficking and production).
"""

from __future__ import annotations

from .. import narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import (CHANGE_COLUMNS, NO_FLAGS, SectionOutput, basket_condition, change_cells,
                      compare, section, unavailable)


def _drug_offences(ctx: Context) -> tuple[str, str] | None:
    if ctx.has("offence_code"):
        cond = basket_condition("drug_offences", ctx.fields)
        if cond:
            return cond, "classification basket 'drug_offences'"
        return "lower(offence_group) = 'drug offences'", "ONS offence group 'Drug offences'"
    if ctx.has("police_uk_category"):
        return "police_uk_category = 'Drugs'", "police.uk category 'Drugs'"
    return None


def build(ctx: Context) -> SectionOutput:
    if not ctx.tables["c"]:
        return unavailable("substances", f"No crimes are loaded for {ctx.period.label}.")
    measures = []
    partial = []
    if ctx.has("alcohol_related"):
        measures.append(("alcohol_affected_crime", "Alcohol-affected crime",
                         "coalesce(alcohol_related, FALSE)"))
    else:
        partial.append("Alcohol-affected crime: " + (NO_FLAGS if ctx.is_open_data else
                                                      "the crimes have no alcohol flag") + ".")
    if ctx.has("drug_related"):
        measures.append(("drug_affected_crime", "Drug-affected crime",
                         "coalesce(drug_related, FALSE)"))
    else:
        partial.append("Drug-affected crime: " + (NO_FLAGS if ctx.is_open_data else
                                                   "the crimes have no drug flag") + ".")
    drugs = _drug_offences(ctx)
    notes = []
    if drugs:
        measures.append(("drug_offences", "Drug offences", drugs[0]))
        notes.append(f"Drug offences: {drugs[1]}.")
    if not measures:
        return unavailable("substances", " ".join(partial))
    heads: dict = {}
    rows, text = [], []
    for key, label, where in measures:
        cur, prev = ctx.pair(where)
        ch = compare(cur, prev)
        heads[key] = cur
        heads[f"{key}_previous"] = prev
        heads[f"{key}_change_pct"] = None if ch.change_pct is None else round(ch.change_pct, 1)
        heads[f"{key}_difference"] = None if prev is None else cur - prev
        rows.append((label,) + change_cells(ch))
        text.append(narrative.change_sentence(label, ch))
    table = TableResult(key="substances", title=f"Alcohol, drugs and crime, {ctx.period.label} "
                                                f"and {ctx.comparison.label}",
                        columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS,
                        rows=tuple(rows), notes=tuple(notes))
    return SectionOutput(section("substances", narrative=tuple(text), tables=(table,),
                                 partial=tuple(partial)), heads)
