"""Partner data in the assessment context: each loaded partner source's rows for the area and
window, with one boolean column per period and its own coverage (engine/partners.py).

``open_partners(ctx)`` adds, for each partner with rows for the area in the window, a small
DuckDB table (``p_<kind>`` of its records, or ``r_<kind>`` of its quarterly returns when no
records are loaded) and records its coverage in ``ctx.source_cover[kind]`` so the coverage rule,
the refusal sentence, ``--partial`` labels and flagged-month caveats work as for every other
source. A partner with no rows for the area is left out: its section does not appear.
"""

from __future__ import annotations

from .. import coverage, figures, partners
from ..sql import literal, literal_list
from .context import PERIOD_FLAGS, Context, _coverage, _coverage_line, _flags


def temp_name(kind: str, shape: str) -> str:
    return ("p_" if shape == "records" else "r_") + kind.replace("-", "_")


def open_partners(ctx: Context) -> None:
    periods = {flag: ctx.period_of(flag) for flag in PERIOD_FLAGS}
    spans = [p for p in periods.values() if p is not None]
    lo = min(p.start for p in spans).isoformat()
    hi = max(p.end for p in spans).isoformat()
    tables = ctx.cache.setdefault("partner_tables", {})
    loaded_by = ctx.cache.setdefault("source_loaded", {})
    kinds = ctx.cache.setdefault("source_kind", {})
    wh = ctx.warehouse
    for spec in partners.SOURCES:
        where_area = figures.partner_in_area(spec.located, ctx.area.is_partnership)
        if where_area is None:
            continue
        shape = None
        if wh.has_data(spec.table):
            kept = f"NOT {coverage.excluded_rows(wh, [spec.kind], date_col=spec.date_col)}"
            where = (f"{spec.date_col} BETWEEN DATE '{lo}' AND DATE '{hi}' AND {where_area} "
                     f"AND {kept}")
            cover, used, loaded = _coverage(ctx.con, wh, periods, where, spec.table,
                                            spec.date_col)
            if loaded:
                shape = "records"
                name = temp_name(spec.kind, shape)
                ctx.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * EXCLUDE (batch_id, "
                                f"source_line), {_flags(spec.date_col, periods, used)} FROM "
                                f"{spec.table} WHERE {where}")
        if shape is None and wh.has_data("partner_returns"):
            cover, loaded, name = _returns(ctx, spec, periods, where_area, lo, hi)
            shape = "returns" if loaded else None
        if shape is None:
            continue
        tables[spec.kind] = (name, shape)
        ctx.source_cover[spec.kind] = cover
        ctx.tables[spec.kind] = True
        loaded_by[spec.kind] = loaded
        kinds[spec.kind] = spec.kind
        what = spec.title.split(":")[0].lower() + " data"
        if shape == "returns":
            ctx.coverage.append(f"{spec.title.split(':')[0]} figures come from the partner's "
                                "depersonalised quarterly returns (no record-level rows are "
                                "loaded); they count only in periods of whole calendar "
                                "quarters.")
        for flag in PERIOD_FLAGS:
            cov = cover.get(flag)
            if cov is not None:
                ctx.coverage.append(_coverage_line(what, cov))


def _returns(ctx: Context, spec, periods, where_area: str, lo: str, hi: str):
    """(cover, loaded months, temp table) of a partner's quarterly returns. A period and its
    comparison are counted from returns only when both are whole calendar quarters over the
    months counted; otherwise that pair has no coverage (its figures say why)."""
    first, last = f"{lo[:7]}", f"{hi[:7]}"
    kept = f"NOT {coverage.excluded_rows(ctx.warehouse, [spec.kind], date_col='month_start')}"
    base = (f"SELECT *, strptime(month, '%Y-%m')::DATE AS month_start FROM partner_returns "
            f"WHERE partner = {literal(spec.kind)}")
    rows = ctx.con.execute(
        f"SELECT DISTINCT quarter FROM ({base}) WHERE {where_area} AND {kept}").fetchall()
    loaded = {m for (q,) in rows for m in partners.quarter_months(q) if first <= m <= last}
    if not loaded:
        return {}, set(), None
    flags = {m: reason for (src, _, m), reason in _month_flags(ctx).items()
             if src == spec.kind}
    cover: dict = {}
    for a, b in (("in_cur", "in_prev"), ("in_cp", "in_cpp")):
        if periods.get(a) is None:
            continue
        ca, cb = coverage.like_for_like(periods[a], periods[b], loaded, flags)
        whole = [c for c in (ca, cb) if c is not None]
        if all(partners.whole_quarters(c.months) is not None
               and partners.whole_quarters(c.used) is not None for c in whole):
            cover[a], cover[b] = ca, cb
    quarter_flags = []
    for flag in PERIOD_FLAGS:
        cov = cover.get(flag)
        qs = partners.whole_quarters(cov.used) if cov is not None else None
        quarter_flags.append(f"quarter IN ({literal_list(qs)}) AS {flag}" if qs
                             else f"FALSE AS {flag}")
    name = temp_name(spec.kind, "returns")
    ctx.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * EXCLUDE (batch_id, source_line, "
                    f"month_start), {', '.join(quarter_flags)} FROM ({base}) "
                    f"WHERE {where_area} AND {kept}")
    return cover, loaded, name


def _month_flags(ctx: Context) -> dict:
    from ..ingest.anomalies import month_flags

    return month_flags(ctx.warehouse)


def coverage_gaps(ctx: Context, purged: dict) -> list:
    """The coverage gaps of every partner source loaded (for ``build.require_coverage``)."""
    pairs = (("in_cur", "in_prev"), ("in_cp", "in_cpp"))
    out = []
    for kind in ctx.cache.get("partner_tables", {}):
        cover = ctx.source_cover.get(kind) or {}
        spec = partners.by_kind(kind)
        out.append(coverage.gaps([(cover.get(a), cover.get(b)) for a, b in pairs
                                  if cover.get(a)], spec.title.split(":")[0].lower() + " data",
                                 ctx.cache.get("source_loaded", {}).get(kind, set()),
                                 purged.get(kind, ()), kind))
    return out
