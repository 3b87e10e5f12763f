"""What the app records about the quarterly returns: when a supplier was reminded."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReturnReminder(models.Model):
    """One reminder email about one late quarterly return of one register entry."""

    entry_id = models.CharField(max_length=200, db_index=True)  # the register entry's id
    quarter = models.CharField(max_length=7)  # "2026 Q3"
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    to = models.CharField(max_length=254)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Reminder for {self.entry_id} {self.quarter} to {self.to}"
