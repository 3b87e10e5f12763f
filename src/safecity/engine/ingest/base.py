"""What every reader shares: the adapter interface, the reports it returns, the rejects format.

An *adapter* loads one source kind (``police-uk``, ``police-extract``, ``asb``…). The dispatcher
(``safecity.engine.ingest.run``) expands the user's paths into ``InputFile``s, skips any whose
content hash is already loaded (idempotent ingest), and calls ``adapter.load`` for each inside one
warehouse transaction, so a structural error in any file leaves the warehouse unchanged.

Rejects file format (``W/rejects/<batch_id>.csv``, UTF-8): the columns ``source_file``,
``source_line``, ``reason``, then the row's values as supplied for the *mapped* columns only.
Person identifiers in rejects are pseudonymised exactly as stored rows are, and unmapped columns
(which may hold names or free text) are never kept, so rejects hold no more personal data than the
warehouse does.

Invariant checked by tests: for every file, ``read == stored + rejected``.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..progress import NULL, Progress
from ..warehouse import Batch, Transaction

REJECT_LEAD_COLUMNS = ("source_file", "source_line", "reason")


@dataclass(frozen=True)
class InputFile:
    """One logical input: a file on disk, or a member of a zip archive."""

    path: Path  # the file on disk (the zip itself for a member)
    name: str  # what the user sees: 'x.csv' or 'archive.zip:2019-01/2019-01-hampshire-street.csv'
    member: str | None = None  # zip member name
    sha256: str = ""
    size: int = 0


@dataclass(frozen=True)
class LoadContext:
    """Options an adapter needs besides the file itself."""

    mapping: dict[str, Any] | None = None  # parsed YAML mapping (police-extract and optional others)
    progress: Progress = NULL
    options: dict[str, Any] = field(default_factory=dict)


class Adapter(Protocol):
    kind: str

    def expand(self, path: Path) -> list[InputFile]:
        """The logical inputs in ``path`` (a file, a folder, or an archive)."""

    def load(self, item: InputFile, tx: Transaction, ctx: LoadContext) -> Batch:
        """Read ``item``, write its tables and rejects through ``tx``, return the batch (not yet
        added to ``tx``). Raise ``SourceError`` for a structural problem; never for a bad row."""


@dataclass(frozen=True)
class FileReport:
    name: str
    source: str
    read: int
    stored: int
    rejected: int
    months: tuple[str, ...] = ()
    skipped: bool = False  # identical content already loaded: nothing changed
    rejects_file: str | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.skipped and self.read != self.stored + self.rejected:
            raise AssertionError(f"{self.name}: read {self.read} != stored {self.stored} + "
                                 f"rejected {self.rejected}")


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileReport, ...]
    replacements: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # said loudly: an agreement past its review date, a month
    # that looks wrong at source
    #: what the compaction after the load did (``compaction.compact_due``), in a sentence
    compaction: str | None = None

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files if not f.skipped)

    @property
    def stored(self) -> int:
        return sum(f.stored for f in self.files if not f.skipped)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files if not f.skipped)


def sha256_file(path: Path) -> str:
    """The file's sha256 (hex), hashed without the GIL straight from the page cache through
    read-only memory maps: copying a 1 GB file into a buffer first (``hashlib.file_digest``)
    cost about 0.5 s of CPU here, 40 % of the hash, and the hash runs beside the load. Each
    window of the file is unmapped once hashed, so the mapped pages never add up to the
    whole file in the process's resident memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        for offset in range(0, size, _HASH_WINDOW):
            length = min(_HASH_WINDOW, size - offset)
            with mmap.mmap(fh.fileno(), length, access=mmap.ACCESS_READ,
                           offset=offset) as window:
                if hasattr(window, "madvise"):
                    window.madvise(mmap.MADV_SEQUENTIAL)
                with memoryview(window) as view:
                    digest.update(view)  # hashlib releases the GIL while it hashes
    return digest.hexdigest()


#: Bytes mapped at a time (a multiple of the allocation granularity, as offsets must be).
_HASH_WINDOW = 16 * 2**20
