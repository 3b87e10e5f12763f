"""The engine's warehouse SQL is portable: every query the engine runs on the warehouse
transpiles with SQLGlot from DuckDB to Spark SQL.

Two warehouses, between them every source and every reader:

* open data: real police.uk months, an annual and a monthly assessment (all-CSP benchmarking
  included), queries recorded on the connection ``Warehouse.connect`` returns;
* the demo partnership: the police record-level extract (crimes, victims, suspects), ASB, hate
  reports, youth justice, referrals and its geography, through the annual assessment with a
  custom period, the monthly pack, the scorecard indicators, ``warehouse status``, a subject
  access search, a retention purge (the monthly counts it keeps) and the assessment and pack
  after it. Here every DuckDB connection the engine opens once the data is loaded is recorded
  (``duckdb.connect`` itself), so the governance code reading warehouse files on its own
  connections is covered too.

The queries are collected by instrumenting the connections, not listed by hand, so a new
query is checked the day it is written. A statement SQLGlot can only keep as an opaque command
(it did not understand it) counts as a failure too. Loading (``ingest``) is not recorded: it
reads the suppliers' CSV files into DuckDB's own staging tables before anything is in the
warehouse.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from safecity.cli import main
from safecity.engine import warehouse as warehouse_module
from safecity.engine.ingest.run import ingest_paths

MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")


class RecordingConnection:
    """A DuckDB connection that remembers the SQL text of every query run through it."""

    def __init__(self, con, record: list[str]) -> None:
        self._con = con
        self._record = record

    def execute(self, sql, *args, **kwargs):
        self._record.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._record.append(sql)
        return self._con.sql(sql, *args, **kwargs)

    query = sql

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._con.close()


def not_transpiled(queries: list[str]) -> list[str]:
    """Each distinct query that SQLGlot cannot read as DuckDB or write as Spark SQL, with why."""
    failures = []
    for sql in dict.fromkeys(queries):  # each distinct text once
        try:
            parsed = sqlglot.parse(sql, read="duckdb", error_level=ErrorLevel.RAISE)
            if any(isinstance(node, exp.Command) for node in parsed):
                raise ValueError("SQLGlot could not parse it (kept as an opaque command)")
            sqlglot.transpile(sql, read="duckdb", write="spark",
                              unsupported_level=ErrorLevel.RAISE, error_level=ErrorLevel.RAISE)
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its query
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}\n"
                            f"    {sql[:300]}")
    return failures


# -- open data ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def queries(tmp_path_factory, shared_data) -> list[str]:
    home = tmp_path_factory.mktemp("portable-sql")
    files = [shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz"
             for m in MONTHS]
    record: list[str] = []
    connect = warehouse_module.Warehouse.connect
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    mp.setattr(warehouse_module.Warehouse, "connect",
               lambda self, **kw: RecordingConnection(connect(self, **kw), record))
    try:
        ingest_paths(files, source="police-uk", warehouse=home / "warehouse")
        # No comparison year is loaded: --partial compares like for like (engine/coverage.py).
        assert main(["assess", "--period", "2018-10..2019-02", "--out", str(home / "annual"),
                     "--no-pdf", "--partial"]) == 0
        assert main(["assess", "--month", "2019-02", "--out", str(home / "monthly"),
                     "--no-pdf", "--partial"]) == 0
    finally:
        mp.undo()
    return record


def test_the_assessment_ran_its_queries_through_the_instrumented_connection(queries):
    assert len(queries) > 20
    assert any("bench_geo" in q for q in queries)  # all-CSP benchmarking
    assert any("FROM crimes" in q or "FROM c " in q for q in queries)


def test_every_warehouse_query_transpiles_to_spark_sql(queries):
    failures = not_transpiled(queries)
    assert not failures, "queries that do not transpile to Spark SQL:\n" + "\n".join(failures)


# -- the demo partnership: every source, governance ----------------------------------------------
@pytest.fixture(scope="module")
def demo_queries(tmp_path_factory) -> list[str]:
    from safecity.engine import indicators, periods
    from safecity.engine.governance.purge import plan_purge, purge
    from safecity.engine.governance.subjects import find_subject
    from safecity.engine.warehouse import Warehouse

    home = tmp_path_factory.mktemp("portable-sql-demo")
    record: list[str] = []
    real_connect = duckdb.connect
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        wh = Warehouse(home / "warehouse")
        # From here on, every connection the engine opens records its queries, except the
        # views ``Warehouse.connect`` lays over the files (another engine has its own catalog:
        # Spark reads the same files with ``spark.read.parquet``, as bench/national.py does).
        laying_views = []
        connect = warehouse_module.Warehouse.connect

        def recording_connect(*args, **kwargs):
            con = real_connect(*args, **kwargs)
            return con if laying_views else RecordingConnection(con, record)

        def warehouse_connect(self, **kwargs):
            laying_views.append(True)
            try:
                con = connect(self, **kwargs)
            finally:
                laying_views.pop()
            return RecordingConnection(con, record)

        mp.setattr(duckdb, "connect", recording_connect)
        mp.setattr(warehouse_module.Warehouse, "connect", warehouse_connect)
        assert main(["assess", "--year", "2019/20", "--custom-period",
                     "2020-09-30..2020-11-30", "--out", str(home / "annual"), "--no-pdf"]) == 0
        assert main(["assess", "--month", "2020-03", "--out", str(home / "monthly"),
                     "--no-pdf"]) == 0
        indicators.compute_all(list(indicators.METRICS), wh, periods.financial_year("2019/20"))
        assert main(["warehouse", "status"]) == 0
        with real_connect() as con:  # a victim's key, to search as a subject access request
            key = con.execute("SELECT person_key FROM read_parquet(?) LIMIT 1",
                              [[str(f) for f in wh.files("victims")]]).fetchone()[0]
        assert find_subject(wh, key).rows > 0
        # Ten years' retention from January 2029: the demo's months before 2019 go, and their
        # monthly counts are kept.
        later = dt.date(2029, 1, 1)
        assert plan_purge(wh, today=later).items
        assert purge(wh, today=later).record is not None
        assert main(["assess", "--year", "2019/20", "--out", str(home / "after"), "--no-pdf",
                     "--partial"]) == 0
        assert main(["assess", "--month", "2020-03", "--out", str(home / "monthly-after"),
                     "--no-pdf", "--partial"]) == 0
    finally:
        mp.undo()
    return record


def test_the_demo_ran_queries_over_every_source_and_the_governance_code(demo_queries):
    text = "\n".join(demo_queries)
    for table in ("crimes", "victims", "suspects", "asb_incidents", "hate_reports",
                  "youth_justice", "referrals", "geography"):
        assert f"FROM {table}" in text or f"JOIN {table}" in text, table
    assert "read_parquet" in text  # governance reads warehouse files on its own connections


def test_every_demo_warehouse_query_transpiles_to_spark_sql(demo_queries):
    failures = not_transpiled(demo_queries)
    assert not failures, "queries that do not transpile to Spark SQL:\n" + "\n".join(failures)
