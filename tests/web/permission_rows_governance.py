"""Permission-matrix rows of the data governance pages (web/governance): administrators read
and change the register and the returns, coordinators read them, other partners get 403, and
outsiders (an agency that is a partner of no strategy here) 404. The audit export is for
administrators only."""

from __future__ import annotations

import datetime as dt


def quarterly_entry(w):
    """A register entry (in the test's own SAFECITY_HOME) with a late quarterly return."""
    from safecity.engine import settings
    from safecity.engine.governance.register import (Agreement, Contact, SourceEntry,
                                                     save_entry)

    entry = SourceEntry(
        source="asb", supplier="Test City Council",
        isa=Agreement("TEST-ISA", ("Test City Council", "Test Police"), dt.date(2024, 1, 1),
                      dt.date(2030, 1, 1)),
        purpose="Strategic assessment", legal_basis="UK GDPR Art 6(1)(e)", retention_months=24,
        contact=Contact("Data officer", "data@example.org"), quarterly_return=True)
    return [save_entry(settings.warehouse_dir(), entry, by="test").id]


def governance_rows(expect, personas, partners, managers):
    admin = ("administrator",)
    readers = dict(ok=managers, forbidden=[p for p in partners if p not in managers],
                   not_found=("outsider",))
    admins = dict(ok=admin, forbidden=[p for p in partners if p not in admin],
                  not_found=("outsider",))
    return {
        "governance:register": ("get", None, expect(**readers)),
        "governance:entry": ("get", quarterly_entry, expect(**readers)),
        "governance:entry_new": ("get", None, expect(**admins)),
        "governance:entry_edit": ("get", quarterly_entry, expect(**admins)),
        "governance:returns": ("get", None, expect(**readers)),
        "governance:remind": ("post", quarterly_entry, expect(**admins, ok_status=302)),
        "governance:audit": ("get", None, expect(**admins)),
        "governance:audit_csv": ("get", None, expect(**admins)),
        "governance:runs_csv": ("get", None, expect(**admins)),
    }
