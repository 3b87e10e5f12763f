"""A small hand-built police extract written straight into a warehouse, for section tests.

Every figure the tests check is computed again here from these Python lists, independently of
the SQL in the sections. Southampton LSOAs are used so the reference geography resolves the area.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from safecity.engine import contract
from safecity.engine.warehouse import Batch, Warehouse, new_batch_id

SOUTHAMPTON_LSOAS = ("E01017136", "E01017137", "E01017138", "E01017139", "E01017140",
                     "E01017142", "E01017144", "E01017145")

# (offence_code, offence_group, offence_subgroup, police_uk_category)
OFFENCES = {
    "assault": ("8N", "Violence against the person", "Violence with injury",
                "Violence and sexual offences"),
    "common": ("105A", "Violence against the person", "Violence without injury",
               "Violence and sexual offences"),
    "rape": ("19C", "Sexual offences", "Rape", "Violence and sexual offences"),
    "sexual": ("17A", "Sexual offences", "Other sexual offences", "Violence and sexual offences"),
    "burglary": ("28E", "Theft offences", "Residential burglary", "Burglary"),
    "commercial": ("30C", "Theft offences", "Non-residential burglary", "Burglary"),
    "shoplifting": ("46", "Theft offences", "Shoplifting", "Shoplifting"),
}


@dataclass
class Extract:
    crimes: list[dict] = field(default_factory=list)
    victims: list[dict] = field(default_factory=list)
    suspects: list[dict] = field(default_factory=list)


def _crime(ref: str, kind: str, day: dt.date, lsoa: str, **flags) -> dict:
    code, group, sub, cat = OFFENCES[kind]
    start = dt.datetime.combine(day, dt.time(22, 0))
    row = {"crime_ref": ref, "source": "police-extract", "offence_code": code,
           "offence_group": group, "offence_subgroup": sub, "police_uk_category": cat,
           "recorded_date": day, "month": day.strftime("%Y-%m"), "committed_from": start,
           "committed_to": start + dt.timedelta(hours=3), "lsoa_code": lsoa,
           "lsoa11_code": lsoa, "easting": 442000.0 + random.random() * 2000,
           "northing": 112000.0 + random.random() * 2000}
    for name in contract.CRIMES.names:
        if contract.CRIMES.column(name).type is contract.Type.BOOL and name != "duplicate_id":
            row.setdefault(name, False)
    row.update(flags)
    return row


def build_extract(seed: int = 7) -> Extract:
    """Two financial years (2018/19, 2019/20) of crimes with victims and suspects.

    Sensitive cells are deliberately small: 3 rape crimes in 2019/20, 2 hate crimes on the
    transgender strand.
    """
    random.seed(seed)
    ex = Extract()
    n = 0
    for year, volume in ((2018, 300), (2019, 360)):
        start = dt.date(year, 4, 1)
        for i in range(volume):
            n += 1
            day = start + dt.timedelta(days=i * 365 // volume)  # every month of the year
            kind = ("assault", "common", "burglary", "shoplifting")[i % 4]
            lsoa = SOUTHAMPTON_LSOAS[i % len(SOUTHAMPTON_LSOAS)]
            flags = {"domestic_abuse": i % 5 == 0, "alcohol_related": i % 7 == 0,
                     "hate_race": i % 40 == 0}
            ex.crimes.append(_crime(f"C{n}", kind, day, lsoa, **flags))
            if kind in ("assault", "common", "burglary"):
                person = f"P{year}-{i % 150}"
                ex.victims.append({"crime_ref": f"C{n}", "person_key": person,
                                   "victim_type": "person", "age": 15 + i % 60,
                                   "sex": ("female", "male")[i % 2],
                                   "relationship": ("partner", "stranger", "acquaintance",
                                                    "ex_partner")[i % 4]})
                ex.suspects.append({"crime_ref": f"C{n}", "person_key": f"S{i % 90}",
                                    "age": 18 + i % 40, "sex": "male"})
            elif kind == "shoplifting":
                ex.victims.append({"crime_ref": f"C{n}", "person_key": None,
                                   "victim_type": "business", "age": None, "sex": None,
                                   "relationship": None})
        rapes = 3 if year == 2019 else 6
        for j in range(rapes):
            n += 1
            ex.crimes.append(_crime(f"C{n}", "rape", start + dt.timedelta(days=20 * j + 3),
                                    SOUTHAMPTON_LSOAS[j], domestic_abuse=j == 0))
            ex.victims.append({"crime_ref": f"C{n}", "person_key": f"R{year}-{j}",
                               "victim_type": "person", "age": 16 + j, "sex": "female",
                               "relationship": "acquaintance"})
        trans = 2 if year == 2019 else 7
        for j in range(trans):
            n += 1
            ex.crimes.append(_crime(f"C{n}", "common", start + dt.timedelta(days=30 * j + 5),
                                    SOUTHAMPTON_LSOAS[j], hate_transgender=True))
    # six heavy repeat victims in 2019/20, six crimes each
    for h in range(6):
        for j in range(6):
            n += 1
            ex.crimes.append(_crime(f"C{n}", "common", dt.date(2019, 6 + h, 1 + j),
                                    SOUTHAMPTON_LSOAS[h], domestic_abuse=True))
            ex.victims.append({"crime_ref": f"C{n}", "person_key": f"HEAVY{h}",
                               "victim_type": "person", "age": 30 + h, "sex": "female",
                               "relationship": "partner"})
    return ex


def write_warehouse(root: Path, ex: Extract) -> Warehouse:
    wh = Warehouse(root)
    batch_id = new_batch_id()
    with wh.transaction() as tx:
        tables = {}
        for name, rows in (("crimes", ex.crimes), ("victims", ex.victims),
                           ("suspects", ex.suspects)):
            schema = contract.table(name).arrow_schema
            data = {f.name: [r.get(f.name) for r in rows] for f in schema
                    if f.name not in ("batch_id", "source_line")}
            data["batch_id"] = [batch_id] * len(rows)
            data["source_line"] = list(range(2, len(rows) + 2))
            tables[name] = tx.write_table(name, batch_id, pa.table(data).cast(schema))
        months = sorted({r["month"] for r in ex.crimes})
        tx.add(Batch(batch_id=batch_id, source="police-extract", scope="synthetic",
                     inputs=[{"name": "synthetic", "sha256": batch_id, "size": 0}],
                     months=months, tables=tables, read=len(ex.crimes),
                     stored=len(ex.crimes), rejected=0))
    return wh
