"""What the warehouse covers: per source, force and month, what is loaded, flagged or excluded,
and which months a figure and its comparison may be counted over.

A month is *loaded* for a source and an area when that source has rows for the area in it and
no analyst has excluded it (``month_exclusions``, recorded by ``safecity warehouse``). A month
may also be *flagged* at ingest as looking broken (``month_flags``): it is still counted, and
every figure that uses it says so.

Figures compare like with like: a period and its comparison are counted over the months loaded
on both sides (:func:`like_for_like`, month by month in order). When a month is missing on
either side the command stops with one sentence naming the months (:class:`CoverageError`)
unless the user asked for ``--partial``; then both periods are cut to the months loaded on both
sides and their labels say so ("2020/21, 9 of 12 months").

>>> from safecity.engine import periods
>>> cur, prev = like_for_like(periods.financial_year("2020/21"), periods.financial_year("2019/20"),
...                           {f"2019-{m:02d}" for m in range(4, 13)} | {"2020-01", "2020-02",
...                            "2020-03"} | {f"2020-{m:02d}" for m in range(4, 13)})
>>> cur.label, prev.label
('9 of 12 months', '9 of 12 months')
>>> cur.missing
('2021-01', '2021-02', '2021-03')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import periods
from .assessment.model import Period
from .errors import AssessmentError
from .sql import literal, literal_list


#: What a user sees about coverage; quoted in docs/metrics.md and the report's appendix.
COVERAGE_RULE = (
    "A month counts as loaded for a source when that source has rows for the area in it and "
    "no analyst has excluded it (`safecity warehouse exclude`). A figure and its comparison are "
    "counted only over months loaded on both sides, paired in order (the first month of the "
    "period with the first month of the comparison, and so on). When a month is missing on "
    "either side, `safecity assess` stops (exit 2) with one sentence naming the missing months; "
    "`--partial` instead compares only the months loaded on both sides, and the period's label "
    "says so wherever it appears (\"2020/21 (9 of 12 months: Apr 2020 – Dec 2020)\"), as does "
    "the scorecard's note. With no comparison month loaded at all, `--partial` gives the "
    "period's figures with no change, and no statement says nothing changed. A monthly pack "
    "for a month with no crimes loaded is always refused. A month flagged at ingest as "
    "possibly broken at source is counted, and every busiest-month, significant-change and "
    "exception statement that rests on it carries a caveat naming it; the data-coverage notes "
    "list every period's counted, missing and flagged months for every source. ASB incidents, "
    "hate reports, youth justice outcomes (first-time entrants) and high-risk domestic abuse "
    "referrals are each counted over the months of their own source (for youth justice and "
    "referrals, whose months may truly have none, every month from their first record to their "
    "last, less months excluded or purged): a "
    "month of that source missing in a period or its comparison stops `safecity assess` with "
    "a sentence naming the source and months (a month purged under the source's retention is "
    "said to be purged: only monthly counts remain in the `monthly_counts` table), and with "
    "`--partial` the figure is counted over that source's months loaded on both sides and its "
    "label says so. A source with no month loaded in a period or its comparison is not loaded "
    "for them: its figures and sections say they are unavailable, as when it was never loaded. "
    "A month of crimes or ASB whose records were purged under retention (`safecity warehouse "
    "purge`) still counts as loaded for the figures its monthly counts keep (totals, offence "
    "groups and subgroups, classification baskets, flags, police.uk categories, ASB, by month "
    "and LSOA): they are counted from those counts, and the period's label says so "
    "(\"2017/18 (Apr 2017 – Mar 2018 from monthly counts, records purged)\"). Figures that "
    "need the records (victims, repeat victims, suspects, times of day, places below an LSOA, "
    "outcomes) are not given for a period with purged months, and the data-coverage notes "
    "say which."
)


class CoverageError(AssessmentError):
    """A period the loaded data do not cover; the message names the months and the way on."""


@dataclass(frozen=True)
class SourceMonth:
    """One month of one source (and force, for data.police.uk) as loaded in the warehouse."""

    table: str
    source: str
    force: str | None  # the batch's replacement scope for data.police.uk, else None
    month: str
    rows: int
    flag: str | None = None  # why the month was flagged at ingest
    exclusion: str | None = None  # the analyst's reason for setting it aside


def source_months(warehouse, table: str = "crimes") -> list[SourceMonth]:
    """Every (source, force, month) of ``table`` with its rows, flag and exclusion."""
    from .ingest.anomalies import month_exclusions, month_flags

    if not warehouse.has_data(table):
        return []
    scope = {b.batch_id: (b.source, b.scope) for b in warehouse.batches()}
    flags = month_flags(warehouse)
    exclusions = month_exclusions(warehouse)
    con = warehouse.connect(threads=1)
    try:
        rows = con.execute(f"SELECT batch_id, strftime(recorded_date, '%Y-%m'), count(*) "
                           f"FROM {table} GROUP BY 1, 2").fetchall()
    finally:
        con.close()
    counts: dict[tuple[str, str | None, str], int] = {}
    for batch_id, month, n in rows:
        source, batch_scope = scope.get(batch_id, ("unknown", None))
        force = batch_scope if source == "police-uk" else None
        counts[(source, force, month)] = counts.get((source, force, month), 0) + int(n)
    out = []
    for (source, force, month), n in sorted(counts.items(), key=lambda kv: tuple(
            str(x) for x in kv[0])):
        out.append(SourceMonth(table, source, force, month, n,
                               _lookup(flags, source, force, month),
                               _lookup(exclusions, source, force, month)))
    return out


def _lookup(keyed: dict, source: str, force: str | None, month: str) -> str | None:
    """A flag or exclusion for the month: for this force, or for the whole source."""
    for key in ((source, force, month), (source, None, month)):
        if key in keyed:
            return keyed[key] or "no reason recorded"
    return None


def excluded_rows(warehouse, sources: Iterable[str] | None = None,
                  date_col: str = "recorded_date") -> str:
    """SQL condition, over a table with ``batch_id`` and ``date_col``, true for rows of a
    month an analyst excluded (FALSE when none is)."""
    from .ingest.anomalies import month_exclusions

    exclusions = month_exclusions(warehouse)
    if not exclusions:
        return "FALSE"
    batches = warehouse.batches()
    parts = []
    for source, force, month in sorted(exclusions, key=lambda k: tuple(str(x) for x in k)):
        if sources is not None and source not in sources:
            continue
        ids = [b.batch_id for b in batches if b.source == source
               and (force is None or b.scope == force)]
        if ids:
            parts.append(f"(batch_id IN ({literal_list(ids)}) AND "
                         f"strftime({date_col}, '%Y-%m') = {literal(month)})")
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


@dataclass(frozen=True)
class Coverage:
    """The months of one period a figure is counted over."""

    period: Period
    months: tuple[str, ...]  # every month the period touches
    used: tuple[str, ...]  # months counted: loaded, and (in a comparison) loaded on both sides
    missing: tuple[str, ...]  # months of the period with no data loaded (or excluded)
    flagged: dict[str, str] = field(default_factory=dict)  # used month -> why it was flagged
    #: used months whose records were purged: counted from the monthly counts the purge kept,
    #: for aggregate figures only (figures.AGGREGATE_FIELDS)
    aggregated: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.used == self.months

    @property
    def label(self) -> str:
        """The coverage as a label: "9 of 12 months"."""
        n = len(self.months)
        return f"{len(self.used)} of {n} month{'s' if n != 1 else ''}"

    @property
    def period_label(self) -> str:
        """The period's label, with its coverage when not every month is counted, and the
        months counted from monthly counts because their records were purged."""
        counts = (f"; {span(self.aggregated)} {AGGREGATE_LABEL}" if self.aggregated else "")
        if self.complete:
            return f"{self.period.label} ({counts[2:]})" if counts else self.period.label
        if not self.used:
            return f"{self.period.label} (no month loaded)"
        return f"{self.period.label} ({self.label}: {span(self.used)}{counts})"

    def with_aggregated(self, months: Iterable[str]) -> "Coverage":
        """This coverage with its used months among ``months`` marked as counted from the
        monthly counts a purge kept."""
        months = set(months)
        return Coverage(self.period, self.months, self.used, self.missing, self.flagged,
                        tuple(m for m in self.used if m in months))

    def labelled(self) -> Period:
        """The period under its coverage label (start and end unchanged)."""
        return Period(self.period_label, self.period.start, self.period.end)


def span(months: Iterable[str]) -> str:
    """Months as runs: "Apr 2020 – Dec 2020" or "Oct 2018, Dec 2018 – Feb 2019"."""
    months = sorted(months)
    runs: list[list[str]] = []
    for m in months:
        if runs and periods.shift_month(runs[-1][-1], 1) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(periods.month_label(r[0]) if len(r) == 1 else
                     f"{periods.month_label(r[0])} – {periods.month_label(r[-1])}" for r in runs)


def like_for_like(current: Period, comparison: Period | None, loaded: set[str],
                  flags: dict[str, str] | None = None) -> tuple[Coverage, Coverage | None]:
    """Coverage of a period and its comparison over the months ``loaded``.

    Months are paired in order (the first month of each, then the second…). A pair is counted
    only when both of its months are loaded; when no pair is (nothing loaded for the
    comparison), the current period keeps its own loaded months and the comparison has none.
    """
    flags = flags or {}
    cur_months = tuple(periods.months_in(current))
    cur_loaded = tuple(m for m in cur_months if m in loaded)
    if comparison is None:
        return Coverage(current, cur_months, cur_loaded,
                        tuple(m for m in cur_months if m not in loaded),
                        {m: flags[m] for m in cur_loaded if m in flags}), None
    prev_months = tuple(periods.months_in(comparison))
    if len(prev_months) == len(cur_months):
        pairs = [(a, b) for a, b in zip(cur_months, prev_months) if a in loaded and b in loaded]
        cur_used = tuple(a for a, _ in pairs)
        prev_used = tuple(b for _, b in pairs)
        if not pairs:
            cur_used = cur_loaded
    else:  # periods of different lengths: each keeps its own loaded months
        cur_used = cur_loaded
        prev_used = tuple(m for m in prev_months if m in loaded)
    cur = Coverage(current, cur_months, cur_used, tuple(m for m in cur_months if m not in loaded),
                   {m: flags[m] for m in cur_used if m in flags})
    prev = Coverage(comparison, prev_months, prev_used,
                    tuple(m for m in prev_months if m not in loaded),
                    {m: flags[m] for m in prev_used if m in flags})
    return cur, prev


#: Sources that figures are counted from besides crimes, each with its own coverage: context
#: key -> (warehouse table, date column, what the rows are). A month counts as loaded for ASB
#: and hate reports when it has rows for the area in that month (and is not excluded), as for
#: crimes; youth justice outcomes, referrals and partner intelligence counts (exported by the
#: web app with no row for a month without submissions) are records where a month with none is
#: a true zero, so their months are those from the first to the last month of their records,
#: less months excluded or purged.
SOURCE_COVERAGE = {
    "a": ("asb_incidents", "recorded_date", "ASB incidents"),
    "h": ("hate_reports", "recorded_date", "hate reports"),
    "youth_justice": ("youth_justice", "outcome_date", "youth justice outcomes"),
    "referrals": ("referrals", "referral_date", "high-risk domestic abuse referrals"),
    "intelligence": ("intelligence_counts", "recorded_date", "partner intelligence submissions"),
}

#: Where the purged months' figures remain (engine/governance/purge.py).
PURGE_NOTE = "only monthly counts remain in the monthly_counts table"
#: A period label's note on months counted from those monthly counts.
AGGREGATE_LABEL = "from monthly counts, records purged"


@dataclass(frozen=True)
class Gap:
    """One source's months missing from a period or its comparison."""

    what: str  # "crimes", "ASB incidents"…
    missing: str  # "Jan 2021 – Mar 2021 of 2020/21" ("" when every missing month was purged)
    loaded: str  # the months the source has loaded in the window ("" when none)
    purged: str  # months purged under the source's retention ("" when none)
    source: str  # the source kind whose retention purged them


def gaps(pairs: Iterable[tuple[Coverage, Coverage | None]], what: str, loaded: set[str],
         purged: Iterable[str] = (), source: str | None = None) -> Gap | None:
    """The months of one source missing in a period or its comparison (None when none is);
    months purged under the source's retention are kept apart to be said to be purged."""
    purged = set(purged)
    missing, gone = [], []
    for cur, prev in pairs:
        for cov in (cur, prev):
            if cov is None or not cov.missing:
                continue
            lost = [m for m in cov.missing if m not in purged]
            cut = [m for m in cov.missing if m in purged]
            if lost:
                missing.append(f"{span(lost)} of {cov.period.label}")
            if cut:
                gone.append(f"{span(cut)} of {cov.period.label}")
    if not missing and not gone:
        return None
    return Gap(what, "; ".join(missing), span(loaded) if loaded else "", "; ".join(gone),
               source or what)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def refuse(found: Iterable[Gap | None]) -> None:
    """Raise one :class:`CoverageError` naming every source's missing months (sources missing
    the same months are named together); nothing when none is missing."""
    found = [g for g in found if g is not None]
    if not found:
        return
    clauses = []
    groups: dict[tuple[str, str], list[str]] = {}
    for g in found:
        if g.missing:
            groups.setdefault((g.missing, g.loaded), []).append(g.what)
    for (missing, loaded), whats in groups.items():
        names = _and(whats)
        have = (f"{'they are' if len(whats) > 1 else names + ' are'} loaded for {loaded}"
                if loaded else f"no {names} are loaded")
        clauses.append(f"{names} are not loaded for {missing} ({have})")
    for g in found:
        if g.purged:
            clauses.append(f"the records of {g.what} for {g.purged} were purged under the "
                           f"{g.source} source's retention ({PURGE_NOTE})")
    text = "; ".join(clauses)
    load = "load those months, " if groups else ""  # purged months cannot simply be loaded
    raise CoverageError(
        f"{text[0].upper() + text[1:]}: {load}choose a period the data cover, or add --partial "
        "to compare only the months loaded in both periods.")


def require_complete(pairs: Iterable[tuple[Coverage, Coverage | None]], what: str,
                     loaded: set[str], purged: Iterable[str] = (),
                     source: str | None = None) -> None:
    """Raise :class:`CoverageError` when a period or its comparison misses a month."""
    refuse([gaps(pairs, what, loaded, purged, source)])
