"""The scorecard's generation: a counter in the database, raised on every change it shows.

The scorecard's priorities' tables are cached (in each worker's memory) under a key holding this
counter, the warehouse manifest's hash and the area, and each worker's copy of the metric values
(``services._memo``) is keyed by it too. A key never needs deleting: after a change, every worker
reads the new counter on its next view and misses. What raises it:

* saving or deleting a priority, action, indicator, reporting cycle (its name is the "As at"
  column) or agency (lead names), and changing an action's lead agencies;
* saving an update that is, or was, approved (the scorecard shows approved RAG statuses only,
  so drafts being typed leave the cache alone), or deleting an approved one;
* the "Recompute indicator values" button (``services.clear_cache``).

Bulk writes that skip signals (``QuerySet.update``, ``bulk_create``) must call :func:`bump`.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from ..partnerships.models import Agency
from ..strategy.models import Action, Priority, ReportingCycle, Update
from .models import Indicator, ScorecardGeneration

SHOWN = (Priority, Action, Indicator, ReportingCycle, Agency)
_UNKNOWN = object()


def current() -> int:
    """The counter now (0 before the first change)."""
    return ScorecardGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump() -> None:
    if not ScorecardGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        ScorecardGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


@receiver(post_save)
@receiver(post_delete)
def _shown_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    if sender in SHOWN:
        bump()
    elif sender is Update and (instance.status == Update.Status.APPROVED
                               or getattr(instance, "_scorecard_was_approved", False)):
        bump()


@receiver(pre_save, sender=Update)
def _remember_approval(sender, instance, raw=False, **kwargs) -> None:
    """An approved update changed back (only possible in the admin) leaves the scorecard too.
    The audit has just read the stored row for its own record (``_audit_old``), so this asks
    the database only when that is missing."""
    if raw or instance.pk is None or instance.status == Update.Status.APPROVED:
        instance._scorecard_was_approved = False
        return
    old = instance.__dict__.get("_audit_old", _UNKNOWN)
    if old is _UNKNOWN:
        instance._scorecard_was_approved = Update.objects.filter(
            pk=instance.pk, status=Update.Status.APPROVED).exists()
    else:
        instance._scorecard_was_approved = (old or {}).get("status") == Update.Status.APPROVED


@receiver(m2m_changed, sender=Action.lead_agencies.through)
def _leads_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump()
