"""Reporting centres and the hate reports made to them or online.

A report's text, place description and contact details stay in this database: only accepted
reports reach the warehouse, and then only the channel, centre, strands, month and LSOA
(``warehouse.py``). Contact details are stored only when the person agreed to be contacted.
The text and contact details are deleted ``hate_report_retention_months`` (setting) after the
report was received (``retention.py``, ``manage purge_hate_reports``).
The partnership a record belongs to is a strategy's partners (the app's one partnership rule).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..strategy.models import Strategy

#: The five monitored strands, in the warehouse's order (engine ``contract.HATE_STRANDS``).
STRANDS = [
    ("race", "Race or ethnicity"),
    ("religion", "Religion or belief"),
    ("sexual_orientation", "Sexual orientation"),
    ("disability", "Disability"),
    ("transgender", "Transgender identity"),
]
STRAND_LABELS = dict(STRANDS)


class Centre(models.Model):
    """A registered third-party reporting centre (a library, a charity, a college...)."""

    partnership = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+",
                                    help_text="The strategy whose partners run this centre.")
    name = models.CharField(max_length=120)
    area = models.CharField(max_length=120, help_text="Ward, neighbourhood or town it serves.")
    active = models.BooleanField(default=True, help_text="Inactive centres are not offered on "
                                 "the public form; their reports are kept.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="hate_centre_name_unique")]

    def __str__(self) -> str:
        return self.name


def _reference() -> str:
    # Unambiguous letters and digits; a reference tells the reporter nothing about other reports.
    return "HC-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


class Report(models.Model):
    class Reporter(models.TextChoices):
        VICTIM = "victim", "I am the victim"
        WITNESS = "witness", "I saw it happen"
        ON_BEHALF = "on_behalf", "I am reporting for someone else"
        CENTRE = "centre_staff", "I work at a reporting centre and am reporting for someone"

    class Status(models.TextChoices):
        NEW = "new", "New"
        POLICE = "police", "Passed to the police"
        SIGNPOSTED = "signposted", "Signposted to support"
        RECORDED = "recorded", "Recorded only"
        REJECTED = "rejected", "Not a hate report (not counted)"

    ACCEPTED = (Status.POLICE, Status.SIGNPOSTED, Status.RECORDED)
    AUDIT_REDACTED = ("what_happened", "place", "contact_name", "contact_email",
                      "contact_phone", "triage_note")
    #: What the retention purge deletes (``retention.py``); the rest is what counts are made of.
    TEXT_FIELDS = AUDIT_REDACTED

    partnership = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12, unique=True, default=_reference)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="reports", help_text="Blank: reported online.")
    reporter = models.CharField(max_length=20, choices=Reporter.choices)
    strands = models.JSONField(default=list, help_text="Keys of STRANDS; may be empty "
                               "(something else, or not sure).")
    what_happened = models.TextField(max_length=5000)
    place = models.CharField(max_length=300)
    happened_on = models.DateField()
    wants_police = models.BooleanField()
    contact_ok = models.BooleanField()
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    lsoa_code = models.CharField(max_length=9, blank=True, help_text="Set when triaged.")
    triage_note = models.TextField(max_length=2000, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    text_purged_on = models.DateField(null=True, blank=True, help_text="The day its text and "
                                      "contact details were deleted at the end of the "
                                      "retention period.")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("hate_reports:report", args=[self.pk])

    @property
    def is_accepted(self) -> bool:
        return self.status in self.ACCEPTED

    @property
    def channel(self) -> str:
        """The warehouse's channel: third_party through a centre, online otherwise."""
        return "third_party" if self.centre_id else "online"

    @property
    def strand_labels(self) -> list[str]:
        return [STRAND_LABELS[s] for s in self.strands if s in STRAND_LABELS]
