"""The partner sources' reader: one adapter, parameterised by ``engine/partners.py``, for fire,
health (ISTV), ambulance, children's services and drug and alcohol treatment files.

Each partner's file is either **record level** (its own contract table, e.g. ``fire_incidents``)
or a **depersonalised quarterly return** (``partner_returns``, SI 2007/1831). The shape is told by
the header: a file with ``quarter``, ``measure`` and ``count`` columns is a return; any other is
read as records. A mapping file (``kind: fire``, ``tables: fire_incidents:`` or
``partner_returns:``) maps a partner's own headers and codes, as for every tabular source.

Default layouts (only the required columns must be present):

* records: the contract table's column names (docs/data-contract.md), with ``patient_id``,
  ``child_id`` or ``client_id`` in place of the pseudonymised key (replaced at ingest by a
  keyed hash, never stored);
* returns: ``quarter`` (``2019-Q2``: calendar quarters, Q1 = January to March), ``measure`` (one
  of the partner's measures), ``count`` and optionally ``lsoa_code``. Returns are read with
  ``--source KIND``: the columns are the same for every partner.

Row checks, each rejecting the row with its reason: the contract's (dates, allowed values, whole
numbers, locations); a health admission's ICD-10 cause must be an assault code (X85-Y09)
unless the row is marked ``alcohol_related`` (then it is the alcohol-related diagnosis or cause,
any ICD-10 code), and only an admission may be marked alcohol-related; a
return's quarter must be a calendar quarter, its measure one of the partner's, its count 0 or
more, and a quarter, measure and LSOA may appear once. Replacement scopes: ``<kind>`` for records,
``<kind>-returns`` for returns, so a newer file of either shape replaces only its own months.
"""

from __future__ import annotations

import re
from typing import Any

from .. import contract, partners
from ..errors import ConfigError
from .records import (load_table, lsoa_deriver, lsoa_notes, make_batch, month_of, new_batch_id,
                      open_for)
from .tabular import normalise_header, open_table
from .validate import RowError

RETURN_HEADERS = ("quarter", "measure", "count")
_ICD10 = re.compile(r"^([A-Z])(\d{2})")


def _is_assault_cause(code: str) -> bool | None:
    """True for ICD-10 X85-X99 or Y00-Y09, False for another code, None when not a code."""
    m = _ICD10.match(code.replace(".", "").strip().upper())
    if not m:
        return None
    letter, num = m.group(1), int(m.group(2))
    return (letter == "X" and num >= 85) or (letter == "Y" and num <= 9)


class PartnerAdapter:
    """Reads one partner's files (records or quarterly returns) into the warehouse."""

    def __init__(self, spec: partners.PartnerSource) -> None:
        self.spec = spec
        self.kind = spec.kind

    def sniff(self, header: list[str]) -> bool:
        h = {normalise_header(x) for x in header}
        return {self.spec.ref_col, self.spec.date_col} <= h

    def expand(self, path):
        from .tabular import input_files

        return input_files(path)

    def _table(self, item, smap) -> str:
        """Which table the file holds: a mapping naming one table decides; otherwise the
        header (a return has quarter, measure and count columns)."""
        if len(smap.tables) == 1:
            return next(iter(smap.tables))
        returns = smap.tables["partner_returns"]
        wanted = {normalise_header(returns.columns[c]) for c in RETURN_HEADERS
                  if c in returns.columns}
        tab = open_table(item, expected=list(wanted))
        try:
            header = {normalise_header(h) for h in tab.header}
        finally:
            close = getattr(tab.rows, "close", None)
            if close:
                close()
        return "partner_returns" if wanted <= header else self.spec.table

    def load(self, item, tx, ctx):
        from .mapping import parse

        smap = parse(ctx.mapping, self.kind)
        table = self._table(item, smap)
        tmap = smap.tables[table]
        batch_id = new_batch_id()
        notes: dict[str, Any] = {}
        if table == "partner_returns":
            derive = self._derive_return(notes)
            scope = f"{self.kind}-returns"
        else:
            derive = self._derive_record(notes)
            scope = self.kind
        result = load_table(item, tx, ctx, kind=self.kind, batch_id=batch_id, mapping=tmap,
                            derive=derive, tab=open_for(item, self.kind, tmap))
        if table == "partner_returns":
            # A quarter's return covers its three months (so a newer return replaces them all).
            result.months = sorted({m for q in notes.get("quarters", ())
                                    for m in partners.quarter_months(q)})
        result.notes.extend(lsoa_notes(notes))
        return make_batch(item, tx, kind=self.kind, scope=scope, batch_id=batch_id,
                          results=[result])

    def _derive_record(self, notes: dict[str, Any]):
        spec = self.spec
        lsoa = lsoa_deriver(notes) if spec.located else None
        marks_assault = "assault" in contract.table(spec.table).names

        def derive(row: dict[str, Any]) -> None:
            row["month"] = month_of(row[spec.date_col])
            if lsoa is not None:
                lsoa(row)
            alcohol = bool(row.get("alcohol_related"))
            if alcohol and row.get("setting") != "admission":
                raise RowError("alcohol_related marks a hospital admission (OHID's narrow "
                               "measure counts admission episodes), not "
                               f"setting {row.get('setting')!r}")
            cause = row.get("icd10_cause")
            ok = None
            if cause:
                ok = _is_assault_cause(cause)
                if ok is None:
                    raise RowError(f"icd10_cause {cause!r} is not an ICD-10 code")
                if not ok and not alcohol:
                    raise RowError(f"icd10_cause {cause!r} is not an assault code (ICD-10 "
                                   "X85-Y09); mark the row alcohol_related if it is an "
                                   "alcohol-related admission")
                row["icd10_cause"] = cause.replace(".", "").strip().upper()
            if marks_assault:
                # one rule of what is an assault, read by the measures (engine/partners.py)
                row["assault"] = not alcohol or bool(ok)

        return derive

    def _derive_return(self, notes: dict[str, Any]):
        spec = self.spec
        keys = {m.key for m in spec.measures}
        lsoa = lsoa_deriver(notes)
        quarters: set[str] = notes.setdefault("quarters", set())
        seen: set[tuple] = set()

        def derive(row: dict[str, Any]) -> None:
            quarter = partners.parse_quarter(row["quarter"])
            if quarter is None:
                raise RowError(f"quarter {row['quarter']!r} is not a calendar quarter such as "
                               "2019-Q2")
            measure = str(row["measure"]).strip().lower()
            if measure not in keys:
                raise RowError(f"measure {row['measure']!r} is not one of the {spec.kind} "
                               f"measures ({', '.join(sorted(keys))})")
            key = (quarter, measure, row.get("lsoa_code"))
            if key in seen:
                raise RowError(f"{quarter} {measure} "
                               f"{'for ' + key[2] if key[2] else 'for the whole area'} appears "
                               "more than once")
            seen.add(key)
            row.update(partner=spec.kind, quarter=quarter, measure=measure,
                       month=partners.quarter_months(quarter)[0])
            lsoa(row)
            quarters.add(quarter)

        return derive


ADAPTERS = {s.kind: PartnerAdapter(s) for s in partners.SOURCES}


def adapter(kind: str) -> PartnerAdapter:
    try:
        return ADAPTERS[kind]
    except KeyError:
        raise ConfigError(f"{kind!r} is not a partner source.",
                          fix=f"Use one of: {', '.join(ADAPTERS)}.") from None
