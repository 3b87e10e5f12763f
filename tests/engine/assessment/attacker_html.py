"""The attacker reads the HTML report too (report.html; the PDF is printed from it).

Whatever the report shows beyond the files the attacker already reads is a way round them, so
every number the page shows is checked against those files, as a reader comparing the two would:

- each table (and each chart's table twin) against its CSV, cell by cell: a cell the CSV
  withholds must be withheld on the page, and a number must be the CSV's, to the page's rounding;
- each key-figure card against the same figure in assessment.json;
- each chart's plotted values (the chart specs in assessment.json, which the SVG draws) against
  its twin table: a chart may plot only values the table publishes;
- every other piece of text with a digit in it (narrative, captions, notes, findings, the data
  coverage) must be a sentence of assessment.json, whose sentences the attacker parses.

A number found anywhere else is a leak (``Attack.leaks``). Nothing here imports the report or
the disclosure code.
"""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

C = "[c]"
#: Elements whose text is read as one piece; text belongs to the innermost (a link's text is
#: its own piece, so "Read more about …" after a sentence leaves the sentence whole).
BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "caption", "figcaption", "title", "a"}
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
#: The caption of the "Since the last assessment" table (its rows are assessment.json's
#: findings.since_last.figures).
SINCE_CAPTION = "Published figures in the two assessments"


class _Page(HTMLParser):
    """Tables (caption, rows of cell texts), key-figure cards and text blocks of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.cards: list[list[str]] = []
        self.texts: list[str] = []
        self._svg = 0
        self._table: dict | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._blocks: list[list[str]] = []
        self._card: list[str] | None = None
        self._value: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "svg":
            self._svg += 1
        if self._svg:
            return
        if tag == "table":
            self._table = {"caption": "", "rows": []}
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "div" and "figure-card" in cls.split():
            self._card = []
        elif tag == "span" and "figure-value" in cls.split():
            self._value = []
        if tag in BLOCKS and self._cell is None and (self._card is None or tag == "dt"):
            self._blocks.append([])

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg -= 1
            return
        if self._svg:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "span" and self._value is not None:
            if self._card is not None:
                self._card.append(" ".join("".join(self._value).split()))
            self._value = None
        elif tag == "div" and self._card is not None and len(self._card) >= 2:
            self.cards.append(self._card)
            self._card = None
        if (tag in BLOCKS and self._cell is None and self._blocks
                and (self._card is None or tag == "dt")):
            text = " ".join("".join(self._blocks.pop()).split())
            if tag == "caption" and self._table is not None:
                self._table["caption"] = text
            elif tag == "dt" and self._card is not None:
                self._card.insert(0, text)
            elif text:
                self.texts.append(text)

    def handle_data(self, data):
        if self._svg:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._value is not None:
            self._value.append(data)
        if self._blocks:
            self._blocks[-1].append(data)


def _strings(value, out: list[str]) -> list[str]:
    if isinstance(value, str):
        out.append(" ".join(value.split()))
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    return out


def _parse(text: str) -> tuple[float, float] | None:
    """(value, half of the last printed digit) of a printed number, None if there is none."""
    t = text.replace("\u2212", "-")
    m = NUMBER.search(t)
    if not m or t.strip().startswith("<"):
        return None
    number = m.group(0).replace(",", "")
    decimals = len(number.split(".")[1]) if "." in number else 0
    return float(number), 0.5 * 10 ** -decimals + 1e-9


def _same(shown: str, published: str, where: str, leaks: list[str]) -> None:
    """A shown cell against the CSV's: withheld there -> withheld here; a number -> the same."""
    if published == C:
        if shown != C and _parse(shown) is not None:
            leaks.append(f"{where}: shows {shown!r} where the CSV withholds it")
        return
    got = _parse(shown)
    if got is None:
        return
    try:
        value = float(published.replace(",", ""))
    except ValueError:
        if not any(d.isdigit() for d in published) or NUMBER.sub("", shown) == shown:
            return
        if shown.replace(",", "") not in published.replace(",", ""):
            leaks.append(f"{where}: shows {shown!r}, the CSV {published!r}")
        return
    if abs(got[0] - value) > got[1] and abs(got[0] - 100 * value) > got[1]:
        leaks.append(f"{where}: shows {shown!r}, the CSV {published!r}")


def check(at, out: Path, data: dict, reference: Path | None = None) -> None:
    page = _Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    leaks = at.leaks
    tables = {t["title"]: t for s in data["sections"] for t in s.get("tables", ())}
    since = (data.get("findings") or {}).get("since_last") or {}
    for shown in page.tables:
        if shown["caption"] == SINCE_CAPTION:  # against assessment.json's since_last figures
            figures = {label: (then, now) for label, then, now in since.get("figures", ())}
            for row in shown["rows"][1:]:
                if row[0] not in figures:
                    leaks.append(f"report.html since the last assessment: {row[0]!r} is in no "
                                 "published file")
                    continue
                for j, value in enumerate(figures[row[0]]):
                    _same(row[j + 1], str(value), f"report.html since the last assessment "
                                                  f"{row[0]!r} column {j + 1}", leaks)
            continue
        t = tables.get(shown["caption"].removeprefix("Table for the chart: "))
        if t is None:
            if any(NUMBER.search(c) for row in shown["rows"] for c in row):
                leaks.append(f"report.html table {shown['caption']!r} is in no published file")
            continue
        with open(out / "tables" / f"{t['key']}.csv", newline="", encoding="utf-8") as fh:
            csv_rows = list(csv.reader(fh))[1:]
        body = shown["rows"][1:]  # the header row
        if len(body) != len(csv_rows):
            leaks.append(f"report.html table {t['key']}: {len(body)} rows, the CSV "
                         f"{len(csv_rows)}")
            continue
        for row, published in zip(body, csv_rows):
            for j, (a, b) in enumerate(zip(row, published)):
                _same(a, b, f"report.html {t['key']} row {row[0]!r} column {j}", leaks)
    figures = {f["label"]: f for s in data["sections"] for f in s.get("figures", ())}
    for label, value, *_ in page.cards:
        f = figures.get(label)
        if f is None:
            leaks.append(f"report.html key figure {label!r} is in no published file")
        else:
            published = f["value"]
            _same(value, C if published == C else "" if published is None else str(published),
                  f"report.html key figure {label!r}", leaks)
    for s in data["sections"]:  # a chart plots only what its table twin publishes
        own = {t["key"]: t for t in s.get("tables", ())}
        for chart in s.get("charts", ()):
            twin = own.get(chart["table_key"]) or next(
                (t for t in tables.values() if t["key"] == chart["table_key"]), None)
            cells = {round(float(v), 6) for row in (twin or {}).get("rows", ()) for v in row
                     if isinstance(v, (int, float)) and not isinstance(v, bool)}
            for series in chart.get("series", ()):
                for v in series["values"]:
                    if v is not None and round(float(v), 6) not in cells:
                        leaks.append(f"chart {chart['key']} plots {v}, which its table "
                                     f"{chart['table_key']} does not publish")
    # the page also prints each section's number and title, and the area's population
    # Text with a figure in it must be a sentence of assessment.json. The page also prints
    # rules (how findings are ranked, the symbols): text the same in a report of another period
    # (``reference``) is a rule, not a figure of the period.
    same: set[str] = set()
    if reference is not None:
        ref = _Page()
        ref.feed((reference / "report.html").read_text(encoding="utf-8"))
        same = set(_unexplained(ref.texts, json.loads(
            (reference / "assessment.json").read_text(encoding="utf-8"))))
    for text in _unexplained(page.texts, data):
        if text not in same:
            leaks.append(f"report.html text is in no published file: {text[:160]!r}")


def _unexplained(texts: list[str], data: dict) -> list[str]:
    """The texts of a page with a figure in them that no sentence of assessment.json holds."""
    sentences = "\n".join(_strings(data, []) + [
        f"{s['number']}. {s['title']}" for s in data["sections"]] + (
        [f"{data['population']:,}"] if isinstance(data.get("population"), int) else []))
    threshold = str(data.get("settings", {}).get("suppression_threshold", 5))
    since = (data.get("findings") or {}).get("since_last") or {}
    labels = sorted({p["label"] for p in (data.get("period"), data.get("comparison"),
                                          data.get("custom_period"),
                                          data.get("custom_comparison"),
                                          {"label": since.get("previous_period")}) if p
                     and p["label"]}, key=len, reverse=True)
    out = []
    for original in texts:
        text = html.unescape(original)
        if text in sentences:
            continue
        text = STRUCTURE[1].sub(" ", text)  # dates first: "31 May 2020" holds "May 2020"
        for label in labels:  # a period's label is its name, not a figure
            text = text.replace(label, " ")
        if any(ch.isdigit() for ch in _counts(text, threshold)):
            out.append(html.unescape(original))
    return out


MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*")
#: Numbers of the page that are no count: section numbers, dates, times, financial years,
#: and the suppression threshold where the page states the rule.
STRUCTURE = [re.compile(p) for p in (
    r"^\d{1,2}\. ", rf"\b\d{{1,2}} {MONTH}( \d{{4}})?\b", rf"\b{MONTH} \d{{4}}\b",
    r"\b\d{4}/\d{2}\b", r"\b\d{4}-\d{2}(-\d{2})?\b", r"\b\d{1,2}:\d{2}\b",
    r"\b(19|20)\d{2}\b")]


def _counts(text: str, threshold: str) -> str:
    """The text less its structural numbers; a digit left over is a figure."""
    for pattern in STRUCTURE:
        text = pattern.sub(" ", text)
    return re.sub(rf"\b(below|fewer than|under) {threshold}\b", " ", text)

