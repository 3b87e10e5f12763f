"""The data contract: canonical tables and columns, the one source of truth.

The readers, validators, the demo generator, the warehouse schema and ``docs/data-contract.md``
all come from the definitions here (a test checks the doc against them).

Conventions:

* Every warehouse table also carries the lineage columns ``batch_id`` (the ingest that wrote the
  row) and ``source_line`` (the line of the source file the row came from).
* Person identifiers (``person_key``, ``young_person_key``) are *never* stored as supplied: they are
  replaced at ingest by a keyed hash (``safecity.engine.ingest.pseudonymise``).
* No names, addresses or free text are stored. A column that would carry them does not exist.
* ``month`` is the recorded month as ``YYYY-MM``; it is how the warehouse knows what period a batch
  covers, and how a newer file replaces months already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pyarrow as pa

from .errors import ContractError


class Type(str, Enum):
    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    TIMESTAMP = "timestamp"

    @property
    def arrow(self) -> pa.DataType:
        return {
            Type.STRING: pa.string(),
            Type.INT: pa.int32(),
            Type.FLOAT: pa.float64(),
            Type.BOOL: pa.bool_(),
            Type.DATE: pa.date32(),
            Type.TIMESTAMP: pa.timestamp("s"),
        }[self]

    @property
    def duckdb(self) -> str:
        return {
            Type.STRING: "VARCHAR",
            Type.INT: "INTEGER",
            Type.FLOAT: "DOUBLE",
            Type.BOOL: "BOOLEAN",
            Type.DATE: "DATE",
            Type.TIMESTAMP: "TIMESTAMP",
        }[self]


@dataclass(frozen=True)
class Column:
    name: str
    type: Type
    meaning: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    derived: bool = False  # computed at ingest from other columns, never mapped from a source
    personal: bool = False  # pseudonymised at ingest


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise ContractError(f"Table {self.name!r} has no column {name!r}.")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required and not c.derived)

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type.arrow, nullable=True) for c in self.columns]
                         + [pa.field(n, t) for n, t in LINEAGE])


LINEAGE = (("batch_id", pa.string()), ("source_line", pa.int64()))

S, I, F, B, D, TS = Type.STRING, Type.INT, Type.FLOAT, Type.BOOL, Type.DATE, Type.TIMESTAMP

SEX = ("female", "male", "other", "unknown")
VICTIM_TYPES = ("person", "business", "state")
RELATIONSHIPS = (
    "partner",          # current spouse or partner
    "ex_partner",       # former spouse or partner
    "family",           # other family member
    "acquaintance",     # known to the victim: friend, neighbour, colleague…
    "stranger",
    "unknown",          # recorded as not known
)
HATE_STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender")
YOUTH_OUTCOMES = ("caution", "conditional_caution", "court_sentence", "other")
ASB_TYPES = ("personal", "nuisance", "environmental", "unknown")
HATE_CHANNELS = ("police", "third_party", "online", "other")
#: The kinds of concern a partner intelligence (CPI) submission is filed under (web app).
INTELLIGENCE_THEMES = ("drugs", "asb", "exploitation", "violence", "hate", "other")
#: Partner sources (SI 2007/1831 and the Serious Violence Duty): each has its own record-level
#: table below and may instead send depersonalised quarterly returns (``partner_returns``).
PARTNER_SOURCES = ("fire", "health", "ambulance", "childrens-services", "treatment")
SOURCES = ("police-extract", "police-uk", "asb", "hate", "youth-justice", "referrals",
           "geography", "intelligence", "action-groups") + PARTNER_SOURCES

#: The 14 police.uk street categories (sentence case as in the street files), ASB included.
POLICE_UK_CATEGORIES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
#: Categories used by police.uk before the 2013 splits; every month ever published must load.
POLICE_UK_LEGACY_CATEGORIES = (
    "Public disorder and weapons",
    "Violent crime",
    "Other crime",
)

_LOCATION = (
    Column("lsoa_code", S, "LSOA code as supplied (2011 or 2021 vintage)."),
    Column("lsoa11_code", S, "2011 LSOA code, for joins to IMD 2019 and mid-2019 population; "
           "a 2021 code is converted with the ONS exact-fit lookup (a split is sent to its "
           "2011 parent; a merge to the first of its 2011 parts, see data-contract.md).",
           derived=True),
    Column("latitude", F, "WGS84 latitude (police.uk points are anonymised snap points)."),
    Column("longitude", F, "WGS84 longitude."),
    Column("easting", F, "British National Grid easting in metres (EPSG:27700); from "
           "latitude/longitude when not supplied (data.police.uk rows: projected at ingest by "
           "bng_sql.to_bng, checked against pyproj)."),
    Column("northing", F, "British National Grid northing in metres (EPSG:27700)."),
)

CRIMES = Table(
    "crimes",
    "One row per notifiable crime (Home Office Counting Rules). From a police record-level "
    "extract (all columns) or data.police.uk street files (no offence code, victims or flags).",
    (
        Column("crime_ref", S, "Crime reference number (extract) or police.uk Crime ID.",
               required=True),
        Column("source", S, "Which adapter loaded the row.", required=True, allowed=SOURCES,
               derived=True),
        Column("offence_code", S, "Home Office offence classification code, e.g. 8N, 105A, 28E."),
        Column("offence_group", S, "ONS offence group, derived from offence_code.", derived=True),
        Column("offence_subgroup", S, "ONS offence subgroup (current labels), derived from "
               "offence_code.", derived=True),
        Column("police_uk_category", S, "police.uk street category: supplied by police.uk files, "
               "derived from offence_code otherwise.", allowed=POLICE_UK_CATEGORIES
               + POLICE_UK_LEGACY_CATEGORIES),
        Column("recorded_date", D, "Date the crime was recorded (police.uk: first day of the "
               "month).", required=True),
        Column("month", S, "Recorded month, YYYY-MM.", required=True, derived=True),
        Column("committed_from", TS, "Earliest date-time the offence may have been committed."),
        Column("committed_to", TS, "Latest date-time the offence may have been committed "
               "(equal to committed_from when known exactly)."),
        *_LOCATION,
        Column("force", S, "Police force that recorded the crime (police.uk 'Falls within')."),
        Column("outcome", S, "Last outcome category (police.uk wording)."),
        Column("domestic_abuse", B, "Flagged as domestic abuse-related."),
        *(Column(f"hate_{s}", B, f"Flagged as a hate crime, {s.replace('_', ' ')} strand. "
                 "Several strands may apply to one crime.") for s in HATE_STRANDS),
        Column("alcohol_related", B, "Flagged as alcohol-affected."),
        Column("drug_related", B, "Flagged as drug-affected."),
        Column("weapon_bladed", B, "A knife or sharp (bladed or pointed) instrument was used or "
               "threatened."),
        Column("weapon_firearm", B, "A firearm was used or threatened."),
        Column("weapon_other", B, "Another weapon was used or threatened."),
        Column("night_time_economy", B, "Flagged as linked to the night-time economy."),
        Column("duplicate_id", B, "police.uk only: the Crime ID was already seen earlier in the "
               "same file with a different month, force, location, crime type or outcome (kept: "
               "police.uk counts each row; a row equal in all of those is rejected as a "
               "duplicate).",
               derived=True),
    ),
    key=("crime_ref",),
    sources=("police-extract", "police-uk"),
)

VICTIMS = Table(
    "victims",
    "One row per victim of a crime. Joins to crimes on crime_ref.",
    (
        Column("crime_ref", S, "Crime reference number.", required=True),
        Column("person_key", S, "Pseudonymised victim identifier (keyed hash).", personal=True),
        Column("victim_type", S, "Person, business or state/public body.", required=True,
               allowed=VICTIM_TYPES),
        Column("age", I, "Age at the time of the offence, in whole years."),
        Column("sex", S, "Sex of the victim.", allowed=SEX),
        Column("relationship", S, "Relationship of the offender to the victim.",
               allowed=RELATIONSHIPS),
        Column("month", S, "Recorded month (YYYY-MM) of the linked crime, when that crime was "
               "loaded first; lets a newer extract replace the months it covers.", derived=True),
    ),
    key=("crime_ref", "person_key"),
    sources=("police-extract",),
)

SUSPECTS = Table(
    "suspects",
    "One row per suspect or offender linked to a crime. Joins to crimes on crime_ref.",
    (
        Column("crime_ref", S, "Crime reference number.", required=True),
        Column("person_key", S, "Pseudonymised suspect identifier (keyed hash).", personal=True),
        Column("age", I, "Age at the time of the offence, in whole years."),
        Column("sex", S, "Sex of the suspect.", allowed=SEX),
        Column("month", S, "Recorded month (YYYY-MM) of the linked crime, when that crime was "
               "loaded first; lets a newer extract replace the months it covers.", derived=True),
    ),
    key=("crime_ref", "person_key"),
    sources=("police-extract",),
)

ASB_INCIDENTS = Table(
    "asb_incidents",
    "One row per anti-social behaviour incident (police or council), or a police.uk ASB row.",
    (
        Column("incident_ref", S, "Incident reference; police.uk ASB rows have none and get "
               "'<file>#<line>'.", required=True),
        Column("source", S, "Which adapter loaded the row.", required=True, allowed=SOURCES,
               derived=True),
        Column("recorded_date", D, "Date the incident was recorded.", required=True),
        Column("month", S, "Recorded month, YYYY-MM.", required=True, derived=True),
        Column("asb_type", S, "Personal, nuisance or environmental.", allowed=ASB_TYPES),
        Column("reporting_agency", S, "Agency that recorded it (police, council, housing…)."),
        *_LOCATION,
        Column("force", S, "Police force (police.uk rows)."),
    ),
    key=("incident_ref",),
    sources=("asb", "police-uk"),
)

HATE_REPORTS = Table(
    "hate_reports",
    "Hate crimes and non-crime hate incidents as reported to the police or a third-party "
    "reporting centre. Several strands may apply to one report.",
    (
        Column("report_ref", S, "Report reference.", required=True),
        Column("recorded_date", D, "Date the report was made.", required=True),
        Column("month", S, "Recorded month, YYYY-MM.", required=True, derived=True),
        Column("channel", S, "How it was reported.", required=True, allowed=HATE_CHANNELS),
        Column("is_crime", B, "True for a hate crime, false for a non-crime hate incident."),
        Column("crime_ref", S, "Linked crime reference, when the report became a crime."),
        *(Column(f"strand_{s}", B, f"Perceived hostility based on {s.replace('_', ' ')}.")
          for s in HATE_STRANDS),
        Column("lsoa_code", S, "LSOA code of the place it happened, where known."),
        Column("lsoa11_code", S, "2011 LSOA code (derived).", derived=True),
        Column("centre", S, "Third-party reporting centre that took the report ('Online' for "
               "a report made online); blank for reports to the police."),
    ),
    key=("report_ref",),
    sources=("hate",),
)

YOUTH_JUSTICE = Table(
    "youth_justice",
    "One row per youth justice outcome (caution, conditional caution, court sentence) for a "
    "young person; drives first-time entrants and proven re-offending. Date of birth is read to "
    "derive ages and then discarded.",
    (
        Column("young_person_key", S, "Pseudonymised young person identifier (keyed hash).",
               required=True, personal=True),
        Column("age_at_offence", I, "Age on the offence date (from date of birth or supplied)."),
        Column("age_at_outcome", I, "Age on the outcome date."),
        Column("offence_date", D, "Date the offence was committed.", required=True),
        Column("outcome_date", D, "Date of the caution or court outcome.", required=True),
        Column("month", S, "Outcome month, YYYY-MM.", required=True, derived=True),
        Column("outcome_type", S, "Type of outcome.", required=True, allowed=YOUTH_OUTCOMES),
        Column("offence_code", S, "Home Office offence code, where known."),
        Column("sex", S, "Sex of the young person.", allowed=SEX),
    ),
    key=("young_person_key", "offence_date", "outcome_date"),
    sources=("youth-justice",),
)

REFERRALS = Table(
    "referrals",
    "High-risk domestic abuse referrals (e.g. to MARAC).",
    (
        Column("referral_ref", S, "Referral reference.", required=True),
        Column("referral_date", D, "Date of referral.", required=True),
        Column("month", S, "Referral month, YYYY-MM.", required=True, derived=True),
        Column("person_key", S, "Pseudonymised victim identifier (keyed hash).", personal=True),
        Column("children_in_household", I, "Number of children in the household (0 if none)."),
        Column("repeat_referral", B, "A repeat referral within 12 months of the last one."),
        Column("referring_agency", S, "Agency making the referral."),
    ),
    key=("referral_ref",),
    sources=("referrals",),
)

INTELLIGENCE_COUNTS = Table(
    "intelligence_counts",
    "Partner intelligence (Community Partnership Intelligence) submissions counted by month, "
    "theme, submitting agency and area, as the web app exports them "
    "(``safecity web manage export_intelligence_counts``). Counts only: the intelligence text, "
    "places described in words and who submitted it never leave the app.",
    (
        Column("recorded_date", D, "First day of the month the submissions were made.",
               required=True),
        Column("month", S, "Submission month, YYYY-MM.", required=True, derived=True),
        Column("theme", S, "The kind of concern.", required=True, allowed=INTELLIGENCE_THEMES),
        Column("source_agency", S, "The partner agency that submitted it.", required=True),
        Column("ward_name", S, "Ward the submitter gave, where any."),
        Column("lsoa_code", S, "LSOA code the submitter gave, where any."),
        Column("lsoa11_code", S, "2011 LSOA code (derived).", derived=True),
        Column("submissions", I, "Number of submissions.", required=True),
    ),
    key=("month", "theme", "source_agency", "ward_name", "lsoa_code"),
    sources=("intelligence",),
)

ACTION_GROUP_PROBLEMS = Table(
    "action_group_problems",
    "The open problems of the Partnership Action Groups, as the web app exports them "
    "(``safecity web manage export_action_groups``), so the monthly pack can list and link each "
    "sector's problems. Each export replaces the whole table. No titles, plans or notes: those "
    "stay in the app.",
    (
        Column("problem_ref", S, "The problem's reference in the app (PAG-12).", required=True),
        Column("group_name", S, "The Partnership Action Group.", required=True),
        Column("sector", S, "The group's policing sector.", required=True),
        Column("problem_type", S, "The type of problem.", required=True),
        Column("opened_date", D, "Date the problem was opened.", required=True),
        Column("escalated", B, "Escalated to the partnership."),
        Column("actions_open", I, "Actions not yet done."),
        Column("actions_overdue", I, "Actions not done by their due date."),
        Column("link", S, "The problem's address in the web app."),
    ),
    key=("problem_ref",),
    sources=("action-groups",),
)

GEOGRAPHY = Table(
    "geography",
    "One row per 2011 LSOA: its ward, neighbourhood (policing) sector, local authority and CSP, "
    "mid-2019 population and IMD 2019 score and decile.",
    (
        Column("lsoa11_code", S, "2011 LSOA code.", required=True),
        Column("lsoa_name", S, "LSOA name."),
        Column("ward_code", S, "Electoral ward code."),
        Column("ward_name", S, "Electoral ward name."),
        Column("sector", S, "Neighbourhood (policing) sector."),
        Column("lad_code", S, "Local authority district code (April 2019).", required=True),
        Column("lad_name", S, "Local authority district name."),
        Column("csp_code", S, "Community Safety Partnership code.", required=True),
        Column("csp_name", S, "Community Safety Partnership name."),
        Column("population", I, "Mid-2019 resident population.", required=True),
        Column("population_10_17", I, "Mid-2019 residents aged 10-17, where known."),
        Column("imd_score", F, "IMD 2019 score."),
        Column("imd_rank", I, "IMD 2019 rank (1 = most deprived in England)."),
        Column("imd_decile", I, "IMD 2019 decile (1 = most deprived 10 % in England)."),
    ),
    key=("lsoa11_code",),
    sources=("geography",),
)

FIRE_TYPES = ("primary", "secondary")
FIRE_PROPERTIES = ("dwelling", "other_building", "vehicle", "outdoor", "refuse", "other")
CARE_SETTINGS = ("emergency_department", "admission")
WEAPONS = ("knife_or_sharp", "blunt", "firearm", "body", "other", "unknown")
ISTV_PLACES = ("street", "licensed_premises", "home", "public_transport", "school_or_college",
               "workplace", "other", "unknown")
CALL_TYPES = ("assault", "sexual_assault", "stab_gunshot_penetrating")
TREATMENT_EVENTS = ("start", "successful_completion", "drug_related_death")
SUBSTANCES = ("opiate", "non_opiate", "non_opiate_and_alcohol", "alcohol")
ASSESSMENT_FACTORS = ("domestic_abuse", "child_sexual_exploitation",
                      "child_criminal_exploitation", "gangs", "missing", "drug_misuse",
                      "alcohol_misuse", "mental_health")

FIRE_INCIDENTS = Table(
    "fire_incidents",
    "One row per fire attended by the fire and rescue service (Incident Recording System), "
    "with whether it was started deliberately. SI 2007/1831: deliberate fires, with date, time "
    "and location. No address or narrative.",
    (
        Column("incident_ref", S, "Fire and rescue service incident number.", required=True),
        Column("incident_date", D, "Date of the call.", required=True),
        Column("incident_at", TS, "Date and time of the call, where known."),
        Column("month", S, "Incident month, YYYY-MM.", required=True, derived=True),
        Column("fire_type", S, "Primary (harm to people or property) or secondary (small "
               "outdoor, refuse, derelict) fire (Home Office definitions).", required=True,
               allowed=FIRE_TYPES),
        Column("deliberate", B, "The fire was started deliberately (including 'deliberate: "
               "own property' and 'deliberate: others' property').", required=True),
        Column("property_type", S, "What burned.", allowed=FIRE_PROPERTIES),
        *_LOCATION,
    ),
    key=("incident_ref",),
    sources=("fire",),
)

HEALTH_ASSAULTS = Table(
    "health_assaults",
    "One row per emergency department attendance or hospital admission for an assault "
    "(admissions: ICD-10 external cause X85-Y09), with the Information Sharing to Tackle "
    "Violence (ISTV) minimum data: when and where the assault happened and the weapon; and one "
    "row per hospital admission for an alcohol-related condition on OHID's narrow measure "
    "(alcohol_related; SI 2007/1831 prescribes alcohol-related admissions as well as assault "
    "admissions). The patient is pseudonymised; no name, address or free text.",
    (
        Column("attendance_ref", S, "Attendance or admission reference.", required=True),
        Column("attendance_date", D, "Date of the attendance or admission.", required=True),
        Column("month", S, "Attendance month, YYYY-MM.", required=True, derived=True),
        Column("setting", S, "Emergency department attendance or hospital admission.",
               required=True, allowed=CARE_SETTINGS),
        Column("patient_key", S, "Pseudonymised patient identifier (keyed hash).",
               personal=True),
        Column("age", I, "Age of the patient at the attendance, in whole years."),
        Column("sex", S, "Sex of the patient.", allowed=SEX),
        Column("icd10_cause", S, "ICD-10 external cause code of an admission (X85-Y09 for "
               "assault), e.g. X99 for assault by a sharp object; for an alcohol-related "
               "admission, the alcohol-related primary diagnosis or external cause (e.g. K70 "
               "alcoholic liver disease, F10)."),
        Column("alcohol_related", B, "A hospital admission episode for an alcohol-related "
               "condition on the narrow measure of OHID's Local Alcohol Profiles for England: "
               "the primary diagnosis is an alcohol-related condition, or a secondary diagnosis "
               "an alcohol-related external cause. Admissions only."),
        Column("assault", B, "The row is an assault: every attendance or admission not marked "
               "alcohol_related, and an alcohol-related admission whose icd10_cause is an "
               "assault code (X85-Y09). Rows loaded before this column count as assaults.",
               derived=True),
        Column("weapon", S, "ISTV: the weapon used.", allowed=WEAPONS),
        Column("assault_at", TS, "ISTV: date and time of the assault, where given."),
        Column("place_type", S, "ISTV: the kind of place it happened.", allowed=ISTV_PLACES),
        *_LOCATION,
    ),
    key=("attendance_ref",),
    sources=("health",),
)

AMBULANCE_CALLOUTS = Table(
    "ambulance_callouts",
    "One row per emergency ambulance call-out to an assault (AMPDS: assault/sexual assault, "
    "stab/gunshot/penetrating trauma), with where and when. SI 2007/1831: assault call-outs "
    "with location. No patient identifier.",
    (
        Column("callout_ref", S, "Incident reference.", required=True),
        Column("callout_date", D, "Date of the call.", required=True),
        Column("callout_at", TS, "Date and time of the call, where known."),
        Column("month", S, "Call month, YYYY-MM.", required=True, derived=True),
        Column("call_type", S, "Kind of assault call.", required=True, allowed=CALL_TYPES),
        Column("age", I, "Age of the patient, where known."),
        Column("sex", S, "Sex of the patient.", allowed=SEX),
        Column("conveyed", B, "The patient was taken to hospital."),
        *_LOCATION,
    ),
    key=("callout_ref",),
    sources=("ambulance",),
)

CHILDRENS_ASSESSMENTS = Table(
    "childrens_assessments",
    "One row per children's social care assessment completed, with the factors identified at "
    "its end (Children in Need census: domestic abuse, exploitation, gangs, going missing, "
    "parental substance misuse, mental health). The child is pseudonymised.",
    (
        Column("assessment_ref", S, "Assessment reference.", required=True),
        Column("completed_date", D, "Date the assessment was completed.", required=True),
        Column("month", S, "Completion month, YYYY-MM.", required=True, derived=True),
        Column("child_key", S, "Pseudonymised child identifier (keyed hash).", personal=True),
        Column("age", I, "Age of the child at the assessment."),
        Column("sex", S, "Sex of the child.", allowed=SEX),
        *(Column(f"factor_{f}", B, f"Factor identified at the end of the assessment: "
                 f"{f.replace('_', ' ')}.") for f in ASSESSMENT_FACTORS),
    ),
    key=("assessment_ref",),
    sources=("childrens-services",),
)

TREATMENT = Table(
    "treatment_events",
    "One row per event in adult drug and alcohol treatment (National Drug Treatment "
    "Monitoring System): a treatment start, a successful completion (left free of dependence) "
    "or a drug-related death of someone in or recently in treatment. The client is "
    "pseudonymised.",
    (
        Column("event_ref", S, "Event reference.", required=True),
        Column("event_date", D, "Date of the event.", required=True),
        Column("month", S, "Event month, YYYY-MM.", required=True, derived=True),
        Column("event_type", S, "Start, successful completion or drug-related death.",
               required=True, allowed=TREATMENT_EVENTS),
        Column("client_key", S, "Pseudonymised client identifier (keyed hash).", personal=True),
        Column("substance", S, "Substance group at the start of treatment (NDTMS).",
               allowed=SUBSTANCES),
        Column("age", I, "Age of the client at the event."),
        Column("sex", S, "Sex of the client.", allowed=SEX),
    ),
    key=("event_ref",),
    sources=("treatment",),
)

PARTNER_RETURNS = Table(
    "partner_returns",
    "Depersonalised quarterly returns (s.17A Crime and Disorder Act 1998, SI 2007/1831): one "
    "row per partner, calendar quarter, measure and (optionally) 2011 or 2021 LSOA, with a "
    "count. Used for a partner's figures when its record-level rows are not loaded.",
    (
        Column("partner", S, "The partner source the return is from.", required=True,
               derived=True, allowed=PARTNER_SOURCES),
        Column("quarter", S, "Calendar quarter, YYYY-Qn (Q1 = January to March).",
               required=True),
        Column("month", S, "First month of the quarter, YYYY-MM.", required=True,
               derived=True),
        Column("measure", S, "What is counted: one of the partner's measures "
               "(docs/data-contract.md lists them).", required=True),
        Column("lsoa_code", S, "LSOA code as supplied (2011 or 2021), blank for the whole "
               "area."),
        Column("lsoa11_code", S, "2011 LSOA code (derived).", derived=True),
        Column("count", I, "Number in the quarter (0 or more).", required=True),
    ),
    key=("quarter", "measure", "lsoa_code"),
    sources=PARTNER_SOURCES,
)

MONTHLY_COUNTS = Table(
    "monthly_counts",
    "Monthly counts kept when record-level rows are purged at the end of their retention "
    "period (``safecity warehouse purge``), so that multi-year trends survive without the "
    "records. One row per source, table, month, 2011 LSOA, category and, for crimes, offence "
    "classification and flags; written by the purge, never by a reader.",
    (
        Column("source", S, "The source kind whose rows were counted.", required=True,
               allowed=SOURCES),
        Column("table_name", S, "The warehouse table the rows were in.", required=True),
        Column("month", S, "Recorded month, YYYY-MM.", required=True),
        Column("lsoa11_code", S, "2011 LSOA code, where the table has one."),
        Column("category", S, "The table's main category: ONS offence group (crimes), ASB type, "
               "hate report channel, youth outcome type, referring agency; 'all' otherwise."),
        Column("offence_code", S, "Crimes: Home Office offence code."),
        Column("offence_group", S, "Crimes: ONS offence group."),
        Column("offence_subgroup", S, "Crimes: ONS offence subgroup."),
        Column("police_uk_category", S, "Crimes: police.uk category."),
        Column("domestic_abuse", B, "Crimes: flagged as domestic abuse-related."),
        *(Column(f"hate_{s}", B, f"Crimes: hate crime flag, {s.replace('_', ' ')} strand.")
          for s in HATE_STRANDS),
        Column("alcohol_related", B, "Crimes: flagged as alcohol-affected."),
        Column("drug_related", B, "Crimes: flagged as drug-affected."),
        Column("weapon_bladed", B, "Crimes: a knife or sharp instrument was used or threatened."),
        Column("weapon_firearm", B, "Crimes: a firearm was used or threatened."),
        Column("weapon_other", B, "Crimes: another weapon was used or threatened."),
        Column("night_time_economy", B, "Crimes: flagged as linked to the night-time economy."),
        Column("kept", S, "What the row keeps besides month, LSOA and category: 'figures' (the "
               "columns aggregate figures select on, engine/figures.py AGGREGATE_FIELDS); empty "
               "for counts written by an earlier version, which keep the category only."),
        Column("count", I, "Number of rows.", required=True),
    ),
    key=("source", "table_name", "month", "lsoa11_code", "category", "offence_code",
         "offence_group", "offence_subgroup", "police_uk_category", "domestic_abuse",
         *(f"hate_{s}" for s in HATE_STRANDS), "alcohol_related", "drug_related",
         "weapon_bladed", "weapon_firearm", "weapon_other", "night_time_economy"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (CRIMES, VICTIMS, SUSPECTS, ASB_INCIDENTS, HATE_REPORTS, YOUTH_JUSTICE, REFERRALS,
              GEOGRAPHY, FIRE_INCIDENTS, HEALTH_ASSAULTS, AMBULANCE_CALLOUTS,
              CHILDRENS_ASSESSMENTS, TREATMENT, PARTNER_RETURNS, MONTHLY_COUNTS,
              INTELLIGENCE_COUNTS, ACTION_GROUP_PROBLEMS)
}

#: Which tables each source kind writes.
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "police-extract": ("crimes", "victims", "suspects"),
    "police-uk": ("crimes", "asb_incidents"),
    "asb": ("asb_incidents",),
    "hate": ("hate_reports",),
    "youth-justice": ("youth_justice",),
    "referrals": ("referrals",),
    "geography": ("geography",),
    "intelligence": ("intelligence_counts",),
    "action-groups": ("action_group_problems",),
    "fire": ("fire_incidents", "partner_returns"),
    "health": ("health_assaults", "partner_returns"),
    "ambulance": ("ambulance_callouts", "partner_returns"),
    "childrens-services": ("childrens_assessments", "partner_returns"),
    "treatment": ("treatment_events", "partner_returns"),
}


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ContractError(
            f"There is no table called {name!r}.",
            fix=f"Known tables: {', '.join(TABLES)}.",
        ) from None


def empty_table(name: str) -> pa.Table:
    """An empty Arrow table with the warehouse schema of ``name``."""
    return table(name).arrow_schema.empty_table()
