"""The police.uk pipeline and adapter: CSV → staging table → SQL checks → contract Parquet.

Everything runs in DuckDB. Longitude and latitude are stored as published; the British National
Grid reference is derived by the warehouse views when a query reads it (``Warehouse.connect``).
Steps 1 and 2 live in ``stage``, step 3 in ``write``; this module runs them, and the adapter
(``PoliceUkAdapter``) finds the inputs with ``files``.

1. ``read_csv`` reads every column as text with explicit names; structurally broken lines (too
   few or too many fields, bad quoting, bad UTF-8) go to DuckDB's reject table with their line.
   In the same pass each row is parsed and checked (a reason to reject it, or none) into the
   in-memory table ``checked``; a row's place there (rowid, insertion order preserved) plus the
   broken lines before it gives its line number (header = line 1).
2. Duplicates (an earlier row's Crime ID and every kept field) and other repeated Crime IDs: a window over only the rows whose ID occurs more
   than once.
3. Crimes, ASB incidents and the rejects CSV are selected from ``checked`` and written by DuckDB
   through the transaction's paths; nothing is visible until the manifest is replaced.

Where the time goes, and why the stage looks as it does (5M rows, see docs/benchmarks.md):
the CSV parse and the Parquet encoding dominate, so the stage keeps values in the form the
Parquet writer handles fastest. Month, category and LSOA are DuckDB ENUMs (the allowed values are
known): the cast validates them, they take one or two bytes a row instead of a string, and the
Parquet writer emits an ENUM as a dictionary-encoded string column without hashing every value.
The constant columns (source, batch) are one-value ENUMs for the same reason. Text is trimmed
only where it has a leading or trailing space (trim copies every string). Raw values are kept in
one list column, for rejected rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shutil

from ...sql import literal
from ...warehouse import Batch, BatchTable, Transaction, new_batch_id
from ..base import InputFile, LoadContext
from .files import KIND, expand, force_from_name, is_gzip, map_header, materialise, read_header, slug
from .stage import ASB, connect, find_duplicates, rows_view, stage
from .write import register_points, write_rejects, write_table


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


def load_file(*, source: Path, display: str, ref_prefix: str, header: list[str],
              columns: dict[str, int], tx: Transaction, batch_id: str, staging: Path,
              gzip_compressed: bool) -> FileResult:
    con = connect(staging)
    try:
        return _load(con, source=source, display=display, ref_prefix=ref_prefix, header=header,
                     columns=columns, tx=tx, batch_id=batch_id,
                     gzip_compressed=gzip_compressed)
    finally:
        con.close()


_COUNTS = f"""SELECT count(*),
    count(*) FILTER (crime_type = {literal(ASB)}),
    count(*) FILTER (lon IS NULL AND east IS NULL AND lsoa IS NULL AND other[1] IS NULL),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NULL AND (lon IS NOT NULL OR east IS NOT NULL)),
    count(*) FILTER (lsoa IS NULL AND other[1] IS NOT NULL),
    count(*) FILTER (crime_id IS NULL AND crime_type <> {literal(ASB)}),
    count(*) FILTER (force IS NULL AND other[2] IS NOT NULL),
    count(*) FILTER (other[3] IS NOT NULL),
    histogram(force), histogram(other[2]) FILTER (force IS NULL), list(DISTINCT month)"""


def _load(con, *, source, display, ref_prefix, header, columns, tx, batch_id,
          gzip_compressed) -> FileResult:
    stage(con, source, display, header, columns, gzip_compressed)
    n_broken = rows_view(con, columns)
    n_dups = find_duplicates(con)
    n_exact = n_dup_id = 0
    if n_dups:
        n_exact, n_dup_id = con.execute("SELECT count(*) FILTER (exact), "
                                        "count(*) FILTER (duplicate_id) FROM dups").fetchall()[0]
    # The counts over valid rows, less those over exact repeats (rejected, but valid in
    # ``checked``): two cheap scans instead of joining every row to ``dups``.
    total, bad = con.execute("SELECT count(*), count(*) FILTER (reason IS NOT NULL) "
                             "FROM checked").fetchall()[0]
    valid = list(con.execute(f"{_COUNTS} FROM rows WHERE reason IS NULL").fetchall()[0])
    if n_exact:
        repeats = con.execute(f"{_COUNTS} FROM dups WHERE exact").fetchall()[0]
        for i in range(8):
            valid[i] -= repeats[i]
        for i in (8, 9):
            valid[i] = dict(valid[i] or {})
            for name, count in (repeats[i] or {}).items():
                valid[i][name] -= count
    (n_valid, n_asb, n_no_loc, n_no_lsoa, n_unknown_lsoa, n_no_id, n_odd_force, n_odd_outcome,
     forces, other_forces, months) = valid
    bad += n_exact
    forces = {str(k): v for k, v in [*(forces or {}).items(), *(other_forces or {}).items()]
              if k is not None and v > 0}
    # The most common force; ties go to the first name in order.
    force = max(sorted(forces), key=lambda k: forces[k]) if forces else None
    months = sorted(m for m in (months or []) if m is not None)

    tables: dict[str, BatchTable] = {}
    points = register_points(con, columns)
    # Line numbers are fixed now; the warehouse does not care about row order, and dropping it
    # lets DuckDB write Parquet with every thread.
    con.execute("SET preserve_insertion_order = false")
    # A column with a value outside its ENUM is written as text; otherwise as the ENUM.
    texts = {name for name, n in (("lsoa", n_unknown_lsoa), ("force", n_odd_force),
                                  ("outcome", n_odd_outcome)) if n}
    write = dict(con=con, tx=tx, batch_id=batch_id, ref_prefix=ref_prefix, columns=columns,
                 dups=bool(n_dups), points=points, texts=texts, ids_complete=not n_no_id)
    if n_valid - n_asb:
        tables["crimes"] = write_table(table="crimes", where=f"crime_type <> {literal(ASB)}", **write)
    if n_asb:
        tables["asb_incidents"] = write_table(table="asb_incidents",
                                         where=f"crime_type = {literal(ASB)}", **write)
    rejected = bad + n_broken
    rejects_file = (write_rejects(con, tx, batch_id, display, header, columns, bool(n_exact))
                    if rejected else None)
    stored = sum(t.rows for t in tables.values())
    assert stored == total - bad, "every valid row is either a crime or an ASB incident"
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
                     f"{ref_prefix}#<line>")
    if n_broken:
        notes.append(f"{_rows(n_broken, 'are', 'is', noun='line')} not well-formed CSV: "
                     "rejected")
    return FileResult(read=total + n_broken, stored=stored, rejected=rejected,
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
        batch_id = new_batch_id()
        staging = tx.warehouse.root / ".staging" / batch_id
        staging.mkdir(parents=True, exist_ok=True)
        try:
            source = materialise(item, staging)
            header = read_header(source, item.name)
            columns = map_header(header, item.name)
            base_name = Path(item.member or item.path.name).name
            if base_name.lower().endswith(".gz"):
                base_name = base_name[:-3]
            result = load_file(
                source=source, display=item.name, ref_prefix=base_name, header=header,
                columns=columns, tx=tx, batch_id=batch_id, staging=staging,
                gzip_compressed=is_gzip(source))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        scope = force_from_name(base_name) or (slug(result.force) if result.force else "")
        notes = list(result.notes)
        if not scope:
            scope = "unknown-force"
            notes.append("no force named in the file name or the 'Falls within' column; "
                         "replacement scope is 'unknown-force'")
        return Batch(batch_id=batch_id, source=KIND, scope=scope,
                     inputs=[{"name": item.name, "sha256": item.sha256, "size": item.size}],
                     months=result.months, tables=result.tables, read=result.read,
                     stored=result.stored, rejected=result.rejected,
                     rejects_file=result.rejects_file, notes=notes)


ADAPTER = PoliceUkAdapter()
