"""Partnership Action Groups (PAGs): one group per policing sector, with member agencies, and the
problems it works on in the SARA/OSARA form (objectives, scanning, analysis, response,
assessment), their actions with owners and dates, the reviews at each meeting, and the closing
before-and-after comparison (with a weighted displacement difference when a control area is
given).

The plan, the actions, the review notes and the closing note are free text that may mention
people: they stay in this database, are audited without being copied into the log
(``AUDIT_REDACTED``), and are blanked ``RETENTION_MONTHS`` after the problem closes
(``manage purge_action_groups``); the place, the type, the dates and the closing figures are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..partnerships.models import Agency
from ..strategy.models import Strategy

RETENTION_MONTHS = 24
PURGED = "(removed at the end of the retention period)"


class ActionGroup(models.Model):
    partnership = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField("Policing sector", max_length=80,
                              help_text="As in the partnership's geography, for example Central.")
    name = models.CharField(max_length=120, help_text="For example, Central PAG.")
    members = models.ManyToManyField(Agency, related_name="+", verbose_name="Member agencies")
    meets = models.CharField("When it meets", max_length=120, blank=True,
                             help_text="For example, the first Tuesday of each month.")

    class Meta:
        ordering = ["sector", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "sector"],
                                               name="one_group_per_sector")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actiongroups:group", args=[self.pk])


class Problem(models.Model):
    class Kind(models.TextChoices):
        ASB = "asb", "Anti-social behaviour"
        DRUGS = "drugs", "Drug dealing or use"
        BURGLARY = "burglary", "Burglary"
        VIOLENCE = "violence", "Violence"
        VEHICLE = "vehicle", "Vehicle crime"
        DAMAGE = "damage", "Criminal damage or arson"
        ENVIRONMENT = "environment", "Environmental (litter, fly-tipping, graffiti)"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    AUDIT_REDACTED = ("objectives", "scanning", "analysis", "response", "assessment",
                      "closing_note")
    TEXT_FIELDS = AUDIT_REDACTED

    group = models.ForeignKey(ActionGroup, on_delete=models.PROTECT, related_name="problems")
    title = models.CharField(max_length=150, help_text="A few words: what, where.")
    kind = models.CharField("Type of problem", max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                              verbose_name="Owner")
    place_description = models.CharField("Place", max_length=200,
                                         help_text="For example, the shops on Demo Road.")
    lsoas = models.JSONField(default=list, blank=True)
    drawn_area = models.TextField(blank=True, max_length=4000)
    objectives = models.TextField(blank=True, max_length=4000)
    scanning = models.TextField(blank=True, max_length=4000)
    analysis = models.TextField(blank=True, max_length=4000)
    response = models.TextField(blank=True, max_length=4000)
    assessment = models.TextField(blank=True, max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    escalated_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closing_note = models.TextField(blank=True, max_length=4000)
    # The closing comparison, kept as computed (the warehouse may change or be purged later).
    crime_type = models.CharField(max_length=40, blank=True)
    before_first = models.CharField(max_length=7, blank=True)
    before_last = models.CharField(max_length=7, blank=True)
    after_first = models.CharField(max_length=7, blank=True)
    after_last = models.CharField(max_length=7, blank=True)
    before_count = models.IntegerField(null=True, blank=True)
    after_count = models.IntegerField(null=True, blank=True)
    change_pct = models.FloatField(null=True, blank=True)
    change_p = models.FloatField(null=True, blank=True)
    change_wording = models.CharField(max_length=300, blank=True)
    control_lsoas = models.JSONField(default=list, blank=True)
    control_before = models.IntegerField(null=True, blank=True)
    control_after = models.IntegerField(null=True, blank=True)
    wdd_estimate = models.FloatField(null=True, blank=True)
    wdd_se = models.FloatField(null=True, blank=True)
    wdd_z = models.FloatField(null=True, blank=True)
    wdd_p = models.FloatField(null=True, blank=True)
    wdd_low = models.FloatField(null=True, blank=True)
    wdd_high = models.FloatField(null=True, blank=True)
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"PAG-{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("actiongroups:problem", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def crime_type_label(self) -> str:
        from ...engine.problem_solving import CRIME_TYPES

        return CRIME_TYPES.get(self.crime_type, self.crime_type)

    @property
    def plan(self) -> list[tuple[str, str]]:
        return [("Objectives", self.objectives), ("Scanning", self.scanning),
                ("Analysis", self.analysis), ("Response", self.response),
                ("Assessment", self.assessment)]


class Task(models.Model):
    """An action of a problem's response: what, which agency owns it, by when."""

    AUDIT_REDACTED = ("text",)

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="tasks")
    text = models.TextField(max_length=2000)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Review(models.Model):
    """A problem's review at a group meeting: progress, and what the group decided."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue with the plan"
        ESCALATE = "escalate", "Escalate to the partnership"
        CLOSE = "close", "Ready to close"

    AUDIT_REDACTED = ("notes",)

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reviews")
    meeting_on = models.DateField()
    notes = models.TextField(max_length=4000)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-meeting_on", "-id"]
