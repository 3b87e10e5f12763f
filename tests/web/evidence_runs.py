"""A small assessment run, as ``safecity assess`` lays it out, for the evidence tests: a zip in
memory, or stored for a partnership (the permission matrix's rows build runs with it)."""

from __future__ import annotations

import io
import json
import zipfile

REPORT = ("<!DOCTYPE html><html lang=\"en-GB\"><head><title>Test assessment</title>"
          "<style>h1{color:#0b0c0c}</style></head><body><main><h1>Test City assessment</h1>"
          "<p>Recorded crime rose.</p></main></body></html>")


def run_files(*, year="2019/20", start="2019-04-01", end="2020-03-31", kind="annual",
              headlines=None) -> dict[str, bytes]:
    data = {"schema": "safecity.assessment/1", "area_code": "E22000120",
            "area_name": "Test City", "kind": kind,
            "period": {"label": year, "start": start, "end": end},
            "generated_at": "2026-12-01T09:00:00+00:00",
            "headlines": headlines if headlines is not None else {
                "recorded_crime": 1200, "recorded_crime_previous": 1000,
                "recorded_crime_change_pct": 20.0, "fte_rate_per_100k": 230.4,
                "fte_rate_per_100k_previous": None, "victims_5plus": "[c]"}}
    return {"assessment.json": json.dumps(data).encode(), "report.html": REPORT.encode(),
            "report.pdf": b"%PDF-1.4\n% test\n", "headlines.csv": b"key,value\r\n",
            "tables/crime_by_ward.csv": b"ward,note\r\nBargate,=HYPERLINK(\"x\")\r\n"}


def run_zip(files: dict[str, bytes] | None = None, folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (files or run_files()).items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def stored_run(w, *, published=True, restricted=False, **kwargs):
    from safecity.web.evidence import services
    from safecity.web.evidence.bundle import read_zip

    bundle = read_zip(run_zip(run_files(**kwargs)), "run.zip")
    return services.store(bundle, w.strategy, w.users["analyst"], publish=published,
                          restricted=restricted)


def evidence_rows(expect, personas, partners):
    publishers = ("coordinator", "administrator", "analyst")
    readers_only = [p for p in partners if p not in publishers]
    return {
        "evidence:runs": ("get", lambda w: [w.strategy.pk], expect(
            ok=partners, not_found=("outsider",))),
        "evidence:upload": ("get", lambda w: [w.strategy.pk], expect(
            ok=publishers, forbidden=readers_only, not_found=("outsider",))),
        "evidence:run": ("get", lambda w: [stored_run(w).pk], expect(
            ok=partners, not_found=("outsider",))),
        "evidence:publish": ("post", lambda w: [stored_run(w, published=False).pk], expect(
            ok=publishers, ok_status=302, forbidden=readers_only, not_found=("outsider",))),
        "evidence:file": ("get", lambda w: [stored_run(w).pk, "report.html"], expect(
            ok=partners, not_found=("outsider",))),
    }
