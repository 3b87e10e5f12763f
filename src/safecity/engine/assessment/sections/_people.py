"""Victim and offender profiles (age band, sex, relationship) shared by several sections.

A person is counted once per profile: distinct ``person_key`` among person victims (or
suspects) of the crimes selected, with the age and sex recorded on their first such crime of
the period. Shares are of people whose age (or sex, or relationship) is known. Records with no
person key count once per crime (they cannot be de-duplicated).
"""

from __future__ import annotations

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


def register_profile(led, tag: str, p: dict) -> None:
    """The counts of a profile and the relations its table shows: the age bands and 'age not
    known' add up to all people, the bands to the people whose age is known (the base of the
    shares); the same for sex."""
    led.count(f"{tag}:people", p["people"])
    for what, keys in (("age", [k for k, *_ in AGE_BANDS]), ("sex", [k for k, _ in SEXES])):
        cells = [led.count(f"{tag}:{what}:{k}", p[what][k]) for k in keys]
        known = led.count(f"{tag}:{what}_known", p[f"{what}_known"])
        unknown = led.count(f"{tag}:{what}:unknown", p["people"] - p[f"{what}_known"])
        led.total(known, cells)
        led.total(f"{tag}:people", [known, unknown])


def protected_profile_heads(pr, prefix: str, tag: str, bands: tuple[str, ...], sex: str
                            ) -> dict[str, Value]:
    heads: dict[str, Value] = {}
    for band in bands:
        heads[f"{prefix}_{band}_pct"] = pr.pct(f"{tag}:age:{band}", f"{tag}:age_known")
    heads[f"{prefix}_{sex}_pct"] = pr.pct(f"{tag}:sex:{sex}", f"{tag}:sex_known")
    return heads


def protected_profile_table(key: str, title: str, groups: list[tuple[str, str]], pr
                            ) -> TableResult:
    """Age-band and sex counts for one or more groups (label, ledger tag), protected."""
    rows = []
    for label, tag in groups:
        for k, blabel in [(k, b) for k, b, *_ in AGE_BANDS] + [("unknown", "Age not known")]:
            rows.append((label, "Age", blabel, pr[f"{tag}:age:{k}"],
                         pr.pct(f"{tag}:age:{k}", f"{tag}:age_known") if k != "unknown"
                         else None))
        for k, slabel in SEXES + (("unknown", "Sex not known"),):
            rows.append((label, "Sex", slabel, pr[f"{tag}:sex:{k}"],
                         pr.pct(f"{tag}:sex:{k}", f"{tag}:sex_known") if k != "unknown"
                         else None))
        rows.append((label, "All", "All people", pr[f"{tag}:people"], None))
    return TableResult(
        key=key, title=title,
        columns=(TableColumn("group", "Group"), TableColumn("characteristic", "Characteristic"),
                 TableColumn("category", "Category"), TableColumn("people", "People", "count"),
                 TableColumn("share_pct", "Share of those known (%)", "percent")),
        rows=tuple(rows), sensitive=True,
        notes=("Each person counted once, with the age and sex on their first crime of the "
               "period; shares are of people whose age or sex is recorded.",))


def register_relationship(led, tag: str, r: dict) -> None:
    """Victim records by relationship, the known total (base of the shares) and partner or
    former partner (a published share)."""
    cells = [led.count(f"{tag}:rel:{k}", r["counts"][k]) for k, _ in RELATIONSHIPS]
    led.total(led.count(f"{tag}:rel_known", r["known"]), cells)
    led.total(led.count(f"{tag}:rel:any_partner",
                        r["counts"]["partner"] + r["counts"]["ex_partner"]),
              [f"{tag}:rel:partner", f"{tag}:rel:ex_partner"])


def protected_relationship_table(key: str, title: str, groups: list[tuple[str, str]], pr
                                 ) -> TableResult:
    rows = []
    for label, tag in groups:
        for k, rlabel in RELATIONSHIPS:
            rows.append((label, rlabel, pr[f"{tag}:rel:{k}"],
                         pr.pct(f"{tag}:rel:{k}", f"{tag}:rel_known")))
    return TableResult(
        key=key, title=title,
        columns=(TableColumn("group", "Offences"),
                 TableColumn("relationship", "Offender's relationship to the victim"),
                 TableColumn("victims", "Victim records", "count"),
                 TableColumn("share_pct", "Share of those known (%)", "percent")),
        rows=tuple(rows), sensitive=True,
        notes=("Shares are of person-victim records whose relationship to the offender is "
               "recorded (not 'unknown').",))
