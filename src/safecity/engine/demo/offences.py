"""The demo's offence mix: real Home Office offence codes with their 2019/20 counts and behaviour.

Each row is one Home Office offence code (codes as in ``mopd_severity_codes.csv`` and the ONS
offence hierarchy). ``n`` is the 2019/20 count; the other years follow from the calibration targets
(``basket`` names the change a code takes part in) or, for codes no target touches, from ``prev``
(2018/19 count as a multiple of 2019/20). ``counts_by_year`` turns the table into exact per-year
counts: 2017/18, 2018/19, 2019/20, and April–December 2020.

Behaviour columns: ``person`` is the share with a person victim (the rest business or state, by
``other_victim``); ``suspect`` the share with an identified suspect; ``dom``, ``alc``, ``drug``,
``hate``, ``blade`` are relative weights for receiving those flags (0 = never); ``time`` and
``place`` name the timing and spatial profiles (``timing.py``, ``places.py``).

The mix is also what makes the harm ranking come out as published (rape > violence with injury >
residential burglary by severity weight × count, both years).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from .allocate import split_exact


@dataclass(frozen=True)
class Offence:
    code: str
    label: str
    group: str        # internal group key (see GROUPS)
    subgroup: str     # internal subgroup key
    n: int            # 2019/20 count (rape: a placeholder code; the final code follows the victim)
    basket: str | None = None
    prev: float = 1.0
    person: float = 1.0
    other_victim: str = "state"
    suspect: float = 0.3
    dom: float = 0.0
    alc: float = 0.0
    drug: float = 0.0
    hate: float = 0.0
    blade: float = 0.0
    time: str = "day"
    place: str = "residential"


O = Offence
# fmt: off
OFFENCES: tuple[Offence, ...] = (
    # Violence against the person -------------------------------------------------------------
    O("1", "Murder", "vap", "homicide", 2, suspect=1.0, dom=0.6, alc=1, drug=1, blade=3, time="violence", place="mixed"),
    O("4.4", "Causing death or serious injury by dangerous driving", "vap", "driving", 2, suspect=1.0, alc=1, time="day", place="mixed"),
    O("2", "Attempted murder", "vap", "vwi", 9, basket="msv", suspect=0.8, dom=0.5, alc=1, drug=1, blade=5, time="violence", place="mixed"),
    O("5D", "Assault with intent to cause serious harm", "vap", "vwi", 115, basket="msv", suspect=0.6, dom=0.5, alc=1.2, drug=0.8, blade=4, time="violence", place="centre"),
    O("5E", "Endangering life", "vap", "vwi", 13, basket="msv", suspect=0.6, dom=0.4, alc=0.6, drug=0.6, blade=1, time="violence", place="mixed"),
    O("8N", "Assault with injury", "vap", "vwi", 2_900, basket="vap_rest", suspect=0.55, dom=1.0, alc=1.0, drug=0.5, blade=0.3, time="violence", place="centre", hate=0.15),
    O("8S", "Assault with injury on a constable", "vap", "vwi", 110, basket="vap_rest", suspect=1.0, alc=2.0, drug=0.8, time="violence", place="centre"),
    O("8P", "Racially or religiously aggravated assault with injury", "vap", "vwi", 70, basket="vap_rest", suspect=0.5, alc=1.0, drug=0.3, hate=50, time="violence", place="centre"),
    O("105A", "Assault without injury", "vap", "vwoi", 5_613, basket="vap_rest", suspect=0.5, dom=1.0, alc=0.8, drug=0.3, hate=0.2, blade=0.02, time="violence", place="centre"),
    O("104", "Assault without injury on a constable", "vap", "vwoi", 150, basket="vap_rest", suspect=1.0, alc=2.0, drug=0.8, time="violence", place="centre"),
    O("105B", "Racially or religiously aggravated assault without injury", "vap", "vwoi", 90, basket="vap_rest", suspect=0.45, alc=0.8, hate=50, time="violence", place="centre"),
    O("3B", "Threats to kill", "vap", "vwoi", 170, basket="vap_rest", suspect=0.7, dom=1.2, alc=0.5, drug=0.3, blade=1.5, time="evening", place="residential"),
    O("36", "Kidnapping", "vap", "vwoi", 25, basket="vap_rest", suspect=0.7, dom=0.8, drug=0.5, blade=0.5, time="evening", place="mixed"),
    O("13", "Child abduction", "vap", "vwoi", 10, basket="vap_rest", suspect=0.8, time="day", place="residential"),
    O("11A", "Cruelty to children/young persons", "vap", "vwoi", 135, basket="cruelty", suspect=0.9, time="day", place="residential"),
    O("106", "Modern slavery", "vap", "vwoi", 36, basket="slavery", suspect=0.5, time="day", place="mixed"),
    O("8L", "Harassment", "vap", "stalking", 1_300, basket="stalking", suspect=0.6, dom=1.2, hate=0.2, time="day", place="residential"),
    O("8M", "Racially or religiously aggravated harassment", "vap", "stalking", 80, basket="stalking", suspect=0.5, hate=50, time="day", place="mixed"),
    O("8Q", "Stalking", "vap", "stalking", 420, basket="stalking", suspect=0.8, dom=2.0, time="day", place="residential"),
    O("8R", "Malicious communications", "vap", "stalking", 1_750, basket="stalking", suspect=0.5, dom=0.9, hate=0.15, time="day", place="residential"),
    # Sexual offences (rape: one row; the code follows the victim's age and sex) -----------------
    O("19C", "Rape", "sexual", "rape", 367, basket="rape", time="night", place="mixed"),
    O("20A", "Sexual assault on a female aged 13 and over", "sexual", "other_sexual", 200, basket="other_sexual", time="night", place="centre"),
    O("20B", "Sexual assault on a female child under 13", "sexual", "other_sexual", 45, basket="other_sexual", time="day", place="residential"),
    O("22B", "Sexual activity involving child under 16", "sexual", "other_sexual", 60, basket="other_sexual", time="evening", place="residential"),
    O("88E", "Exposure and voyeurism", "sexual", "other_sexual", 90, basket="other_sexual", time="day", place="mixed"),
    O("17A", "Sexual assault on a male aged 13 and over", "sexual", "other_sexual", 15, basket="other_sexual", time="night", place="centre"),
    O("17B", "Sexual assault on a male child under 13", "sexual", "other_sexual", 10, basket="other_sexual", time="day", place="residential"),
    O("88A", "Sexual grooming", "sexual", "other_sexual", 20, basket="other_sexual", time="evening", place="residential"),
    O("71", "Abuse of children through sexual exploitation", "sexual", "other_sexual", 10, basket="other_sexual", time="evening", place="mixed"),
    O("22A", "Causing sexual activity without consent", "sexual", "other_sexual", 20, basket="other_sexual", time="night", place="mixed"),
    O("73", "Abuse of position of trust of a sexual nature", "sexual", "other_sexual", 5, basket="other_sexual", time="day", place="mixed"),
    O("88C", "Other miscellaneous sexual offences", "sexual", "other_sexual", 10, basket="other_sexual", time="evening", place="mixed"),
    O("23", "Incest or familial sexual offences", "sexual", "other_sexual", 5, basket="other_sexual", time="evening", place="residential"),
    O("70", "Sexual activity etc with a person with a mental disorder", "sexual", "other_sexual", 5, basket="other_sexual", time="day", place="residential"),
    O("21", "Sexual activity involving a child under 13", "sexual", "other_sexual", 4, basket="other_sexual", time="day", place="residential"),
    # Robbery --------------------------------------------------------------------------------------
    O("34A", "Robbery of business property", "robbery", "robbery_business", 40, prev=1.0, person=0.0, other_victim="business", suspect=0.35, drug=1.5, blade=2.5, time="evening", place="centre"),
    O("34B", "Robbery of personal property", "robbery", "robbery_personal", 260, prev=0.97, suspect=0.3, alc=0.3, drug=1.2, blade=2.0, time="night", place="centre"),
    # Theft offences -------------------------------------------------------------------------------
    O("28E", "Burglary - residential", "theft", "res_burglary", 1_000, basket="res_burglary", suspect=0.1, drug=0.8, time="burglary", place="burglary"),
    O("28F", "Attempted burglary - residential", "theft", "res_burglary", 200, basket="res_burglary", suspect=0.08, drug=0.5, time="burglary", place="burglary"),
    O("28G", "Distraction burglary - residential", "theft", "res_burglary", 20, basket="res_burglary", suspect=0.2, time="day", place="residential"),
    O("28H", "Attempted distraction burglary - residential", "theft", "res_burglary", 10, basket="res_burglary", suspect=0.2, time="day", place="residential"),
    O("29A", "Aggravated burglary - residential", "theft", "res_burglary", 20, basket="res_burglary", suspect=0.4, drug=1.0, blade=1.0, time="burglary", place="burglary"),
    O("30C", "Burglary - business and community", "theft", "nonres_burglary", 360, prev=1.05, person=0.0, other_victim="business", suspect=0.1, drug=0.6, time="overnight", place="centre"),
    O("30D", "Attempted burglary - business and community", "theft", "nonres_burglary", 80, prev=1.05, person=0.0, other_victim="business", suspect=0.08, time="overnight", place="centre"),
    O("31A", "Aggravated burglary - business and community", "theft", "nonres_burglary", 10, prev=1.0, person=0.0, other_victim="business", suspect=0.3, blade=0.5, time="evening", place="centre"),
    O("45", "Theft from a vehicle", "theft", "vehicle", 800, prev=0.96, suspect=0.05, drug=0.6, time="overnight", place="residential"),
    O("48", "Theft or unauthorised taking of a motor vehicle", "theft", "vehicle", 300, prev=0.98, suspect=0.08, drug=0.3, time="overnight", place="residential"),
    O("126", "Interfering with a motor vehicle", "theft", "vehicle", 250, prev=0.95, suspect=0.1, drug=0.3, time="overnight", place="residential"),
    O("37.2", "Aggravated vehicle taking", "theft", "vehicle", 50, prev=1.0, suspect=0.4, alc=0.5, time="night", place="residential"),
    O("39", "Theft from the person", "theft", "theft_person", 250, prev=0.96, suspect=0.1, alc=0.3, drug=0.8, time="night", place="centre"),
    O("44", "Theft or unauthorised taking of a pedal cycle", "theft", "bicycle", 700, prev=1.03, person=0.95, other_victim="business", suspect=0.05, drug=0.3, time="day", place="student"),
    O("46", "Shoplifting", "theft", "shoplifting", 2_700, prev=0.98, person=0.0, other_victim="business", suspect=0.55, drug=0.6, time="shop", place="retail"),
    O("49", "Other theft", "theft", "other_theft", 0, prev=1.02, person=0.75, other_victim="business", suspect=0.1, dom=0.02, drug=0.2, time="day", place="centre"),
    O("49A", "Making off without payment", "theft", "other_theft", 250, prev=1.0, person=0.0, other_victim="business", suspect=0.2, time="day", place="mixed"),
    O("40", "Theft in a dwelling other than from an automatic machine or meter", "theft", "other_theft", 150, prev=1.0, suspect=0.3, dom=0.3, time="day", place="residential"),
    O("41", "Theft by an employee", "theft", "other_theft", 60, prev=1.0, person=0.0, other_victim="business", suspect=0.9, time="shop", place="retail"),
    O("47", "Theft from automatic machine or meter", "theft", "other_theft", 20, prev=1.0, person=0.0, other_victim="business", suspect=0.1, time="overnight", place="mixed"),
    O("42", "Theft of mail", "theft", "other_theft", 10, prev=1.0, suspect=0.1, time="day", place="residential"),
    O("35", "Blackmail", "theft", "other_theft", 30, prev=1.0, suspect=0.3, time="day", place="residential"),
    O("43", "Dishonest use of electricity", "theft", "other_theft", 15, prev=1.0, person=0.0, other_victim="business", suspect=0.9, time="day", place="residential"),
    # Criminal damage and arson --------------------------------------------------------------------
    O("58A", "Criminal damage to a dwelling", "damage", "criminal_damage", 900, prev=1.0, suspect=0.2, dom=0.5, alc=0.3, hate=0.05, time="evening", place="residential"),
    O("58B", "Criminal damage to a building other than a dwelling", "damage", "criminal_damage", 350, prev=1.0, person=0.0, other_victim="business", suspect=0.15, alc=0.3, time="overnight", place="centre"),
    O("58C", "Criminal damage to a vehicle", "damage", "criminal_damage", 1_100, prev=1.0, suspect=0.12, dom=0.2, alc=0.2, time="overnight", place="residential"),
    O("58D", "Other criminal damage", "damage", "criminal_damage", 600, prev=1.0, person=0.6, other_victim="state", suspect=0.15, dom=0.2, alc=0.4, time="evening", place="mixed"),
    O("58J", "Racially or religiously aggravated criminal damage", "damage", "criminal_damage", 50, prev=1.0, person=0.7, other_victim="business", suspect=0.2, hate=50, time="overnight", place="mixed"),
    O("56A", "Arson endangering life", "damage", "arson", 17, basket="arson", suspect=0.3, dom=0.3, time="night", place="residential"),
    O("56B", "Arson not endangering life", "damage", "arson", 95, basket="arson", person=0.5, other_victim="state", suspect=0.1, time="night", place="mixed"),
    # Drug offences (flagged by the drugs basket, never "drug-affected") ------------------------------
    O("92A", "Trafficking in controlled drugs", "drugs", "trafficking", 330, basket="drugs", person=0.0, suspect=1.0, time="evening", place="centre"),
    O("92D", "Possession of controlled drugs (excluding cannabis)", "drugs", "possession", 300, basket="drugs", person=0.0, suspect=1.0, time="evening", place="centre"),
    O("92E", "Possession of cannabis", "drugs", "possession", 620, basket="drugs", person=0.0, suspect=1.0, time="evening", place="centre"),
    O("92C", "Other drug offences", "drugs", "possession", 50, basket="drugs", person=0.0, suspect=1.0, time="evening", place="centre"),
    # Possession of weapons ----------------------------------------------------------------------------
    O("10D", "Possession of article with blade or point", "weapons", "weapons", 120, basket="bladed", person=0.0, suspect=1.0, time="evening", place="centre"),
    O("90", "Other knives offences", "weapons", "weapons", 10, basket="bladed", person=0.0, suspect=1.0, time="day", place="centre"),
    O("10A", "Possession of firearms with intent", "weapons", "weapons", 5, prev=1.0, person=0.0, suspect=1.0, time="evening", place="mixed"),
    O("10B", "Possession of firearms offences", "weapons", "weapons", 30, prev=1.0, person=0.0, suspect=1.0, time="day", place="mixed"),
    O("10C", "Possession of other weapons", "weapons", "weapons", 85, prev=1.0, person=0.0, suspect=1.0, alc=0.5, time="evening", place="centre"),
    O("81", "Other firearms offences", "weapons", "weapons", 10, prev=1.0, person=0.0, suspect=0.8, time="day", place="mixed"),
    # Public order -------------------------------------------------------------------------------------
    O("9A", "Public fear, alarm or distress", "public_order", "public_order", 2_200, prev=0.92, person=-1.0, other_victim="state", suspect=0.6, dom=0.1, alc=1.0, drug=0.2, hate=0.3, time="violence", place="centre"),
    O("9B", "Racially or religiously aggravated public fear, alarm or distress", "public_order", "public_order", 150, prev=0.95, suspect=0.5, alc=1.0, hate=50, time="violence", place="centre"),
    O("62A", "Violent disorder", "public_order", "public_order", 15, prev=1.0, person=0.0, suspect=0.8, alc=2.0, time="violence", place="centre"),
    O("66", "Other offences against the State or public order", "public_order", "public_order", 235, prev=0.95, person=0.0, suspect=0.6, alc=0.3, time="day", place="mixed"),
    # Miscellaneous crimes against society --------------------------------------------------------------
    O("99", "Other notifiable offences", "misc", "misc", 40, prev=1.0, person=0.0, suspect=0.7, time="day", place="mixed"),
    O("83", "Bail offences", "misc", "misc", 60, prev=1.0, person=0.0, suspect=1.0, time="day", place="mixed"),
    O("54", "Handling stolen goods", "misc", "misc", 40, prev=1.0, person=0.0, suspect=1.0, time="day", place="mixed"),
    O("79", "Perverting the course of justice", "misc", "misc", 30, prev=1.0, person=0.0, suspect=1.0, time="day", place="mixed"),
    O("802", "Dangerous driving", "misc", "misc", 80, prev=1.0, person=0.0, suspect=0.9, alc=0.8, time="night", place="mixed"),
    O("33", "Going equipped for stealing, etc", "misc", "misc", 25, prev=1.0, person=0.0, suspect=1.0, time="night", place="mixed"),
    O("59", "Threat or possession with intent to commit criminal damage", "misc", "misc", 60, prev=1.0, suspect=0.6, dom=0.8, time="evening", place="residential"),
    O("61A", "Possession of false documents", "misc", "misc", 15, prev=1.0, person=0.0, suspect=1.0, time="day", place="centre"),
    O("86", "Obscene publications etc", "misc", "misc", 40, prev=0.9, person=0.0, suspect=0.9, time="day", place="residential"),
    O("27", "Soliciting for the purposes of prostitution", "misc", "misc", 5, prev=1.0, person=0.0, suspect=1.0, time="night", place="centre"),
    O("80", "Absconding from lawful custody", "misc", "misc", 5, prev=1.0, person=0.0, suspect=1.0, time="day", place="mixed"),
)
# fmt: on

#: Codes whose count makes 2019/20 total exactly ``RECORDED_CRIME`` (other theft takes the slack).
RESIDUAL_CODE = "49"
#: Residual code for crimes with a person victim (its person share makes the 76.1 % come out).
PERSON_RESIDUAL_CODE = "9A"
#: Rape codes by victim sex and age: (female, male) for under 13, 13-15, 16+.
RAPE_CODES = {("female", 0): "19E", ("female", 1): "19D", ("female", 2): "19C",
              ("male", 0): "19H", ("male", 1): "19G", ("male", 2): "19F"}

CHANGES = {
    "stalking": cal.STALKING_HARASSMENT_CHANGE, "msv": cal.MOST_SERIOUS_VIOLENCE_CHANGE,
    "slavery": cal.MODERN_SLAVERY_CHANGE, "cruelty": cal.CRUELTY_TO_CHILDREN_CHANGE,
    "rape": cal.RAPE_CHANGE, "other_sexual": cal.OTHER_SEXUAL_CHANGE, "arson": cal.ARSON_CHANGE,
    "res_burglary": cal.RESIDENTIAL_BURGLARY_CHANGE, "drugs": cal.DRUG_OFFENCES_CHANGE,
    "bladed": cal.BLADED_CHANGE,
}
#: April–December 2020 as a share of the whole of 2019/20, by group: nine months, and the first
#: lockdown's fall in acquisitive crime and rise in drug and public order offences.
COVID_2020 = {"vap": 0.72, "sexual": 0.68, "robbery": 0.5, "theft": 0.52, "damage": 0.7,
              "drugs": 0.95, "weapons": 0.75, "public_order": 0.8, "misc": 0.7}
YEARS = (2017, 2018, 2019, 2020)  # financial years starting in April; 2020 = Apr–Dec only


def current_counts() -> np.ndarray:
    """2019/20 count per code, the residual code making the total exactly ``RECORDED_CRIME``."""
    n = np.array([o.n for o in OFFENCES], dtype="int64")
    i = index(RESIDUAL_CODE)
    n[i] = cal.RECORDED_CRIME - (n.sum() - n[i])
    return n


def index(code: str) -> int:
    for i, o in enumerate(OFFENCES):
        if o.code == code:
            return i
    raise KeyError(code)


def counts_by_year() -> dict[int, np.ndarray]:
    """Exact crime counts per code for each year (see the module docstring)."""
    cur = current_counts()
    prev = np.zeros_like(cur)
    baskets = {o.basket for o in OFFENCES if o.basket}
    for basket in baskets - {"vap_rest"}:
        members = np.array([o.basket == basket for o in OFFENCES])
        total = cal.previous_count(int(cur[members].sum()), CHANGES[basket])
        prev[members] = split_exact(total, cur[members])
    free = np.array([o.basket is None for o in OFFENCES])
    prev[free] = np.round(cur[free] * np.array([o.prev for o in OFFENCES])[free]).astype("int64")
    vap = np.array([o.group == "vap" for o in OFFENCES])
    rest = np.array([o.basket == "vap_rest" for o in OFFENCES])
    vap_prev = cal.previous_count(int(cur[vap].sum()), cal.VIOLENCE_CHANGE)
    prev[rest] = split_exact(vap_prev - int(prev[vap & ~rest].sum()), cur[rest])
    # 2017/18 continues the trend half as steeply; Apr–Dec 2020 follows the lockdown factors.
    with np.errstate(divide="ignore", invalid="ignore"):
        trend = np.where(cur > 0, np.sqrt(prev / np.maximum(cur, 1)), 1.0)
    early = np.round(prev * trend).astype("int64")
    covid = np.array([COVID_2020[o.group] for o in OFFENCES])
    late = np.round(cur * covid).astype("int64")
    return {2017: early, 2018: prev, 2019: cur, 2020: late}
