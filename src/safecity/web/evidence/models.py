"""An assessment run or monthly pack published into the app, and the files it was written as.

A run is the output folder of ``safecity assess`` (assessment.json, report.html/pdf, CSVs, and
whatever else the engine writes there), kept whole in the app database so a partner reads the
same files the analyst checked. Runs are never replaced: publishing the same period again makes
the next version, and every earlier one stays, with who published it and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Run(models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "annual", "Strategic Assessment"
        MONTHLY = "monthly", "Monthly performance pack"

    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet published"
        PUBLISHED = "published", "Published"

    partnership = models.ForeignKey("strategy.Strategy", on_delete=models.CASCADE,
                                    related_name="evidence_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=200)
    period_label = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    generated_at = models.CharField(max_length=40, blank=True)
    version = models.PositiveIntegerField()
    #: Restricted runs are for the partners' officers: read-only members get 403.
    restricted = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    headlines = models.JSONField(default=dict, blank=True)  # key -> published value
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    # The audit log records that the figures were stored, not a copy of every figure.
    AUDIT_REDACTED = ("headlines",)

    class Meta:
        ordering = ["-period_end", "kind", "-version"]
        constraints = [models.UniqueConstraint(
            fields=["partnership", "kind", "area_code", "period_start", "period_end", "version"],
            name="evidence_run_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()}: {self.area_name}, {self.period_label}"

    @property
    def generated_label(self) -> str:
        """When safecity wrote the run, as people read a time ("7 December 2026 at 07:32")."""
        import datetime as dt

        try:
            when = dt.datetime.fromisoformat(self.generated_at)
        except ValueError:
            return self.generated_at or "Not recorded"
        return f"{when:%-d %B %Y} at {when:%H:%M}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse("evidence:run", args=[self.pk])


class RunFile(models.Model):
    """One file of a run, by its path inside the run folder ("tables/crime_by_lsoa.csv")."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["run", "name"],
                                               name="evidence_file_unique")]

    def __str__(self) -> str:
        return self.name
