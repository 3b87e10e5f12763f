"""Section 1, overview: recorded crime, its rate per 1,000 residents, ASB, change on the year."""

from __future__ import annotations

from ...figures import count as count_figure
from .. import narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import (CHANGE_COLUMNS, SectionOutput, change_cells, compare, figure, section,
                      unavailable)


def build(ctx: Context) -> SectionOutput:
    if not ctx.counted("c") and not ctx.counted("a"):
        return unavailable("overview", "No crimes or ASB incidents are loaded for this area "
                                       f"and {ctx.period.label}.")
    from ...stats.intervals import rate_interval  # scipy.stats: imported when first used

    heads: dict = {}
    figures = []
    rows = []
    text = []
    partial = []
    pop = ctx.population
    if ctx.counted("c"):
        cur, prev = count_figure(ctx, "recorded_crime")
        ch = compare(cur, prev)
        rate, low, high = rate_interval(cur, pop, per=1000) if pop else (None, None, None)
        heads.update(recorded_crime=cur, recorded_crime_previous=prev,
                     recorded_crime_change_pct=_r(ch.change_pct),
                     recorded_crime_rate_per_1000=_r(rate, 2))
        figures += [figure("recorded_crime", "Police recorded crime", cur),
                    figure("recorded_crime_rate_per_1000", "Crimes per 1,000 residents",
                           _r(rate, 2), "per 1,000")]
        rows.append(("Police recorded crime",) + change_cells(ch)
                    + (_r(rate, 2), _r(low, 2), _r(high, 2)))
        text.append(narrative.change_sentence("Police recorded crime", ch,
                                              f"{ctx.period.label} compared with "
                                              f"{ctx.comparison.label}"))
        if rate is not None:
            text.append(f"That is {rate:.1f} crimes per 1,000 residents (95 % interval "
                        f"{low:.1f} to {high:.1f}; population {pop:,}).")
    else:
        partial.append("Recorded crime: no crimes are loaded for this area and period.")
    if ctx.counted("a"):
        cur, prev = count_figure(ctx, "asb_incidents")
        ch = compare(cur, prev)
        rate = cur * 1000 / pop if pop else None
        heads.update(asb_incidents=cur, asb_incidents_previous=prev,
                     asb_incidents_change_pct=_r(ch.change_pct))
        figures.append(figure("asb_incidents", "Anti-social behaviour incidents", cur))
        # ASB is counted over its own months (engine/coverage.py); say which.
        asb_label = "Anti-social behaviour incidents" + ctx.own_coverage("a", "in_cur", "in_prev")
        rows.append((asb_label,) + change_cells(ch)
                    + (_r(rate, 2), None, None))
        text.append(narrative.change_sentence(
            "The number of anti-social behaviour incidents" + asb_label[len(
                "Anti-social behaviour incidents"):], ch))
    else:
        partial.append("ASB incidents: no ASB data is loaded for this area and period.")
    if pop:
        heads["population"] = pop
    table = TableResult(
        key="overview", title=f"Recorded crime and ASB, {ctx.period.label} and "
                              f"{ctx.comparison.label}",
        columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS
        + (TableColumn("rate", "Rate per 1,000 residents", "rate"),
           TableColumn("rate_low", "Lower 95 % limit", "rate"),
           TableColumn("rate_high", "Upper 95 % limit", "rate")),
        rows=tuple(rows),
        notes=("Change is tested with the Poisson E-test (Krishnamoorthy and Thomson 2004); "
               "rate intervals are exact (below 10) or Byar's approximation.",))
    return SectionOutput(section("overview", narrative=tuple(text), figures=tuple(figures),
                                 tables=(table,), partial=tuple(partial)), heads)


def _r(value, digits: int = 1):
    return None if value is None else round(float(value), digits)
