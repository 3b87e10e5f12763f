"""Benchmark: a synthetic national police.uk archive (issue #15).

The shared real months (``../shared/data/police-uk``: every force's street files for a few
months) are replicated across ten years: each force gets one file per month, a copy of one of
its real months with the month rewritten, about 5,000 files and 70 M rows. They are generated
once into ``bench/out/national-<months>`` (git-ignored), then measured, each step in a fresh
process where it is timed:

* ingest of the whole archive (one command): time, peak memory, warehouse size;
* one CSP's assessment (Southampton, the last full year) from the national warehouse and from
  a warehouse holding only its force (``--force hampshire`` of the same archive); goal: the
  national one within 2 x;
* all-CSP benchmarking: every CSP's rate and rank for every police.uk category for that year
  (``benchmark_data.from_warehouse_police_uk`` and ``rank``); goal: at most 10 s;
* crime concentration over every LSOA in England and Wales for that year (Gini, generalized,
  above chance: ``stats.concentration``);
* the Spark cross-check, when PySpark and Java are installed: the benchmarking query, recorded
  from the engine's DuckDB connection and transpiled to Spark SQL by SQLGlot, runs on a local
  PySpark session over the same Parquet files; its counts must equal DuckDB's.

``SAFECITY_BENCH_NATIONAL_MONTHS`` (default 120) sets the archive's length: develop with 3.
``python bench/national.py`` runs it alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TITLE = "National scale"
MONTHS = int(os.environ.get("SAFECITY_BENCH_NATIONAL_MONTHS", 120))
SHARED = Path(os.environ.get("SAFECITY_SHARED", HERE.parents[1] / "shared")) / "data" / "police-uk"
FIRST_YEAR = 2015
AREA = "E22000120"  # Southampton CSP (Hampshire)


def _months() -> list[str]:
    return [f"{FIRST_YEAR + i // 12}-{i % 12 + 1:02d}" for i in range(MONTHS)]


def archive() -> Path:
    """The synthetic archive folder, generated once (a marker file says it is complete)."""
    import duckdb

    folder = OUT / f"national-{MONTHS}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    con = duckdb.connect(config={"memory_limit": "1GB"})
    con.execute("SET enable_progress_bar = false")
    for force_dir in sorted(p for p in SHARED.iterdir() if p.is_dir()):
        sources = sorted(force_dir.glob("*-street.csv.gz"))
        if not sources:
            continue
        slug = sources[0].name[8:-len("-street.csv.gz")]
        for i, month in enumerate(_months()):
            src = sources[i % len(sources)]
            target = folder / month / f"{month}-{slug}-street.csv.gz"
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute("COPY (SELECT * REPLACE (? AS \"Month\") FROM read_csv(?, all_varchar "
                        "= true, header = true)) TO ? (FORMAT csv, HEADER true, "
                        "COMPRESSION gzip)", [month, str(src), str(target)])
    (folder / ".complete").write_text("")
    return folder


def _run(args: list[str]) -> tuple[float, str]:
    """(seconds, stdout) of a command in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True,
                          env={**os.environ, "SAFECITY_PROGRESS": "false"})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {proc.stderr.decode()[-800:]}")
    return seconds, proc.stdout.decode()


_INGEST = """
import resource, sys, time
from pathlib import Path
from safecity.engine.ingest.run import ingest_paths
t = time.perf_counter()
r = ingest_paths([Path(sys.argv[1])], source="police-uk", warehouse=Path(sys.argv[2]),
                 forces=sys.argv[3:])
print(r.read, r.stored, r.rejected, len(r.files), time.perf_counter() - t,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

_COMPACT = """
import sys, time
from pathlib import Path
from safecity.engine.compaction import compact
from safecity.engine.warehouse import Warehouse
t = time.perf_counter()
done = compact(Warehouse(Path(sys.argv[1])))
print(done.batches, done.groups, done.files_before, done.files_after, time.perf_counter() - t)
"""

_BENCHMARK = """
import sys, time
from pathlib import Path
from safecity.engine import benchmark_data as bd
from safecity.engine.warehouse import Warehouse
months = sys.argv[2].split(",")
t = time.perf_counter()
con = Warehouse(Path(sys.argv[1])).connect()
table = bd.from_warehouse_police_uk(con, months, "year")
ranks = {(csp, cat): r for cat in table.categories for csp, r in bd.ranks(table, cat).items()}
seconds = time.perf_counter() - t
print(len(table.populations), len(table.categories), len(ranks),
      sum(1 for r in ranks.values() if r.rank is not None), seconds)
"""

_CONCENTRATION = """
import sys, time
from pathlib import Path
from safecity.engine.stats.concentration import concentration
from safecity.engine.warehouse import Warehouse
months = sys.argv[2].split(",")
t = time.perf_counter()
con = Warehouse(Path(sys.argv[1])).connect()
con.register("months", __import__("pyarrow").table({"m": months}))
counts = [n for (n,) in con.execute(
    "SELECT count(c.lsoa11_code) FROM (SELECT DISTINCT lsoa11_code FROM crimes "
    "WHERE lsoa11_code IS NOT NULL) l LEFT JOIN (SELECT lsoa11_code FROM crimes WHERE month IN "
    "(SELECT m FROM months)) c USING (lsoa11_code) GROUP BY l.lsoa11_code").fetchall()]
m = concentration(counts)
print(m.places, m.crimes, round(m.gini, 3), round(m.generalized_gini, 3),
      round(m.expected_gini, 3), round(m.excess_gini, 3), time.perf_counter() - t)
"""


def _python(code: str, *args: str) -> tuple[float, str]:
    """(seconds, the last line the code printed)."""
    seconds, out = _run([sys.executable, "-c", code, *args])
    return seconds, (out.strip().splitlines() or [""])[-1]


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _assess(warehouse: Path, year: str, out: Path) -> float:
    seconds, _ = _run([sys.executable, "-c", "import sys; from safecity.cli import main; "
                       "sys.exit(main(sys.argv[1:]))", "assess", "--period", year,
                          "--area", AREA, "--warehouse", str(warehouse), "--out", str(out),
                          "--no-pdf", "--partial"])
    return seconds


def spark_check(warehouse: Path, months: list[str]) -> str:
    """The benchmarking query on PySpark over the same Parquet files, compared with DuckDB."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "not run: PySpark is not installed (pip install pyspark; needs Java 17)"
    if shutil.which("java") is None:
        return "not run: Java is not installed"
    seconds, out = _python(_SPARK, str(warehouse), ",".join(months))
    return out + f" ({seconds:.1f} s with Spark start-up)"


_SPARK = """
import sys
from pathlib import Path
import sqlglot
from pyspark.sql import SparkSession
from safecity.engine import benchmark_data as bd
from safecity.engine.warehouse import Warehouse

wh = Warehouse(Path(sys.argv[1]))
months = sys.argv[2].split(",")
recorded = []
con = wh.connect()
class Recording:
    def __init__(self, con): self.con = con
    def execute(self, sql, *a):
        recorded.append(sql)
        return self.con.execute(sql, *a)
    def __getattr__(self, name): return getattr(self.con, name)
table = bd.from_warehouse_police_uk(Recording(con), months, "year")
create = next(q for q in recorded if "bench_rows AS" in q)
select = sqlglot.parse_one(create, read="duckdb").expression  # the SELECT of CREATE … AS
count = next(q for q in recorded if q.startswith("SELECT csp_code, category, count(*)"))

spark = (SparkSession.builder.master("local[2]").appName("safecity-bench")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.read.parquet(*[str(f) for f in wh.files("crimes")]).createOrReplaceTempView("crimes")
for name in ("bench_lsoa", "bench_geo"):
    spark.createDataFrame(con.execute(f"SELECT * FROM {name}").df()).createOrReplaceTempView(name)
spark.sql(select.sql(dialect="spark")).createOrReplaceTempView("bench_rows")
got = {(csp, cat): n for csp, cat, n in spark.sql(
    sqlglot.transpile(count, read="duckdb", write="spark")[0]).collect()}
want = {k: v for k, v in table.counts.items() if k[1] != bd.ALL}
same = got == want
print(f"{'equal' if same else 'DIFFERENT'}: {len(got):,} CSP x category counts, "
      f"{sum(got.values()):,} crimes on Spark {spark.version} vs {sum(want.values()):,} on DuckDB")
spark.stop()
sys.exit(0 if same else 1)
"""


def main() -> list[dict]:
    folder = archive()
    files = sorted(folder.rglob("*-street.csv.gz"))
    months = _months()
    year = months[-12:] if len(months) >= 12 else months
    period = f"{year[0]}..{year[-1]}"
    national, single = OUT / "national-warehouse", OUT / "national-single-force"
    for w in (national, single):
        shutil.rmtree(w, ignore_errors=True)
    load = os.getloadavg()[0]
    _, out = _python(_INGEST, str(folder), str(national))
    read, stored, rejected, n_files, ingest_s, peak = out.split()
    _python(_INGEST, str(folder), str(single), "hampshire")
    size = _size_mb(national)
    parquet = len(list((national / "data").rglob("*.parquet")))
    _, out = _python(_COMPACT, str(national))
    _, _, files_before, files_after, compact_s = out.split()
    compacted = _size_mb(national)
    assess_national = _assess(national, period, OUT / "assess-national")
    assess_single = _assess(single, period, OUT / "assess-single")
    _, out = _python(_BENCHMARK, str(national), ",".join(year))
    n_csps, n_cats, n_ranks, n_ranked, bench_s = out.split()
    _, out = _python(_CONCENTRATION, str(national), ",".join(year))
    places, crimes, g, gg, eg, xg, conc_s = out.split()
    spark = spark_check(national, year)
    notes = f"{MONTHS} months x {len({f.name[8:] for f in files})} forces; load average {load:.1f}"
    return [
        {"name": "national archive ingest", "value": round(float(ingest_s), 1), "unit": "s",
         "baseline": f"{int(read):,} rows in {int(n_files):,} files",
         "target": "peak memory < 2048 MB",
         "notes": f"{int(read) / float(ingest_s):,.0f} rows/s; peak memory {float(peak):,.0f} MB; "
                  f"stored {int(stored):,}, rejected {int(rejected):,}; {notes}"},
        {"name": "national warehouse size", "value": round(size), "unit": "MB",
         "baseline": f"{sum(f.stat().st_size for f in files) / 2**20:,.0f} MB of gzipped CSV",
         "target": "", "notes": f"{parquet:,} Parquet files (one per table per source file)"},
        {"name": "national warehouse compaction", "value": round(float(compact_s), 1),
         "unit": "s", "baseline": f"{int(files_before):,} table files",
         "target": "one file per table, force and year",
         "notes": f"{int(files_after):,} table files after, {compacted:,.0f} MB; the "
                  "assessment, benchmarking and Spark rows below read the compacted warehouse"},
        {"name": "one CSP's assessment, national warehouse", "value": round(assess_national, 1),
         "unit": "s", "baseline": f"{assess_single:.1f} s from Hampshire's files only",
         "target": "<= 2 x the single-force time",
         "notes": f"{assess_national / assess_single:.2f} x; Southampton, {period}, no PDF "
                  "(whole command: start-up, area, every section)"},
        {"name": "all-CSP benchmarking", "value": round(float(bench_s), 2), "unit": "s",
         "baseline": f"{int(n_csps):,} CSPs x {int(n_cats)} categories = {int(n_ranks):,} "
                     f"rates, {int(n_ranked):,} ranked", "target": "<= 10 s",
         "notes": f"{period}; connect, aggregate every crime to its CSP, rate and rank each"},
        {"name": "crime concentration over LSOAs", "value": float(g), "unit": "Gini",
         "baseline": f"{int(places):,} LSOAs, {int(crimes):,} crimes", "target": "",
         "notes": f"generalized {gg}, expected if random {eg}, above random {xg}; "
                  f"{float(conc_s):.1f} s"},
        {"name": "Spark cross-check of all-CSP benchmarking", "value": "", "unit": "",
         "baseline": "", "target": "equal counts", "notes": spark},
    ]


if __name__ == "__main__":
    for row in main():
        print(row)
