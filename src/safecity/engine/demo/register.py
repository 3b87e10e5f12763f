"""The demo partnership's register of sources: a made-up agreement for each record-level source,
so ``safecity demo`` loads through the same governance rule a real partnership meets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..governance.register import (Agreement, Contact, SourceEntry, default_fields, entry_id,
                                   load_register, save_entry)

PARTIES = ("Southampton City Council", "Hampshire Constabulary", "National Probation Service",
           "Hampshire and Isle of Wight Fire and Rescue Service", "NHS Southampton City CCG")
ISA = Agreement(reference="DEMO-ISA-2020", parties=PARTIES, start=dt.date(2020, 4, 1),
                review=dt.date(2030, 3, 31), document="(demo: no document)")
PURPOSE = ("The partnership's statutory strategic assessment and strategy (Crime and Disorder Act "
           "1998 s.6; SI 2007/1830 regs 5-7). Demo data: every person is synthetic.")
BASIS = ("UK GDPR Art 6(1)(e) public task (Crime and Disorder Act 1998 ss.6 and 115); special "
         "category and criminal offence data under Art 9(2)(g) and Art 10 with DPA 2018 Sch 1 "
         "paras 6 and 10.")
LAW = "DPA 2018 Part 3 s.35(2)(b) and (5): strictly necessary for the law enforcement purposes."

#: source kind -> supplier, retention (months), quarterly return
SOURCES = {
    # The police make the prescribed quarterly return (SI 2007/1831): the demo's records end in
    # December 2020 and are loaded today, so the returns tracker shows 2020 Q2-Q4 as received
    # late and every quarter since as late.
    "police-extract": ("Hampshire Constabulary", 120, True),
    "asb": ("Southampton City Council", 120, False),
    "hate": ("Southampton City Council", 120, False),
    "youth-justice": ("Southampton Youth Justice Service", 120, False),
    "referrals": ("Southampton MARAC", 120, False),
    # Counts of partner intelligence, exported by the web app (`safecity web demo`).
    "intelligence": ("Southampton City Council", 120, False),
    # Partner sources. Fire and health bodies make the prescribed quarterly returns (SI
    # 2007/1831); the demo's partners send record-level files instead, loaded as they come.
    "fire": ("Hampshire and Isle of Wight Fire and Rescue Service", 120, True),
    "health": ("University Hospital Southampton NHS Foundation Trust", 120, True),
    "ambulance": ("South Central Ambulance Service NHS Foundation Trust", 120, True),
    "childrens-services": ("Southampton City Council Children's Services", 120, False),
    "treatment": ("Southampton Drug and Alcohol Treatment Service", 120, False),
}


def demo_entries() -> list[SourceEntry]:
    return [SourceEntry(source=source, supplier=supplier, isa=ISA, purpose=PURPOSE,
                        legal_basis=BASIS, retention_months=months,
                        contact=Contact("Demo data protection officer", "dpo@example.org"),
                        fields=default_fields(source),
                        law_enforcement_basis=LAW if source == "police-extract" else "",
                        quarterly_return=quarterly)
            for source, (supplier, months, quarterly) in SOURCES.items()]


def register_demo_sources(warehouse_root: Path) -> None:
    """Save each demo entry that is not in the register yet (a re-run changes nothing)."""
    present = {e.id for e in load_register(warehouse_root)}
    for entry in demo_entries():
        if entry_id(entry.source, entry.supplier) not in present:
            save_entry(warehouse_root, entry, by="safecity demo")
