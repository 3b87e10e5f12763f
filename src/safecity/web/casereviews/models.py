"""ASB Case Review applications, their complaints, the agencies' information, the review and
its recommendations, and each partnership's published procedure (threshold, local factors,
appeal route, retention).

Applicants' names, contact details and descriptions stay in this database under the review
managers' roles, are audited without being copied into the log, and are purged after the
retention period (``manage purge_case_reviews``); the yearly figures are counts only.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..partnerships.models import Agency
from ..strategy.models import Strategy
from .threshold import Threshold


class Procedure(models.Model):
    """The partnership's published procedure and threshold (defaults: the Home Office's)."""

    partnership = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="+")
    complaints = models.PositiveSmallIntegerField(
        "Qualifying complaints needed", default=3,
        help_text="The law allows no more than 3 (ASBCPA 2014 Sch 4).")
    within_months = models.PositiveSmallIntegerField("All within (months)", default=6)
    report_within_months = models.PositiveSmallIntegerField(
        "Each reported within (months of the incident)", default=1)
    apply_within_months = models.PositiveSmallIntegerField(
        "Application within (months of the last complaint)", default=6)
    local_factors = models.TextField(
        default="The panel may review when the threshold is not met, considering the "
                "persistence of the behaviour, the harm or potential harm to the victim, and "
                "whether the response so far has been adequate.", max_length=2000)
    appeal_route = models.TextField(
        default="If you are not satisfied with how your application was handled, you can ask "
                "for the decision to be reviewed within 20 working days of this letter by "
                "writing to the partnership's community safety manager. The review will be "
                "carried out by someone not involved in the original decision.",
        max_length=2000)
    retention_months = models.PositiveSmallIntegerField(
        "Keep closed cases for (months)", default=24,
        help_text="Closed applications are purged this long after they close.")

    def threshold(self) -> Threshold:
        return Threshold(self.complaints, self.within_months, self.report_within_months,
                         self.apply_within_months)


def _reference() -> str:
    return "CT-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


class Application(models.Model):
    class Applicant(models.TextChoices):
        VICTIM = "victim", "The victim"
        ON_BEHALF = "on_behalf", "Someone applying for the victim (with their consent)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        NOT_MET = "not_met", "Threshold not met, no review"
        REVIEWING = "reviewing", "Review under way"
        CLOSED = "closed", "Closed"

    AUDIT_REDACTED = ("applicant_name", "contact_email", "contact_phone", "problem",
                      "description", "place", "outcome")

    partnership = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=10, unique=True, default=_reference)
    received_on = models.DateField()
    applicant = models.CharField(max_length=12, choices=Applicant.choices)
    applicant_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    problem = models.CharField(max_length=200, help_text="The behaviour, in a few words.")
    description = models.TextField(max_length=5000)
    place = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    threshold_met = models.BooleanField(null=True, blank=True)
    local_factors_review = models.BooleanField(default=False)
    decided_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(max_length=5000, blank=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    managed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("casereviews:application", args=[self.pk])

    @property
    def reviewed(self) -> bool:
        return self.threshold_met is True or self.local_factors_review


class Complaint(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="complaints")
    incident_on = models.DateField()
    reported_on = models.DateField()
    reported_to = models.CharField(max_length=120)
    problem = models.CharField(max_length=200)
    complainant = models.CharField(max_length=120, default="The applicant")

    AUDIT_REDACTED = ("complainant",)

    class Meta:
        ordering = ["reported_on", "id"]


class AgencyInformation(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="information")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(max_length=5000)
    added_on = models.DateField(auto_now_add=True)

    AUDIT_REDACTED = ("summary",)


class Recommendation(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="recommendations")
    text = models.TextField(max_length=2000)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done = models.BooleanField(default=False)

    AUDIT_REDACTED = ("text",)

    class Meta:
        ordering = ["due_on", "id"]


class KeptFigures(models.Model):
    """The yearly figures (ASBCPA 2014 Sch 4 para 4) of applications the retention purge has
    deleted, by financial year (April to March, named by the year it starts): the published
    figures of past years do not change when their records go. Counts only, no text."""

    partnership = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    applications = models.PositiveIntegerField(default=0)
    threshold_not_met = models.PositiveIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)
    reviews_with_recommendations = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "year"],
                                               name="casereview_kept_year_unique")]

    def __str__(self) -> str:
        return f"{self.partnership} {self.year}"
