"""Partner intelligence (Community Partnership Intelligence forms).

The text stays in this database: the submitter and the partnership's analysts read it, every
view is audited (the log never copies the text), and it is purged ``RETENTION_MONTHS`` after it
was submitted (``manage purge_intelligence``). It never enters the warehouse.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..partnerships.models import Agency
from ..strategy.models import Strategy

RETENTION_MONTHS = 12


class Intelligence(models.Model):
    class Category(models.TextChoices):
        DRUGS = "drugs", "Drugs"
        ASB = "asb", "Anti-social behaviour"
        EXPLOITATION = "exploitation", "Exploitation (including county lines)"
        VIOLENCE = "violence", "Violence or weapons"
        HATE = "hate", "Hate"
        OTHER = "other", "Something else"

    class Reliability(models.TextChoices):
        A = "A", "A: reliable (first hand, or a source known to be right)"
        B = "B", "B: untested (heard from someone not known to us)"
        C = "C", "C: not reliable (rumour, or a source known to be wrong before)"

    class Handling(models.TextChoices):
        P = "P", "P: may be shared with partner agencies for community safety"
        C = "C", "C: may be shared only on the conditions below"

    class Status(models.TextChoices):
        NEW = "new", "Waiting for an analyst"
        TASKING = "tasking", "Passed to the tasking meeting"
        LINKED = "linked", "Linked to a problem or hotspot"
        NFA = "nfa", "No further action"

    AUDIT_REDACTED = ("what", "place", "conditions", "outcome")

    partnership = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    seen_on = models.DateField()
    category = models.CharField(max_length=20, choices=Category.choices)
    what = models.TextField(max_length=4000)
    ward = models.CharField(max_length=80, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    place = models.CharField(max_length=300, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    handling = models.CharField(max_length=1, choices=Handling.choices)
    conditions = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    linked_to = models.CharField(max_length=200, blank=True)
    problem = models.ForeignKey("actiongroups.Problem", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="intelligence",
                                help_text="The Partnership Action Group problem it informs.")
    outcome = models.TextField(max_length=2000, blank=True,
                               help_text="What the submitter is told.")
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name_plural = "intelligence"

    def __str__(self) -> str:
        return f"CPI-{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:item", args=[self.pk])
