"""Sections 15-19, partner data: one section per partner source (fire, health, ambulance,
children's services, treatment), built by one builder parameterised by ``engine/partners.py``.

A partner's section appears only when its data is loaded for the area (``partner_context``);
otherwise ``build`` returns None and the report has no such section. Each shows:

* its measures for the period and the comparison, with change and E-test (``figures.
  partner_pair``, over the partner's own months);
* the main measure per 1,000 residents;
* the main measure by each of the partner's breakdowns (weapon and place for health, what
  burned for fire, factors for children's services…), and by ward when the rows carry an LSOA.

Every count goes through one disclosure ledger with the relations the tables publish (a total
and its parts, a part within its whole, a breakdown adding up to its measure), so the same rules
apply as to every other section; fire counts are not about people and are not withheld.
"""

from __future__ import annotations

from ... import figures, partners
from ...figures import FigureUnavailable
from .. import disclosure
from ..context import Context
from ..model import ChartSpec, Series, TableColumn, TableResult
from ._common import (CHANGE_COLUMNS, SectionOutput, protected_change, protected_sentence,
                      rate, section)

NOT_RECORDED = "Not recorded"


class PartnerSection:
    """The section builder of one partner source (has ``build(ctx)`` like a section module)."""

    def __init__(self, spec: partners.PartnerSource) -> None:
        self.spec = spec
        self.__name__ = f"{__name__}.{spec.section}"

    def build(self, ctx: Context) -> SectionOutput | None:
        spec = self.spec
        if spec.kind not in ctx.cache.get("partner_tables", {}):
            return None
        kind, sens = spec.kind, spec.sensitive
        led = disclosure.ledger(ctx)
        partial: list[str] = []
        measures = []
        for m in spec.measures:
            try:
                cur, prev = figures.partner_pair(ctx, kind, m.key)
            except FigureUnavailable as err:
                partial.append(f"{m.label}: {err.message}")
                continue
            led.count(f"{kind}:{m.key}:cur", cur, sensitive=sens)
            led.count(f"{kind}:{m.key}:prev", prev, sensitive=sens)
            measures.append(m)
        for total, parts in spec.totals:
            for tag in ("cur", "prev"):
                led.total(f"{kind}:{total}:{tag}", [f"{kind}:{p}:{tag}" for p in parts])
        for part, whole in spec.within:
            for tag in ("cur", "prev"):
                led.relate({f"{kind}:{part}:{tag}": 1, f"{kind}:{whole}:{tag}": -1}, "<=")
        breakdowns = []
        main_key = f"{kind}:{spec.main}:cur"
        if measures and main_key in led.values:
            for b in spec.breakdowns:
                got = self._breakdown(ctx, led, b, main_key)
                if got is None:
                    partial.append(f"{spec.main_measure.label} by "
                                   f"{b.label[0].lower() + b.label[1:]}: quarterly returns "
                                   "carry no breakdown.")
                else:
                    breakdowns.append((b, got))
            wards = self._wards(ctx, led, main_key) if spec.located else None
        else:
            wards = None
        pr = led.protect()
        if not measures:
            return SectionOutput(section(spec.section, available=False,
                                         unavailable_reason=" ".join(partial)))
        return self._output(ctx, pr, measures, breakdowns, wards, partial)

    # -- counts ------------------------------------------------------------------------------
    def _breakdown(self, ctx, led, b: partners.Breakdown, main_key: str):
        spec = self.spec
        try:
            if b.flags:
                got = {}
                for v in b.values:
                    rows = figures.partner_grouped(ctx, spec.kind, spec.main,
                                                   f"coalesce(factor_{v}, FALSE)")
                    got[v] = dict(rows).get(True, 0)
            else:
                got = {("" if g is None else str(g)): n for g, n in figures.partner_grouped(
                    ctx, spec.kind, spec.main, b.expr or b.column)}
        except FigureUnavailable:
            return None
        keys = []
        for v in b.values:
            keys.append(led.count(f"{spec.kind}:{b.column}:{v}", got.get(v, 0),
                                  sensitive=spec.sensitive))
        if b.flags:
            for k in keys:  # several factors may apply to one assessment
                led.relate({k: 1, main_key: -1}, "<=")
            return [(v, f"{spec.kind}:{b.column}:{v}") for v in b.values]
        other = sum(n for g, n in got.items() if g not in b.values)
        keys.append(led.count(f"{spec.kind}:{b.column}:~none", other, sensitive=spec.sensitive))
        led.total(main_key, keys)
        return [(v, f"{spec.kind}:{b.column}:{v}") for v in b.values] + [
            (NOT_RECORDED, f"{spec.kind}:{b.column}:~none")]

    def _wards(self, ctx, led, main_key: str):
        spec = self.spec
        try:
            name = ctx.cache["partner_tables"][spec.kind][0]
            rows = figures.partner_grouped(
                ctx, spec.kind, spec.main, "(SELECT any_value(ward_name) FROM geo WHERE "
                f"geo.lsoa11_code = {name}.lsoa11_code)")
        except FigureUnavailable:
            return None
        wards = sorted({str(g) for g, _ in rows if g is not None})
        if not wards:
            return None
        got = {("" if g is None else str(g)): n for g, n in rows}
        keys = [led.count(f"{spec.kind}:ward:{w}", got.get(w, 0), sensitive=spec.sensitive)
                for w in wards]
        keys.append(led.count(f"{spec.kind}:ward:~none", got.get("", 0),
                              sensitive=spec.sensitive))
        led.total(main_key, keys)
        return wards

    # -- outputs -----------------------------------------------------------------------------
    def _output(self, ctx, pr, measures, breakdowns, wards, partial) -> SectionOutput:
        spec, kind = self.spec, self.spec.kind
        heads: dict = {}
        rows, text = [], []
        label = ctx.label_of("in_cur", kind)
        for m in measures:
            ch, cells = protected_change(pr, f"{kind}:{m.key}:cur", f"{kind}:{m.key}:prev")
            rows.append((m.label,) + cells)
            heads[m.key] = pr[f"{kind}:{m.key}:cur"]
            heads[f"{m.key}_previous"] = pr[f"{kind}:{m.key}:prev"]
            heads[f"{m.key}_change_pct"] = (None if ch is None or ch.change_pct is None
                                           else round(ch.change_pct, 1))
            text.append(protected_sentence(m.label, ch, label))
            if m.key == spec.main:
                value = pr[f"{kind}:{m.key}:cur"]
                shown = pr.derived(rate(value if isinstance(value, int) else None,
                                        ctx.population), f"{kind}:{m.key}:cur")
                heads[f"{m.key}_rate_per_1000"] = shown
                if isinstance(shown, float):
                    text[-1] += f" That is {shown:.2f} per 1,000 residents."
        main = f"{kind}:{spec.main}:cur"
        tables = [TableResult(
            key=f"{spec.section}_measures", title=f"{spec.title.split(':')[0]}: {label} and "
                                                  f"{ctx.label_of('in_prev', kind)}",
            columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS, rows=tuple(rows),
            sensitive=spec.sensitive, notes=tuple(f"{m.label}: {m.definition}"
                                                  for m in measures))]
        for b, cells in breakdowns:
            tables.append(TableResult(
                key=f"{spec.section}_by_{b.column}",
                title=f"{spec.main_measure.label} by {b.label[0].lower() + b.label[1:]}, "
                      f"{label}",
                columns=(TableColumn("category", b.label), TableColumn("count", "Number",
                                                                        "count"),
                         TableColumn("share_pct", "Share of "
                                     f"{_in_sentence(spec.main_measure.label)} (%)",
                                     "percent")),
                rows=tuple((v.replace("_", " ").capitalize() if v != NOT_RECORDED else v,
                            pr[k], pr.pct(k, main)) for v, k in cells)
                + ((("All", pr[main], pr.derived(100.0, main)),) if not b.flags else ()),
                sensitive=spec.sensitive,
                notes=(("Several factors may apply to one assessment.",) if b.flags else ())))
        if wards:
            tables.append(TableResult(
                key=f"{spec.section}_by_ward", title=f"{spec.main_measure.label} by ward, "
                                                     f"{label}",
                columns=(TableColumn("ward", "Ward"), TableColumn("count", "Number", "count")),
                rows=tuple((w, pr[f"{kind}:ward:{w}"]) for w in wards)
                + (("No location", pr[f"{kind}:ward:~none"]), ("All", pr[main])),
                sensitive=spec.sensitive))
        elif spec.located:
            partial.append(f"{spec.main_measure.label} by ward: the rows carry no LSOA of a "
                           "ward in the area's geography (load a geography file with wards).")
        caveats = (f"Source: {spec.kind} data loaded for the partnership; counted over its "
                   f"own months ({label}).",)
        charts = tuple(self._chart(pr, b, cells, main, label) for b, cells in breakdowns[:1])
        return SectionOutput(section(spec.section, narrative=tuple(t for t in text if t),
                                     tables=tuple(tables), partial=tuple(partial),
                                     caveats=caveats, charts=charts), heads)

    def _chart(self, pr, b, cells, main: str, label: str) -> ChartSpec:
        """The first breakdown as a bar chart, largest first; a withheld count is left out
        (its bar would give it away)."""
        spec = self.spec
        shown = sorted(((v.replace("_", " ").capitalize() if v != NOT_RECORDED else v, pr[k])
                        for v, k in cells if isinstance(pr[k], int) and pr[k] > 0),
                       key=lambda r: -r[1])
        finding = (f"{shown[0][0]} was the largest group of "
                   f"{_in_sentence(spec.main_measure.label)}." if shown else
                   f"No {_in_sentence(spec.main_measure.label)} to show.")
        return ChartSpec(key=f"{spec.section}_chart", title=f"{spec.main_measure.label} by "
                                                            f"{b.label[0].lower() + b.label[1:]}",
                         finding=finding, kind="hbar", table_key=f"{spec.section}_by_{b.column}",
                         categories=tuple(r[0] for r in shown),
                         series=(Series(label, tuple(float(r[1]) for r in shown)),),
                         x_label="Number", y_label=b.label)


def _in_sentence(label: str) -> str:
    """A measure's label inside a sentence: its first letter lower case, unless its first word
    is an abbreviation ("A&E attendances for assault" stays, not "a&e attendances")."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.upper() == first:
        return label
    return label[:1].lower() + label[1:]


SECTIONS = tuple(PartnerSection(s) for s in partners.SOURCES)
