"""The partner sources: fire, health (ISTV), ambulance, children's services and drug and alcohol
treatment, described once and used by the reader, the coverage, the figures, the section, the
metric definitions and the demo.

Each :class:`PartnerSource` names its record-level contract table (``engine/contract.py``), the
date its months come from, and its **measures**: named counts, each an SQL condition over the
table's rows (``figures.partner_pair`` counts them; nothing else restates them). A partner may
instead send depersonalised **quarterly returns** (s.17A Crime and Disorder Act 1998 with SI
2007/1831): rows of ``partner_returns`` giving a count per calendar quarter, measure and
(optionally) LSOA. Record-level rows take precedence: a partner's returns are used only when
none of its records are loaded for the area and window, as a police extract takes precedence over
data.police.uk.

A quarterly return counts only in a period made of whole calendar quarters (a financial year,
or months such as 2019-04..2019-09): its count cannot be split into months. For any other period
(a custom period of some weeks, a monthly pack) the partner's figures say they are not available
at that granularity; nothing is estimated.

>>> [s.kind for s in SOURCES]
['fire', 'health', 'ambulance', 'childrens-services', 'treatment']
>>> by_kind("fire").measure("deliberate_fires").label
'Deliberate fires'
>>> quarter_months("2019-Q2")
('2019-04', '2019-05', '2019-06')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Measure:
    key: str  # headline key and the ``measure`` of a quarterly return
    label: str
    where: str  # SQL condition over the record-level table
    definition: str  # for docs/metrics.md and the report appendix


@dataclass(frozen=True)
class Breakdown:
    """A published table of the main measure's rows by a category column."""

    column: str
    label: str
    values: tuple[str, ...]  # in the order shown; rows with none are 'Not recorded'
    flags: bool = False  # columns are booleans factor_<value> (several may apply to a row)
    expr: str | None = None  # SQL giving the category, when it is not the column itself


def time_of_day(column: str) -> Breakdown:
    """A breakdown by the time of day of a timestamp column (night 00:00-05:59, morning,
    afternoon, evening 18:00-23:59); rows with no time are 'Not recorded'."""
    return Breakdown("time_of_day", "Time of day", ("night", "morning", "afternoon",
                                                       "evening"),
                     expr=(f"CASE WHEN {column} IS NULL THEN NULL WHEN hour({column}) < 6 THEN "
                           f"'night' WHEN hour({column}) < 12 THEN 'morning' WHEN "
                           f"hour({column}) < 18 THEN 'afternoon' ELSE 'evening' END"))


@dataclass(frozen=True)
class PartnerSource:
    kind: str  # source kind (ingest --source, the register)
    table: str  # record-level contract table
    date_col: str
    ref_col: str
    title: str  # section title
    section: str  # section key
    number: int  # section number in the report
    measures: tuple[Measure, ...]
    main: str  # the measure broken down and placed
    #: measure relations the section publishes: (total, parts) — total = sum(parts) — or
    #: (whole, (part,)) with ``within`` — part <= whole
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    within: tuple[tuple[str, str], ...] = ()  # (part, whole)
    breakdowns: tuple[Breakdown, ...] = ()
    located: bool = False  # rows carry an LSOA: placed by ward, counted for any area
    sensitive: bool = True  # counts of people: small counts withheld
    person_id: str | None = None  # input-only identifier replaced by a keyed hash
    person_key: str | None = None
    calibration: str = ""  # where the demo's rates come from (docs and demo comments)

    def measure(self, key: str) -> Measure:
        for m in self.measures:
            if m.key == key:
                return m
        raise ConfigError(f"{self.kind} has no measure {key!r}.",
                          fix=f"Use one of: {', '.join(m.key for m in self.measures)}.")

    @property
    def main_measure(self) -> Measure:
        return self.measure(self.main)


FIRE = PartnerSource(
    kind="fire", table="fire_incidents", date_col="incident_date", ref_col="incident_ref",
    title="Fire: deliberate fires", section="fire", number=15,
    measures=(
        Measure("deliberate_fires", "Deliberate fires", "deliberate",
                "Fires attended that were started deliberately, primary and secondary."),
        Measure("deliberate_primary_fires", "Deliberate primary fires",
                "deliberate AND fire_type = 'primary'",
                "Deliberate fires that harmed people or property (Home Office 'primary')."),
        Measure("deliberate_secondary_fires", "Deliberate secondary fires",
                "deliberate AND fire_type = 'secondary'",
                "Deliberate small outdoor, refuse and derelict-property fires ('secondary')."),
    ),
    main="deliberate_fires",
    totals=(("deliberate_fires", ("deliberate_primary_fires", "deliberate_secondary_fires")),),
    breakdowns=(Breakdown("property_type", "What burned",
                          ("dwelling", "other_building", "vehicle", "outdoor", "refuse",
                           "other")),
                time_of_day("incident_at")),
    located=True, sensitive=False,
    calibration=(
        "Home Office, Fire and rescue incident statistics, England: 69,776 deliberate fires "
        "in the year ending March 2022 (45.7 % of 152,608 fires), about 1.2 per 1,000 "
        "residents; the demo applies that rate (1.24 per 1,000) to the area's population. The "
        "share of deliberate fires that are primary (27 %) is the demo's own assumption: the "
        "release says most are secondary."),
)

HEALTH = PartnerSource(
    kind="health", table="health_assaults", date_col="attendance_date",
    ref_col="attendance_ref", title="Health: assault admissions, A&E assault attendances and "
    "alcohol-related admissions", section="health", number=16,
    measures=(
        Measure("ed_assault_attendances", "A&E attendances for assault",
                "setting = 'emergency_department'",
                "Emergency department attendances recorded as due to an assault (ISTV)."),
        # ``assault`` is set at ingest (ingest/partners.py); rows loaded before it existed are
        # all assaults, hence the coalesce.
        Measure("assault_admissions", "Hospital admissions for assault",
                "setting = 'admission' AND coalesce(assault, TRUE)",
                "Hospital admissions with an ICD-10 external cause of assault (X85-Y09)."),
        Measure("sharp_object_admissions", "Admissions for assault by a sharp object",
                "setting = 'admission' AND coalesce(assault, TRUE) AND "
                "(upper(coalesce(icd10_cause, '')) LIKE 'X99%' OR weapon = 'knife_or_sharp')",
                "Admissions for assault by a sharp object (ICD-10 X99, or a knife or sharp "
                "weapon recorded)."),
        Measure("alcohol_related_admissions", "Admissions for alcohol-related conditions "
                "(narrow)", "setting = 'admission' AND coalesce(alcohol_related, FALSE)",
                "Hospital admission episodes for alcohol-related conditions on the narrow "
                "measure of OHID's Local Alcohol Profiles for England (Fingertips indicator "
                "'Admission episodes for alcohol-related conditions (Narrow)'): the primary "
                "diagnosis is an alcohol-related condition or a secondary diagnosis an "
                "alcohol-related external cause, as the trust flags them (alcohol_related). "
                "The narrow measure, not the broad one (any diagnosis), because OHID and NHS "
                "Digital call it the better measure of change over time. OHID's published "
                "figure weights each episode by its alcohol-attributable fraction; a count of "
                "flagged episodes is the whole episodes, so it is higher than OHID's estimate "
                "for the same area; compare it with itself over time, not with LAPE."),
    ),
    main="ed_assault_attendances",
    within=(("sharp_object_admissions", "assault_admissions"),),
    breakdowns=(Breakdown("weapon", "Weapon (ISTV)", ("knife_or_sharp", "blunt", "firearm",
                                                        "body", "other", "unknown")),
                Breakdown("place_type", "Where it happened (ISTV)",
                          ("street", "licensed_premises", "home", "public_transport",
                           "school_or_college", "workplace", "other", "unknown")),
                time_of_day("assault_at")),
    located=True, person_id="patient_id", person_key="patient_key",
    calibration=(
        "NHS Digital Hospital Episode Statistics, England, 2019-20: 28,905 admissions for "
        "assault (ICD-10 X85-Y09; 0.51 per 1,000 residents of mid-2019 England, 56.29 "
        "million), of which 4,674 by a sharp object (0.083 per 1,000). A&E: HSCIC provisional "
        "HES, May 2014 to April 2015: 133,896 A&E attendances due to assault (2.4 per 1,000). "
        "Alcohol-related admissions: NHS Digital, Statistics on Alcohol, England 2020 (from "
        "OHID's, then PHE's, Local Alcohol Profiles): 357,660 admissions in 2018-19 on the "
        "narrow measure, 6.39 per 1,000 residents of mid-2018 England (55.98 million); the mix "
        "of conditions in the demo is its own assumption."),
)

AMBULANCE = PartnerSource(
    kind="ambulance", table="ambulance_callouts", date_col="callout_date",
    ref_col="callout_ref", title="Ambulance: assault call-outs", section="ambulance",
    number=17,
    measures=(
        Measure("assault_callouts", "Ambulance call-outs to assaults", "TRUE",
                "Emergency ambulance call-outs coded as assault, sexual assault or "
                "stab/gunshot/penetrating trauma."),
        Measure("stab_gunshot_callouts", "Call-outs to stab, gunshot or penetrating trauma",
                "call_type = 'stab_gunshot_penetrating'",
                "Call-outs coded as stab, gunshot or penetrating trauma."),
    ),
    main="assault_callouts",
    within=(("stab_gunshot_callouts", "assault_callouts"),),
    breakdowns=(Breakdown("call_type", "Kind of call", ("assault", "sexual_assault",
                                                        "stab_gunshot_penetrating")),
                time_of_day("callout_at")),
    located=True,
    calibration=(
        "No national count is published (NHS England does not record the cause of a call). "
        "Quigg et al. 2017, Emergency Medicine Journal 34(6):364-369: 15,687 violence-related "
        "call-outs in North West England over 2013-2015 (about 0.73 a year per 1,000 of its "
        "7.2 million residents); 77.3 % assault or sexual assault, 22.7 % stab, gunshot or "
        "penetrating trauma; 75.2 % between 18:00 and 05:59."),
)

CHILDRENS = PartnerSource(
    kind="childrens-services", table="childrens_assessments", date_col="completed_date",
    ref_col="assessment_ref", title="Children's services: assessments and their factors",
    section="childrens_services", number=18,
    measures=(
        Measure("childrens_assessments", "Children's social care assessments completed", "TRUE",
                "Assessments completed by children's social care."),
        Measure("assessments_domestic_abuse", "Assessments with domestic abuse as a factor",
                "coalesce(factor_domestic_abuse, FALSE)",
                "Assessments with domestic abuse identified as a factor at their end."),
        Measure("assessments_exploitation", "Assessments with child sexual or criminal "
                "exploitation as a factor",
                "(coalesce(factor_child_sexual_exploitation, FALSE) OR "
                "coalesce(factor_child_criminal_exploitation, FALSE))",
                "Assessments with child sexual exploitation or child criminal exploitation "
                "identified as a factor."),
    ),
    main="childrens_assessments",
    within=(("assessments_domestic_abuse", "childrens_assessments"),
            ("assessments_exploitation", "childrens_assessments")),
    breakdowns=(Breakdown("factor", "Factor identified at the end of the assessment",
                          ("domestic_abuse", "child_sexual_exploitation",
                           "child_criminal_exploitation", "gangs", "missing", "drug_misuse",
                           "alcohol_misuse", "mental_health"), flags=True),),
    person_id="child_id", person_key="child_key",
    calibration=(
        "Department for Education, Characteristics of children in need 2019 to 2020 "
        "(England): 642,980 referrals in the year (11.4 per 1,000 residents of mid-2019 "
        "England); domestic violence by the parent identified at the end of assessment in "
        "169,860 episodes (26.4 % of referrals). The demo completes an assessment for 85 % of "
        "referrals (its own assumption) and flags domestic abuse on 31 % of assessments, "
        "26.4 % of referrals."),
)

TREATMENT = PartnerSource(
    kind="treatment", table="treatment_events", date_col="event_date", ref_col="event_ref",
    title="Drug and alcohol treatment: starts, completions and drug-related deaths",
    section="treatment", number=19,
    measures=(
        Measure("treatment_starts", "Adults starting drug or alcohol treatment",
                "event_type = 'start'", "Adults entering structured treatment."),
        Measure("treatment_completions", "Successful treatment completions",
                "event_type = 'successful_completion'",
                "Adults leaving treatment having completed it free of dependence."),
        Measure("drug_related_deaths", "Drug-related deaths",
                "event_type = 'drug_related_death'",
                "Deaths related to drug misuse of people in or recently in treatment, as the "
                "provider reports them."),
    ),
    main="treatment_starts",
    breakdowns=(Breakdown("substance", "Substance group", ("opiate", "non_opiate",
                                                           "non_opiate_and_alcohol",
                                                           "alcohol")),),
    person_id="client_id", person_key="client_key",
    calibration=(
        "Public Health England, Adult substance misuse treatment statistics 2019 to 2020: "
        "132,124 adults entered treatment (2.35 per 1,000 residents of mid-2019 England) and "
        "the number in treatment was stable (268,251 to 270,705), so exits about equal "
        "entries; about half of those leaving leave free of dependence (50.5 % in 2015-16, "
        "Nuffield Trust QualityWatch from NDTMS). ONS, Deaths related to drug poisoning in "
        "England and Wales, 2019 registrations: about 2,880 deaths related to drug misuse "
        "(0.048 per 1,000 of 59.4 million residents)."),
)

SOURCES: tuple[PartnerSource, ...] = (FIRE, HEALTH, AMBULANCE, CHILDRENS, TREATMENT)
_BY_KIND = {s.kind: s for s in SOURCES}


def by_kind(kind: str) -> PartnerSource:
    return _BY_KIND[kind]


def is_partner(kind: str) -> bool:
    return kind in _BY_KIND


# -- quarters ---------------------------------------------------------------------------------

_QUARTER = re.compile(r"^\s*(\d{4})\s*[- ]?\s*Q([1-4])\s*$", re.IGNORECASE)


def parse_quarter(text: str) -> str | None:
    """'2019-Q2', '2019 Q2' or '2019Q2' as '2019-Q2'; None when it is not a calendar quarter."""
    m = _QUARTER.match(str(text or ""))
    return f"{m.group(1)}-Q{m.group(2)}" if m else None


def quarter_months(quarter: str) -> tuple[str, ...]:
    year, q = int(quarter[:4]), int(quarter[-1])
    return tuple(f"{year:04d}-{3 * (q - 1) + i:02d}" for i in (1, 2, 3))


def quarter_of_month(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def whole_quarters(months) -> tuple[str, ...] | None:
    """The calendar quarters that ``months`` consist of, in order; None when they do not
    consist of whole quarters (a return cannot be split into months)."""
    months = tuple(months)
    quarters = []
    for m in months:
        q = quarter_of_month(m)
        if q not in quarters:
            quarters.append(q)
    covered = {m for q in quarters for m in quarter_months(q)}
    return tuple(quarters) if covered == set(months) else None


RULES = """\
Partner data (fire, health, ambulance, children's services, drug and alcohol treatment) is
counted over the partner's own months: a month counts as loaded when a file of the partner
covering it is loaded (a file covers the months of its rows, a quarterly return the three months
of each quarter in it) and no analyst excluded it or a purge removed it, since a partner may truly
have none on a day or in a month. A month missing in a period or its comparison stops `safecity
assess` with a sentence naming the partner and the months, and `--partial` compares only the
months loaded on both sides. A partner section appears only when that partner's data is loaded.
The monthly pack (`--month`) shows each loaded partner's measures in the month against the same
month last year and in the rolling 12 months against the previous 12; there a partner's missing
month does not stop the pack (returns come up to a quarter late): a month or year the partner's
data cannot give is left blank with the reason, and a partial rolling year is labelled with its
months. Record-level rows come
first; a partner's depersonalised quarterly returns (SI 2007/1831) are used only when none of its
records are loaded, and then only for periods made of whole calendar quarters (a return cannot
be split into months; for other periods the section says so). Rows with an LSOA outside the area
are left out; rows with no LSOA count only for the partnership's own area. Counts of people
(health, ambulance, children's services, treatment) follow the disclosure rules below; counts of
fires are not about people and are published as they are.
"""
