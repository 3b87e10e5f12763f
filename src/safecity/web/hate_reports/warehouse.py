"""Accepted third-party reports into the warehouse's ``hate_reports`` table.

One CSV of every accepted report (the ``hate-third-party`` kind replaces the previous export
whole), with no personal details: a reference made from the report's number (not the reference
the reporter was given), the day it was received, the channel, the centre, the strands and the
LSOA the coordinator set. Text, place descriptions and contact details never leave the app.
The file goes through the engine's ingest like any other source, so the contract's checks apply
and a failed load leaves the warehouse as it was.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from ...engine import settings as engine_settings
from ...engine.contract import HATE_STRANDS
from ...engine.ingest.hate_third_party import KIND
from ..warehouse_exports import ingest_export
from ...engine.warehouse import Warehouse
from .models import Report

HEADER = ["report_ref", "recorded_date", "channel", "is_crime", "centre",
          *(f"strand_{s}" for s in HATE_STRANDS), "lsoa_code"]
ONLINE = "Online"


@dataclass(frozen=True)
class Export:
    path: Path
    reports: int
    stored: int
    skipped: bool  # nothing changed since the last export


def warehouse_ref(report: Report) -> str:
    return f"TP{report.pk:07d}"


def rows(queryset=None) -> list[list[str]]:
    reports = (queryset if queryset is not None else Report.objects.all()).filter(
        status__in=Report.ACCEPTED).select_related("centre").order_by("pk")
    out = []
    for r in reports:
        received = timezone.localtime(r.received_at).date()
        out.append([warehouse_ref(r), received.isoformat(), r.channel, "false",
                    r.centre.name if r.centre_id else ONLINE,
                    *("true" if s in r.strands else "false" for s in HATE_STRANDS),
                    r.lsoa_code])
    return out


def export_to_warehouse(warehouse: Path | Warehouse | None = None, *, user=None) -> Export:
    """Write every accepted report to a CSV and ingest it; returns what happened. The ingest
    is in the run log (engine/governance/runlog.py) under the app ``user`` who asked for it,
    or the operating-system user for ``manage export_hate_reports``."""
    folder = engine_settings.home() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hate-third-party.csv"
    data = rows()
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(data)
    tmp.replace(path)
    report = ingest_export(path, KIND, warehouse=warehouse, user=user)
    file = report.files[0]
    return Export(path=path, reports=len(data), stored=file.stored, skipped=file.skipped)
