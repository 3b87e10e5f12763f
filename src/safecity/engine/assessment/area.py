"""The area an assessment covers: a CSP, its 2011 LSOAs, wards, population and deprivation.

Where the geography comes from: the warehouse ``geography`` table when one has been loaded (a
partnership's own LSOA → ward → sector lookup), otherwise the reference geography shipped with
the package (``safecity.engine.reference.lsoa_geography()``: every 2011 LSOA in England with its
CSP, mid-2019 population and IMD 2019 decile).

Which crimes are "in the area": crimes whose ``lsoa11_code`` is one of the area's LSOAs. A crime
with no LSOA cannot be placed, and is handled by source (see ``figures.AREA_RULE``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import AssessmentError
from ..warehouse import Warehouse


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geography: pa.Table  # contract GEOGRAPHY columns, one row per LSOA of the area
    source: str  # "warehouse geography table" or "reference geography (ONS, mid-2019)"
    is_partnership: bool  # the partnership's own CSP (crimes without an LSOA count here)
    population_mid2018: int | None = None

    @property
    def lsoas(self) -> tuple[str, ...]:
        return tuple(self.geography["lsoa11_code"].to_pylist())

    @property
    def population(self) -> int | None:
        if self.geography.num_rows == 0:
            return None
        total = pc.sum(self.geography["population"]).as_py()
        return int(total) if total else None

    @property
    def population_10_17(self) -> int | None:
        if "population_10_17" in self.geography.column_names:
            col = self.geography["population_10_17"]
            if col.null_count < len(col):
                total = pc.sum(col).as_py()
                if total:
                    return int(total)
        try:
            from .. import reference

            value = reference.population_10_17(self.code)
        except (ImportError, AttributeError, KeyError, LookupError):
            return None
        return int(value) if value else None


def _reference_geography() -> pa.Table:
    try:
        from .. import reference
    except ImportError:  # pragma: no cover - the reference package ships with safecity
        raise AssessmentError(
            "No geography is loaded and the reference geography is not installed.",
            fix="Load one with: safecity ingest FILE --source geography.",
        ) from None
    return reference.lsoa_geography()


def _csp_names() -> dict[str, tuple[str, int | None]]:
    """csp_code → (csp_name, population_mid2018) from the reference CSP list, if available."""
    try:
        from .. import reference

        return reference.csp_names()
    except (ImportError, AttributeError):
        return {}


def resolve(code: str, warehouse: Warehouse, *, partnership: str, con=None) -> Area:
    """The area with ONS CSP ``code``: its LSOAs from the warehouse geography or the reference.

    ``con`` is a ``warehouse.connect()`` connection to reuse (each new one reads every
    Parquet footer again). Raises AssessmentError naming the code when no LSOA belongs to it.
    """
    source = "reference geography (ONS lookups, mid-2019 population, IMD 2019)"
    table: pa.Table | None = None
    if warehouse.has_data("geography"):
        con = con if con is not None else warehouse.connect()
        table = con.sql("SELECT * EXCLUDE (batch_id, source_line) FROM geography "
                        "WHERE csp_code = ?", params=[code]).to_arrow_table()
        if table.num_rows:
            source = "geography table loaded into the warehouse"
        else:
            table = None
    if table is None:
        ref = _reference_geography()
        table = ref.filter(pc.equal(ref["csp_code"], code))
    if table.num_rows == 0:
        raise AssessmentError(
            f"No LSOA belongs to the area {code!r} in the {source}.",
            fix="Give the ONS code of a Community Safety Partnership (e.g. E22000120 for "
                "Southampton) with --area, or set SAFECITY_PARTNERSHIP_CSP.",
        )
    names = _csp_names()
    name = None
    if "csp_name" in table.column_names:
        name = next((n for n in table["csp_name"].to_pylist() if n), None)
    ref_name, pop18 = names.get(code, (None, None))
    return Area(code=code, name=name or ref_name or code, geography=table, source=source,
                is_partnership=(code == partnership),
                population_mid2018=int(pop18) if pop18 else None)
