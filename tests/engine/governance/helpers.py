"""A small referrals warehouse and register entries for the governance tests."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from safecity.engine.governance.register import Agreement, Contact, SourceEntry, save_entry
from safecity.engine.ingest.run import ingest_paths

HEADER = ["referral_ref", "referral_date", "person_id", "children_in_household",
          "repeat_referral"]


def referrals_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """rows: (ref, date, person id)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([[ref, day, person, "0", "N"] for ref, day, person in rows])
    return path


def entry(source: str = "referrals", *, supplier: str = "Riverton MARAC",
          start: dt.date = dt.date(2020, 1, 1), review: dt.date = dt.date(2030, 1, 1),
          retention: int = 24, quarterly: bool = False) -> SourceEntry:
    return SourceEntry(
        source=source, supplier=supplier,
        isa=Agreement("ISA-7", ("Riverton Council", "Riverton Police"), start, review),
        purpose="Strategic assessment", legal_basis="UK GDPR Art 6(1)(e)",
        retention_months=retention, contact=Contact("Data officer", "dpo@example.org"),
        law_enforcement_basis="DPA 2018 s.35" if source == "police-extract" else "",
        quarterly_return=quarterly)


def register(root: Path, *entries: SourceEntry) -> None:
    for e in entries:
        save_entry(root, e, by="test")


def load(paths: list[Path], root: Path):
    return ingest_paths(paths, source="referrals", warehouse=root)
