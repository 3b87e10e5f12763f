"""The demo's partner sources: fire, health (ISTV), ambulance, children's services and drug and
alcohol treatment, calibrated to published national rates.

Each yearly count is a national rate per resident applied to the demo area's population (the sum
of its LSOAs' mid-2019 estimates), pro rata for the April-December 2020 part year. The rates and
where they come from (the figure and its year) are in ``RATES`` below and in each partner's
``calibration`` text (engine/partners.py, also printed in docs/data-contract.md). Shares that no
national publication gives are marked as the demo's own assumptions. The test
``tests/engine/demo/test_partner_calibration.py`` checks that the loaded 2019/20 counts meet
these rates.
"""

from __future__ import annotations

import numpy as np

from . import places, timing
from .offences import YEARS

#: Population of England, ONS mid-2019 estimate; of England and Wales, 59,439,840.
ENGLAND_2019 = 56_286_961
ENGLAND_WALES_2019 = 59_439_840

#: measure -> (national count, population it is over, what and when). Per resident per year.
RATES = {
    # Home Office, Fire and rescue incident statistics, England, year ending March 2022 (FIRE0401
    # as reported): 69,776 deliberate fires, 45.7 % of 152,608 fires attended. Mid-2021 England
    # (56,536,419) is the base of that year.
    "deliberate_fires": (69_776, 56_536_419, "Home Office fire statistics, England, YE Mar 2022"),
    # NHS Digital Hospital Episode Statistics 2019-20, England: 28,905 finished admission
    # episodes with an ICD-10 cause of assault (X85-Y09); 4,674 by a sharp object (X99).
    "assault_admissions": (28_905, ENGLAND_2019, "NHS Digital HES, England, 2019-20"),
    "sharp_object_admissions": (4_674, ENGLAND_2019, "NHS Digital HES, England, 2019-20"),
    # NHS Digital, Statistics on Alcohol, England 2020 (OHID's, then PHE's, Local Alcohol
    # Profiles, narrow measure): 357,660 admissions in 2018-19; mid-2018 England 55,977,178.
    "alcohol_related_admissions": (357_660, 55_977_178,
                                   "NHS Digital Statistics on Alcohol 2020, England, 2018-19"),
    # HSCIC provisional HES A&E, England, May 2014 to April 2015: 133,896 attendances due to
    # assault (mid-2014 England population 54,316,618).
    "ed_assault_attendances": (133_896, 54_316_618, "HSCIC provisional HES, May 2014-Apr 2015"),
    # Quigg et al. 2017, Emerg Med J 34(6):364-369: 15,687 violence-related ambulance call-outs
    # in North West England over the three years 2013-2015 (mid-2014 North West 7,133,067).
    "assault_callouts": (15_687 / 3, 7_133_067, "Quigg et al. 2017, North West England 2013-15"),
    # DfE, Characteristics of children in need 2019 to 2020: 642,980 referrals (the demo
    # completes an assessment for ASSESSED_SHARE of them).
    "referrals": (642_980, ENGLAND_2019, "DfE children in need, England, 2019-20"),
    # PHE, Adult substance misuse treatment statistics 2019 to 2020: 132,124 adults entered
    # treatment.
    "treatment_starts": (132_124, ENGLAND_2019, "PHE adult treatment statistics, 2019-20"),
    # ONS, Deaths related to drug poisoning in England and Wales, 2019 registrations: about 2,880
    # deaths related to drug misuse.
    "drug_related_deaths": (2_880, ENGLAND_WALES_2019, "ONS drug poisoning deaths, 2019"),
}
PRIMARY_SHARE = 0.27  # of deliberate fires (demo assumption: the release says most are secondary)
DELIBERATE_SHARE = 0.457  # of all fires (Home Office, YE Mar 2022)
#: HES 2019-20 admissions by cause: bodily force 16,852, sharp object 4,674, blunt 2,115 of
#: 28,905; the rest (firearm, other and unspecified) 5,264.
ADMISSION_WEAPONS = (("body", "Y04", 16_852), ("knife_or_sharp", "X99", 4_674),
                     ("blunt", "Y00", 2_115), ("other", "Y09", 5_264 - 60),
                     ("firearm", "X95", 60))
#: The alcohol-related admissions' primary diagnosis or external cause (ICD-10): the demo's own
#: assumption of the mix (mental and behavioural disorders due to alcohol, alcoholic liver
#: disease, cardiac arrhythmia, hypertension, falls, oesophageal cancer, acute pancreatitis,
#: degeneration of the nervous system, accidental and intentional poisoning by alcohol).
ALCOHOL_CAUSE_P = {"F10": 0.25, "K70": 0.12, "I48": 0.20, "I10": 0.10, "W19": 0.13,
                   "C15": 0.07, "K85": 0.05, "G31": 0.05, "X45": 0.02, "X65": 0.01}
ED_WEAPON_P = {"body": 0.62, "knife_or_sharp": 0.07, "blunt": 0.08, "firearm": 0.002,
               "other": 0.058, "unknown": 0.17}  # demo assumption
PLACE_P = {"street": 0.38, "licensed_premises": 0.19, "home": 0.24, "public_transport": 0.03,
           "school_or_college": 0.03, "workplace": 0.04, "other": 0.05, "unknown": 0.04}
MALE_SHARE = 0.713  # of A&E assault attendances (HSCIC, May 2014-Apr 2015)
STAB_SHARE = 0.227  # of violence-related call-outs (Quigg et al. 2017)
CONVEYED_SHARE = 0.661  # transferred to another health service (Quigg et al. 2017)
ASSESSED_SHARE = 0.85  # referrals assessed (demo assumption)
DA_FACTOR_SHARE = 169_860 / 642_980 / ASSESSED_SHARE  # DfE 2019-20, per assessment
OTHER_FACTOR_P = {"child_sexual_exploitation": 0.03, "child_criminal_exploitation": 0.04,
                  "gangs": 0.03, "missing": 0.05, "drug_misuse": 0.17, "alcohol_misuse": 0.17,
                  "mental_health": 0.30}  # demo assumptions
COMPLETION_SHARE = 0.505  # of exits (QualityWatch from NDTMS, 2015-16); exits ≈ entries
SUBSTANCE_P = {"opiate": 0.52, "non_opiate": 0.09, "non_opiate_and_alcohol": 0.11,
               "alcohol": 0.28}  # PHE 2019-20: 52 % opiate, 28 % alcohol only; rest split


def population() -> int:
    return int(places.southampton().population.sum())


def per_year(measure: str) -> float:
    """The demo area's yearly count of ``measure`` at the national rate."""
    count, base, _ = RATES[measure]
    return count / base * population()


def yearly(measure: str, year: int, share: float = 1.0) -> int:
    """The count for financial year ``year`` (2020: April-December only)."""
    start, end = timing.year_bounds(year)
    days = int((end - start) / np.timedelta64(1, "D")) + 1
    return int(round(per_year(measure) * share * days / 365))


def _pick(rng, table: dict[str, float], n: int) -> np.ndarray:
    keys = list(table)
    p = np.array([table[k] for k in keys], dtype="float64")
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _when(rng, profile: str, n: int, year: int) -> tuple[np.ndarray, np.ndarray]:
    days = np.sort(timing.sample_days(rng, profile, n, year))
    hours = timing.sample_hours(rng, profile, days)
    minutes = rng.integers(0, 60, n)
    moments = (days.astype("datetime64[m]") + hours * np.timedelta64(60, "m")
               + minutes * np.timedelta64(1, "m"))
    return days, moments


def _lsoas(rng, profile: str, n: int) -> np.ndarray:
    return rng.choice(len(places.southampton()), size=n, p=places.lsoa_weights(profile))


def fire(rng: np.random.Generator) -> dict[str, np.ndarray]:
    parts = []
    for year in YEARS:
        deliberate = yearly("deliberate_fires", year)
        total = int(round(deliberate / DELIBERATE_SHARE))
        n_primary = int(round(deliberate * PRIMARY_SHARE))
        is_deliberate = np.zeros(total, bool)
        is_deliberate[:deliberate] = True
        fire_type = np.where(np.arange(total) < n_primary, "primary",
                             np.where(np.arange(total) < deliberate, "secondary",
                                      np.where(rng.random(total) < 0.45, "primary",
                                               "secondary"))).astype(object)
        days, moments = _when(rng, "asb", total, year)
        order = rng.permutation(total)  # dates are sorted; spread the kinds over them
        parts.append((days, moments, is_deliberate[order], fire_type[order]))
    days = np.concatenate([p[0] for p in parts])
    moments = np.concatenate([p[1] for p in parts])
    deliberate = np.concatenate([p[2] for p in parts])
    fire_type = np.concatenate([p[3] for p in parts])
    n = len(days)
    primary = fire_type == "primary"
    prop = np.where(primary, _pick(rng, {"dwelling": 0.25, "other_building": 0.15,
                                         "vehicle": 0.45, "other": 0.15}, n),
                    _pick(rng, {"outdoor": 0.45, "refuse": 0.5, "other": 0.05}, n))
    lsoa = _lsoas(rng, "asb", n)
    lon, lat = places.sample_points(rng, lsoa)
    return {"ref": np.array([f"FRS{i:06d}" for i in range(1, n + 1)], dtype=object),
            "date": days, "at": moments, "fire_type": fire_type, "deliberate": deliberate,
            "property_type": prop, "lsoa": lsoa, "lon": lon, "lat": lat}


def health(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Assault attendances and admissions (ISTV), then alcohol-related admissions. The latter
    come from a stream spawned from ``rng`` (spawning draws nothing), so the assault rows are
    the same as before they were added."""
    alcohol_rng = rng.spawn(1)[0]
    out = _assaults(rng)
    out["alcohol"] = np.zeros(len(out["date"]), bool)
    extra = _alcohol_admissions(alcohol_rng)
    return {k: np.concatenate([out[k], extra[k]]) for k in out}


def _alcohol_admissions(rng: np.random.Generator) -> dict[str, np.ndarray]:
    days = np.concatenate([timing.sample_days(rng, "asb", yearly("alcohol_related_admissions",
                                                                  year), year)
                           for year in YEARS])
    n = len(days)
    at = days.astype("datetime64[m]") + rng.integers(0, 24 * 60, n) * np.timedelta64(1, "m")
    lsoa = _lsoas(rng, "asb", n)
    lon, lat = places.sample_points(rng, lsoa)
    blank = np.full(n, "", dtype=object)
    return {"date": days, "at": at, "setting": np.full(n, "admission", dtype=object),
            "weapon": blank, "cause": _pick(rng, ALCOHOL_CAUSE_P, n),
            "assault_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[m]"),
            "place": blank,
            "age": np.clip(np.round(rng.normal(56, 16, n)), 18, 95).astype(int),
            "sex": np.where(rng.random(n) < 0.62, "male", "female").astype(object),
            "patient_id": np.array([f"NHS{p:07d}" for p in
                                    rng.integers(5_000_000, 5_000_000 + max(2, int(n * 0.8)),
                                                 n)], dtype=object),
            "ref": np.array([f"ALC{i:06d}" for i in range(1, n + 1)], dtype=object),
            "lsoa": lsoa, "lon": lon, "lat": lat, "alcohol": np.ones(n, bool)}


def _assaults(rng: np.random.Generator) -> dict[str, np.ndarray]:
    cols: dict[str, list] = {k: [] for k in ("date", "at", "setting", "weapon", "cause")}
    for year in YEARS:
        n_ed = yearly("ed_assault_attendances", year)
        n_adm = yearly("assault_admissions", year)
        days, moments = _when(rng, "night", n_ed + n_adm, year)
        setting = np.array(["emergency_department"] * n_ed + ["admission"] * n_adm,
                           dtype=object)[rng.permutation(n_ed + n_adm)]
        adm = setting == "admission"
        weapons = np.empty(len(setting), dtype=object)
        causes = np.full(len(setting), "", dtype=object)
        weapons[~adm] = _pick(rng, ED_WEAPON_P, int((~adm).sum()))
        # admissions: exactly the HES mix of causes, so sharp-object admissions meet their rate
        total = sum(c for _, _, c in ADMISSION_WEAPONS)
        counts = [int(round(n_adm * c / total)) for _, _, c in ADMISSION_WEAPONS]
        counts[0] += n_adm - sum(counts)
        kinds = np.concatenate([[w] * k for (w, _, _), k in zip(ADMISSION_WEAPONS, counts)])
        codes = np.concatenate([[c] * k for (_, c, _), k in zip(ADMISSION_WEAPONS, counts)])
        order = rng.permutation(n_adm)
        weapons[adm], causes[adm] = kinds[order], codes[order]
        for k, v in zip(cols, (days, moments, setting, weapons, causes)):
            cols[k].append(v)
    out = {k: np.concatenate(v) for k, v in cols.items()}
    n = len(out["date"])
    # the assault happened up to a few hours before the attendance
    out["assault_at"] = out["at"] - rng.integers(10, 240, n) * np.timedelta64(1, "m")
    out["date"] = out["at"].astype("datetime64[D]")
    out["place"] = _pick(rng, PLACE_P, n)
    out["age"] = np.clip(np.round(rng.gamma(5.5, 5.2, n) + 8), 10, 95).astype(int)
    out["sex"] = np.where(rng.random(n) < MALE_SHARE, "male", "female").astype(object)
    pool = rng.integers(1, max(2, int(n * 0.9)), n)  # a few people attend more than once
    out["patient_id"] = np.array([f"NHS{p:07d}" for p in pool], dtype=object)
    out["ref"] = np.array([f"ED{i:06d}" for i in range(1, n + 1)], dtype=object)
    lsoa = _lsoas(rng, "centre", n)
    out["lsoa"] = lsoa
    out["lon"], out["lat"] = places.sample_points(rng, lsoa)
    return out


def ambulance(rng: np.random.Generator) -> dict[str, np.ndarray]:
    parts = []
    for year in YEARS:
        n = yearly("assault_callouts", year)
        days, moments = _when(rng, "night", n, year)
        parts.append((days, moments))
    days = np.concatenate([p[0] for p in parts])
    moments = np.concatenate([p[1] for p in parts])
    n = len(days)
    u = rng.random(n)
    call = np.where(u < STAB_SHARE, "stab_gunshot_penetrating",
                    np.where(u < STAB_SHARE + 0.073, "sexual_assault", "assault")).astype(object)
    lsoa = _lsoas(rng, "centre", n)
    lon, lat = places.sample_points(rng, lsoa)
    return {"ref": np.array([f"AMB{i:06d}" for i in range(1, n + 1)], dtype=object),
            "date": days, "at": moments, "call_type": call,
            "age": np.clip(np.round(rng.gamma(5.0, 6.0, n) + 6), 10, 95).astype(int),
            "sex": np.where(rng.random(n) < 0.72, "male", "female").astype(object),
            "conveyed": rng.random(n) < CONVEYED_SHARE, "lsoa": lsoa, "lon": lon, "lat": lat}


def childrens(rng: np.random.Generator) -> dict[str, np.ndarray]:
    days = np.sort(np.concatenate([timing.sample_days(rng, "day", yearly("referrals", y,
                                                                          ASSESSED_SHARE), y)
                                   for y in YEARS]))
    n = len(days)
    out = {"ref": np.array([f"CSC{i:06d}" for i in range(1, n + 1)], dtype=object),
           "date": days, "age": rng.integers(0, 18, n),
           "sex": np.where(rng.random(n) < 0.5, "male", "female").astype(object),
           "child_id": np.array([f"CH{p:06d}" for p in rng.integers(1, int(n * 0.8), n)],
                                dtype=object),
           "factor_domestic_abuse": rng.random(n) < DA_FACTOR_SHARE}
    for f, p in OTHER_FACTOR_P.items():
        out[f"factor_{f}"] = rng.random(n) < p
    return out


def treatment(rng: np.random.Generator) -> dict[str, np.ndarray]:
    cols: dict[str, list] = {"date": [], "type": []}
    for year in YEARS:
        starts = yearly("treatment_starts", year)
        done = yearly("treatment_starts", year, COMPLETION_SHARE)
        deaths = yearly("drug_related_deaths", year)
        for kind, n in (("start", starts), ("successful_completion", done),
                        ("drug_related_death", deaths)):
            cols["date"].append(timing.sample_days(rng, "day", n, year))
            cols["type"].append(np.full(n, kind, dtype=object))
    days = np.concatenate(cols["date"])
    kinds = np.concatenate(cols["type"])
    order = np.argsort(days, kind="stable")
    days, kinds = days[order], kinds[order]
    n = len(days)
    return {"ref": np.array([f"TX{i:06d}" for i in range(1, n + 1)], dtype=object),
            "date": days, "event_type": kinds, "substance": _pick(rng, SUBSTANCE_P, n),
            "client_id": np.array([f"CL{p:06d}" for p in rng.integers(1, n, n)], dtype=object),
            "age": np.clip(np.round(rng.normal(40, 10, n)), 18, 80).astype(int),
            "sex": np.where(rng.random(n) < 0.68, "male", "female").astype(object)}

