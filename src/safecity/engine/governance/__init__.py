"""Data governance: the register of sources, retention and purge, subject requests, the run log,
the quarterly returns and the DPIA outline. Plain Python, no Django (the web app reads it)."""

from .register import (OPEN_SOURCES, Agreement, Clearance, Contact, GovernanceError,
                       SourceEntry, load_register, require_registration, review_warnings,
                       save_entry)

__all__ = ["OPEN_SOURCES", "Agreement", "Clearance", "Contact", "GovernanceError", "SourceEntry",
           "load_register", "require_registration", "review_warnings", "save_entry"]
