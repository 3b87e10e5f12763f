"""National and comparator context: published national tables read beside an assessment, so a
figure shows the national value and the quartile the area falls in.

Two published tables are meant (the user downloads them; safecity ships none, and reads nothing
from the network):

* the Home Office / ONS share of sexual offences recorded more than a year after they occurred
  ("non-recent"), nationally and by police force area: measures
  ``sexual_offences_non_recent_pct``, ``rape_non_recent_pct``, ``other_sexual_non_recent_pct``;
* the MoJ / YJB Youth Justice Statistics first-time entrants per 100,000 residents aged 10-17,
  nationally and by youth justice service area: measure ``fte_rate_per_100k``.

**Layout** (CSV, or XLSX where a title block above the header is skipped): one row per measure, year
and area, with the headers ``measure``, ``year``, ``area_code``, ``value`` and optionally
``area_name``. ``year`` is written as the assessment labels its period (``2019/20`` for a
financial year). A row whose ``area_code`` is ``E92000001`` (England) or ``K04000001`` (England
and Wales) is the national value; every other row is an area of the distribution. ``value`` is
the published figure (a percentage, or a rate per 100,000). Any structural problem or a value
that is not a number stops with one sentence naming the file and line.

**Quartile**: the quartile boundaries are the 25th, 50th and 75th percentiles of the areas'
values (NumPy's default linear interpolation, the same as Excel's QUARTILE.INC); a value at or
below the first boundary is in the 1st (lowest) quartile, at or below the second in the 2nd, at
or below the third in the 3rd, and above it in the 4th. The area's value is the assessment's own
published figure; when it is withheld or not available no comparison is made.

When the table has no row for the assessment's year, the latest year it has is used and the
sentence says which.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import SourceError

NATIONAL_CODES = {"E92000001": "England", "K04000001": "England and Wales"}

#: measure -> (label, unit, the section whose headline it is, where the table is published)
MEASURES = {
    "sexual_offences_non_recent_pct": ("Sexual offences recorded more than a year after they "
                                       "occurred (%)", "%", "sexual",
                                       "Home Office / ONS, police recorded crime"),
    "rape_non_recent_pct": ("Rape recorded more than a year after it occurred (%)", "%",
                            "sexual", "Home Office / ONS, police recorded crime"),
    "other_sexual_non_recent_pct": ("Other sexual offences recorded more than a year after "
                                    "they occurred (%)", "%", "sexual",
                                    "Home Office / ONS, police recorded crime"),
    "fte_rate_per_100k": ("First-time entrants per 100,000 aged 10-17", "per 100,000", "youth",
                          "MoJ / YJB, Youth Justice Statistics"),
}
HEADERS = ("measure", "year", "area_code", "value")


@dataclass(frozen=True)
class Row:
    measure: str
    year: str
    area_code: str
    area_name: str
    value: float
    line: int


@dataclass(frozen=True)
class Comparison:
    measure: str
    year: str  # the table's year used
    local: float
    national: float | None
    national_name: str | None
    quartile: int | None  # 1 (lowest) to 4, None with fewer than 4 areas
    areas: int


def read(path: str | Path) -> list[Row]:
    """The rows of a national table file (SourceError for anything that is not the layout)."""
    from .ingest.base import InputFile
    from .ingest.tabular import normalise_header, open_table

    p = Path(path)
    if not p.exists():
        raise SourceError(p, "does not exist.", fix="Check the path of the national table.")
    tab = open_table(InputFile(path=p, name=p.name), expected=HEADERS)
    index = tab.index()
    missing = [h for h in HEADERS if h not in index]
    if missing:
        shown = ", ".join(repr(h) for h in tab.header if h.strip()) or "no headers"
        raise SourceError(p.name, f"missing required column(s) {', '.join(missing)}; the "
                          f"header row has {shown}.", line=tab.header_line,
                          fix="A national table has the columns measure, year, area_code, "
                              "value (and optionally area_name): see docs/data-sources.md.")
    pos = {h: index[normalise_header(h)] for h in HEADERS}
    name_pos = index.get("area_name")
    out = []
    for line, values in tab.rows:
        def cell(h):
            i = pos[h]
            return values[i].strip() if i < len(values) else ""

        measure = cell("measure").lower()
        if measure not in MEASURES:
            raise SourceError(p.name, f"the measure {cell('measure')!r} is not one safecity "
                              "compares.", line=line,
                              fix=f"Use one of: {', '.join(MEASURES)}.")
        text = cell("value").replace(",", "").rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            raise SourceError(p.name, f"the value {cell('value')!r} is not a number.",
                              line=line, fix="Write the published figure as a number "
                                             "(suppressed or missing areas: leave the row out)."
                              ) from None
        if not cell("year") or not cell("area_code"):
            raise SourceError(p.name, "a row has no year or no area_code.", line=line,
                              fix="Every row needs measure, year, area_code and value.")
        name = values[name_pos].strip() if name_pos is not None and name_pos < len(values) \
            else ""
        out.append(Row(measure, cell("year"), cell("area_code").upper(), name, value, line))
    if not out:
        raise SourceError(p.name, "has a header but no rows.", fix="Check it is the table.")
    return out


def quartile(value: float, areas: Iterable[float]) -> int | None:
    """The quartile (1 = lowest) of ``value`` among ``areas`` (see the module's rule).

    >>> quartile(5.0, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    2
    >>> quartile(7.5, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    4
    """
    import numpy as np

    vals = np.asarray(list(areas), dtype="float64")
    if len(vals) < 4:
        return None
    q1, q2, q3 = np.quantile(vals, [0.25, 0.5, 0.75])
    for i, bound in enumerate((q1, q2, q3), start=1):
        if value <= bound:
            return i
    return 4


def compare(rows: list[Row], measure: str, year: str, local: float) -> Comparison | None:
    """The national value and the quartile of ``local`` for ``measure`` in ``year`` (or the
    latest year the rows have); None when the rows have no such measure."""
    mine = [r for r in rows if r.measure == measure]
    if not mine:
        return None
    years = sorted({r.year for r in mine})
    use = year if year in years else years[-1]
    mine = [r for r in mine if r.year == use]
    national = [r for r in mine if r.area_code in NATIONAL_CODES]
    nat = next((r for r in national if r.area_code == "E92000001"), None) or (
        national[0] if national else None)
    areas = [r.value for r in mine if r.area_code not in NATIONAL_CODES]
    return Comparison(measure, use, local, None if nat is None else nat.value,
                      None if nat is None else (nat.area_name or NATIONAL_CODES[nat.area_code]),
                      quartile(local, areas), len(areas))


def load(paths: Iterable[str | Path]) -> list[Row]:
    rows: list[Row] = []
    for p in paths:
        rows += read(p)
    return rows


_ORDINAL = {1: "lowest", 2: "second", 3: "third", 4: "highest"}


def sentence(c: Comparison, year_label: str) -> str:
    """The comparison in words, as the assessment and the youth tracker print it."""
    label, unit, _, source = MEASURES[c.measure]
    year = "" if c.year == year_label else f" (the table's latest year, {c.year})"
    nat = (f"the national value{year} was {c.national:g}{'' if unit != '%' else ' %'}"
           f" ({c.national_name})" if c.national is not None
           else f"the table has no national value{year}")
    q = (f"; among the {c.areas} areas of the table the area is in the "
         f"{_ORDINAL[c.quartile]} quartile" if c.quartile else "")
    return f"{label}: {c.local:g} here; {nat}{q} ({source})."


def configured() -> list[Row]:
    """The national tables named by the setting ``national_tables`` (none: an empty list);
    a table that cannot be read raises ``SourceError`` with its sentence."""
    from . import settings

    return load(settings.get("national_tables"))


def annotate(outputs, rows: list[Row], year_label: str) -> None:
    """Add the national comparison to each section output that publishes a measure of the
    tables loaded: a table ``national_<section>``, a sentence, and the headlines
    ``<measure>_national`` and ``<measure>_quartile`` (from the published figure only)."""
    from .assessment.model import TableColumn, TableResult

    for out in outputs:
        found = []
        for measure, (label, unit, section_key, source) in MEASURES.items():
            if out.section.key != section_key:
                continue
            local = out.headlines.get(measure)
            if not isinstance(local, (int, float)) or isinstance(local, bool):
                continue  # withheld (Suppressed) or not available: nothing is compared
            cmp = compare(rows, measure, year_label, float(local))
            if cmp is None:
                continue
            found.append((label, unit, source, cmp))
            out.headlines[f"{measure}_national"] = cmp.national
            out.headlines[f"{measure}_quartile"] = cmp.quartile
        if not found:
            continue
        text = [sentence(c, year_label) for _, _, _, c in found]
        table = TableResult(
            key=f"national_{out.section.key}", title="National and comparator context",
            columns=(TableColumn("measure", "Measure"), TableColumn("area", "This area"),
                     TableColumn("national", "National value"),
                     TableColumn("year", "Year of the national table"),
                     TableColumn("quartile", "Quartile among areas (1 = lowest)"),
                     TableColumn("areas", "Areas compared", "count")),
            rows=tuple((label, c.local, c.national, c.year, c.quartile, c.areas)
                       for label, _, _, c in found),
            notes=tuple(sorted({source for _, _, source, _ in found})))
        out.section = dataclasses.replace(
            out.section, narrative=out.section.narrative + tuple(text),
            tables=out.section.tables + (table,))
