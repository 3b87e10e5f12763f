"""Indicators on engine metrics and the cache of values the engine computed.

Values are never typed in: ``services.py`` asks ``safecity.engine.indicators.compute`` and keeps
the answer keyed by metric, period, area and the warehouse manifest hash, so a new ingest makes
the cache miss instead of showing stale figures.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from ...engine.indicators import METRICS


class Direction(models.TextChoices):
    DOWN = "down", "Lower is better"
    UP = "up", "Higher is better"


class Indicator(models.Model):
    priority = models.ForeignKey("strategy.Priority", on_delete=models.CASCADE,
                                 related_name="indicators")
    name = models.CharField(max_length=200)
    # Validated against the engine's METRICS in the form, not as model choices, so a new engine
    # metric needs no migration.
    metric = models.CharField(max_length=60)
    baseline = models.FloatField(null=True, blank=True)
    baseline_label = models.CharField(max_length=60, blank=True,
                                      help_text='The period of the baseline, e.g. "2019/20".')
    target = models.FloatField(null=True, blank=True)
    direction = models.CharField(max_length=5, choices=Direction.choices, default=Direction.DOWN)

    class Meta:
        ordering = ["priority__number", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def metric_name(self) -> str:
        spec = METRICS.get(self.metric)
        return spec.name if spec else self.metric

    def get_absolute_url(self) -> str:
        return reverse("dashboards:indicator", args=[self.pk])


class MetricValue(models.Model):
    """One engine answer, cached. Rows for an older manifest hash are simply never read again."""

    metric = models.CharField(max_length=60)
    area = models.CharField(max_length=12)
    period_label = models.CharField(max_length=60)
    period_start = models.DateField()
    period_end = models.DateField()
    manifest_hash = models.CharField(max_length=64)
    value = models.FloatField(null=True)
    previous = models.FloatField(null=True)
    change_pct = models.FloatField(null=True)
    p_value = models.FloatField(null=True)
    significant = models.BooleanField(default=False)
    wording = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=300, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["metric", "area", "period_start", "period_end", "manifest_hash"],
            name="metric_value_unique")]


class ScorecardGeneration(models.Model):
    """One counter, raised whenever something the scorecard shows changes (``generation.py``).

    Every worker reads it on each scorecard view and puts it in the cached page's key, and in
    the key of its own copy of the metric values, so a change made through any worker, or the
    "Recompute indicator values" button, shows at once everywhere.
    """

    value = models.PositiveBigIntegerField(default=0)
