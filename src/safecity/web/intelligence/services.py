"""Retention of partner intelligence."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..casereviews.threshold import add_months
from .models import RETENTION_MONTHS, Intelligence


def purge(today: dt.date | None = None) -> int:
    """Delete items submitted more than RETENTION_MONTHS before ``today``; returns how many."""
    today = today or timezone.localdate()
    cutoff = add_months(today, -RETENTION_MONTHS)
    gone = 0
    with transaction.atomic():
        for item in Intelligence.objects.filter(submitted_at__date__lt=cutoff):
            item.delete()  # one by one, so each deletion is in the audit log
            gone += 1
    return gone
