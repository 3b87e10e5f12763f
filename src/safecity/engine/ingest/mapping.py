"""Mapping files: a partnership's own headers and codes mapped to the data contract, in YAML.

Shape (see docs/data-contract.md and ``mappings/example-police-extract.yaml``)::

    kind: police-extract
    tables:
      crimes:
        columns: {crime_ref: "Crime Reference", offence_code: "HO Offence Code", ...}
        values: {domestic_abuse: {"Y": true, "N": false}}     # optional
        dates: ["%d/%m/%Y %H:%M", "%d/%m/%Y"]                  # optional, tried in order
      victims: {...}
      suspects: {...}

Without a mapping each source reads its *default layout*: headers equal to the contract's column
names (plus the input-only columns below). A mapping naming a column the contract lacks is refused
with a sentence: in particular safecity never stores names, addresses or free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from .. import contract
from .. import partners as _partners
from ..contract import Column, Type
from ..errors import ConfigError
from ..yamlfile import read_yaml

S, D = Type.STRING, Type.DATE


@dataclass(frozen=True)
class InputColumn:
    """A column read from a source but never stored as such (e.g. a raw id or date of birth)."""

    name: str
    type: Type
    meaning: str
    personal: bool = False

    def as_column(self, required: bool = False) -> Column:
        return Column(self.name, self.type, self.meaning, required=required,
                      personal=self.personal)


#: Tables each source kind's files may hold.
KIND_TABLES: dict[str, tuple[str, ...]] = {
    "police-extract": ("crimes", "victims", "suspects"),
    "asb": ("asb_incidents",),
    "hate": ("hate_reports",),
    "youth-justice": ("youth_justice",),
    "referrals": ("referrals",),
    "geography": ("geography",),
    "intelligence": ("intelligence_counts",),
    "action-groups": ("action_group_problems",),
    # Partner sources: record-level rows, or depersonalised quarterly returns (engine/partners.py)
    **{s.kind: (s.table, "partner_returns") for s in _partners.SOURCES},
}

#: Input-only columns per (kind, table), and the contract column each replaces (if any).
INPUT_ONLY: dict[tuple[str, str], tuple[tuple[InputColumn, str | None], ...]] = {
    ("youth-justice", "youth_justice"): (
        (InputColumn("young_person_id", S, "The young person's identifier in the youth justice "
                     "system; replaced at ingest by a keyed hash (young_person_key).",
                     personal=True), "young_person_key"),
        (InputColumn("date_of_birth", D, "Date of birth; used to derive age_at_offence and "
                     "age_at_outcome, then discarded (never stored)."), None),
    ),
    ("referrals", "referrals"): (
        (InputColumn("person_id", S, "The victim's identifier; replaced at ingest by a keyed "
                     "hash (person_key).", personal=True), "person_key"),
    ),
    **{(s.kind, s.table): ((InputColumn(s.person_id, S, f"The person's identifier in the "
                                        f"{s.kind} system; replaced at ingest by a keyed hash "
                                        f"({s.person_key}).", personal=True), s.person_key),)
       for s in _partners.SOURCES if s.person_id},
}

#: Columns an extract may supply although the contract marks them as filled at ingest.
_SUPPLIABLE_DERIVED = frozenset()

# Words that mark a column as a name, an address or free text, which safecity never stores.
_PERSONAL_WORDS = re.compile(
    r"(name|forename|surname|address|street|postcode|post_code|narrative|description|summary|"
    r"notes?|comments?|free_?text|details|mo$|modus|dob|birth|phone|email)", re.IGNORECASE)


@dataclass(frozen=True)
class TableMapping:
    """How one contract table is read from a file."""

    table: str
    columns: dict[str, str]  # contract (or input-only) column → header in the source file
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    explicit: bool = False  # from a user's mapping file (not the default layout)

    def required_headers(self, kind: str) -> dict[str, str]:
        """Header → column for the columns a file of this table must have."""
        req = set(layout_required(kind, self.table))
        return {h: c for c, h in self.columns.items() if c in req}


@dataclass(frozen=True)
class SourceMapping:
    kind: str
    tables: dict[str, TableMapping]
    origin: str = "the default layout"


def layout_columns(kind: str, table_name: str) -> list[Column]:
    """The columns a file of ``table_name`` may supply for ``kind``: the contract's non-derived
    columns, with personal keys replaced by their input-only id columns, plus input-only ones."""
    tbl = contract.table(table_name)
    extras = INPUT_ONLY.get((kind, table_name), ())
    replaced = {target: inp for inp, target in extras if target}
    cols: list[Column] = []
    for col in tbl.columns:
        if col.derived and col.name not in _SUPPLIABLE_DERIVED:
            continue
        if col.name in replaced:
            cols.append(replaced[col.name].as_column(required=col.required))
        else:
            cols.append(col)
    cols += [inp.as_column() for inp, target in extras if not target]
    return cols


def layout_required(kind: str, table_name: str) -> list[str]:
    return [c.name for c in layout_columns(kind, table_name) if c.required]


def default_mapping(kind: str) -> SourceMapping:
    """The default layout: every header is the contract column's own name."""
    tables = {t: TableMapping(t, {c.name: c.name for c in layout_columns(kind, t)})
              for t in KIND_TABLES[kind]}
    return SourceMapping(kind, tables)


def read_file(path: str | Path) -> dict[str, Any]:
    """Parse a mapping YAML file (structure is checked by ``parse``)."""
    p = Path(path)
    raw = read_yaml(p, "mapping file",
                    "Compare it with the example mapping in docs/data-contract.md.")
    if not isinstance(raw, dict):
        raise ConfigError(f"The mapping file {p} does not hold a 'kind:' and 'tables:' mapping.",
                          fix="Compare it with the example mapping in docs/data-contract.md.")
    raw.setdefault("__origin__", str(p))
    return raw


def parse(raw: dict[str, Any] | None, kind: str) -> SourceMapping:
    """Check a parsed mapping against the contract; ``None`` gives the default layout."""
    if raw is None:
        return default_mapping(kind)
    origin = str(raw.get("__origin__", "the mapping"))
    where = f"The mapping {origin}" if "__origin__" in raw else "The mapping"
    declared = raw.get("kind", kind)
    if declared != kind:
        raise ConfigError(f"{where} is for {declared!r} files, but these are read as {kind!r}.",
                          fix=f"Use a mapping with 'kind: {kind}', or the matching --source.")
    unknown_keys = set(raw) - {"kind", "tables", "__origin__", "description"}
    if unknown_keys:
        raise ConfigError(f"{where} has unknown top-level key(s) {', '.join(sorted(unknown_keys))}.",
                          fix="The top level holds only 'kind' and 'tables'.")
    tables_raw = raw.get("tables")
    if not isinstance(tables_raw, dict) or not tables_raw:
        raise ConfigError(f"{where} has no 'tables:' section.",
                          fix=f"List the tables ({', '.join(KIND_TABLES[kind])}) under 'tables:'.")
    tables: dict[str, TableMapping] = {}
    for name, spec in tables_raw.items():
        if name not in KIND_TABLES[kind]:
            raise ConfigError(f"{where} maps a table {name!r}, which {kind} files do not hold.",
                              fix=f"Use {', '.join(KIND_TABLES[kind])}.")
        tables[name] = _parse_table(where, kind, name, spec)
    return SourceMapping(kind, tables, origin)


def _parse_table(where: str, kind: str, name: str, spec: Any) -> TableMapping:
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise ConfigError(f"{where}: table {name!r} has no 'columns:' section.",
                          fix="Map each contract column to your header, e.g. crime_ref: \"Crime Reference\".")
    extra = set(spec) - {"columns", "values", "dates"}
    if extra:
        raise ConfigError(f"{where}: table {name!r} has unknown key(s) {', '.join(sorted(extra))}.",
                          fix="A table holds only 'columns', 'values' and 'dates'.")
    known = {c.name: c for c in layout_columns(kind, name)}
    aliases = {target: inp.name for inp, target in INPUT_ONLY.get((kind, name), ()) if target}
    columns: dict[str, str] = {}
    for col, header in spec["columns"].items():
        col = aliases.get(col, col)
        if col not in known:
            raise _unknown_column(where, name, col, known)
        if not isinstance(header, (str, int)) or not str(header).strip():
            raise ConfigError(f"{where}: column {col!r} of {name!r} must name a header "
                              f"(got {header!r}).", fix="Write the header text in quotes.")
        columns[col] = str(header).strip()
    missing = [c for c in layout_required(kind, name) if c not in columns]
    if missing:
        raise ConfigError(f"{where}: table {name!r} does not map the required column(s) "
                          f"{', '.join(missing)}.", fix="Add them under 'columns:'.")
    values: dict[str, dict[str, Any]] = {}
    for col, table in (spec.get("values") or {}).items():
        col = aliases.get(col, col)
        if col not in columns:
            raise ConfigError(f"{where}: 'values' for {col!r} in {name!r}, but {col!r} is not "
                              "mapped under 'columns'.", fix="Map the column first, or remove its values.")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: 'values' for {col!r} must be a table of source value: "
                              "contract value.", fix='e.g. {"Y": true, "N": false}.')
        target = known[col]
        for src, dst in table.items():
            _check_value(where, name, target, src, dst)
        values[col] = {("" if k is None else str(k)): v for k, v in table.items()}
    dates = spec.get("dates") or []
    if isinstance(dates, str):
        dates = [dates]
    if not all(isinstance(d, str) and "%" in d for d in dates):
        raise ConfigError(f"{where}: 'dates' of {name!r} must be a list of formats like "
                          '"%d/%m/%Y %H:%M".', fix="Use Python strftime codes: %d %m %Y %H %M %S %b.")
    return TableMapping(name, columns, values, tuple(dates), explicit=True)


def _unknown_column(where: str, table: str, col: str, known: dict[str, Column]) -> ConfigError:
    if _PERSONAL_WORDS.search(col):
        return ConfigError(
            f"{where} maps {col!r} in {table!r}, but safecity never stores names, addresses, "
            "dates of birth or free text, so the data contract has no such column.",
            fix="Remove it from the mapping: columns that are not mapped are ignored.")
    return ConfigError(f"{where} maps {col!r} in {table!r}, which is not a column of the data "
                       f"contract's {table} table.",
                       fix=f"Known columns: {', '.join(known)}.")


def _check_value(where: str, table: str, col: Column, src: Any, dst: Any) -> None:
    if dst is None:
        return
    if col.type is Type.BOOL and not isinstance(dst, bool):
        raise ConfigError(f"{where}: in {table}.{col.name}, {src!r} maps to {dst!r}; a flag "
                          "maps to true or false.", fix="Write true or false (no quotes).")
    if col.allowed and str(dst) not in col.allowed:
        raise ConfigError(f"{where}: in {table}.{col.name}, {src!r} maps to {dst!r}, which is not "
                          f"one of {', '.join(col.allowed)}.", fix="Use one of the allowed values.")
