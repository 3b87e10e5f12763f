"""The audit log: every change to a partnership record, and every view of a restricted page.

Changes are caught with model signals, so no view can forget them; the middleware remembers who is
asking. Views of restricted pages (unpublished updates, record-level lists) call ``record_view``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import AuditEntry

_request: contextvars.ContextVar = contextvars.ContextVar("safecity_audit_request", default=None)
AUDITED_APPS = {"partnerships", "strategy", "dashboards", "reports", "hate_reports",
                "casereviews", "governance", "intelligence", "actiongroups", "evidence"}
# the log itself; a cache; a run's files (stored with their run, which is logged)
NOT_AUDITED = {"partnerships.auditentry", "dashboards.metricvalue", "evidence.runfile"}


class AuditMiddleware:
    """Remembers the current request so model signals know who made a change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _audited(sender) -> bool:
    meta = sender._meta
    return meta.app_label in AUDITED_APPS and meta.label_lower not in NOT_AUDITED


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, decimal.Decimal)):
        return str(value)
    return value


def _fields(instance: Model) -> dict[str, Any]:
    """Field values for the log. A model listing ``AUDIT_REDACTED`` fields (free text or
    contact details about people) has them logged as changed, never copied into the log, so
    purging the record purges the text."""
    redacted = getattr(instance, "AUDIT_REDACTED", ())
    return {f.attname: ("(redacted)" if f.attname in redacted and getattr(instance, f.attname)
                        else _plain(getattr(instance, f.attname)))
            for f in instance._meta.concrete_fields}


def _write(verb: str, instance: Model | None, *, model: str = "", object_id: str = "",
           changes: dict | None = None, request=None, text: str = "") -> AuditEntry:
    request = request or _request.get()
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        user=user, username=user.get_username() if user else "", verb=verb,
        model=model or (instance._meta.label if instance is not None else ""),
        object_id=object_id or (str(instance.pk) if instance is not None else ""),
        object_repr=(text or str(instance or ""))[:300],
        path=(request.get_full_path()[:300] if request is not None else ""),
        changes=changes or {})


def record_view(request, instance: Model | None, *, model: str = "", text: str = "") -> None:
    """Log that ``request.user`` viewed a restricted page about ``instance``."""
    _write(AuditEntry.Verb.VIEW, instance, model=model, request=request, text=text)


def record_email(instance: Model | None, recipients: list[str], subject: str) -> None:
    _write(AuditEntry.Verb.EMAIL, instance, changes={"to": recipients, "subject": subject})


def remember_for_audit(instance: Model) -> None:
    """Mark ``instance``, just read from the database, as the old state of its next save, so
    the audit need not read the row again (a caller that has just locked and read it)."""
    instance._audit_old = _fields(instance)


@receiver(pre_save)
def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender) or instance.pk is None or "_audit_old" in instance.__dict__:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_old = _fields(old) if old is not None else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    new = _fields(instance)
    if created:
        _write(AuditEntry.Verb.CREATE, instance, changes={k: [None, v] for k, v in new.items()
                                                           if v not in (None, "")})
        return
    old = instance.__dict__.pop("_audit_old", None) or {}  # used once: the next save reads again
    changes = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    changes.pop("updated_at", None)
    if changes:
        _write(AuditEntry.Verb.CHANGE, instance, changes=changes)


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if _audited(sender):
        _write(AuditEntry.Verb.DELETE, instance, changes={k: [v, None] for k, v in
                                                           _fields(instance).items()})


@receiver(m2m_changed)
def _log_m2m(sender, instance, action, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or not _audited(type(instance)):
        return
    field = next((f.name for f in instance._meta.many_to_many
                  if f.remote_field.through is sender), sender._meta.model_name)
    _write(AuditEntry.Verb.CHANGE, instance,
           changes={field: [action.removeprefix("post_"), sorted(pk_set or [])]})
