"""Benchmark: ingest of a >= 5-million-row data.police.uk-format file, beside DuckDB's read_csv.

Both runs read the same file, each in a fresh subprocess so peak memory (ru_maxrss) and CPU time
(user + system, every thread) are its own:

* baseline: DuckDB ``CREATE TABLE raw AS SELECT * FROM read_csv(file)`` (sniffed types, every
  column materialised in memory) with DuckDB's default thread count, the same as the ingest's
  own DuckDB connection uses: DuckDB's own CSV load, nothing more;
* safecity: ``ingest_paths([file], source="police-uk")`` into an empty warehouse: read, validate,
  deduplicate, project to BNG, write contract Parquet (the full contract schema: grid reference
  and the columns police.uk never fills) and the rejects file, commit the manifest.

Targets: safecity's rows/s >= 0.5 x DuckDB's, and peak RSS <= 2 GB.

Many files: every monthly street file under ``../shared/data/police-uk`` (238 gzipped CSVs of
all forces, 2.0 M rows) ingested in one command into an empty warehouse, beside DuckDB's
``CREATE TABLE raw AS SELECT * FROM read_csv([files], union_by_name = true)`` over the same
list. Target: >= 0.6 x DuckDB's rows/s, peak RSS < 2 GB (issue #15).

The file is synthetic but shaped like the real ones (64-hex Crime IDs, ~10 % ASB rows with blank
IDs, ~1 % rows with no location, an exact duplicate every 5,000 rows, real 2011 LSOA codes).
It is generated once into ``bench/out/`` (git-ignored). ``python bench/ingest.py`` runs it alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROWS = int(os.environ.get("SAFECITY_BENCH_ROWS", 5_000_000))
ROUNDS = int(os.environ.get("SAFECITY_BENCH_ROUNDS", 3))
TITLE = "Ingest"
HEADER = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
_TYPES = ("Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
          "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
          "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
          "Violence and sexual offences")
_OUTCOMES = ("Investigation complete; no suspect identified", "Under investigation",
             "Unable to prosecute suspect", "Status update unavailable",
             "Offender given a caution", "Awaiting court outcome")


def _sql_list(values) -> str:
    from safecity.engine.sql import literal_list

    return "[" + literal_list(values) + "]"


def write_street_file(path: Path, rows: int, first: int = 0) -> Path:
    """Write a deterministic police.uk street-format CSV of ``rows`` data rows (DuckDB, streaming);
    ``first`` starts the row numbering elsewhere, for files of different content."""
    import duckdb

    from safecity.engine import geo

    codes = sorted(c for c, c11 in geo.lsoa11_mapping().items() if c == c11)[:2000]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect(config={"memory_limit": "1GB"})
    con.execute("SET enable_progress_bar = false")
    # j: the row a line copies (every 5,000th line repeats the one before exactly);
    # h: a deterministic pseudo-random number per j, so copies are identical.
    con.execute(f"""
        COPY (
          SELECT
            CASE WHEN h % 10 = 0 THEN '' ELSE md5(j::VARCHAR) || md5((j * 7919)::VARCHAR) END
              AS "Crime ID",
            strftime(DATE '2015-01-01' + to_months(CAST(j % 60 AS INTEGER)), '%Y-%m') AS "Month",
            'Hampshire Constabulary' AS "Reported by",
            'Hampshire Constabulary' AS "Falls within",
            CASE WHEN h % 100 = 1 THEN '' ELSE printf('%.6f', -1.6 + (h % 100000) / 166666.0) END
              AS "Longitude",
            CASE WHEN h % 100 = 1 THEN '' ELSE printf('%.6f', 50.7 + (h % 99991) / 249977.5) END
              AS "Latitude",
            CASE WHEN h % 100 = 1 THEN 'No Location'
                 ELSE 'On or near Street ' || (h % 9973)::VARCHAR END AS "Location",
            CASE WHEN h % 100 = 1 THEN ''
                 ELSE list_element({_sql_list(codes)}, CAST(h % {len(codes)} AS INTEGER) + 1)
            END AS "LSOA code",
            CASE WHEN h % 100 = 1 THEN '' ELSE 'Somewhere ' || (h % 2000)::VARCHAR END
              AS "LSOA name",
            CASE WHEN h % 10 = 0 THEN 'Anti-social behaviour'
                 ELSE list_element({_sql_list(_TYPES[1:])}, CAST(h % 13 AS INTEGER) + 1) END
              AS "Crime type",
            CASE WHEN h % 10 = 0 THEN ''
                 ELSE list_element({_sql_list(_OUTCOMES)}, CAST(h % 6 AS INTEGER) + 1) END
              AS "Last outcome category",
            '' AS "Context"
          FROM (SELECT j, hash(j) AS h FROM (
                  SELECT CASE WHEN i % 5000 = 4999 THEN i - 1 ELSE i END AS j
                  FROM range({int(first)}, {int(first) + int(rows)}) t(i)))
        ) TO '{tmp}' (FORMAT csv, HEADER true)
    """)
    con.close()
    os.replace(tmp, path)
    return path


def bench_file(rows: int = ROWS) -> Path:
    path = OUT / f"police-uk-{rows}.csv"
    if not path.exists():
        write_street_file(path, rows)
    return path


_DUCKDB = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [sys.argv[1]])
print(*con.execute("SELECT count(*), current_setting('threads') FROM raw").fetchall()[0])
"""
_DUCKDB_MANY = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?, union_by_name = true)",
            [sys.argv[1:]])
print(*con.execute("SELECT count(*), current_setting('threads') FROM raw").fetchall()[0])
"""
_SAFECITY = """
import sys
from pathlib import Path
from safecity.engine.ingest.run import ingest_paths
report = ingest_paths([Path(sys.argv[1])], source="police-uk", warehouse=Path(sys.argv[2]))
print(report.read, report.stored, report.rejected)
"""


def _measure(code: str, *args: str) -> tuple[float, float, str, float]:
    """(seconds, peak RSS in MB, last line of stdout, CPU seconds) of ``code`` run in a fresh
    Python process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            env={**os.environ, "SAFECITY_PROGRESS": "false"})
    out = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed with exit code {proc.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, out.strip().splitlines()[-1], cpu  # ru_maxrss: KiB


#: The shared real months (``make bench`` runs from the checkout; the shared folder sits beside it).
SHARED = Path(os.environ.get("SAFECITY_SHARED", HERE.parents[1] / "shared")) / "data" / "police-uk"


def many_files() -> list[dict]:
    """The shared monthly files, one command, beside DuckDB reading the same list."""
    import shutil

    files = sorted(str(p) for p in SHARED.rglob("*-street.csv.gz"))
    if not files:
        return [{"name": "police.uk many-file ingest rate", "value": "not run", "unit": "",
                 "baseline": "", "target": ">= 0.6 x DuckDB",
                 "notes": f"no street files under {SHARED}"}]
    warehouse = OUT / "warehouse-many"
    duck_runs, ours_runs = [], []
    load_before = os.getloadavg()[0]
    for _ in range(ROUNDS):
        duck_runs.append(_measure(_DUCKDB_MANY, *files))
        shutil.rmtree(warehouse, ignore_errors=True)
        ours_runs.append(_measure(_SAFECITY, str(SHARED), str(warehouse)))
        shutil.rmtree(warehouse, ignore_errors=True)
    load_after = os.getloadavg()[0]
    rows = int(duck_runs[0][2].split()[0])
    read, stored, rejected = (int(x) for x in ours_runs[0][2].split())
    assert read == rows, f"safecity read {read} rows, DuckDB {rows}"
    duck_s, ours_s = min(r[0] for r in duck_runs), min(r[0] for r in ours_runs)
    duck_cpu, ours_cpu = min(r[3] for r in duck_runs), min(r[3] for r in ours_runs)
    ratio = duck_s / ours_s
    size_mb = sum(Path(f).stat().st_size for f in files) / 2**20
    notes = (f"{len(files)} files, {rows:,} rows, {size_mb:,.0f} MB gzipped; stored {stored:,}, "
             f"rejected {rejected:,}; best of {ROUNDS} interleaved runs (all: safecity "
             f"{', '.join(f'{r[0]:.1f}' for r in ours_runs)} s; DuckDB "
             f"{', '.join(f'{r[0]:.1f}' for r in duck_runs)} s); CPU safecity {ours_cpu:.1f} s, "
             f"DuckDB {duck_cpu:.1f} s; 1-minute load average {load_before:.1f} before, "
             f"{load_after:.1f} after")
    return [
        {"name": "police.uk many-file ingest rate", "value": round(rows / ours_s),
         "unit": "rows/s", "baseline": f"{rows / duck_s:,.0f} rows/s (DuckDB read_csv of the "
                                        "same files, union_by_name)",
         "target": ">= 0.6 x DuckDB",
         "notes": f"{ratio:.2f} x DuckDB; {ours_s:.1f} s vs {duck_s:.1f} s; {notes}"},
        {"name": "police.uk many-file ingest peak memory",
         "value": round(max(r[1] for r in ours_runs)), "unit": "MB",
         "baseline": f"{max(r[1] for r in duck_runs):,.0f} MB (DuckDB read_csv)",
         "target": "< 2048 MB", "notes": "peak RSS (ru_maxrss) of the whole ingest process"},
    ]


def main() -> list[dict]:
    import shutil

    path = bench_file()
    size_mb = path.stat().st_size / 2**20
    warehouse = OUT / "warehouse"
    duck_runs, ours_runs = [], []
    load_before = os.getloadavg()[0]
    # Interleaved rounds, best time of each: the machine may be shared, and interleaving gives
    # both sides the same conditions. Peak memory is the largest seen.
    for _ in range(ROUNDS):
        duck_runs.append(_measure(_DUCKDB, str(path)))
        shutil.rmtree(warehouse, ignore_errors=True)
        ours_runs.append(_measure(_SAFECITY, str(path), str(warehouse)))
        shutil.rmtree(warehouse, ignore_errors=True)
    load_after = os.getloadavg()[0]
    rows, threads = (int(x) for x in duck_runs[0][2].split())
    read, stored, rejected = (int(x) for x in ours_runs[0][2].split())
    assert read == rows, f"safecity read {read} rows, DuckDB {rows}"
    duck_s, ours_s = min(r[0] for r in duck_runs), min(r[0] for r in ours_runs)
    duck_mb, ours_mb = max(r[1] for r in duck_runs), max(r[1] for r in ours_runs)
    ours_rate, duck_rate = rows / ours_s, rows / duck_s
    ratio = ours_rate / duck_rate
    duck_cpu, ours_cpu = min(r[3] for r in duck_runs), min(r[3] for r in ours_runs)
    notes = (f"{rows:,} rows, {size_mb:,.0f} MB CSV; stored {stored:,}, rejected {rejected:,}; "
             f"best of {ROUNDS} interleaved runs (all: safecity "
             f"{', '.join(f'{r[0]:.1f}' for r in ours_runs)} s; DuckDB "
             f"{', '.join(f'{r[0]:.1f}' for r in duck_runs)} s); CPU (user + system, best) "
             f"safecity {ours_cpu:.1f} s, DuckDB {duck_cpu:.1f} s ({ours_cpu / duck_cpu:.1f} x; "
             f"all: safecity {', '.join(f'{r[3]:.1f}' for r in ours_runs)} s, DuckDB "
             f"{', '.join(f'{r[3]:.1f}' for r in duck_runs)} s); "
             f"DuckDB threads {threads} in both; 1-minute load average {load_before:.1f} "
             f"before, {load_after:.1f} after (the machine is shared)")
    return [
        {"name": "police.uk ingest rate", "value": round(ours_rate), "unit": "rows/s",
         "baseline": f"{duck_rate:,.0f} rows/s (DuckDB read_csv into a table)",
         "target": ">= 0.5 x DuckDB",
         "notes": f"{ratio:.2f} x DuckDB; {ours_s:.1f} s vs {duck_s:.1f} s; {notes}"},
        {"name": "police.uk ingest peak memory", "value": round(ours_mb), "unit": "MB",
         "baseline": f"{duck_mb:,.0f} MB (DuckDB read_csv)", "target": "<= 2048 MB",
         "notes": "peak RSS (ru_maxrss) of the whole ingest process"},
    ] + many_files()


if __name__ == "__main__":
    for row in main():
        print(row)
