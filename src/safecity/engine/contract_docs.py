"""Render docs/data-contract.md from the data contract, so the document cannot fall behind.

    python -m safecity.engine.contract_docs            # print
    python -m safecity.engine.contract_docs --write    # rewrite docs/data-contract.md

A test compares the committed file with ``render()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import contract
from . import partners as _partners
from .contract import Column, Table
from .ingest import mapping as mp
from .ingest.validate import MAX_AGE, MIN_AGE, SYNONYMS

DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"

SCOPES = {
    "police-extract": "`extract/crimes`, `extract/victims`, `extract/suspects`",
    "police-uk": "the force (the reader's own scope)",
    "asb": "`asb`", "hate": "`hate`", "youth-justice": "`youth-justice`",
    "referrals": "`referrals`", "geography": "`geography` (the whole table)",
    "intelligence": "`intelligence` (by month)",
    "action-groups": "`action-groups` (the whole table)",
    **{s.kind: f"`{s.kind}` for records, `{s.kind}-returns` for quarterly returns"
       for s in _partners.SOURCES},
}


def _partner_section() -> list[str]:
    """Partner sources: their measures (the `measure` of a quarterly return) and the demo's
    calibration (engine/partners.py)."""
    lines = ["## Partner sources and quarterly returns", "",
             "Fire, health (Information Sharing to Tackle Violence), ambulance, children's "
             "services and drug and alcohol treatment files are read by one reader "
             "(`engine/ingest/partners.py`). A file whose header has `quarter`, `measure` and "
             "`count` is a depersonalised quarterly return (s.17A Crime and Disorder Act 1998, "
             "SI 2007/1831) and goes to `partner_returns`; read it with `--source KIND`, since "
             "its columns are the same for every partner. Any other file is the partner's "
             "record-level table. A quarter is `YYYY-Qn` (Q1 = January to March); a return's "
             "rows cover the three months of their quarter, and a row with no LSOA counts for "
             "the partnership's whole area (give either LSOA rows or one whole-area row per "
             "quarter and measure, not both). A return made by outward postcode district, as "
             "SI 2007/1831 allows for health, is summed to one whole-area row (safecity ships no "
             "postcode lookup). Record-level rows take precedence: returns are "
             "used only when none of the partner's records are loaded.", ""]
    for spec in _partners.SOURCES:
        lines += [f"### `{spec.kind}` measures", ""]
        for m in spec.measures:
            lines.append(f"- `{m.key}`: {m.definition}")
        lines += ["", f"Demo calibration: {spec.calibration}", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _column_row(col: Column, table: Table) -> str:
    flags = []
    if col.derived:
        flags.append("derived")
    if col.personal:
        flags.append("pseudonymised")
    allowed = ", ".join(f"`{a}`" for a in dict.fromkeys(col.allowed)) if col.allowed else ""
    required = "yes" if col.required else ""
    return (f"| `{col.name}` | {col.type.value} | {required} | {allowed} | "
            f"{', '.join(flags)} | {_cell(col.meaning)} |")


def _table_section(t: Table) -> list[str]:
    lines = [f"### {t.name}", "", t.description, ""]
    if t.key:
        lines.append(f"Key: {', '.join(f'`{k}`' for k in t.key)}. "
                     f"Loaded by: {', '.join(f'`{s}`' for s in t.sources)}.")
        lines.append("")
    lines += ["| column | type | required | allowed values | at ingest | meaning |",
              "|---|---|---|---|---|---|"]
    lines += [_column_row(c, t) for c in t.columns]
    lines += ["| `batch_id` | string |  |  | lineage | The ingest that wrote the row. |",
              "| `source_line` | int |  |  | lineage | Line (CSV) or sheet row (XLSX) of the "
              "source file the row came from. |", ""]
    return lines


def _layout_section(kind: str) -> list[str]:
    lines = [f"### `{kind}`", ""]
    for table in mp.KIND_TABLES[kind]:
        cols = mp.layout_columns(kind, table)
        req = [c.name for c in cols if c.required]
        opt = [c.name for c in cols if not c.required]
        prefix = f"{table}: " if len(mp.KIND_TABLES[kind]) > 1 else ""
        lines.append(f"- {prefix}required headers {', '.join(f'`{c}`' for c in req)}; "
                     f"optional {', '.join(f'`{c}`' for c in opt)}.")
    extras = [inp for t in mp.KIND_TABLES[kind] for inp, _ in mp.INPUT_ONLY.get((kind, t), ())]
    for inp in extras:
        lines.append(f"- input-only `{inp.name}` ({inp.type.value}): {inp.meaning}")
    lines.append(f"- replacement scope: {SCOPES[kind]}.")
    lines.append("")
    return lines


def render() -> str:
    out = [
        "# The data contract",
        "",
        "<!-- Generated from src/safecity/engine/contract.py by "
        "`python -m safecity.engine.contract_docs --write`. Do not edit by hand: a test fails "
        "when this file differs from the code. -->",
        "",
        "The canonical tables every reader loads into, the one source of truth for readers, "
        "validators, the demo generator and the warehouse schema.",
        "",
        "## Conventions",
        "",
        "- Every table also carries the lineage columns `batch_id` and `source_line`.",
        "- Every Parquet file under the warehouse's `data/<table>/` holds its table's full "
        "schema as listed here, in this order (lineage columns last; a column a source never "
        "fills is a typed null), so DuckDB, pyarrow, Polars or Spark read the files as "
        "documented without safecity (the files `manifest.json` lists are the current ones).",
        "- Person identifiers are never stored as supplied: they are replaced at ingest by a keyed "
        "hash (HMAC-SHA256, 32 hex digits; the key lives outside the warehouse, setting "
        "`pseudonym_key_file`). The same identifier gets the same key in every file and source, "
        "so repeat victims and re-offending can be counted. The manifest records the key's "
        "fingerprint, never the key (see *The pseudonymisation key* below).",
        "- Names, addresses, dates of birth and free text are never stored. No column can hold "
        "them, and a mapping that names one is refused.",
        "- `month` is the recorded month `YYYY-MM`; it is how the warehouse knows what period a "
        "file covers, and how a newer file replaces months already loaded (within its source and "
        "replacement scope).",
        "- `lsoa11_code` is derived from `lsoa_code` of either vintage: a 2021 LSOA *split* from a "
        "2011 one maps to its 2011 parent (exact); a 2021 LSOA made by *merging* 2011 ones maps "
        "to the first of its parts by code, and a complex change to the first 2011 LSOA of the "
        "ONS exact-fit lookup: documented approximations affecting 239 + 9 of 35,672 codes.",
        "- Columns marked *derived* are computed at ingest and cannot be mapped.",
        "",
        "## Tables",
        "",
    ]
    for t in contract.TABLES.values():
        out += _table_section(t)
    out += [
        "## Values",
        "",
        "- Blank (empty or spaces) is missing. A missing required value rejects the row.",
        "- Flags (bool): `true/false`, `yes/no`, `y/n`, `1/0`, any case; blank is false.",
        "- Dates: `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-Mon-YYYY` (e.g. `05-Apr-2019`), each "
        "optionally followed by ` HH:MM` or ` HH:MM:SS` (ISO also with `T`); day before month "
        "(UK data). A mapping may list its own `strftime` formats under `dates`, tried first. "
        "Impossible dates (31/02/2019), dates before 1900 and dates after today reject the row.",
        f"- Whole numbers may be written `12` or `12.0`; ages must be {MIN_AGE} to {MAX_AGE}; "
        "counts cannot be negative.",
        "- Allowed values match ignoring case, after the mapping's `values` table; standard "
        "synonyms: " + "; ".join(f"{col}: " + ", ".join(f"`{k}` → `{v}`" for k, v in syn.items())
                                 for col, syn in SYNONYMS.items()) + ".",
        "- Row checks beyond types: `committed_to` not before `committed_from`; an offence not "
        "committed after it was recorded; latitude/longitude inside the UK and easting/northing "
        "on the British National Grid; an exact duplicate row is rejected as `duplicate of line "
        "N`, and a repeated table key with different values as `… is already on line N`.",
        "- Offence codes are normalised (`008N` → `8N`, `4/1` → `4.1`) and classified as "
        "described in docs/classification.md; an unknown code is stored without a group and "
        "counted in the ingest notes.",
        "",
        "## Mapping files",
        "",
        "A partnership maps its own headers and codes to the contract with a YAML file, without "
        "code changes (`safecity ingest FILE… --source KIND --mapping MAP.yaml`). The shipped, "
        "commented example is `src/safecity/engine/ingest/mappings/example-police-extract.yaml`.",
        "",
        "```yaml",
        "kind: police-extract",
        "tables:",
        "  crimes:",
        "    columns:                 # contract column: header in the partnership's file",
        '      crime_ref: "Crime Reference"',
        '      offence_code: "HO Offence Code"',
        '      recorded_date: "Date Recorded"',
        "      # ... any other non-derived contract column of the table",
        "    values:                  # optional: source value -> contract value, per column",
        '      domestic_abuse: {"Y": true, "N": false, "": false}',
        '    dates: ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d"]   # optional; tried in order',
        "  victims:",
        '    columns: {crime_ref: "Crime Reference", person_key: "Victim ID", '
        'victim_type: "Victim Type"}',
        "    values:",
        '      victim_type: {"Individual": person, "Organisation": business, '
        '"Public Body": state}',
        "  suspects:",
        '    columns: {crime_ref: "Crime Reference", person_key: "Suspect ID"}',
        "```",
        "",
        "- Top-level keys: `kind` (must match `--source`), `tables`, optional `description`. "
        "Per table: `columns` (required), `values`, `dates`.",
        "- Every required column of a mapped table must be mapped. Headers match ignoring case "
        "and repeated spaces. Unmapped headers in a file are ignored, which is how names and "
        "free text stay out.",
        "- `police-extract`: each file is matched to the table whose mapped required headers it "
        "has (the one with most matched headers wins; a tie, or a file that has another table's "
        "distinctive headers but lacks a required one, is refused naming what is missing). List "
        "the crimes file first: victims and suspects take the month of their linked crime.",
        "- Other sources accept a mapping with their one table.",
        "- Values in a `values` table must be allowed values of the column (flags map to `true` "
        "or `false`); a source value mapped to nothing (`~`) counts as blank.",
        "",
        "## Default layouts",
        "",
        "Without a mapping each source reads CSV (UTF-8, or Windows-1252 with a note; comma-"
        "separated) or XLSX (the first sheet row, within the first 20, holding the required "
        "headers is the header) whose headers are the contract's column names:",
        "",
    ]
    for kind in mp.KIND_TABLES:
        out += _layout_section(kind)
    out += _partner_section()
    out += [
        "### `police-uk`",
        "",
        "data.police.uk street-level files as published (`Crime ID, Month, Reported by, Falls "
        "within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome "
        "category, Context`): a single month, a folder of months or the monthly archive zip.",
        "",
        "## Rejects and counts",
        "",
        "Every rejected row is written to `W/rejects/<batch_id>.csv` (UTF-8) with the columns "
        "`source_file`, `source_line`, `reason`, then the row's values as supplied for the mapped "
        "columns only (person identifiers pseudonymised as stored rows are; a date of birth "
        "withheld). For every file read = stored + rejected; a blank line is not a row.",
        "",
        "A file whose structure is wrong (not a CSV or XLSX, empty, unknown encoding, separated by "
        "something other than commas, missing a required column) is refused with one sentence "
        "naming the file, the problem and the fix, and the warehouse is left unchanged.",
        "",
    ]
    out += _guard_sections()
    return "\n".join(out)


def _guard_sections() -> list[str]:
    """Replacement, month checks, exclusions and key custody: what ingest refuses or flags."""
    from . import settings
    from .ingest import anomalies as an

    share = settings.REGISTRY["replace_min_share"].default
    return [
        "## Replacing loaded months",
        "",
        "A newer file of the same source and replacement scope replaces the months it covers, "
        "and says so. Ingest refuses, changing nothing and saying how many rows would go, "
        "until the same command is run with `--replace`, when:",
        "",
        f"- a loaded month would be replaced by fewer than {share:.0%} of its loaded rows "
        "(setting `replace_min_share`), e.g. a 1,201-row file for a month loaded with 12,774 "
        "rows;",
        "- a file named for one month (`2019-03-…`) holds rows of other months only (a file "
        "with its own month and stray rows of others loads with a note);",
        "- victims or suspects would be left pointing at crimes a newer extract replaced and "
        "does not have. With `--replace` those rows are removed and counted; victims and "
        "suspects never point at crimes that are gone.",
        "",
        "## Month checks and exclusions",
        "",
        "At every ingest, and in `safecity warehouse status`, each month of each source and "
        "force is checked against that force's other loaded months (analyst-excluded months "
        f"left out), once it has at least {an.MIN_OTHER_MONTHS} of them:",
        "",
        f"- the total: flagged beyond {an.TOTAL_FACTOR} times, or under 1/{an.TOTAL_FACTOR} of, "
        f"the median of the other months (when that median is at least {an.MIN_TOTAL_ROWS} "
        "rows);",
        "- the mix of categories (police.uk: each crime type and anti-social behaviour; other "
        "sources: each table, and the category columns `"
        + "`, `".join(f"{t}.{c}" for t, c in an.CATEGORY_COLUMNS.items()) + "`): flagged when "
        f"the Jensen-Shannon divergence from the median shares of the other months reaches "
        f"{an.MIX_JSD_ALARM} bits (months of at least {an.MIN_MIX_ROWS} rows).",
        "",
        "False alarms: from chance, below 1 in 20,000 months of 200 rows (simulated); on the 238 "
        "real data.police.uk months in the shared reference data (40 forces, 2017-2025), none "
        "(the largest divergence is 0.096 bits, totals within 0.52-1.37 of the median), while a "
        "month with one category ballooning to ~80 % of rows and anti-social behaviour and "
        "shoplifting collapsing diverges by at least 0.153 bits. The reasoning is in "
        "`safecity.engine.ingest.anomalies`.",
        "",
        "A flagged month loads, and is said loudly (`Warning: … looks wrong at source`, in yellow) at "
        "ingest and in status. An analyst can exclude a month, with a reason, and include it "
        "again; the rows stay loaded and figures leave the month out:",
        "",
        "```",
        'safecity warehouse exclude police-uk hampshire 2019-03 --reason "categories '
        'mis-assigned at source"',
        "safecity warehouse include police-uk hampshire 2019-03",
        'safecity warehouse exclude asb - 2020-04 --reason "system migration"   # - : no force',
        "```",
        "",
        "The manifest (`W/manifest.json`) holds, beside `batches`: `month_flags` (source, force, "
        "month, reason; recomputed whenever the warehouse changes) and `exclusions` (source, "
        "force, month, the analyst's reason, when), each written in one atomic replace of the "
        "manifest. Each batch records `profile`, its rows per month and category. Figures read "
        "them through `safecity.engine.ingest.anomalies.month_flags` and `month_exclusions`. "
        "Each of a batch's `tables` records its `file`, `rows` and, when the file carries its "
        "table's whole schema as listed here (checked from its footer when the batch was "
        "added), `schema`: a fingerprint of the column names (`warehouse.schema_mark`), so "
        "safecity reads the files by name without opening their footers first.",
        "",
        "## The pseudonymisation key",
        "",
        "The manifest's `pseudonym_key` records the key's fingerprint (an HMAC of a fixed label "
        "under the key: it identifies the key and reveals nothing of it), its epoch and since "
        "when; each batch holding person keys records its `key_epoch`. Ingest stops, changing "
        "nothing, when the key file is missing or holds a different key: a new key would give "
        "the same people new pseudonyms without a word.",
        "",
        "`safecity warehouse rotate-key --reason TEXT` replaces the key deliberately: a new "
        "random key, a new epoch, the old one's fingerprint and the reason kept in the history. "
        "Person keys already stored cannot be re-keyed (the identifiers are not stored, and a "
        "keyed hash cannot be reversed, with or without the old key), so people match within an "
        "epoch only: repeat victimisation and re-offending across a rotation are undercounted "
        "until the original person files are ingested again, which replaces their months with "
        "keys of the new epoch. `safecity warehouse status` warns while person keys of more "
        "than one epoch are loaded. The old key is not kept: back it up first if it may be "
        "needed.",
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--write" in argv:
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DOC_PATH}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
