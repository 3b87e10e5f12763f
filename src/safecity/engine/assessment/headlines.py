"""The rows of ``headlines.csv``: key, value.

Keys are those of ``shared/reference/southampton-2019-20.md`` (exact names) where the data
supports them, first and in the reference's order, then every other key a section defines
(``metrics.py`` holds each key's definition). Comparison-period values carry the suffix
``_previous``; custom-period keys end in ``_period``. A key the data cannot support is left out,
never written as 0.
"""

from __future__ import annotations

from .model import Value

#: Keys of the published reference, in its order (the calibration target of the demo).
REFERENCE_KEYS = (
    "recorded_crime", "asb_incidents", "asb_incidents_previous", "asb_incidents_change_pct",
    "alcohol_affected_crime", "alcohol_affected_crime_previous",
    "alcohol_affected_crime_change_pct", "violent_crime_change_pct",
    "domestic_violent_crime_change_pct", "sexual_offences_rape_change_pct",
    "hate_crime_change_pct", "drug_offences_change_pct", "drug_affected_crime_change_pct",
    "stalking_harassment_change_pct", "modern_slavery_change_pct",
    "cruelty_to_children_change_pct", "most_serious_violence_change_pct", "arson_change_pct",
    "residential_burglary_change_pct", "other_sexual_offences_change_pct",
    "bladed_implement_offences_change_pct",
    "unique_person_victims", "crimes_with_person_victim_pct", "victims_one_crime_pct",
    "victims_one_crime_pct_previous", "victims_repeat_pct", "repeat_victims_share_of_crimes_pct",
    "victims_5plus", "victims_5plus_previous", "victims_5plus_pct", "victims_5plus_crimes",
    "victims_5plus_share_of_crimes_pct",
    "domestic_share_of_crime_pct", "domestic_by_partner_pct", "domestic_share_of_violence_pct",
    "domestic_rate_ratio_most_vs_least_deprived", "domestic_victims_under18_pct",
    "domestic_victims_18_24_pct", "domestic_victims_25_34_pct", "domestic_victims_35_49_pct",
    "domestic_victims_female_pct", "domestic_offenders", "domestic_offenders_under18_pct",
    "domestic_offenders_18_24_pct", "domestic_offenders_25_34_pct",
    "domestic_offenders_35_49_pct", "domestic_offenders_male_pct",
    "hrda_referrals_with_children_pct",
    "sexual_offence_victims", "sexual_victims_under18_pct", "sexual_victims_female_pct",
    "rape_victims_under18_pct", "rape_victims_18_24_pct", "rape_victims_25_34_pct",
    "other_sexual_victims_under18_pct", "sexual_offence_offenders", "sexual_offenders_18_24_pct",
    "sexual_offenders_25_34_pct", "sexual_offenders_35_49_pct", "sexual_offenders_male_pct",
    "sexual_offences_non_recent_pct", "rape_non_recent_pct", "other_sexual_non_recent_pct",
    "rape_domestic_pct", "other_sexual_domestic_pct", "rape_by_partner_pct",
    "rape_by_acquaintance_pct",
    "hate_race_period", "hate_race_period_previous", "hate_five_strands_period",
    "hate_five_strands_period_previous",
    "population",
)


def assemble(per_section: list[dict[str, Value]]) -> tuple[tuple[str, Value], ...]:
    """Merge the sections' headline dicts into ordered (key, value) rows; None is left out."""
    merged: dict[str, Value] = {}
    for heads in per_section:
        for key, value in heads.items():
            if value is not None:
                merged.setdefault(key, value)
    ordered = [k for k in REFERENCE_KEYS if k in merged]
    ordered += sorted(k for k in merged if k not in REFERENCE_KEYS)
    return tuple((k, merged[k]) for k in ordered)
