"""The attacker's reading of harm, youth justice, violence by age and hate reports (see
``attacker.py``; nothing here imports the disclosure module either).

What each published figure means comes from the definitions (docs/metrics.md, the offence
classification): harm per resident of a subgroup is the sum of its crimes' severity weights over
the population, so its count lies between harm / largest weight and harm / smallest weight of
the subgroup's codes; a first-time-entrant rate is the count per 100,000 residents aged 10-17
(a population the attacker does not know but can work out from another period's count and
rate); a cohort's binary rate, re-offences per young person and per re-offender are ratios of
its counts; third-party reports by centre add up to the third-party and online channels' rows.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache

C = "[c]"
STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender")


def _num(text: str) -> float:
    return float(str(text).replace(",", ""))


def _given(text) -> bool:
    return text not in (None, "", C)


def _around(at, coefs: dict[str, float], value: float, half: float) -> None:
    """value - half <= sum(coefs) <= value + half."""
    at.le(coefs, value + half)
    at.le({k: -v for k, v in coefs.items()}, -(value - half))


@lru_cache(maxsize=1)
def _weights() -> dict[str, tuple[float, float]]:
    """Smallest and largest severity weight of each subgroup's codes (no weight counts 0)."""
    from safecity.engine import classification

    found: dict[str, list[float]] = defaultdict(list)
    for o in classification.load().offences():
        found[o.subgroup.lower()].append(o.weight or 0.0)
    return {k: (min(v), max(v)) for k, v in found.items()}


def harm(at, table, heads, text, pop) -> None:
    rows = table("harm_by_subgroup")
    if not rows or not pop:
        return
    from .attacker import _s

    weights = _weights()
    half = 0.0005 * pop  # harm per resident is printed to 3 decimals
    for p, col in (("cur", "harm"), ("prev", "harm_previous")):
        parts = []
        for r in rows:
            sub = r["offence_subgroup"]
            h = at.real(f"harm|{sub.lower()}|{p}")
            parts.append(h)
            lo, hi = weights.get(sub.lower(), (0.0, math.inf))
            at.le({_s(sub, p): lo, h: -1})  # smallest weight x count <= harm
            if hi < math.inf:
                at.le({h: 1, _s(sub, p): -hi})
            if _given(r[col]):
                _around(at, {h: 1}, _num(r[col]) * pop, half)
        at.total(at.real(f"harm|all|{p}"), parts)
        key = "harm_per_resident" + ("" if p == "cur" else "_previous")
        if _given(heads.get(key)):
            _around(at, {f"harm|all|{p}": 1}, _num(heads[key]) * pop, 0.005 * pop)
    for r in rows:
        sub = r["offence_subgroup"].lower()
        if _given(r["harm_change"]):
            _around(at, {f"harm|{sub}|cur": 1, f"harm|{sub}|prev": -1},
                    _num(r["harm_change"]) * pop, half)
        at.pct(r["share_pct"], {f"harm|{sub}|cur": 1}, "harm|all|cur")
    for sentence in text:
        m = re.match(r"Crime severity \(harm\) was ([\d.]+) per resident.*?"
                     r"(?:, against ([\d.]+) in .*)?$", sentence)
        if m:
            _around(at, {"harm|all|cur": 1}, float(m.group(1)) * pop, 0.005 * pop)
            if m.group(2):
                _around(at, {"harm|all|prev": 1}, float(m.group(2)) * pop, 0.005 * pop)


def youth(at, table, heads, text, threshold: int) -> None:
    pop = at.real("youth|population_10_17")
    for r, p in zip(table("first_time_entrants"), ("cur", "prev")):
        at.cell(f"fte|{p}", r["fte"], f"first_time_entrants {r['period']}")
        _rate(at, r["rate"], f"fte|{p}", pop)
    at.cell("fte|cur", heads.get("fte_count"))
    at.cell("fte|prev", heads.get("fte_count_previous"))
    _rate(at, heads.get("fte_rate_per_100k"), "fte|cur", pop)
    for sentence in text:
        m = re.match(r"There were ([\d,]+) first-time entrants in .*?(?:, ([\d,]+) per 100,000)?",
                     sentence)
        if m:
            at.cell("fte|cur", m.group(1))
    cohorts = {}
    for i, r in enumerate(table("youth_reoffending")):
        size, reo, offences = (f"yro|{i}|size", f"yro|{i}|reoffenders",
                               f"yro|{i}|reoffences")
        cohorts[r["cohort"]] = (size, reo)
        where = f"youth_reoffending {r['cohort']}"
        at.cell(size, r["cohort_size"], where + " young people")
        at.cell(reo, r["reoffenders"], where + " re-offenders")
        at.le({reo: 1, size: -1})
        at.le({reo: 1, offences: -1})
        at.pct(r["binary_rate"], reo, size)
        if _given(r["frequency"]):  # re-offences per young person, to 2 decimals
            f = _num(r["frequency"])
            at.le({offences: 1, size: -(f + 0.005)})
            at.le({size: f - 0.005, offences: -1})
        if _given(r["per_reoffender"]):
            f = _num(r["per_reoffender"])
            at.le({offences: 1, reo: -(f + 0.005)})
            at.le({reo: f - 0.005, offences: -1})
        # the young people who did not re-offend are people too
        at.eq({f"yro|{i}|not": 1, size: -1, reo: 1})
        at.people(f"yro|{i}|not", threshold, where + " young people who did not re-offend")
    label = heads.get("youth_reoffending_cohort")
    if label in cohorts:  # the latest matured cohort, and the same quarter a year earlier
        size, reo = cohorts[label]
        at.cell(reo, heads.get("youth_reoffenders"), "youth_reoffenders")
        at.pct(heads.get("youth_reoffending_binary_pct"), reo, size)
        # The quarter a year earlier, whole; the table's row of that quarter may be cut at
        # the comparison's start, so it is a part of it (equal when it is whole).
        earlier = re.sub(r"\d{4}", lambda m: str(int(m.group(0)) - 1), label)
        size, reo = f"yro|{earlier}|size", f"yro|{earlier}|reoffenders"
        at.eq({f"yro|{earlier}|not": 1, size: -1, reo: 1})
        at.le({reo: 1, size: -1})
        at.people(f"yro|{earlier}|not", threshold, f"{earlier} young people who did not "
                                                   "re-offend")
        if earlier in cohorts:
            at.le({cohorts[earlier][0]: 1, size: -1})
            at.le({cohorts[earlier][1]: 1, reo: -1})
            at.le({f"{cohorts[earlier][0][:-4]}not": 1, f"yro|{earlier}|not": -1})
        at.cell(reo, heads.get("youth_reoffenders_previous"), "youth_reoffenders_previous")
        at.pct(heads.get("youth_reoffending_binary_pct_previous"), reo, size)
    for sentence in text:
        m = re.match(r"Of the latest cohort with a complete follow-up \((.+?)\), ([\d.]+) %",
                     sentence)
        if m and m.group(1) in cohorts:
            at.pct(m.group(2), cohorts[m.group(1)][1], cohorts[m.group(1)][0])


def _rate(at, text, count: str, pop: str) -> None:
    """count per 100,000 of an unknown population, to 1 decimal: linear in (count, pop)."""
    if not _given(text):
        return
    r = _num(text)
    at.le({count: 100000, pop: -(r + 0.05)})
    at.le({pop: r - 0.05, count: -100000})


def violence_by_age(at, table) -> None:
    for r in table("violence_by_age"):
        for col, value in r.items():
            if col not in ("offences", "who"):
                at.cell(f"violence_age|{r['offences']}|{r['who']}|{col}", value,
                        f"violence_by_age {r['offences']} {r['who']} {col}")


def centres(at, table, key: str, flag: str) -> list[str]:
    """A third-party table: columns add up to "All centres and online"; a strand is at most
    its row's reports. Returns the centres read."""
    rows = table(key)
    names = []
    for r in rows:
        name = "*" if r["centre"] == "All centres and online" else r["centre"]
        names.append(name)
        for col in ("reports",) + STRANDS:
            at.cell(f"tp|{flag}|{name}|{col}", r[col], f"{key} {r['centre']} {col}")
        for s in STRANDS:
            at.le({f"tp|{flag}|{name}|{s}": 1, f"tp|{flag}|{name}|reports": -1})
    if rows:
        for col in ("reports",) + STRANDS:
            at.total(f"tp|{flag}|*|{col}", [f"tp|{flag}|{n}|{col}" for n in names if n != "*"])
    return names


def hate_reports(at, table, heads, from_reports: bool) -> None:
    crimes, third = defaultdict(list), defaultdict(list)
    for r in table("hate_reports_by_channel"):
        for p, col in (("cur", "current"), ("prev", "previous")):
            q = f"hate_channel|{r['channel']}|{r['kind']}|{p}"
            at.cell(q, r[col], f"hate_reports_by_channel {r['channel']} {r['kind']} {col}")
            if not r[col]:
                continue
            if r["kind"] == "crime":
                crimes[p].append(q)
            if r["channel"] in ("third_party", "online"):
                third[p].append(q)
    if from_reports:  # hate crime counted from the reports: those that became crimes
        for p, qs in crimes.items():
            at.le({f"hate|any|{p}": 1, **{q: -1 for q in qs}})
    if centres(at, table, "hate_third_party_by_centre", "cur") and third["cur"]:
        at.total("tp|cur|*|reports", third["cur"])
    at.cell("tp|cur|*|reports", heads.get("hate_third_party_reports"))


def monthly_hate(at, table, heads) -> None:
    rolling = centres(at, table, "hate_third_party_by_centre", "cur")
    month = centres(at, table, "hate_third_party_by_centre_in_cp", "cp")
    for name in month:  # the month is one of the rolling year's months
        if name in rolling:
            for col in ("reports",) + STRANDS:
                at.le({f"tp|cp|{name}|{col}": 1, f"tp|cur|{name}|{col}": -1})
    at.cell("tp|cur|*|reports", heads.get("hate_third_party_reports_rolling_12"))
    at.cell("tp|cp|*|reports", heads.get("hate_third_party_reports_month"))


def intelligence(at, table, heads, text) -> None:
    """Partner intelligence submissions by theme, submitting agency and ward: each table's rows
    add up to "All submissions", the same total in every table and the headlines."""
    for by in ("theme", "source", "ward"):
        rows = table(f"partner_intelligence_by_{by}")
        parts = {"cur": [], "prev": []}
        for r in rows:
            name = r[by]
            q = "intel|all|" if name == "All submissions" else f"intel|{by}:{name}|"
            for p, col in (("cur", "current"), ("prev", "previous")):
                at.cell(q + p, r[col], f"partner_intelligence_by_{by} {name!r} {col}")
                if name != "All submissions" and r[col] != "":
                    parts[p].append(q + p)
            at.change(r["change_pct"], q + "cur", q + "prev")
        for p, qs in parts.items():
            if qs:
                at.total(f"intel|all|{p}", qs)
    at.cell("intel|all|cur", heads.get("partner_intelligence"))
    at.cell("intel|all|prev", heads.get("partner_intelligence_previous"))
    for sentence in text:
        m = re.match(r"Partner intelligence submissions in .*\) (?:rose|fell) by [\d.]+ % "
                     r"\(from ([\d,]+) to ([\d,]+)\)", sentence)
        if m:
            at.cell("intel|all|prev", m.group(1))
            at.cell("intel|all|cur", m.group(2))
