"""Crime counts for every CSP, for benchmarking: two inputs, one shape (``BenchmarkTable``).

1. The Home Office police recorded crime open-data table at CSP level (``read_ho_csp_table``),
   CSV or XLSX, one row per CSP × offence × quarter. Expected columns (matched case- and
   space-insensitively; others are ignored):

   ============================ ==========================================================
   ``Financial Year``           "2019/20" (or "2019-20"); rows of other years are ignored
   ``CSP Name`` / ``CSP Code``  at least one; names are matched to the ONS CSP list
   ``Offence Group``            ONS offence group (the rate is given per group)
   ``Number of Offences``       count
   ``Financial Quarter``,        optional, ignored (quarters are summed)
   ``Force Name``, ``Offence
   Subgroup``, ``Offence Code``,
   ``Offence Description``
   ============================ ==========================================================

2. data.police.uk street-level months aggregated to CSPs (``from_police_uk``): each crime goes
   to the CSP of its 2011 LSOA (LSOA → district → CSP, from the reference geography). ASB rows
   and British Transport Police rows are left out (BTP crimes are not in CSP tables). A police
   force area is *missing* for a month when no force whose crimes fall mostly in it published a
   file for that month; CSPs of such areas are incomplete and never ranked as if complete.

Populations are the ONS mid-2019 CSP populations (``reference.csps()``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import duckdb
import pyarrow as pa

from .errors import SourceError
from .sql import literal, literal_list

BTP = "British Transport Police"
STREET_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                  "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
                  "Context")
ALL = "All crime"


@dataclass(frozen=True)
class BenchmarkTable:
    """Counts by CSP and category, with what is known about coverage."""

    source: str  # one sentence: where the counts come from
    level: str  # "offence_group" or "police_uk_category"
    period: str  # label of the period the counts cover
    counts: dict[tuple[str, str], int]  # (csp_code, category) -> count; category ALL = total
    populations: dict[str, int]  # csp_code -> mid-2019 population
    names: dict[str, str]  # csp_code -> name
    pfa: dict[str, str]  # csp_code -> police force area name
    complete: frozenset[str]  # CSPs with data for every month of the period
    missing: tuple[str, ...] = ()  # sentences: which forces or months are missing
    unmatched: tuple[str, ...] = ()  # CSP names in the input not found in the ONS list

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({c for _, c in self.counts}))

    def rate(self, csp: str, category: str, per: int = 1000) -> float | None:
        pop = self.populations.get(csp)
        if not pop:
            return None
        return per * self.counts.get((csp, category), 0) / pop


@dataclass(frozen=True)
class Rank:
    rate: float | None
    rank: int | None  # 1 = highest rate
    among: int  # CSPs ranked (complete data only)
    excluded: int  # CSPs left out because their data is incomplete
    area_complete: bool


def rank(table: BenchmarkTable, area: str, category: str,
         group: Iterable[str] | None = None) -> Rank:
    """The area's rank (1 = highest rate) among ``group`` (default: every English CSP).

    Only CSPs with complete data are ranked; ``excluded`` says how many were left out. An area
    with incomplete data itself gets no rank.
    """
    codes = set(group) if group is not None else {c for c in table.populations
                                                  if c.startswith("E")}
    codes.add(area)
    codes = {c for c in codes if table.populations.get(c)}
    ranked = [c for c in codes if c in table.complete]
    rates = {c: table.rate(c, category) for c in ranked}
    area_rate = table.rate(area, category)
    if area not in table.complete:
        return Rank(area_rate, None, len(ranked), len(codes) - len(ranked), False)
    position = 1 + sum(1 for c, r in rates.items() if c != area and r is not None
                       and area_rate is not None and r > area_rate)
    return Rank(area_rate, position, len(ranked), len(codes) - len(ranked), True)


def ranks(table: BenchmarkTable, category: str) -> dict[str, Rank]:
    """``rank`` of every CSP with a population for one category (every English CSP the
    group), sorting the rates once instead of once per area: all-CSP benchmarking in one
    pass. A Welsh CSP is ranked among the English ones plus itself, as ``rank`` does
    (``tests/engine/assessment/test_benchmark_data.py`` checks every result against it)."""
    import bisect

    english = {c for c in table.populations if c.startswith("E") and table.populations.get(c)}
    ranked = [c for c in english if c in table.complete]
    rates = sorted(r for r in (table.rate(c, category) for c in ranked) if r is not None)
    out: dict[str, Rank] = {}
    for area in table.populations:
        if not table.populations.get(area):
            out[area] = rank(table, area, category)
            continue
        # The group: every English CSP, and the area itself when it is not one of them.
        outside = area not in english
        among = len(ranked) + (1 if outside and area in table.complete else 0)
        excluded = len(english) + outside - among
        area_rate = table.rate(area, category)
        if area not in table.complete:
            out[area] = Rank(area_rate, None, among, excluded, False)
            continue
        higher = len(rates) - bisect.bisect_right(rates, area_rate)
        out[area] = Rank(area_rate, 1 + higher, among, excluded, True)
    return out


# -- reference ---------------------------------------------------------------------------------
def _csps() -> list[dict]:
    from . import reference

    table = reference.csps()
    return table.to_pylist() if hasattr(table, "to_pylist") else list(table)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


# -- 1. Home Office open-data CSP table ----------------------------------------------------------
_HO_COLUMNS = {"financial year": "year", "csp name": "csp_name", "csp code": "csp_code",
               "community safety partnership": "csp_name", "offence group": "group",
               "number of offences": "count"}


def _rows_from_file(path: Path) -> tuple[list[str], list[list]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    elif path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig", errors="strict")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise SourceError(path, "is not a CSV or XLSX file.",
                          fix="Save the Home Office CSP table as CSV or XLSX.")
    for i, row in enumerate(rows[:20]):  # the header may sit below a title block
        names = {_norm(c) for c in row if c is not None}
        if "number of offences" in names and ({"csp name", "csp code"} & names):
            return [_norm(c) if c is not None else "" for c in row], rows[i + 1:]
    raise SourceError(path, "has no header row with 'CSP Name' (or 'CSP Code') and 'Number "
                            "of Offences'.",
                      fix="Use the Home Office 'Police recorded crime by CSP' open-data table "
                          "(columns listed in docs/metrics.md, Benchmarking).")


def read_ho_csp_table(path: str | Path, year: str) -> BenchmarkTable:
    """Counts by CSP and offence group for financial year ``year`` ("2019/20")."""
    path = Path(path)
    header, body = _rows_from_file(path)
    idx = {_HO_COLUMNS[h]: i for i, h in enumerate(header) if h in _HO_COLUMNS}
    missing = [c for c in ("year", "group", "count") if c not in idx]
    if missing:
        raise SourceError(path, f"lacks the column(s) {', '.join(missing)}.",
                          fix="Expected 'Financial Year', 'CSP Name', 'Offence Group' and "
                              "'Number of Offences'.")
    want = {_norm(year), _norm(year.replace("/", "-")), _norm(year.replace("-", "/"))}
    refs = _csps()
    by_code = {r["csp_code"]: r for r in refs}
    by_name = {_norm(r["csp_name"]): r["csp_code"] for r in refs}
    counts: dict[tuple[str, str], int] = {}
    unmatched: set[str] = set()
    for line, row in enumerate(body, start=2):
        if not row or all(c in (None, "") for c in row):
            continue
        if _norm(row[idx["year"]]) not in want:
            continue
        code = None
        if "csp_code" in idx and row[idx["csp_code"]] in by_code:
            code = row[idx["csp_code"]]
        elif "csp_name" in idx:
            code = by_name.get(_norm(row[idx["csp_name"]]))
        if code is None:
            unmatched.add(str(row[idx.get("csp_name", idx.get("csp_code"))]))
            continue
        try:
            n = int(float(str(row[idx["count"]]).replace(",", "")))
        except ValueError:
            raise SourceError(path, f"'Number of Offences' is {row[idx['count']]!r}, not a "
                                    "number.", line=line, fix="Correct or remove that row.")
        group = str(row[idx["group"]]).strip()
        counts[(code, group)] = counts.get((code, group), 0) + n
        counts[(code, ALL)] = counts.get((code, ALL), 0) + n
    present = frozenset(c for c, _ in counts)
    pops = {r["csp_code"]: int(r["population_mid2019"]) for r in refs
            if r.get("population_mid2019")}
    return BenchmarkTable(
        source=f"Home Office police recorded crime open data by CSP ({path.name}), {year}",
        level="offence_group", period=year, counts=counts, populations=pops,
        names={r["csp_code"]: r["csp_name"] for r in refs},
        pfa={r["csp_code"]: r.get("pfa_name") or "" for r in refs}, complete=present,
        missing=(), unmatched=tuple(sorted(unmatched)))


# -- 2. data.police.uk months aggregated to CSPs -------------------------------------------------
def from_police_uk(con: duckdb.DuckDBPyConnection, source_sql: str, months: list[str],
                   period_label: str) -> BenchmarkTable:
    """Aggregate police.uk crimes to CSPs. ``source_sql`` yields columns ``lsoa11_code`` (the
    2011 LSOA), ``force``, ``month``, ``category`` (one row per crime).

    One query reduces every crime of the period to counts by CSP, force, month and category (a
    few tens of thousands of rows for the whole country); the CSP counts, each force's home
    area and the months each area has are read from those. Nothing holds a row per crime, so
    all-CSP benchmarking over a national year costs one scan of its months."""
    con.register("bench_geo", _reference_geo())
    # "force" is quoted: it is a keyword in some SQL dialects (the engine's SQL stays portable).
    rows = con.execute(
        f"SELECT g.csp_code, s.\"force\", s.month, s.category, count(*) AS n "
        f"FROM ({source_sql}) s JOIN bench_geo g ON g.lsoa11_code = s.lsoa11_code "
        f"WHERE s.month IN ({literal_list(months)}) AND s.category <> 'Anti-social behaviour' "
        f"AND coalesce(s.\"force\", '') <> {literal(BTP)} "
        f"GROUP BY g.csp_code, s.\"force\", s.month, s.category").fetchall()
    refs = _csps()
    pfa_of = {r["csp_code"]: r.get("pfa_name") or "" for r in refs}
    counts: dict[tuple[str, str], int] = {}
    by_force: dict[str, dict[str, int]] = {}  # force -> police force area -> crimes
    force_months: set[tuple[str, str]] = set()
    for csp, force, month, cat, n in rows:
        counts[(csp, cat)] = counts.get((csp, cat), 0) + n
        counts[(csp, ALL)] = counts.get((csp, ALL), 0) + n
        if pfa_of.get(csp):
            areas = by_force.setdefault(force, {})
            areas[pfa_of[csp]] = areas.get(pfa_of[csp], 0) + n
        force_months.add((force, month))
    # Each force's home area = the police force area holding most of its crimes (ties: the
    # first by name).
    home = {force: max(sorted(areas), key=areas.__getitem__) for force, areas in by_force.items()}
    present = {(home[force], m) for force, m in force_months if force in home}
    # Only force areas the reference geography covers can be judged (England: IMD and LSOA
    # populations are England-only), so Welsh forces are not reported as missing.
    covered = set(_reference_geo().column("csp_code").to_pylist())
    all_pfas = sorted({p for c, p in pfa_of.items() if p and c in covered})
    missing_lines = []
    gaps: dict[str, list[str]] = {}
    for pfa in all_pfas:
        absent = [m for m in months if (pfa, m) not in present]
        if absent:
            gaps[pfa] = absent
    whole = [p for p, ms in gaps.items() if len(ms) == len(months)]
    part = {p: ms for p, ms in gaps.items() if len(ms) < len(months)}
    if whole:
        missing_lines.append(f"No data for {len(whole)} police force area(s) in any month: "
                             + ", ".join(whole) + ".")
    for p, ms in sorted(part.items()):
        missing_lines.append(f"{p}: no data for {', '.join(ms)}.")
    complete = frozenset(c for c, p in pfa_of.items() if p and p not in gaps
                         and (c, ALL) in counts)
    pops = {r["csp_code"]: int(r["population_mid2019"]) for r in refs
            if r.get("population_mid2019")}
    return BenchmarkTable(
        source=f"data.police.uk street-level crimes aggregated to CSPs by LSOA, {period_label} "
               f"(ASB and British Transport Police excluded)",
        level="police_uk_category", period=period_label, counts=counts, populations=pops,
        names={r["csp_code"]: r["csp_name"] for r in refs}, pfa=pfa_of, complete=complete,
        missing=tuple(missing_lines))


def _reference_geo() -> pa.Table:
    """Every 2011 LSOA's CSP (``reference.lsoa_csps``)."""
    from . import reference

    return reference.lsoa_csps()


def from_warehouse_police_uk(con: duckdb.DuckDBPyConnection, months: list[str],
                             period_label: str) -> BenchmarkTable:
    """``from_police_uk`` over the warehouse ``crimes`` view (rows loaded from police.uk, whose
    2011 LSOA ingest stored in ``lsoa11_code``)."""
    return from_police_uk(con, 'SELECT lsoa11_code, "force", month, police_uk_category AS '
                               "category FROM crimes WHERE source = 'police-uk'", months,
                          period_label)


def from_police_uk_files(paths: Iterable[str | Path], months: list[str], period_label: str,
                         con: duckdb.DuckDBPyConnection | None = None) -> BenchmarkTable:
    """``from_police_uk`` straight over street CSV files (plain or .gz), without ingesting: each
    LSOA code, of either vintage, goes to its 2011 LSOA by ``geo.lsoa11_mapping``."""
    from .geo import lsoa11_mapping

    con = con or duckdb.connect()
    mapping = lsoa11_mapping()
    con.register("bench_lsoa", pa.table({"code": list(mapping),
                                         "lsoa11": list(mapping.values())}))
    listing = literal_list(paths)
    # The street-file header is fixed (SOURCES.md); naming the columns skips per-file sniffing,
    # which costs ten times the read over a few hundred small gzipped files.
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in STREET_COLUMNS)
    sql = (f"SELECT l.lsoa11 AS lsoa11_code, f.\"Falls within\" AS \"force\", f.\"Month\" AS "
           f"month, f.\"Crime type\" AS category FROM read_csv([{listing}], header = true, "
           f"auto_detect = false, columns = {{{columns}}}) f "
           f"JOIN bench_lsoa l ON l.code = f.\"LSOA code\"")
    return from_police_uk(con, sql, months, period_label)


__all__ = ["BenchmarkTable", "Rank", "rank", "ranks", "read_ho_csp_table", "from_police_uk",
           "from_warehouse_police_uk", "from_police_uk_files", "ALL"]
