"""Benchmark: a synthetic national police.uk archive (issue #15).

The archive is ten years of one street file per force per month, as data.police.uk publishes
them, generated once into ``bench/out/national-<months>`` (git-ignored):

* every force of the shared data (``../shared/data/police-uk``, a few real months each): its
  real months cycled over the ten years, each row's month rewritten;
* the four forces the shared data lacks (Metropolitan Police, Greater Manchester, West
  Midlands, West Yorkshire): stand-ins re-placed from a similar force's real months into their
  own LSOAs, scaled to their residents (``standins``: the donors, the scaling and its sources).

Ten years come to 5,280 files and about 63 M rows. Each step is measured in a fresh process
where it is timed:

* ingest of the whole archive (one command, ``compact_small_files = 0`` so the warehouse is
  left as loaded: one file per table per month and force): time, peak memory, size;
* the automatic compaction ingest runs by default once a force's year holds 12 small files
  (``compaction.compact_due``), on a copy of that warehouse;
* one CSP's assessment (Southampton, the last full year) from the national warehouse, before
  and after compaction, and from a warehouse holding only its force (``--force hampshire`` of
  the same archive, left as loaded); goal: the national one within 2 x;
* all-CSP benchmarking: every CSP's rate and rank for every police.uk category for that year
  (``benchmark_data.from_warehouse_police_uk`` and ``rank``), before and after compaction;
  goal: at most 10 s;
* crime concentration over every LSOA in England and Wales for that year (Gini, generalized,
  above chance: ``stats.concentration``);
* the Spark cross-check, when PySpark and Java are installed: the benchmarking query, recorded
  from the engine's DuckDB connection and transpiled to Spark SQL by SQLGlot, runs on a local
  PySpark session over the same Parquet files; its counts must equal DuckDB's.

``SAFECITY_BENCH_NATIONAL_MONTHS`` (default 120) sets the archive's length: develop with 3.
``python bench/national.py`` runs it alone.
"""

from __future__ import annotations

import gzip
import json
import os
import re
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
    """The synthetic archive folder, generated once (a marker file says it is complete). Each
    file is written under a temporary name and renamed, so an interrupted generation resumes
    where it stopped."""
    folder = OUT / f"national-{MONTHS}"
    if (folder / ".complete").exists():
        return folder
    copy_real(folder)
    write_standins(folder)
    (folder / ".complete").write_text("")
    return folder


def _target(folder: Path, month: str, slug: str) -> Path:
    path = folder / month / f"{month}-{slug}-street.csv.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def copy_real(folder: Path) -> None:
    """Every force of the shared data: its real months cycled over the archive's months, each
    row's ``Month`` rewritten (the bytes of the file otherwise as published; gzip level 1)."""
    for force_dir in sorted(p for p in SHARED.iterdir() if p.is_dir()):
        sources = sorted(force_dir.glob("*-street.csv.gz"))
        if not sources:
            continue
        slug = sources[0].name[8:-len("-street.csv.gz")]
        texts: dict[Path, tuple[bytes, bytes]] = {}
        for i, month in enumerate(_months()):
            target = _target(folder, month, slug)
            if target.exists():
                continue
            src = sources[i % len(sources)]
            if src not in texts:
                texts[src] = _split(gzip.decompress(src.read_bytes()), src.name[:7])
            header, body = texts[src]
            _write_gz(target, header + _with_month(body, src.name[:7], month))


def _split(raw: bytes, month: str) -> tuple[bytes, bytes]:
    header, _, body = raw.partition(b"\n")
    return header + b"\n", body


def _with_month(body: bytes, old: str, new: str) -> bytes:
    """Every row's second field (``Month``; the first, ``Crime ID``, is a hex digest or empty)
    set to ``new``."""
    fast = body.replace(f",{old},".encode(), f",{new},".encode())
    if fast.count(f",{new},".encode()) == body.count(b"\n") + (not body.endswith(b"\n")):
        return fast
    return re.sub(rb"^([^,\n]*),\d{4}-\d{2},", rb"\1," + new.encode() + b",", body,
                  flags=re.M)


def _write_gz(target: Path, data: bytes) -> None:
    """Write under a temporary name and rename, so an interrupted generation resumes."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
    os.replace(tmp, target)


def write_standins(folder: Path, only: tuple[str, ...] = ()) -> None:
    """The forces the shared data lacks, re-placed from a similar force (``standins``);
    ``only``: just these (slugs), e.g. to write them in parallel processes."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import standins

    for standin in standins.missing(SHARED):
        if only and standin.slug not in only:
            continue
        for i, month in enumerate(_months()):
            target = _target(folder, month, standin.slug)
            if not target.exists():
                _write_gz(target, standins.month_csv(SHARED.parent, standin, month, i))


def _run(args: list[str], **env: str) -> tuple[float, str, float]:
    """(seconds, stdout, CPU seconds) of a command in a fresh process. CPU is user + system
    time of the process and all its threads: the steadier figure on a shared machine."""
    import resource

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu, start = children(), time.perf_counter()
    proc = subprocess.run(args, capture_output=True,
                          env={**os.environ, "SAFECITY_PROGRESS": "false", **env})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {proc.stderr.decode()[-800:]}")
    return seconds, proc.stdout.decode(), children() - cpu


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
import resource, sys, time
from pathlib import Path
from safecity.engine.compaction import compact_due
from safecity.engine.warehouse import Warehouse
t = time.perf_counter()
done = compact_due(Warehouse(Path(sys.argv[1])))
print(done.batches, done.groups, done.files_before, done.files_after, time.perf_counter() - t,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

_BENCHMARK = """
import sys, time
from pathlib import Path
from safecity.engine import benchmark_data as bd
from safecity.engine.warehouse import Warehouse
months = sys.argv[2].split(",")
t = time.perf_counter()
con = Warehouse(Path(sys.argv[1])).connect(months=months, sources=["police-uk"])
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


def _python(code: str, *args: str, **env: str) -> tuple[float, str, float]:
    """(seconds, the last line the code printed, CPU seconds)."""
    seconds, out, cpu = _run([sys.executable, "-c", code, *args], **env)
    return seconds, (out.strip().splitlines() or [""])[-1], cpu


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _assess(warehouse: Path, year: str, out: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of ``safecity assess`` for the CSP, no PDF."""
    seconds, _, cpu = _run([sys.executable, "-c", "import sys; from safecity.cli import main; "
                            "sys.exit(main(sys.argv[1:]))", "assess", "--period", year,
                            "--area", AREA, "--warehouse", str(warehouse), "--out", str(out),
                            "--no-pdf", "--partial"])
    return seconds, cpu


def spark_check(warehouse: Path, months: list[str]) -> str:
    """The benchmarking query on PySpark over the same Parquet files, compared with DuckDB."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "not run: PySpark is not installed (pip install pyspark; needs Java 17)"
    if shutil.which("java") is None:
        return "not run: Java is not installed"
    seconds, out, _ = _python(_SPARK, str(warehouse), ",".join(months))
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
query = next(q for q in recorded if "count(*) AS n" in q)  # the one query over every crime
want = {tuple(r[:4]): r[4] for r in con.execute(query).fetchall()}

spark = (SparkSession.builder.master("local[2]").appName("safecity-bench")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
         .config("spark.driver.memory", "2g").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.read.parquet(*[str(f) for f in wh.files("crimes")]).createOrReplaceTempView("crimes")
spark.createDataFrame(con.execute("SELECT * FROM bench_geo").df()).createOrReplaceTempView(
    "bench_geo")
got = {tuple(r[:4]): r[4] for r in spark.sql(
    sqlglot.transpile(query, read="duckdb", write="spark")[0]).collect()}
same = got == want and sum(want.values()) == sum(
    n for (csp, cat), n in table.counts.items() if cat != bd.ALL)
print(f"{'equal' if same else 'DIFFERENT'}: {len(got):,} CSP x force x month x category counts, "
      f"{sum(got.values()):,} crimes on Spark {spark.version} vs {sum(want.values()):,} on "
      "DuckDB")
spark.stop()
sys.exit(0 if same else 1)
"""


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _ingested(folder: Path, national: Path, single: Path, compacted: Path) -> dict:
    """Ingest the archive into the national and the single-force warehouses, then compact a
    copy of the national one (both are measured). The figures are kept beside the
    warehouses (``*-ingest.json``) so ``SAFECITY_BENCH_NATIONAL_REUSE=1`` re-measures the
    queries on the same warehouses without loading 70 M rows again (the table says so)."""
    record = national.parent / f"{national.name}-ingest.json"
    if os.environ.get("SAFECITY_BENCH_NATIONAL_REUSE") and record.exists():
        return {**json.loads(record.read_text()), "reused": True}
    for w in (national, single, compacted):
        shutil.rmtree(w, ignore_errors=True)
    record.unlink(missing_ok=True)
    got: dict = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                 "load_before": _load()}
    # Left as loaded (no automatic compaction): the compaction is measured on a copy below.
    _, out, cpu = _python(_INGEST, str(folder), str(national), SAFECITY_COMPACT_SMALL_FILES="0")
    read, stored, rejected, n_files, ingest_s, peak = out.split()
    got.update(read=int(read), stored=int(stored), rejected=int(rejected), files=int(n_files),
               ingest_s=float(ingest_s), ingest_cpu=cpu, peak=float(peak),
               load_after_ingest=_load())
    _, out, cpu = _python(_INGEST, str(folder), str(single), "hampshire",
                          SAFECITY_COMPACT_SMALL_FILES="0")
    got.update(single_s=float(out.split()[4]), single_cpu=cpu, single_rows=int(out.split()[1]))
    got.update(size=_size_mb(national),
               parquet=len(list((national / "data").rglob("*.parquet"))))
    shutil.copytree(national, compacted)
    _, out, cpu = _python(_COMPACT, str(compacted))
    _, _, files_before, files_after, compact_s, compact_peak = out.split()
    got.update(compact_s=float(compact_s), compact_cpu=cpu, files_before=int(files_before),
               compact_peak=float(compact_peak),
               files_after=int(files_after), compacted=_size_mb(compacted),
               finished=time.strftime("%H:%M UTC", time.gmtime()), load_after=_load())
    record.write_text(json.dumps(got))
    return got


def _year() -> list[str]:
    months = _months()
    return months[-12:] if len(months) >= 12 else months


def _period() -> str:
    return f"{_year()[0]}..{_year()[-1]}"


def _benchmark(warehouse: Path) -> tuple[float, float, list[str]]:
    """All-CSP benchmarking in a fresh process: (seconds from connecting to every rank, the
    process's CPU seconds, its figures)."""
    _, out, cpu = _python(_BENCHMARK, str(warehouse), ",".join(_year()))
    *figures, seconds = out.split()
    return float(seconds), cpu, figures


def main() -> list[dict]:
    folder = archive()
    files = sorted(folder.rglob("*-street.csv.gz"))
    national, single = OUT / "national-warehouse", OUT / "national-single-force"
    compacted = OUT / "national-compacted"
    got = _ingested(folder, national, single, compacted)
    period = _period()
    load = _load()
    assess_single = _assess(single, period, OUT / "assess-single")
    ua_s, ua_cpu = _assess(national, period, OUT / "assess-national")
    ca_s, ca_cpu = _assess(compacted, period, OUT / "assess-national")
    ub_s, ub_cpu, (n_csps, n_cats, n_ranks, n_ranked) = _benchmark(national)
    cb_s, cb_cpu, _ = _benchmark(compacted)
    _, out, _ = _python(_CONCENTRATION, str(compacted), ",".join(_year()))
    places, crimes, g, gg, eg, xg, conc_s = out.split()
    spark = spark_check(compacted, _year())
    forces = len({f.name[8:] for f in files})
    stand_ins = len({f.name[8:] for f in files} - {
        f"{p.name}-street.csv.gz" for p in SHARED.iterdir() if p.is_dir()})
    when = (f"archive loaded {got['started']} (1-minute load average {got['load_before']} "
            f"before, {got['load_after_ingest']} after; the machine's 2 cores are shared)")
    if got.get("reused"):
        when += (f"; the warehouses were kept from that run and the rows below re-measured on "
                 f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    single_s = assess_single[0]
    return [
        {"name": "national archive ingest", "value": round(got["ingest_s"], 1), "unit": "s",
         "baseline": f"{got['read']:,} rows in {got['files']:,} files",
         "target": "peak memory < 2048 MB",
         "notes": f"{got['read'] / got['ingest_s']:,.0f} rows/s; CPU {got['ingest_cpu']:,.0f} s; "
                  f"peak memory {got['peak']:,.0f} MB; stored {got['stored']:,}, rejected "
                  f"{got['rejected']:,}; {MONTHS} months x {forces} forces ({stand_ins} "
                  f"stand-ins); left as loaded (compact_small_files 0); {when}"},
        {"name": "national warehouse size", "value": round(got["size"]), "unit": "MB",
         "baseline": f"{sum(f.stat().st_size for f in files) / 2**20:,.0f} MB of gzipped CSV",
         "target": "", "notes": f"{got['parquet']:,} Parquet files (one per table per source "
                                "file)"},
        {"name": "national warehouse automatic compaction", "value": round(got["compact_s"], 1),
         "unit": "s", "baseline": f"{got['files_before']:,} table files",
         "target": "one file per table, force and year once 12 small files pile up",
         "notes": f"{got['files_after']:,} table files after, {got['compacted']:,.0f} MB; CPU "
                  f"{got['compact_cpu']:,.0f} s; peak memory {got.get('compact_peak', 0):,.0f} "
                  f"MB; what ingest runs after a load by default (compaction.compact_due), on a "
                  f"copy of the warehouse as loaded"},
        {"name": "one CSP's assessment, national warehouse as loaded", "value": round(ua_s, 1),
         "unit": "s", "baseline": f"{single_s:.1f} s from Hampshire's files only "
                                  f"({got['single_rows']:,} rows, as loaded)",
         "target": "<= 2 x the single-force time",
         "notes": f"{ua_s / single_s:.2f} x; CPU {ua_cpu:.1f} s vs {assess_single[1]:.1f} s; "
                  f"Southampton, {period}, no PDF (whole command: start-up, area, every "
                  f"section); compacted: {ca_s:.1f} s ({ca_s / single_s:.2f} x, CPU "
                  f"{ca_cpu:.1f} s); load average {load} as these rows started"},
        {"name": "all-CSP benchmarking, national warehouse as loaded", "value": round(ub_s, 2),
         "unit": "s",
         "baseline": f"{int(n_csps):,} CSPs x {int(n_cats)} categories = {int(n_ranks):,} "
                     f"rates, {int(n_ranked):,} ranked", "target": "<= 10 s",
         "notes": f"{period}; connect, aggregate every crime to its CSP, rate and rank each; "
                  f"process CPU {ub_cpu:.1f} s (imports included); compacted: {cb_s:.2f} s "
                  f"(process CPU {cb_cpu:.1f} s)"},
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
