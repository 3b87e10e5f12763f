"""The row pipeline every record-level adapter shares: read, convert, derive, reject, write.

``load_table`` reads one file for one contract table:

1. opens it (``tabular``) and checks the mapped required headers are present;
2. converts each mapped value (``validate``), rejecting the row with a reason on the first
   problem, and rejects exact duplicates ("duplicate of line N") and repeated keys;
3. pseudonymises person identifiers (``Pseudonymiser``); input-only columns (a date of birth)
   are used by the adapter's ``derive`` hook and then dropped;
4. lets the adapter derive its columns (``derive(row)`` may raise ``RowError``);
5. fills easting/northing from latitude/longitude in one vectorised call;
6. writes the stored rows and a rejects file through the transaction and returns the ``Batch``.

Invariant: read = stored + rejected, always (a blank line is not a row and is not read).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pyarrow as pa

from .. import contract, geo
from ..safe_text import csv_cell
from ..warehouse import Batch, Transaction, new_batch_id
from .base import REJECT_LEAD_COLUMNS, InputFile, LoadContext
from .mapping import INPUT_ONLY, TableMapping, layout_columns
from .pseudonymise import Pseudonymiser
from .tabular import TabularFile, normalise_header, open_table, require_columns
from .validate import DateParser, RowError, check_location, converter_for

Derive = Callable[[dict[str, Any]], None]

PROGRESS_STEP = 2000
CHUNK_ROWS = 50_000


@dataclass
class LoadResult:
    """What ``load_table`` did, before the adapter turns it into a Batch."""

    table: str
    stored: pa.Table
    read: int
    rejected: int
    months: list[str]
    notes: list[str] = field(default_factory=list)
    rejects_file: str | None = None


def open_for(item: InputFile, kind: str, mapping: TableMapping) -> TabularFile:
    required = mapping.required_headers(kind)
    tab = open_table(item, expected=list(required))
    require_columns(tab, item.name, required)
    dups = [h for h in tab.duplicated_headers()
            if normalise_header(h) in {normalise_header(x) for x in mapping.columns.values()}]
    if dups:
        from ..errors import SourceError

        raise SourceError(item.name, f"the header {dups[0]!r} appears more than once, so it is "
                          "not clear which column to read.", fix="Rename one of them.",
                          line=tab.header_line)
    return tab


def load_table(item: InputFile, tx: Transaction, ctx: LoadContext, *, kind: str, batch_id: str,
               mapping: TableMapping, derive: Derive | None = None,
               tab: TabularFile | None = None, month_column: str | None = "month",
               pseudonymiser: Pseudonymiser | None = None) -> LoadResult:
    table = contract.table(mapping.table)
    tab = tab or open_for(item, kind, mapping)
    pseudo = pseudonymiser or Pseudonymiser()
    dates = DateParser(list(mapping.dates))
    layout = {c.name: c for c in layout_columns(kind, table.name)}
    index = tab.index()
    # (column, position in the row, converter) for every mapped column present in the file.
    readers = []
    absent = []
    for col_name, header in mapping.columns.items():
        pos = index.get(normalise_header(header))
        if pos is None:
            absent.append(header)
            continue
        readers.append((col_name, pos, converter_for(layout[col_name], dates=dates,
                                                    values=mapping.values.get(col_name))))
    personal = {c.name for c in layout.values() if c.personal}
    renames = {inp.name: target for inp, target in INPUT_ONLY.get((kind, table.name), ())
               if target}
    mapped = {renames.get(r[0], r[0]) for r in readers}
    # A repeated key is only checked when every key column is supplied (victims without a
    # person identifier, e.g. businesses, can share a crime reference).
    keys = list(table.key) if all(k in mapped for k in table.key) else []

    notes = list(tab.notes)
    if absent and mapping.explicit:
        notes.append(f"mapped column(s) not in the file, left blank: {', '.join(absent)}")
    stored: list[dict[str, Any]] = []
    lines: list[int] = []
    chunks: list[pa.Table] = []
    months: set[str] = set()
    rejects: list[list[str]] = []
    seen_rows: dict[tuple, int] = {}
    seen_keys: dict[tuple, int] = {}
    read = 0
    width = len(tab.header)
    personal_mapped = [r[0] for r in readers if r[0] in personal]
    fast = [(name, pos, conv, conv.blank_value(), conv.blank_is_fixed())
            for name, pos, conv in readers]
    ctx.progress.start(f"Reading {item.name}", None)

    rows = tab.rows
    pending = next(rows, None)
    while pending is not None:
        line, values = pending
        pending = next(rows, None)
        read += 1
        if read % PROGRESS_STEP == 0:
            ctx.progress.advance(PROGRESS_STEP)
        try:
            if len(values) != width:
                shape = tab.check_shape(line, values, is_last=pending is None)
                if shape:
                    raise RowError(shape)
                values = values[:width]
            # A digest, not the row: memory stays small on large files.
            fingerprint = hashlib.blake2b("\x1f".join(values).encode("utf-8", "surrogatepass"),
                                          digest_size=16).digest()
            first = seen_rows.get(fingerprint)
            if first is not None:
                raise RowError(f"duplicate of line {first}")
            seen_rows[fingerprint] = line
            # Blank cells (most flags) skip the converter when blank has a fixed meaning.
            row: dict[str, Any] = {name: blank if ok and not values[pos] else convert(values[pos])
                                   for name, pos, convert, blank, ok in fast}
            for name in personal_mapped:
                row[name] = pseudo(row[name])
            for name, target in renames.items():
                if name in row:
                    row[target] = row.pop(name)
            if derive:
                derive(row)
            check_location(row)
            if keys and all(row.get(k) is not None for k in keys):
                key = tuple(row[k] for k in keys)
                earlier = seen_keys.get(key)
                if earlier is not None:
                    shown = ", ".join(f"{k} {row[k]!s}" for k in keys
                                      if k not in ("person_key", "young_person_key"))
                    raise RowError(f"{shown or 'the same person'} is already on line {earlier} "
                                   "with different values")
                seen_keys[key] = line
        except RowError as exc:
            raw = {name: (values[pos] if pos < len(values) else "") for name, pos, _ in readers}
            rejects.append(_reject_row(item.name, line, str(exc), readers, raw, personal, pseudo,
                                       layout))
            continue
        stored.append(row)
        lines.append(line)
        if len(stored) >= CHUNK_ROWS:  # rows as dicts are large: move them to Arrow in chunks
            chunks.append(_chunk(table, stored, lines, batch_id, months, month_column))
            stored, lines = [], []
    ctx.progress.advance(read % PROGRESS_STEP)
    ctx.progress.finish()

    chunks.append(_chunk(table, stored, lines, batch_id, months, month_column))
    data = pa.concat_tables(chunks)
    result = LoadResult(table.name, data, read, len(rejects), sorted(months), notes)
    if read == 0:
        notes.append("the file has a header but no data rows")
    if rejects:
        path = tx.rejects_path(batch_id)
        _write_rejects(path, [r[0] for r in readers], rejects)
        result.rejects_file = tx.relative(path)
    return result


def _chunk(table: contract.Table, stored: list[dict[str, Any]], lines: list[int], batch_id: str,
           months: set[str], month_column: str | None) -> pa.Table:
    present: set[str] = set()
    for r in stored:
        present.update(r)
    n = len(stored)
    out: dict[str, list[Any]] = {c.name: ([r.get(c.name) for r in stored]
                                          if c.name in present else [None] * n)
                                 for c in table.columns}
    out["source_line"] = lines
    if "easting" in out and "latitude" in out:
        _fill_grid(out)
    if month_column:
        months.update(m for m in out.get(month_column, []) if m)
    return _arrow(table, out, batch_id)


def _reject_row(name: str, line: int, reason: str, readers, raw: dict[str, str],
                personal: set[str], pseudo: Pseudonymiser, layout) -> list[str]:
    shown = []
    for col, _, _ in readers:
        value = raw[col]
        if col in personal:
            value = pseudo(value) or ""
        elif col == "date_of_birth":
            value = "(withheld)" if value.strip() else ""  # never kept, not even in rejects
        shown.append(value)
    return [name, str(line), reason, *shown]


def _write_rejects(path, columns: list[str], rows: list[list[str]]) -> None:
    exists = path.exists()
    with open(path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if not exists:
            writer.writerow([*REJECT_LEAD_COLUMNS, *columns])
        writer.writerows([csv_cell(v) for v in row] for row in rows)  # no live formulas


def _fill_grid(out: dict[str, list[Any]]) -> None:
    """Easting/northing from latitude/longitude where only the latter were supplied."""
    need = [i for i, (e, lat) in enumerate(zip(out["easting"], out["latitude"]))
            if e is None and lat is not None]
    if not need:
        return
    east, north = geo.to_bng([out["longitude"][i] for i in need], [out["latitude"][i] for i in need])
    for i, e, n in zip(need, east, north):
        if np.isfinite(e) and np.isfinite(n):
            out["easting"][i] = round(float(e), 1)
            out["northing"][i] = round(float(n), 1)


def _arrow(table: contract.Table, out: dict[str, list[Any]], batch_id: str) -> pa.Table:
    n = len(out["source_line"])
    arrays = {}
    for col in table.columns:
        values = out[col.name]
        if col.type is contract.Type.TIMESTAMP:
            values = [v.replace(microsecond=0) if isinstance(v, dt.datetime) else v for v in values]
        arrays[col.name] = pa.array(values, type=col.type.arrow)
    arrays["batch_id"] = pa.array([batch_id] * n, pa.string())
    arrays["source_line"] = pa.array(out["source_line"], pa.int64())
    return pa.table(arrays, schema=table.arrow_schema)


def month_of(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else f"{value.year:04d}-{value.month:02d}"


def make_batch(item: InputFile, tx: Transaction, *, kind: str, scope: str, batch_id: str,
               results: list[LoadResult], notes: list[str] | None = None,
               whole: bool = False) -> Batch:
    """Write each result's rows and return the Batch (the caller adds it to the transaction)."""
    tables = {r.table: tx.write_table(r.table, batch_id, r.stored) for r in results}
    months = sorted({m for r in results for m in r.months})
    rejects = next((r.rejects_file for r in results if r.rejects_file), None)
    return Batch(
        batch_id=batch_id, source=kind, scope=scope,
        inputs=[{"name": item.name, "sha256": item.sha256, "size": item.size}],
        months=months, tables=tables,
        read=sum(r.read for r in results), stored=sum(t.rows for t in tables.values()),
        rejected=sum(r.rejected for r in results), rejects_file=rejects,
        notes=[n for r in results for n in r.notes] + list(notes or []), whole=whole,
    )


__all__ = ["load_table", "make_batch", "open_for", "month_of", "LoadResult", "new_batch_id"]


class SingleTableAdapter:
    """An adapter for a source whose files each hold one contract table (ASB, hate, youth
    justice, referrals, geography). ``derive_factory(notes)`` returns the row hook; it may
    record counts in ``notes`` which ``summarise(notes)`` turns into sentences."""

    def __init__(self, kind: str, table: str, *, scope: str, derive_factory,
                 summarise=None, months: tuple[str, ...] | None = None,
                 month_column: str | None = "month", whole: bool = False) -> None:
        self.kind = kind
        self.whole = whole  # each file replaces the whole table (no months)
        self.table = table
        self.scope = scope
        self._derive_factory = derive_factory
        self._summarise = summarise or (lambda notes: [])
        self._months = months  # fixed months (geography), else from month_column
        self._month_column = month_column

    def expand(self, path):
        from .tabular import input_files

        return input_files(path)

    def load(self, item: InputFile, tx: Transaction, ctx: LoadContext) -> Batch:
        from .mapping import parse

        smap = parse(ctx.mapping, self.kind)
        tmap = smap.tables.get(self.table)
        if tmap is None:  # a mapping with no table for this source: parse() already refused others
            from ..errors import ConfigError

            raise ConfigError(f"The mapping {smap.origin} has no '{self.table}' table.",
                              fix=f"Put the columns under 'tables: {self.table}:'.")
        batch_id = new_batch_id()
        notes: dict[str, Any] = {}
        result = load_table(item, tx, ctx, kind=self.kind, batch_id=batch_id, mapping=tmap,
                            derive=self._derive_factory(notes), month_column=self._month_column)
        if self._months is not None:
            result.months = list(self._months)
        result.notes.extend(self._summarise(notes))
        return make_batch(item, tx, kind=self.kind, scope=self.scope, batch_id=batch_id,
                          results=[result], whole=self.whole)


def lsoa_deriver(notes: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """Row hook: 2011 LSOA code from a supplied 2011 or 2021 code; unknown codes counted."""
    unknown: set[str] = notes.setdefault("unknown_lsoas", set())

    def derive(row: dict[str, Any]) -> None:
        code = row.get("lsoa_code")
        if code:
            row["lsoa11_code"] = geo.lsoa11_for(code)
            if row["lsoa11_code"] is None:
                unknown.add(code)

    return derive


def lsoa_notes(notes: dict[str, Any]) -> list[str]:
    unknown = notes.get("unknown_lsoas") or set()
    if not unknown:
        return []
    return [f"{len(unknown)} LSOA code(s) are neither 2011 nor 2021 codes (e.g. "
            f"{sorted(unknown)[0]}); those rows have no lsoa11_code"]
