"""The demo's crimes for one financial year: offence codes, flags, times and places.

Counts per code come from ``offences.counts_by_year``. Flags that the reference publishes (domestic,
alcohol, drug-affected, hate, bladed) are given to *exactly* the target number of crimes, chosen by
weighted sampling so they fall on plausible offences, hours and places; unpublished ones (night-time
economy, firearm, other weapon) are drawn. Sexual offences get their committed dates from
``timing.reported_late`` so the non-recent shares are exact.
"""

from __future__ import annotations

import numpy as np

from . import calibration as cal
from . import places, timing
from .allocate import choose_exact
from .offences import OFFENCES, YEARS, current_counts

CODES = np.array([o.code for o in OFFENCES])
GROUP = np.array([o.group for o in OFFENCES])
SUBGROUP = np.array([o.subgroup for o in OFFENCES])
HATE_CODED = np.array([o.hate >= 50 for o in OFFENCES])  # racially or religiously aggravated
#: Codes whose victims are children by definition (never flagged domestic).
CHILD_CODES = frozenset({"20B", "17B", "22B", "88A", "71", "21"})

#: Flag targets per year: (2017/18, 2018/19, 2019/20, Apr–Dec 2020). 2019/20 and 2018/19 are the
#: calibration targets; the other years are plausible neighbours.
ALCOHOL = dict(zip(YEARS, (2_702, cal.ALCOHOL_AFFECTED_PREVIOUS, cal.ALCOHOL_AFFECTED, 1_540)))
DRUG_AFFECTED = dict(zip(YEARS, (1_090, cal.previous_count(1_450, cal.DRUG_AFFECTED_CHANGE),
                                 1_450, 1_020)))
HATE = dict(zip(YEARS, (1_010, cal.previous_count(1_160, cal.HATE_CHANGE), 1_160, 905)))
BLADED_FLAGGED = dict(zip(YEARS, (214, cal.previous_count(200, cal.BLADED_CHANGE), 200, 140)))
#: Domestic share of violence against the person in the years without a target.
VAP_DOMESTIC_SHARE = {2017: 0.305, 2020: 0.345}
#: Domestic share of crimes outside violence and sexual offences (2019/20 follows from targets).
OTHER_DOMESTIC_SHARE = 0.0149
#: Strand probabilities for a hate crime that is not racially or religiously aggravated.
STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender")
STRAND_P = np.array([0.60, 0.06, 0.17, 0.13, 0.04])


def domestic_targets(year: int, n_code: np.ndarray) -> dict[str, int]:
    """Exact domestic-flag counts for the year: VAP, rape, other sexual, everything else."""
    vap = int(n_code[GROUP == "vap"].sum())
    rape = int(n_code[SUBGROUP == "rape"].sum())
    other_sexual = int(n_code[SUBGROUP == "other_sexual"].sum())
    rest = int(n_code.sum()) - vap - rape - other_sexual
    out = {"rape": round(cal.RAPE_DOMESTIC_PCT / 100 * rape),
           "other_sexual": round(cal.OTHER_SEXUAL_DOMESTIC_PCT / 100 * other_sexual)}
    current_vap = round(cal.DOMESTIC_SHARE_OF_VIOLENCE_PCT / 100
                        * int(current_counts()[GROUP == "vap"].sum()))
    if year == cal.CURRENT_YEAR:
        out["vap"] = current_vap
        total = round(cal.DOMESTIC_SHARE_OF_CRIME_PCT / 100 * int(n_code.sum()))
        out["other"] = total - out["vap"] - out["rape"] - out["other_sexual"]
    else:
        out["vap"] = (cal.previous_count(current_vap, cal.DOMESTIC_VIOLENCE_CHANGE)
                      if year == cal.PREVIOUS_YEAR else round(VAP_DOMESTIC_SHARE[year] * vap))
        out["other"] = round(OTHER_DOMESTIC_SHARE * rest)
    return out


def build_year(rng: np.random.Generator, year: int, n_code: np.ndarray) -> dict[str, np.ndarray]:
    """Columns of the crimes recorded in ``year`` (no crime references yet)."""
    code = np.repeat(np.arange(len(OFFENCES)), n_code)
    n = len(code)
    group, sub = GROUP[code], SUBGROUP[code]
    offence = [OFFENCES[i] for i in code]
    weight = lambda attr: np.array([getattr(o, attr) for o in offence], dtype="float64")  # noqa

    # Domestic abuse: exact counts within VAP, rape, other sexual and the rest.
    domestic = np.zeros(n, bool)
    targets = domestic_targets(year, n_code)
    adult_possible = ~np.isin(CODES[code], list(CHILD_CODES))
    for key, mask in (("vap", group == "vap"), ("rape", sub == "rape"),
                      ("other_sexual", (sub == "other_sexual") & adult_possible),
                      ("other", (group != "vap") & (group != "sexual"))):
        w = np.where(mask, weight("dom") if key in ("vap", "other") else 1.0, 0.0)
        domestic[choose_exact(rng, w, targets[key])] = True

    # Times: sexual offences from the recorded date backwards (non-recent shares exact).
    start = np.empty(n, "datetime64[m]")
    end = np.empty(n, "datetime64[m]")
    recorded = np.empty(n, "datetime64[D]")
    sexual = group == "sexual"
    non_recent = np.zeros(n, bool)
    for sg, pct in (("rape", cal.RAPE_NON_RECENT_PCT),
                    ("other_sexual", cal.OTHER_SEXUAL_NON_RECENT_PCT)):
        members = np.flatnonzero(sub == sg)
        k = round(pct / 100 * len(members))
        non_recent[members[choose_exact(rng, np.ones(len(members)), k)]] = True
    profile = np.array([o.time for o in offence])
    profile[domestic & ((group == "vap") | (group == "damage"))] = "domestic"
    for name in np.unique(profile):
        rows = np.flatnonzero((profile == name) & ~sexual)
        if len(rows):
            start[rows], end[rows], recorded[rows] = timing.committed_times(rng, name, len(rows), year)
        rows = np.flatnonzero((profile == name) & sexual)
        if len(rows):
            start[rows], end[rows], recorded[rows] = timing.reported_late(
                rng, len(rows), year, name, non_recent[rows])

    # Places: domestic abuse by deprivation decile (exact in the current year), the rest by profile.
    lsoa = np.empty(n, "int64")
    rows = np.flatnonzero(domestic)
    lsoa[rows] = places.domestic_lsoas(rng, len(rows), exact=year == cal.CURRENT_YEAR)
    place = np.array([o.place for o in offence])
    for name in np.unique(place):
        rows = np.flatnonzero((place == name) & ~domestic)
        lsoa[rows] = rng.choice(len(places.southampton()), size=len(rows), p=places.lsoa_weights(name))
    lon, lat = places.sample_points(rng, lsoa)

    # Night-time economy: city-centre wards, 20:00-04:59, offences of a night out.
    hour = (start - start.astype("datetime64[D]")).astype("int64") // 60
    night = (hour >= 20) | (hour < 5)
    in_nte = np.isin(places.southampton().ward_name[lsoa], places.NTE_WARDS)
    nte_kind = np.isin(group, ["vap", "public_order", "sexual", "robbery", "damage"]) | (sub == "theft_person")
    nte = in_nte & night & nte_kind & ~domestic & (rng.random(n) < 0.85)

    alc_w = weight("alc") * np.where(night, 3.0, 1.0) * np.where(nte, 2.0, 1.0) * np.where(domestic, 0.7, 1.0)
    alcohol = _flag(rng, n, alc_w, ALCOHOL[year])
    drug = _flag(rng, n, weight("drug"), DRUG_AFFECTED[year])
    hate = _hate(rng, year, recorded, weight("hate") * np.where(domestic, 0.05, 1.0), HATE_CODED[code])

    basket = np.array([o.basket == "bladed" for o in offence])
    bladed = basket | _flag(rng, n, np.where(basket, 0.0, weight("blade")), BLADED_FLAGGED[year])
    firearm = np.isin(CODES[code], ["10A", "10B", "81"]) | ((group == "robbery") & (rng.random(n) < 0.04))
    other_weapon = (CODES[code] == "10C") | (np.isin(CODES[code], ["5D", "8N", "34B"]) & ~bladed
                                             & (rng.random(n) < 0.06))
    # Near repeats, last so every draw above is unchanged (a child generator draws these).
    near_repeats(rng.spawn(1)[0], sub == "res_burglary", start, lsoa, lon, lat)
    cols = {
        "code_idx": code, "offence_code": CODES[code], "recorded": recorded,
        "committed_from": start, "committed_to": end, "lsoa": lsoa, "lon": lon, "lat": lat,
        "domestic": domestic, "alcohol": alcohol, "drug": drug, "bladed": bladed,
        "firearm": firearm, "other_weapon": other_weapon, "nte": nte, "non_recent": non_recent,
        "year": np.full(n, year),
    }
    cols.update({f"hate_{s}": hate[:, j] for j, s in enumerate(STRANDS)})
    return cols


def _flag(rng: np.random.Generator, n: int, w: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(n, bool)
    out[choose_exact(rng, w, k)] = True
    return out


def _hate(rng, year, recorded, w, coded) -> np.ndarray:
    """Strand flags (n × 5): exact totals per year and, in 2019 and 2020, inside the window."""
    n = len(w)
    strands = np.zeros((n, len(STRANDS)), bool)
    chosen = np.zeros(n, bool)
    # The autumn window of calendar year ``year`` lies inside financial year ``year``.
    if year in cal.HATE_FIVE_STRANDS_PERIOD:
        (m0, d0), (m1, d1) = cal.HATE_WINDOW
        lo = np.datetime64(f"{year}-{m0:02d}-{d0:02d}")
        hi = np.datetime64(f"{year}-{m1:02d}-{d1:02d}")
        inside = (recorded >= lo) & (recorded <= hi)
        pick = choose_exact(rng, np.where(inside, w, 0), cal.HATE_FIVE_STRANDS_PERIOD[year])
        chosen[pick] = True
        _strands(rng, strands, pick, coded, race_exact=cal.HATE_RACE_PERIOD[year])
    else:
        inside = np.zeros(n, bool)
    rest = choose_exact(rng, np.where(inside, 0, w), HATE[year] - int(chosen.sum()))
    _strands(rng, strands, rest, coded, race_exact=None)
    return strands


def _strands(rng, strands, rows, coded, race_exact: int | None) -> None:
    """Give each chosen crime its strands; with ``race_exact`` exactly that many are race."""
    if len(rows) == 0:
        return
    if race_exact is None:
        primary = rng.choice(len(STRANDS), size=len(rows), p=STRAND_P)
        primary[coded[rows]] = np.where(rng.random(int(coded[rows].sum())) < 0.9, 0, 1)
    else:
        w = np.where(coded[rows], 20.0, 1.0)
        race = np.zeros(len(rows), bool)
        race[choose_exact(rng, w, race_exact)] = True
        others = STRAND_P[1:] / STRAND_P[1:].sum()
        primary = np.where(race, 0, 1 + rng.choice(4, size=len(rows), p=others))
        primary[coded[rows] & ~race] = 1  # an aggravated crime that is not race is religion
    strands[rows, primary] = True
    # About one in twenty carries a second strand (never adding race: that would move the quota).
    second = rng.random(len(rows)) < 0.05
    extra = 1 + rng.choice(4, size=len(rows), p=STRAND_P[1:] / STRAND_P[1:].sum())
    strands[rows[second], extra[second]] = True


#: Near-repeat residential burglary (calibrated to Johnson et al. 2007, J Quant Criminol 23:201,
#: and Bowers & Johnson 2004: after a burglary the risk to homes within about 200 m is raised
#: for about two weeks, and roughly one burglary in ten follows another that closely). A share
#: NEAR_REPEAT_SHARE of residential burglaries is placed 0-NEAR_REPEAT_METRES from an earlier
#: residential burglary committed 1-NEAR_REPEAT_DAYS days before it, in that burglary's LSOA;
#: their dates, offences and everything else are untouched, so no count changes.
NEAR_REPEAT_SHARE = 0.12
NEAR_REPEAT_METRES = 200.0
NEAR_REPEAT_DAYS = 14


def near_repeats(rng: np.random.Generator, burglary: np.ndarray, start: np.ndarray,
                 lsoa: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> int:
    """Move a share of the burglaries next to an earlier one (in place); returns how many."""
    rows = np.flatnonzero(burglary)
    if len(rows) < 2:
        return 0
    day = start[rows].astype("datetime64[D]").astype("int64")
    order = np.argsort(day, kind="stable")
    rows, day = rows[order], day[order]
    moved = 0
    for i in np.flatnonzero(rng.random(len(rows)) < NEAR_REPEAT_SHARE):
        lo = np.searchsorted(day, day[i] - NEAR_REPEAT_DAYS, side="left")
        hi = np.searchsorted(day, day[i] - 1, side="right")
        if hi <= lo:
            continue
        leader = rows[lo + rng.integers(hi - lo)]
        r = NEAR_REPEAT_METRES * np.sqrt(rng.random())  # uniform over the disc
        angle = rng.random() * 2 * np.pi
        this = rows[i]
        lat[this] = lat[leader] + r * np.sin(angle) / 111_320.0
        lon[this] = lon[leader] + r * np.cos(angle) / (111_320.0 * np.cos(np.radians(lat[leader])))
        lsoa[this] = lsoa[leader]
        moved += 1
    return moved
