"""What every section builder receives: the area's records in DuckDB, the periods, availability.

``open_context`` scans the warehouse once: it materialises the area's crimes, victims, suspects,
ASB incidents and hate reports for the union of the periods compared into small in-memory DuckDB
tables (``c``, ``v``, ``s``, ``a``, ``h``) with one boolean column per period (``in_cur``,
``in_prev``, ``in_cp``, ``in_cpp``). Sections then run small GROUP BY queries on those tables; no
section loops over rows in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

import duckdb

from .. import coverage, figures
from ..periods import months_in
from . import aggregates
from ..sql import literal_list
from ..warehouse import Warehouse
from .area import Area
from .model import Period

FLAG_FIELDS = ("domestic_abuse", "hate_race", "hate_religion", "hate_sexual_orientation",
               "hate_disability", "hate_transgender", "alcohol_related", "drug_related",
               "weapon_bladed", "weapon_firearm", "weapon_other", "night_time_economy")
FIELDS = ("offence_code", "offence_group", "offence_subgroup", "police_uk_category",
          "committed_from", "committed_to", "lsoa11_code", "easting", "northing") + FLAG_FIELDS

PERIOD_FLAGS = ("in_cur", "in_prev", "in_cp", "in_cpp")


@dataclass
class Context:
    con: duckdb.DuckDBPyConnection
    warehouse: Warehouse
    area: Area
    period: Period
    comparison: Period
    custom: Period | None
    custom_comparison: Period | None
    threshold: int
    crime_source: str | None  # "police-extract", "police-uk" or None when no crimes
    fields: dict[str, bool]  # crimes columns with data in the current period
    tables: dict[str, bool]  # v, s, a, h, youth_justice, referrals: data present for the area
    months: dict[str, tuple[str, ...]]  # period flag -> months with crimes
    coverage: list[str] = field(default_factory=list)
    #: period flag -> the months it is counted over (engine/coverage.py); labels of periods
    #: not wholly covered say so ("2020/21 (9 of 12 months: Apr 2020 – Dec 2020)").
    cover: dict[str, Any] = field(default_factory=dict)
    #: source key of coverage.SOURCE_COVERAGE ("a", "h", "youth_justice", "referrals") ->
    #: {period flag: Coverage} over that source's own months ({} when it has none loaded).
    source_cover: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: "c" (crimes), "a" (ASB) -> aggregates.Aggregates when months of the window were purged:
    #: figures that select only on figures.AGGREGATE_FIELDS count them from the monthly counts
    aggregates: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    # -- small query helpers ------------------------------------------------------------------
    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.con.execute(sql, list(params)).fetchall()[0][0]

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def loaded(self, table: str, flag: str, fields: Iterable[str] | None = None) -> bool:
        """Whether ``table`` has any rows in period ``flag`` (victims/suspects follow crimes).

        A period with no rows at all means the data is not loaded, not that nothing happened:
        its counts are None (never 0) so no output shows a false zero. With ``fields`` (a
        figure selecting only on figures.AGGREGATE_FIELDS), months whose records were purged
        count as loaded when their monthly counts keep those fields.
        """
        base = "c" if table in ("v", "s") else table
        ag = self.aggregates.get(base) if fields is not None else None
        if ag is not None:
            if not ag.answers(fields, self._counted_months(base, flag)):
                return False
            base = ag.name
        key = f"loaded:{base}:{flag}"
        if key not in self.cache:
            self.cache[key] = bool(self.scalar(f"SELECT count(*) FROM {base} WHERE {flag}"))
        return self.cache[key]

    def counts(self, table: str = "c", fields: Iterable[str] | None = ()) -> tuple[str, str]:
        """(table, count expression) to count rows of ``table`` (``c``, ``a``) by a figure that
        selects only on ``fields`` (all in figures.AGGREGATE_FIELDS): the table of counts and
        ``sum(n)`` when months of the window rest on monthly counts (aggregates.py), else the
        records and ``count(*)``."""
        ag = self.aggregates.get(table) if fields is not None else None
        return (ag.name, "sum(n)") if ag is not None else (table, "count(*)")

    def _counted_months(self, table: str, flag: str) -> tuple[str, ...]:
        cov = self.cover_of(flag, None if table == "c" else table)
        return cov.used if cov is not None else ()

    def require_counts(self, table: str, flag: str, fields: Iterable[str]) -> None:
        """FigureUnavailable when period ``flag`` has months whose monthly counts, written
        before they kept ``fields``, cannot answer for them."""
        ag = self.aggregates.get(table)
        if ag is not None and not ag.answers(fields, self._counted_months(table, flag)):
            months = sorted(set(self._counted_months(table, flag)) & ag.coarse)
            raise figures.FigureUnavailable(
                f"The monthly counts kept for {coverage.span(months)}, whose records were "
                f"purged, keep only the main category, not {', '.join(sorted(fields))}.")

    def pair(self, where: str = "TRUE", table: str = "c", a: str = "in_cur",
             b: str = "in_prev", distinct: str | None = None,
             fields: Iterable[str] | None = None) -> tuple[int, int | None]:
        """(count in period a, count in period b) of rows of ``table`` matching ``where``;
        the second is None when period b has no data loaded.

        ``fields``: the figure selects only on these columns (figures.AGGREGATE_FIELDS), so
        months whose records were purged are counted from the monthly counts kept for them.
        Without it a period with purged months is not counted (its records are gone)."""
        if distinct is None and fields is not None and table in self.aggregates:
            fields = tuple(fields)
            self.require_counts(table, a, fields)
            name, n = self.counts(table, fields)
            cur, prev = self.con.execute(
                f"SELECT {n} FILTER (WHERE {a}), {n} FILTER (WHERE {b}) FROM {name} "
                f"WHERE {where}").fetchall()[0]
            return int(cur or 0), (int(prev or 0) if self.loaded(table, b, fields) else None)
        what = f"count(DISTINCT {distinct})" if distinct else "count(*)"
        cur, prev = self.con.execute(
            f"SELECT {what} FILTER (WHERE {a}), {what} FILTER (WHERE {b}) FROM {table} "
            f"WHERE {where}").fetchall()[0]
        return int(cur or 0), (int(prev or 0) if self.loaded(table, b) else None)

    def grouped(self, expr: str, where: str = "TRUE", table: str = "c", a: str = "in_cur",
                b: str = "in_prev", fields: Iterable[str] | None = None
                ) -> list[tuple[Any, int, int | None]]:
        """[(group, count a, count b)] for ``expr`` over rows matching ``where`` (count b None
        when period b has no data loaded). ``fields``: as for :meth:`pair`."""
        if fields is not None and table in self.aggregates:
            fields = tuple(fields)
            self.require_counts(table, a, fields)
        else:
            fields = None
        name, n = self.counts(table, fields)
        has_b = self.loaded(table, b, fields)
        return [(g, int(x or 0), int(y or 0) if has_b else None) for g, x, y in self.con.execute(
            f"SELECT {expr} AS g, {n} FILTER (WHERE {a}), {n} FILTER (WHERE {b}) "
            f"FROM {name} WHERE {where} GROUP BY 1 ORDER BY 1 NULLS LAST").fetchall()]

    def counted(self, table: str = "c") -> bool:
        """Whether ``table`` has rows in the current period, as records or as monthly counts
        kept for purged months."""
        return bool(self.tables.get(table)) or bool(
            table in self.aggregates and self.loaded(table, "in_cur", ()))

    def has(self, *names: str) -> bool:
        return all(self.fields.get(n, False) for n in names)

    @property
    def is_open_data(self) -> bool:
        return self.crime_source == "police-uk"

    @property
    def population(self) -> int | None:
        return self.area.population

    def period_of(self, flag: str) -> Period | None:
        """The period a flag (``in_cur``, ``in_prev``, ``in_cp``, ``in_cpp``) stands for."""
        return {"in_cur": self.period, "in_prev": self.comparison, "in_cp": self.custom,
                "in_cpp": self.custom_comparison}[flag]

    @property
    def has_comparison(self) -> bool:
        return bool(self.months.get("in_prev"))

    def cover_of(self, flag: str, source: str | None = None):
        """The Coverage of period ``flag`` for crimes, or for ``source`` (a key of
        coverage.SOURCE_COVERAGE); None when that source has no month loaded."""
        if source is None:
            return self.cover.get(flag)
        return self.source_cover.get(source, {}).get(flag)

    def months_used(self, flag: str, source: str | None = None) -> tuple[str, ...] | None:
        """The months period ``flag`` is counted over (for crimes, or for ``source``), None
        when it is counted whole."""
        cov = self.cover_of(flag, source)
        return None if cov is None or cov.complete else cov.used

    def label_of(self, flag: str, source: str | None = None) -> str:
        """The label of period ``flag`` as counted for crimes or ``source``, with its coverage
        when not every month is counted ("2020/21 (9 of 12 months: Apr 2020 – Dec 2020)")."""
        cov = self.cover_of(flag, source)
        if cov is not None:
            return cov.period_label
        period = self.period_of(flag)
        return period.label if period is not None else ""

    def own_coverage(self, source: str, a: str, b: str) -> str:
        """" (A against B)": periods ``a`` and ``b`` as counted for ``source`` (a key of
        coverage.SOURCE_COVERAGE), when that source's coverage labels differ from the crimes'
        (it is partial on its own), else "". Appended to the source's labels and sentences."""
        la, lb = self.label_of(a, source), self.label_of(b, source)
        if la == self.label_of(a) and lb == self.label_of(b):
            return ""
        return f" ({la} against {lb})"

    @property
    def flagged(self) -> dict[str, str]:
        """Months counted in any period that were flagged at ingest: month -> reason."""
        out: dict[str, str] = {}
        for cover in (self.cover, *self.source_cover.values()):
            for cov in cover.values():
                if cov is not None:
                    out.update(cov.flagged)
        return out

    def flag_caveat(self, months) -> str:
        """' (caveat: …)' for the flagged months among ``months``, else ''."""
        flagged = self.flagged
        hit = [m for m in months if m in flagged]
        if not hit:
            return ""
        return (" (caveat: " + "; ".join(f"{coverage.span([m])} was flagged at ingest: "
                                          f"{flagged[m]}" for m in hit) + ")")


def _between(col: str, period: Period | None, months: tuple[str, ...] | None = None) -> str:
    if period is None:
        return "FALSE"
    out = f"({col} BETWEEN DATE '{period.start.isoformat()}' AND DATE '{period.end.isoformat()}'"
    if months is not None:  # like-for-like: only the months covered on both sides
        out += (f" AND strftime({col}, '%Y-%m') IN ({literal_list(months)})" if months
                else " AND FALSE")
    return out + ")"


def _flags(col: str, periods: dict[str, Period | None],
           months: dict[str, tuple[str, ...] | None] | None = None) -> str:
    months = months or {}
    return ", ".join(f"{_between(col, p, months.get(name))} AS {name}"
                     for name, p in periods.items())


def open_context(warehouse: Warehouse, area: Area, period: Period, comparison: Period,
                 custom: Period | None, custom_comparison: Period | None, *,
                 threshold: int, con: duckdb.DuckDBPyConnection | None = None) -> Context:
    con = con if con is not None else warehouse.connect()
    con.register("geo_arrow", area.geography)
    con.execute("CREATE TEMP TABLE geo AS SELECT * FROM geo_arrow")
    con.unregister("geo_arrow")
    periods = {"in_cur": period, "in_prev": comparison, "in_cp": custom,
               "in_cpp": custom_comparison}
    spans = [p for p in periods.values() if p is not None]
    lo = min(p.start for p in spans).isoformat()
    hi = max(p.end for p in spans).isoformat()
    in_area = figures.in_area("crimes", area.is_partnership)
    window = f"recorded_date BETWEEN DATE '{lo}' AND DATE '{hi}'"
    notes: list[str] = [f"Area: {area.name} ({area.code}); geography from the {area.source}.",
                        figures.AREA_RULE]

    kept = f"NOT {coverage.excluded_rows(warehouse)}"  # months an analyst set aside
    by_source = dict(con.execute(
        f"SELECT source, count(*) FROM crimes WHERE {window} AND {in_area} AND {kept} "
        "GROUP BY 1").fetchall())
    window_months = {m for p in spans for m in months_in(p)}
    if warehouse.has_data("monthly_counts"):  # months whose records were purged count too
        for src, n in aggregates.sources_counted(con, "crimes", window_months, in_area).items():
            by_source[src] = by_source.get(src, 0) + n
    crime_source = figures.preferred_source(by_source, figures.CRIME_SOURCES)
    if crime_source == "police-extract":
        if by_source.get("police-uk"):
            notes.append(
                f"Both a police extract and data.police.uk files cover this area; the extract "
                f"(record level) is used and the {by_source['police-uk']:,} data.police.uk rows "
                f"are left out so no crime is counted twice.")
    elif crime_source == "police-uk":
        notes.append("Crimes come from data.police.uk street-level files: they carry the "
                        "police.uk category, month and anonymised location only (no offence "
                        "code, victims, offenders or flags).")
    source_filter = f"source = '{crime_source}'" if crime_source else "FALSE"
    crime_where = f"{window} AND {in_area} AND {source_filter} AND {kept}"
    counted, coarse = aggregates.purged_counted(con, warehouse, "crimes", crime_source,
                                                in_area, window_months)
    cover, used, loaded = _coverage(con, warehouse, periods, crime_where, aggregated=counted)
    con.execute(f"CREATE TEMP TABLE c AS SELECT * EXCLUDE (batch_id, source_line), "
                f"{_flags('recorded_date', periods, _records_only(cover, used))} FROM crimes "
                f"WHERE {crime_where}")
    counts: dict[str, aggregates.Aggregates] = {}
    if counted:
        counts["c"] = aggregates.build(con, key="c", source=crime_source,
                                       records_where=crime_where, area_where=in_area,
                                       months=counted, coarse=coarse,
                                       counted=_counted(periods, cover))
    no_lsoa = con.execute("SELECT count(*) FROM c WHERE in_cur AND lsoa11_code IS NULL"
                          ).fetchall()[0][0]
    vintage = _lsoa_vintage(con)
    if vintage:
        notes.append(vintage)
    if no_lsoa:
        notes.append(f"{no_lsoa:,} crimes of the period have no LSOA: they are counted in "
                        "the area's totals but not in the place-based tables.")
    # Victims and suspects carry every column of their crime (no names overlap but crime_ref),
    # so a section filters them with the same conditions as crimes.
    con.execute("CREATE TEMP TABLE v AS SELECT v.* EXCLUDE (batch_id, source_line), "
                "c.* EXCLUDE (crime_ref) FROM victims v JOIN c USING (crime_ref)")
    con.execute("CREATE TEMP TABLE s AS SELECT s.* EXCLUDE (batch_id, source_line), "
                "c.* EXCLUDE (crime_ref) FROM suspects s JOIN c USING (crime_ref)")

    asb_in_area = figures.in_area("asb_incidents", area.is_partnership)
    asb_sources = dict(con.execute(
        f"SELECT source, count(*) FROM asb_incidents WHERE {window} AND {asb_in_area} "
        "GROUP BY 1").fetchall())
    if warehouse.has_data("monthly_counts"):
        for src, n in aggregates.sources_counted(con, "asb_incidents", window_months,
                                                 asb_in_area).items():
            asb_sources[src] = asb_sources.get(src, 0) + n
    asb_source = figures.preferred_source(asb_sources, figures.ASB_SOURCES)
    # ASB, hate reports, youth justice and referrals are each counted over their own months.
    source_cover: dict[str, dict] = {}
    source_loaded: dict[str, set[str]] = {}
    asb_where = (f"{window} AND {asb_in_area} AND source = '{asb_source or ''}' AND "
                 f"{kept}")
    asb_counted, asb_coarse = aggregates.purged_counted(con, warehouse, "asb_incidents",
                                                        asb_source, asb_in_area, window_months)
    source_cover["a"], asb_used, source_loaded["a"] = _coverage(
        con, warehouse, periods, asb_where, "asb_incidents", aggregated=asb_counted)
    con.execute(f"CREATE TEMP TABLE a AS SELECT * EXCLUDE (batch_id, source_line), "
                f"{_flags('recorded_date', periods, _records_only(source_cover['a'], asb_used))} "
                f"FROM asb_incidents WHERE {asb_where}")
    if asb_counted:
        counts["a"] = aggregates.build(con, key="a", source=asb_source,
                                       records_where=asb_where, area_where=asb_in_area,
                                       months=asb_counted, coarse=asb_coarse,
                                       counted=_counted(periods, source_cover["a"]))
    if asb_source == "asb" and asb_sources.get("police-uk"):
        notes.append("ASB incidents come from the partnership's ASB file; data.police.uk "
                        "ASB rows for the area are left out so nothing is counted twice.")
    hate_where = (f"{window} AND {figures.in_area('hate_reports', area.is_partnership)} AND "
                  f"NOT {coverage.excluded_rows(warehouse)}")
    source_cover["h"], hate_used, source_loaded["h"] = _coverage(
        con, warehouse, periods, hate_where, "hate_reports")
    con.execute(f"CREATE TEMP TABLE h AS SELECT * EXCLUDE (batch_id, source_line), "
                f"{_flags('recorded_date', periods, hate_used)} FROM hate_reports "
                f"WHERE {hate_where}")
    # Youth justice and referrals carry no location: they are the partnership's own records;
    # partner intelligence counts are the partnership's own app's, counted for its own area.
    for key in ("youth_justice", "referrals", "intelligence"):
        table, date_col, _ = coverage.SOURCE_COVERAGE[key]
        source_cover[key], source_loaded[key] = {}, set()
        if area.is_partnership and warehouse.has_data(table):
            where = (f"{date_col} BETWEEN DATE '{lo}' AND DATE '{hi}' AND NOT "
                     f"{coverage.excluded_rows(warehouse, date_col=date_col)}")
            source_cover[key], _, source_loaded[key] = _coverage(
                con, warehouse, periods, where, table, date_col, spans=True)

    if source_loaded["youth_justice"]:
        notes.extend(_youth_history(con, warehouse))
    present = ", ".join(f"count({f}) > 0" for f in FIELDS)
    values = con.execute(f"SELECT {present} FROM c WHERE in_cur").fetchall()[0]
    fields = dict(zip(FIELDS, (bool(x) for x in values)))
    if "c" in counts:  # a current period whose records were purged: what its counts keep
        kept_fields = figures.AGGREGATE_FIELDS["crimes"]
        values = con.execute(f"SELECT {', '.join(f'count({f}) > 0' for f in kept_fields)} "
                             f"FROM ca WHERE in_cur").fetchall()[0]
        for name, has in zip(kept_fields, values):
            fields[name] = fields.get(name, False) or bool(has)
    if crime_source == "police-uk":  # police.uk files carry no flags, whatever ingest stored
        for name in FLAG_FIELDS + ("offence_code", "committed_from", "committed_to"):
            fields[name] = False
    fields["offence_group"] = fields["offence_group"] and fields["offence_code"]
    fields["offence_subgroup"] = fields["offence_subgroup"] and fields["offence_code"]

    tables = {name: bool(con.execute(f"SELECT count(*) FROM {name} WHERE in_cur").fetchall()[0][0])
              for name in ("c", "v", "s", "a", "h")}
    # Loaded for these periods: at least one month of the source in a period or comparison.
    tables["youth_justice"] = bool(source_loaded["youth_justice"])
    tables["referrals"] = bool(source_loaded["referrals"])
    tables["intelligence"] = bool(source_loaded["intelligence"])
    months = {flag: tuple(m for (m,) in con.execute(
        f"SELECT DISTINCT month FROM {'ca' if 'c' in counts else 'c'} WHERE {flag} "
        f"ORDER BY 1").fetchall()) for flag in PERIOD_FLAGS}
    sources = [("crimes", cover if crime_source else {})] + [
        (coverage.SOURCE_COVERAGE[key][2], source_cover[key]) for key in coverage.SOURCE_COVERAGE]
    for what, covers in sources:
        for flag in PERIOD_FLAGS:
            cov = covers.get(flag)
            if cov is not None:
                notes.append(_coverage_line(what, cov))
    labelled = {flag: (cov.labelled() if cov is not None and crime_source else p)
                for (flag, p), cov in ((item, cover.get(item[0])) for item in periods.items())}
    return Context(con=con, warehouse=warehouse, area=area, period=labelled["in_cur"],
                   comparison=labelled["in_prev"], custom=labelled["in_cp"],
                   custom_comparison=labelled["in_cpp"], threshold=threshold,
                   crime_source=crime_source, fields=fields, tables=tables, months=months,
                   coverage=notes, cover=cover, source_cover=source_cover, aggregates=counts,
                   cache={"loaded_months": loaded, "source_loaded": source_loaded,
                          # the rows of each source for the area, any date (figures.yearly_series)
                          "rows_where": {
                              "c": ("crimes", crime_source, f"{in_area} AND {source_filter} AND "
                                    f"{kept}", in_area),
                              "a": ("asb_incidents", asb_source, f"{asb_in_area} AND source = "
                                    f"'{asb_source or ''}' AND {kept}", asb_in_area)},
                          "source_kind": {"a": asb_source, "h": "hate",
                                          "youth_justice": "youth-justice",
                                          "referrals": "referrals",
                                          "intelligence": "intelligence"}})


def _youth_history(con, warehouse: Warehouse) -> list[str]:
    """The caveat on first-time entrants when youth justice records were purged: an entrant is
    judged against the outcomes kept, so one whose earlier outcome was purged counts again."""
    from ..governance.purge import purged_months

    gone = purged_months(warehouse).get("youth-justice")
    if not gone:
        return []
    first = con.execute("SELECT strftime(min(outcome_date), '%Y-%m') FROM youth_justice"
                        ).fetchall()[0][0]
    return [f"Youth justice outcomes of {coverage.span(sorted(gone))} were purged under "
            f"retention: first-time entrants are judged against the outcomes kept (from "
            f"{coverage.span([first]) if first else 'none'}), so a young person whose earlier "
            f"outcome was purged is counted as a first-time entrant."]


def _records_only(cover: dict, used: dict) -> dict:
    """The months each period is counted over at record level: none for a period with months
    whose records were purged (a figure needing records is not given for it)."""
    return {flag: (() if cov is not None and cov.aggregated else used.get(flag))
            for flag, cov in cover.items()}


def _counted(periods: dict[str, Period | None], cover: dict) -> dict[str, tuple[str, ...]]:
    """The months each period flag counts in a table of counts (aggregates.py)."""
    out = {}
    for flag, period in periods.items():
        cov = cover.get(flag)
        out[flag] = (cov.used if cov is not None else
                     tuple(months_in(period)) if period is not None else ())
    return out


def _coverage_line(what: str, cov) -> str:
    """The data-coverage note of one source and period: counted, missing and flagged months."""
    line = f"{cov.period.label}: {what} are counted for {cov.label}"
    if not cov.complete:
        line += (f" ({coverage.span(cov.used)})" if cov.used else "")
        if cov.missing:
            line += f"; not loaded: {coverage.span(cov.missing)}"
    line += "."
    if cov.aggregated:
        line += (f" The records of {coverage.span(cov.aggregated)} were purged under "
                 f"retention: figures the monthly counts keep (totals, offence groups and "
                 f"subgroups, flags, categories, months, LSOAs) are counted from them; figures "
                 f"that need the records (victims, suspects, times, places below an LSOA) are "
                 f"not given for {cov.period.label}.")
    for m, reason in sorted(cov.flagged.items()):
        line += (f" Caveat: {coverage.span([m])} was flagged at ingest as possibly broken at "
                 f"source ({reason}); figures using it may be wrong.")
    return line


def _lsoa_vintage(con) -> str | None:
    """The data-coverage sentence on the LSOA codes the loaded files use (2011 or 2021)."""
    same, changed = con.execute(
        "SELECT count(*) FILTER (WHERE lsoa_code = lsoa11_code), count(*) FILTER (WHERE "
        "lsoa_code IS NOT NULL AND lsoa11_code IS NOT NULL AND lsoa_code <> lsoa11_code) "
        "FROM c WHERE in_cur OR in_prev").fetchall()[0]
    if changed:
        return (f"The files loaded use 2021 LSOA codes: {changed:,} crimes carry a 2021 code "
                "that differs from its 2011 one and were placed by the ONS 2021 → 2011 LSOA "
                "lookup (codes unchanged between the two are used as they are).")
    if same:
        return "The files loaded use 2011 LSOA codes; crimes are placed by them directly."
    return None


def _coverage(con, warehouse: Warehouse, periods: dict[str, Period | None], rows_where: str,
              table: str = "crimes", date_col: str = "recorded_date", spans: bool = False,
              aggregated: set[str] = frozenset()):
    """({flag: Coverage}, {flag: months to count or None when whole}, months loaded in the
    window) for the rows of ``table`` matching ``rows_where`` (one source): a month is loaded
    when the source has rows in it; each period is paired with its comparison like for like
    (coverage.like_for_like). All empty when the source has no month loaded in the window.

    ``spans``: for case records where a month with none is a true zero (youth justice
    outcomes, referrals), a month is loaded when it lies between the first and the last month
    of the source's records, and is neither excluded nor purged (coverage.SOURCE_COVERAGE).

    ``aggregated``: months whose records were purged but whose monthly counts were kept: they
    count as loaded, and each Coverage names them (``Coverage.aggregated``)."""
    from ..governance.purge import purged_months
    from ..ingest.anomalies import month_exclusions, month_flags

    found = con.execute(f"SELECT DISTINCT strftime({date_col}, '%Y-%m'), batch_id FROM {table} "
                        f"WHERE {rows_where}").fetchall()
    if not found and not aggregated:
        return {}, {}, set()
    loaded = {m for m, _ in found} | set(aggregated)
    batch_ids = {b for _, b in found}
    batches = [b for b in warehouse.batches() if b.batch_id in batch_ids]
    kinds = {b.source for b in batches}
    if spans:
        first, last = con.execute(f"SELECT strftime(min({date_col}), '%Y-%m'), "
                                  f"strftime(max({date_col}), '%Y-%m') FROM {table}"
                                  ).fetchall()[0]
        gone = {m for src, ms in purged_months(warehouse).items() if src in kinds for m in ms}
        gone |= {m for (src, _, m) in month_exclusions(warehouse) if src in kinds}
        window = {m for p in periods.values() if p is not None for m in months_in(p)}
        loaded = {m for m in window if first <= m <= last and m not in gone}
    forces = {b.scope for b in batches}
    flags = {m: reason for (src, force, m), reason in month_flags(warehouse).items()
             if src in kinds and (force is None or src != "police-uk" or force in forces)}
    cover: dict = {}
    for a, b in (("in_cur", "in_prev"), ("in_cp", "in_cpp")):
        if periods.get(a) is None:
            continue
        cover[a], cover[b] = coverage.like_for_like(periods[a], periods[b], loaded, flags)
    if aggregated:
        cover = {flag: (cov.with_aggregated(aggregated) if cov is not None else None)
                 for flag, cov in cover.items()}
    used = {flag: (None if cov is None or cov.complete else cov.used)
            for flag, cov in cover.items()}
    return cover, used, loaded


def today() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
