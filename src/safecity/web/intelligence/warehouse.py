"""Partner intelligence counts into the warehouse's ``intelligence_counts`` table.

Counts only: submissions by the month they were made, their kind (theme), the submitting
agency, and the ward and LSOA the submitter gave. The text, places described in words, who
submitted and the triage never leave the app. The file goes through the engine's ingest (kind
``intelligence``), so the contract's checks and the governance register apply and a failed load
leaves the warehouse as it was.

Only months the app still holds whole are exported: intelligence is deleted
``RETENTION_MONTHS`` after it was submitted, and an export replaces the months it covers, so a
month partly purged is never sent again and keeps the counts an earlier export gave it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from ...engine import settings as engine_settings
from ...engine.ingest.intelligence import KIND
from ..warehouse_exports import ingest_export
from ...engine.periods import add_months
from ...engine.warehouse import Warehouse
from .models import RETENTION_MONTHS, Intelligence

HEADER = ["recorded_date", "theme", "source_agency", "ward_name", "lsoa_code", "submissions"]


@dataclass(frozen=True)
class Export:
    path: Path
    submissions: int
    rows: int
    first_month: dt.date
    stored: int
    skipped: bool  # nothing changed since the last export


def first_whole_month(today: dt.date) -> dt.date:
    """The first month every submission of which the app still holds (the purge deletes those
    submitted before ``today`` less RETENTION_MONTHS).

    >>> first_whole_month(dt.date(2021, 5, 1)), first_whole_month(dt.date(2021, 5, 2))
    (datetime.date(2020, 5, 1), datetime.date(2020, 6, 1))
    """
    cutoff = add_months(today, -RETENTION_MONTHS)
    return cutoff if cutoff.day == 1 else add_months(cutoff.replace(day=1), 1)


def rows(today: dt.date | None = None) -> tuple[dt.date, list[list]]:
    """(first month exported, [[month start, theme, agency, ward, lsoa, submissions], …])."""
    today = today or timezone.localdate()
    first = first_whole_month(today)
    counts: Counter = Counter()
    for item in Intelligence.objects.select_related("agency").only(
            "submitted_at", "category", "agency__name", "ward", "lsoa_code"):
        day = timezone.localtime(item.submitted_at).date()
        if day >= first:
            counts[(day.replace(day=1), item.category, item.agency.name, item.ward,
                    item.lsoa_code)] += 1
    return first, [[*key, n] for key, n in sorted(counts.items())]


def export_to_warehouse(warehouse: Path | Warehouse | None = None,
                        today: dt.date | None = None, *, user=None) -> Export:
    """Write the counts of every month the app holds whole to a CSV and ingest it (in the run
    log under ``user``)."""
    folder = engine_settings.home() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "intelligence-counts.csv"
    first, data = rows(today)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([[d.isoformat(), *rest] for d, *rest in data])
    tmp.replace(path)
    if not data:
        return Export(path, 0, 0, first, 0, True)
    report = ingest_export(path, KIND, warehouse=warehouse, user=user)
    file = report.files[0]
    return Export(path=path, submissions=sum(r[-1] for r in data), rows=len(data),
                  first_month=first, stored=file.stored, skipped=file.skipped)
