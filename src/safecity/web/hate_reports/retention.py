"""The retention purge of third-party hate reports: what a report says is deleted on time.

A report's text, place description, contact details and triage note (``Report.TEXT_FIELDS``)
are deleted ``hate_report_retention_months`` (setting, default 12) after it was received. The
report itself stays with no personal details (its date, channel, centre, strands, status and
LSOA), because the partnership's counts and the warehouse export are made from those. Each
purged report is saved once more, so the audit log records the purge (never the text).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ...engine import settings as engine_settings
from ...engine.periods import add_months
from .models import Report

#: What a purged field reads.
PURGED = "(deleted at the end of the retention period)"


def cutoff(today: dt.date) -> dt.date:
    """Reports received before this day are past their retention on ``today``."""
    return add_months(today, -int(engine_settings.get("hate_report_retention_months")))


def purge(today: dt.date | None = None) -> int:
    """Delete the text and contact details of reports received more than the retention period
    before ``today``; returns how many reports were purged (none twice)."""
    today = today or timezone.localdate()
    done = 0
    with transaction.atomic():
        for report in Report.objects.filter(text_purged_on__isnull=True).filter(
                received_at__date__lt=cutoff(today)):
            for name in Report.TEXT_FIELDS:
                value = getattr(report, name)
                # contact details are emptied (an address or phone field must stay a valid value
                # or empty, and the phone column is 30 characters); text is marked as purged
                setattr(report, name,
                        "" if not value or name in ("contact_email", "contact_phone") else PURGED)
            report.text_purged_on = today
            report.save()  # audited, without the text (Report.AUDIT_REDACTED)
            done += 1
    return done
