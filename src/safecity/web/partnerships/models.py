"""Agencies, memberships (a user's agency and role) and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    LEAD = "lead", "Agency lead"
    ANALYST = "analyst", "Analyst"
    MEMBER = "member", "Member"
    ADMINISTRATOR = "administrator", "Administrator"
    HATE_COORDINATOR = "hate_coordinator", "Hate crime coordinator"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True, help_text="Shared inbox for reminders, if any.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user's agency and role. A user without a membership sees only the public pages."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.agency})"

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def manages_strategy(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMINISTRATOR)

    @property
    def manages_data(self) -> bool:
        return self.role in (Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR)


class AuditEntry(models.Model):
    """One change to a record, or one view of a restricted page. Never edited or deleted."""

    class Verb(models.TextChoices):
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Viewed"
        EMAIL = "email", "Emailed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    verb = models.CharField(max_length=10, choices=Verb.choices)
    model = models.CharField(max_length=100)  # app_label.ModelName
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.verb} {self.model} {self.object_id}"
