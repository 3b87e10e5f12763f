"""The attacker reads "Since the last assessment" (``safecity assess --previous RUN``).

The table puts a previous run's published figures beside this run's. A reader knows what each
row is from its label (the figure's definition in docs/metrics.md) and which period each column
is (the table's headings are the two runs' period labels):

- the "this run" column is this run's figure: the same quantity as its headline;
- the "previous run" column is the previous run's figure for the previous run's period. When
  that period is this run's comparison period it is the same quantity as this run's
  ``<key>_previous`` headline (the comparison value), and when it is this run's own period (a
  re-run) the same as ``<key>``. A change on the year before (``*_change_pct``) of the previous
  run is about the year before *its* period too, which this run does not cover: no relation.

Each such number is given to the section readers as if a headline had published it, so it enters
every relation the definitions give (a repeat-victim band from its share, a band from the
others); a number for a figure this run withholds is recovered outright. A row whose label the
attacker does not know fails the read: every row is modelled. Nothing here imports the product.
"""

from __future__ import annotations

#: The rows' labels and the headline each is (from docs/metrics.md's definitions).
LABELS = {
    "Police recorded crime": "recorded_crime",
    "Anti-social behaviour incidents": "asb_incidents",
    "Violent crime, change on the year before (%)": "violent_crime_change_pct",
    "Domestic violent crime, change (%)": "domestic_violent_crime_change_pct",
    "Hate crime, change (%)": "hate_crime_change_pct",
    "Drug offences, change (%)": "drug_offences_change_pct",
    "Residential burglary, change (%)": "residential_burglary_change_pct",
    "Victims of crime more than once (%)": "victims_repeat_pct",
    "People victimised five or more times": "victims_5plus",
    "Domestic abuse share of crime (%)": "domestic_share_of_crime_pct",
    "LSOAs above the upper 95 % funnel limit": "lsoas_above_funnel_95",
    "Hotspot cells": "hotspot_cells",
    # the serious violence needs assessment's
    "Serious violence (local definition)": "serious_violence",
    "Serious violence per 1,000 residents": "serious_violence_rate_per_1000",
    "Public-space serious violence": "public_space_serious_violence",
    "Offences with a knife or bladed implement": "bladed_implement_offences",
    "Possession of weapons offences": "possession_of_weapons",
    "Victims under 25 (%)": "sv_victims_under25_pct",
    "Suspects under 25 (%)": "sv_suspects_under25_pct",
    "Repeat locations (100 m squares)": "sv_repeat_locations",
    "A&E attendances for assault": "ed_assault_attendances",
    "Hospital admissions for assault": "assault_admissions",
    "First-time entrants": "fte_count",
}
C = "[c]"


def _text(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def merge(at, data: dict, heads) -> list[tuple[str, str]]:
    """Put the since-last table's numbers among ``heads`` (before the section readers run);
    returns (label, headline key) of every number placed, for :func:`check`."""
    since = (data.get("findings") or {}).get("since_last")
    if not since:
        return []
    this = (data.get("period") or {}).get("label")
    comparison = (data.get("comparison") or {}).get("label")
    before = since.get("previous_period")
    placed = []
    for label, then, now in since.get("figures", ()):
        key = LABELS.get(label)
        if key is None:
            raise AssertionError(f"'Since the last assessment' has a row the attacker does not "
                                 f"model: {label!r} (attacker_since.LABELS)")
        sides = [(key, now, f"this run ({this})")]
        if not key.endswith("_change_pct"):
            if before == comparison:
                sides.append((f"{key}_previous", then, f"the previous run ({before})"))
            elif before == this:
                sides.append((key, then, f"the previous run ({before})"))
        for name, value, where in sides:
            shown = heads.get(name)
            text = _text(value)
            if shown == C:
                at.leaks.append(f"'Since the last assessment' shows {label} of {where} as "
                                f"{text}, which headlines.csv withholds ({name})")
            elif shown in (None, ""):
                dict.__setitem__(heads, name, text)  # not a lookup: the readers' reads count
                placed.append((label, name))
            # a number both publish: the same figure (or a revision between the runs)
    return placed


def check(heads, placed: list[tuple[str, str]], declared) -> None:
    """Every number placed was read by a section reader, or its figure is declared free of
    withheld counts (``declared``: the stems of attacker.NO_WITHHELD_HEADLINE)."""
    import re

    for label, name in placed:
        stem = re.sub(r"(_previous|_change_pct)+$", "", name)
        if name not in heads.read_keys and stem not in declared:
            raise AssertionError(f"'Since the last assessment' row {label!r} ({name}) is read "
                                 "by no section reader and not declared free of withheld counts")
