"""Purged months counted from the monthly counts a purge kept.

``safecity warehouse purge`` deletes record-level rows past their retention, but first writes
their monthly counts (``monthly_counts``: by month, 2011 LSOA, category and the columns in
``figures.AGGREGATE_FIELDS``). When a period the assessment compares has months whose records
were purged, ``open_context`` builds one more small table per source beside the records: the
records of the window counted by the same columns, plus the purged months' kept counts, with
the same period flags (``in_cur``, ``in_prev``…) and a count ``n``. Figures that select only
on those columns (totals, offence groups, baskets, flags, police.uk categories, monthly series,
ASB) are counted from it with ``sum(n)``; figures that need the records are not given for a
period with purged months (their flag is false on the record tables).

The counts of the kept months are made from the records themselves, so for a warehouse with
nothing purged the two tables give the same numbers; no table is built when nothing in the
window was purged.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import figures
from ..sql import literal, literal_list

#: The context's table of counts for each record table it reads: context key -> (name,
#: warehouse table).
TABLES = {"c": ("ca", "crimes"), "a": ("aa", "asb_incidents")}


@dataclass(frozen=True)
class Aggregates:
    """A source's counts in the context: records of kept months, monthly counts of purged ones."""

    name: str  # the temp table ("ca", "aa")
    table: str  # the warehouse table counted
    source: str  # the source kind
    months: frozenset[str]  # window months counted from the monthly counts (records purged)
    coarse: frozenset[str]  # of those, months whose counts keep only the main category

    def answers(self, fields, months) -> bool:
        """Whether the counts of ``months`` keep every column in ``fields``."""
        if not set(months) & self.coarse:
            return True
        return set(fields) <= set(figures.COARSE_FIELDS.get(self.table, ()))


def purged_counted(con, warehouse, table: str, source: str | None, area_where: str,
                   window: set[str]) -> tuple[set[str], set[str]]:
    """(months of ``window`` whose records of ``source`` were purged and whose monthly counts
    have rows for the area, of those the months counted at the category only)."""
    from ..governance.purge import purged_months

    if source is None or not warehouse.has_data("monthly_counts"):
        return set(), set()
    gone = set(purged_months(warehouse).get(source, ())) & window
    if gone:  # a purged month loaded again has its records back: count those, never both
        gone -= {m for (m,) in con.execute(
            f"SELECT DISTINCT month FROM {table} WHERE source = ? AND month IN "
            f"({literal_list(sorted(gone))})", [source]).fetchall()}
    gone = sorted(gone)
    if not gone:
        return set(), set()
    found = con.execute(
        f"SELECT month, bool_or(kept IS NULL) FROM monthly_counts WHERE table_name = ? AND "
        f"source = ? AND month IN ({literal_list(gone)}) AND {area_where} GROUP BY 1",
        [table, source]).fetchall()
    return {m for m, _ in found}, {m for m, coarse in found if coarse}


def sources_counted(con, table: str, window: set[str], area_where: str) -> dict[str, int]:
    """{source: rows} of the monthly counts of ``table`` for the area in ``window`` (for source
    precedence when a period's records were all purged)."""
    if not window:
        return {}
    return {s: int(n) for s, n in con.execute(
        f"SELECT source, sum(count) FROM monthly_counts WHERE table_name = ? AND month IN "
        f"({literal_list(sorted(window))}) AND {area_where} GROUP BY 1", [table]).fetchall()}


def build(con, *, key: str, source: str, records_where: str, area_where: str,
          months: set[str], coarse: set[str], counted: dict[str, tuple[str, ...]]
          ) -> Aggregates:
    """Create the context's table of counts for ``key`` ("c" or "a"): the records matching
    ``records_where`` counted by month, LSOA and the aggregate columns, plus the monthly
    counts of the purged ``months``; ``counted`` maps each period flag to the months it
    counts (empty: the period is not counted)."""
    name, table = TABLES[key]
    fields = figures.AGGREGATE_FIELDS[table]
    cols = ", ".join(fields)
    kept = ", ".join(_from_counts(table, f) for f in fields)
    flags = ", ".join(
        f"month IN ({literal_list(ms)}) AS {flag}" if ms else f"FALSE AS {flag}"
        for flag, ms in counted.items())
    con.execute(
        f"CREATE TEMP TABLE {name} AS SELECT *, {flags} FROM ("
        f"SELECT strftime(recorded_date, '%Y-%m') AS month, lsoa11_code, {cols}, "
        f"count(*) AS n FROM {table} WHERE {records_where} GROUP BY ALL "
        f"UNION ALL BY NAME "
        f"SELECT month, lsoa11_code, {kept}, sum(count) AS n FROM monthly_counts "
        f"WHERE table_name = {literal(table)} AND source = {literal(source)} AND month IN "
        f"({literal_list(sorted(months))}) AND {area_where} GROUP BY ALL)")
    return Aggregates(name, table, source, frozenset(months), frozenset(coarse))


def _from_counts(table: str, column: str) -> str:
    """A column of the monthly counts; counts written before the column was kept (``kept`` is
    NULL) have only the category, which is the offence group (police.uk category for
    data.police.uk) of crimes; ASB's type is always its category."""
    from .. import contract

    if column not in contract.table("monthly_counts").names:  # ASB's type is its category
        return f"nullif(category, 'unknown') AS {column}"
    if column in figures.COARSE_FIELDS.get(table, ()):
        mine = "source = 'police-uk'" if column == "police_uk_category" else \
            "source <> 'police-uk'"
        return (f"CASE WHEN kept IS NULL THEN CASE WHEN {mine} THEN nullif(category, 'unknown') "
                f"END ELSE {column} END AS {column}")
    return column
