"""Benchmark: emerging hot spots, the commercial burglary watch and the Knox test on the demo.

The demo partnership is the one ``bench/assessment.py`` builds (``bench/out/assessment-home``).
The context is the monthly pack's for March 2020 (rolling 12 months); each analysis is timed in
process (CPU seconds, steadier than wall time on a shared machine), after the statistics
imports, which the assessment bench times already. ``python bench/spatial.py`` runs it alone.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assessment as base  # noqa: E402  the demo home and its build

TITLE = "Hotspots that show what is new and near-repeat (issue #13)"
MONTH = "2020-03"


def _context():
    from safecity.engine import periods, settings
    from safecity.engine.assessment.area import resolve
    from safecity.engine.assessment.build import open_warehouse
    from safecity.engine.assessment.context import open_context

    wh = open_warehouse(None)
    con = wh.connect()
    csp = settings.get("partnership_csp")
    area = resolve(csp, wh, partnership=csp, con=con)
    rolling = periods.rolling_12_months(MONTH)
    the_month = periods.month(MONTH)
    return open_context(wh, area, rolling, periods.previous_year(rolling), the_month,
                        periods.same_period_last_year(the_month),
                        threshold=int(settings.get("suppression_threshold")), con=con)


def main() -> list[dict]:
    base.ensure_demo()
    os.environ.update({"SAFECITY_HOME": str(base.HOME), "SAFECITY_PROGRESS": "false"})
    import esda.getisord  # noqa: F401  imported before timing (the assessment bench times it)

    from safecity.engine import figures
    from safecity.engine.assessment.hotspot_watch import (commercial_burglary_watch,
                                                          emerging_for, near_repeat_for)

    ctx = _context()
    rows = []
    for key, (label, *_rest) in figures.HOTSPOT_TYPES.items():
        start = time.process_time()
        try:
            result = emerging_for(ctx, key)
        except figures.FigureUnavailable as exc:
            rows.append({"name": f"emerging hot spots: {label.lower()}", "value": "",
                         "unit": "s", "baseline": "", "target": "", "notes": str(exc)})
            continue
        spent = time.process_time() - start
        classes = ", ".join(f"{k} {v}" for k, v in sorted(result.by_category().items())
                            if k != "no pattern detected")
        rows.append({"name": f"emerging hot spots: {label.lower()} (CPU)",
                     "value": f"{spent:.2f}", "unit": "s", "baseline": "", "target": "",
                     "notes": f"12 months x {len(result.cells):,} cells of "
                              f"{result.cell_size:.0f} m; {classes or 'no classes found'}"})
    start = time.process_time()
    watch = commercial_burglary_watch(ctx)
    rows.append({"name": "commercial burglary watch (CPU)",
                 "value": f"{time.process_time() - start:.2f}", "unit": "s", "baseline": "",
                 "target": "", "notes": f"{len(watch.cells)} cells turned hot in {watch.month}"})
    start = time.process_time()
    nr = near_repeat_for(ctx, n_iter=999)
    window = (f"{nr.window.metres:.0f} m, {nr.window.days:.0f} days" if nr.window.metres
              is not None else "no significant window")
    rows.append({"name": "Knox test, residential burglary, 999 permutations (CPU)",
                 "value": f"{time.process_time() - start:.2f}", "unit": "s", "baseline": "",
                 "target": "", "notes": f"{nr.knox.events:,} burglaries in the 12 months to "
                                        f"{MONTH}; window {window}; {len(nr.alerts)} cells alerted"})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
