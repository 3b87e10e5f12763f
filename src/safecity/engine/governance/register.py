"""The register of sources: what each record-level source is, under which agreement, kept how long.

A partnership may only load victim, offender and youth records under an information sharing
agreement (ISA), for a stated purpose, with a legal basis, for a stated time. Each source kind and
supplier has one entry, kept as a plain YAML file in the warehouse folder, so the register travels
with the data it governs and every change to it can be read back::

    W/governance/register/<entry id>.yaml              the current entry
    W/governance/register/history/<entry id>/v<N>.yaml every earlier version, never modified

An entry (the keys are documented in ``docs/governance.md``)::

    source: police-extract
    supplier: Hampshire Constabulary
    isa: {reference: SCSP-ISA-2020, parties: [...], start: 2020-04-01, review: 2023-03-31,
          document: "https://…"}           # the link is recorded, never fetched
    purpose: The statutory strategic assessment (SI 2007/1830 reg 5) …
    legal_basis: UK GDPR Art 6(1)(e) …; Art 9(2)(g) with DPA 2018 Sch 1 para 6 …
    law_enforcement_basis: DPA 2018 Part 3, s.31 …   # needed when police data are processed
    fields: [crime_ref, offence_code, …]   # default: every contract column the source writes
    retention_months: 84
    quarterly_return: false                # a prescribed return under SI 2007/1831
    contact: {name: …, email: …}

``require_registration`` is the one rule ingest asks: a record-level source with no current
entry is refused (unless ``allow_unregistered_loads`` is set, for demo and open data), and an
agreement past its review date gives a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .. import contract, settings
from ..errors import ConfigError, SafecityError
from ..yamlfile import read_yaml

#: Published or reference data that carries no personal records: no ISA is needed to load it.
OPEN_SOURCES = frozenset({"police-uk", "geography"})
#: The partnership's own records exported by its web app with no personal details (the
#: accepted third-party hate reports: centre, strands, month, LSOA; the action groups' open
#: problems: reference, sector, type, dates): shared by no one, so no information sharing
#: agreement applies; the app holds the text under its own retention.
OWN_SOURCES = frozenset({"hate-third-party", "action-groups"})

#: Sources whose data a police force supplies: the register needs a DPA 2018 Part 3 basis.
POLICE_SOURCES = frozenset({"police-extract"})


class GovernanceError(SafecityError):
    """A load or purge is not allowed by the register, or a register entry is not valid."""


@dataclass(frozen=True)
class Agreement:
    """An information sharing agreement, as the register records it."""

    reference: str
    parties: tuple[str, ...]
    start: dt.date
    review: dt.date
    document: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""


@dataclass(frozen=True)
class SourceEntry:
    """One source kind from one supplier."""

    source: str
    supplier: str
    isa: Agreement
    purpose: str
    legal_basis: str
    retention_months: int
    contact: Contact
    fields: tuple[str, ...] = ()
    law_enforcement_basis: str = ""
    quarterly_return: bool = False
    version: int = 1
    updated_at: str = ""
    updated_by: str = ""

    @property
    def id(self) -> str:
        return entry_id(self.source, self.supplier)

    def is_current(self, today: dt.date) -> bool:
        """The agreement has started. (One past its review date still applies, with a warning.)"""
        return self.isa.start <= today

    def overdue_review(self, today: dt.date) -> bool:
        return self.isa.review < today

    def to_yaml_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["isa"]["parties"] = list(self.isa.parties)
        data["fields"] = list(self.fields)
        return data


def entry_id(source: str, supplier: str) -> str:
    """A file-name-safe id from the source kind and the supplier's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", supplier.lower()).strip("-") or "unnamed"
    return f"{source}--{slug}"


def register_dir(warehouse_root: Path) -> Path:
    return Path(warehouse_root) / "governance" / "register"


def default_fields(source: str) -> tuple[str, ...]:
    """Every contract column a source kind writes: what is shared unless the entry narrows it."""
    names: list[str] = []
    for table in contract.TABLES.values():
        if source in table.sources:
            names += [c.name for c in table.columns if c.name not in names]
    return tuple(names)


def _date(value: Any, where: str, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {key} {value!r} is not a date.",
                          fix="Write dates as YYYY-MM-DD.") from None


def parse_entry(data: Any, where: str) -> SourceEntry:
    """A register entry from its YAML mapping; ConfigError naming the file and the key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where} does not hold a register entry (a mapping of keys).",
                          fix="Start from the example in docs/governance.md.")
    missing = [k for k in ("source", "supplier", "isa", "purpose", "legal_basis",
                           "retention_months", "contact") if data.get(k) in (None, "", [], {})]
    if missing:
        raise ConfigError(f"{where} has no {', '.join(missing)}.",
                          fix="Every register entry needs each of these (see docs/governance.md).")
    source = str(data["source"])
    if source not in contract.SOURCES:
        raise ConfigError(f"{where}: source {source!r} is not a source kind safecity knows.",
                          fix=f"Use one of: {', '.join(contract.SOURCES)}.")
    isa = data["isa"]
    if not isinstance(isa, dict) or not isa.get("reference") or not isa.get("parties"):
        raise ConfigError(f"{where}: isa needs a reference, parties, start and review.",
                          fix="See the example in docs/governance.md.")
    agreement = Agreement(reference=str(isa["reference"]),
                          parties=tuple(str(p) for p in isa["parties"]),
                          start=_date(isa.get("start"), where, "isa.start"),
                          review=_date(isa.get("review"), where, "isa.review"),
                          document=str(isa.get("document") or ""))
    if agreement.review < agreement.start:
        raise ConfigError(f"{where}: the ISA's review date {agreement.review} is before its start "
                          f"{agreement.start}.", fix="Correct isa.start or isa.review.")
    try:
        retention = int(data["retention_months"])
    except (TypeError, ValueError):
        retention = 0
    if retention < 1:
        raise ConfigError(f"{where}: retention_months {data['retention_months']!r} is not a "
                          "whole number of months above 0.",
                          fix="State how many months record-level rows may be kept.")
    law = str(data.get("law_enforcement_basis") or "")
    if source in POLICE_SOURCES and not law:
        raise ConfigError(f"{where}: police data are processed under DPA 2018 Part 3, and the "
                          "entry gives no law_enforcement_basis.",
                          fix="Add law_enforcement_basis (for example the s.35 condition relied on).")
    contact = data["contact"]
    if isinstance(contact, str):
        contact = {"name": contact}
    allowed = set(default_fields(source))
    fields = tuple(str(f) for f in (data.get("fields") or default_fields(source)))
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise ConfigError(f"{where}: fields {', '.join(unknown)} are not columns that {source} "
                          "data write.", fix=f"Use some of: {', '.join(sorted(allowed))}.")
    return SourceEntry(source=source, supplier=str(data["supplier"]), isa=agreement,
                       purpose=str(data["purpose"]), legal_basis=str(data["legal_basis"]),
                       retention_months=retention,
                       contact=Contact(name=str(contact.get("name") or ""),
                                       email=str(contact.get("email") or "")),
                       fields=fields, law_enforcement_basis=law,
                       quarterly_return=bool(data.get("quarterly_return", False)),
                       version=int(data.get("version") or 1),
                       updated_at=str(data.get("updated_at") or ""),
                       updated_by=str(data.get("updated_by") or ""))


def read_entry_file(path: Path) -> SourceEntry:
    data = read_yaml(path, "register entry",
                     "Check its indentation and quoting against docs/governance.md.")
    return parse_entry(data, str(path))


def load_register(warehouse_root: Path) -> list[SourceEntry]:
    """Every current register entry, by source then supplier."""
    folder = register_dir(warehouse_root)
    if not folder.exists():
        return []
    entries = [read_entry_file(p) for p in sorted(folder.glob("*.yaml"))]
    return sorted(entries, key=lambda e: (e.source, e.supplier))


def save_entry(warehouse_root: Path, entry: SourceEntry, *, by: str) -> SourceEntry:
    """Write ``entry`` as the current version; the version it replaces goes to history.

    Returns the entry as saved (version number and time stamped)."""
    folder = register_dir(warehouse_root)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry.id}.yaml"
    version = 1
    if path.exists():
        previous = read_entry_file(path)
        version = previous.version + 1
        history = folder / "history" / entry.id
        history.mkdir(parents=True, exist_ok=True)
        (history / f"v{previous.version}.yaml").write_text(path.read_text(encoding="utf-8"),
                                                           encoding="utf-8")
    stamped = SourceEntry(**{**entry.__dict__, "version": version, "updated_by": by,
                             "updated_at": dt.datetime.now(dt.timezone.utc)
                             .isoformat(timespec="seconds")})
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(yaml.safe_dump(stamped.to_yaml_data(), sort_keys=False, allow_unicode=True),
                   encoding="utf-8")
    tmp.replace(path)
    return stamped


def history(warehouse_root: Path, entry: SourceEntry) -> list[SourceEntry]:
    """Earlier versions of an entry, oldest first."""
    folder = register_dir(warehouse_root) / "history" / entry.id
    if not folder.exists():
        return []
    versions = [read_entry_file(p) for p in folder.glob("v*.yaml")]
    return sorted(versions, key=lambda e: e.version)


@dataclass(frozen=True)
class Clearance:
    """What the register says about loading one source kind now."""

    entry: SourceEntry | None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def require_registration(warehouse_root: Path, source: str, *, supplier: str | None = None,
                         today: dt.date | None = None,
                         entries: Iterable[SourceEntry] | None = None) -> Clearance:
    """The one rule: may ``source`` data (from ``supplier``) be loaded today?

    Open data needs no entry. A record-level source needs a current entry: without one this
    raises GovernanceError, unless the setting ``allow_unregistered_loads`` is on, when the load
    goes ahead with a warning. An agreement past its review date warns.
    """
    if source in OPEN_SOURCES or source in OWN_SOURCES:
        return Clearance(None)
    today = today or dt.date.today()
    entries = list(load_register(warehouse_root) if entries is None else entries)
    mine = [e for e in entries if e.source == source]
    if supplier:
        mine = [e for e in mine if entry_id(source, supplier) == e.id]
    current = [e for e in mine if e.is_current(today)]
    if len(current) > 1:
        raise GovernanceError(
            f"The register has {len(current)} current agreements for {source} data "
            f"({', '.join(e.supplier for e in current)}), so safecity cannot tell which this is.",
            fix="Name the supplier with --supplier.")
    if not current:
        who = f" from {supplier}" if supplier else ""
        if settings.get("allow_unregistered_loads"):
            return Clearance(None, (f"{source} data{who} were loaded with no information sharing "
                                    "agreement in the register, because the setting "
                                    "allow_unregistered_loads is on.",))
        pending = [e for e in mine if not e.is_current(today)]
        why = (f"the agreement {pending[0].isa.reference} only starts on {pending[0].isa.start}"
               if pending else "no information sharing agreement is registered for it")
        raise GovernanceError(
            f"{source} data{who} hold records about people and {why}, so they were not loaded.",
            fix=f"Register the agreement first (safecity governance register add ENTRY.yaml; "
                f"example in docs/governance.md), or set SAFECITY_ALLOW_UNREGISTERED_LOADS=true "
                f"for demo or test data only.")
    entry = current[0]
    warnings: tuple[str, ...] = ()
    if entry.overdue_review(today):
        warnings = (f"The information sharing agreement {entry.isa.reference} for {source} data "
                    f"from {entry.supplier} passed its review date on {entry.isa.review}: review "
                    f"it with the parties and update the register.",)
    return Clearance(entry, warnings)


def review_warnings(warehouse_root: Path, today: dt.date | None = None) -> list[str]:
    """A sentence for every agreement past its review date (for ``warehouse status``)."""
    today = today or dt.date.today()
    return [f"The information sharing agreement {e.isa.reference} for {e.source} data from "
            f"{e.supplier} passed its review date on {e.isa.review}."
            for e in load_register(warehouse_root) if e.overdue_review(today)]
