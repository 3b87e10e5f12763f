"""Changing an update: save, submit, return, approve, each versioned and optimistically locked.

The form carries the version it was loaded at. A save succeeds only if the stored version is still
that number (a conditional UPDATE), so of two people editing one update the second gets
``EditConflict`` holding the other person's text, never a silent overwrite.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..partnerships.audit import remember_for_audit
from .models import Update, UpdateVersion

TRACKED = ("status", "rag", "text", "review_comment")


class EditConflict(Exception):
    """Someone saved the update after this form was loaded; ``current`` is their version."""

    def __init__(self, current: Update) -> None:
        self.current = current
        who = current.updated_by.get_full_name() or current.updated_by.get_username() \
            if current.updated_by else "someone else"
        super().__init__(f"{who} changed this update while you were editing it.")


class InvalidTransition(Exception):
    pass


def _apply(update: Update, user, expected_version: int, event: str, **values) -> Update:
    """Write ``values`` if the stored version is ``expected_version``; record the version."""
    now = timezone.now()
    with transaction.atomic():
        if update.pk is None:
            if expected_version != 0:
                raise EditConflict(Update.objects.get(cycle=update.cycle, action=update.action))
            old = {f: getattr(update, f) for f in TRACKED}
            for key, val in values.items():
                setattr(update, key, val)
            update.version, update.updated_by = 1, user
            try:
                with transaction.atomic():
                    update.save()
            except IntegrityError:  # someone created it first
                raise EditConflict(Update.objects.get(cycle=update.cycle, action=update.action))
        else:
            current = Update.objects.select_for_update().get(pk=update.pk)
            if current.version != expected_version:
                raise EditConflict(current)
            current.cycle, current.action = update.cycle, update.action  # same rows, loaded
            remember_for_audit(current)  # the row just read under the lock is the old state
            old = {f: getattr(current, f) for f in TRACKED}
            for key, val in values.items():
                setattr(current, key, val)
            current.version, current.updated_by = expected_version + 1, user
            current.save()  # through save() so the audit signals see the change
            update = current
        changes = {f: [old[f], getattr(update, f)] for f in TRACKED if old[f] != getattr(update, f)}
        UpdateVersion.objects.create(update=update, number=update.version, event=event,
                                     status=update.status, rag=update.rag, text=update.text,
                                     review_comment=update.review_comment, author=user, at=now,
                                     changes=changes)
    return update


def save_update(update: Update, user, *, rag: str, text: str, expected_version: int,
                submit: bool, share: bool = False) -> Update:
    """Save a draft (``share``: and let the coordinator know it is ready for an early read),
    or submit it."""
    if update.status == Update.Status.APPROVED:
        raise InvalidTransition("This update has been approved and can no longer be changed.")
    if submit and not (rag and text.strip()):
        raise InvalidTransition("An update needs a RAG status and text before it is submitted.")
    values = {"rag": rag, "text": text}
    if share:
        values["shared_at"] = timezone.now()
    if submit:
        values.update(status=Update.Status.SUBMITTED, submitted_at=timezone.now())
    elif update.status != Update.Status.SUBMITTED:
        values["status"] = (Update.Status.RETURNED if update.status == Update.Status.RETURNED
                            else Update.Status.DRAFT)
    event = "submitted" if submit else "shared" if share else "saved"
    return _apply(update, user, expected_version, event, **values)


def return_update(update: Update, user, *, comment: str, expected_version: int) -> Update:
    if update.status != Update.Status.SUBMITTED:
        raise InvalidTransition("Only a submitted update can be returned.")
    return _apply(update, user, expected_version, "returned", status=Update.Status.RETURNED,
                  review_comment=comment, reviewed_by=user, reviewed_at=timezone.now())


def approve_update(update: Update, user, *, expected_version: int) -> Update:
    if update.status != Update.Status.SUBMITTED:
        raise InvalidTransition("Only a submitted update can be approved.")
    return _apply(update, user, expected_version, "approved", status=Update.Status.APPROVED,
                  reviewed_by=user, reviewed_at=timezone.now())
