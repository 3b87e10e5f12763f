"""Store a run, publish it, and find the published figures a priority's indicators measure."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ...engine.indicators import METRICS
from .bundle import Bundle
from .models import Run, RunFile

#: How each file is sent: inline with this type, or as a download.
INLINE = {".html": "text/html; charset=utf-8"}
TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8",
         ".pdf": "application/pdf", ".md": "text/markdown; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
         ".geojson": "application/geo+json",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@transaction.atomic
def store(bundle: Bundle, partnership, user, *, publish: bool = False,
          restricted: bool = False) -> Run:
    """Keep the run as the next version of its kind, area and period in the partnership
    (earlier versions stay); published at once when ``publish``. All or nothing."""
    same = Run.objects.select_for_update().filter(
        partnership=partnership, kind=bundle.kind, area_code=bundle.area_code,
        period_start=bundle.period_start, period_end=bundle.period_end)
    version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    run = Run.objects.create(
        partnership=partnership, kind=bundle.kind, area_code=bundle.area_code,
        area_name=bundle.area_name, period_label=bundle.period_label,
        period_start=bundle.period_start, period_end=bundle.period_end,
        generated_at=bundle.generated_at, version=version, restricted=restricted,
        headlines=bundle.headlines, uploaded_by=user)
    RunFile.objects.bulk_create([
        RunFile(run=run, name=name, size=len(data), sha256=Bundle.digest(data), data=data)
        for name, data in sorted(bundle.files.items())])
    if publish:
        publish_run(run, user)
    return run


def publish_run(run: Run, user) -> Run:
    run.status = Run.Status.PUBLISHED
    run.published_by = user
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_by", "published_at"])
    return run


def content_type(name: str) -> tuple[str, bool]:
    """(Content-Type, shown inline) of a run's file."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in INLINE:
        return INLINE[suffix], True
    return TYPES.get(suffix, "application/octet-stream"), False


def latest_published(partnership, kind: str = Run.Kind.ASSESSMENT) -> Run | None:
    return (Run.objects.filter(partnership=partnership, kind=kind,
                               status=Run.Status.PUBLISHED)
            .order_by("-period_end", "-version").first())


@dataclass(frozen=True)
class PublishedFigure:
    indicator: str  # the indicator's name
    metric: str
    value: object  # as published: a number, or "[c]" when withheld
    previous: object
    change_pct: object


def figures_for(indicators, run: Run | None) -> list[PublishedFigure]:
    """The published run's figure for each indicator whose metric the assessment publishes
    (``Metric.headline``: the assessment's key for the same figure)."""
    if run is None:
        return []
    heads = run.headlines or {}
    out = []
    for indicator in indicators:
        spec = METRICS.get(indicator.metric)
        key = spec.headline if spec else ""
        if key and key in heads:
            out.append(PublishedFigure(indicator.name, indicator.metric, heads[key],
                                       heads.get(f"{key}_previous"),
                                       heads.get(f"{key}_change_pct")))
    return out
