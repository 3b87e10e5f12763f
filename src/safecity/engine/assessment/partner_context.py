"""Partner data in the assessment context: each loaded partner source's rows for the area and
window, with one boolean column per period and its own coverage (engine/partners.py).

``open_partners(ctx)`` adds, for each partner with a month loaded in the window, a small
DuckDB table (``p_<kind>`` of its records, or ``r_<kind>`` of its quarterly returns when no
records are loaded) and records its coverage in ``ctx.source_cover[kind]`` so the coverage rule,
the refusal sentence, ``--partial`` labels and flagged-month caveats work as for every other
source. A partner with no rows for the area is left out: its section does not appear.
"""

from __future__ import annotations

from .. import coverage, figures, partners
from ..sql import literal, literal_list
from ..periods import months_in
from .context import PERIOD_FLAGS, Context, _coverage_line, _flags


def temp_name(kind: str, shape: str) -> str:
    return ("p_" if shape == "records" else "r_") + kind.replace("-", "_")


def loaded_months(warehouse, kind: str, scope: str) -> set[str]:
    """Months a partner's batches of one shape (scope ``kind`` for records, ``kind-returns``
    for quarterly returns) cover, less months an analyst excluded or a purge removed.

    A partner's months are those of the files loaded (a file covers the months of its rows;
    a return, the three months of each quarter it has), not those with rows in the window: a
    partner may truly have none on a given day or in a given month (a drug-related death, a
    firearm admission), as for youth justice and referrals."""
    from ..governance.purge import purged_months
    from ..ingest.anomalies import month_exclusions

    months = {m for b in warehouse.batches() if b.source == kind and b.scope == scope
              for m in b.months}
    months -= purged_months(warehouse).get(kind, set())
    months -= {m for (src, _, m) in month_exclusions(warehouse) if src == kind}
    return months


def _cover(periods, loaded: set[str], flags: dict[str, str], quarters: bool = False) -> dict:
    """{flag: Coverage} of each period and its comparison over ``loaded`` (like for like). With
    ``quarters`` a pair is kept only when both are whole calendar quarters over the months
    counted (a quarterly return cannot be split into months)."""
    cover: dict = {}
    for a, b in (("in_cur", "in_prev"), ("in_cp", "in_cpp")):
        if periods.get(a) is None:
            continue
        ca, cb = coverage.like_for_like(periods[a], periods[b], loaded, flags)
        if quarters and not all(partners.whole_quarters(c.months) is not None
                                and partners.whole_quarters(c.used) is not None
                                for c in (ca, cb) if c is not None):
            continue
        cover[a], cover[b] = ca, cb
    return cover


def open_partners(ctx: Context) -> None:
    periods = {flag: ctx.period_of(flag) for flag in PERIOD_FLAGS}
    window = {m for p in periods.values() if p is not None for m in months_in(p)}
    tables = ctx.cache.setdefault("partner_tables", {})
    loaded_by = ctx.cache.setdefault("source_loaded", {})
    kinds = ctx.cache.setdefault("source_kind", {})
    wh = ctx.warehouse
    from ..ingest.anomalies import month_flags

    all_flags = month_flags(wh)
    for spec in partners.SOURCES:
        where_area = figures.partner_in_area(spec.located, ctx.area.is_partnership)
        if where_area is None:
            continue
        flags = {m: reason for (src, _, m), reason in all_flags.items() if src == spec.kind}
        records = loaded_months(wh, spec.kind, spec.kind) & window
        returns = loaded_months(wh, spec.kind, f"{spec.kind}-returns") & window
        if records:
            shape, loaded = "records", records
            cover = _cover(periods, loaded, flags)
            used = {flag: (None if cov is None or cov.complete else cov.used)
                    for flag, cov in cover.items()}
            kept = f"NOT {coverage.excluded_rows(wh, [spec.kind], date_col=spec.date_col)}"
            name = temp_name(spec.kind, shape)
            ctx.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * EXCLUDE (batch_id, "
                            f"source_line), {_flags(spec.date_col, periods, used)} FROM "
                            f"{spec.table} WHERE {where_area} AND {kept}")
        elif returns:
            shape, loaded = "returns", returns
            cover = _cover(periods, loaded, flags, quarters=True)
            name = _returns(ctx, spec, cover, where_area)
        else:
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


def _returns(ctx: Context, spec, cover: dict, where_area: str) -> str:
    """The temp table of a partner's quarterly returns in the area, with a period flag true
    for the quarters each period is counted over."""
    quarter_flags = []
    for flag in PERIOD_FLAGS:
        cov = cover.get(flag)
        qs = partners.whole_quarters(cov.used) if cov is not None and cov.used else None
        quarter_flags.append(f"quarter IN ({literal_list(qs)}) AS {flag}" if qs
                             else f"FALSE AS {flag}")
    kept = f"NOT {coverage.excluded_rows(ctx.warehouse, [spec.kind], date_col='month_start')}"
    name = temp_name(spec.kind, "returns")
    ctx.con.execute(
        f"CREATE TEMP TABLE {name} AS SELECT * EXCLUDE (batch_id, source_line, month_start), "
        f"{', '.join(quarter_flags)} FROM (SELECT *, strptime(month, '%Y-%m')::DATE AS "
        f"month_start FROM partner_returns WHERE partner = {literal(spec.kind)}) "
        f"WHERE {where_area} AND {kept}")
    return name


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
