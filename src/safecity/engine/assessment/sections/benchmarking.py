"""Section 12, benchmarking: the rate per 1,000 for each offence group (or police.uk category),
and the area's rank among its comparator CSPs (setting ``comparator_csps``) and among all CSPs
in England.

Input, in order of preference: the Home Office CSP open-data table given with ``--benchmark``
(setting ``benchmark_table``), else data.police.uk months in the warehouse that cover other CSPs
(``benchmark_data.from_warehouse_police_uk``). Only CSPs whose data covers every month are ranked;
the section names the forces missing and how many CSPs were left out.
"""

from __future__ import annotations

from ... import benchmark_data as bd
from ... import settings
from ..context import Context
from ..model import TableColumn, TableResult
from .crime_groups import slug
from ._common import SectionOutput, section, unavailable


def load_table(ctx: Context) -> bd.BenchmarkTable | None:
    path = ctx.cache.get("benchmark_path") or settings.get("benchmark_table")
    if path:
        return bd.read_ho_csp_table(path, ctx.period.label)
    months = list(ctx.months.get("in_cur", ()))
    if not months:
        return None
    listing = ", ".join(f"'{m}'" for m in months)
    others = ctx.scalar(
        f"SELECT count(*) FROM (SELECT 1 FROM crimes WHERE source = 'police-uk' AND month IN "
        f"({listing}) AND lsoa11_code NOT IN (SELECT lsoa11_code FROM geo) LIMIT 1)")
    if not others:
        return None
    # Every crime of the country for the period: a connection holding only the police.uk
    # files of its months (the manifest prunes them; the other years' files are not opened).
    con = ctx.warehouse.connect(months=months, sources=("police-uk",))
    try:
        return bd.from_warehouse_police_uk(con, months, ctx.period.label)
    finally:
        con.close()


def compared_set(table: bd.BenchmarkTable) -> tuple[str, bool]:
    """("in England", True) when every English CSP has complete data (every English force
    loaded for every month), else the set actually ranked, named, and False."""
    english = {c for c in table.populations if c.startswith("E")}
    if english and english <= table.complete and not table.missing:
        return "in England", True
    pfas = sorted({table.pfa[c] for c in english & table.complete if table.pfa.get(c)})
    if table.level == "police_uk_category" and pfas:
        if len(pfas) == 1:
            return f"in the {pfas[0]} police force area", False
        return ("in the police force areas of " + ", ".join(pfas[:-1]) + " and " + pfas[-1],
                False)
    return "in the benchmark table with complete data", False


def _ordinal(n: int | None) -> str:
    if n is None:
        return "not ranked"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def build(ctx: Context) -> SectionOutput:
    table = load_table(ctx)
    if table is None:
        return unavailable("benchmarking", "No benchmark data: give the Home Office CSP "
                                           "open-data table with --benchmark FILE, or load "
                                           "data.police.uk months for other areas.")
    area = ctx.area.code
    comparators = tuple(settings.get("comparator_csps"))
    rows = []
    heads: dict = {}
    text = [f"Benchmark source: {table.source}."]
    partial = list(table.missing)
    if not comparators:
        partial.append("Comparator group: none configured (setting comparator_csps).")
    for cat in table.categories:
        eng = bd.rank(table, area, cat)
        comp = bd.rank(table, area, cat, comparators) if comparators else None
        key = f"benchmark_{slug(cat)}"
        heads[f"{key}_rate"] = None if eng.rate is None else round(eng.rate, 2)
        heads[f"{key}_rank_england"] = eng.rank
        heads[f"{key}_ranked_england"] = eng.among
        if comp is not None:
            heads[f"{key}_rank_comparators"] = comp.rank
            heads[f"{key}_ranked_comparators"] = comp.among
        rows.append((cat, None if eng.rate is None else round(eng.rate, 2),
                     comp.rank if comp else None, comp.among if comp else None,
                     eng.rank, eng.among, eng.excluded))
    all_rank = bd.rank(table, area, bd.ALL)
    where, england = compared_set(table)
    left_out = (f" ({all_rank.excluded} other English CSPs, whose forces are not loaded for "
                "every month of the period, are not ranked)" if all_rank.excluded else "")
    if not all_rank.area_complete:
        text.append(f"{ctx.area.name}'s own data for the benchmark period is incomplete, so it "
                    "is not ranked.")
    elif all_rank.rank is not None:
        text.append(f"{ctx.area.name} had the {_ordinal(all_rank.rank)} highest crime rate of "
                    f"the {all_rank.among} CSPs {where}{left_out}.")
    compared = (f"Ranked: the {all_rank.among} CSPs {where}, whose data cover every month of "
                f"the period" + (f"; {all_rank.excluded} other English CSPs are not ranked."
                                 if all_rank.excluded else "."))
    if table.unmatched:
        partial.append("CSP names not matched to the ONS list: " + ", ".join(table.unmatched)
                       + ".")
    per = ("Rates are per 1,000 residents (mid-2019) for the months covered, not annualised."
           if table.level == "police_uk_category" else
           "Rates are per 1,000 residents (mid-2019) for the financial year.")
    result = TableResult(
        key="benchmarking", title="Crime rate and rank among CSPs",
        columns=(TableColumn("category", "Offence group" if table.level == "offence_group"
                             else "police.uk category"),
                 TableColumn("rate", "Rate per 1,000", "rate"),
                 TableColumn("rank_comparators", "Rank among comparators (1 = highest)",
                             "count"),
                 TableColumn("ranked_comparators", "Comparators ranked", "count"),
                 TableColumn("rank_england", ("Rank in England" if england else
                                              "Rank among the CSPs compared")
                             + " (1 = highest)", "count"),
                 TableColumn("ranked_england", "CSPs ranked", "count"),
                 TableColumn("excluded", "CSPs left out: incomplete data", "count")),
        rows=tuple(rows), notes=(per, "Only CSPs with data for every month are ranked.",
                                 compared) + table.missing)
    return SectionOutput(section("benchmarking", narrative=tuple(text), tables=(result,),
                                 partial=tuple(partial)), heads)
