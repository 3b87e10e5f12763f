"""Victims and suspects of the demo's crimes for one year: who, how often, how old, what sex.

Repeat victimisation. Person victims are built from the published structure: so many people with
one crime, 2-4 and 5+, the 2-4 and 5+ counts drawn from a truncated discrete power law (the heavy
tail of repeat victimisation) and nudged to the exact totals. Domestic-abuse victims are taken
mostly from the repeat victims; sexual-offence victims are people with that one crime only.

Profiles. Age band, sex and relationship are *dealt* (``allocate.deal``) so that the published
shares hold over distinct people and over their crimes alike. Each domestic victim with an
identified offender has one offender for all their domestic crimes, so ``DOMESTIC_OFFENDERS`` is
exact; each sexual offence with a suspect has a different suspect. Other crimes draw suspects from
a pool of offenders whose crime counts follow a power law (a few prolific offenders).

Everyone is synthetic: identifiers are numbers from a seeded sequence, never real data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from .allocate import choose_exact, deal, truncated_power_law
from .crimes import CHILD_CODES, CODES, GROUP, SUBGROUP
from .offences import OFFENCES, PERSON_RESIDUAL_CODE, RAPE_CODES, index

BANDS = ((0, 17), (18, 24), (25, 34), (35, 49), (50, 84))  # under 18, 18-24, 25-34, 35-49, 50+
SEXES = ("female", "male")
RELATIONSHIPS = ("partner", "ex_partner", "family", "acquaintance", "stranger", "unknown")
PARTNER_SPLIT = 0.55  # current partner share of "current or former partner"

#: Remainders (50+, and the unpublished bands) are demo choices that keep totals at 100 %.
DOMESTIC_VICTIM_BANDS = (*cal.DOMESTIC_VICTIM_AGE_PCT, 100 - sum(cal.DOMESTIC_VICTIM_AGE_PCT))
DOMESTIC_OFFENDER_BANDS = (*cal.DOMESTIC_OFFENDER_AGE_PCT, 100 - sum(cal.DOMESTIC_OFFENDER_AGE_PCT))
RAPE_VICTIM_BANDS = (*cal.RAPE_VICTIM_AGE_PCT, 15.4, 100 - sum(cal.RAPE_VICTIM_AGE_PCT) - 15.4)
OTHER_SEXUAL_VICTIM_BANDS = (cal.OTHER_SEXUAL_VICTIMS_UNDER18_PCT, 16.0, 12.0, 10.0,
                             100 - cal.OTHER_SEXUAL_VICTIMS_UNDER18_PCT - 38.0)
SEXUAL_OFFENDER_BANDS = (14.0, *cal.SEXUAL_OFFENDER_AGE_PCT, 100 - 14.0 - sum(cal.SEXUAL_OFFENDER_AGE_PCT))
ADULT = np.array([0, 1, 1, 1, 1], dtype="float64")
#: Mean crimes of victims with 5 or more (2,207 / 320 in 2019/20).
MEAN_5PLUS = cal.VICTIMS_5PLUS_CRIMES / cal.VICTIMS_5PLUS
#: Share of repeat (2-4 and 5+) victims who are domestic-abuse victims.
DOMESTIC_SHARE_OF_5PLUS = 0.28
DOMESTIC_SHARE_OF_2TO4 = 0.235
DOMESTIC_IDENTIFIED = 0.93        # share of domestic victims with an identified offender (other years)
SEXUAL_WITH_SUSPECT = 0.65        # share of sexual offences with a suspect (other years)


class Ids:
    """Unique synthetic identifiers: ``prefix`` + number from a seeded affine sequence."""

    def __init__(self, rng: np.random.Generator, prefix: str, width: int = 7) -> None:
        self.prefix, self.width = prefix, width
        self.modulus = 10 ** width
        self.offset = int(rng.integers(0, self.modulus))
        self.stride = int(rng.choice([7_919, 104_729, 1_299_709, 15_485_863]))  # primes: coprime
        self.next = 0

    def take(self, n: int) -> np.ndarray:
        i = np.arange(self.next, self.next + n, dtype="int64")
        self.next += n
        nums = (self.offset + self.stride * i) % self.modulus
        return np.array([f"{self.prefix}{x:0{self.width}d}" for x in nums], dtype=object)


@dataclass
class People:
    """Victim and suspect rows of one year (indices refer to the year's crimes)."""

    victim_crime: np.ndarray
    victim_id: np.ndarray
    victim_type: np.ndarray   # person / business / state
    victim_age: np.ndarray    # -1 = not known
    victim_sex: np.ndarray    # '' = not known
    relationship: np.ndarray  # '' = not recorded
    suspect_crime: np.ndarray
    suspect_id: np.ndarray
    suspect_age: np.ndarray
    suspect_sex: np.ndarray
    rape_code: np.ndarray     # per crime: final code for rapes (else '')


def person_victim_crimes(rng: np.random.Generator, code: np.ndarray, domestic: np.ndarray
                         ) -> np.ndarray:
    """Which crimes have a person victim: exact per code, ``CRIMES_WITH_PERSON_VICTIM_PCT`` overall.

    Domestic crimes always have one; the residual code's share closes the gap to the target.
    """
    n_code = np.bincount(code, minlength=len(OFFENCES))
    share = np.array([max(o.person, 0.0) for o in OFFENCES])
    k = np.round(n_code * share).astype("int64")
    r = index(PERSON_RESIDUAL_CODE)
    k[r] = round(cal.CRIMES_WITH_PERSON_VICTIM_PCT / 100 * len(code)) - (k.sum() - k[r])
    out = np.zeros(len(code), bool)
    for i in np.flatnonzero(n_code):
        rows = np.flatnonzero(code == i)
        w = np.where(domestic[rows], 1e9, 1.0)  # domestic first
        out[rows[choose_exact(rng, w, max(int(k[i]), int(domestic[rows].sum())))]] = True
    return out


def victim_counts(rng: np.random.Generator, year: int, n_crimes: int) -> np.ndarray:
    """Crimes per person victim (sums to ``n_crimes``): singles, a 2-4 band and a heavy 5+ tail."""
    if year == cal.CURRENT_YEAR:
        people, one_pct, n5 = cal.UNIQUE_PERSON_VICTIMS, cal.VICTIMS_ONE_CRIME_PCT, cal.VICTIMS_5PLUS
        c5 = cal.VICTIMS_5PLUS_CRIMES
    else:
        per = cal.CRIMES_WITH_PERSON_VICTIM_PCT / 100 * cal.RECORDED_CRIME / cal.UNIQUE_PERSON_VICTIMS
        people = round(n_crimes / per)
        one_pct = cal.VICTIMS_ONE_CRIME_PCT_PREVIOUS if year == cal.PREVIOUS_YEAR else 81.2
        n5 = (cal.VICTIMS_5PLUS_PREVIOUS if year == cal.PREVIOUS_YEAR
              else round(cal.VICTIMS_5PLUS / cal.UNIQUE_PERSON_VICTIMS * people))
        c5 = round(n5 * MEAN_5PLUS)
    ones = round(one_pct / 100 * people)
    n24 = people - ones - n5
    c24 = n_crimes - ones - c5
    mid = truncated_power_law(rng, n24, 2, 4, c24 / n24, total=c24)
    tail = truncated_power_law(rng, n5, 5, 80, c5 / n5, total=c5)
    return np.concatenate([np.ones(ones, dtype="int64"), mid, tail])


def _ages(rng: np.random.Generator, bands: np.ndarray, low_under18: int = 10) -> np.ndarray:
    lo = np.array([b[0] for b in BANDS])[bands]
    hi = np.array([b[1] for b in BANDS])[bands]
    lo = np.where(bands == 0, low_under18, lo)
    # Older ages thin out: draw 50+ from a squeezed range.
    u = rng.random(len(bands))
    u = np.where(bands == 4, u ** 1.8, u)
    return (lo + np.floor(u * (hi - lo + 1))).astype("int64")


def build_people(rng: np.random.Generator, year: int, cols: dict[str, np.ndarray],
                 person_ids: Ids, business_ids: Ids) -> People:
    """Victim and suspect rows for one year's crimes (see the module docstring)."""
    code = cols["code_idx"]
    n = len(code)
    group, sub, codes = GROUP[code], SUBGROUP[code], CODES[code]
    domestic = cols["domestic"]
    sexual = group == "sexual"
    pv = person_victim_crimes(rng, code, domestic)
    counts = victim_counts(rng, year, int(pv.sum()))
    victim_of = _assign_victims(rng, counts, pv, domestic, sexual)
    n_people = len(counts)
    is_da = np.zeros(n_people, bool)
    is_da[victim_of[domestic]] = True
    d = np.bincount(victim_of[domestic], minlength=n_people)  # domestic crimes per person

    band = np.full(n_people, -1)
    sex = np.full(n_people, -1)
    rel = np.full(n_people, -1)   # per person, for domestic and sexual victims
    age = np.full(n_people, -1)
    rape_code = np.full(n, "", dtype=object)
    _sexual_victims(rng, codes, sub, domestic, victim_of, band, sex, rel, age, rape_code)

    da = np.flatnonzero(is_da)
    band[da] = deal(rng, d[da], DOMESTIC_VICTIM_BANDS, band[da])
    sex[da] = deal(rng, d[da], (cal.DOMESTIC_VICTIMS_FEMALE_PCT, 100 - cal.DOMESTIC_VICTIMS_FEMALE_PCT), sex[da])
    partner = cal.DOMESTIC_BY_PARTNER_PCT
    rel[da] = deal(rng, d[da], (partner * PARTNER_SPLIT, partner * (1 - PARTNER_SPLIT), 100 - partner), rel[da])
    todo = da[age[da] < 0]
    age[todo] = _ages(rng, band[todo], low_under18=14)

    # Everyone else: age from their first crime (children for child cruelty and abduction).
    rest = np.flatnonzero(age < 0)
    first_crime = np.full(n_people, -1)
    first_crime[victim_of[::-1][victim_of[::-1] >= 0]] = np.flatnonzero(victim_of >= 0)[::-1]
    child = np.isin(codes[first_crime[rest]], ["11A", "13"])
    adult_age = (16 + rng.gamma(2.2, 11.0, len(rest))).clip(16, 90).astype("int64")
    age[rest] = np.where(child, rng.integers(0, 16, len(rest)), adult_age)
    unknown = rng.random(len(rest)) < 0.03
    age[rest[unknown & ~child]] = -1
    sex[rest] = np.where(rng.random(len(rest)) < 0.49, 0, 1)
    sex[rest[rng.random(len(rest)) < 0.025]] = -1

    ids = person_ids.take(n_people)
    # Victim rows: one per crime.
    v_type = np.full(n, "state", dtype=object)
    other = np.array([o.other_victim for o in OFFENCES], dtype=object)[code]
    v_type[~pv] = other[~pv]
    v_type[pv] = "person"
    v_id = np.full(n, "", dtype=object)
    v_id[pv] = ids[victim_of[pv]]
    biz = np.flatnonzero(v_type == "business")
    v_id[biz] = _business_ids(rng, len(biz), business_ids)
    v_age = np.full(n, -1)
    v_age[pv] = age[victim_of[pv]]
    v_sex = np.full(n, "", dtype=object)
    sex_names = np.array([*SEXES, ""], dtype=object)
    v_sex[pv] = sex_names[sex[victim_of[pv]]]
    relationship = _relationships(rng, n, pv, victim_of, rel, group, sexual | domestic)

    s_crime, s_id, s_age, s_sex = _suspects(rng, year, cols, victim_of, is_da, d, band, person_ids)
    return People(np.arange(n), v_id, v_type, v_age, v_sex, relationship,
                  s_crime, s_id, s_age, s_sex, rape_code)


def _assign_victims(rng, counts, pv, domestic, sexual) -> np.ndarray:
    """Person index for each crime (−1 without a person victim)."""
    ones = np.flatnonzero(counts == 1)
    mid = np.flatnonzero((counts >= 2) & (counts <= 4))
    tail = np.flatnonzero(counts >= 5)
    n_dom = int(domestic.sum())
    ds = np.flatnonzero(domestic & sexual)
    da_tail = rng.choice(tail, round(DOMESTIC_SHARE_OF_5PLUS * len(tail)), replace=False)
    da_mid = rng.choice(mid, round(DOMESTIC_SHARE_OF_2TO4 * len(mid)), replace=False)
    while n_dom - counts[da_tail].sum() - counts[da_mid].sum() < len(ds):
        da_mid = da_mid[:-1]
    shuffled_ones = rng.permutation(ones)
    n_da_ones = int(n_dom - counts[da_tail].sum() - counts[da_mid].sum())
    da_ones, other_ones = shuffled_ones[:n_da_ones], shuffled_ones[n_da_ones:]
    victim_of = np.full(len(pv), -1)
    # Domestic sexual offences go to domestic victims with that one crime.
    victim_of[ds] = da_ones[: len(ds)]
    da_slots = rng.permutation(np.concatenate([np.repeat(da_tail, counts[da_tail]),
                                               np.repeat(da_mid, counts[da_mid]), da_ones[len(ds):]]))
    dom_rest = np.flatnonzero(domestic & ~sexual)
    victim_of[rng.permutation(dom_rest)] = da_slots
    # Non-domestic sexual offences: people with that one crime; the rest share the other slots.
    nds = np.flatnonzero(sexual & ~domestic)
    victim_of[nds] = other_ones[: len(nds)]
    is_da = np.zeros(len(counts), bool)
    is_da[np.concatenate([da_tail, da_mid, da_ones])] = True
    others = np.flatnonzero(~is_da & (counts >= 2))
    slots = rng.permutation(np.concatenate([np.repeat(others, counts[others]), other_ones[len(nds):]]))
    remaining = np.flatnonzero(pv & ~domestic & ~sexual)
    victim_of[rng.permutation(remaining)] = slots
    return victim_of


def _sexual_victims(rng, codes, sub, domestic, victim_of, band, sex, rel, age, rape_code) -> None:
    """Bands, sexes, ages and relationships of sexual-offence victims; rape codes from them."""
    rape = np.flatnonzero(sub == "rape")
    other = np.flatnonzero(sub == "other_sexual")
    for rows, shares in ((rape, RAPE_VICTIM_BANDS), (other, OTHER_SEXUAL_VICTIM_BANDS)):
        fixed = np.full(len(rows), -1)
        fixed[np.isin(codes[rows], list(CHILD_CODES))] = 0
        dom = np.flatnonzero(domestic[rows])
        fixed[dom] = deal(rng, np.ones(len(dom)), ADULT * np.asarray(shares))
        band[victim_of[rows]] = deal(rng, np.ones(len(rows)), shares, fixed)
    rows = np.concatenate([rape, other])
    people = victim_of[rows]
    fixed = np.full(len(rows), -1)
    fixed[np.isin(codes[rows], ["20A", "20B"])] = 0
    fixed[np.isin(codes[rows], ["17A", "17B"])] = 1
    female = cal.SEXUAL_VICTIMS_FEMALE_PCT
    sex[people] = deal(rng, np.ones(len(rows)), (female, 100 - female), fixed)
    # Ages: children's codes fix the age range.
    under = band[people] == 0
    a = _ages(rng, band[people], low_under18=13)
    ranges = {"20B": (4, 12), "17B": (4, 12), "21": (6, 12), "22B": (13, 15), "88A": (11, 15),
              "71": (13, 17)}
    for c, (lo, hi) in ranges.items():
        m = codes[rows] == c
        a[m] = rng.integers(lo, hi + 1, int(m.sum()))
    is_rape = np.arange(len(rows)) < len(rape)
    a[is_rape & under] = rng.integers(10, 18, int((is_rape & under).sum()))
    age[people] = a
    # Rape codes follow the victim: under 13, 13-15, 16 and over; female or male.
    age_class = np.where(a[is_rape] < 13, 0, np.where(a[is_rape] < 16, 1, 2))
    for j, r in enumerate(rape):
        rape_code[r] = RAPE_CODES[(SEXES[sex[people[j]]], int(age_class[j]))]
    # Relationships: domestic ones partner / ex-partner / family; the published rape shares.
    p = cal.RAPE_BY_PARTNER_PCT
    for rows_, dom_shares in ((rape, (0.5, 0.43, 0.07, 0, 0, 0)), (other, (0.45, 0.35, 0.2, 0, 0, 0))):
        fixed = np.full(len(rows_), -1)
        dom = np.flatnonzero(domestic[rows_])
        fixed[dom] = deal(rng, np.ones(len(dom)), dom_shares)
        if rows_ is rape:
            family = 100 * np.sum(fixed == 2) / max(len(rows_), 1)
            acq = cal.RAPE_BY_ACQUAINTANCE_PCT
            # No "not known": published shares are of all rapes, the assessment's of those with
            # a known relationship; with none unknown the two agree.
            shares = (p * PARTNER_SPLIT, p * (1 - PARTNER_SPLIT), family, acq,
                      max(100 - p - family - acq, 0), 0)
            rel[victim_of[rows_]] = deal(rng, np.ones(len(rows_)), shares, fixed)
        else:
            child = np.isin(codes[rows_], list(CHILD_CODES))
            draw = np.where(child, rng.choice([2, 3, 4, 5], len(rows_), p=[0.3, 0.45, 0.1, 0.15]),
                            rng.choice([3, 4, 5], len(rows_), p=[0.35, 0.45, 0.2]))
            rel[victim_of[rows_]] = np.where(fixed >= 0, fixed, draw)


def _relationships(rng, n, pv, victim_of, rel, group, known) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    names = np.array(RELATIONSHIPS, dtype=object)
    rows = np.flatnonzero(pv & known)
    out[rows] = names[rel[victim_of[rows]]]
    violent = np.flatnonzero(pv & ~known & np.isin(group, ["vap", "robbery", "public_order"]))
    out[violent] = names[rng.choice([3, 4, 5], len(violent), p=[0.4, 0.35, 0.25])]
    return out


def _business_ids(rng, k: int, ids: Ids) -> np.ndarray:
    """Businesses repeat too: a few large stores account for many crimes."""
    if k == 0:
        return np.zeros(0, dtype=object)
    n_biz = max(1, k // 3)
    per = truncated_power_law(rng, n_biz, 1, 400, k / n_biz, total=k)
    return rng.permutation(np.repeat(ids.take(n_biz), per))


def _suspects(rng, year, cols, victim_of, is_da, d, victim_band, person_ids: Ids):
    """Suspect rows: (crime index, id, age, sex) arrays."""
    code = cols["code_idx"]
    n = len(code)
    group, sub = GROUP[code], SUBGROUP[code]
    domestic = cols["domestic"]
    sexual = group == "sexual"
    da = np.flatnonzero(is_da)
    k_da = (cal.DOMESTIC_OFFENDERS if year == cal.CURRENT_YEAR
            else round(DOMESTIC_IDENTIFIED * len(da)))
    identified = np.zeros(len(is_da), bool)
    identified[da[choose_exact(rng, np.ones(len(da)), min(k_da, len(da)))]] = True
    offender_of_victim = np.full(len(is_da), -1)
    offender_of_victim[identified] = np.arange(int(identified.sum()))
    n_da_off = int(identified.sum())

    # Sexual offences: the domestic ones with an identified offender, then others up to the total.
    ds = np.flatnonzero(domestic & sexual & identified[np.maximum(victim_of, 0)] & (victim_of >= 0))
    nds = np.flatnonzero(sexual & ~domestic)
    total_sexual = (cal.SEXUAL_OFFENCE_OFFENDERS if year == cal.CURRENT_YEAR
                    else round(SEXUAL_WITH_SUSPECT * int(sexual.sum())))
    nds = nds[choose_exact(rng, np.ones(len(nds)), max(total_sexual - len(ds), 0))]
    # Sexual offenders: ds offenders are adults (partners and family); the rest fill the shares.
    sx_band = np.full(len(ds) + len(nds), -1)
    sx_band[: len(ds)] = deal(rng, np.ones(len(ds)), ADULT * np.asarray(SEXUAL_OFFENDER_BANDS))
    sx_band = deal(rng, np.ones(len(sx_band)), SEXUAL_OFFENDER_BANDS, sx_band)
    male = cal.SEXUAL_OFFENDERS_MALE_PCT
    sx_sex = deal(rng, np.ones(len(sx_band)), (100 - male, male))
    # Domestic offenders: one per identified victim, weighted by that victim's domestic crimes.
    off_band = np.full(n_da_off, -1)
    off_sex = np.full(n_da_off, -1)
    ds_off = offender_of_victim[victim_of[ds]]
    off_band[ds_off] = sx_band[: len(ds)]
    off_sex[ds_off] = sx_sex[: len(ds)]
    weights = np.zeros(n_da_off, dtype="int64")
    weights[offender_of_victim[identified]] = d[identified]
    off_band = deal(rng, weights, DOMESTIC_OFFENDER_BANDS, off_band)
    male = cal.DOMESTIC_OFFENDERS_MALE_PCT
    off_sex = deal(rng, weights, (100 - male, male), off_sex)
    off_age = _ages(rng, off_band, low_under18=14)
    off_ids = person_ids.take(n_da_off)

    rows_crime, rows_id, rows_age, rows_sex = [], [], [], []
    sex_names = np.array([*SEXES, ""], dtype=object)  # dealt index 0 = female, 1 = male
    dom_rows = np.flatnonzero(domestic & (victim_of >= 0))
    dom_rows = dom_rows[identified[victim_of[dom_rows]]]
    o = offender_of_victim[victim_of[dom_rows]]
    rows_crime.append(dom_rows), rows_id.append(off_ids[o]), rows_age.append(off_age[o])
    rows_sex.append(sex_names[off_sex[o]])
    # Non-domestic sexual offences: each suspect is a different person.
    nds_band = sx_band[len(ds):]
    nds_age = _ages(rng, nds_band, low_under18=12)
    rows_crime.append(nds), rows_id.append(person_ids.take(len(nds))), rows_age.append(nds_age)
    rows_sex.append(sex_names[sx_sex[len(ds):]])

    # Everything else: a pool of offenders with a heavy-tailed number of crimes.
    share = np.array([o_.suspect for o_ in OFFENCES])[code]
    has = (~domestic & ~sexual) & (rng.random(n) < share)
    extra = np.where(group == "robbery", rng.random(n) < 0.3, 0).astype("int64")
    extra += np.where(CODES[code] == "62A", 2, 0) + np.where(CODES[code] == "9A", rng.random(n) < 0.1, 0)
    slots = np.repeat(np.flatnonzero(has), 1 + extra[has])
    if len(slots):
        n_off = max(1, round(len(slots) / 1.9))
        per = truncated_power_law(rng, n_off, 1, 150, len(slots) / n_off, total=len(slots))
        who = rng.permutation(np.repeat(np.arange(n_off), per))
        pairs = np.unique(np.stack([slots, who], axis=1), axis=0)  # one row per crime and person
        ages = (12 + rng.gamma(2.0, 9.0, n_off)).clip(12, 80).astype("int64")
        ages[rng.random(n_off) < 0.02] = -1
        sexes = np.where(rng.random(n_off) < 0.84, 1, 0)
        sexes[rng.random(n_off) < 0.02] = 2
        ids = person_ids.take(n_off)
        rows_crime.append(pairs[:, 0]), rows_id.append(ids[pairs[:, 1]])
        rows_age.append(ages[pairs[:, 1]]), rows_sex.append(sex_names[sexes[pairs[:, 1]]])
    return (np.concatenate(rows_crime), np.concatenate(rows_id),
            np.concatenate(rows_age), np.concatenate(rows_sex))
