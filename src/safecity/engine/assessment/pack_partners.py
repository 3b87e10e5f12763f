"""The monthly pack's partner counts: each loaded partner source (fire, health, ambulance,
children's services, treatment; ``engine/partners.py``) with its measures in the month against
the same month last year and in the rolling 12 months against the previous 12.

Every count is the figure of ``engine/figures.py`` (``figures.count`` of the measure, which is
``figures.partner_pair`` over the partner's own months), as in the assessment's partner
sections. Each partner's labels carry its own coverage (``Context.label_of``): a rolling year
with months of the partner missing says "9 of 12 months", and a month or year the partner's data
cannot give (not loaded yet, or only quarterly returns, which cannot be split into months) is
left blank with the reason under the table, never shown as 0. Partner returns arrive up to a
quarter late (SI 2007/1831), so a partner's missing months do not stop the pack as the crimes'
do; they are said instead.

Each partner's counts go through one disclosure ledger with every relation the table publishes
(a total and its parts, a part within its whole, the month within its rolling year), so no
withheld count of people can be worked back; fire counts are not about people and are not
withheld.
"""

from __future__ import annotations

from .. import figures, partners
from . import disclosure
from .context import Context
from .model import Section, TableColumn, TableResult
from .sections._common import SectionOutput, protected_change

#: (column stem, period flag, comparison flag, headline suffix)
SPANS = (("month", "in_cp", "in_cpp", "month"), ("rolling", "in_cur", "in_prev", "rolling_12"))


def build(ctx: Context, number: int) -> SectionOutput | None:
    """The "Partner data" section, or None when no partner data is loaded for the area."""
    loaded = [s for s in partners.SOURCES if s.kind in ctx.cache.get("partner_tables", {})]
    if not loaded:
        return None
    tables, heads, text = [], {}, []
    for spec in loaded:
        table, got = _partner(ctx, spec)
        tables.append(table)
        heads.update(got)
    names = [s.title.split(":")[0] for s in loaded]
    text.append(f"Partner data loaded for the area: {', '.join(names)}. Each partner's figures "
                "are counted over its own months; a month or year it has not sent is left blank "
                "with the reason, never counted as none.")
    return SectionOutput(Section(
        key="partners", number=number, title="Partner data", narrative=tuple(text),
        tables=tuple(tables),
        caveats=("Counts of people (health, ambulance, children's services, treatment) below "
                 "the publication threshold, and counts that would give one back, are withheld "
                 "as [c]; counts of fires are published as they are.",)), heads)


def _partner(ctx: Context, spec: partners.PartnerSource) -> tuple[TableResult, dict]:
    kind, sens = spec.kind, spec.sensitive
    led = disclosure.ledger(ctx)
    reasons: dict[str, str] = {}
    for span, a, b, _ in SPANS:
        for m in spec.measures:
            try:
                cur, prev = figures.count(ctx, m.key, a, b)
            except figures.FigureUnavailable as err:
                reasons.setdefault(span, err.message)
                continue
            led.count(_key(kind, m.key, span, "cur"), cur, sensitive=sens)
            if prev is not None:
                led.count(_key(kind, m.key, span, "prev"), prev, sensitive=sens)
    _relations(ctx, spec, led)
    pr = led.protect()
    rows, heads = [], {}
    for m in spec.measures:
        cells: list = [m.label]
        for span, _, _, suffix in SPANS:
            cur, prev = _key(kind, m.key, span, "cur"), _key(kind, m.key, span, "prev")
            if cur not in pr.values:
                cells += [None, None, None]
                continue
            if prev not in pr.values:
                cells += [pr[cur], None, None]
                heads[f"{m.key}_{suffix}"] = pr[cur]
                continue
            _, change = protected_change(pr, cur, prev)
            cells += list(change[:3])
            heads[f"{m.key}_{suffix}"] = pr[cur]
            heads[f"{m.key}_{suffix}_previous"] = pr[prev]
        rows.append(tuple(cells))
    notes = [f"{m.label}: {m.definition}" for m in spec.measures]
    shape = ctx.cache["partner_tables"][kind][1]
    if shape == "returns":
        notes.insert(0, "From the partner's depersonalised quarterly returns (no record-level "
                        "rows are loaded): they count only over whole calendar quarters.")
    for span, reason in reasons.items():
        what = "The month" if span == "month" else "The rolling 12 months"
        notes.insert(0, f"{what}: not available ({reason[0].lower() + reason[1:].rstrip('.')}).")
    for span, _, b, _ in SPANS:
        cov = ctx.cover_of(b, kind)
        if span not in reasons and (cov is None or not cov.used):
            notes.insert(0, f"{ctx.period_of(b).label}: no {kind} data is loaded, so there is "
                            "no comparison.")
    title = spec.title.split(":")[0]
    return TableResult(
        key=f"partner_{spec.section}", title=f"{title}: {ctx.label_of('in_cp', kind)} and "
                                             f"{ctx.label_of('in_cur', kind)}",
        columns=(TableColumn("measure", "Measure"),
                 TableColumn("month", ctx.label_of("in_cp", kind), "count"),
                 TableColumn("month_previous", ctx.label_of("in_cpp", kind), "count"),
                 TableColumn("month_change_pct", "Change on last year (%)", "change_pct"),
                 TableColumn("rolling", ctx.label_of("in_cur", kind), "count"),
                 TableColumn("rolling_previous", ctx.label_of("in_prev", kind), "count"),
                 TableColumn("rolling_change_pct", "Change (%)", "change_pct")),
        rows=tuple(rows), sensitive=sens, notes=tuple(notes)), heads


def _key(kind: str, measure: str, span: str, side: str) -> str:
    return f"pack:{kind}:{measure}:{span}:{side}"


def _relations(ctx: Context, spec: partners.PartnerSource, led) -> None:
    """What a reader of the table knows: totals of parts, parts within wholes, and the month
    (and the same month last year) within its rolling year when that year counts it."""
    kind = spec.kind
    have = led.values
    for span, _, _, _ in SPANS:
        for side in ("cur", "prev"):
            for total, parts in spec.totals:
                keys = [_key(kind, p, span, side) for p in parts]
                if _key(kind, total, span, side) in have and all(k in have for k in keys):
                    led.total(_key(kind, total, span, side), keys)
            for part, whole in spec.within:
                p, w = _key(kind, part, span, side), _key(kind, whole, span, side)
                if p in have and w in have:
                    led.relate({p: 1, w: -1}, "<=")
    for side, month_flag, year_flag in (("cur", "in_cp", "in_cur"), ("prev", "in_cpp", "in_prev")):
        month_cov, year_cov = ctx.cover_of(month_flag, kind), ctx.cover_of(year_flag, kind)
        if month_cov is None or year_cov is None or not month_cov.used or \
                not set(month_cov.used) <= set(year_cov.used):
            continue
        for m in spec.measures:
            a, b = _key(kind, m.key, "month", side), _key(kind, m.key, "rolling", side)
            if a in have and b in have:
                led.relate({a: 1, b: -1}, "<=")
