"""Partner intelligence (CPI) counts as the web app exports them
(``safecity web manage export_intelligence_counts``): one row per month, theme, submitting
agency, ward and LSOA with the number of submissions. Counts only; the text stays in the app.

Default layout: headers ``recorded_date, theme, source_agency, ward_name, lsoa_code,
submissions`` (the date is the first day of the month). Derived: ``month``, ``lsoa11_code``.
Replacement scope ``intelligence``: an export replaces the months it covers, so months whose
submissions the app has since purged (``purge_intelligence``) keep their counts here. Never
guessed from a header: the web app names the kind.
"""

from __future__ import annotations

from typing import Any

from .records import SingleTableAdapter, lsoa_deriver, lsoa_notes, month_of
from .validate import RowError

KIND = "intelligence"


def _derive(notes: dict[str, Any]):
    lsoa = lsoa_deriver(notes)

    def derive(row: dict[str, Any]) -> None:
        if row["submissions"] < 1:
            raise RowError("submissions must be 1 or more (a month with none has no row)")
        row["month"] = month_of(row["recorded_date"])
        lsoa(row)

    return derive


class _Adapter(SingleTableAdapter):
    @staticmethod
    def sniff(header: list[str]) -> bool:
        return False  # only loaded when named


ADAPTER = _Adapter(KIND, "intelligence_counts", scope=KIND, derive_factory=_derive,
                   summarise=lsoa_notes)
