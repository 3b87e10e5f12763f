"""The web app's exports into the warehouse (accepted third-party hate reports, partner
intelligence counts, open action group problems) go through the engine's ingest here, so each
is in the run log (engine/governance/runlog.py) under the app user who asked for it, or the
operating-system user for a ``manage`` command."""

from __future__ import annotations

from pathlib import Path

from ..engine.errors import SafecityError
from ..engine.governance import runlog
from ..engine.ingest.run import ingest_paths
from ..engine.warehouse import Warehouse


def ingest_export(path: Path, kind: str, *, warehouse: Path | Warehouse | None = None,
                  user=None):
    """Ingest one exported file as source ``kind``; the IngestReport. Logged either way."""
    args = ["--source", kind, str(path)]
    by = f"{user.get_username()} (web app)" if user is not None else None
    try:
        report = ingest_paths([path], source=kind, warehouse=warehouse)
    except SafecityError as exc:
        runlog.record("ingest", args, f"failed: {exc}", user=by)
        raise
    runlog.record("ingest", args, "completed", user=by)
    return report
