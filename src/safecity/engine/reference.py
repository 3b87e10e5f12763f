"""Built-in national reference data, shipped in the package (never read from ../shared at run time).

Built by ``scripts/build_reference_data.py`` from ONS, MHCLG and mySociety files (OGL v3 / CC BY
4.0; provenance in that script and docs/data-contract.md):

* ``lsoa_geography()``: every 2011 LSOA of England and Wales with its local authority (April 2019
  codes), Community Safety Partnership (December 2019 codes), mid-2019 population and, for
  England, IMD 2019 score, rank and decile (the Welsh index is a different measure: blank).
  Wards and neighbourhood sectors are local: a partnership loads them with its own geography file.
* ``csps()``: the 314 CSPs with police force area, mid-2018 and mid-2019 populations and the
  mid-2019 population aged 10-17.
* ``csp_for_lad``, ``csps_for_lad``, ``population_10_17``.

CSPs that do not follow April-2019 LAD boundaries are resolved by LSOA: Bournemouth, Christchurch
and Poole LSOAs go to the Bournemouth and Poole CSPs by name and Christchurch to Dorset; East
Suffolk LSOAs to Suffolk Coastal and Waveney; Northamptonshire and Buckinghamshire CSPs are the
former districts, which April-2019 codes still have. Those five split CSPs have no mid-2018
population and no 10-17 population (None), because ONS publishes neither for part of a LAD.

>>> southampton = [r for r in csps().to_pylist() if r["csp_code"] == "E22000120"][0]
>>> southampton["csp_name"], southampton["population_mid2019"], population_10_17("E22000120")
('Southampton', 252520, 20279)
>>> csp_for_lad("E06000045"), csps_for_lad("E06000058")
('E22000120', ('E22000063', 'E22000067', 'E22000367'))
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import lru_cache
from importlib import resources
from typing import Any

import pyarrow as pa

from . import contract


def _open(name: str) -> io.TextIOBase:
    path = resources.files("safecity.engine") / "data" / name
    if name.endswith(".gz"):
        return io.TextIOWrapper(gzip.GzipFile(fileobj=path.open("rb")), encoding="utf-8",
                                newline="")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="")


def _int(text: str) -> int | None:
    return int(text) if text else None


@lru_cache(maxsize=1)
def _lads() -> dict[str, dict[str, Any]]:
    with _open("lads.csv") as fh:
        return {r["lad_code"]: {"lad_name": r["lad_name"],
                                "population_mid2018": _int(r["population_mid2018"]),
                                "population_mid2019": _int(r["population_mid2019"]),
                                "population_10_17": _int(r["population_10_17"]),
                                "csp_code": r["csp_code"] or None}
                for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _csps() -> dict[str, dict[str, Any]]:
    with _open("csps.csv") as fh:
        return {r["csp_code"]: {"csp_code": r["csp_code"], "csp_name": r["csp_name"],
                                "pfa_code": r["pfa_code"], "pfa_name": r["pfa_name"],
                                "population_mid2018": _int(r["population_mid2018"]),
                                "population_mid2019": _int(r["population_mid2019"]),
                                "population_10_17": _int(r["population_10_17"])}
                for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def lsoa_index() -> dict[str, dict[str, Any]]:
    """2011 LSOA code → its geography row (contract GEOGRAPHY column names)."""
    lads, csp_rows = _lads(), _csps()
    out = {}
    with _open("lsoa11_geography.csv.gz") as fh:
        for r in csv.DictReader(fh):
            out[r["lsoa11_code"]] = {
                "lsoa11_code": r["lsoa11_code"], "lsoa_name": r["lsoa_name"],
                "ward_code": None, "ward_name": None, "sector": None,
                "lad_code": r["lad_code"], "lad_name": lads[r["lad_code"]]["lad_name"],
                "csp_code": r["csp_code"], "csp_name": csp_rows[r["csp_code"]]["csp_name"],
                "population": int(r["population"]), "population_10_17": None,
                "imd_score": float(r["imd_score"]) if r["imd_score"] else None,
                "imd_rank": _int(r["imd_rank"]), "imd_decile": _int(r["imd_decile"]),
            }
    return out


@lru_cache(maxsize=1)
def lsoa_geography() -> pa.Table:
    """Every 2011 LSOA of England and Wales, with the contract's GEOGRAPHY columns."""
    rows = list(lsoa_index().values())
    return pa.table({c.name: pa.array([r[c.name] for r in rows], c.type.arrow)
                     for c in contract.GEOGRAPHY.columns})


@lru_cache(maxsize=1)
def lsoa_csps() -> pa.Table:
    """``lsoa11_code`` → ``csp_code`` of every 2011 LSOA: the two ``lsoa_geography`` columns,
    read straight from the shipped file into Arrow for joins over every crime in the country
    (all-CSP benchmarking). Building them from ``lsoa_index``'s rows costs about a second: the
    CSV parsed into dictionaries, and pyarrow importing pandas to convert Python lists."""
    import pyarrow.csv as pcsv

    raw = gzip.decompress((resources.files("safecity.engine") / "data" /
                           "lsoa11_geography.csv.gz").read_bytes())
    return pcsv.read_csv(pa.BufferReader(raw), convert_options=pcsv.ConvertOptions(
        include_columns=["lsoa11_code", "csp_code"],
        column_types={"lsoa11_code": pa.string(), "csp_code": pa.string()}))


@lru_cache(maxsize=1)
def csps() -> pa.Table:
    """The 314 CSPs of England and Wales (December 2019 codes)."""
    rows = list(_csps().values())
    fields = [("csp_code", pa.string()), ("csp_name", pa.string()), ("pfa_code", pa.string()),
              ("pfa_name", pa.string()), ("population_mid2018", pa.int64()),
              ("population_mid2019", pa.int64()), ("population_10_17", pa.int64())]
    return pa.table({n: pa.array([r[n] for r in rows], t) for n, t in fields})


def csp_names() -> dict[str, tuple[str, int | None]]:
    """csp_code → (csp_name, mid-2018 population): plain rows, no Arrow table (building one
    from Python lists makes pyarrow import pandas, a third of a second an assessment)."""
    return {code: (r["csp_name"], r["population_mid2018"]) for code, r in _csps().items()}


@lru_cache(maxsize=1)
def _lad_to_csps() -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for row in lsoa_index().values():
        found.setdefault(row["lad_code"], set()).add(row["csp_code"])
    with _open("lad_csp_later.csv") as fh:
        for r in csv.DictReader(fh):
            found.setdefault(r["lad_code"], set()).add(r["csp_code"])
    return {lad: tuple(sorted(c)) for lad, c in found.items()}


def csps_for_lad(lad_code: str) -> tuple[str, ...]:
    """Every CSP that covers part of a LAD (April 2019 or later codes); () if unknown."""
    return _lad_to_csps().get(lad_code, ())


def csp_for_lad(lad_code: str) -> str | None:
    """The CSP of a LAD when it lies in exactly one; None if unknown or split between CSPs."""
    found = csps_for_lad(lad_code)
    return found[0] if len(found) == 1 else None


def population_10_17(code: str) -> int | None:
    """Mid-2019 residents aged 10-17 (ONS MYE2) of a LAD (April 2019 code) or CSP; None where
    ONS publishes no figure (CSPs that cut across a LAD, unknown codes)."""
    if code in _lads():
        return _lads()[code]["population_10_17"]
    if code in _csps():
        return _csps()[code]["population_10_17"]
    return None
