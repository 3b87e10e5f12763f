"""The candidate findings of the Serious Violence Duty needs assessment (``safecity assess
--serious-violence``), scored and ranked by the same rule as the Strategic Assessment's
(``findings.score``/``findings.rank``): only where a criterion's figure comes from differs
(:data:`RULES`, also in docs/metrics.md).

Like :mod:`.findings` it counts nothing: every figure is read back from the needs assessment's
published (disclosure-protected) tables and headlines, and a candidate with a withheld count or
comparison is left out whole, never named.
"""

from __future__ import annotations

from .model import StrategicAssessment
from .priorities import published_number

RULES = """The needs assessment's findings are scored and ranked by the same rule, bands and weights
as the Strategic Assessment's; its figures are the serious violence sections':

| Criterion | Figure |
|---|---|
| harm | not scored (the needs assessment computes no Crime Severity Score harm) |
| volume | a crime measure's count (the local definition, public-space violence, knife and weapon offences, an offence subgroup) as a % of serious violence under the local definition |
| trend | the E-test on the comparison period (the table's `assessment` column), for every measure, the health and ambulance partners' included |
| concentration | repeat locations: the share of serious violence in 100 m squares with 3 or more crimes (`sv_repeat_location_crimes_pct`); times: the share on Friday and Saturday evenings and the nights after (`sv_weekend_night_pct`) |
| vulnerability | victims and suspects under 25: the share of victims under 25 (`sv_victims_under25_pct`) |

Serious violence as a whole is not a finding: the executive summary opens with its change,
followed by the top five findings. An offence subgroup named like a measure (possession of
weapons offences) is that measure, once.
"""

#: Tables of measures (one row each, with the change columns), in the order read; crime
#: measures score volume against serious violence, partner measures do not.
CRIME_MEASURES = ("sv_measures", "sv_public_space", "sv_weapons")
PARTNER_MEASURES = ("health_measures", "ambulance_measures")
DEFINITION = "Serious violence"


def candidates(assessment: StrategicAssessment) -> list[tuple]:
    """(key, subject, sentence, section, percentages, trend) for every candidate with its
    figures published."""
    from .findings import _change, _dict_rows, _tables, _withheld
    from . import narrative

    tables = _tables(assessment)
    heads = dict(assessment.headlines)
    period = assessment.period.label
    total = published_number(heads.get("serious_violence"))
    if _withheld(heads.get("serious_violence")):
        total = None
    out: list[tuple] = []

    def add(key, subject, section, row, volume=True, vulnerability=None):
        cur, prev = row.get("current"), row.get("previous")
        if _withheld(cur, prev, row.get("change_pct")) or published_number(cur) is None:
            return
        text = narrative.change_sentence(subject, _change(row), period)
        vol = 100 * published_number(cur) / total if volume and total else None
        trend = str(row.get("assessment")) if row.get("assessment") else None
        out.append((key, subject, text, section, {"volume": vol, "vulnerability": vulnerability},
                    trend))

    # serious violence as a whole is the summary's first sentence (:func:`overall`), not a
    # finding; a subgroup named like a measure (possession of weapons) is that measure
    named = {DEFINITION}
    for key in CRIME_MEASURES + PARTNER_MEASURES:
        if key not in tables:
            continue
        section, table = tables[key]
        for r in _dict_rows(table):
            name = str(r.get("measure"))
            if name not in named:
                named.add(name)
                add(f"{key}:{name}", name, section, r, volume=key in CRIME_MEASURES)
    if "sv_by_subgroup" in tables:
        section, table = tables["sv_by_subgroup"]
        rows = _dict_rows(table)
        if len(rows) > 1:
            for r in rows:
                name = str(r.get("subgroup"))
                if name not in named:
                    add(f"sv_subgroup:{name}", name, section, r)
    _people(heads, tables, out)
    _places(heads, tables, out)
    _times(assessment, heads, out)
    return out


def _people(heads, tables, out) -> None:
    from .findings import _withheld

    victims, suspects = heads.get("sv_victims_under25_pct"), heads.get("sv_suspects_under25_pct")
    shown = [(who, published_number(v)) for who, v in (("victims", victims),
                                                       ("suspects", suspects))
             if not _withheld(v) and published_number(v) is not None]
    if not shown:
        return
    text = (" and ".join(f"{v:.1f} % of {who}" for who, v in shown)
            + " of serious violence whose age is recorded were under 25.")
    vulnerability = dict(shown).get("victims")
    out.append(("sv_people", "Victims and suspects under 25", text, "sv_people",
                {"vulnerability": vulnerability}, None))


def _places(heads, tables, out) -> None:
    from .findings import _withheld

    places, share = heads.get("sv_repeat_locations"), heads.get("sv_repeat_location_crimes_pct")
    if _withheld(places, share) or published_number(places) is None \
            or published_number(share) is None or not published_number(places):
        return
    text = (f"{int(published_number(places)):,} repeat locations (100 m squares with 3 or more "
            f"crimes) had {published_number(share):.1f} % of serious violence.")
    out.append(("sv_places", "Repeat locations", text, "sv_places",
                {"concentration": published_number(share)}, None))


def _times(assessment, heads, out) -> None:
    from .findings import _withheld

    weekend = heads.get("sv_weekend_night_pct")
    if _withheld(weekend) or published_number(weekend) is None:
        return
    sentences = [s for sec in assessment.sections if sec.key == "sv_times"
                 for s in sec.narrative]
    if not sentences:
        return
    out.append(("sv_times", "When serious violence happens", sentences[0], "sv_times",
                {"concentration": published_number(weekend)}, None))


def overall(assessment: StrategicAssessment) -> str | None:
    """The change in serious violence under the local definition, the summary's first
    sentence."""
    from .findings import _change, _dict_rows, _tables, _withheld
    from . import narrative

    tables = _tables(assessment)
    if "sv_measures" not in tables:
        return None
    for r in _dict_rows(tables["sv_measures"][1]):
        if r.get("measure") == DEFINITION and not _withheld(r.get("current"), r.get("previous")):
            return narrative.change_sentence(
                f"Serious violence in {assessment.area_name}", _change(r),
                f"{assessment.period.label} (compared with {assessment.comparison.label})")
    return None
