"""The open problems into the warehouse's ``action_group_problems`` table, for the monthly
pack's list of each sector's problems with a link to each.

Only the reference, group, sector, type, date opened, whether escalated, the number of actions
open and overdue, and the problem's address: no titles, plans, actions or notes. The file goes
through the engine's ingest (kind ``action-groups``, the whole table replaced), so a problem
closed since the last export leaves the pack at the next one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ...engine import settings as engine_settings
from ...engine.ingest.action_groups import KIND
from ..warehouse_exports import ingest_export
from ...engine.warehouse import Warehouse
from .models import Problem

HEADER = ["problem_ref", "group_name", "sector", "problem_type", "opened_date", "escalated",
          "actions_open", "actions_overdue", "link"]


@dataclass(frozen=True)
class Export:
    path: Path
    problems: int
    stored: int
    skipped: bool  # nothing changed since the last export


def rows(base_url: str = "") -> list[list]:
    today = timezone.localdate()
    problems = (Problem.objects.filter(status=Problem.Status.OPEN)
                .select_related("group").order_by("group__sector", "opened_on", "pk")
                .annotate(open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True)),
                          overdue=Count("tasks", filter=Q(tasks__done_on__isnull=True,
                                                          tasks__due_on__lt=today))))
    return [[str(p), p.group.name, p.group.sector, p.get_kind_display(),
             p.opened_on.isoformat(), "true" if p.escalated_on else "false", p.open_tasks,
             p.overdue, base_url.rstrip("/") + reverse("actiongroups:problem", args=[p.pk])]
            for p in problems]


def export_to_warehouse(base_url: str = "", warehouse: Path | Warehouse | None = None, *,
                        user=None) -> Export:
    """Write every open problem to a CSV and ingest it (``base_url``: the app's address, so the
    pack's links open; without it the links are paths); in the run log under ``user``."""
    folder = engine_settings.home() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "action-group-problems.csv"
    data = rows(base_url)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(data)
    tmp.replace(path)
    report = ingest_export(path, KIND, warehouse=warehouse, user=user)
    file = report.files[0]
    return Export(path=path, problems=len(data), stored=file.stored, skipped=file.skipped)
