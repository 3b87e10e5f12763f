"""The interface figures read: month flags and analyst exclusions from the manifest."""

from __future__ import annotations

import json

from safecity.engine.ingest.anomalies import month_exclusions, month_flags
from safecity.engine.warehouse import Warehouse


def _write(root, **fields):
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps({"version": 1, "batches": [], **fields}))


def test_nothing_recorded_gives_empty_dicts(tmp_path):
    assert month_flags({"version": 1, "batches": []}) == {}
    assert month_exclusions({"version": 1, "batches": []}) == {}
    assert month_flags(Warehouse(tmp_path / "absent")) == {}
    assert month_exclusions(tmp_path / "absent") == {}


def test_flags_and_exclusions_keyed_by_source_force_month(tmp_path):
    root = tmp_path / "w"
    _write(root, month_flags=[
        {"source": "police-uk", "force": "hampshire", "month": "2019-03",
         "reason": "Other theft is 80 % of rows"},
        {"source": "asb", "force": None, "month": "2019-04", "reason": "total 10 % of usual"},
    ], exclusions=[
        {"source": "police-uk", "force": "hampshire", "month": "2019-03",
         "reason": "categories mis-assigned at source", "excluded_at": "2026-12-07T04:30:00+00:00"},
    ])
    flags = month_flags(Warehouse(root))
    assert flags == {("police-uk", "hampshire", "2019-03"): "Other theft is 80 % of rows",
                     ("asb", None, "2019-04"): "total 10 % of usual"}
    assert month_flags(root) == flags == month_flags(root / "manifest.json")
    assert month_exclusions(Warehouse(root)) == {
        ("police-uk", "hampshire", "2019-03"): "categories mis-assigned at source"}
