"""The priority-setting matrix (issue #12): every candidate issue scored 1-5 on harm, volume,
trend, vulnerability, public concern and partnership capacity, weighted, ranked, and compared
with the current strategy's priorities (keep / add / drop): those of the web app's scorecard
export when ``--progress`` gives one (``engine/strategy_export.py``), else the input YAML's.

It counts nothing. Harm, volume, trend and vulnerability are read from the built assessment's
published tables and headlines, which disclosure control has already protected (the figures come
from ``safecity.engine.figures`` through the sections). A withheld value (``model.Suppressed``) or
an absent one leaves its criterion unscored; it is never used and never named. Public concern
(from the partnership's consultation) and capacity (the analyst's judgement) come from the input
YAML, see :data:`RULES` (also in docs/metrics.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AssessmentError
from .model import StrategicAssessment, Suppressed

CRITERIA = ("harm", "volume", "trend", "vulnerability", "public_concern", "capacity")
DEFAULT_WEIGHTS = {"harm": 3, "volume": 2, "trend": 2, "vulnerability": 2,
                   "public_concern": 1, "capacity": 1}
DEFAULT_RECOMMEND = 5

#: (lower bound, score), first match wins: a percentage scores 5 when at least the first bound.
HARM_BANDS = ((20, 5), (10, 4), (5, 3), (1, 2), (float("-inf"), 1))
VOLUME_BANDS = ((20, 5), (10, 4), (5, 3), (1, 2), (float("-inf"), 1))
VULNERABILITY_BANDS = ((40, 5), (30, 4), (20, 3), (10, 2), (float("-inf"), 1))
TREND_SCORES = {"significant increase": 5, "significant decrease": 1}
TREND_OTHER = 3  # not significant, or too few to test: no evidence of change


@dataclass(frozen=True)
class Candidate:
    """Where a candidate issue's published figures are. ``row`` picks the row (column -> value)
    of table ``table`` holding its count (``current``) and tested change (``assessment``);
    ``harm`` selects the rows of ``harm_by_subgroup`` whose ``share_pct`` add up to its share of
    harm; ``vulnerability`` is a headline percentage and what it measures."""

    name: str
    table: str
    row: tuple[tuple[str, str], ...]
    harm: tuple[tuple[str, str], ...] = ()
    vulnerability: tuple[str, str] | None = None
    #: the scorecard metrics (engine/indicators.METRICS) that measure this issue: a strategy
    #: priority with an indicator on one of them is a current priority for this issue
    metrics: tuple[str, ...] = ()


def _g(group: str) -> tuple[tuple[str, str], ...]:
    return (("offence_group", group), ("offence_subgroup", "All"))


CANDIDATES = (
    Candidate("Violence against the person", "crime_by_offence_group",
              _g("Violence against the person"),
              (("offence_group", "Violence against the person"),),
              ("domestic_share_of_violence_pct", "share that is domestic abuse"),
              ("violence_against_the_person", "domestic_violent_crime",
               "most_serious_violence")),
    Candidate("Stalking and harassment", "violence", (("offences", "Stalking and harassment"),),
              (("offence_subgroup", "Stalking and harassment"),)),
    Candidate("Sexual offences", "crime_by_offence_group", _g("Sexual offences"),
              (("offence_group", "Sexual offences"),),
              ("sexual_victims_under18_pct", "share of victims under 18"), ("sexual_offences",)),
    Candidate("Residential burglary", "crime_by_offence_group",
              (("offence_group", "Theft offences"), ("offence_subgroup", "Residential burglary")),
              (("offence_subgroup", "Residential burglary"),), metrics=("residential_burglary",)),
    Candidate("Robbery", "crime_by_offence_group", _g("Robbery"),
              (("offence_group", "Robbery"),)),
    Candidate("Drug offences", "crime_by_offence_group", _g("Drug offences"),
              (("offence_group", "Drug offences"),), metrics=("drug_offences",)),
    Candidate("Possession of weapons", "crime_by_offence_group",
              _g("Possession of weapons offences"),
              (("offence_group", "Possession of weapons offences"),)),
    Candidate("Criminal damage and arson", "crime_by_offence_group",
              _g("Criminal damage and arson"),
              (("offence_group", "Criminal damage and arson"),)),
    Candidate("Public order offences", "crime_by_offence_group", _g("Public order offences"),
              (("offence_group", "Public order offences"),)),
    Candidate("Shoplifting", "crime_by_offence_group",
              (("offence_group", "Theft offences"), ("offence_subgroup", "Shoplifting")),
              (("offence_subgroup", "Shoplifting"),)),
    Candidate("Anti-social behaviour", "overview",
              (("measure", "Anti-social behaviour incidents"),), metrics=("asb_incidents",)),
    Candidate("Drug-affected crime", "substances", (("measure", "Drug-affected crime"),),
              metrics=("drug_affected_crime",)),
    Candidate("Alcohol-affected crime", "substances", (("measure", "Alcohol-affected crime"),),
              metrics=("alcohol_affected_crime",)),
)

_METRIC_TABLE = "; ".join(f"{c.name}: " + ", ".join(f"`{m}`" for m in c.metrics)
                          for c in CANDIDATES if c.metrics)

RULES = f"""Every candidate issue is scored 1 (low) to 5 (high) on six criteria. Harm, volume,
trend and vulnerability are read from the assessment's own published figures; a figure that is
withheld (small numbers) or not available leaves its criterion unscored, and it is never used or
named. Public concern and capacity come from the partnership's input file
(`safecity assess ... --priorities INPUT.yaml`).

| Criterion | Figure | Score |
|---|---|---|
| harm | the issue's share of the area's Crime Severity Score harm (`harm_by_subgroup.share_pct`, summed over its subgroups) | ≥20 % 5, ≥10 % 4, ≥5 % 3, ≥1 % 2, else 1; ASB and flagged crime (drug-/alcohol-affected) have no harm score |
| volume | the issue's count as a percentage of police recorded crime in the period | ≥20 % 5, ≥10 % 4, ≥5 % 3, ≥1 % 2, else 1 |
| trend | the tested change on the comparison period (`assessment` column) | significant increase 5, significant decrease 1, otherwise {TREND_OTHER} |
| vulnerability | a published share of vulnerable victims (violence: share domestic; sexual offences: victims under 18) | ≥40 % 5, ≥30 % 4, ≥20 % 3, ≥10 % 2, else 1 |
| public_concern | the consultation's score for the issue, 1-5, from the input file | as given |
| capacity | the analyst's score of the partnership's capacity to make a difference, 1-5 | as given |

Weights (defaults, overridable under `weights:` in the input file): harm
{DEFAULT_WEIGHTS['harm']}, volume {DEFAULT_WEIGHTS['volume']}, trend {DEFAULT_WEIGHTS['trend']},
vulnerability {DEFAULT_WEIGHTS['vulnerability']}, public concern
{DEFAULT_WEIGHTS['public_concern']}, capacity {DEFAULT_WEIGHTS['capacity']}. The total is the
weighted mean of the criteria scored, Σ weight·score / Σ weight (so 1-5, two decimals); an
unscored criterion drops out of both sums. Issues are ranked by total (ties by name); the top
`recommend:` ({DEFAULT_RECOMMEND} by default) are the recommended priorities. Each of the current
strategy's priorities (`current_priorities:`) is then *kept* (also recommended), *dropped* (not
recommended) or, when the assessment has no figures for it, marked *review*; each recommended
issue not already a priority is *added*.

**Where the current priorities come from.** When `--progress` gives the web app's scorecard
export (Strategy → Scorecard → Excel), its Strategy sheet is read: the strategy's priorities with
their measures (each indicator's metric). A strategy priority stands for the issues its measures
measure ({_METRIC_TABLE}), or the issue with its very name; it is *kept* when one of them is
recommended, *dropped* when they are all scored below the recommended, and marked *review* when
the matrix scores none of them. The export carries the partnership's area code: an export of
another area, or one too old to say, is refused. Without `--progress`, `current_priorities:` in
the input file is used.

Input file:

```yaml
current_priorities: [Violence against the person, Anti-social behaviour]
recommend: 5
weights: {{harm: 3, volume: 2, trend: 2, vulnerability: 2, public_concern: 1, capacity: 1}}
issues:
  Violence against the person: {{public_concern: 4, capacity: 3}}
  Anti-social behaviour: {{public_concern: 5, capacity: 4}}
```
"""


@dataclass(frozen=True)
class PriorityScore:
    issue: str
    scores: dict[str, int | None]  # criterion -> 1-5, None when not scored
    basis: dict[str, str]  # criterion -> the published figure it was scored from, in words
    total: float
    rank: int
    recommended: bool


@dataclass(frozen=True)
class PriorityComparison:
    issue: str
    decision: str  # keep, add, drop, review
    reason: str


@dataclass(frozen=True)
class PriorityMatrix:
    weights: dict[str, float]
    recommend: int
    issues: tuple[PriorityScore, ...]
    comparison: tuple[PriorityComparison, ...]
    current_from: str = ""  # where the current priorities were read, in words


@dataclass(frozen=True)
class CurrentPriority:
    """One of the current strategy's priorities and the candidate issues it stands for."""

    title: str
    issues: tuple[str, ...]
    measures: tuple[str, ...] = ()  # the names of its measures, as the strategy has them


def current_from_names(names) -> list[CurrentPriority]:
    """The input file's ``current_priorities``: each name is the issue of that name."""
    return [CurrentPriority(n, (n,)) for n in names]


def current_from_export(export) -> list[CurrentPriority]:
    """The strategy's priorities from the web app's export (``strategy_export.read_strategy``):
    each stands for the issues its measures' metrics measure, or the issue with its name."""
    out = []
    for p in export.priorities:
        issues = tuple(c.name for c in CANDIDATES
                       if c.name.lower() == p.title.lower() or set(c.metrics) & p.metrics)
        out.append(CurrentPriority(p.title, issues,
                                   tuple(name or metric for name, metric in p.measures)))
    return out


def band(value: float, bands) -> int:
    return next(score for bound, score in bands if value >= bound)


def published_number(value) -> float | None:
    """A published number, or None (absent, withheld or not numeric: never used)."""
    if value is None or isinstance(value, (Suppressed, bool)):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _table(assessment: StrategicAssessment, key: str):
    for section in assessment.sections:
        for table in section.tables:
            if table.key == key:
                return table
    return None


def _rows(table, match) -> list[dict]:
    if table is None:
        return []
    keys = [c.key for c in table.columns]
    rows = [dict(zip(keys, r)) for r in table.rows]
    return [r for r in rows if all(r.get(k) == v for k, v in match)]


def published(assessment: StrategicAssessment, c: Candidate) -> dict[str, Any]:
    """The candidate's published figures (None when absent or withheld): volume share %,
    trend wording, harm share %, vulnerability %."""
    heads = dict(assessment.headlines)
    crime = published_number(heads.get("recorded_crime"))
    rows = _rows(_table(assessment, c.table), c.row)
    row = rows[0] if len(rows) == 1 else {}
    count = published_number(row.get("current"))
    trend = row.get("assessment")
    trend = trend if isinstance(trend, str) and not isinstance(row.get("current"), Suppressed) \
        else None
    harm = None
    if c.harm:
        harm_rows = []
        for match in c.harm:
            harm_rows += _rows(_table(assessment, "harm_by_subgroup"), (match,))
        shares = [published_number(r.get("share_pct")) for r in harm_rows]
        harm = sum(shares) if harm_rows and None not in shares else None
    vuln = published_number(heads.get(c.vulnerability[0])) if c.vulnerability else None
    return {"volume": (100 * count / crime) if count is not None and crime else None,
            "count": count, "trend": trend, "harm": harm, "vulnerability": vuln}


def score_issue(figures: dict[str, Any], given: dict[str, Any]) -> tuple[dict, dict]:
    """Scores 1-5 (None = not scored) and the basis of each, from published figures (``harm``,
    ``volume``, ``vulnerability`` as percentages, ``trend`` as the assessment wording) and the
    partnership's inputs (``public_concern``, ``capacity``)."""
    scores: dict[str, int | None] = dict.fromkeys(CRITERIA)
    basis: dict[str, str] = dict.fromkeys(CRITERIA, "not scored")
    if figures.get("harm") is not None:
        scores["harm"] = band(figures["harm"], HARM_BANDS)
        basis["harm"] = f"{figures['harm']:.1f}% of harm"
    if figures.get("volume") is not None:
        scores["volume"] = band(figures["volume"], VOLUME_BANDS)
        basis["volume"] = f"{figures['volume']:.1f}% of recorded crime"
    if figures.get("trend"):
        scores["trend"] = TREND_SCORES.get(figures["trend"], TREND_OTHER)
        basis["trend"] = figures["trend"]
    if figures.get("vulnerability") is not None:
        scores["vulnerability"] = band(figures["vulnerability"], VULNERABILITY_BANDS)
        basis["vulnerability"] = f"{figures['vulnerability']:.1f}%"
    for key in ("public_concern", "capacity"):
        if given.get(key) is not None:
            scores[key] = int(given[key])
            basis[key] = "input file"
    return scores, basis


def total(scores: dict[str, int | None], weights: dict[str, float]) -> float:
    used = [(weights[k], s) for k, s in scores.items() if s is not None and weights.get(k)]
    if not used:
        return 0.0
    return round(sum(w * s for w, s in used) / sum(w for w, _ in used), 2)


def rank(scored: list[tuple[str, dict, dict]], weights: dict[str, float], recommend: int,
         current, current_from: str = "") -> PriorityMatrix:
    """Rank (issue, scores, basis) by weighted total and compare with ``current`` (issue names,
    or :class:`CurrentPriority`)."""
    totals = sorted(((total(s, weights), name, s, b) for name, s, b in scored),
                    key=lambda t: (-t[0], t[1]))
    issues = tuple(PriorityScore(issue=name, scores=s, basis=b, total=t, rank=i + 1,
                                 recommended=i < recommend)
                   for i, (t, name, s, b) in enumerate(totals))
    by_name = {p.issue: p for p in issues}
    current = [c if isinstance(c, CurrentPriority) else CurrentPriority(c, (c,))
               for c in current]
    comparison = []
    covered: set[str] = set()
    for cur in current:
        name = cur.title
        scored_issues = sorted((by_name[i] for i in cur.issues if i in by_name),
                               key=lambda p: p.rank)
        covered.update(cur.issues)
        if not scored_issues:
            what = (f" (measured by {', '.join(cur.measures)})" if cur.measures else "")
            comparison.append(PriorityComparison(
                name, "review", f"{name} is a current priority{what} the assessment has no "
                                "figures for; review it on other evidence."))
            continue
        p = next((q for q in scored_issues if q.recommended), scored_issues[0])
        as_issue = "" if p.issue == name else f" (as {p.issue})"
        if p.recommended:
            comparison.append(PriorityComparison(
                name, "keep", f"Keep {name}{as_issue}: ranked {p.rank} of {len(issues)} "
                              f"(score {p.total:.2f}){_strongest(p)}."))
        else:
            comparison.append(PriorityComparison(
                name, "drop", f"Drop {name}{as_issue}: ranked {p.rank} of {len(issues)} (score "
                              f"{p.total:.2f}), below the {recommend} recommended."))
    for p in issues:
        if p.recommended and p.issue not in covered:
            comparison.append(PriorityComparison(
                p.issue, "add", f"Add {p.issue}: ranked {p.rank} of {len(issues)} "
                                f"(score {p.total:.2f}){_strongest(p)}."))
    return PriorityMatrix(weights=dict(weights), recommend=recommend, issues=issues,
                          comparison=tuple(comparison), current_from=current_from)


def _strongest(p: PriorityScore) -> str:
    high = [k.replace("_", " ") for k in CRITERIA if p.scores.get(k) == 5]
    return f", scoring 5 on {', '.join(high)}" if high else ""


def load_input(path: str | Path) -> dict[str, Any]:
    """Read and check the priorities input file; AssessmentError (one sentence) when bad."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise AssessmentError(f"{path}: cannot read the priorities input ({err}).") from None
    if not isinstance(data, dict):
        raise AssessmentError(f"{path}: the priorities input must be a mapping with "
                              "current_priorities, issues and optional weights and recommend.")

    def bad(what: str):
        return AssessmentError(f"{path}: {what} (see docs/metrics.md, Priority-setting matrix).")

    current = data.get("current_priorities") or []
    if not isinstance(current, list) or not all(isinstance(c, str) for c in current):
        raise bad("current_priorities must be a list of issue names")
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (data.get("weights") or {}).items():
        if key not in CRITERIA:
            raise bad(f"weights has an unknown criterion {key!r}; use {', '.join(CRITERIA)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise bad(f"the weight of {key} must be a number of 0 or more, not {value!r}")
        weights[key] = value
    recommend = data.get("recommend", DEFAULT_RECOMMEND)
    if isinstance(recommend, bool) or not isinstance(recommend, int) or recommend < 1:
        raise bad(f"recommend must be a whole number of 1 or more, not {recommend!r}")
    issues = data.get("issues") or {}
    if not isinstance(issues, dict):
        raise bad("issues must map each issue name to its public_concern and capacity")
    for name, given in issues.items():
        for key, value in (given or {}).items():
            if key not in ("public_concern", "capacity"):
                raise bad(f"issue {name!r} has an unknown field {key!r}; use public_concern, "
                          "capacity")
            if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
                raise bad(f"issue {name!r}: {key} must be a whole number 1-5, not {value!r}")
    return {"current": current, "weights": weights, "recommend": recommend,
            "issues": {str(k): (v or {}) for k, v in issues.items()}, "path": str(path)}


def build(assessment: StrategicAssessment, spec: dict[str, Any], export=None) -> PriorityMatrix:
    """The matrix of the assessment's candidate issues (those with any published figure),
    compared with the current priorities of the web app's export (``strategy_export.
    read_strategy``) when given, else with the input file's ``current_priorities``."""
    names = {c.name for c in CANDIDATES}
    unknown = sorted(set(spec["issues"]) - names)
    if unknown:
        raise AssessmentError(f"The priorities input names issues the assessment does not "
                              f"score: {', '.join(unknown)}; use {', '.join(sorted(names))}.")
    scored = []
    for c in CANDIDATES:
        figures = published(assessment, c)
        if all(figures[k] is None for k in ("volume", "trend", "harm", "vulnerability")):
            continue  # nothing published for it in this assessment
        scores, basis = score_issue(figures, spec["issues"].get(c.name, {}))
        scored.append((c.name, scores, basis))
    if export is not None:
        current = current_from_export(export)
        source = (f"the web app's scorecard export of {export.strategy or 'the strategy'}"
                  f"{' (' + export.partnership + ')' if export.partnership else ''}, "
                  f"{Path(export.path).name}"
                  + (" (the input file's current_priorities are not used)"
                     if spec["current"] else ""))
    else:
        current = current_from_names(spec["current"])
        source = (f"the priorities input file, {Path(spec['path']).name}"
                  if spec.get("path") else "the priorities input")
    return rank(scored, spec["weights"], spec["recommend"], current, source)


CSV_COLUMNS = ("rank", "issue", *CRITERIA, "total", "recommended")


def csv_rows(matrix: PriorityMatrix) -> list[list]:
    return [[p.rank, p.issue, *("" if p.scores[k] is None else p.scores[k] for k in CRITERIA),
             f"{p.total:.2f}", "yes" if p.recommended else "no"] for p in matrix.issues]
