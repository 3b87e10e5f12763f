"""High-risk domestic abuse referrals (e.g. to MARAC).

Default layout: headers ``referral_ref, referral_date, person_id, children_in_household,
repeat_referral, referring_agency`` (the first two required). ``person_id`` is replaced by a keyed
hash (``person_key``), the same hash the police extract gives the same identifier. Derived:
``month`` (referral month). Replacement scope ``referrals``.
"""

from __future__ import annotations

from typing import Any

from .records import SingleTableAdapter, month_of
from .tabular import normalise_header

KIND = "referrals"


def sniff(header: list[str]) -> bool:
    h = {normalise_header(x) for x in header}
    return {"referral_ref", "referral_date"} <= h


def _derive(notes: dict[str, Any]):
    def derive(row: dict[str, Any]) -> None:
        row["month"] = month_of(row["referral_date"])

    return derive


ADAPTER = SingleTableAdapter(KIND, "referrals", scope=KIND, derive_factory=_derive)
