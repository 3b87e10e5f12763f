"""Victim and offender profiles (age band, sex, relationship) shared by several sections.

A person is counted once per profile: distinct ``person_key`` among person victims (or
suspects) of the crimes selected, with the age and sex recorded on their first such crime of
the period. Shares are of people whose age (or sex, or relationship) is known. Records with no
person key count once per crime (they cannot be de-duplicated).
"""

from __future__ import annotations

from .. import disclosure
from ..context import Context
from ..model import TableColumn, TableResult, Value
from ._common import AGE_BAND_SQL, AGE_BANDS

SEXES = (("female", "Female"), ("male", "Male"), ("other", "Other"))
RELATIONSHIPS = (("partner", "Current spouse or partner"),
                 ("ex_partner", "Former spouse or partner"),
                 ("family", "Other family member"), ("acquaintance", "Acquaintance"),
                 ("stranger", "Stranger"))


def _people(table: str, where: str, flag: str, person_filter: str) -> str:
    order = "recorded_date"
    return (f"SELECT coalesce(person_key, 'crime:' || crime_ref) AS who, "
            f"arg_min(age, {order}) AS age, arg_min(sex, {order}) AS sex FROM {table} "
            f"WHERE {flag} AND ({where}) AND {person_filter} GROUP BY 1")


def profile(ctx: Context, table: str, where: str, flag: str = "in_cur") -> dict:
    """{'people': n, 'age': {band: n}, 'age_known': n, 'sex': {sex: n}, 'sex_known': n}."""
    person = "victim_type = 'person'" if table == "v" else "TRUE"
    people = _people(table, where, flag, person)
    rows = ctx.rows(f"WITH p AS ({people}) SELECT {AGE_BAND_SQL} AS band, sex, count(*) "
                    "FROM p GROUP BY 1, 2")
    ages = {k: 0 for k, *_ in AGE_BANDS}
    sexes = {k: 0 for k, _ in SEXES}
    total = 0
    for band, sex, n in rows:
        total += n
        if band:
            ages[band] += n
        if sex in sexes:
            sexes[sex] += n
    return {"people": total, "age": ages, "age_known": sum(ages.values()), "sex": sexes,
            "sex_known": sum(sexes.values())}


def relationship(ctx: Context, where: str, flag: str = "in_cur") -> dict:
    """Person-victim records of the selected crimes by relationship of the offender."""
    counts = {k: 0 for k, _ in RELATIONSHIPS}
    for rel, n in ctx.rows(f"SELECT relationship, count(*) FROM v WHERE {flag} AND ({where}) "
                           "AND victim_type = 'person' GROUP BY 1"):
        if rel in counts:
            counts[rel] = n
    return {"counts": counts, "known": sum(counts.values())}


def pct(part: int, whole: int, threshold: int) -> Value:
    """A sensitive percentage (``disclosure.percent``)."""
    return disclosure.percent(part, whole, threshold)


def profile_heads(prefix: str, p: dict, bands: tuple[str, ...], sex: str, threshold: int
                  ) -> dict[str, Value]:
    heads: dict[str, Value] = {}
    for band in bands:
        heads[f"{prefix}_{band}_pct"] = pct(p["age"][band], p["age_known"], threshold)
    heads[f"{prefix}_{sex}_pct"] = pct(p["sex"][sex], p["sex_known"], threshold)
    return heads


def profile_table(key: str, title: str, groups: list[tuple[str, dict]], threshold: int
                  ) -> TableResult:
    """Age-band and sex counts for one or more groups (e.g. victims, offenders), suppressed."""
    rows = []
    for label, p in groups:
        ages = disclosure.protect([p["age"][k] for k, *_ in AGE_BANDS]
                                  + [p["people"] - p["age_known"]], threshold)
        for (k, blabel, *_), n in zip(AGE_BANDS + (("unknown", "Age not known", 0, 0),), ages):
            rows.append((label, "Age", blabel, n,
                         disclosure.share(n, p["age_known"]) if k != "unknown" else None))
        sexes = disclosure.protect([p["sex"][k] for k, _ in SEXES]
                                   + [p["people"] - p["sex_known"]], threshold)
        for (k, slabel), n in zip(SEXES + (("unknown", "Sex not known"),), sexes):
            rows.append((label, "Sex", slabel, n,
                         disclosure.share(n, p["sex_known"]) if k != "unknown" else None))
        rows.append((label, "All", "All people", disclosure.protect_total(p["people"],
                                                                           threshold), None))
    return TableResult(
        key=key, title=title,
        columns=(TableColumn("group", "Group"), TableColumn("characteristic", "Characteristic"),
                 TableColumn("category", "Category"), TableColumn("people", "People", "count"),
                 TableColumn("share_pct", "Share of those known (%)", "percent")),
        rows=tuple(rows), sensitive=True,
        notes=("Each person counted once, with the age and sex on their first crime of the "
               "period; shares are of people whose age or sex is recorded.",))


def relationship_table(key: str, title: str, groups: list[tuple[str, dict]], threshold: int
                       ) -> TableResult:
    rows = []
    for label, r in groups:
        cells = disclosure.protect([r["counts"][k] for k, _ in RELATIONSHIPS], threshold)
        for (k, rlabel), n in zip(RELATIONSHIPS, cells):
            rows.append((label, rlabel, n, disclosure.share(n, r["known"])))
    return TableResult(
        key=key, title=title,
        columns=(TableColumn("group", "Offences"),
                 TableColumn("relationship", "Offender's relationship to the victim"),
                 TableColumn("victims", "Victim records", "count"),
                 TableColumn("share_pct", "Share of those known (%)", "percent")),
        rows=tuple(rows), sensitive=True,
        notes=("Shares are of person-victim records whose relationship to the offender is "
               "recorded (not 'unknown').",))
