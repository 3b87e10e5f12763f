"""The attacker's reading of the partner sections (fire, health, ambulance, children's services,
treatment) and the serious violence needs assessment's people table.

Written from what a reader knows (docs/metrics.md, docs/data-contract.md and the tables
themselves), without the disclosure code or the partner specifications: a measures table gives
each measure in two periods and its change; a breakdown's rows and 'Not recorded' add up to its
'All' row, which is the section's first measure (several factors may apply to one assessment, so
a factor is at most the total); a ward table adds up to its 'All' row; deliberate fires are the
primary plus the secondary ones; sharp-object admissions are among the admissions for assault;
stab, gunshot and penetrating trauma call-outs are among all assault call-outs; the assessments
with a factor are among all assessments; the first measure per 1,000 residents is a rate; and the
sentences repeat the counts. In the monthly pack (``pack_partners``) each partner's table gives
its measures in the month and the same month last year, and in the rolling year and the one
before, with the same relations; the month is within its rolling year when that year's label
says it is whole (no "of 12 months").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

METRICS_MD = Path(__file__).resolve().parents[3] / "docs" / "metrics.md"


@lru_cache(maxsize=1)
def _keys_by_name() -> dict[str, str]:
    """Figure name -> headline key, from the published definitions (docs/metrics.md headings
    '## `key`: Name'), as a reader finds which headline a table row is."""
    out = {}
    for line in METRICS_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## `([a-z0-9_]+)`: (.+)$", line)
        if m:
            out.setdefault(m.group(2).strip(), m.group(1))
    return out

#: section key -> its first (main) measure's label, as the measures table shows it.
SECTIONS = ("fire", "health", "ambulance", "childrens_services", "treatment")
#: (whole label, part label, relation): "sum" parts add to the whole; "le" part <= whole
RELATIONS = (
    ("Deliberate fires", ("Deliberate primary fires", "Deliberate secondary fires"), "sum"),
    ("Hospital admissions for assault", ("Admissions for assault by a sharp object",), "le"),
    ("Ambulance call-outs to assaults",
     ("Call-outs to stab, gunshot or penetrating trauma",), "le"),
    ("Children's social care assessments completed",
     ("Assessments with domestic abuse as a factor",
      "Assessments with child sexual or criminal exploitation as a factor"), "le"),
)


#: The partner tables this module reads (attacker.READS), and the serious violence needs
#: assessment's people table (read by ``sv_people``).
READS = {
    "fire_measures", "fire_by_property_type", "fire_by_time_of_day", "fire_by_ward",
    "health_measures", "health_by_weapon", "health_by_place_type", "health_by_time_of_day",
    "health_by_ward", "ambulance_measures", "ambulance_by_call_type",
    "ambulance_by_time_of_day", "ambulance_by_ward", "childrens_services_measures",
    "childrens_services_by_factor", "treatment_measures", "treatment_by_substance",
    "sv_people",
    # the monthly pack's partner tables (read by ``pack_partners``)
    *(f"partner_{key}" for key in SECTIONS),
}
_SV_CRIMES = ("serious violence crimes (the local definition's basket) and their parts: counts "
              "of crimes, not of people, and no sensitive offence group; never withheld")
#: The serious violence needs assessment's other tables (attacker.NO_WITHHELD_COUNT).
NO_WITHHELD_COUNT = {
    "tables/sv_measures.csv": _SV_CRIMES,
    "tables/sv_by_subgroup.csv": _SV_CRIMES,
    "tables/sv_public_space.csv": _SV_CRIMES,
    "tables/sv_weapons.csv": "knife, firearm, other weapon and possession of weapons crimes: "
                             "counts of crimes, never withheld (as in the violence section)",
    "tables/sv_by_ward.csv": _SV_CRIMES,
    "tables/sv_repeat_locations.csv": _SV_CRIMES,
    "tables/sv_by_day_and_time.csv": _SV_CRIMES,
    "tables/national_sexual.csv": "the area's published figure beside public national "
                                  "figures and a quartile derived from them: no count",
    "tables/national_youth.csv": "the area's published figure beside public national figures "
                                 "and a quartile derived from them: no count",
}


def sv_people(at, profiles, heads) -> None:
    """The needs assessment's victims and suspects table (age and sex, as the other profile
    tables) and the under-25 shares of those whose age is known."""
    groups = profiles("sv_people")
    for g, prefix in (("Victims", "sv_victims"), ("Suspects", "sv_suspects")):
        if g not in groups:
            continue
        base = f"sv_people|{g}"
        at.cell(f"{base}|All|All people", heads.get(prefix), "sv headline")
        at.pct(heads.get(f"{prefix}_under25_pct"),
               {f"{base}|Age|Under 18": 1.0, f"{base}|Age|18 to 24": 1.0}, f"{base}|Age|known")


def partners(at, table, heads, sections, population: float | None) -> None:
    """Add every partner section's published figures to the attack ``at``.

    ``table(key)`` returns a table's rows (dicts); ``sections`` the assessment.json sections."""
    for sec in sections:
        key = sec.get("key")
        if key not in SECTIONS:
            continue
        rows = table(f"{key}_measures")
        if not rows:
            continue
        labels = []
        for r in rows:
            m = r["measure"]
            labels.append(m)
            at.cell(f"{key}|{m}|cur", r["current"], f"{key}_measures")
            at.cell(f"{key}|{m}|prev", r["previous"], f"{key}_measures")
            at.change(r["change_pct"], f"{key}|{m}|cur", f"{key}|{m}|prev")
            for sentence in sec.get("narrative", []):
                _sentence(at, sentence, m, f"{key}|{m}|cur", f"{key}|{m}|prev")
        for whole, parts, kind in RELATIONS:
            if whole not in labels or not all(p in labels for p in parts):
                continue
            for tag in ("cur", "prev"):
                if kind == "sum":
                    at.total(f"{key}|{whole}|{tag}", [f"{key}|{p}|{tag}" for p in parts])
                else:
                    for p in parts:
                        at.le({f"{key}|{p}|{tag}": 1, f"{key}|{whole}|{tag}": -1})
        main = f"{key}|{labels[0]}|cur"
        _measure_heads(at, heads, key, rows, population)
        for tkey in _breakdown_keys(sec, key):
            _breakdown(at, table(tkey), tkey, main, flags=tkey.endswith("_by_factor"))


def _breakdown_keys(sec, key) -> list[str]:
    return [t["key"] for t in sec.get("tables", []) if t["key"].startswith(f"{key}_by_")]


def _breakdown(at, rows, tkey, main: str, flags: bool) -> None:
    if not rows:
        return
    first = list(rows[0])[0]
    parts = []
    for r in rows:
        name = r[first]
        q = main if name == "All" else f"{tkey}|{name}"
        at.cell(q, r.get("count"), tkey)
        if name != "All":
            parts.append(q)
            if flags:
                at.le({q: 1, main: -1})
        if "share_pct" in r:
            at.pct(r["share_pct"], q, main)
    if not flags:
        at.total(main, parts)


def _measure_heads(at, heads, key, rows, population) -> None:
    """Each measure's headlines (its key from docs/metrics.md): the count and the previous
    count are the table's cells, the change their change, and the first measure per 1,000
    residents a rate of its count."""
    names = _keys_by_name()
    for i, r in enumerate(rows):
        stem = names.get(r["measure"])
        if stem is None or stem not in heads:
            continue
        cur, prev = f"{key}|{r['measure']}|cur", f"{key}|{r['measure']}|prev"
        at.cell(cur, heads[stem], f"headline {stem}")
        at.cell(prev, heads.get(f"{stem}_previous"), f"headline {stem}_previous")
        at.change(heads.get(f"{stem}_change_pct"), cur, prev)
        if i == 0 and population:
            at.rate(heads.get(f"{stem}_rate_per_1000"), cur, population, 1000, 2)


def _sentence(at, sentence: str, subject: str, cur: str, prev: str) -> None:
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


def pack_partners(at, table, heads, sections) -> None:
    """The monthly pack's partner tables (section "partners"): each measure's month, same month
    last year, rolling year and the year before, their changes, the relations between measures
    in each of the four, the month within a whole rolling year, and each measure's headlines
    (keys found in docs/metrics.md by the names '<measure> in the month' and '<measure>,
    rolling 12 months')."""
    names = _keys_by_name()
    for sec in sections:
        if sec.get("key") != "partners":
            continue
        for t in sec.get("tables", []):
            key = t["key"]
            rows = table(key)
            whole = {c["key"]: "of 12 months" not in c.get("label", "")
                     for c in t.get("columns", [])}
            labels = []
            for r in rows:
                m = r["measure"]
                labels.append(m)
                q = f"{key}|{m}"
                for span in ("month", "rolling"):
                    at.cell(f"{q}|{span}|cur", r[span], key)
                    at.cell(f"{q}|{span}|prev", r[f"{span}_previous"], key)
                    at.change(r[f"{span}_change_pct"], f"{q}|{span}|cur", f"{q}|{span}|prev")
                for side, col in (("cur", "rolling"), ("prev", "rolling_previous")):
                    if r[f"month{'' if side == 'cur' else '_previous'}"] not in ("", None) \
                            and whole.get(col):
                        at.le({f"{q}|month|{side}": 1, f"{q}|rolling|{side}": -1})
                for span, suffix in (("month", "in the month"), ("rolling", ", rolling 12 months")):
                    stem = names.get(f"{m} {suffix}" if span == "month" else f"{m}{suffix}")
                    if stem is None:
                        continue
                    at.cell(f"{q}|{span}|cur", heads.get(stem), f"headline {stem}")
                    at.cell(f"{q}|{span}|prev", heads.get(f"{stem}_previous"),
                            f"headline {stem}_previous")
            for whole_label, parts, kind in RELATIONS:
                if whole_label not in labels or not all(p in labels for p in parts):
                    continue
                for span in ("month", "rolling"):
                    for tag in ("cur", "prev"):
                        if kind == "sum":
                            at.total(f"{key}|{whole_label}|{span}|{tag}",
                                     [f"{key}|{p}|{span}|{tag}" for p in parts])
                        else:
                            for p in parts:
                                at.le({f"{key}|{p}|{span}|{tag}": 1,
                                       f"{key}|{whole_label}|{span}|{tag}": -1})
