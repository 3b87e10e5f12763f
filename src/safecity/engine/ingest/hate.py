"""Hate crimes and non-crime hate incidents reported to the police or a third-party centre.

Default layout: headers ``report_ref, recorded_date, channel, is_crime, crime_ref,
strand_race, strand_religion, strand_sexual_orientation, strand_disability, strand_transgender,
lsoa_code`` (the first three required; ``channel`` is police, third_party, online or other).
Several strands may be true for one report. Derived: ``month``, ``lsoa11_code``; a report with a
linked ``crime_ref`` is a crime even if ``is_crime`` is blank. Replacement scope ``hate``.
"""

from __future__ import annotations

from typing import Any

from ..contract import HATE_STRANDS
from .records import SingleTableAdapter, lsoa_deriver, lsoa_notes, month_of
from .tabular import normalise_header

KIND = "hate"


def sniff(header: list[str]) -> bool:
    h = {normalise_header(x) for x in header}
    return {"report_ref", "channel"} <= h


def _derive(notes: dict[str, Any]):
    lsoa = lsoa_deriver(notes)
    no_strand = notes.setdefault("no_strand", [0])

    def derive(row: dict[str, Any]) -> None:
        row["month"] = month_of(row["recorded_date"])
        if row.get("crime_ref"):
            row["is_crime"] = True
        if not any(row.get(f"strand_{s}") for s in HATE_STRANDS):
            no_strand[0] += 1
        lsoa(row)

    return derive


def _summarise(notes: dict[str, Any]) -> list[str]:
    out = lsoa_notes(notes)
    if notes.get("no_strand", [0])[0]:
        out.append(f"{notes['no_strand'][0]} report(s) have no strand marked (stored; they count "
                   "in totals but in no strand)")
    return out


ADAPTER = SingleTableAdapter(KIND, "hate_reports", scope=KIND, derive_factory=_derive,
                             summarise=_summarise)
