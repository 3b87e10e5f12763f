"""The quarterly returns: which prescribed returns are expected, received, late or missing.

Section 17A of the Crime and Disorder Act 1998, with SI 2007/1831, obliges the police, fire and
health bodies of a partnership to share prescribed depersonalised information every quarter. A
register entry with ``quarterly_return: true`` expects one return per calendar quarter from the
quarter its agreement starts, due by the end of the following quarter. A return is received
when a batch of that source covering a month of the quarter is loaded; it was late when it was
loaded after the due date.

>>> quarter_of(dt.date(2026, 12, 7))
'2026 Q4'
>>> due_date("2026 Q4")
datetime.date(2027, 3, 31)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import periods
from ..warehouse import Warehouse
from .register import SourceEntry, load_register


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _last_month(quarter: str) -> str:
    return f"{quarter[:4]}-{3 * int(quarter[-1]):02d}"


def quarter_months(quarter: str) -> tuple[str, ...]:
    return tuple(periods.months_in(periods.quarters_to(_last_month(quarter), 1)[0]))


def _next(quarter: str) -> str:
    return quarter_of(periods.month(periods.shift_month(_last_month(quarter), 1)).start)


def due_date(quarter: str) -> dt.date:
    """The last day of the quarter after ``quarter``."""
    return periods.month(periods.shift_month(_last_month(quarter), 3)).end


@dataclass(frozen=True)
class ExpectedReturn:
    source: str
    supplier: str
    contact: str
    quarter: str
    due: dt.date
    received_at: dt.date | None
    status: str  # "received", "received late", "late", "not yet due"

    @property
    def needs_chasing(self) -> bool:
        return self.status == "late"


def _loaded_months(warehouse: Warehouse, source: str) -> dict[str, dt.date]:
    """Month -> the first day a batch of ``source`` covering it was loaded."""
    first: dict[str, dt.date] = {}
    for batch in warehouse.batches():
        if batch.source != source:
            continue
        day = dt.datetime.fromisoformat(batch.loaded_at).date()
        for month in batch.months:
            if month not in first or day < first[month]:
                first[month] = day
    return first


def expected_returns(warehouse: Warehouse, today: dt.date | None = None,
                     entries: list[SourceEntry] | None = None) -> list[ExpectedReturn]:
    """Every expected quarterly return up to the current quarter, newest first."""
    today = today or dt.date.today()
    entries = load_register(warehouse.root) if entries is None else entries
    out: list[ExpectedReturn] = []
    for entry in entries:
        if not entry.quarterly_return:
            continue
        loaded = _loaded_months(warehouse, entry.source)
        quarter = quarter_of(entry.isa.start)
        last = quarter_of(today)
        while True:
            due = due_date(quarter)
            days = [loaded[m] for m in quarter_months(quarter) if m in loaded]
            received = min(days) if days else None
            if received is not None:
                status = "received" if received <= due else "received late"
            else:
                status = "late" if today > due else "not yet due"
            contact = entry.contact.name + (f" <{entry.contact.email}>" if entry.contact.email else "")
            out.append(ExpectedReturn(entry.source, entry.supplier, contact, quarter, due,
                                      received, status))
            if quarter == last:
                break
            quarter = _next(quarter)
    return sorted(out, key=lambda r: (r.quarter, r.source, r.supplier), reverse=True)
