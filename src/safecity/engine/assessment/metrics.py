"""Every figure's definition: the report appendix and ``docs/metrics.md`` come from here.

A metric key names a figure in ``headlines.csv`` and ``assessment.json``. A key ending in
``_previous`` is the same figure for the comparison period; keys with a ``<placeholder>`` stand
for a family (one per police.uk category, strand…). ``definition_for(key)`` finds the entry of any
key the assessment writes; ``render_markdown()`` writes docs/metrics.md (a test keeps it current).
"""

from __future__ import annotations

import re

from ..coverage import COVERAGE_RULE
from ..figures import AREA_RULE, NTE_RULE
from .model import MetricDefinition

_CRIMES = "crimes: crime_ref, recorded_date"
_GROUP = "crimes: offence_code → offence_group, offence_subgroup (classification)"
_VICT = "victims: person_key, victim_type, age, sex, relationship; crimes: recorded_date"
_SUSP = "suspects: person_key, age, sex; crimes: recorded_date"
_CHANGE = ("(this period − comparison period) / comparison period × 100, to 1 decimal place; "
           "None when the comparison count is 0. Significance: Poisson E-test.")
_FY = "Recorded in the period (recorded_date from start to end inclusive); crimes in the area."


BENCHMARK_INPUT = (
    "Either the Home Office police recorded crime open-data table by CSP (`--benchmark FILE` or "
    "setting `benchmark_table`; CSV or XLSX; the header may sit below a title block) with the "
    "columns `Financial Year` (\"2019/20\" or \"2019-20\"; other years are ignored), `CSP Name` "
    "or `CSP Code` (names are matched to the ONS CSP list, unmatched names are reported), "
    "`Offence Group` and `Number of Offences` (quarters are summed; `Financial Quarter`, `Force "
    "Name`, `Offence Subgroup`, `Offence Code` and `Offence Description` are read if present and "
    "otherwise ignored); or data.police.uk months loaded in the warehouse for other areas, "
    "aggregated to CSPs by LSOA (LSOA → district → CSP), with British Transport Police and ASB "
    "rows left out. Populations are ONS mid-2019 CSP populations. A force area with no file for "
    "a month is named as missing, and its CSPs are never ranked; the number left out is stated."
)


def _m(key, name, definition, source_fields, filters=_FY, caveats="") -> MetricDefinition:
    return MetricDefinition(key, name, definition, source_fields, filters, caveats)


def _change(key: str, name: str, selection: str, fields: str, caveats: str = ""
            ) -> list[MetricDefinition]:
    base = key.replace("_change_pct", "")
    return [_m(base, name, f"Number of {selection}.", fields, caveats=caveats),
            _m(key, f"{name}: change on the comparison period (%)",
               f"Change in the number of {selection}: {_CHANGE}", fields, caveats=caveats)]


def _pct(key, name, numerator, denominator, fields, caveats="", filters=_FY):
    return _m(key, name, f"{numerator} as a percentage of {denominator}, to 1 decimal place.",
              fields, filters, caveats)


_BAND_TEXT = {"under18": "under 18", "18_24": "aged 18 to 24", "25_34": "aged 25 to 34",
              "35_49": "aged 35 to 49", "50_64": "aged 50 to 64", "65plus": "aged 65 or over"}


def _profile(prefix: str, who: str, of: str, fields: str, bands, sex: str):
    out = []
    for band in bands:
        out.append(_pct(f"{prefix}_{band}_pct", f"{who.capitalize()} {_BAND_TEXT[band]} (%)",
                        f"Distinct {who} of {of} {_BAND_TEXT[band]} (age at their first such "
                        "crime of the period)", f"distinct {who} whose age is recorded", fields))
    out.append(_pct(f"{prefix}_{sex}_pct", f"{who.capitalize()} who are {sex} (%)",
                    f"Distinct {who} of {of} recorded as {sex}",
                    f"distinct {who} whose sex is recorded (female, male or other)", fields))
    return out


#: The monthly pack's priorities (assessment/pack_priorities.py) with headlines of their own.
_PACK_PRIORITIES = (
    ("domestic_abuse", "Domestic abuse crimes", "domestic_abuse_crimes", "crimes: domestic_abuse"),
    ("hate_crime", "Hate crimes", "hate_crime",
     "crimes: hate_<strand> flags, or hate_reports: strand_<strand>, is_crime"),
    ("knife_weapon", "Knife and weapon crimes", "knife_weapon_crime",
     "crimes: offence_code, weapon_bladed, weapon_firearm, weapon_other"),
    ("night_time_economy", "Night-time economy crimes", "night_time_economy_crime",
     "crimes: night_time_economy"),
    ("residential_burglary", "Residential burglaries", "residential_burglary", _GROUP),
    ("commercial_burglary", "Commercial (non-residential) burglaries", "commercial_burglary",
     _GROUP),
)


def _partner_metrics() -> list[MetricDefinition]:
    """The figures of the partner sections (engine/partners.py), one entry per measure."""
    from .. import partners

    out = []
    for spec in partners.SOURCES:
        fields = f"{spec.table}: {spec.ref_col}, {spec.date_col} (or partner_returns: quarter, " \
                 "measure, count)"
        filters = (f"{spec.date_col} in the period, over the {spec.kind} source's own months "
                   "loaded in both periods (quarterly returns: whole calendar quarters only); "
                   + ("LSOA in the area, or none for the partnership's own area."
                      if spec.located else "the partnership's own area only (no location)."))
        for m in spec.measures:
            out += [_m(m.key, m.label, f"{m.definition} Counted as: `{m.where}`.", fields,
                       filters, "" if not spec.sensitive else
                       "Counts of people: withheld as [c] below the suppression threshold."),
                    _m(f"{m.key}_change_pct", f"{m.label}: change on the comparison period (%)",
                       f"Change in the number of {m.label.lower()}: {_CHANGE}", fields, filters)]
        for m in spec.measures:  # the monthly pack's partner tables (pack_partners.py)
            out += [_m(f"{m.key}_month", f"{m.label} in the month", f"{m.label} in the "
                       "monthly pack's month (figure " f"{m.key}); _previous is the same month "
                       "a year earlier. Blank when the partner has not sent that month, or sends "
                       "only quarterly returns (they cannot be split into months).", fields,
                       "The calendar month, when the partner's data covers it."),
                    _m(f"{m.key}_rolling_12", f"{m.label}, rolling 12 months", f"{m.label} in "
                       f"the 12 months to the end of the pack's month (figure {m.key}); "
                       "_previous the 12 months before; over the partner's own months loaded "
                       "in both (the labels say '9 of 12 months' when some are missing).",
                       fields, "Twelve whole months ending with the month; quarterly returns "
                       "only when they are whole calendar quarters.")]
        main = spec.main_measure
        out.append(_m(f"{main.key}_rate_per_1000", f"{main.label} per 1,000 residents",
                      f"{main.key} / population × 1,000.", fields + "; geography: population",
                      filters))
    return out


def _national_metrics() -> list[MetricDefinition]:
    from ..national import MEASURES

    out = []
    for key, (label, unit, _, source) in MEASURES.items():
        fields = f"national table ({source}): measure, year, area_code, value"
        out += [_m(f"{key}_national", f"{label}: national value", f"The national value of "
                   f"{key} in the national table loaded (--national): England (E92000001), "
                   "else England and Wales (K04000001).", fields,
                   "The table's row for the assessment's year, else its latest year."),
                _m(f"{key}_quartile", f"{label}: quartile among areas", f"The quartile (1 = "
                   f"lowest, 4 = highest) of the area's published {key} among the areas of "
                   "the national table, with boundaries at the areas' 25th, 50th and 75th "
                   "percentiles (linear interpolation, as QUARTILE.INC).", fields,
                   "Only when the area's figure is published; none with fewer than 4 areas.")]
    return out


METRICS: tuple[MetricDefinition, ...] = tuple([
    # 1 overview
    _m("population", "Population", "Resident population of the area: sum of its LSOAs' ONS "
       "mid-2019 estimates.", "geography: population", "LSOAs of the area."),
    *_change("recorded_crime_change_pct", "Police recorded crime", "notifiable crimes "
             "recorded by the police in the area", _CRIMES, AREA_RULE),
    _m("recorded_crime_rate_per_1000", "Crimes per 1,000 residents", "Recorded crime / "
       "population × 1,000, with a 95 % exact (count < 10) or Byar interval.",
       _CRIMES + "; geography: population"),
    *_change("asb_incidents_change_pct", "Anti-social behaviour incidents", "ASB incidents "
             "recorded in the area", "asb_incidents: incident_ref, recorded_date, lsoa11_code, "
             "source",
             "Filter: recorded_date in the period; LSOA in the area, or no LSOA and from the "
             "partnership's ASB file when the area is the partnership's own CSP; when the "
             "partnership's ASB file has rows for the area, data.police.uk ASB rows are left "
             "out (figures.ASB_SOURCES); only the months of the ASB source loaded in both periods "
             "(its own coverage, engine/coverage.py SOURCE_COVERAGE; a missing month stops the "
             "assessment unless --partial)."),
    # 2 crime groups
    _m("crimes_<category>", "Crimes by police.uk category", "Number of crimes in each police.uk "
       "street category (slug of the category name, e.g. crimes_violence_and_sexual_offences).",
       "crimes: police_uk_category (supplied by police.uk, derived from offence_code otherwise)",
       caveats="Anti-social behaviour is not a crime and is counted in asb_incidents."),
    *_change("violent_crime_change_pct", "Violence against the person", "crimes in the ONS "
             "offence group 'Violence against the person'", _GROUP),
    *_change("sexual_offences_rape_change_pct", "Rape", "crimes in the ONS subgroup 'Rape'",
             _GROUP, "Sensitive: withheld as [c] when from 1 to the suppression threshold − 1, "
             "with complementary suppression (see Disclosure control)."),
    *_change("other_sexual_offences_change_pct", "Other sexual offences", "crimes in the ONS "
             "subgroup 'Other sexual offences'", _GROUP),
    *_change("stalking_harassment_change_pct", "Stalking and harassment", "crimes in the ONS "
             "subgroup 'Stalking and harassment'", _GROUP, "Sensitive to changes in recording "
             "practice."),
    *_change("arson_change_pct", "Arson", "crimes in the ONS subgroup 'Arson'", _GROUP),
    *_change("residential_burglary_change_pct", "Residential burglary", "crimes in the ONS "
             "subgroup 'Residential burglary'", _GROUP),
    *_change("modern_slavery_change_pct", "Modern slavery", "crimes in the classification "
             "basket 'modern_slavery'", _GROUP, "Small numbers: interpret with caution."),
    *_change("cruelty_to_children_change_pct", "Cruelty to children", "crimes in the "
             "classification basket 'cruelty_to_children'", _GROUP,
             "Small numbers: interpret with caution."),
    # 3 harm
    _m("harm_per_resident", "Crime severity (harm) per resident", "Σ over offence codes of "
       "(ONS Crime Severity Score weight × crimes) / population: custody-equivalent days per "
       "resident (ONS CSS method).", "crimes: offence_code; classification: weight; "
       "geography: population", caveats="Fraud and codes without a weight are outside the "
       "score; one weights edition per assessment."),
    _m("harm_weights_coverage_pct", "Crimes carrying a harm weight (%)", "Crimes whose offence "
       "code has a CSS weight, as a percentage of all crimes.", "crimes: offence_code"),
    _m("harm_top3_subgroups", "Subgroups causing most harm", "The three ONS offence subgroups "
       "with the largest harm (weight × count), in order.", "crimes: offence_code"),
    # 4 repeat
    _m("unique_person_victims", "Unique person victims", "Distinct pseudonymised person keys of "
       "victims of type 'person' of crimes recorded in the period.", _VICT,
       caveats="Businesses and the state are excluded; victims without a person key cannot "
       "be counted."),
    _m("crimes_with_person_victim", "Crimes with an identified person victim", "Distinct "
       "crimes with at least one victim of type 'person' with a person key.", _VICT),
    _pct("crimes_with_person_victim_pct", "Crimes with an identified person victim (%)",
         "Crimes with an identified person victim", "all recorded crimes", _VICT),
    _pct("victims_one_crime_pct", "Victims of one crime (%)", "Person victims with exactly one "
         "crime in the period", "all person victims", _VICT),
    _m("victims_repeat", "Repeat victims", "Person victims with two or more crimes in the "
       "period.", _VICT),
    _pct("victims_repeat_pct", "Repeat victims (%)", "Person victims with two or more crimes",
         "all person victims", _VICT),
    _m("repeat_victims_crimes", "Crimes against repeat victims", "Victim-crime links of "
       "victims with two or more crimes.", _VICT),
    _pct("repeat_victims_share_of_crimes_pct", "Share of crimes suffered by repeat victims (%)",
         "Victim-crime links of repeat victims", "all victim-crime links of person victims",
         _VICT, "A crime with two identified victims counts once for each."),
    _m("victims_5plus", "Victims of five or more crimes", "Person victims with five or more "
       "crimes in the period.", _VICT),
    _pct("victims_5plus_pct", "Victims of five or more crimes (%)", "Person victims with five "
         "or more crimes", "all person victims", _VICT),
    _m("victims_5plus_crimes", "Crimes against victims of five or more", "Victim-crime links "
       "of victims with five or more crimes.", _VICT),
    _pct("victims_5plus_share_of_crimes_pct", "Share of crimes suffered by victims of five or "
         "more (%)", "Victim-crime links of victims with five or more crimes",
         "all victim-crime links of person victims", _VICT),
    # 5 domestic
    *_change("domestic_abuse_crimes_change_pct", "Domestic abuse-flagged crime", "crimes "
             "flagged as domestic abuse-related", "crimes: domestic_abuse"),
    _pct("domestic_share_of_crime_pct", "Domestic abuse share of crime (%)", "Domestic "
         "abuse-flagged crimes", "all recorded crimes", "crimes: domestic_abuse"),
    *_change("domestic_violent_crime_change_pct", "Domestic violence against the person",
             "domestic abuse-flagged crimes in the ONS group 'Violence against the person'",
             "crimes: domestic_abuse, offence_group"),
    _pct("domestic_share_of_violence_pct", "Domestic share of violence (%)", "Domestic "
         "abuse-flagged violence against the person", "all violence against the person",
         "crimes: domestic_abuse, offence_group"),
    _pct("domestic_by_partner_pct", "Domestic abuse by a partner or ex-partner (%)",
         "Person-victim records of domestic abuse-flagged crimes where the offender is a "
         "current or former spouse or partner", "those records whose relationship is recorded "
         "(not 'unknown')", _VICT + "; crimes: domestic_abuse"),
    _m("domestic_rate_ratio_most_vs_least_deprived", "Domestic abuse rate ratio, most vs least "
       "deprived", "Domestic abuse-flagged crimes per resident in the area's LSOAs of the most "
       "deprived national IMD 2019 decile present, divided by the same rate in the least "
       "deprived decile present; exact conditional 95 % interval (rate_ratio_low/high).",
       "crimes: domestic_abuse, lsoa11_code; geography: population, imd_decile",
       caveats="Crimes without an LSOA are left out."),
    _m("domestic_victims", "Domestic abuse victims", "Distinct person victims of domestic "
       "abuse-flagged crimes.", _VICT),
    *_profile("domestic_victims", "victims", "domestic abuse-flagged crimes", _VICT,
              ("under18", "18_24", "25_34", "35_49"), "female"),
    _m("domestic_offenders", "Domestic abuse offenders", "Distinct identified suspects or "
       "offenders of domestic abuse-flagged crimes.", _SUSP),
    *_profile("domestic_offenders", "offenders", "domestic abuse-flagged crimes", _SUSP,
              ("under18", "18_24", "25_34", "35_49"), "male"),
    _m("hrda_referrals", "High-risk domestic abuse referrals", "Referrals dated from the start "
       "of the comparison period to the end of the period.", "referrals: referral_date",
       filters="Referral date from the start of the comparison period to the end of the "
               "period (two years), over the months of the referrals loaded in both years "
               "(their own coverage; a missing month stops the assessment unless --partial); "
               "referrals carry no location, so they are reported only for the "
               "partnership's own CSP."),
    _pct("hrda_referrals_with_children_pct", "High-risk referrals with children (%)",
         "Referrals with one or more children in the household", "all referrals in the two "
         "years", "referrals: referral_date, children_in_household",
         filters="Referral date from the start of the comparison period to the end of the "
                 "period (two years), over the referrals' own months loaded in both years; "
                 "children_in_household above 0 counts as with children; the partnership's "
                 "own CSP only."),
    # 6 sexual
    _m("sexual_offences_crimes", "Sexual offences", "Crimes in the ONS group 'Sexual "
       "offences'.", _GROUP),
    _m("rape_crimes", "Rape", "Crimes in the ONS subgroup 'Rape'.", _GROUP),
    _m("other_sexual_crimes", "Other sexual offences", "Crimes in the ONS subgroup 'Other "
       "sexual offences'.", _GROUP),
    _m("sexual_offence_victims", "Sexual offence victims", "Distinct person victims of sexual "
       "offences.", _VICT),
    *_profile("sexual_victims", "victims", "sexual offences", _VICT,
              ("under18", "18_24", "25_34"), "female"),
    *_profile("rape_victims", "victims", "rape", _VICT, ("under18", "18_24", "25_34"),
              "female"),
    *_profile("other_sexual_victims", "victims", "other sexual offences", _VICT, ("under18",),
              "female"),
    _m("sexual_offence_offenders", "Sexual offence offenders", "Distinct identified suspects or "
       "offenders of sexual offences.", _SUSP),
    *_profile("sexual_offenders", "offenders", "sexual offences", _SUSP,
              ("under18", "18_24", "25_34", "35_49"), "male"),
    *(_pct(f"{k}_non_recent_pct", f"{n}: non-recent (%)", f"{n} recorded more than "
           "non_recent_months (default 12) months after committed_to (the latest possible "
           "commission time; committed_from when there is no committed_to)", f"{n.lower()} with a "
           "committed-from date", "crimes: recorded_date, committed_from, offence_group",
           "ONS uses a similar split; its exact threshold is unverified.")
      for k, n in (("sexual_offences", "Sexual offences"), ("rape", "Rape"),
                   ("other_sexual", "Other sexual offences"))),
    *(_pct(f"{k}_domestic_pct", f"{n}: domestic abuse-flagged (%)", f"{n} flagged as domestic "
           "abuse-related", f"all {n.lower()}", "crimes: domestic_abuse, offence_subgroup")
      for k, n in (("rape", "Rape"), ("other_sexual", "Other sexual offences"))),
    _pct("rape_by_partner_pct", "Rape by a partner or ex-partner (%)", "Person-victim records "
         "of rape where the offender is a current or former spouse or partner", "those whose "
         "relationship is recorded", _VICT),
    _pct("rape_by_acquaintance_pct", "Rape by an acquaintance (%)", "Person-victim records of "
         "rape where the offender is an acquaintance", "those whose relationship is recorded",
         _VICT),
    # 7 violence
    *_change("most_serious_violence_change_pct", "Most Serious Violence", "crimes in the "
             "classification basket 'most_serious_violence'", _GROUP,
             "No national definition: the basket is configurable."),
    *_change("bladed_implement_offences_change_pct", "Offences with a bladed implement",
             "crimes in the basket 'bladed_implement': flagged weapon_bladed, or possession of "
             "a bladed article", "crimes: weapon_bladed, offence_code"),
    # 8 hate
    *_change("hate_crime_change_pct", "Hate crime", "crimes flagged with any of the five "
             "hate-crime strands", "crimes: hate_race … hate_transgender (or hate_reports "
             "strand_* with is_crime when crimes carry no flags)",
             "One crime may carry several strands."),
    _m("hate_<strand>", "Hate crime by strand", "Crimes flagged with the strand (race, "
       "religion, sexual_orientation, disability, transgender).", "crimes: hate_<strand>",
       caveats="Strands add up to more than the total. Counts below the suppression threshold "
       "are withheld."),
    _m("hate_five_strands_period", "Hate crime in the custom period", "Crimes flagged with any "
       "of the five strands recorded in the custom period (--custom-period); _previous is the "
       "same dates a year earlier.", "crimes: hate_*, recorded_date",
       "Custom period from start to end date inclusive."),
    _m("hate_<strand>_period", "Hate crime by strand in the custom period", "Crimes flagged "
       "with the strand recorded in the custom period; _previous is a year earlier.",
       "crimes: hate_<strand>, recorded_date", "Custom period from start to end inclusive."),
    # 9 substances
    *_change("alcohol_affected_crime_change_pct", "Alcohol-affected crime", "crimes flagged as "
             "alcohol-affected", "crimes: alcohol_related"),
    _m("alcohol_affected_crime_difference", "Alcohol-affected crime: difference", "This period "
       "minus the comparison period.", "crimes: alcohol_related"),
    *_change("drug_affected_crime_change_pct", "Drug-affected crime", "crimes flagged as "
             "drug-affected", "crimes: drug_related"),
    _m("drug_affected_crime_difference", "Drug-affected crime: difference", "This period minus "
       "the comparison period.", "crimes: drug_related"),
    *_change("drug_offences_change_pct", "Drug offences", "crimes in the basket "
             "'drug_offences' (else the ONS group 'Drug offences'; police.uk 'Drugs' for open "
             "data)", _GROUP),
    _m("drug_offences_difference", "Drug offences: difference", "This period minus the "
       "comparison period.", _GROUP),
    # 10 place
    _m("lsoas_above_funnel_95", "LSOAs above the funnel limit", "LSOAs of the area whose crime "
       "rate is above the overdispersed 95 % funnel limit around the area's rate.",
       "crimes: lsoa11_code; geography: population"),
    _m("hotspot_cells", "Hotspot grid cells", "250 m British National Grid cells with a "
       "significant positive Getis-Ord Gi* z-score (queen contiguity, binary, cell included).",
       "crimes: easting, northing", caveats="police.uk points are anonymised snap points."),
    _m("crime_gini_lsoa", "Concentration of crime across LSOAs (Gini)", "The Gini coefficient "
       "of the period's crime counts over every LSOA of the area, those with none included: 0 "
       "when every LSOA has the same count, near 1 when one has them all "
       "(stats.concentration).", "crimes: lsoa11_code; geography",
       caveats="With fewer crimes than LSOAs the Gini is high even for a random spread: read "
               "it with crime_excess_gini_lsoa."),
    _m("crime_excess_gini_lsoa", "Concentration of crime above chance (excess Gini)", "The "
       "Gini of crime over LSOAs less the mean Gini of the same number of crimes spread over "
       "the same LSOAs at random with equal chance (200 seeded draws; Bernasco & Steenbeek "
       "2017, Levin et al. 2017).", "crimes: lsoa11_code; geography"),
    *_change("night_time_economy_crime_change_pct", "Night-time economy crime", "crimes "
             "flagged as linked to the night-time economy, and violence against the person in "
             "the night-time economy's nights, hours and area (section 'Night-time economy' "
             "above; figures.NTE_RULE)", "crimes: night_time_economy, committed_from, "
             "offence_group, lsoa11_code",
             caveats="A crime recorded with a committed time of midnight because its time is "
                     "unknown falls in the default hours; the police flag is counted whatever "
                     "the time."),
    # 11 time
    _m("peak_month", "Busiest month", "The month of the period with most recorded crimes.",
       "crimes: month"),
    # 12 benchmarking
    _m("benchmark_<category>_rate", "Benchmark rate per 1,000", "Crimes of the category per "
       "1,000 residents (mid-2019) in the benchmark input.", "benchmark input; reference CSP "
       "populations", "police.uk input: the months of the period, not annualised."),
    _m("benchmark_<category>_rank_england", "Rank among English CSPs with complete data",
       "Position of the area's rate among the English CSPs whose data cover every month of the "
       "period (1 = highest). The report says \"in England\" only when every English force is "
       "loaded for every month; otherwise it names the police force areas ranked.",
       "benchmark input",
       caveats="CSPs of forces with missing months are left out and counted."),
    _m("benchmark_<category>_ranked_england", "CSPs ranked", "Number of English CSPs with "
       "complete data ranked.", "benchmark input"),
    _m("benchmark_<category>_rank_comparators", "Rank among comparators", "Position among the "
       "comparator CSPs (setting comparator_csps) with complete data (1 = highest).",
       "benchmark input"),
    _m("benchmark_<category>_ranked_comparators", "Comparators ranked", "Number of comparator "
       "CSPs with complete data ranked.", "benchmark input"),
    # 13 youth
    _m("fte_count", "First-time entrants", "Young people whose first caution, conditional "
       "caution or court sentence in the youth justice records falls in the period, aged 10–17 "
       "on that first outcome: the age at the outcome (age_at_outcome), or the age at the "
       "offence when the outcome's age is not recorded (figures.FTE_AGE).",
       "youth_justice: young_person_key, outcome_date, outcome_type, age_at_outcome, "
       "age_at_offence",
       filters="The person's earliest outcome_date among outcome_type caution, "
               "conditional_caution or court_sentence over all youth justice records loaded "
               "falls in the period (only the months of the youth justice records loaded in both "
               "periods: their own coverage, engine/coverage.py); aged 10–17 on it; the "
               "partnership's own CSP only (youth justice records carry no location). The "
               "scorecard's fte_rate counts the same people.",
       caveats="Over-counted in the first year of records."),
    _m("fte_rate_per_100k", "First-time entrants per 100,000 aged 10–17", "fte_count / "
       "residents aged 10–17 × 100,000.", "youth_justice; population aged 10–17"),
    _m("youth_reoffending_binary_pct", "Proven re-offending, binary rate (%)", "Of the latest "
       "quarterly cohort with a complete 18-month window whose quarter lies in the two years "
       "compared (figures.latest_matured_cohort): young people with a proven re-offence "
       "(committed within 12 months, proven within 18) as a percentage of the cohort; "
       "_previous is the cohort of the same quarter a year earlier. The scorecard's "
       "youth_reoffending is the same figure.", "youth_justice: offence_date, outcome_date",
       caveats="Withheld (not replaced by an older cohort) when the cohort or its "
               "re-offenders are below the suppression threshold."),
    _m("youth_reoffenders", "Re-offenders in the cohort", "Young people of that cohort with a "
       "proven re-offence; _previous a year earlier.", "youth_justice: offence_date, "
       "outcome_date"),
    _m("youth_reoffending_cohort", "Re-offending cohort", "The quarter of that cohort.",
       "youth_justice: outcome_date"),
    # 14 partner intelligence
    _m("partner_intelligence", "Partner intelligence submissions", "Community Partnership "
       "Intelligence submissions made through the web app's form in the period, also by theme, "
       "submitting agency and ward (figures.intelligence_submissions).",
       "intelligence_counts: recorded_date, theme, source_agency, ward_name, submissions",
       filters="Submissions counted in the month they were made, over the months of the counts "
               "loaded in both periods (their own coverage, engine/coverage.py); the "
               "partnership's own CSP only. The section appears only when the counts are "
               "loaded (safecity web manage export_intelligence_counts).",
       caveats="Counts of submissions, not of incidents: one incident may be reported by "
               "several partners. Small counts are withheld together with the totals they add "
               "up to."),
    # monthly pack
    _m("recorded_crime_month", "Recorded crime in the month", "Crimes recorded in the month; "
       "_previous is the same month a year earlier.", _CRIMES, "The calendar month."),
    _m("recorded_crime_rolling_12", "Recorded crime, rolling 12 months", "Crimes recorded in "
       "the 12 months to the end of the month; _previous is the 12 months before.", _CRIMES,
       "Twelve whole months ending with the month."),
    _m("asb_incidents_month", "ASB incidents in the month", "ASB incidents recorded in the "
       "month; _previous is the same month a year earlier.", "asb_incidents: recorded_date"),
    _m("asb_incidents_rolling_12", "ASB incidents, rolling 12 months", "ASB incidents in the "
       "12 months to the end of the month; _previous the 12 months before.",
       "asb_incidents: recorded_date"),
    _m("exceptions", "Exceptions", "Offence groups, priorities and sectors' and wards' "
       "recorded crime flagged in the month: against the same month last year (E-test, not "
       "small numbers), outside the c-chart limits of the previous 12 months, or a sustained "
       "rise over the last 12 months (upper Poisson CUSUM against the 12 before); plus offence "
       "groups with a statistically significant rise of the rolling 12 months.", _GROUP),
    *[m for key, name, figure, fields in _PACK_PRIORITIES for m in (
        _m(f"{key}_month", f"{name} in the month", f"Number of {name[0].lower() + name[1:]} "
           f"(figure {figure} of engine/figures.py) recorded in the month; _previous is the "
           "same month a year earlier.", fields, "The calendar month."),
        _m(f"{key}_rolling_12", f"{name}, rolling 12 months", f"Number of "
           f"{name[0].lower() + name[1:]} (figure {figure}) in the 12 months to the end of the "
           "month; _previous the 12 months before.", fields,
           "Twelve whole months ending with the month."))],
    _m("commercial_burglary_cells_turned_hot", "Commercial burglary watch: cells turned hot",
       "Grid cells where non-residential burglary is a hot spot this month (Getis-Ord Gi*, "
       "p < 0.05) and was not last month.", "crimes: offence_subgroup, easting, northing",
       "The month; 250 m cells unless set otherwise."),
    _m("near_repeat_cells_alerted", "Near-repeat alerts", "Grid cells within the near-repeat "
       "window (the largest distance and days of the Knox table's significant cells) of a "
       "residential burglary in the window's last days up to the month's end.",
       "crimes: offence_subgroup, committed_from, recorded_date, easting, northing",
       "The rolling 12 months for the Knox test."),
    _m("near_repeat_metres", "Near-repeat distance", "The largest distance band (m) of a Knox "
       "cell with a ratio above 1 and p < 0.05.", "crimes: easting, northing"),
    _m("near_repeat_days", "Near-repeat days", "The largest time band (days) of a Knox cell "
       "with a ratio above 1 and p < 0.05.", "crimes: committed_from, recorded_date"),


    # 15-19 partner data
    *_partner_metrics(),
    # national and comparator context (--national; engine/national.py)
    *_national_metrics(),
    # the Serious Violence Duty needs assessment (--serious-violence)
    *_change("serious_violence_change_pct", "Serious violence (local definition)", "crimes in "
             "the classification basket 'serious_violence', the partnership's local definition "
             "(configurable: setting baskets_file)", _GROUP + "; crimes: weapon_bladed",
             "No national definition: each partnership agrees its own."),
    _m("serious_violence_rate_per_1000", "Serious violence per 1,000 residents",
       "serious_violence / population × 1,000.", _GROUP + "; geography: population"),
    *_change("public_space_serious_violence_change_pct", "Public-space serious violence",
             "serious violence crimes not flagged as domestic abuse", _GROUP
             + "; crimes: domestic_abuse", "The crime records carry no place type: violence "
             "not flagged as domestic abuse stands for violence in public space."),
    *_change("possession_of_weapons_change_pct", "Possession of weapons offences", "crimes in "
             "the ONS offence group 'Possession of weapons offences'", _GROUP),
    *_change("firearm_crimes_change_pct", "Crimes with a firearm", "crimes flagged "
             "weapon_firearm (a firearm used or threatened)", "crimes: weapon_firearm"),
    *_change("other_weapon_crimes_change_pct", "Crimes with another weapon", "crimes flagged "
             "weapon_other (another weapon used or threatened)", "crimes: weapon_other"),
    _m("sv_victims", "Victims of serious violence", "Distinct person victims of serious "
       "violence crimes.", _VICT),
    _m("sv_suspects", "Suspects of serious violence", "Distinct identified suspects of serious "
       "violence crimes.", _SUSP),
    _pct("sv_victims_under25_pct", "Victims of serious violence under 25 (%)", "Distinct "
         "person victims of serious violence aged under 25 (age at their first such crime of "
         "the period)", "those whose age is recorded", _VICT),
    _pct("sv_suspects_under25_pct", "Suspects of serious violence under 25 (%)", "Distinct "
         "suspects of serious violence aged under 25", "those whose age is recorded", _SUSP),
    _m("sv_repeat_locations", "Repeat locations of serious violence", "100 m British National "
       "Grid squares with 3 or more serious violence crimes in the period.",
       "crimes: easting, northing"),
    _pct("sv_repeat_location_crimes_pct", "Serious violence at repeat locations (%)",
         "Serious violence crimes in squares with 3 or more", "all serious violence crimes of "
         "the period", "crimes: easting, northing"),
    _pct("sv_evening_night_pct", "Serious violence in the evening and at night (%)", "Serious "
         "violence committed (committed_from) between 18:00 and 05:59",
         "serious violence with a commission time", "crimes: committed_from"),
    _pct("sv_weekend_night_pct", "Serious violence on weekend nights (%)", "Serious violence "
         "committed on Friday or Saturday from 18:00, or Saturday or Sunday before 06:00",
         "serious violence with a commission time", "crimes: committed_from"),
])

_BY_KEY = {m.key: m for m in METRICS}
# Longest family keys first, so "hate_<strand>_period" wins over "hate_<strand>".
_PATTERNS = [(re.compile("^" + re.sub(r"<[a-z]+>", "[a-z0-9_]+", re.escape(m.key)) + "$"), m)
             for m in sorted(METRICS, key=lambda m: -len(m.key)) if "<" in m.key]


def definition_for(key: str) -> MetricDefinition | None:
    """The definition of a headline key (``_previous`` = same figure, comparison period)."""
    base = key[: -len("_previous")] if key.endswith("_previous") else key
    for candidate in (key, base):
        if candidate in _BY_KEY:
            return _BY_KEY[candidate]
    for pattern, metric in _PATTERNS:
        if pattern.match(base):
            return metric
    return None


def used(keys) -> tuple[MetricDefinition, ...]:
    """The definitions of the given keys, once each, in registry order."""
    wanted = {id(d) for d in (definition_for(k) for k in keys) if d is not None}
    return tuple(m for m in METRICS if id(m) in wanted)


def _disclosure_rules() -> str:
    from .disclosure import RULES

    return RULES.strip()


def _priority_rules() -> str:
    from .priorities import RULES

    return RULES.strip()


def _findings_rules() -> str:
    from .findings import RULES
    from .findings_sv import RULES as SV_RULES

    return (RULES.strip() + "\n\n### In the serious violence needs assessment "
            "(`--serious-violence`)\n\n" + SV_RULES.strip())


def _partner_rules() -> str:
    from ..partners import RULES

    return RULES.strip()


def render_markdown() -> str:
    lines = ["# Metrics: every figure of the Strategic Assessment", "",
             "Generated from `src/safecity/engine/assessment/metrics.py` (a test fails when this "
             "file falls behind). The same text is the appendix of every report. A key ending "
             "in `_previous` is the same figure for the comparison period; `<category>` and "
             "`<strand>` stand for each value.", "", "## How crimes are assigned to the area",
             "", AREA_RULE, "", "## Coverage: which months are counted (`--partial`)", "",
             COVERAGE_RULE, "", "## Benchmarking input", "", BENCHMARK_INPUT, "",
             "## Night-time economy", "", NTE_RULE, "",
             "## Disclosure control", "", _disclosure_rules(), "",
             "## Priority-setting matrix (`--priorities`)", "", _priority_rules(), "",
             "## Key findings and the executive summary", "", _findings_rules(), "",
             "## Partner data (sections 15-19)", "", _partner_rules(), ""]
    for m in METRICS:
        lines += [f"## `{m.key}`: {m.name}", "", m.definition, "",
                  f"- Source fields: {m.source_fields}", f"- Filters: {m.filters}"]
        if m.caveats:
            lines.append(f"- Caveats: {m.caveats}")
        lines.append("")
    return "\n".join(lines)
