"""Key findings and the executive summary (issue #12), generated from the assessment's own
published figures and ranked by one documented rule (:data:`RULES`, also in docs/metrics.md).

It counts nothing. Every number is read from the built assessment's tables and headlines, which
disclosure control has already protected (``assessment/disclosure.py``); a candidate whose count
or comparison is withheld (``model.Suppressed``) is left out whole, so a withheld figure is never
used, named or hinted at. The wording follows the statistics exactly as the sections' does: a
change is "statistically significant" only when the table's E-test says so
(``narrative.change_clause`` on the table's own cells).

"Since the last assessment" (:func:`since_last`) compares this run's published figures and
recommended priorities with a previous run's ``assessment.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..errors import AssessmentError
from . import narrative
from .model import StrategicAssessment, Suppressed
from .priorities import band, published_number

CRITERIA = ("harm", "volume", "trend", "concentration", "vulnerability")
WEIGHTS = {"harm": 3, "volume": 2, "trend": 2, "concentration": 2, "vulnerability": 2}
SUMMARY_FINDINGS = 5

#: (lower bound, score), first match wins.
HARM_BANDS = ((20, 5), (10, 4), (5, 3), (1, 2), (float("-inf"), 1))
VOLUME_BANDS = ((20, 5), (10, 4), (5, 3), (1, 2), (float("-inf"), 1))
VULNERABILITY_BANDS = ((40, 5), (30, 4), (20, 3), (10, 2), (float("-inf"), 1))
#: repeat victims' share of crimes with a person victim (%), or the Gini above chance x 100
CONCENTRATION_BANDS = ((40, 5), (30, 4), (20, 3), (10, 2), (float("-inf"), 1))
TREND_SCORES = {"significant increase": 5, "significant decrease": 3}
TREND_OTHER = 1  # not significant, small numbers or no baseline: no evidence of change

RULES = f"""Every candidate finding is scored 1 (low) to 5 (high) on up to five criteria, read from
the assessment's own published (disclosure-protected) figures. A criterion the candidate has no
published figure for adds nothing; a candidate whose count or comparison is withheld is not a
finding at all (it is never named).

| Criterion | Figure | Score |
|---|---|---|
| harm | the candidate's share of Crime Severity Score harm (`harm_by_subgroup.share_pct`, summed over its subgroups) | ≥20 % 5, ≥10 % 4, ≥5 % 3, ≥1 % 2, else 1 |
| volume | its count as a % of police recorded crime (ASB: incidents against recorded crimes; repeat victims: crimes with a person victim; place: all crime) | ≥20 % 5, ≥10 % 4, ≥5 % 3, ≥1 % 2, else 1 |
| trend | the E-test on the comparison period (the table's `assessment` column) | significant increase 5, significant decrease 3, otherwise {TREND_OTHER} |
| concentration | repeat victims: % of crimes against people victimised more than once; place: the LSOA Gini above chance x 100 | ≥40 5, ≥30 4, ≥20 3, ≥10 2, else 1 |
| vulnerability | a published share of vulnerable victims (violence and domestic abuse: share of violence that is domestic; sexual offences: victims under 18) | ≥40 % 5, ≥30 % 4, ≥20 % 3, ≥10 % 2, else 1 |

Score = Σ weight x criterion score, weights harm {WEIGHTS['harm']}, volume {WEIGHTS['volume']},
trend {WEIGHTS['trend']}, concentration {WEIGHTS['concentration']}, vulnerability
{WEIGHTS['vulnerability']} (so 0-{5 * sum(WEIGHTS.values())}). Findings are ranked by score, ties
by name. The executive summary is the overall change in police recorded crime
followed by the top {SUMMARY_FINDINGS} findings, and the recommended priorities when a priority
input was given.
"""

#: The rule in one paragraph, for the report's appendix and the documents.
RULE_SUMMARY = (
    "Each candidate finding scores 1-5 on harm (its share of Crime Severity Score harm), volume "
    "(its share of recorded crime), trend (5 for a statistically significant increase, 3 for a "
    "significant decrease, 1 otherwise), concentration (repeat victims' share of crimes, or how "
    "far crime is concentrated in few LSOAs beyond chance) and vulnerability (a published share "
    f"of vulnerable victims). Its score is the weighted sum (harm x{WEIGHTS['harm']}, the others "
    "x2); a criterion without a published figure adds nothing, and a candidate whose figures are "
    "withheld is not reported. Findings are ranked by score, ties by name.")


@dataclass(frozen=True)
class Finding:
    key: str  # stable id, e.g. "offence:Violence against the person/All"
    subject: str  # what it is about, e.g. "Stalking and harassment"
    text: str  # one sentence; its numbers are published figures
    section: str  # the section key it comes from (for the link)
    scores: dict[str, int | None]
    score: int
    rank: int = 0


@dataclass(frozen=True)
class Findings:
    summary: tuple[str, ...]  # the executive summary, sentence by sentence
    findings: tuple[Finding, ...]  # ranked
    since_last: Any = None  # SinceLast when a previous run was given


def _withheld(*values) -> bool:
    return any(isinstance(v, Suppressed) for v in values)


def _tables(assessment: StrategicAssessment) -> dict[str, tuple[str, Any]]:
    return {t.key: (s.key, t) for s in assessment.sections for t in s.tables}


def _dict_rows(table) -> list[dict]:
    keys = [c.key for c in table.columns]
    return [dict(zip(keys, r)) for r in table.rows]


def _change(row: dict) -> Any:
    """A duck-typed change for ``narrative.change_clause`` from a table row's published cells."""
    words = str(row.get("assessment") or "")
    return SimpleNamespace(current=row.get("current"), previous=row.get("previous"),
                           change_pct=published_number(row.get("change_pct")),
                           significant=words.startswith("significant"),
                           small_numbers=words.startswith("small numbers"),
                           p_value=published_number(row.get("p_value")))


def score(values: dict[str, float | None], trend: str | None) -> dict[str, int | None]:
    """Criterion scores (None = no figure) from percentages and the trend wording.

    >>> score({"harm": 26.9, "volume": 1.2, "concentration": None, "vulnerability": 42.3},
    ...       "not significant")
    {'harm': 5, 'volume': 2, 'trend': 1, 'concentration': None, 'vulnerability': 5}
    """
    bands = {"harm": HARM_BANDS, "volume": VOLUME_BANDS, "concentration": CONCENTRATION_BANDS,
             "vulnerability": VULNERABILITY_BANDS}
    out: dict[str, int | None] = {}
    for key in CRITERIA:
        if key == "trend":
            out[key] = None if trend is None else TREND_SCORES.get(trend, TREND_OTHER)
        else:
            v = values.get(key)
            out[key] = None if v is None else band(v, bands[key])
    return out


def weighted(scores: dict[str, int | None]) -> int:
    return sum(WEIGHTS[k] * s for k, s in scores.items() if s is not None)


def _candidates(assessment: StrategicAssessment) -> list[tuple[str, str, str, str, dict, str | None]]:
    """(key, subject, sentence, section, percentages, trend) for every candidate with its
    figures published."""
    tables = _tables(assessment)
    heads = dict(assessment.headlines)
    crime = published_number(heads.get("recorded_crime"))
    period = assessment.period.label
    harm: dict[tuple[str, str], float | None] = {}
    if "harm_by_subgroup" in tables:
        for r in _dict_rows(tables["harm_by_subgroup"][1]):
            harm[(str(r.get("offence_group")), str(r.get("offence_subgroup")))] = \
                published_number(r.get("share_pct"))
    vuln = {"Violence against the person": heads.get("domestic_share_of_violence_pct"),
            "Sexual offences": heads.get("sexual_victims_under18_pct"),
            "Rape": heads.get("rape_victims_under18_pct"),
            "Other sexual offences": heads.get("other_sexual_victims_under18_pct")}
    out = []

    def add(key, subject, section, row, harm_share=None, vulnerability=None, volume=True):
        cur, prev = row.get("current"), row.get("previous")
        if _withheld(cur, prev, row.get("change_pct")) or published_number(cur) is None:
            return
        ch = _change(row)
        text = narrative.change_sentence(subject, ch, period)
        vol = (100 * published_number(cur) / crime) if volume and crime else None
        values = {"harm": harm_share, "volume": vol,
                  "vulnerability": published_number(vulnerability)}
        trend = str(row.get("assessment")) if row.get("assessment") else None
        out.append((key, subject, text, section, values, trend))

    if "crime_by_offence_group" in tables:
        section, table = tables["crime_by_offence_group"]
        rows = _dict_rows(table)
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(str(r.get("offence_group")), []).append(r)
        for group, members in groups.items():
            if not group or group == "All recorded crime":
                continue
            subs = [r for r in members if r.get("offence_subgroup") not in ("All", None, "")]
            whole = [r for r in members if r.get("offence_subgroup") == "All"]
            shares = [v for (g, _), v in harm.items() if g == group]
            group_harm = sum(shares) if shares and None not in shares else None
            if whole:
                add(f"offence:{group}", group, section, whole[0], group_harm,
                    vuln.get(group))
            if len(subs) > 1:
                for r in subs:
                    sub = str(r["offence_subgroup"])
                    add(f"offence:{group}/{sub}", sub, section, r, harm.get((group, sub)),
                        vuln.get(sub))
    for key, names in (("violence", ("Most Serious Violence", "Offences with a bladed implement")),
                       ("selected_offences", ("Modern slavery", "Cruelty to children")),
                       ("substances", ("Drug-affected crime", "Alcohol-affected crime"))):
        if key not in tables:
            continue
        section, table = tables[key]
        for r in _dict_rows(table):
            name = r.get("offences") or r.get("measure")
            if name in names:
                add(f"{key}:{name}", str(name), section, r)
    if "overview" in tables:
        section, table = tables["overview"]
        for r in _dict_rows(table):
            if r.get("measure") == "Anti-social behaviour incidents":
                add("asb", "Anti-social behaviour incidents", section, r)
    _repeat(heads, tables, out)
    _place(heads, tables, out)
    return out


def _repeat(heads, tables, out) -> None:
    share = heads.get("repeat_victims_share_of_crimes_pct")
    repeat = heads.get("victims_repeat_pct")
    person = heads.get("crimes_with_person_victim_pct")
    if _withheld(share, repeat) or published_number(share) is None or published_number(repeat) is None:
        return
    text = (f"{published_number(repeat):.1f} % of victims were victims of crime more than once in the "
            f"period, and they account for {published_number(share):.1f} % of crimes with a person "
            "victim.")
    five, five_share = heads.get("victims_5plus"), heads.get("victims_5plus_share_of_crimes_pct")
    if not _withheld(five, five_share) and published_number(five) and published_number(five_share) is not None:
        text += (f" {int(published_number(five)):,} people were victims five or more times "
                 f"({published_number(five_share):.1f} % of those crimes).")
    section = tables["repeat_victimisation"][0] if "repeat_victimisation" in tables else "repeat"
    out.append(("repeat_victims", "Repeat victimisation", text, section,
                {"volume": published_number(person), "concentration": published_number(share)}, None))


def _place(heads, tables, out) -> None:
    excess = heads.get("crime_excess_gini_lsoa")
    above = heads.get("lsoas_above_funnel_95")
    if published_number(excess) is None or _withheld(excess, above):
        return
    half = None
    if "concentration" in tables:
        for r in _dict_rows(tables["concentration"][1]):
            if r.get("places") == "LSOAs":
                half = published_number(r.get("half_share"))
    parts = []
    if half is not None:
        parts.append(f"Half of all crime happened in {half:.1f} % of the area's LSOAs")
    if published_number(above) is not None:
        parts.append(f"{int(published_number(above))} LSOAs have crime rates above the upper 95 % "
                     "funnel limit")
    cells = heads.get("hotspot_cells")
    if published_number(cells) is not None and not _withheld(cells):
        parts.append(f"{int(published_number(cells))} grid cells are statistically significant "
                     "hotspots")
    if not parts:
        return
    text = "; ".join(parts) + "."
    section = tables["crime_by_lsoa"][0] if "crime_by_lsoa" in tables else "place"
    out.append(("place", "Where crime happens", text, section,
                {"volume": 100.0, "concentration": 100 * published_number(excess)}, None))


def rank(candidates: list[tuple[str, str, str, str, dict, str | None]]) -> tuple[Finding, ...]:
    scored = []
    for key, subject, text, section, values, trend in candidates:
        s = score(values, trend)
        scored.append(Finding(key, subject, text, section, s, weighted(s)))
    scored.sort(key=lambda f: (-f.score, f.subject, f.key))
    return tuple(Finding(f.key, f.subject, f.text, f.section, f.scores, f.score, i + 1)
                 for i, f in enumerate(scored))


def _overall(assessment: StrategicAssessment) -> str | None:
    tables = _tables(assessment)
    if "overview" not in tables:
        return None
    for r in _dict_rows(tables["overview"][1]):
        if r.get("measure") == "Police recorded crime" and not _withheld(r.get("current"),
                                                                         r.get("previous")):
            return narrative.change_sentence(
                f"Police recorded crime in {assessment.area_name}", _change(r),
                f"{assessment.period.label} (compared with {assessment.comparison.label})")
    return None


#: The kinds of assessment with findings; the monthly pack has none.
KINDS = ("annual", "serious_violence")


def attach(assessment: StrategicAssessment, previous: dict | None = None
           ) -> StrategicAssessment:
    """The assessment with its findings (and "since the last assessment" against
    ``previous``, a run's assessment.json as read by :func:`load_previous`). The monthly pack
    has no findings."""
    import dataclasses

    if assessment.kind not in KINDS:
        return assessment
    found = build(assessment)
    if previous is not None:
        found = dataclasses.replace(found, since_last=since_last(assessment, found, previous))
    return dataclasses.replace(assessment, findings=found)


def build(assessment: StrategicAssessment) -> Findings:
    """The ranked key findings and the executive summary of a built assessment: the
    Strategic Assessment's candidates, or the needs assessment's (:mod:`.findings_sv`), scored
    and ranked by the one rule."""
    from . import findings_sv

    if assessment.kind == "serious_violence":
        findings = rank(findings_sv.candidates(assessment))
        overall = findings_sv.overall(assessment)
    else:
        findings = rank(_candidates(assessment))
        overall = _overall(assessment)
    summary = []
    if overall:
        summary.append(overall)
    summary += [f.text for f in findings[:SUMMARY_FINDINGS]]
    matrix = assessment.priorities
    if matrix is not None:
        recommended = [p.issue for p in matrix.issues if p.recommended]
        if recommended:
            summary.append(narrative.ranking_sentence(recommended, "The recommended priorities "
                                                      "are, in order"))
    return Findings(summary=tuple(summary), findings=findings)


# --- since the last assessment ------------------------------------------------------------

#: The headline figures compared with the previous run, in this order (label, key).
SINCE_KEYS = (
    ("Police recorded crime", "recorded_crime"),
    ("Anti-social behaviour incidents", "asb_incidents"),
    ("Violent crime, change on the year before (%)", "violent_crime_change_pct"),
    ("Domestic violent crime, change (%)", "domestic_violent_crime_change_pct"),
    ("Hate crime, change (%)", "hate_crime_change_pct"),
    ("Drug offences, change (%)", "drug_offences_change_pct"),
    ("Residential burglary, change (%)", "residential_burglary_change_pct"),
    ("Victims of crime more than once (%)", "victims_repeat_pct"),
    ("People victimised five or more times", "victims_5plus"),
    ("Domestic abuse share of crime (%)", "domestic_share_of_crime_pct"),
    ("LSOAs above the upper 95 % funnel limit", "lsoas_above_funnel_95"),
    ("Hotspot cells", "hotspot_cells"),
)
#: The needs assessment's figures compared with a previous needs assessment.
SINCE_KEYS_SV = (
    ("Serious violence (local definition)", "serious_violence"),
    ("Serious violence per 1,000 residents", "serious_violence_rate_per_1000"),
    ("Public-space serious violence", "public_space_serious_violence"),
    ("Offences with a knife or bladed implement", "bladed_implement_offences"),
    ("Possession of weapons offences", "possession_of_weapons"),
    ("Victims under 25 (%)", "sv_victims_under25_pct"),
    ("Suspects under 25 (%)", "sv_suspects_under25_pct"),
    ("Repeat locations (100 m squares)", "sv_repeat_locations"),
    ("A&E attendances for assault", "ed_assault_attendances"),
    ("Hospital admissions for assault", "assault_admissions"),
    ("First-time entrants", "fte_count"),
)


@dataclass(frozen=True)
class SinceLast:
    previous_period: str
    this_period: str
    figures: tuple[tuple[str, float, float], ...]  # (label, previous run, this run)
    priorities_kept: tuple[str, ...] = ()
    priorities_new: tuple[str, ...] = ()
    priorities_gone: tuple[str, ...] = ()
    top_findings_previous: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()  # priorities and top findings that changed


KIND_NAMES = {"annual": "a strategic assessment", "monthly": "a monthly pack",
              "serious_violence": "a serious violence needs assessment"}


def load_previous(path: str | Path, kind: str = "annual") -> dict:
    """A previous run's assessment.json (or the folder holding it) of the same ``kind`` as
    this run; one sentence when bad."""
    path = Path(path)
    if path.is_dir():
        path = path / "assessment.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise AssessmentError(f"{path}: cannot read the previous assessment ({err}).",
                              fix="Give the assessment.json a previous `safecity assess` "
                                  "wrote, or its folder.") from None
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith(
            "safecity.assessment/"):
        raise AssessmentError(f"{path}: this is not an assessment.json written by safecity "
                              "assess.", fix="Give the assessment.json of a previous run.")
    if data.get("kind", "annual") != kind:
        raise AssessmentError(
            f"{path}: this is {KIND_NAMES.get(data.get('kind'), 'another kind of run')}, not "
            f"{KIND_NAMES.get(kind, kind)}, so its figures cannot be compared with this run's.",
            fix="Give the previous run of the same kind (with --serious-violence, a previous "
                "--serious-violence run).")
    return data


def _published(value) -> float | None:
    """A number from a published file: '[c]' (withheld), '' and None are not numbers."""
    if isinstance(value, str):
        return None
    return published_number(value)


def _covers(previous_period: dict, period) -> bool:
    """Whether a previous run's period (its assessment.json "period") is ``period``."""
    if previous_period.get("start") and previous_period.get("end"):
        return (previous_period["start"] == period.start.isoformat()
                and previous_period["end"] == period.end.isoformat())
    return previous_period.get("label") == period.label


def same_figure_withheld(assessment: StrategicAssessment, previous: dict, key: str) -> bool:
    """Whether the previous run's figure ``key`` is one this run withholds: the previous
    run's period is this run's comparison period (or this period), so
    its figure is this run's ``<key>_previous`` (or ``<key>``), the same count of the same
    records. Shown beside this run's, it would print what this run's disclosure control
    withholds (a partnership that raised its threshold; a complement this run chose). A
    change on the year before is about the year before the previous period, which this run
    does not cover."""
    if key.endswith("_change_pct"):
        return False
    heads = dict(assessment.headlines)
    period = previous.get("period") or {}
    for mine, same in ((f"{key}_previous", _covers(period, assessment.comparison)),
                       (key, _covers(period, assessment.period))):
        if same and isinstance(heads.get(mine), Suppressed):
            return True
    return False


def since_last(assessment: StrategicAssessment, findings: Findings, previous: dict
               ) -> SinceLast:
    """This run's published figures and recommended priorities against the previous run's.

    Only figures published as numbers in both runs are compared (a withheld one is left out and
    not named), and a previous figure this run withholds is left out too
    (:func:`same_figure_withheld`)."""
    heads = dict(assessment.headlines)
    prev_heads = previous.get("headlines") or {}
    rows = []
    keys = SINCE_KEYS_SV if assessment.kind == "serious_violence" else SINCE_KEYS
    for label, key in keys:
        now, then = published_number(heads.get(key)), _published(prev_heads.get(key))
        if now is None or then is None or isinstance(heads.get(key), Suppressed):
            continue
        if same_figure_withheld(assessment, previous, key):
            continue
        rows.append((label, then, now))
    prev_label = ((previous.get("period") or {}).get("label")) or "the previous assessment"
    this_label = assessment.period.label
    now_pri = [p.issue for p in assessment.priorities.issues if p.recommended] \
        if assessment.priorities is not None else []
    prev_pri = [p.get("issue") for p in ((previous.get("priorities") or {}).get("issues") or [])
                if p.get("recommended")]
    kept = tuple(p for p in now_pri if p in prev_pri)
    new = tuple(p for p in now_pri if p not in prev_pri) if prev_pri else ()
    gone = tuple(p for p in prev_pri if p not in now_pri) if now_pri else ()
    prev_findings = tuple(f.get("subject", "") for f in
                          ((previous.get("findings") or {}).get("findings") or [])[:SUMMARY_FINDINGS])
    sentences = []  # what changed in the priorities and the top findings
    if prev_pri and now_pri:
        if kept:
            sentences.append(narrative.ranking_sentence(list(kept), "Recommended again"))
        if new:
            sentences.append(narrative.ranking_sentence(list(new), "Newly recommended"))
        if gone:
            sentences.append(narrative.ranking_sentence(list(gone),
                                                        "Recommended last time but not now"))
    now_top = [f.subject for f in findings.findings[:SUMMARY_FINDINGS]]
    if prev_findings:
        entered = [s for s in now_top if s not in prev_findings]
        if entered:
            sentences.append(narrative.ranking_sentence(
                entered, "New among the top findings since the last assessment"))
    return SinceLast(prev_label, this_label, tuple(rows), kept, new, gone, prev_findings,
                     tuple(sentences))


def since_value(label: str, value: float) -> str:
    """A figure of the since-last table as both runs published it: a count with thousands
    separators, a percentage ("(%)" rows) to its 0.1, a rate to its published decimals (never
    rounded further: 14.66 against 14.68 is not "14.7 against 14.7"). The report and the
    documents print it so.

    >>> [since_value("Crimes", 3703.0), since_value("Share (%)", 18.0),
    ...  since_value("Per 1,000 residents", 14.66)]
    ['3,703', '18.0', '14.66']
    """
    value = float(value)
    if value.is_integer() and not label.endswith("(%)"):
        return f"{int(value):,}"
    return f"{value:,}"
