"""The app's view of the engine's governance records: the register, the returns, the run log.

Every rule stays in ``safecity.engine.governance``; this module finds the warehouse folder (the
engine setting), turns a broken register file into one sentence for the page instead of a 500,
and sends and records the reminders for late quarterly returns."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.utils import timezone

from ...engine import settings
from ...engine.errors import SafecityError
from ...engine.governance import register, runlog
from ...engine.governance.returns import ExpectedReturn, expected_returns
from ...engine.safe_text import csv_cell, header_text
from ...engine.warehouse import Warehouse
from ..partnerships.audit import record_email
from .models import ReturnReminder


def warehouse_root() -> Path:
    return settings.warehouse_dir()


@dataclass(frozen=True)
class Register:
    entries: list[register.SourceEntry]
    problem: str = ""  # a register file that cannot be read, in one sentence


def load() -> Register:
    try:
        return Register(register.load_register(warehouse_root()))
    except SafecityError as exc:
        return Register([], exc.message)


def get_entry(entry_id: str) -> register.SourceEntry | None:
    return next((e for e in load().entries if e.id == entry_id), None)


def review_warnings(today: dt.date | None = None) -> list[str]:
    """The engine's sentence for every agreement past its review date ([] if none or unreadable)."""
    try:
        return register.review_warnings(warehouse_root(), today)
    except SafecityError as exc:
        return [exc.message]


# --- the quarterly returns -----------------------------------------------------------------

@dataclass(frozen=True)
class SupplierReturns:
    entry: register.SourceEntry
    returns: list[ExpectedReturn]  # newest first
    reminders: dict[str, dt.datetime]  # quarter -> when last reminded

    @property
    def rows(self) -> list[tuple[ExpectedReturn, dt.datetime | None]]:
        """Each return with when its supplier was last reminded of it."""
        return [(r, self.reminders.get(r.quarter)) for r in self.returns]

    @property
    def late(self) -> list[ExpectedReturn]:
        return [r for r in self.returns if r.needs_chasing]


def tracker(today: dt.date | None = None) -> list[SupplierReturns]:
    """Every register entry expecting quarterly returns, with its returns and reminders."""
    entries = [e for e in load().entries if e.quarterly_return]
    if not entries:
        return []
    returns = expected_returns(Warehouse(warehouse_root()), today, entries)
    by_entry: dict[str, list[ExpectedReturn]] = defaultdict(list)
    for r in returns:
        by_entry[register.entry_id(r.source, r.supplier)].append(r)
    reminded: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    for reminder in ReturnReminder.objects.filter(entry_id__in=[e.id for e in entries]):
        reminded[reminder.entry_id].setdefault(reminder.quarter, reminder.sent_at)
    return [SupplierReturns(e, by_entry[e.id], reminded[e.id]) for e in entries]


class NoContact(Exception):
    """The register gives the supplier's contact no email address."""


def send_reminder(supplier: SupplierReturns, *, by=None, base_url: str = "") -> ReturnReminder:
    """Email the supplier's contact the list of its late returns, and record one reminder per
    late quarter. NoContact when the register has no email for them."""
    entry = supplier.entry
    late = supplier.late
    if not entry.contact.email:
        raise NoContact(f"The register has no email address for {entry.supplier}'s contact.")
    subject = header_text(f"Quarterly {entry.source} return overdue: {entry.supplier}")
    lines = "\n".join(f"- {r.quarter}: due by {r.due:%d %B %Y}" for r in late)
    body = (f"Dear {entry.contact.name or entry.supplier},\n\n"
            f"Under the information sharing agreement {entry.isa.reference}, the community safety "
            f"partnership expects a quarterly {entry.source} return from {entry.supplier} "
            f"(Crime and Disorder Act 1998 s.17A; SI 2007/1831). These returns have not been "
            f"received:\n\n{lines}\n\nPlease send them to the partnership's analyst.\n")
    send_mail(subject, body, django_settings.DEFAULT_FROM_EMAIL, [entry.contact.email])
    record_email(None, [entry.contact.email], subject)
    reminders = [ReturnReminder.objects.create(entry_id=entry.id, quarter=r.quarter, sent_by=by,
                                               to=entry.contact.email) for r in late]
    return reminders[0]


def remind_all_late(today: dt.date | None = None, *, quiet_days: int = 7) -> list[str]:
    """Remind every supplier with a late return not already reminded in the last
    ``quiet_days`` days (so a daily scheduler sends one email a week). One line per supplier."""
    out: list[str] = []
    since = timezone.now() - dt.timedelta(days=quiet_days)
    for supplier in tracker(today):
        late = supplier.late
        if not late:
            continue
        if all(supplier.reminders.get(r.quarter) and supplier.reminders[r.quarter] >= since
               for r in late):
            out.append(f"{supplier.entry.supplier} ({supplier.entry.source}): reminded in the "
                       f"last {quiet_days} days, not again.")
            continue
        try:
            send_reminder(supplier)
        except NoContact as exc:
            out.append(f"{exc} Add one to the register entry.")
            continue
        out.append(f"{supplier.entry.supplier} ({supplier.entry.source}): reminded "
                   f"{supplier.entry.contact.email} of {len(late)} late return"
                   f"{'' if len(late) == 1 else 's'}.")
    return out


# --- the audit export ----------------------------------------------------------------------

AUDIT_COLUMNS = ("when (UTC)", "who", "what", "record type", "record id", "record", "page",
                 "changes")
RUN_COLUMNS = ("when (UTC)", "who", "command", "arguments", "outcome")


def _in_range(at: dt.datetime | str, start: dt.date | None, end: dt.date | None) -> bool:
    day = (dt.datetime.fromisoformat(at) if isinstance(at, str) else at).date()
    return (start is None or day >= start) and (end is None or day <= end)


def audit_entries(start: dt.date | None, end: dt.date | None):
    from ..partnerships.models import AuditEntry

    entries = AuditEntry.objects.order_by("at", "id")
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    return entries


def runs(start: dt.date | None, end: dt.date | None) -> list[runlog.Run]:
    return [r for r in runlog.runs() if _in_range(r.at, start, end)]


def _csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """Rows as CSV text, every cell through the one export sanitiser (no formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def audit_csv(start: dt.date | None, end: dt.date | None) -> str:
    import json

    utc = dt.timezone.utc
    return _csv(AUDIT_COLUMNS, (
        (e.at.astimezone(utc).isoformat(timespec="seconds"), e.username or "system",
         e.get_verb_display(), e.model, e.object_id, e.object_repr, e.path,
         json.dumps(e.changes, ensure_ascii=False, default=str) if e.changes else "")
        for e in audit_entries(start, end).iterator()))


def runs_csv(start: dt.date | None, end: dt.date | None) -> str:
    return _csv(RUN_COLUMNS, ((r.at, r.user, r.command, " ".join(r.args), r.outcome)
                              for r in runs(start, end)))


def save_entry(entry: register.SourceEntry, user) -> register.SourceEntry:
    """Save through the engine (the YAML file and its history), and log the run as the app user."""
    saved = register.save_entry(warehouse_root(), entry, by=user.get_username())
    runlog.record("governance register", ["web", "save", saved.id], "ok",
                  user=f"{user.get_username()} (web app)", detail={"version": saved.version})
    return saved
