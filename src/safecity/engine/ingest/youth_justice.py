"""Youth justice outcomes (cautions, conditional cautions, court sentences), for first-time
entrants and proven re-offending.

Default layout: headers ``young_person_id, date_of_birth, age_at_offence, age_at_outcome,
offence_date, outcome_date, outcome_type, offence_code, sex``. Required: ``young_person_id``,
``offence_date``, ``outcome_date``, ``outcome_type`` (caution, conditional_caution,
court_sentence, other). ``young_person_id`` is replaced by a keyed hash (``young_person_key``);
``date_of_birth`` is used to derive both ages and is then discarded (never stored, not even in the
rejects file). Row checks: the outcome is not before the offence, the birth not after the
offence, and supplied ages agree with the date of birth. Derived: ``month`` (outcome month), the
offence code normalised. Replacement scope ``youth-justice``.
"""

from __future__ import annotations

from typing import Any

from .. import classification
from .records import SingleTableAdapter, month_of
from .tabular import normalise_header
from .validate import RowError, age_on

KIND = "youth-justice"


def sniff(header: list[str]) -> bool:
    h = {normalise_header(x) for x in header}
    return bool({"young_person_id", "young_person_key"} & h) and "outcome_type" in h


def _derive(notes: dict[str, Any]):
    cls = classification.load()
    outside = notes.setdefault("outside_10_17", [0])

    def derive(row: dict[str, Any]) -> None:
        offence, outcome = row["offence_date"], row["outcome_date"]
        if outcome < offence:
            raise RowError(f"outcome_date {outcome:%Y-%m-%d} is before offence_date "
                           f"{offence:%Y-%m-%d}")
        birth = row.pop("date_of_birth", None)
        if birth is not None:
            if birth > offence:
                raise RowError("date_of_birth is after offence_date")
            for col, day in (("age_at_offence", offence), ("age_at_outcome", outcome)):
                derived = age_on(birth, day)
                if row.get(col) is not None and row[col] != derived:
                    raise RowError(f"{col} {row[col]} does not agree with the date of birth "
                                   f"({derived})")
                row[col] = derived
        if row.get("age_at_offence") is not None and not 10 <= row["age_at_offence"] <= 17:
            outside[0] += 1
        if row.get("offence_code"):
            row["offence_code"] = (cls.resolve(row["offence_code"])
                                   or classification.normalise_code(row["offence_code"]))
        row["month"] = month_of(outcome)

    return derive


def _summarise(notes: dict[str, Any]) -> list[str]:
    n = notes.get("outside_10_17", [0])[0]
    return [f"{n} record(s) have an age at offence outside 10-17 (stored; the youth justice "
            "measures count ages 10-17 only)"] if n else []


ADAPTER = SingleTableAdapter(KIND, "youth_justice", scope=KIND, derive_factory=_derive,
                             summarise=_summarise)
