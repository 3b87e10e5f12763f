"""An attacker of published assessments, written without the disclosure module.

It reads what a reader gets (assessment.json, headlines.csv, tables/*.csv, the narrative) and
knows what every published figure means from the definitions (docs/metrics.md, the table
columns, the offence classification): a group is the sum of its subgroups, a police.uk category
the sum of the subgroups whose offence codes map to it, a repeat-victim band of two crimes holds
twice as many crimes as victims, a percentage is part / base rounded to 0.1, a change is
(current − previous) / previous, and so on. Each published number becomes a linear equality or
inequality over unknown true counts; each ``[c]`` an unknown count of at least 1 (zero is always
published). For every withheld count it solves two integer programs (SciPy ``milp``): the
smallest and the largest value consistent with everything published. A withheld count with a
single possible value is recovered.

Nothing here imports ``safecity.engine.assessment.disclosure``: the relations are the attacker's
own, so a relation the protection forgets is one this attacker uses.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from . import attacker_html, attacker_partners, attacker_sections, attacker_since

C = "[c]"
AGE = ("Under 18", "18 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over")
AGE_KEYS = ("under18", "18_24", "25_34", "35_49", "50_64", "65plus")
SEX = ("Female", "Male", "Other")
STRANDS = {"Race": "race", "Religion": "religion", "Sexual orientation": "sexual_orientation",
           "Disability": "disability", "Transgender identity": "transgender"}
BANDS = ("1 crime", "2 crimes", "3 to 4 crimes", "5 or more crimes")


#: Table CSVs the attacker reads, with the relations their definitions give (here and in
#: attacker_sections.py); the HTML report is checked against them (attacker_html.py).
READS = {
    "crime_by_offence_group", "crime_by_police_uk_category", "overview", "violence",
    "substances", "sexual_offences", "sexual_profiles", "sexual_relationship",
    "repeat_victimisation", "domestic_profiles", "domestic_relationship",
    "domestic_by_imd_decile", "hrda_referrals", "hate_crime_by_strand", "hate_reports_by_channel",
    "hate_third_party_by_centre", "harm_by_subgroup", "first_time_entrants", "youth_reoffending",
    "violence_by_age", "partner_intelligence_by_theme", "partner_intelligence_by_source",
    "partner_intelligence_by_ward",
    # the monthly pack
    "month_comparison", "rolling_comparison", "exceptions", "hate_third_party_by_centre_in_cp",
    # its sensitive priorities (_pack_priorities) and the commercial burglary watch
    "domestic_abuse_comparison", "domestic_abuse_series", "domestic_abuse_by_sector",
    "hate_crime_comparison", "hate_crime_series", "hate_crime_by_sector",
    "commercial_burglary_watch",
} | attacker_partners.READS  # partner sections and the serious violence people table

_ALL_CRIME = ("never withheld, and its cells add up to recorded crime (or a part of it) that "
              "section 1 publishes whole; none is a sensitive offence or a count of people")

#: Published files that carry no count the rules withhold, and why. The attacker test walks the
#: output folder of ``safecity assess`` and fails on a file neither read nor declared here, so
#: a new output is attacked (or argued safe here) before it can be published.
NO_WITHHELD_COUNT = {
    "report.pdf": "printed from report.html, the same page",
    # The documents (engine/report/documents, written with the PDF): their sentences and
    # numbers are read back from the protected assessment (its tables, headlines and findings,
    # documents/content.py), never counted; tests/engine/report/test_documents_demo.py checks
    # that every number in them is one the files above publish.
    "summary.docx": "the summary: findings, priorities and headline figures read back from the "
                    "protected assessment; charts drawn from its published tables",
    "summary.pdf": "the summary printed from the same content as summary.docx",
    "slides.pptx": "the slide set: the summary's findings and charts, one per slide",
    "scrutiny.docx": "the scrutiny paper: the summary's findings and headline figures, and the "
                     "strategy's action statuses from the web app's own export",
    "priorities.csv": "scores and figures read back from the published tables and headlines "
                      "(engine/assessment/priorities.py reads only the protected assessment)",
    "tables/crime_by_lsoa.csv": "all recorded crime by LSOA, with rates: " + _ALL_CRIME,
    "tables/crime_by_ward.csv": "all recorded crime by ward, with rates: " + _ALL_CRIME,
    "tables/top_lsoas.csv": "the LSOAs with most recorded crime: " + _ALL_CRIME,
    "tables/hotspots.csv": "Gi* statistics of all recorded crime by grid cell: " + _ALL_CRIME,
    "tables/concentration.csv": "concentration of all recorded crime over places: "
                                + _ALL_CRIME,
    "tables/lorenz.csv": "the Lorenz curve of all recorded crime over places: " + _ALL_CRIME,
    "tables/monthly_series.csv": "all recorded crime by month: " + _ALL_CRIME,
    "tables/long_run.csv": "all recorded crime and ASB incidents in the period and the years "
                           "before it: " + _ALL_CRIME + " (ASB is not sensitive)",
    "tables/hour_by_weekday.csv": "all recorded crime by hour and weekday (aoristic "
                                  "averages): " + _ALL_CRIME,
    "tables/night_time_economy.csv": "crimes flagged night-time economy: a flag count of all "
                                     "crime, not sensitive and in no relation with a "
                                     "sensitive count",
    "tables/selected_offences.csv": "modern slavery and cruelty to children (classification "
                                    "baskets of crimes, not sensitive groups): in no "
                                    "published relation with a sensitive count",
    "tables/benchmarking.csv": "all recorded crime rates of CSPs from public national "
                               "tables: never withheld",
    # the monthly pack (engine/assessment/pack_*.py)
    "tables/recorded_crime_by_sector.csv": "all recorded crime by policing sector: " + _ALL_CRIME,
    "tables/recorded_crime_by_ward.csv": "all recorded crime by ward: " + _ALL_CRIME,
    **{f"tables/{key}_{part}.csv": f"{what} (the month, the rolling year, by sector or month): "
       "not a sensitive offence or a count of people, and in no published relation with one"
       for key, what in (("asb", "ASB incidents"), ("knife_weapon", "knife and weapon crime"),
                         ("night_time_economy", "night-time economy crime"),
                         ("residential_burglary", "residential burglary"),
                         ("commercial_burglary", "commercial burglary"))
       for part in ("comparison", "series", "by_sector")},
    "tables/asb_incidents_by_sector.csv": "ASB incidents by sector: not sensitive",
    "tables/asb_incidents_by_ward.csv": "ASB incidents by ward: not sensitive",
    "tables/emerging_hotspots.csv": "numbers of grid cells in each emerging hot spot class, "
                                    "not of crimes or people",
    "tables/near_repeat_knox.csv": "Knox ratios of pairs of burglaries (observed / expected), "
                                   "no count",
    **attacker_partners.NO_WITHHELD_COUNT,  # the serious violence needs assessment's tables
}


class _Read(dict):
    """Headlines, remembering which keys the attacker looked up (``read_keys``)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.read_keys: set[str] = set()

    def get(self, key, default=None):
        self.read_keys.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read_keys.add(key)
        return super().__getitem__(key)


_NOT_SENSITIVE = "not a sensitive count, in no published relation with one"

#: Headline keys the attacker does not read, and why they carry no count the rules withhold;
#: the attacker test fails on a published headline neither read nor declared here.
NO_WITHHELD_HEADLINE = {
    "alcohol_affected_crime": "crimes flagged alcohol-affected: " + _NOT_SENSITIVE,
    "drug_affected_crime": "crimes flagged drug-affected: " + _NOT_SENSITIVE,
    "drug_offences": "the drug offences group: read as a count in substances",
    "asb_incidents": "ASB incidents: " + _NOT_SENSITIVE,
    "asb_incidents_month": "ASB incidents in the monthly pack's month: " + _NOT_SENSITIVE,
    "asb_incidents_rolling_12": "ASB incidents over the rolling year: " + _NOT_SENSITIVE,
    "exceptions": "the number of exceptions the monthly pack lists: no count of crimes",
    "bladed_implement_offences": "offences with a bladed implement (basket of crimes): "
                                 + _NOT_SENSITIVE,
    "most_serious_violence": "Most Serious Violence (basket of crimes): " + _NOT_SENSITIVE,
    "modern_slavery": "a basket of crimes: " + _NOT_SENSITIVE,
    "cruelty_to_children": "a basket of crimes: " + _NOT_SENSITIVE,
    "night_time_economy_crime": "crimes flagged night-time economy: " + _NOT_SENSITIVE,
    "crime_gini_lsoa": "concentration of all recorded crime over LSOAs: no count",
    "crime_excess_gini_lsoa": "concentration of all recorded crime over LSOAs: no count",
    "hotspot_cells": "grid cells that are Gi* hotspots of all recorded crime: no count of crimes",
    "lsoas_above_funnel_95": "LSOAs above the funnel limit of all recorded crime: no count of "
                             "crimes",
    "peak_month": "the month with most recorded crime: a month, no count",
    "recorded_crime_rate_per_1000": "all recorded crime per 1,000 residents: public",
    "harm_top3_subgroups": "names of subgroups whose harm is published: no count",
    "harm_weights_coverage_pct": "share of all crimes carrying a severity weight: " + _NOT_SENSITIVE,
    # The monthly pack's priority measures: the same counts as their declared tables
    # (tables/<key>_comparison.csv), not a sensitive offence or a count of people.
    **{f"{key}_{span}": f"{what} in the pack's {label}: " + _NOT_SENSITIVE
       for key, what in (("knife_weapon", "knife and weapon crime"),
                         ("night_time_economy", "night-time economy crime"),
                         ("residential_burglary", "residential burglary"),
                         ("commercial_burglary", "commercial burglary"))
       for span, label in (("month", "month"), ("rolling_12", "rolling year"))},
    "commercial_burglary_cells_turned_hot": "grid cells the commercial burglary watch turned hot: "
                                            "a number of cells, no count of crimes",
    "near_repeat_cells_alerted": "grid cells with a near-repeat alert: a number of cells, no count "
                                 "of crimes",
    "near_repeat_days": "the Knox test's time band in days: no count",
    "near_repeat_metres": "the Knox test's distance band in metres: no count",
}


def unread_headlines(heads) -> list[str]:
    """Published headline keys the attacker neither read nor declares (by their stem: a key
    less _previous, _change_pct or _difference)."""
    out = []
    for key in heads:
        stem = re.sub(r"(_previous|_change_pct|_difference)+$", "", key)
        if key not in heads.read_keys and stem not in NO_WITHHELD_HEADLINE:
            out.append(key)
    return out


def _num(text: str) -> float:
    return float(str(text).replace(",", ""))


class Attack:
    """Unknown counts (named by what they mean) and what the published outputs say of them."""

    def __init__(self) -> None:
        self.known: dict[str, float] = {}
        self.hidden: dict[str, str] = {}  # quantity -> where it was seen withheld
        self.rows: list[tuple[dict[str, float], float, float]] = []  # lo <= a.x <= hi
        self.continuous: set[str] = set()  # real-valued unknowns (harm in days), not counts
        self.small: dict[str, tuple[int, str]] = {}  # unpublished counts of people: q -> (t, where)
        self.leaks: list[str] = []  # a number published beyond what the tables allow

    def real(self, q: str) -> str:
        """A real-valued unknown (at least 0), e.g. a weighted sum."""
        self.continuous.add(q)
        return q

    def people(self, q: str, threshold: int, where: str) -> None:
        """A count of people that no table prints but published figures bound (a cohort less
        its re-offenders): recovered if pinned to a value from 1 to threshold - 1."""
        self.small[q] = (threshold, where)

    # -- what a published cell says ------------------------------------------------------
    def cell(self, q: str, text, where: str = "") -> None:
        """A published count: its value, or withheld; blank says nothing."""
        if text is None or text == "":
            return
        if text == C:
            self.hidden.setdefault(q, where)
            return
        value = _num(text)
        if q in self.known and abs(self.known[q] - value) > 1e-9:
            raise AssertionError(f"{q} published as {self.known[q]} and {value} ({where})")
        self.known[q] = value

    def eq(self, coefs: dict[str, float], rhs: float = 0.0) -> None:
        self.rows.append((coefs, rhs, rhs))

    def le(self, coefs: dict[str, float], rhs: float = 0.0) -> None:
        self.rows.append((coefs, -np.inf, rhs))

    def total(self, total: str, parts: list[str]) -> None:
        coefs: dict[str, float] = defaultdict(float)
        coefs[total] -= 1
        for p in parts:
            coefs[p] += 1
        self.eq(dict(coefs))

    def pct(self, text, part: str | dict[str, float], base: str, digits: int = 1) -> None:
        """A published percentage part / base, rounded: part is pinned to a narrow band."""
        if text in (None, "", C):
            return
        p = _num(text)
        half = 0.5 * 10 ** -digits
        parts = {part: 1.0} if isinstance(part, str) else part
        upper = {k: 100 * v for k, v in parts.items()}
        upper[base] = upper.get(base, 0) - (p + half)
        lower = {k: -100 * v for k, v in parts.items()}
        lower[base] = lower.get(base, 0) + (p - half)
        self.le(upper)
        self.le(lower)

    def change(self, text, cur: str, prev: str) -> None:
        """A published change %: (cur − prev) / prev, rounded to 0.1."""
        if text in (None, "", C):
            return
        c = _num(text)
        self.le({cur: 1, prev: -(1 + (c + 0.05) / 100)})
        self.le({cur: -1, prev: 1 + (c - 0.05) / 100})

    def rate(self, text, count: str, population: float, per: float, digits: int) -> None:
        if text in (None, "", C) or not population:
            return
        r, half = _num(text), 0.5 * 10 ** -digits
        self.le({count: per / population}, r + half)
        self.le({count: -per / population}, -(r - half))

    # -- the audit -----------------------------------------------------------------------
    def recovered(self) -> dict[str, tuple[float, float, str]]:
        """{quantity: (min, max, where)} for every withheld count with a single possible
        value. Raises if the published figures contradict the attacker's relations (then the
        attacker's model, not the protection, is wrong)."""
        # withheld in one place and published in another (a headline, a sentence): recovered
        out = {q: (self.known[q], self.known[q], self.hidden[q]) for q in self.hidden
               if q in self.known}
        for i, leak in enumerate(self.leaks):
            out[f"leak {i}"] = (0.0, 0.0, leak)
        targets = sorted(q for q in self.hidden if q not in self.known)
        smalls = sorted(q for q in self.small if q not in self.hidden)
        for q in smalls:
            if q in self.known and 0 < self.known[q] < self.small[q][0]:
                out[q] = (self.known[q], self.known[q], self.small[q][1])
        smalls = [q for q in smalls if q not in self.known]
        if not targets and not smalls:
            return out
        names = sorted({k for coefs, _, _ in self.rows for k in coefs} | set(targets)
                       | set(smalls))
        unknown = [n for n in names if n not in self.known]
        index = {n: i for i, n in enumerate(unknown)}
        A, lo, hi = [], [], []
        for coefs, a, b in self.rows:
            row = np.zeros(len(unknown))
            const = 0.0
            for k, v in coefs.items():
                if k in index:
                    row[index[k]] += v
                else:
                    const += v * self.known[k]
            if not row.any():
                if not (a - 1e-6 <= const <= b + 1e-6):
                    raise AssertionError(f"published figures contradict a relation: {coefs}")
                continue
            A.append(row)
            lo.append(a - const)
            hi.append(b - const)
        lower = np.array([1.0 if n in self.hidden else 0.0 for n in unknown])
        bounds = Bounds(lower, np.full(len(unknown), np.inf))
        cons = [LinearConstraint(np.array(A), lo, hi)] if A else []
        integrality = np.array([0 if n in self.continuous else 1 for n in unknown])
        for q in targets + smalls:
            ends = []
            for sign in (1.0, -1.0):
                c = np.zeros(len(unknown))
                c[index[q]] = sign
                res = milp(c, constraints=cons, integrality=integrality, bounds=bounds)
                if res.status == 2:
                    raise AssertionError("published figures contradict the attacker's "
                                         "relations (infeasible)")
                ends.append(sign * res.fun if res.status == 0 else None)
            if ends[0] is not None and ends[1] is not None and ends[1] - ends[0] < 0.5:
                if q in self.hidden:
                    out[q] = (ends[0], ends[1], self.hidden[q])
                elif 0.5 < ends[0] < self.small[q][0] - 0.5:
                    out[q] = (ends[0], ends[1], self.small[q][1])
        return out


# -- reading one output folder --------------------------------------------------------------
def _table(out: Path, key: str) -> list[dict[str, str]]:
    path = out / "tables" / f"{key}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _offence_structure():
    """Subgroups of each offence group, and the subgroup/police.uk category sets that hold the
    same offence codes, from the offence classification (the definitions)."""
    from safecity.engine import classification

    groups: dict[str, set[str]] = defaultdict(set)
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for o in classification.load().offences():
        groups[o.group.lower()].add(o.subgroup.lower())
        parent[find(("s", o.subgroup.lower()))] = find(("c", str(o.police_uk_category).lower()))
    parts: dict = defaultdict(lambda: (set(), set()))
    for node in list(parent):
        (parts[find(node)][0] if node[0] == "s" else parts[find(node)][1]).add(node[1])
    return groups, [p for p in parts.values() if p[0] and p[1] and "none" not in p[1]]


def read(out: Path, kind: str = "annual", reference: Path | None = None) -> Attack:
    """What the files in ``out`` publish. ``reference``: the output of another period, whose
    report's rule texts are the same (``attacker_html.check``)."""
    at = Attack()
    data = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    with open(out / "headlines.csv", newline="", encoding="utf-8") as fh:
        heads = _Read({r["key"]: r["value"] for r in csv.DictReader(fh)})
    at.heads = heads
    # "Since the last assessment" (--previous): its numbers join the headlines they are
    placed = attacker_since.merge(at, data, heads)
    narrative = {s["key"]: s["narrative"] for s in data["sections"]}
    threshold = int(data.get("settings", {}).get("suppression_threshold", 5))

    def table(key: str) -> list[dict[str, str]]:
        return _table(out, key)

    if kind == "monthly":
        _monthly(at, out, heads, narrative)
        attacker_sections.monthly_hate(at, table, heads)
        _pack_priorities(at, out, heads)
        attacker_partners.pack_partners(at, table, heads, data["sections"])
        _watch(at, out)
    else:
        pop = (float(heads["population"]) if heads.get("population") not in (None, "", C)
               else None)
        _crime_groups(at, out, heads, pop)
        _sexual(at, out, heads, narrative.get("sexual", []))
        _repeat(at, out, heads, narrative.get("repeat", []))
        _domestic(at, out, heads, narrative.get("domestic", []))
        _hate(at, out, heads, narrative.get("hate", []))
        notes = [n for s in data["sections"] for t in s.get("tables", ())
                 if t["key"] == "hate_crime_by_strand" for n in t.get("notes", ())]
        attacker_sections.hate_reports(at, table, heads, any("hate reports" in n for n in notes))
        attacker_sections.harm(at, table, heads, narrative.get("harm", []), pop)
        attacker_sections.youth(at, table, heads, narrative.get("youth", []), threshold)
        attacker_sections.violence_by_age(at, table)
        attacker_sections.intelligence(at, table, heads, narrative.get("intelligence", []))
        attacker_partners.partners(at, table, heads, data["sections"], pop)
        attacker_partners.sv_people(at, lambda key: _profiles(at, out, key), heads)
    attacker_since.check(heads, placed, NO_WITHHELD_HEADLINE)
    if (out / "report.html").exists():
        attacker_html.check(at, out, data, reference)
    return at


def _g(name: str, p: str) -> str:
    return f"crimes|group|{name.lower()}|{p}"


def _s(name: str, p: str) -> str:
    return f"crimes|sub|{name.lower()}|{p}"


def _crime_groups(at: Attack, out: Path, heads, pop) -> None:
    groups, shared = _offence_structure()
    seen_groups: dict[str, set[str]] = defaultdict(set)
    for r in _table(out, "crime_by_offence_group"):
        g, s = r["offence_group"], r["offence_subgroup"]
        for p, col in (("cur", "current"), ("prev", "previous")):
            q = ("crimes|all|all|" + p if not s else _g(g, p) if s == "All" else _s(s, p))
            at.cell(q, r[col], f"crime_by_offence_group {g}/{s} {col}")
            if s and s != "All":
                seen_groups[g.lower()].add(s.lower())
        q = "crimes|all|all|" if not s else (_g(g, "") if s == "All" else _s(s, ""))
        at.change(r["change_pct"], q + "cur", q + "prev")
        at.rate(r["rate"], q + "cur", pop, 1000, 2)
    for g, subs in seen_groups.items():
        for p in ("cur", "prev"):
            at.total(_g(g, p), [_s(s, p) for s in groups.get(g, subs) | subs])
            # the group table lists every group: all recorded crime is their sum
    if seen_groups:
        for p in ("cur", "prev"):
            at.total("crimes|all|all|" + p, [_g(g, p) for g in seen_groups])
    cats = _table(out, "crime_by_police_uk_category")
    for r in cats:
        for p, col in (("cur", "current"), ("prev", "previous")):
            at.cell(f"crimes|cat|{r['category'].lower()}|{p}", r[col],
                    f"crime_by_police_uk_category {r['category']} {col}")
        at.change(r["change_pct"], f"crimes|cat|{r['category'].lower()}|cur",
                  f"crimes|cat|{r['category'].lower()}|prev")
        at.rate(r["rate"], f"crimes|cat|{r['category'].lower()}|cur", pop, 1000, 2)
        slug = re.sub(r"[^a-z0-9]+", "_", r["category"].lower()).strip("_")
        at.cell(f"crimes|cat|{r['category'].lower()}|cur", heads.get(f"crimes_{slug}"))
        at.cell(f"crimes|cat|{r['category'].lower()}|prev", heads.get(f"crimes_{slug}_previous"))
    if cats:
        for p in ("cur", "prev"):
            at.total("crimes|all|all|" + p, [f"crimes|cat|{r['category'].lower()}|{p}"
                                             for r in cats])
            if seen_groups:
                for subs, categories in shared:
                    at.eq({**{_s(s, p): 1.0 for s in subs},
                           **{f"crimes|cat|{c}|{p}": -1.0 for c in categories}})
    # the same counts in other sections: section 1's recorded crime, section 7's violence
    # against the person and its subgroups, section 9's drug offences (the basket
    # 'drug_offences' is the ONS group, classification/baskets.yaml)
    same = {"Police recorded crime": "crimes|all|all|",
            "All violence against the person": _g("violence against the person", ""),
            "Drug offences": _g("drug offences", "")}
    for key, col in (("overview", "measure"), ("violence", "offences"), ("substances", "measure")):
        for r in _table(out, key):
            name = r[col]
            q = same.get(name)
            if q is None and key == "violence" and name not in (
                    "Most Serious Violence", "Offences with a bladed implement"):
                q = _s(name, "")
            if q is None:
                continue
            at.cell(q + "cur", r["current"], f"{key} {name} current")
            at.cell(q + "prev", r["previous"], f"{key} {name} previous")
    for p, suffix in (("cur", ""), ("prev", "_previous")):
        at.cell("crimes|all|all|" + p, heads.get("recorded_crime" + suffix))
        at.cell(_g("drug offences", p), heads.get("drug_offences" + suffix))
    at.change(heads.get("recorded_crime_change_pct"), "crimes|all|all|cur", "crimes|all|all|prev")
    # headline figures of offence groups (docs/metrics.md): the same counts under other keys
    named = {"violent_crime": _g("violence against the person", ""),
             "sexual_offences_rape": _s("rape", ""),
             "other_sexual_offences": _s("other sexual offences", ""),
             "stalking_harassment": _s("stalking and harassment", ""),
             "arson": _s("arson", ""), "residential_burglary": _s("residential burglary", "")}
    for key, q in named.items():
        at.cell(q + "cur", heads.get(key))
        at.cell(q + "prev", heads.get(key + "_previous"))
        at.change(heads.get(key + "_change_pct"), q + "cur", q + "prev")


KINDS = {"All sexual offences": ("sexual_offences", _g("sexual offences", "")),
         "Rape": ("rape", _s("rape", "")),
         "Other sexual offences": ("other_sexual", _s("other sexual offences", ""))}


def _sexual(at: Attack, out: Path, heads, text) -> None:
    rows = _table(out, "sexual_offences")
    for r in rows:
        key, q = KINDS[r["offences"]]
        at.cell(q + "cur", r["current"], f"sexual_offences {r['offences']} current")
        at.cell(q + "prev", r["previous"], f"sexual_offences {r['offences']} previous")
        at.cell(q + "cur", heads.get(f"{key}_crimes"))
        at.cell(q + "prev", heads.get(f"{key}_crimes_previous"))
        at.pct(r["domestic_pct"], f"sex_dom|{key}", q + "cur")
        at.pct(heads.get(f"{key}_domestic_pct"), f"sex_dom|{key}", q + "cur")
        at.pct(r["non_recent_pct"], f"sex_nonrec|{key}", f"sex_known|{key}")
        at.pct(heads.get(f"{key}_non_recent_pct"), f"sex_nonrec|{key}", f"sex_known|{key}")
        at.le({f"sex_dom|{key}": 1, q + "cur": -1})
        at.le({f"sex_nonrec|{key}": 1, f"sex_known|{key}": -1})
        at.le({f"sex_known|{key}": 1, q + "cur": -1})
    if rows:  # the group is its two subgroups (the classification), whatever is counted
        for what in ("sex_dom", "sex_nonrec", "sex_known"):
            at.total(f"{what}|sexual_offences", [f"{what}|rape", f"{what}|other_sexual"])
    for sentence in text:
        for label, (_, q) in KINDS.items():
            _change_sentence(at, sentence, label, q + "cur", q + "prev")
    profiles = _profiles(at, out, "sexual_profiles")
    tags = {"Victims: all sexual offences": "sexual_victims", "Victims: rape": "rape_victims",
            "Victims: other sexual offences": "other_sexual_victims",
            "Offenders: all sexual offences": "sexual_offenders"}
    for group, prefix in tags.items():
        _profile_heads(at, heads, prefix, f"sexual_profiles|{group}")
    at.cell(f"sexual_profiles|Victims: all sexual offences|All|All people",
            heads.get("sexual_offence_victims"))
    at.cell(f"sexual_profiles|Offenders: all sexual offences|All|All people",
            heads.get("sexual_offence_offenders"))
    if profiles:
        for sub in ("rape", "other sexual offences"):
            at.le({f"sexual_profiles|Victims: {sub}|All|All people": 1,
                   "sexual_profiles|Victims: all sexual offences|All|All people": -1})
    for sentence in text:
        m = re.match(r"([\d,]+) people were victims of sexual offences", sentence)
        if m:
            at.cell("sexual_profiles|Victims: all sexual offences|All|All people", m.group(1))
        m = re.match(r"([\d,]+) offenders were identified", sentence)
        if m:
            at.cell("sexual_profiles|Offenders: all sexual offences|All|All people", m.group(1))
    rel = _relationships(at, out, "sexual_relationship")
    if rel:
        at.pct(heads.get("rape_by_partner_pct"),
               {"sexual_relationship|Rape|Current spouse or partner": 1,
                "sexual_relationship|Rape|Former spouse or partner": 1},
               "sexual_relationship|Rape|known")
        at.pct(heads.get("rape_by_acquaintance_pct"), "sexual_relationship|Rape|Acquaintance",
               "sexual_relationship|Rape|known")


def _profiles(at: Attack, out: Path, key: str) -> list[str]:
    """Age and sex tables: the categories and 'not known' add up to all people; shares are of
    those known."""
    rows = _table(out, key)
    groups = []
    for r in rows:
        q = f"{key}|{r['group']}|{r['characteristic']}|{r['category']}"
        at.cell(q, r["people"], f"{key} {r['group']} {r['category']}")
        if r["group"] not in groups:
            groups.append(r["group"])
    for g in groups:
        people = f"{key}|{g}|All|All people"
        for what, cats, unknown in (("Age", AGE, "Age not known"),
                                    ("Sex", SEX, "Sex not known")):
            known = f"{key}|{g}|{what}|known"
            at.total(known, [f"{key}|{g}|{what}|{c}" for c in cats])
            at.total(people, [known, f"{key}|{g}|{what}|{unknown}"])
        for r in rows:
            if r["group"] == g and r["share_pct"]:
                at.pct(r["share_pct"], f"{key}|{g}|{r['characteristic']}|{r['category']}",
                       f"{key}|{g}|{r['characteristic']}|known")
    return groups


def _profile_heads(at: Attack, heads, prefix: str, base: str) -> None:
    for band, label in zip(AGE_KEYS, AGE):
        at.pct(heads.get(f"{prefix}_{band}_pct"), f"{base}|Age|{label}", f"{base}|Age|known")
    for sex in SEX:
        at.pct(heads.get(f"{prefix}_{sex.lower()}_pct"), f"{base}|Sex|{sex}",
               f"{base}|Sex|known")


def _relationships(at: Attack, out: Path, key: str) -> list[str]:
    rows = _table(out, key)
    groups: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        q = f"{key}|{r['group']}|{r['relationship']}"
        at.cell(q, r["victims"], f"{key} {r['group']} {r['relationship']}")
        groups[r["group"]].append(q)
    for g, qs in groups.items():
        at.total(f"{key}|{g}|known", qs)
        for r in rows:
            if r["group"] == g:
                at.pct(r["share_pct"], f"{key}|{g}|{r['relationship']}", f"{key}|{g}|known")
    return list(groups)


def _change_sentence(at: Attack, sentence: str, subject: str, cur: str, prev: str) -> None:
    """Numbers of a change sentence ('<subject> rose by 7.4 % (from 8,102 to 8,701)...')."""
    if not sentence.lower().startswith(subject.lower() + " "):
        return
    rest = sentence[len(subject):]
    m = re.match(r" (?:rose|fell) by ([\d.]+) % \(from ([\d,]+) to ([\d,]+)\)", rest)
    if m:
        at.cell(prev, m.group(2))
        at.cell(cur, m.group(3))
        return
    m = re.match(r" was unchanged at ([\d,]+)", rest)
    if m:
        at.cell(cur, m.group(1))
        at.cell(prev, m.group(1))
        return
    m = re.match(r" was ([\d,]+), with none in the comparison period", rest)
    if m:
        at.cell(cur, m.group(1))
        at.cell(prev, "0")
        return
    if rest.startswith(" was nil in both"):
        at.cell(cur, "0")
        at.cell(prev, "0")


def _repeat(at: Attack, out: Path, heads, text) -> None:
    rows = _table(out, "repeat_victimisation")
    periods = []
    for r in rows:
        if r["period"] not in periods:
            periods.append(r["period"])
    for i, period in enumerate(periods):
        p = ("cur", "prev")[i]
        v, c = {}, {}
        for r in rows:
            if r["period"] != period:
                continue
            band = r["band"]
            v[band], c[band] = f"rv|victims|{band}|{p}", f"rv|crimes|{band}|{p}"
            at.cell(v[band], r["victims"], f"repeat {period} {band} victims")
            at.cell(c[band], r["crimes"], f"repeat {period} {band} crimes")
        allv, allc = v.pop("All person victims"), c.pop("All person victims")
        at.total(allv, list(v.values()))
        at.total(allc, list(c.values()))
        # what a band means: its victims suffered 1, 2, 3-4 or 5+ crimes each
        at.eq({c["1 crime"]: 1, v["1 crime"]: -1})
        at.eq({c["2 crimes"]: 1, v["2 crimes"]: -2})
        at.le({v["3 to 4 crimes"]: 3, c["3 to 4 crimes"]: -1})
        at.le({c["3 to 4 crimes"]: 1, v["3 to 4 crimes"]: -4})
        at.le({v["5 or more crimes"]: 5, c["5 or more crimes"]: -1})
        for r in rows:
            if r["period"] == period and r["band"] != "All person victims":
                at.pct(r["victims_pct"], v[r["band"]], allv)
                at.pct(r["crimes_pct"], c[r["band"]], allc)
        s = "" if p == "cur" else "_previous"
        repeat_v = {k: 1.0 for k in list(v.values())[1:]}
        repeat_c = {k: 1.0 for k in list(c.values())[1:]}
        at.cell(allv, heads.get("unique_person_victims" + s))
        at.cell(f"rv|crimes_with|{p}", heads.get("crimes_with_person_victim" + s))
        at.le({f"rv|crimes_with|{p}": 1, allc: -1})
        at.pct(heads.get("crimes_with_person_victim_pct" + s), f"rv|crimes_with|{p}",
               f"crimes|all|all|{p}")
        at.pct(heads.get("victims_one_crime_pct" + s), v["1 crime"], allv)
        at.cell(f"rv|repeat_v|{p}", heads.get("victims_repeat" + s))
        at.eq({**{k: -1.0 for k in repeat_v}, f"rv|repeat_v|{p}": 1})
        at.pct(heads.get("victims_repeat_pct" + s), repeat_v, allv)
        at.cell(f"rv|repeat_c|{p}", heads.get("repeat_victims_crimes" + s))
        at.eq({**{k: -1.0 for k in repeat_c}, f"rv|repeat_c|{p}": 1})
        at.pct(heads.get("repeat_victims_share_of_crimes_pct" + s), repeat_c, allc)
        at.cell(v["5 or more crimes"], heads.get("victims_5plus" + s))
        at.pct(heads.get("victims_5plus_pct" + s), v["5 or more crimes"], allv)
        at.cell(c["5 or more crimes"], heads.get("victims_5plus_crimes" + s))
        at.pct(heads.get("victims_5plus_share_of_crimes_pct" + s), c["5 or more crimes"], allc)
    for sentence in text:
        m = re.match(r"([\d,]+) distinct people were victims of ([\d,]+) crimes", sentence)
        if m:
            at.cell("rv|victims|All person victims|cur", m.group(1))
            at.cell("rv|crimes_with|cur", m.group(2))
        m = re.match(r"([\d,]+) victims suffered five or more crimes", sentence)
        if m:
            at.cell("rv|victims|5 or more crimes|cur", m.group(1))
        m = re.search(r"against ([\d,]+) in ", sentence)
        if m and "five or more" in sentence:
            at.cell("rv|victims|5 or more crimes|prev", m.group(1))


def _domestic(at: Attack, out: Path, heads, text) -> None:
    da, dv = "dom|all|", "dom|vap|"
    for p, s in (("cur", ""), ("prev", "_previous")):
        at.cell(da + p, heads.get("domestic_abuse_crimes" + s))
        at.cell(dv + p, heads.get("domestic_violent_crime" + s))
        at.le({dv + p: 1, da + p: -1})
        at.le({da + p: 1, f"crimes|all|all|{p}": -1})
        at.le({dv + p: 1, _g("violence against the person", p): -1})
    at.change(heads.get("domestic_abuse_crimes_change_pct"), da + "cur", da + "prev")
    at.change(heads.get("domestic_violent_crime_change_pct"), dv + "cur", dv + "prev")
    at.pct(heads.get("domestic_share_of_crime_pct"), da + "cur", "crimes|all|all|cur")
    at.pct(heads.get("domestic_share_of_violence_pct"), dv + "cur",
           _g("violence against the person", "cur"))
    for sentence in text:
        _change_sentence(at, sentence, "Domestic abuse-flagged crime", da + "cur", da + "prev")
        _change_sentence(at, sentence, "Domestic violence against the person", dv + "cur",
                         dv + "prev")
        m = re.match(r"([\d,]+) people were victims;", sentence)
        if m:
            at.cell("domestic_profiles|Victims|All|All people", m.group(1))
        m = re.match(r"([\d,]+) offenders were identified", sentence)
        if m:
            at.cell("domestic_profiles|Offenders|All|All people", m.group(1))
        m = re.search(r"of the ([\d,]+) high-risk domestic abuse referrals", sentence)
        if m:
            at.cell("hrda|All referrals", m.group(1))
    _profiles(at, out, "domestic_profiles")
    _profile_heads(at, heads, "domestic_victims", "domestic_profiles|Victims")
    _profile_heads(at, heads, "domestic_offenders", "domestic_profiles|Offenders")
    at.cell("domestic_profiles|Victims|All|All people", heads.get("domestic_victims"))
    at.cell("domestic_profiles|Offenders|All|All people", heads.get("domestic_offenders"))
    if _relationships(at, out, "domestic_relationship"):
        at.pct(heads.get("domestic_by_partner_pct"),
               {"domestic_relationship|Domestic abuse|Current spouse or partner": 1,
                "domestic_relationship|Domestic abuse|Former spouse or partner": 1},
               "domestic_relationship|Domestic abuse|known")
    deciles = _table(out, "domestic_by_imd_decile")
    for r in deciles:
        q = f"dom|imd|{r['imd_decile']}"
        at.cell(q, r["crimes"], f"domestic_by_imd_decile {r['imd_decile']}")
        at.rate(r["rate"], q, float(r["population"]), 1000, 2)
    if deciles:
        at.le({**{f"dom|imd|{r['imd_decile']}": 1 for r in deciles}, da + "cur": -1})
    ref = _table(out, "hrda_referrals")
    for r in ref:
        at.cell(f"hrda|{r['household']}", r["referrals"], f"hrda_referrals {r['household']}")
        if r["household"] != "All referrals":
            at.pct(r["share_pct"], f"hrda|{r['household']}", "hrda|All referrals")
    if ref:
        at.total("hrda|All referrals", ["hrda|Children in the household",
                                        "hrda|No children in the household"])
        at.cell("hrda|All referrals", heads.get("hrda_referrals"))
        at.pct(heads.get("hrda_referrals_with_children_pct"), "hrda|Children in the household",
               "hrda|All referrals")


def _hate(at: Attack, out: Path, heads, text) -> None:
    rows = _table(out, "hate_crime_by_strand")
    periods = []
    for r in rows:
        if r["period"] not in periods:
            periods.append(r["period"])
    for i, period in enumerate(periods):
        a, b = ("cur", "prev") if i == 0 else ("cp", "cpp")
        suffix = "" if i == 0 else "_period"
        for r in rows:
            if r["period"] != period:
                continue
            s = STRANDS.get(r["strand"], "any")
            at.cell(f"hate|{s}|{a}", r["current"], f"hate {period} {r['strand']} current")
            at.cell(f"hate|{s}|{b}", r["previous"], f"hate {period} {r['strand']} previous")
            at.change(r["change_pct"], f"hate|{s}|{a}", f"hate|{s}|{b}")
        for p in (a, b):
            for s in STRANDS.values():  # one crime can have several strands
                at.le({f"hate|{s}|{p}": 1, f"hate|any|{p}": -1})
            at.le({**{f"hate|{s}|{p}": -1 for s in STRANDS.values()}, f"hate|any|{p}": 1})
        key = "hate_crime" if i == 0 else "hate_five_strands_period"
        at.cell(f"hate|any|{a}", heads.get(key))
        at.cell(f"hate|any|{b}", heads.get(key + "_previous"))
        for s in STRANDS.values():
            at.cell(f"hate|{s}|{a}", heads.get(f"hate_{s}{suffix}"))
            at.cell(f"hate|{s}|{b}", heads.get(f"hate_{s}{suffix}_previous"))
        if i == 0:
            at.change(heads.get("hate_crime_change_pct"), "hate|any|cur", "hate|any|prev")
        for sentence in text:
            if sentence.startswith(f"Hate crime in {period} "):
                m = re.search(r"\(from ([\d,]+) to ([\d,]+)\)", sentence)
                if m:
                    at.cell(f"hate|any|{b}", m.group(1))
                    at.cell(f"hate|any|{a}", m.group(2))


def _monthly(at: Attack, out: Path, heads, narrative) -> None:
    for key, suffix in (("month", "month"), ("rolling", "rolling_12")):
        rows = _table(out, f"{key}_comparison")
        groups = []
        for r in rows:
            g = r["group"]
            if g.startswith("Anti-social behaviour incidents"):
                continue
            q = "all" if g == "All recorded crime" else g.lower()
            at.cell(f"{key}|{q}|cur", r["current"], f"{key}_comparison {g} current")
            at.cell(f"{key}|{q}|prev", r["previous"], f"{key}_comparison {g} previous")
            at.change(r["change_pct"], f"{key}|{q}|cur", f"{key}|{q}|prev")
            if q != "all":
                groups.append(q)
        for p in ("cur", "prev"):
            at.total(f"{key}|all|{p}", [f"{key}|{g}|{p}" for g in groups])
        at.cell(f"{key}|all|cur", heads.get(f"recorded_crime_{suffix}"))
        at.cell(f"{key}|all|prev", heads.get(f"recorded_crime_{suffix}_previous"))
    for r in _table(out, "exceptions"):
        if r["check"] == "rolling 12 months":
            at.cell(f"rolling|{r['group'].lower()}|cur", r["current"])
            at.cell(f"rolling|{r['group'].lower()}|prev", r["reference"])
        else:
            at.cell(f"month|{r['group'].lower()}|cur", r["current"])
            if r["check"].startswith("same month"):
                at.cell(f"month|{r['group'].lower()}|prev", r["reference"])


def _pack_priorities(at: Attack, out: Path, heads) -> None:
    """The pack's sensitive priority sections (domestic abuse, hate crime): the 24-month
    series, the month and the rolling year with their changes, by sector and by strand, and
    their headlines. Relations from the definitions: the month is the series' last month and
    last year's the one 12 before; the rolling years are the sums of the last and first 12
    months; sectors add up to the area; a strand is at most all hate crime, which is at most
    the strands' sum."""
    for key in ("domestic_abuse", "hate_crime"):
        series = _table(out, f"{key}_series")
        comp = _table(out, f"{key}_comparison")
        if not series or len(comp) < 2:
            continue
        months = [f"{key}|m|{r['month']}" for r in series]
        for q, r in zip(months, series):
            at.cell(q, r["count"], f"{key}_series {r['month']}")
        for r, col in zip(comp, ("month", "roll")):
            at.cell(f"{key}|{col}|cur", r["current"], f"{key}_comparison {r['measure']}")
            at.cell(f"{key}|{col}|prev", r["previous"], f"{key}_comparison {r['measure']}")
            at.change(r["change_pct"], f"{key}|{col}|cur", f"{key}|{col}|prev")
            for side, tail in (("cur", ""), ("prev", "_previous")):
                suffix = "month" if col == "month" else "rolling_12"
                at.cell(f"{key}|{col}|{side}", heads.get(f"{key}_{suffix}{tail}"))
        if len(series) == 24:
            at.eq({f"{key}|month|cur": 1.0, months[-1]: -1.0})
            at.eq({f"{key}|month|prev": 1.0, months[11]: -1.0})
            at.total(f"{key}|roll|cur", months[12:])
            at.total(f"{key}|roll|prev", months[:12])
        places = _table(out, f"{key}_by_sector")
        for col, cur, prev in (("month", "month", "month_previous"),
                               ("roll", "rolling", "rolling_previous")):
            for side, name in (("cur", cur), ("prev", prev)):
                parts = []
                for r in places:
                    q = f"{key}|sector|{r['place']}|{col}|{side}"
                    at.cell(q, r[name], f"{key}_by_sector {r['place']} {name}")
                    parts.append(q)
                if parts:
                    at.total(f"{key}|{col}|{side}", parts)
        strands = _table(out, f"{key}_by_strand")
        for col, cur, prev in (("month", "month", "month_previous"),
                               ("roll", "rolling", "rolling_previous")):
            for side, name in (("cur", cur), ("prev", prev)):
                parts = []
                for r in strands:
                    q = f"{key}|strand|{r['strand']}|{col}|{side}"
                    at.cell(q, r[name], f"{key}_by_strand {r['strand']} {name}")
                    at.le({q: 1.0, f"{key}|{col}|{side}": -1.0})
                    parts.append(q)
                if parts:
                    at.le({f"{key}|{col}|{side}": 1.0, **{p: -1.0 for p in parts}})


def _watch(at: Attack, out: Path) -> None:
    """The commercial burglary watch: each cell's count this month and last, withheld below the
    threshold; no total or other relation of them is published."""
    for i, r in enumerate(_table(out, "commercial_burglary_watch")):
        at.cell(f"watch|{i}|cur", r["count"], f"commercial_burglary_watch {r['cell']} count")
        at.cell(f"watch|{i}|prev", r["previous_count"],
                f"commercial_burglary_watch {r['cell']} previous")
