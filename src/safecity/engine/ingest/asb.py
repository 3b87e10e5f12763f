"""Anti-social behaviour incidents from a council or police system (CSV or XLSX).

Default layout: headers ``incident_ref, recorded_date, asb_type, reporting_agency, lsoa_code,
latitude, longitude, easting, northing, force`` (only the first two required), or a one-table
mapping (``tables: asb_incidents:``). Derived: ``source`` = asb, ``month``, ``lsoa11_code``,
easting/northing from latitude/longitude. Replacement scope ``asb``: a newer ASB file covering
months already loaded replaces them. police.uk ASB rows are loaded by the police.uk reader.
"""

from __future__ import annotations

from typing import Any

from .records import SingleTableAdapter, lsoa_deriver, lsoa_notes, month_of
from .tabular import normalise_header

KIND = "asb"


def sniff(header: list[str]) -> bool:
    h = {normalise_header(x) for x in header}
    return {"incident_ref", "recorded_date"} <= h


def _derive(notes: dict[str, Any]):
    lsoa = lsoa_deriver(notes)

    def derive(row: dict[str, Any]) -> None:
        row["source"] = KIND
        row["month"] = month_of(row["recorded_date"])
        lsoa(row)

    return derive


ADAPTER = SingleTableAdapter(KIND, "asb_incidents", scope=KIND, derive_factory=_derive,
                             summarise=lsoa_notes)
