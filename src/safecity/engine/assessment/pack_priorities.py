"""The monthly pack's sections per partnership priority: domestic abuse, hate crime by strand
(third-party reports by centre follow in their own section, ``monthly._third_party_hate``),
knife and weapon crime, anti-social behaviour, the night-time economy, residential and
commercial burglary.

Each section has the month against the same month last year, the rolling 12 months against the
previous 12, each by policing sector, and the 24-month series with control limits drawn as a
chart beside its table (``pack_measures``). A priority the data cannot count (no flag, no
offence code) is listed with the reason.
"""

from __future__ import annotations

from .. import figures
from ..contract import HATE_STRANDS
from . import narrative
from .context import Context
from .model import Section, TableColumn, TableResult
from .pack_places import PLACE_FIGURES
from .pack_measures import (Measured, comparison_table, measure, place_table,
                            series_table_and_chart)
from .sections._common import SectionOutput, protected_change, protected_sentence

#: (section key, title, figure of engine/figures.py, sensitive under disclosure control).
PRIORITIES = (
    ("domestic_abuse", "Domestic abuse", "domestic_abuse_crimes", True),
    ("hate_crime", "Hate crime", "hate_crime", True),
    ("knife_weapon", "Knife and weapon crime", "knife_weapon_crime", False),
    ("asb", "Anti-social behaviour", "asb_incidents", False),
    ("night_time_economy", "The night-time economy", "night_time_economy_crime", False),
    ("residential_burglary", "Residential burglary", "residential_burglary", False),
    ("commercial_burglary", "Commercial burglary", "commercial_burglary", False),
)
PLACE_FIGURE_KEYS = {f for f, _ in PLACE_FIGURES}
STRAND_LABELS = {"race": "Race", "religion": "Religion", "sexual_orientation":
                 "Sexual orientation", "disability": "Disability", "transgender": "Transgender"}


def build(ctx: Context, first_number: int) -> tuple[list[SectionOutput], list[Measured],
                                                    list[tuple[str, str]]]:
    """(sections, the measured figures for the exceptions, [(title, reason) not available])."""
    outputs, measured, missing = [], [], []
    number = first_number
    for key, title, figure, sensitive in PRIORITIES:
        try:
            out, m = _priority(ctx, key, title, figure, sensitive, number)
        except figures.FigureUnavailable as exc:
            missing.append((title, str(exc)))
            continue
        outputs.append(out)
        measured.append(m)
        number += 1
    return outputs, measured, missing


def _priority(ctx: Context, key: str, title: str, figure: str, sensitive: bool,
              number: int) -> tuple[SectionOutput, Measured]:
    strands: list[str] = []
    extra = None
    if key == "hate_crime":
        strands = [s for s in HATE_STRANDS]
        extra = _strand_counts(ctx, key, strands)
    # ASB by sector and ward is in the place sections (pack_places), not repeated here
    places = () if figure in PLACE_FIGURE_KEYS else ("sector",)
    m = measure(ctx, key, figure, title, sensitive=sensitive, places=places, extra=extra)
    comp, changes = comparison_table(ctx, m, f"{key}_comparison")
    series, chart, finding = series_table_and_chart(ctx, m, f"{key}_series")
    tables = [comp] + [place_table(ctx, m, "sector", f"{key}_by_sector") for _ in places]
    text = []
    for col, ch in changes:
        la, lb = ((ctx.custom.label, ctx.custom_comparison.label) if col == "month" else
                  (ctx.period.label, ctx.comparison.label))
        text.append(protected_sentence(f"{title} in {la} (against {lb})", ch)
                    if ch is None else narrative.change_sentence(
                        f"{title} in {la} (against {lb})", ch))
    text.append(finding)
    heads = {}
    for col, suffix in (() if figure in PLACE_FIGURE_KEYS else  # ASB's are section 1's and 2's
                        (("month", "month"), ("roll", "rolling_12"))):
        for side, tail in (("cur", ""), ("prev", "_previous")):
            k = f"{key}|{col}|{side}"
            if k in m.pr.values:
                heads[f"{key}_{suffix}{tail}"] = m.pr[k]
    if strands:
        tables.append(_strand_table(ctx, m, key, strands))
    section = Section(key=key, number=number, title=title, narrative=tuple(text),
                      tables=tuple(tables) + (series,), charts=(chart,),
                      caveats=(("Counts of fewer than the publication threshold, and counts "
                                "that would give one back, are withheld as [c].",)
                               if sensitive else ()))
    return SectionOutput(section, heads), m


def _strand_counts(ctx: Context, key: str, strands: list[str]):
    """Adds each strand's counts and their relations to the hate crime ledger: a strand is at
    most the total, and the total at most the strands' sum (a crime may have two strands)."""
    def extra(led):
        for col, (a, b) in (("month", ("in_cp", "in_cpp")), ("roll", ("in_cur", "in_prev"))):
            counts = {s: figures.count(ctx, f"hate_crime_{s}", a, b) for s in strands}
            for i, side in enumerate(("cur", "prev")):
                total = f"{key}|{col}|{side}"
                if total not in led.values:
                    continue
                parts = [led.count(f"{key}|strand|{s}|{col}|{side}", counts[s][i])
                         for s in strands]
                for part in parts:
                    led.relate({part: 1.0, total: -1.0}, "<=")
                led.relate({total: 1.0, **{p: -1.0 for p in parts}}, "<=")
    return extra


def _strand_table(ctx: Context, m: Measured, key: str, strands: list[str]) -> TableResult:
    rows = []
    for s in strands:
        cells = [STRAND_LABELS.get(s, s)]
        for col in ("month", "roll"):
            k = f"{key}|strand|{s}|{col}"
            if f"{k}|cur" not in m.pr.values:
                cells += [None, None, None]
                continue
            _, c = protected_change(m.pr, f"{k}|cur", f"{k}|prev")
            cells += [c[0], c[1], c[2]]
        rows.append(tuple(cells))
    return TableResult(
        key=f"{key}_by_strand", title="Hate crime by strand",
        columns=(TableColumn("strand", "Strand"),
                 TableColumn("month", ctx.custom.label, "count"),
                 TableColumn("month_previous", ctx.custom_comparison.label, "count"),
                 TableColumn("month_change_pct", "Change on last year (%)", "change_pct"),
                 TableColumn("rolling", f"12 months to {ctx.custom.label}", "count"),
                 TableColumn("rolling_previous", "The 12 months before", "count"),
                 TableColumn("rolling_change_pct", "Change (%)", "change_pct")),
        rows=tuple(rows), sensitive=True,
        notes=("A hate crime may be motivated by more than one strand, so the strands can add "
               "up to more than all hate crime.",))
