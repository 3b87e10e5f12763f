"""Demo data of the partnership's channels (hate reporting, ASB Case Reviews, partner
intelligence, Partnership Action Groups), loaded by ``safecity web demo`` after the demo
strategy. Each loader is idempotent."""

from __future__ import annotations


def load(title: str) -> list[str]:
    """Load every channel's demo data for the demo strategy ``title``; lines to print."""
    from ..engine.errors import SafecityError
    from ..engine.warehouse import Warehouse
    from .hate_reports import demo as hate_demo
    from .hate_reports.warehouse import export_to_warehouse

    from .casereviews import demo as case_review_demo

    lines = []
    made = case_review_demo.load(title)
    if made:
        lines.append(f"Loaded {made} demo ASB Case Review applications.")
    from .intelligence import demo as intelligence_demo

    made = intelligence_demo.load(title)
    if made:
        lines.append(f"Loaded {made} demo partner intelligence submissions.")
    from .actiongroups import demo as action_group_demo

    made = action_group_demo.load(title)
    if made:
        lines.append(f"Loaded {made} demo Partnership Action Groups and their problems.")
    made = hate_demo.load(title)
    if made:
        lines.append(f"Loaded {made} demo hate reports from the reporting centres.")
    if Warehouse().exists():
        from .intelligence.warehouse import export_to_warehouse as export_intelligence
        from .actiongroups.warehouse import export_to_warehouse as export_problems

        try:
            sent = export_problems()
        except SafecityError as exc:
            lines.append(f"Open action group problems were not sent to the warehouse: {exc}")
        else:
            lines.append(f"Sent {sent.problems} open action group problems to the warehouse.")

        try:
            counted = export_intelligence()
        except SafecityError as exc:
            lines.append(f"Partner intelligence counts were not sent to the warehouse: {exc}")
        else:
            if not counted.skipped:
                lines.append(f"Sent the counts of {counted.submissions} partner intelligence "
                             "submissions to the warehouse.")
        try:
            result = export_to_warehouse()
        except SafecityError as exc:
            lines.append(f"Accepted hate reports were not sent to the warehouse: {exc}")
        else:
            if not result.skipped:
                lines.append(f"Sent {result.reports} accepted hate reports to the warehouse.")
    return lines
