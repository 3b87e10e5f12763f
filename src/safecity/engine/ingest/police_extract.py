"""Police record-level extract (CSV or XLSX): crimes, victims and suspects, one table per file.

A partnership maps its own headers and codes with a YAML mapping (``mapping.py``); without one the
default layout applies (headers are the contract's column names). Each file is matched to the
table whose mapped required headers it has (most matched columns wins; a tie is an error).

Derived at ingest:

* crimes: ``offence_code`` normalised; ``offence_group``, ``offence_subgroup`` and
  ``police_uk_category`` from the classification (a supplied police.uk category is kept only for
  codes the classification does not know); ``month`` from ``recorded_date``; ``lsoa11_code``;
  easting/northing from latitude/longitude; a blank ``committed_to`` equals ``committed_from``.
* victims and suspects: ``month`` = the recorded month of the linked crime, looked up among the
  crimes already loaded (earlier in the same ingest, or before), so a newer extract can replace
  the months it covers. In one command the dispatcher loads crimes files first, whatever the
  order given (``load_order``).

Row checks beyond the contract types: ``committed_to`` not before ``committed_from``, and the
offence not committed after it was recorded. Replacement scope is ``extract/<table>``: a newer
crimes file covering months already loaded replaces those months of the older crimes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .. import classification, geo
from ..errors import SourceError
from ..warehouse import Batch, Transaction, new_batch_id
from .base import InputFile, LoadContext
from .mapping import SourceMapping, TableMapping, parse
from .records import load_table, make_batch, month_of
from .tabular import TabularFile, input_files, normalise_header, open_table, require_columns
from .validate import RowError

KIND = "police-extract"


def sniff(header: list[str]) -> bool:
    """True if a header row looks like a default-layout extract file (crimes, victims, suspects)."""
    h = {normalise_header(x) for x in header}
    if "crime_ref" not in h or "report_ref" in h:
        return False
    return ({"recorded_date", "offence_code"} <= h or "victim_type" in h or "person_key" in h)


def match_table(item: InputFile, smap: SourceMapping) -> tuple[TabularFile, TableMapping]:
    """Open the file and choose the mapped table its header belongs to."""

    def fits(row: list[str]) -> bool:
        keys = {normalise_header(v) for v in row if v}
        return any({normalise_header(h) for h in t.required_headers(KIND)} <= keys
                   for t in smap.tables.values())

    tab = open_table(item, header_test=fits)
    present = set(tab.index())
    tables = list(smap.tables.values())
    headers = {t.table: {normalise_header(h) for h in t.columns.values()} for t in tables}
    # Headers only one table maps tell what a file is meant to be, even when it lacks a required
    # column (a crimes file without its date must not pass as a suspects file).
    distinctive = {t.table: len(present & headers[t.table]
                                - set().union(*(headers[u.table] for u in tables if u is not t)))
                   for t in tables}
    scored = []
    for t in tables:
        required = {normalise_header(h) for h in t.required_headers(KIND)}
        if required <= present:
            scored.append(((len(required), len(present & headers[t.table])), t))
    scored.sort(key=lambda s: s[0], reverse=True)
    likeliest = max(tables, key=lambda t: distinctive[t.table])
    if distinctive[likeliest.table] and (
            not scored or distinctive[likeliest.table] > distinctive[scored[0][1].table]):
        require_columns(tab, item.name, likeliest.required_headers(KIND))  # raises: names them
    if not scored:
        expected = "; ".join(f"{t.table}: {', '.join(repr(h) for h in t.required_headers(KIND))}"
                             for t in tables)
        shown = ", ".join(repr(h) for h in tab.header if h) or "no headers"
        raise SourceError(item.name, f"its header row matches no table of {smap.origin}: it has "
                          f"{shown}, but a file needs all the required headers of one table "
                          f"({expected}).",
                          fix="Check the file is a crimes, victims or suspects extract, or fix the "
                              "headers in the mapping.", line=tab.header_line)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        names = " and ".join(s[1].table for s in scored[:2])
        raise SourceError(item.name, f"its header row fits both {names} in {smap.origin}.",
                          fix="Give the tables distinct headers in the mapping.",
                          line=tab.header_line)
    return tab, scored[0][1]


def _crime_months(tx: Transaction) -> dict[str, str]:
    """crime_ref → month of every extract crime loaded so far (committed or in this ingest)."""
    months: dict[str, str] = {}
    for batch in tx.current():
        if batch.source != KIND or "crimes" not in batch.tables:
            continue
        bt = batch.tables["crimes"]
        if bt.rows == 0:
            continue
        data = pq.read_table(tx.warehouse.root / bt.file, columns=["crime_ref", "month"])
        months.update(zip(data["crime_ref"].to_pylist(), data["month"].to_pylist()))
    return months


def _derive_crime(cls: classification.Classification, notes: dict[str, Any]):
    unknown_codes: dict[str, int] = notes.setdefault("unknown_codes", {})
    unknown_lsoas: set[str] = notes.setdefault("unknown_lsoas", set())

    def derive(row: dict[str, Any]) -> None:
        row["source"] = KIND
        code = row.get("offence_code")
        if code is not None:
            offence = cls.offence(code)
            if offence is None:
                norm = classification.normalise_code(code)
                row["offence_code"] = norm
                unknown_codes[norm] = unknown_codes.get(norm, 0) + 1
            else:
                row["offence_code"] = offence.code
                row["offence_group"] = offence.group
                row["offence_subgroup"] = offence.subgroup
                if offence.police_uk_category:
                    row["police_uk_category"] = offence.police_uk_category
        recorded = row["recorded_date"]
        row["month"] = month_of(recorded)
        start, end = row.get("committed_from"), row.get("committed_to")
        if end is None and start is not None:
            row["committed_to"] = end = start
        if start is not None and end is not None and end < start:
            raise RowError(f"committed_to {end:%Y-%m-%d %H:%M} is before committed_from "
                           f"{start:%Y-%m-%d %H:%M}")
        if start is not None and start.date() > recorded:
            raise RowError(f"committed_from {start:%Y-%m-%d} is after recorded_date "
                           f"{recorded:%Y-%m-%d}")
        if row.get("lsoa_code"):
            row["lsoa11_code"] = geo.lsoa11_for(row["lsoa_code"])
            if row["lsoa11_code"] is None:
                unknown_lsoas.add(row["lsoa_code"])

    return derive


def _derive_linked(months: dict[str, str], notes: dict[str, Any]):
    unlinked = notes.setdefault("unlinked", [0])

    def derive(row: dict[str, Any]) -> None:
        row["month"] = months.get(row["crime_ref"])
        if row["month"] is None:
            unlinked[0] += 1

    return derive


def summarise(table: str, notes: dict[str, Any]) -> list[str]:
    out = []
    codes = notes.get("unknown_codes") or {}
    if codes:
        top = ", ".join(f"{c} ({n})" for c, n in sorted(codes.items(), key=lambda kv: -kv[1])[:8])
        out.append(f"{sum(codes.values())} crimes have offence codes the classification does not "
                   f"know ({top}); they are stored without an offence group "
                   "(see docs/classification.md)")
    lsoas = notes.get("unknown_lsoas") or set()
    if lsoas:
        out.append(f"{len(lsoas)} LSOA codes are neither 2011 nor 2021 codes (e.g. "
                   f"{sorted(lsoas)[0]}); those rows have no lsoa11_code")
    unlinked = (notes.get("unlinked") or [0])[0]
    if unlinked:
        out.append(f"{unlinked} {table} rows link to crimes not loaded yet, so they have no month "
                   "and a newer extract will not replace them: load the crimes file first")
    return out


class PoliceExtractAdapter:
    kind = KIND

    def expand(self, path: Path) -> list[InputFile]:
        return input_files(path)

    def load_order(self, item: InputFile, ctx: LoadContext) -> int:
        """Crimes load before victims and suspects, whose month comes from their crime."""
        _, tmap = match_table(item, parse(ctx.mapping, KIND))
        return 0 if tmap.table == "crimes" else 1

    def load(self, item: InputFile, tx: Transaction, ctx: LoadContext) -> Batch:
        smap = parse(ctx.mapping, KIND)
        tab, tmap = match_table(item, smap)
        batch_id = new_batch_id()
        notes: dict[str, Any] = {}
        if tmap.table == "crimes":
            derive = _derive_crime(classification.load(), notes)
        else:
            derive = _derive_linked(_crime_months(tx), notes)
        result = load_table(item, tx, ctx, kind=KIND, batch_id=batch_id, mapping=tmap,
                            derive=derive, tab=tab)
        result.notes.extend(summarise(tmap.table, notes))
        return make_batch(item, tx, kind=KIND, scope=f"extract/{tmap.table}", batch_id=batch_id,
                          results=[result], notes=[f"read as {tmap.table} ({smap.origin})"])


ADAPTER = PoliceExtractAdapter()
