"""Public pages: open to anyone, signed in or not."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def home(request):
    from ..access import membership
    from ..governance.services import review_warnings

    member = membership(request.user)
    # An administrator is told here when an information sharing agreement is overdue review.
    warnings = review_warnings() if member is not None and member.is_administrator else []
    return render(request, "pages/home.html", {"governance_warnings": warnings})


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_not_required
def cookies(request):
    return render(request, "pages/cookies.html")


@login_not_required
def privacy(request):
    from ...engine import settings as engine_settings
    from ..governance.services import load
    from ..intelligence.models import RETENTION_MONTHS as INTELLIGENCE_MONTHS

    # the periods the purges use (web/hate_reports/retention.py, web/intelligence/services.py)
    return render(request, "pages/privacy.html", {
        "register": load(),
        "hate_report_months": engine_settings.get("hate_report_retention_months"),
        "intelligence_months": INTELLIGENCE_MONTHS})
