"""Write the demo partnership as the extract files a real partnership would supply.

The police record-level extract uses a police system's own layout (headers such as "Crime
Reference", "HO Offence Code", "DA Flag"; dates as ``dd/mm/yyyy HH:MM``; flags ``Y``/``N``) and comes
with ``police-extract-mapping.yaml`` in the mapping format of ``docs/data-contract.md``. The partner
files use the default layout: the contract's column names, ISO dates, ``true``/``false``.
Files are written with the ``csv`` module, UTF-8, ``\\n`` line ends, fixed number formats, so the
same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .. import geo
from . import places
from .crimes import STRANDS


CRIME_HEADERS = (
    "Crime Reference", "HO Offence Code", "Offence Description", "Date Recorded",
    "Committed From", "Committed To", "LSOA Code", "Easting", "Northing", "Latitude", "Longitude",
    "DA Flag", "Hate Race", "Hate Religion", "Hate Sexual Orientation", "Hate Disability",
    "Hate Transgender", "Alcohol Flag", "Drugs Flag", "Weapon Knife", "Weapon Firearm",
    "Weapon Other", "NTE Flag",
)
VICTIM_HEADERS = ("Crime Reference", "Victim ID", "Victim Type", "Age", "Gender",
                  "Relationship to Offender")
SUSPECT_HEADERS = ("Crime Reference", "Suspect ID", "Age", "Gender")
VICTIM_TYPES = {"person": "Individual", "business": "Organisation", "state": "Public Body"}
GENDERS = {"female": "F", "male": "M", "": "U"}
RELATIONSHIPS = {"partner": "Partner", "ex_partner": "Ex-Partner", "family": "Family Member",
                 "acquaintance": "Acquaintance", "stranger": "Stranger", "unknown": "Not Known",
                 "": ""}

MAPPING = """\
# How this police force's record-level extract maps to the safecity data contract.
# Written by `safecity demo`; a partnership edits a copy of this file for its own extract.
kind: police-extract
tables:
  crimes:
    columns:
      crime_ref: "Crime Reference"
      offence_code: "HO Offence Code"
      recorded_date: "Date Recorded"
      committed_from: "Committed From"
      committed_to: "Committed To"
      lsoa_code: "LSOA Code"
      easting: "Easting"
      northing: "Northing"
      latitude: "Latitude"
      longitude: "Longitude"
      domestic_abuse: "DA Flag"
      hate_race: "Hate Race"
      hate_religion: "Hate Religion"
      hate_sexual_orientation: "Hate Sexual Orientation"
      hate_disability: "Hate Disability"
      hate_transgender: "Hate Transgender"
      alcohol_related: "Alcohol Flag"
      drug_related: "Drugs Flag"
      weapon_bladed: "Weapon Knife"
      weapon_firearm: "Weapon Firearm"
      weapon_other: "Weapon Other"
      night_time_economy: "NTE Flag"
    values:
      domestic_abuse: {"Y": true, "N": false, "": false}
    dates: ["%d/%m/%Y %H:%M", "%d/%m/%Y"]
  victims:
    columns: {crime_ref: "Crime Reference", person_key: "Victim ID", victim_type: "Victim Type",
              age: "Age", sex: "Gender", relationship: "Relationship to Offender"}
    values:
      victim_type: {"Individual": person, "Organisation": business, "Public Body": state}
      sex: {"F": female, "M": male, "U": unknown}
      relationship: {"Partner": partner, "Ex-Partner": ex_partner, "Family Member": family,
                     "Acquaintance": acquaintance, "Stranger": stranger, "Not Known": unknown}
  suspects:
    columns: {crime_ref: "Crime Reference", person_key: "Suspect ID", age: "Age", sex: "Gender"}
    values:
      sex: {"F": female, "M": male, "U": unknown}
"""


@dataclass(frozen=True)
class DemoFiles:
    """Where ``safecity demo`` put each file, and how to ingest them."""

    folder: Path
    geography: Path
    crimes: Path
    victims: Path
    suspects: Path
    mapping: Path
    asb: Path
    hate: Path
    youth_justice: Path
    referrals: Path
    #: partner sources (engine/partners.py): kind -> file
    partners: tuple[tuple[str, Path], ...] = ()

    def plan(self) -> list[tuple[str, list[Path], Path | None]]:
        """(source kind, files, mapping) in load order: geography first."""
        return [("geography", [self.geography], None),
                ("police-extract", [self.crimes, self.victims, self.suspects], self.mapping),
                ("asb", [self.asb], None), ("hate", [self.hate], None),
                ("youth-justice", [self.youth_justice], None), ("referrals", [self.referrals], None),
                *((kind, [path], None) for kind, path in self.partners)]

    @property
    def all(self) -> list[Path]:
        return [self.geography, self.crimes, self.victims, self.suspects, self.mapping, self.asb,
                self.hate, self.youth_justice, self.referrals, *(p for _, p in self.partners)]


def iso(days: np.ndarray) -> list[str]:
    return list(np.datetime_as_string(days.astype("datetime64[D]"), unit="D"))


def uk_date(days: np.ndarray) -> list[str]:
    return [f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso(days)]


def uk_datetime(moments: np.ndarray) -> list[str]:
    text = np.datetime_as_string(moments.astype("datetime64[m]"), unit="m")
    return [f"{s[8:10]}/{s[5:7]}/{s[0:4]} {s[11:16]}" for s in text]


def flag(values: np.ndarray, no: str = "") -> list[str]:
    return ["Y" if v else no for v in values]


def boolean(values: np.ndarray) -> list[str]:
    return ["true" if v else "false" for v in values]


def _write(path: Path, header: Sequence[str], columns: Iterable[Sequence]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(zip(*columns))


def _coordinates(lon: np.ndarray, lat: np.ndarray) -> list[list[str]]:
    east, north = geo.to_bng(lon, lat)
    return [[f"{x:.0f}" for x in east], [f"{y:.0f}" for y in north],
            [f"{y:.6f}" for y in lat], [f"{x:.6f}" for x in lon]]


def write_geography(path: Path) -> None:
    g = places.southampton()
    n = len(g)
    _write(path, ("lsoa11_code", "lsoa_name", "ward_code", "ward_name", "sector", "lad_code",
                  "lad_name", "csp_code", "csp_name", "population", "population_10_17",
                  "imd_score", "imd_rank", "imd_decile"),
           (g.code, g.name, g.ward_code, g.ward_name, g.sector, [g.lad[0]] * n, [g.lad[1]] * n,
            [g.csp[0]] * n, [g.csp[1]] * n, g.population, g.population_10_17,
            [f"{x:.3f}" for x in g.imd_score], g.imd_rank, g.imd_decile))


def write_crimes(path: Path, c: dict[str, np.ndarray], labels: np.ndarray) -> None:
    codes = places.southampton().code
    east, north, lat, lon = _coordinates(c["lon"], c["lat"])
    _write(path, CRIME_HEADERS, (
        c["crime_ref"], c["offence_code"], labels, uk_date(c["recorded"]),
        uk_datetime(c["committed_from"]), uk_datetime(c["committed_to"]), codes[c["lsoa"]],
        east, north, lat, lon, flag(c["domestic"], "N"),
        *(flag(c[f"hate_{s}"]) for s in STRANDS), flag(c["alcohol"]), flag(c["drug"]),
        flag(c["bladed"]), flag(c["firearm"]), flag(c["other_weapon"]), flag(c["nte"])))


def write_victims(path: Path, v: dict[str, np.ndarray]) -> None:
    _write(path, VICTIM_HEADERS, (
        v["crime_ref"], v["id"], [VICTIM_TYPES[t] for t in v["type"]],
        ["" if a < 0 else str(a) for a in v["age"]],
        [GENDERS[s] if t == "person" else "" for s, t in zip(v["sex"], v["type"])],
        [RELATIONSHIPS[r] for r in v["relationship"]]))


def write_suspects(path: Path, s: dict[str, np.ndarray]) -> None:
    _write(path, SUSPECT_HEADERS, (s["crime_ref"], s["id"],
                                   ["" if a < 0 else str(a) for a in s["age"]],
                                   [GENDERS[x] for x in s["sex"]]))


def write_asb(path: Path, a: dict[str, np.ndarray]) -> None:
    east, north, lat, lon = _coordinates(a["lon"], a["lat"])
    _write(path, ("incident_ref", "recorded_date", "asb_type", "reporting_agency", "lsoa_code",
                  "latitude", "longitude", "easting", "northing"),
           (a["incident_ref"], iso(a["recorded_date"]), a["asb_type"], a["reporting_agency"],
            places.southampton().code[a["lsoa"]], lat, lon, east, north))


def write_hate(path: Path, h: dict[str, np.ndarray]) -> None:
    codes = places.southampton().code
    _write(path, ("report_ref", "recorded_date", "channel", "is_crime", "crime_ref",
                  *(f"strand_{s}" for s in STRANDS), "lsoa_code"),
           (h["report_ref"], iso(h["recorded_date"]), h["channel"], boolean(h["is_crime"]),
            h["crime_ref"], *(boolean(h["strands"][:, j]) for j in range(len(STRANDS))),
            ["" if i < 0 else codes[i] for i in h["lsoa"]]))


def write_youth(path: Path, y: dict[str, np.ndarray]) -> None:
    _write(path, ("young_person_id", "date_of_birth", "offence_date", "outcome_date",
                  "outcome_type", "offence_code", "sex"),
           (y["young_person_id"], iso(y["date_of_birth"]), iso(y["offence_date"]),
            iso(y["outcome_date"]), y["outcome_type"], y["offence_code"], y["sex"]))


def write_referrals(path: Path, r: dict[str, np.ndarray]) -> None:
    _write(path, ("referral_ref", "referral_date", "person_id", "children_in_household",
                  "repeat_referral", "referring_agency"),
           (r["referral_ref"], iso(r["referral_date"]), r["person_id"],
            r["children_in_household"], boolean(r["repeat_referral"]), r["referring_agency"]))


# -- partner sources (default layouts: the contract's column names) ---------------------------

def _minutes(moments: np.ndarray) -> list[str]:
    """Date and time to the minute; blank where there is none (NaT)."""
    return ["" if s == "NaT" else s.replace("T", " ")
            for s in np.datetime_as_string(moments.astype("datetime64[m]"), unit="m")]


def _place(rows: dict[str, np.ndarray]) -> list[list[str]]:
    east, north, lat, lon = _coordinates(rows["lon"], rows["lat"])
    return [list(places.southampton().code[rows["lsoa"]]), lat, lon, east, north]


PLACE_HEADERS = ("lsoa_code", "latitude", "longitude", "easting", "northing")


def write_fire(path: Path, f: dict[str, np.ndarray]) -> None:
    _write(path, ("incident_ref", "incident_date", "incident_at", "fire_type", "deliberate",
                  "property_type", *PLACE_HEADERS),
           (f["ref"], iso(f["date"]), _minutes(f["at"]), f["fire_type"], boolean(f["deliberate"]),
            f["property_type"], *_place(f)))


def write_health(path: Path, h: dict[str, np.ndarray]) -> None:
    _write(path, ("attendance_ref", "attendance_date", "setting", "patient_id", "age", "sex",
                  "icd10_cause", "alcohol_related", "weapon", "assault_at", "place_type",
                  *PLACE_HEADERS),
           (h["ref"], iso(h["date"]), h["setting"], h["patient_id"], h["age"], h["sex"],
            h["cause"], boolean(h["alcohol"]), h["weapon"], _minutes(h["assault_at"]),
            h["place"], *_place(h)))


def write_ambulance(path: Path, a: dict[str, np.ndarray]) -> None:
    _write(path, ("callout_ref", "callout_date", "callout_at", "call_type", "age", "sex",
                  "conveyed", *PLACE_HEADERS),
           (a["ref"], iso(a["date"]), _minutes(a["at"]), a["call_type"], a["age"], a["sex"],
            boolean(a["conveyed"]), *_place(a)))


def write_childrens(path: Path, c: dict[str, np.ndarray]) -> None:
    factors = [k for k in c if k.startswith("factor_")]
    _write(path, ("assessment_ref", "completed_date", "child_id", "age", "sex", *factors),
           (c["ref"], iso(c["date"]), c["child_id"], c["age"], c["sex"],
            *(boolean(c[k]) for k in factors)))


def write_treatment(path: Path, t: dict[str, np.ndarray]) -> None:
    _write(path, ("event_ref", "event_date", "event_type", "client_id", "substance", "age",
                  "sex"),
           (t["ref"], iso(t["date"]), t["event_type"], t["client_id"], t["substance"], t["age"],
            t["sex"]))
