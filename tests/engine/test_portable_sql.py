"""The engine's warehouse SQL is portable: every query an open-data assessment (annual and
monthly) runs on the warehouse connection transpiles with SQLGlot from DuckDB to Spark SQL.

The queries are collected by instrumenting the connection ``Warehouse.connect`` returns, not
listed by hand, so a new query is checked the day it is written. A statement SQLGlot can only
keep as an opaque command (it did not understand it) counts as a failure too."""

from __future__ import annotations

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
    assert any("bench_rows" in q for q in queries)  # all-CSP benchmarking
    assert any("FROM crimes" in q or "FROM c " in q for q in queries)


def test_every_warehouse_query_transpiles_to_spark_sql(queries):
    failures = []
    for sql in dict.fromkeys(queries):  # each distinct text once
        try:
            parsed = sqlglot.parse(sql, read="duckdb", error_level=ErrorLevel.RAISE)
            if any(isinstance(node, exp.Command) for node in parsed):
                raise ValueError("SQLGlot could not parse it (kept as an opaque command)")
            sqlglot.transpile(sql, read="duckdb", write="spark",
                              unsupported_level=ErrorLevel.RAISE, error_level=ErrorLevel.RAISE)
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its query
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}\n    {sql[:300]}")
    assert not failures, "queries that do not transpile to Spark SQL:\n" + "\n".join(failures)
