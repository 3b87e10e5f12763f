"""Section 9, alcohol- and drug-affected crime, and drug offences.

Alcohol- and drug-affected crime are crimes flagged ``alcohol_related`` / ``drug_related``;
drug offences are ``figures.drug_offences``. Each is counted by its figure in
``engine/figures.py``, the one the scorecard counts with.
"""

from __future__ import annotations

from ... import figures
from .. import narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import CHANGE_COLUMNS, SectionOutput, change_cells, compare, section, unavailable

#: The section's measures: headline key, label; each is the figure of the same name.
MEASURES = (("alcohol_affected_crime", "Alcohol-affected crime"),
            ("drug_affected_crime", "Drug-affected crime"),
            ("drug_offences", "Drug offences"))


def build(ctx: Context) -> SectionOutput:
    if not ctx.tables["c"]:
        return unavailable("substances", f"No crimes are loaded for {ctx.period.label}.")
    counted, partial, notes = [], [], []
    for key, label in MEASURES:
        try:
            counted.append((key, label, figures.count(ctx, key)))
        except figures.FigureUnavailable as err:
            partial.append(f"{label}: {err.message[:1].lower()}{err.message[1:]}")
    drugs = figures.drug_offences(ctx.fields)
    if drugs:
        notes.append(f"Drug offences: {drugs[1]}.")
    if not counted:
        return unavailable("substances", " ".join(partial))
    heads: dict = {}
    rows, text = [], []
    for key, label, (cur, prev) in counted:
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
    return SectionOutput(section("substances", narrative=tuple(text), tables=tuple([table]),
                                 partial=tuple(partial)), heads)
