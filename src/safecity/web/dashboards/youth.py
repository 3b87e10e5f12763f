"""The live youth re-offending tracker: children by pseudonymised key with their offences and
outcomes, monthly cohorts maturing under the proven re-offending rules, who re-offended this
month, and first-time entrants. Only the youth justice role and administrators may open it
(everyone else gets 404, ``access.require_youth_tracker``); every view is audited."""

from __future__ import annotations

from django.shortcuts import render

from ...engine import periods
from .. import access
from ..partnerships.audit import record_view
from . import services

KEY_CHARS = 12  # the pseudonymised key is shown shortened; it is a keyed hash either way


def tracker(request):
    access.require_youth_tracker(request)
    months = services.youth_months(services.warehouse())
    month = request.GET.get("month") or (months[-1] if months else "")
    error = ""
    if months and month not in months:
        error = "Choose a month from the list"
        month = months[-1]
    record_view(request, None, model="youth_justice.tracker",
                text=f"youth re-offending tracker {month or '(no records)'}")
    data, national_error = services.youth_tracker(month) if months else (None, "")
    return render(request, "dashboards/youth_tracker.html", {
        "data": data, "month": month, "error": error, "key_chars": KEY_CHARS,
        "national_error": national_error,
        "months": [(m, periods.month_label(m)) for m in reversed(months)],
        "month_label": periods.month_label(month) if month else ""})
