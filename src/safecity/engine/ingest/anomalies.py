"""Months of a source that look broken (flags) and months an analyst set aside (exclusions).

Both live in the warehouse manifest (``manifest.json``) as top-level lists, next to ``batches``:

``month_flags``
    one entry per flagged month: ``{"source", "force", "month", "reason"}``. ``force`` is the
    police force (the police.uk replacement scope) or ``null`` for a source that is not split by
    force. ``reason`` is the sentence said at ingest and in ``safecity warehouse status``.
``exclusions``
    one entry per excluded month: ``{"source", "force", "month", "reason", "excluded_at"}``;
    ``reason`` is the analyst's own words, recorded by ``safecity warehouse exclude``.

Figures read them through :func:`month_flags` and :func:`month_exclusions`, keyed by
``(source, force or None, "YYYY-MM")``.

>>> manifest = {"version": 1, "batches": [], "month_flags": [
...     {"source": "police-uk", "force": "hampshire", "month": "2019-03", "reason": "odd mix"}]}
>>> month_flags(manifest)
{('police-uk', 'hampshire', '2019-03'): 'odd mix'}
>>> month_exclusions(manifest)
{}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

MonthKey = tuple[str, "str | None", str]

#: Manifest field names (top level of manifest.json).
FLAGS_FIELD = "month_flags"
EXCLUSIONS_FIELD = "exclusions"


def _manifest(manifest: Any) -> Mapping[str, Any]:
    """The parsed manifest from a dict, a ``Warehouse``, a warehouse folder or manifest.json."""
    if isinstance(manifest, Mapping):
        return manifest
    if hasattr(manifest, "manifest_path"):  # a Warehouse (not imported: keeps this module light)
        path = Path(manifest.manifest_path)
    elif manifest is None:
        return {}
    else:
        path = Path(manifest)
        if path.is_dir() or path.suffix != ".json":
            path = path / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _keyed(entries: Any) -> dict[MonthKey, str]:
    out: dict[MonthKey, str] = {}
    for entry in entries or ():
        out[(str(entry["source"]), entry.get("force") or None, str(entry["month"]))] = \
            str(entry.get("reason") or "")
    return out


def month_flags(manifest: Any) -> dict[MonthKey, str]:
    """(source, force or None, "YYYY-MM") → why the month was flagged; {} when none is."""
    return _keyed(_manifest(manifest).get(FLAGS_FIELD))


def month_exclusions(manifest: Any) -> dict[MonthKey, str]:
    """(source, force or None, "YYYY-MM") → the analyst's recorded reason; {} when none is."""
    return _keyed(_manifest(manifest).get(EXCLUSIONS_FIELD))
