"""Headline figures recomputed from the demo's CSV files with the csv module and plain Python.

A second implementation of the definitions in ``safecity.engine.demo.calibration`` (it shares no
code with the generator or the assessment), used to check the files against the reference.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from importlib import resources

import yaml

STRANDS = ("Hate Race", "Hate Religion", "Hate Sexual Orientation", "Hate Disability",
           "Hate Transgender")
KNOWN_RELATIONSHIPS = ("Partner", "Ex-Partner", "Family Member", "Acquaintance", "Stranger")


def fy(d: date) -> int:
    """Financial year starting in April: 2019 for 1 Apr 2019 – 31 Mar 2020."""
    return d.year if d.month >= 4 else d.year - 1


def add_months(d, months: int):
    y, m = divmod(d.month - 1 + months, 12)
    day = min(d.day, [31, 29 if (d.year + y) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31,
                      30, 31][m])
    return d.replace(year=d.year + y, month=m + 1, day=day)


def pct(part, whole):
    return 100.0 * part / whole if whole else None


def change(cur, prev):
    return 100.0 * (cur - prev) / prev if prev else None


def baskets() -> dict:
    text = (resources.files("safecity.engine.classification") / "baskets.yaml").read_text("utf-8")
    return yaml.safe_load(text)["baskets"]


def band(age: int) -> str:
    return ("under18" if age < 18 else "18_24" if age < 25 else "25_34" if age < 35
            else "35_49" if age < 50 else "50plus")


def compute(demo, uk_date, uk_datetime) -> dict[str, float]:
    """Every headline key the generator controls, for 2019/20 (and 2018/19 where published)."""
    out: dict[str, float] = {}
    crimes = {}
    for r in demo.crimes:
        d = uk_date(r["Date Recorded"])
        off = demo.offences[r["HO Offence Code"]]
        crimes[r["Crime Reference"]] = {
            "year": fy(d), "date": d, "code": r["HO Offence Code"],
            "group": off["offence_group"].lower(), "subgroup": off["offence_subgroup"].lower(),
            "domestic": r["DA Flag"] == "Y", "hate": [r[s] == "Y" for s in STRANDS],
            "alcohol": r["Alcohol Flag"] == "Y", "drug": r["Drugs Flag"] == "Y",
            "knife": r["Weapon Knife"] == "Y", "lsoa": r["LSOA Code"],
            "from": uk_datetime(r["Committed From"]),
        }
    cur, prev = 2019, 2018

    def count(pred, year):
        return sum(1 for c in crimes.values() if c["year"] == year and pred(c))

    def both(pred):
        return count(pred, cur), count(pred, prev)

    b = baskets()
    msv = set(b["most_serious_violence"]["codes"])
    bladed = set(b["bladed_implement"]["codes"])
    slavery = set(b["modern_slavery"]["codes"])
    cruelty = set(b["cruelty_to_children"]["codes"])
    selections = {
        "violent_crime": lambda c: c["group"] == "violence against the person",
        "domestic_violent_crime": lambda c: c["group"] == "violence against the person" and c["domestic"],
        "sexual_offences_rape": lambda c: c["subgroup"] == "rape",
        "other_sexual_offences": lambda c: c["subgroup"] == "other sexual offences",
        "hate_crime": lambda c: any(c["hate"]),
        "drug_offences": lambda c: c["group"] == "drug offences",
        "drug_affected_crime": lambda c: c["drug"],
        "stalking_harassment": lambda c: c["subgroup"] == "stalking and harassment",
        "modern_slavery": lambda c: c["code"] in slavery,
        "cruelty_to_children": lambda c: c["code"] in cruelty,
        "most_serious_violence": lambda c: c["code"] in msv,
        "arson": lambda c: c["subgroup"] == "arson",
        "residential_burglary": lambda c: c["subgroup"] == "residential burglary",
        "bladed_implement_offences": lambda c: c["code"] in bladed or c["knife"],
    }
    for key, pred in selections.items():
        out[f"{key}_change_pct"] = change(*both(pred))
    out["recorded_crime"] = count(lambda c: True, cur)
    out["alcohol_affected_crime"], out["alcohol_affected_crime_previous"] = both(lambda c: c["alcohol"])
    asb = Counter(fy(date.fromisoformat(r["recorded_date"])) for r in demo.asb)
    out["asb_incidents"], out["asb_incidents_previous"] = asb[cur], asb[prev]

    # Repeat victimisation: person victims with an identifier, distinct crimes each.
    for year, suffix in ((cur, ""), (prev, "_previous")):
        per_person = defaultdict(set)
        with_person = set()
        for v in demo.victims:
            c = crimes[v["Crime Reference"]]
            if c["year"] == year and v["Victim Type"] == "Individual" and v["Victim ID"]:
                per_person[v["Victim ID"]].add(v["Crime Reference"])
                with_person.add(v["Crime Reference"])
        n = [len(s) for s in per_person.values()]
        links = sum(n)
        out["unique_person_victims" + suffix] = len(n)
        out["crimes_with_person_victim_pct" + suffix] = pct(len(with_person), count(lambda c: True, year))
        out["victims_one_crime_pct" + suffix] = pct(sum(1 for k in n if k == 1), len(n))
        out["victims_repeat_pct" + suffix] = pct(sum(1 for k in n if k > 1), len(n))
        out["repeat_victims_share_of_crimes_pct" + suffix] = pct(sum(k for k in n if k > 1), links)
        out["victims_5plus" + suffix] = sum(1 for k in n if k >= 5)
        out["victims_5plus_pct" + suffix] = pct(out["victims_5plus" + suffix], len(n))
        out["victims_5plus_crimes" + suffix] = sum(k for k in n if k >= 5)
        out["victims_5plus_share_of_crimes_pct" + suffix] = pct(out["victims_5plus_crimes" + suffix], links)

    # Domestic abuse.
    all_cur = count(lambda c: True, cur)
    vap = lambda c: c["group"] == "violence against the person"  # noqa: E731
    out["domestic_share_of_crime_pct"] = pct(count(lambda c: c["domestic"], cur), all_cur)
    out["domestic_share_of_violence_pct"] = pct(count(lambda c: vap(c) and c["domestic"], cur),
                                                count(vap, cur))

    def people(rows, where):
        """Distinct people: age and sex on their first crime of the year (by recorded date)."""
        first = {}
        for r in rows:
            c = crimes[r["Crime Reference"]]
            if c["year"] != cur or not where(c):
                continue
            key = r.get("Victim ID", r.get("Suspect ID"))
            if key not in first or (c["date"], r["Crime Reference"]) < first[key][0]:
                first[key] = ((c["date"], r["Crime Reference"]), r)
        return [r for _, r in first.values()]

    def profile(prefix, rows, bands, sex_code, sex_name):
        ages = [band(int(r["Age"])) for r in rows if r["Age"]]
        sexes = [r["Gender"] for r in rows if r["Gender"] in ("F", "M")]
        for b_ in bands:
            out[f"{prefix}_{b_}_pct"] = pct(ages.count(b_), len(ages))
        out[f"{prefix}_{sex_name}_pct"] = pct(sexes.count(sex_code), len(sexes))

    person_victims = [v for v in demo.victims if v["Victim Type"] == "Individual"]
    dom = lambda c: c["domestic"]  # noqa: E731
    rel = [v["Relationship to Offender"] for v in person_victims
           if crimes[v["Crime Reference"]]["year"] == cur and dom(crimes[v["Crime Reference"]])
           and v["Relationship to Offender"] in KNOWN_RELATIONSHIPS]
    out["domestic_by_partner_pct"] = pct(sum(r in ("Partner", "Ex-Partner") for r in rel), len(rel))
    bands4 = ("under18", "18_24", "25_34", "35_49")
    profile("domestic_victims", people(person_victims, dom), bands4, "F", "female")
    offenders = people(demo.suspects, dom)
    out["domestic_offenders"] = len(offenders)
    profile("domestic_offenders", offenders, bands4, "M", "male")

    pop, decile = Counter(), {}
    for g in demo.geography:
        decile[g["lsoa11_code"]] = int(g["imd_decile"])
        pop[int(g["imd_decile"])] += int(g["population"])
    da = Counter(decile[c["lsoa"]] for c in crimes.values() if c["year"] == cur and c["domestic"])
    lo, hi = min(pop), max(pop)
    out["domestic_rate_ratio_most_vs_least_deprived"] = (da[lo] / pop[lo]) / (da[hi] / pop[hi])

    window = [r for r in demo.referrals
              if date(2018, 4, 1) <= date.fromisoformat(r["referral_date"]) <= date(2020, 3, 31)]
    out["hrda_referrals_with_children_pct"] = pct(
        sum(int(r["children_in_household"]) > 0 for r in window), len(window))

    # Sexual offences.
    sexual = lambda c: c["group"] == "sexual offences"  # noqa: E731
    rape = lambda c: c["subgroup"] == "rape"  # noqa: E731
    other = lambda c: c["subgroup"] == "other sexual offences"  # noqa: E731
    sv = people(person_victims, sexual)
    out["sexual_offence_victims"] = len(sv)
    profile("sexual_victims", sv, ("under18",), "F", "female")
    profile("rape_victims", people(person_victims, rape), ("under18", "18_24", "25_34"), "F", "female")
    profile("other_sexual_victims", people(person_victims, other), ("under18",), "F", "female")
    so = people(demo.suspects, sexual)
    out["sexual_offence_offenders"] = len(so)
    profile("sexual_offenders", so, ("18_24", "25_34", "35_49"), "M", "male")
    for key, pred in (("sexual_offences", sexual), ("rape", rape), ("other_sexual", other)):
        rows = [c for c in crimes.values() if c["year"] == cur and pred(c)]
        out[f"{key}_non_recent_pct"] = pct(
            sum(c["date"] > add_months(c["from"].date(), 12) for c in rows), len(rows))
    for key, pred in (("rape", rape), ("other_sexual", other)):
        out[f"{key}_domestic_pct"] = pct(count(lambda c: pred(c) and c["domestic"], cur), count(pred, cur))
    rape_rel = [v["Relationship to Offender"] for v in person_victims
                if crimes[v["Crime Reference"]]["year"] == cur and rape(crimes[v["Crime Reference"]])
                and v["Relationship to Offender"] in KNOWN_RELATIONSHIPS]
    out["rape_by_partner_pct"] = pct(sum(r in ("Partner", "Ex-Partner") for r in rape_rel), len(rape_rel))
    out["rape_by_acquaintance_pct"] = pct(rape_rel.count("Acquaintance"), len(rape_rel))

    # Hate crime, 30 September – 30 November.
    for year, suffix in ((2020, ""), (2019, "_previous")):
        inside = [c for c in crimes.values() if date(year, 9, 30) <= c["date"] <= date(year, 11, 30)]
        out["hate_race_period" + suffix] = sum(c["hate"][0] for c in inside)
        out["hate_five_strands_period" + suffix] = sum(any(c["hate"]) for c in inside)
    return out
