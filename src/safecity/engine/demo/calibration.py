"""Calibration targets of the demo partnership, and exactly how each headline key is computed.

Every target is a published Southampton 2019/20 figure from
``../shared/reference/southampton-2019-20.md`` (the comment after each constant names its key
there); the generator makes each one come out *exactly* (up to rounding), for every seed, when the
key is computed from the demo's extract files as defined below. Tolerances of the reference:
counts ±2 %, percentages and changes ±1.0 percentage point, ratios ±10 %.

Definitions (the assessment computes the same keys from the warehouse; keep the two in step)
-------------------------------------------------------------------------------------------------

Periods. A crime belongs to financial year ``Y/Y+1`` when its ``recorded_date`` falls in
1 April Y – 31 March Y+1 inclusive (never the committed date). "Current" is 2019/20, "previous"
2018/19. ASB incidents and hate reports use ``recorded_date`` the same way; referrals use
``referral_date``.

Change. ``change_pct = (current - previous) / previous * 100`` on counts of crimes (rows of
``crimes``, one per crime reference), each side restricted as below.

Offence scope. Groups and subgroups come from ``offence_code`` through the classification table
(ONS offence group / subgroup, current labels). ``*_change_pct`` keys:

* ``violent_crime_change_pct``: group "Violence against the person" (VAP).
* ``domestic_violent_crime_change_pct``: VAP crimes with ``domestic_abuse`` true.
* ``sexual_offences_rape_change_pct``: subgroup "Rape"; ``other_sexual_offences_change_pct``:
  subgroup "Other sexual offences".
* ``hate_crime_change_pct``: crimes with at least one ``hate_<strand>`` flag true (five strands).
* ``drug_offences_change_pct``: group "Drug offences".
* ``drug_affected_crime_change_pct``: crimes with ``drug_related`` true.
* ``stalking_harassment_change_pct``: subgroup "Stalking and harassment". The demo gives every code
  that a classification might put there (8L, 8M, 8Q, 8R) the same change, so the figure holds
  whichever of them the table places in the subgroup.
* ``modern_slavery_change_pct``: code 106. ``cruelty_to_children_change_pct``: code 11A.
* ``most_serious_violence_change_pct``: the configurable basket; the demo changes each of
  2 (attempted murder), 5D (assault with intent to cause serious harm) and 5E (endangering life) by
  the target and keeps homicide (1) and death by dangerous driving (4.4) level, so a basket of
  any of these codes gives the target.
* ``arson_change_pct``: subgroup "Arson" (56A, 56B). ``residential_burglary_change_pct``: subgroup
  "Residential burglary" (28E, 28F, 28G, 28H, 29A).
* ``bladed_implement_offences_change_pct``: crimes with ``weapon_bladed`` true. Every 10D and 90
  crime (possession of a bladed article; other knives offences) is flagged, and those codes on
  their own change by the target too, so a code basket agrees with the flag.
* ``alcohol_affected_crime``: count of crimes with ``alcohol_related`` true, per year.
* ``recorded_crime``: count of all crimes in the year. ``asb_incidents``: rows of ``asb_incidents``.

Repeat victimisation (2019/20; ``victims_one_crime_pct`` and ``victims_5plus`` also 2018/19).
A *person victim* is a ``victims`` row with ``victim_type = person`` (business and state
excluded). For each person (``person_key``) count the distinct crimes recorded in the year on which
they are a person victim. ``unique_person_victims`` = number of such people;
``crimes_with_person_victim_pct`` = crimes with at least one person victim / all crimes × 100;
``victims_one_crime_pct`` / ``victims_repeat_pct`` = people with 1 / with 2+ crimes over all
people; ``repeat_victims_share_of_crimes_pct`` and ``victims_5plus_share_of_crimes_pct`` = crimes of
people with 2+ / 5+ crimes over crimes with a person victim; ``victims_5plus`` = people with 5+
crimes, ``victims_5plus_crimes`` their crimes, ``victims_5plus_pct`` their share of people.
Every demo crime has at most one person victim, so "crimes" and "victim-crime links" agree.

Domestic abuse (2019/20). ``domestic_share_of_crime_pct`` = domestic-flagged / all crimes;
``domestic_share_of_violence_pct`` = domestic-flagged VAP / all VAP; ``domestic_by_partner_pct`` =
domestic crimes whose person victim's ``relationship`` is ``partner`` or ``ex_partner``.
Victim profiles are over the distinct person victims of domestic crimes, with the age and sex on
their first crime of the year (the assessment's rule), offender profiles over the
suspects of domestic crimes (``domestic_offenders`` = distinct suspect ``person_key``s). Age bands
use age at the offence: under 18 (< 18), 18-24, 25-34, 35-49 (50+ is the rest); shares are of
people whose age (sex) is known. Every domestic or sexual victim and suspect has a known age and
a sex of female or male, a person's age and sex are the same on all their crimes in a year, and
the demo deals bands evenly over people with 1, 2, 3… crimes, so the shares are the same counted
over distinct people or over rows.
``domestic_rate_ratio_most_vs_least_deprived`` = domestic crimes per 1,000 residents in the LSOAs
of the most deprived IMD 2019 decile present in the area / the same in the least deprived decile
present (mid-2019 population; the crime's LSOA joined to the geography table). Southampton has
both decile 1 and decile 10 LSOAs. Deciles 1-2 share one rate and 9-10 another, so quintile 1 /
quintile 5 gives the same ratio. ``hrda_referrals_with_children_pct`` = referrals dated 1 Apr 2018 – 31 Mar 2020 with
``children_in_household`` > 0, over all referrals in those dates.

Sexual offences (2019/20). Groups "Rape" and "Other sexual offences". Each demo sexual offence has
exactly one person victim, and no one is a victim of two, so ``sexual_offence_victims`` is both the
number of victims and of crimes; 561 of them have exactly one suspect, all different people
(``sexual_offence_offenders``). ``*_non_recent_pct`` = crimes with ``recorded_date`` later than
``committed_from`` + 12 months (setting ``non_recent_months``), over crimes with a
``committed_from``. Non-recent demo crimes end at least 13 months before recording and recent
ones at most 10, so ``committed_to`` would give the same answer. ``rape_domestic_pct`` / ``other_sexual_domestic_pct`` =
domestic-flagged share; ``rape_by_partner_pct`` = victim relationship ``partner`` or
``ex_partner``; ``rape_by_acquaintance_pct`` = ``acquaintance``. Relationship shares are of victim
rows whose relationship is recorded and not ``unknown`` (the assessment's rule); every demo rape
and domestic crime has a known relationship, so the share of all such crimes is the same.

Hate-crime period keys (``*_period``): crimes recorded 30 Sep – 30 Nov 2020 inclusive against the
same dates of 2019; ``hate_race_period`` = crimes with ``hate_race``; ``hate_five_strands_period`` =
crimes with at least one strand. Each police hate crime also appears once in ``hate_reports``
(channel ``police``, ``is_crime`` true, same ``crime_ref``, date and strands), so counting police
hate-crime reports gives the same numbers; non-crime incidents and third-party reports have
``is_crime`` false.

Harm. Not a published key, but the reference says the highest-harm subgroups are, in order, rape,
violence with injury, residential burglary: the demo's mix of offence codes makes that true in
both years when counts are weighted by ``mopd_severity_codes.csv`` (tested).
"""

from __future__ import annotations

from datetime import date

# -- periods ---------------------------------------------------------------------------------
PERIOD_START = date(2017, 4, 1)   # issue 2 §4: April 2017 – December 2020
PERIOD_END = date(2020, 12, 31)
CURRENT_YEAR = 2019               # financial year 2019/20 (1 Apr 2019 – 31 Mar 2020)
PREVIOUS_YEAR = 2018              # 2018/19
HATE_WINDOW = ((9, 30), (11, 30))  # "30 September – 30 November", section "Hate crime, period"

# -- volume ------------------------------------------------------------------------------------
RECORDED_CRIME = 31_889           # recorded_crime (2019/20)
ASB_INCIDENTS = 7_881             # asb_incidents (2019/20)
ASB_INCIDENTS_PREVIOUS = 7_765    # asb_incidents (2018/19)
ALCOHOL_AFFECTED = 2_615          # alcohol_affected_crime (2019/20)
ALCOHOL_AFFECTED_PREVIOUS = 2_647  # alcohol_affected_crime (2018/19, derived: "a decline of 32")

# -- year-on-year changes, percent (2019/20 on 2018/19) -----------------------------------------
VIOLENCE_CHANGE = 7.4             # violent_crime_change_pct
DOMESTIC_VIOLENCE_CHANGE = 9.7    # domestic_violent_crime_change_pct
RAPE_CHANGE = 13.7                # sexual_offences_rape_change_pct
HATE_CHANGE = 8.0                 # hate_crime_change_pct
DRUG_OFFENCES_CHANGE = 37.4       # drug_offences_change_pct
DRUG_AFFECTED_CHANGE = 20.1       # drug_affected_crime_change_pct
STALKING_HARASSMENT_CHANGE = 32.6  # stalking_harassment_change_pct
MODERN_SLAVERY_CHANGE = 16.1      # modern_slavery_change_pct
CRUELTY_TO_CHILDREN_CHANGE = 14.4  # cruelty_to_children_change_pct
MOST_SERIOUS_VIOLENCE_CHANGE = -3.5  # most_serious_violence_change_pct
ARSON_CHANGE = -35.6              # arson_change_pct
RESIDENTIAL_BURGLARY_CHANGE = -12.1  # residential_burglary_change_pct
OTHER_SEXUAL_CHANGE = -2.7        # other_sexual_offences_change_pct
BLADED_CHANGE = -4.4              # bladed_implement_offences_change_pct

# -- repeat victimisation (person victims) -------------------------------------------------------
UNIQUE_PERSON_VICTIMS = 17_928    # unique_person_victims
CRIMES_WITH_PERSON_VICTIM_PCT = 76.1  # crimes_with_person_victim_pct (derived, "75 %")
VICTIMS_ONE_CRIME_PCT = 80.4      # victims_one_crime_pct (2019/20); victims_repeat_pct = 19.6
VICTIMS_ONE_CRIME_PCT_PREVIOUS = 81.8  # victims_one_crime_pct (2018/19)
REPEAT_VICTIMS_SHARE_OF_CRIMES_PCT = 40.6  # repeat_victims_share_of_crimes_pct
VICTIMS_5PLUS = 320               # victims_5plus (2019/20); victims_5plus_pct = 1.8
VICTIMS_5PLUS_PREVIOUS = 319      # victims_5plus (2018/19)
VICTIMS_5PLUS_CRIMES = 2_207      # victims_5plus_crimes; victims_5plus_share_of_crimes_pct = 9.1

# -- domestic abuse ------------------------------------------------------------------------------
DOMESTIC_SHARE_OF_CRIME_PCT = 14.5      # domestic_share_of_crime_pct
DOMESTIC_SHARE_OF_VIOLENCE_PCT = 32.3   # domestic_share_of_violence_pct
DOMESTIC_BY_PARTNER_PCT = 72.0          # domestic_by_partner_pct
DOMESTIC_RATE_RATIO = 5.0               # domestic_rate_ratio_most_vs_least_deprived
DOMESTIC_OFFENDERS = 2_847              # domestic_offenders
HRDA_WITH_CHILDREN_PCT = 52.2           # hrda_referrals_with_children_pct (Apr 2018 – Mar 2020)
HRDA_WINDOW = (date(2018, 4, 1), date(2020, 3, 31))
#: Age-band shares (under 18, 18-24, 25-34, 35-49); 50+ is the remainder.
DOMESTIC_VICTIM_AGE_PCT = (5.4, 20.2, 31.4, 28.1)      # domestic_victims_{under18,18_24,25_34,35_49}_pct
DOMESTIC_VICTIMS_FEMALE_PCT = 68.3                       # domestic_victims_female_pct
DOMESTIC_OFFENDER_AGE_PCT = (4.8, 19.0, 34.5, 29.0)     # domestic_offenders_{...}_pct
DOMESTIC_OFFENDERS_MALE_PCT = 70.4                       # domestic_offenders_male_pct

# -- sexual offences -----------------------------------------------------------------------------
SEXUAL_OFFENCE_VICTIMS = 866            # sexual_offence_victims
SEXUAL_VICTIMS_UNDER18_PCT = 42.3       # sexual_victims_under18_pct
SEXUAL_VICTIMS_FEMALE_PCT = 81.2        # sexual_victims_female_pct
RAPE_VICTIM_AGE_PCT = (24.2, 27.9, 24.5)  # rape_victims_{under18,18_24,25_34}_pct
OTHER_SEXUAL_VICTIMS_UNDER18_PCT = 55.6  # other_sexual_victims_under18_pct
SEXUAL_OFFENCE_OFFENDERS = 561          # sexual_offence_offenders
#: (18-24, 25-34, 35-49): sexual_offenders_{18_24,25_34,35_49}_pct; under 18 and 50+ not published.
SEXUAL_OFFENDER_AGE_PCT = (21.2, 26.0, 26.4)
SEXUAL_OFFENDERS_MALE_PCT = 93.4        # sexual_offenders_male_pct
SEXUAL_NON_RECENT_PCT = 20.8            # sexual_offences_non_recent_pct
RAPE_NON_RECENT_PCT = 26.0              # rape_non_recent_pct
OTHER_SEXUAL_NON_RECENT_PCT = 17.2      # other_sexual_non_recent_pct
RAPE_DOMESTIC_PCT = 32.7                # rape_domestic_pct
OTHER_SEXUAL_DOMESTIC_PCT = 7.3         # other_sexual_domestic_pct
RAPE_BY_PARTNER_PCT = 33.6              # rape_by_partner_pct
RAPE_BY_ACQUAINTANCE_PCT = 28.0         # rape_by_acquaintance_pct

# -- hate crime, 30 Sep – 30 Nov ------------------------------------------------------------------
HATE_RACE_PERIOD = {2020: 156, 2019: 132}          # hate_race_period
HATE_FIVE_STRANDS_PERIOD = {2020: 207, 2019: 202}  # hate_five_strands_period

# -- population (a check on the shipped geography, not a generator target) -----------------------
SOUTHAMPTON_POPULATION_2019 = 252_520   # "Population" section
SOUTHAMPTON_LSOAS = 148

# -- tolerances of the reference file -------------------------------------------------------------
COUNT_TOLERANCE = 0.02   # ±2 % of the value
PCT_TOLERANCE = 1.0      # ±1.0 percentage point (percentages and changes)
RATIO_TOLERANCE = 0.10   # ±10 %


def previous_count(current: int, change_pct: float) -> int:
    """The previous year's count that makes ``current`` a change of ``change_pct`` %.

    >>> previous_count(367, RAPE_CHANGE)
    323
    """
    return int(round(current / (1 + change_pct / 100)))
