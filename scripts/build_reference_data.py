"""Build the reference data shipped inside the package from ../shared/data (run by a developer).

    .venv/bin/python scripts/build_reference_data.py [--shared ../shared/data]

The product never reads ../shared at run time: everything it needs is written here, small and
deterministic, and committed (the outputs and this script). Inputs and what is derived:

* Offence classification (``engine/classification/offences.csv``): ONS 2017/18 offence hierarchy
  relabelled to the current ONS offence groups and subgroups, the police.uk category from the
  MOPD join, plus the codes the hierarchy lacks; every choice is in docs/classification.md.
* Crime Severity Score weights (``engine/classification/css_weights_c2020.csv``): the ONS CSS
  "List of weights", edition c. 2020, by Home Office code.
* LSOA geography (``engine/data/lsoa11_geography.csv.gz``): every 2011 LSOA of England and Wales,
  its April-2019 LAD, Dec-2019 CSP, mid-2019 population and (England only) IMD 2019.
* CSPs (``engine/data/csps.csv``) and local authorities (``engine/data/lads.csv``), with mid-2018
  and mid-2019 populations and the mid-2019 population aged 10 to 17 (MYE2, needs ``xlrd``), and
  the CSPs of LADs created after April 2019 (``engine/data/lad_csp_later.csv``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "safecity" / "engine"
EDITION = "ONS Crime Severity Score list of weights, edition c. 2020"

# -- offence classification -------------------------------------------------------------------

SUBGROUP_RELABEL = {  # 2017/18 ONS code-list subgroup -> current ONS subgroup label
    "Domestic burglary": "Residential burglary",
    "Non-domestic burglary": "Non-residential burglary",
    "Theft of a motor vehicle": "Vehicle offences",
    "Theft from a vehicle": "Vehicle offences",
    "Vehicle interference": "Vehicle offences",
    "Other theft offences": "All other theft offences",
    "Harassment": "Stalking and harassment",
    "Fraud offences to 2012/13": "Fraud offences",
}
CODE_SUBGROUP = {  # codes whose subgroup differs from their place in the 2017/18 tree
    "8Q": "Stalking and harassment",   # stalking: moved from violence without injury
    "8M": "Stalking and harassment",   # racially or religiously aggravated harassment
    "4.4": "Death or serious injury - unlawful driving",
    "4.6": "Death or serious injury - unlawful driving",
    "4.8": "Death or serious injury - unlawful driving",
    "4.9": "Death or serious injury - unlawful driving",
    "37.1": "Death or serious injury - unlawful driving",
    "34A": "Robbery of business property",
    "34B": "Robbery of personal property",
}
HOMICIDE = {"1": "Murder", "4.1": "Manslaughter", "4.10": "Corporate manslaughter",
            "4.2": "Infanticide"}
EXTRA = [  # codes the 2017/18 hierarchy lacks: (code, label, group, subgroup, police.uk category)
    ("8U", "Controlling or coercive behaviour", "Violence against the person",
     "Stalking and harassment", "Violence and sexual offences"),
    ("19J", "Rape of a female - multiple undefined offenders", "Sexual offences", "Rape",
     "Violence and sexual offences"),
    ("19K", "Rape of a male - multiple undefined offenders", "Sexual offences", "Rape",
     "Violence and sexual offences"),
]
POLICE_UK_CASE = {  # MOPD join's Title Case -> the street files' sentence case
    "Violence and Sexual Offences": "Violence and sexual offences",
    "Criminal Damage and Arson": "Criminal damage and arson",
    "Theft from the Person": "Theft from the person",
    "Possession of Weapons": "Possession of weapons",
    "Public Order": "Public order",
    "Other Crime": "Other crime",
    "Other Theft": "Other theft",
    "Vehicle Crime": "Vehicle crime",
    "Bicycle Theft": "Bicycle theft",
}


def build_offences(shared: Path) -> list[dict[str, str]]:
    police_uk: dict[str, str] = {}
    with open(shared / "offences/mopd_policeuk-ons-code-join.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            cat = row["POLICE_UK_CAT_MAP_category"].strip()
            police_uk[row["ONS_COUNTS_code"].strip()] = POLICE_UK_CASE.get(cat, cat)
    out = []
    with open(shared / "offences/ons_offence_hierarchy_2017_18.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["is_leaf"] != "True":
                continue
            group, sub = row["offence_group"], row["offence_subgroup"]
            sub = SUBGROUP_RELABEL.get(sub, sub)
            if row["code"] == "1-4.1-4.10-4.2":
                for code, label in HOMICIDE.items():
                    out.append(dict(code=code, label=label, offence_group=group,
                                    offence_subgroup="Homicide",
                                    police_uk_category=police_uk[code]))
                continue
            code = row["code"]
            sub = CODE_SUBGROUP.get(code, sub)
            if group == "Fraud offences":
                cat = ""  # fraud is recorded nationally (Action Fraud), not in the street files
            else:
                cat = police_uk[code]
            out.append(dict(code=code, label=row["label"].strip(), offence_group=group,
                            offence_subgroup=sub, police_uk_category=cat))
    for code, label, group, sub, cat in EXTRA:
        out.append(dict(code=code, label=label, offence_group=group, offence_subgroup=sub,
                        police_uk_category=cat))
    codes = [r["code"] for r in out]
    assert len(codes) == len(set(codes)), "duplicate offence code"
    return sorted(out, key=lambda r: _code_key(r["code"]))


def _code_key(code: str) -> tuple:
    head = "".join(ch for ch in code.split(".")[0] if ch.isdigit())
    return (int(head or 0), code)


def build_weights(shared: Path, codes: set[str]) -> list[dict[str, str]]:
    weights: dict[str, str] = {}
    with open(shared / "offences/mopd_severity_codes.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code_original"].strip()
            parts = code.split("/") if code.startswith("1/") else [code]
            for c in parts:  # the combined homicide row 1/4.1/4.10/4.2
                if c in weights and weights[c] != row["weight"]:
                    raise SystemExit(f"conflicting weights for {c}")
                weights[c] = row["weight"]
    missing = sorted(codes - set(weights))
    print(f"  codes without a CSS weight: {', '.join(missing)}", file=sys.stderr)
    return [dict(code=c, weight=f"{float(w):.6f}", edition=EDITION)
            for c, w in sorted(weights.items(), key=lambda kv: _code_key(kv[0]))]


# -- geography --------------------------------------------------------------------------------

def _read(path: Path, **kw) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, **kw))


def build_csps(shared: Path) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """CSP rows; whole-LAD → CSP; LSOA-name prefix → CSP for the CSPs that split a LAD."""
    rows = _read(shared / "population/csp_population_mid2018_mid2019.csv")
    lad_to_csp: dict[str, str] = {}
    for r in rows:
        if r["lad_codes_april2019"] != "LSOA subset":
            for lad in r["lad_codes_april2019"].split("|"):
                assert lad not in lad_to_csp, lad
                lad_to_csp[lad] = r["csp_code"]
    # CSPs that cut across an April-2019 LAD, resolved by 2011 LSOA name (SOURCES.md §3):
    # Bournemouth, Christchurch and Poole (E06000058) -> Bournemouth / Poole / Dorset
    # (Christchurch), East Suffolk (E07000244) -> Suffolk Coastal / Waveney; Dorset UA whole.
    by_name = {r["csp_name"]: r["csp_code"] for r in rows}
    prefix = {"Bournemouth": by_name["Bournemouth"], "Poole": by_name["Poole"],
              "Christchurch": by_name["Dorset"], "Suffolk Coastal": by_name["Suffolk Coastal"],
              "Waveney": by_name["Waveney"]}
    lad_to_csp.setdefault("E06000059", by_name["Dorset"])
    return rows, lad_to_csp, prefix


def build_lsoas(shared: Path, lad_to_csp: dict[str, str], prefix: dict[str, str],
                csp_names: dict[str, str]) -> list[dict]:
    pops = {r["lsoa"]: int(r["pop"].replace(",", ""))
            for r in _read(shared / "population/mysociety_2019_lsoa_population.csv")}
    out = []
    for r in _read(shared / "imd/imd2019_england_lsoa_combined.csv"):
        out.append(dict(lsoa11_code=r["lsoa11cd"], lsoa_name=r["lsoa11nm"],
                        lad_code=r["lad19cd"], population=int(r["population_mid2019"]), imd_score=r["imd_score"],
                        imd_rank=r["imd_rank"], imd_decile=r["imd_decile"]))
    # Wales: no IMD 2019 (the Welsh index is a different measure); LAD from the exact-fit
    # lookup (Welsh LAD codes did not change between 2019 and 2022).
    seen = set()
    for r in _read(shared / "lookups/lsoa11_lsoa21_lad22_exact_fit.csv"):
        code = r["LSOA11CD"]
        if not code.startswith("W") or code in seen:
            continue
        seen.add(code)
        out.append(dict(lsoa11_code=code, lsoa_name=r["LSOA11NM"], lad_code=r["LAD22CD"],
                        population=pops[code], imd_score="",
                        imd_rank="", imd_decile=""))
    for row in out:
        csp = lad_to_csp.get(row["lad_code"])
        if csp is None:
            stem = row["lsoa_name"].rsplit(" ", 1)[0]
            csp = prefix[stem]
        row["csp_code"] = csp
        assert csp in csp_names, csp
    out.sort(key=lambda r: r["lsoa11_code"])
    return out


def read_mye2(shared: Path) -> dict[str, tuple[str, int, int]]:
    """April-2019 area code -> (name, all ages, aged 10-17) from sheet MYE2 - Persons."""
    try:
        import xlrd
    except ImportError:
        raise SystemExit("xlrd is needed to read the .xls workbook: .venv/bin/pip install xlrd")
    book = xlrd.open_workbook(str(shared / "population/ukmidyearestimates20192019ladcodes.xls"))
    sheet = book.sheet_by_name("MYE2 - Persons")
    header_row = next(i for i in range(20) if sheet.cell_value(i, 0) == "Code")
    header = sheet.row_values(header_row)
    ages = [header.index(float(a)) for a in range(10, 18)]
    out = {}
    for i in range(header_row + 1, sheet.nrows):
        row = sheet.row_values(i)
        if not row[0] or row[3] == "":
            continue  # blank rows and the footnotes under the table
        out[row[0]] = (row[1].strip(), int(row[3]), int(sum(row[c] for c in ages)))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    shared = args.shared

    offences = build_offences(shared)
    _write_csv(PKG / "classification/offences.csv", offences)
    _write_csv(PKG / "classification/css_weights_c2020.csv",
               build_weights(shared, {r["code"] for r in offences}))

    csp_rows, lad_to_csp, prefix = build_csps(shared)
    csp_names = {r["csp_code"]: r["csp_name"] for r in csp_rows}
    lsoas = build_lsoas(shared, lad_to_csp, prefix, csp_names)
    _write_csv(PKG / "data/lsoa11_geography.csv.gz", lsoas, gz=True)

    mye = read_mye2(shared)
    la = {r["area_code"]: r for r in _read(shared / "population/la_population_mid2018_mid2019.csv")}
    lad_codes = sorted({r["lad_code"] for r in lsoas})
    lads = []
    for code in lad_codes:
        name, total, youth = mye[code]
        assert int(la[code]["population_mid2019"]) == total, code
        lads.append(dict(lad_code=code, lad_name=name,
                         population_mid2018=la[code]["population_mid2018"],
                         population_mid2019=total, population_10_17=youth,
                         csp_code=lad_to_csp.get(code, "")))
    _write_csv(PKG / "data/lads.csv", lads)

    # LADs created after April 2019 (Buckinghamshire, the Northamptonshires, Cumbria, North
    # Yorkshire, Somerset): CSPs kept the old districts, so one new LAD can hold several CSPs.
    later = sorted({(r["LAD24CD"], r["LAD24NM"], r["CSP24CD"])
                    for r in _read(shared / "lookups/lad24_csp24_pfa24.csv")
                    if r["LAD24CD"] not in set(lad_codes)})
    _write_csv(PKG / "data/lad_csp_later.csv",
               [dict(lad_code=a, lad_name=b, csp_code=c) for a, b, c in later])

    youth_by_lad = {r["lad_code"]: r["population_10_17"] for r in lads}
    csps = []
    for r in csp_rows:
        lad_list = r["lad_codes_april2019"]
        whole = lad_list != "LSOA subset"
        if r["csp_name"] == "Dorset":
            whole = False  # Dorset CSP = Dorset UA + Christchurch LSOAs: no age detail for those
        youth = sum(youth_by_lad[c] for c in lad_list.split("|")) if whole else ""
        csps.append(dict(csp_code=r["csp_code"], csp_name=r["csp_name"], pfa_code=r["pfa_code"],
                         pfa_name=r["pfa_name"],
                         lad_codes=lad_list if whole else "",
                         population_mid2018=r["population_mid2018"],
                         population_mid2019=r["population_mid2019"], population_10_17=youth))
    _write_csv(PKG / "data/csps.csv", csps)
    # The LSOA populations must add up to the CSP populations.
    sums: dict[str, int] = defaultdict(int)
    for r in lsoas:
        sums[r["csp_code"]] += r["population"]
    bad = [c["csp_code"] for c in csps if sums[c["csp_code"]] != int(c["population_mid2019"])]
    assert not bad, f"LSOA populations do not add up for {bad}"
    print(f"wrote {len(offences)} offences, {len(lsoas)} LSOAs, {len(lads)} LADs, "
          f"{len(csps)} CSPs", file=sys.stderr)


def _write_csv(path: Path, rows: list[dict], gz: bool = False) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:  # mtime=0 and no name: the same input gives byte-identical output
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0,
                                                  filename="", compresslevel=9) as gzf:
            gzf.write(data)
    else:
        path.write_bytes(data)


if __name__ == "__main__":
    main()
