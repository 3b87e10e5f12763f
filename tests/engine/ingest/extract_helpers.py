"""Helpers for the record-level ingest tests: write small files, load them through an adapter."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from safecity.engine.ingest.base import InputFile, LoadContext, sha256_file
from safecity.engine.warehouse import Batch, Warehouse


def write_csv(path: Path, header: list[str], rows: list[list[Any]], *, encoding: str = "utf-8",
              newline: str = "\n", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def item(path: Path) -> InputFile:
    return InputFile(path=path, name=path.name, sha256=sha256_file(path), size=path.stat().st_size)


def load(adapter, paths: list[Path], warehouse: Path, mapping: dict | None = None) -> list[Batch]:
    """Load files with ``adapter`` in one transaction, as the dispatcher does."""
    batches = []
    with Warehouse(warehouse).transaction() as tx:
        for p in paths:
            batch = adapter.load(item(p), tx, LoadContext(mapping=mapping))
            tx.add(batch)
            batches.append(batch)
    return batches


def rejects(warehouse: Path, batch: Batch) -> list[dict[str, str]]:
    if not batch.rejects_file:
        return []
    with open(Path(warehouse) / batch.rejects_file, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rows(warehouse: Path, sql: str) -> list[tuple]:
    return Warehouse(warehouse).connect().execute(sql).fetchall()
