"""A partnership's own geography: LSOA → ward → neighbourhood (policing) sector → LAD/CSP,
with population and IMD.

Default layout: the contract's geography columns as headers (``lsoa11_code, lad_code, csp_code,
population`` required). Loading a geography file replaces the whole geography table (a ``whole`` batch of scope
``geography``: the table has no months). Without one, the assessment uses the built-in national
reference (``safecity.engine.reference.lsoa_geography``).

Row checks: the LSOA must be a 2011 code (a 2021 code is converted and noted); IMD decile 1-10;
IMD rank 1-32,844. Missing IMD, LAD or CSP names are filled from the built-in reference.
"""

from __future__ import annotations

from typing import Any

from .. import geo, reference
from .records import SingleTableAdapter
from .tabular import normalise_header
from .validate import RowError

KIND = "geography"
IMD_LSOAS = 32_844


def sniff(header: list[str]) -> bool:
    h = {normalise_header(x) for x in header}
    return {"lsoa11_code", "lad_code", "csp_code", "population"} <= h


def _derive(notes: dict[str, Any]):
    ref = reference.lsoa_index()
    converted = notes.setdefault("converted", [0])

    def derive(row: dict[str, Any]) -> None:
        code = row["lsoa11_code"]
        if not geo.is_lsoa11(code):
            parent = geo.lsoa11_for(code)
            if parent is None:
                raise RowError(f"lsoa11_code {code!r} is not a 2011 LSOA code")
            row["lsoa11_code"] = parent
            converted[0] += 1
        if row.get("imd_decile") is not None and not 1 <= row["imd_decile"] <= 10:
            raise RowError(f"imd_decile {row['imd_decile']} is not between 1 and 10")
        if row.get("imd_rank") is not None and not 1 <= row["imd_rank"] <= IMD_LSOAS:
            raise RowError(f"imd_rank {row['imd_rank']} is not between 1 and {IMD_LSOAS}")
        known = ref.get(row["lsoa11_code"])
        if known:
            for col in ("lsoa_name", "lad_name", "csp_name", "imd_score", "imd_rank",
                        "imd_decile"):
                if row.get(col) is None and known.get(col) is not None:
                    row[col] = known[col]

    return derive


def _summarise(notes: dict[str, Any]) -> list[str]:
    n = notes.get("converted", [0])[0]
    return [f"{n} 2021 LSOA code(s) were converted to their 2011 LSOA; if two rows now share a "
            "2011 code the second is rejected"] if n else []


ADAPTER = SingleTableAdapter(KIND, "geography", scope=KIND, derive_factory=_derive,
                             summarise=_summarise, months=(), month_column=None,
                             whole=True)
