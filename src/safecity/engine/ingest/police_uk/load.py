"""The police.uk pipeline and adapter: CSV → staging table → SQL checks → contract Parquet.

Reading, checking and counting run in DuckDB; the Parquet files are written by pyarrow from
Arrow batches DuckDB streams out of the stage. Longitude and latitude are stored as published,
with the British National Grid reference projected from them at ingest (numpy,
``bng_sql.to_bng``), so every file carries the contract's full schema. Steps 1 and 2 live in
``stage``, step 3 in ``write``; this module runs them, and the adapter (``PoliceUkAdapter``)
finds the inputs with ``files``.

Many files load as one: the files of a command that share a header go through the pipeline
together (up to ``CHUNK_BYTES`` of CSV at a time), so a folder of hundreds of monthly files pays
the connection, the type set-up and each query's planning once per chunk instead of once per
file, and DuckDB reads the files in parallel. Every row carries its file's place (``fi``);
line numbers, duplicates, counts and notes are per file, and each file is still its own batch
with its own Parquet files and rejects file (one stream of rows per table, ordered by file).

1. ``read_csv`` reads every column as text with explicit names; structurally broken lines (too
   few or too many fields, bad quoting, bad UTF-8) go to DuckDB's reject table with their line.
   In the same pass each row is parsed and checked (a reason to reject it, or none) into the
   in-memory table ``checked``; a row's place there (rowid, insertion order preserved) plus the
   broken lines before it gives its line number (header = line 1).
2. Duplicates (an earlier row of the same file with its Crime ID and every kept field) and
   other repeated Crime IDs: a window over only the rows whose ID occurs more than once.
3. Crimes and ASB incidents are selected from ``checked`` and streamed to pyarrow's Parquet
   writer (grid reference and the columns police.uk never fills added per batch), the rejects
   CSV is written by DuckDB, all through the transaction's paths; nothing is visible until the
   manifest is replaced.

Where the time goes, and why the stage looks as it does (5M rows, see docs/benchmarks.md):
the CSV parse and the Parquet encoding dominate, so the stage keeps values in the form the
Parquet writer handles fastest. Month, category and LSOA are DuckDB ENUMs (the allowed values are
known): the cast validates them, they take one or two bytes a row instead of a string, and an
ENUM reaches the writer as an Arrow dictionary array, written as a dictionary-encoded string
column without hashing every value.
The constant columns (source, batch) are one-value ENUMs for the same reason. Text is trimmed
only where it has a leading or trailing space (trim copies every string). Raw values are kept in
one list column, for rejected rows only.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ...errors import SourceError
from ...sql import literal
from ...warehouse import Batch, BatchTable, Transaction, new_batch_id
from .. import anomalies
from ..base import InputFile, LoadContext
from .files import (KIND, expand, force_from_name, is_gzip, map_header, materialise,
                    read_header, slug)
from .stage import ASB, connect, find_duplicates, rows_view, stage
from .write import name_files, register_points, write_rejects, write_table

#: CSV bytes (uncompressed, estimated for gzip) staged together: about 2.5M rows, which keeps
#: DuckDB within its memory limit while a chunk's fixed costs stay small beside its rows.
CHUNK_BYTES = 400 * 2**20
#: A gzipped police.uk file is about this many times smaller than the CSV in it.
GZIP_RATIO = 5


@dataclass(frozen=True)
class FileResult:
    read: int
    stored: int
    rejected: int
    months: list[str]
    tables: dict[str, BatchTable]
    rejects_file: str | None
    notes: tuple[str, ...]
    force: str | None
    #: rows per month and category key (``anomalies.profile_of``), counted from the stage
    profile: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One file ready for the stage: the path DuckDB reads, its header and column positions,
    its batch and the prefix of its line references (``<file name>#<line>``)."""

    item: InputFile
    path: Path
    header: tuple[str, ...]
    columns: dict[str, int]
    gzip: bool
    batch_id: str
    ref_prefix: str

    @property
    def display(self) -> str:
        return self.item.name

    @property
    def csv_bytes(self) -> int:
        size = self.item.size or self.path.stat().st_size
        return size * GZIP_RATIO if self.gzip else size


def prepare(item: InputFile, staging: Path) -> Source:
    """Materialise a zip member, read and check the header: a SourceError here names the file."""
    source = materialise(item, staging)
    header = read_header(source, item.name)
    columns = map_header(header, item.name)
    base_name = Path(item.member or item.path.name).name
    if base_name.lower().endswith(".gz"):
        base_name = base_name[:-3]
    return Source(item=item, path=source, header=tuple(header), columns=columns,
                  gzip=is_gzip(source), batch_id=new_batch_id(), ref_prefix=base_name)


def chunks(sources: Iterable[Source], limit: int = CHUNK_BYTES) -> Iterator[list[Source]]:
    """Consecutive runs of files with one header and compression, each up to ``limit`` CSV
    bytes (a bigger file is a chunk of its own). Lazy: a zip member is copied out only when
    the chunk before it has been loaded."""
    chunk: list[Source] = []
    size = 0
    for src in sources:
        if chunk and ((chunk[-1].header, chunk[-1].gzip) != (src.header, src.gzip)
                      or size + src.csv_bytes > limit):
            yield chunk
            chunk, size = [], 0
        chunk.append(src)
        size += src.csv_bytes
    if chunk:
        yield chunk


def load_files(sources: list[Source], *, tx: Transaction, staging: Path) -> list[FileResult]:
    """Run the pipeline over files sharing one header: one result per file, in order. A file
    DuckDB cannot read is found by reading the files one by one, so the error names it."""
    first = sources[0]
    con = connect(staging)
    try:
        try:
            stage(con, [s.path for s in sources], first.display, list(first.header),
                  first.columns, first.gzip)
        except SourceError:
            if len(sources) == 1:
                raise
            con.close()
            for src in sources:  # raises the SourceError of the first unreadable file
                check = connect(staging)
                try:
                    stage(check, [src.path], src.display, list(src.header), src.columns,
                          src.gzip)
                finally:
                    check.close()
            raise
        return _load(con, sources, tx=tx, staging=staging)
    finally:
        con.close()


def load_file(*, source: Path, display: str, ref_prefix: str, header: list[str],
              columns: dict[str, int], tx: Transaction, batch_id: str, staging: Path,
              gzip_compressed: bool) -> FileResult:
    """The pipeline over one file (``load_files`` with one source)."""
    item = InputFile(path=source, name=display, size=source.stat().st_size)
    src = Source(item=item, path=source, header=tuple(header), columns=columns,
                 gzip=gzip_compressed, batch_id=batch_id, ref_prefix=ref_prefix)
    return load_files([src], tx=tx, staging=staging)[0]


_COUNTS = f"""SELECT fi, count(*),
    count(*) FILTER (crime_type = {literal(ASB)}),
    count(*) FILTER (lon IS NULL AND east IS NULL AND lsoa IS NULL AND other[1] IS NULL),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NULL AND (lon IS NOT NULL OR east IS NOT NULL)),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NOT NULL),
    count(*) FILTER (crime_id IS NULL AND crime_type <> {literal(ASB)}),
    count(*) FILTER (force IS NULL AND other[2] IS NOT NULL),
    count(*) FILTER (other[3] IS NOT NULL),
    histogram(force), histogram(other[2]) FILTER (force IS NULL), list(DISTINCT month)"""
_N_COUNTS = 8


def _per_file(rows, n: int) -> list[list]:
    """Rows of (fi, value…) as one list of values per file (zeros and empty maps for a file
    with no rows)."""
    out = [[0] * _N_COUNTS + [{}, {}, []] for _ in range(n)]
    for fi, *values in rows:
        out[fi] = [v if v is not None else ({} if i in (8, 9) else [] if i == 10 else 0)
                   for i, v in enumerate(values)]
    return out


def _load(con, sources: list[Source], *, tx: Transaction, staging: Path) -> list[FileResult]:
    n = len(sources)
    columns = sources[0].columns
    broken = rows_view(con, columns)
    n_dups = find_duplicates(con)
    exact_by: dict[int, int] = {}
    dup_id_by: dict[int, int] = {}
    if n_dups:
        for fi, n_exact, n_dup_id in con.execute(
                "SELECT fi, count(*) FILTER (exact), count(*) FILTER (duplicate_id) FROM dups "
                "GROUP BY fi").fetchall():
            exact_by[fi], dup_id_by[fi] = n_exact, n_dup_id
    # The counts over valid rows, less those over exact repeats (rejected, but valid in
    # ``checked``): two cheap scans instead of joining every row to ``dups``.
    totals = {fi: (total, bad) for fi, total, bad in con.execute(
        "SELECT fi, count(*), count(*) FILTER (reason IS NOT NULL) FROM checked GROUP BY fi"
    ).fetchall()}
    valid = _per_file(con.execute(f"{_COUNTS} FROM rows WHERE reason IS NULL GROUP BY fi")
                      .fetchall(), n)
    if exact_by:
        repeats = _per_file(con.execute(f"{_COUNTS} FROM dups WHERE exact GROUP BY fi")
                            .fetchall(), n)
        for fi in exact_by:
            for i in range(_N_COUNTS):
                valid[fi][i] -= repeats[fi][i]
            for i in (8, 9):
                valid[fi][i] = dict(valid[fi][i])
                for name, count in repeats[fi][i].items():
                    valid[fi][i][name] -= count

    points = register_points(con, columns)
    # Line numbers are fixed now; the warehouse does not care about row order (the writer
    # orders a chunk's rows by file itself), and dropping it lets DuckDB use every thread.
    con.execute("SET preserve_insertion_order = false")
    # A column with a value outside its ENUM is written as text; otherwise as the ENUM.
    texts = {name for name, i in (("lsoa", 4), ("force", 6), ("outcome", 7))
             if any(v[i] for v in valid)}
    ids_complete = not any(v[5] for v in valid)
    batch_ids = [s.batch_id for s in sources]
    name_files(con, batch_ids, [s.ref_prefix for s in sources])
    write = dict(con=con, tx=tx, batch_ids=batch_ids, columns=columns,
                 dups=bool(n_dups), points=points, texts=texts, ids_complete=ids_complete)
    crimes = asb = {}
    if any(v[0] - v[1] for v in valid):
        crimes = write_table(table="crimes", where=f"crime_type <> {literal(ASB)}", **write)
    if any(v[1] for v in valid):
        asb = write_table(table="asb_incidents", where=f"crime_type = {literal(ASB)}", **write)
    with_rejects = [fi for fi in range(n)
                    if totals.get(fi, (0, 0))[1] + exact_by.get(fi, 0) + broken.get(fi, 0)]
    rejects = (write_rejects(con, tx, batch_ids, [s.display for s in sources],
                             list(sources[0].header), columns, bool(exact_by), with_rejects)
               if with_rejects else {})
    profiles = _profiles(con, n, exact=bool(exact_by))
    return [replace(_result(sources[fi], valid[fi], totals.get(fi, (0, 0)), broken.get(fi, 0),
                            exact_by.get(fi, 0), dup_id_by.get(fi, 0),
                            {name: tables[fi] for name, tables in (("crimes", crimes),
                                                                   ("asb_incidents", asb))
                             if fi in tables}, rejects.get(fi)), profile=profiles[fi])
            for fi in range(n)]


def _profiles(con, n: int, *, exact: bool) -> list[dict[str, dict[str, int]]]:
    """Each file's batch profile (rows stored per month and category key), counted from the
    stage in one query for every file of the chunk instead of read back from each file's
    Parquet when the batch is added (``Transaction.add``)."""
    kept = ("rows r LEFT JOIN dups d ON r.rid = d.rid WHERE NOT coalesce(d.exact, false) AND"
            if exact else "rows r WHERE")
    counts: list[list[tuple[str, str, str | None, int]]] = [[] for _ in range(n)]
    for fi, month, crime_type, rows in con.execute(
            f"SELECT r.fi, CAST(r.month AS VARCHAR), CAST(r.crime_type AS VARCHAR), count(*) "
            f"FROM {kept} r.reason IS NULL GROUP BY ALL").fetchall():
        table = "asb_incidents" if crime_type == ASB else "crimes"
        counts[fi].append((table, month, crime_type, rows))  # crimes: police_uk_category
    return [anomalies.profile_of(c) for c in counts]


def _result(src: Source, valid: list, totals: tuple[int, int], n_broken: int, n_exact: int,
            n_dup_id: int, tables: dict[str, BatchTable], rejects_file: str | None
            ) -> FileResult:
    """One file's result and notes from its counts."""
    (n_valid, n_asb, n_no_loc, n_no_lsoa, n_unknown_lsoa, n_no_id, n_odd_force, n_odd_outcome,
     forces, other_forces, months) = valid
    total, bad = totals
    bad += n_exact
    forces = {str(k): v for k, v in [*forces.items(), *other_forces.items()]
              if k is not None and v > 0}
    # The most common force; ties go to the first name in order.
    force = max(sorted(forces), key=lambda k: forces[k]) if forces else None
    months = sorted(m for m in months if m is not None)
    stored = sum(t.rows for t in tables.values())
    if stored != total - bad:
        raise RuntimeError(f"{src.display}: {total - bad:,} valid rows but {stored:,} written")
    notes = []
    if total + n_broken == 0:
        notes.append("the file has a header but no rows: nothing to store")
    if n_no_loc:
        notes.append(f"{_rows(n_no_loc)} no location: stored without LSOA or coordinates")
    if n_no_lsoa:
        notes.append(f"{_rows(n_no_lsoa)} coordinates but no LSOA code: stored without LSOA")
    if n_unknown_lsoa:
        notes.append(f"{_rows(n_unknown_lsoa)} an LSOA code that is neither a 2011 nor a 2021 "
                     "code: stored, with no 2011 LSOA for IMD and population joins")
    if n_dup_id:
        notes.append(f"{_rows(n_dup_id, 'repeat', 'repeats')} an earlier Crime ID with "
                     "different content: stored and flagged duplicate_id")
    if n_exact:
        notes.append(f"{_rows(n_exact, 'repeat', 'repeats')} an earlier row in every field "
                     "safecity keeps: rejected as duplicates")
    if n_no_id:
        notes.append(f"{_rows(n_no_id, noun='crime')} no Crime ID: referenced as "
                     f"{src.ref_prefix}#<line>")
    if n_broken:
        notes.append(f"{_rows(n_broken, 'are', 'is', noun='line')} not well-formed CSV: "
                     "rejected")
    return FileResult(read=total + n_broken, stored=stored, rejected=bad + n_broken,
                      months=months, tables=tables, rejects_file=rejects_file,
                      notes=tuple(notes), force=force)


def _rows(n: int, many: str = "have", one: str = "has", noun: str = "row") -> str:
    return f"{n:,} {noun} {one}" if n == 1 else f"{n:,} {noun}s {many}"


class PoliceUkAdapter:
    kind = KIND

    # -- finding the inputs -----------------------------------------------------------------
    def expand(self, path: Path) -> list[InputFile]:
        return self.expand_with_notes(path)[0]

    def expand_with_notes(self, path: Path) -> tuple[list[InputFile], list[tuple[str, str]]]:
        return expand(path)

    # -- loading ----------------------------------------------------------------------------
    def load(self, item: InputFile, tx: Transaction, ctx: LoadContext) -> Batch:
        return self.load_many([item], tx, ctx)[0]

    def load_many(self, items: list[InputFile], tx: Transaction, ctx: LoadContext,
                  done: Callable[[InputFile], None] = lambda item: None) -> list[Batch]:
        """Load ``items`` a chunk at a time (see the module docstring): one batch per file, in
        order; ``done`` is told of each file once its chunk is written."""
        staging = tx.warehouse.root / ".staging" / new_batch_id()
        staging.mkdir(parents=True, exist_ok=True)
        batches: list[Batch] = []
        try:
            for chunk in chunks(prepare(item, staging) for item in items):
                folder = staging / chunk[0].batch_id
                folder.mkdir()
                try:
                    results = load_files(chunk, tx=tx, staging=folder)
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
                for src, result in zip(chunk, results):
                    batches.append(_batch(src, result))
                    done(src.item)
                for src in chunk:  # zip members copied out for this chunk
                    if src.path != src.item.path:
                        src.path.unlink(missing_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return batches


def _batch(src: Source, result: FileResult) -> Batch:
    scope = force_from_name(src.ref_prefix) or (slug(result.force) if result.force else "")
    notes = list(result.notes)
    if not scope:
        scope = "unknown-force"
        notes.append("no force named in the file name or the 'Falls within' column; "
                     "replacement scope is 'unknown-force'")
    item = src.item
    return Batch(batch_id=src.batch_id, source=KIND, scope=scope,
                 inputs=[{"name": item.name, "sha256": item.sha256, "size": item.size}],
                 months=result.months, tables=result.tables, read=result.read,
                 stored=result.stored, rejected=result.rejected,
                 rejects_file=result.rejects_file, notes=notes, profile=result.profile)


ADAPTER = PoliceUkAdapter()
