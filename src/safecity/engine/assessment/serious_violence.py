"""The Serious Violence Duty strategic needs assessment (``safecity assess --serious-violence``).

The Police, Crime, Sentencing and Courts Act 2022 (Part 2, in force from 31 January 2023) asks
the partnership to agree a local definition of serious violence and produce a strategic needs
assessment. This builds it from the same warehouse, context, coverage rules, figures and
disclosure ledger as the Strategic Assessment, as ordinary sections, and writes it through the
same output pipeline (assessment.json, headlines.csv, tables/*.csv, report.html/pdf):

1. the local definition (the classification basket ``serious_violence``; a partnership
   replaces it with its own through the setting ``baskets_file``) with its counts and offence
   subgroups;
2. public-space violence; 3. knife and weapon offences; 4. victims and suspects under 25;
5. places and repeat locations; 6. times;
7. A&E and hospital data, and ambulance call-outs, when those partners' data is loaded (the
   partner sections of the main assessment);
8. the youth justice cohort (the main assessment's youth justice section).
"""

from __future__ import annotations

import dataclasses

from .. import settings
from ..progress import NULL, Progress
from .area import resolve
from .build import assemble, open_warehouse, require_coverage, resolve_periods, run_sections
from .context import open_context
from .model import StrategicAssessment
from .partner_context import open_partners
from .sections import partners as partner_sections
from .sections import serious_violence as sv
from .sections import youth

#: The partner sections the needs assessment includes when their data is loaded.
PARTNERS = tuple(s for s in partner_sections.SECTIONS if s.spec.kind in ("health", "ambulance"))


def sections():
    return sv.SECTIONS + PARTNERS + (youth,)


def build_serious_violence(year: str | None = None, *, period: str | None = None,
                           compare: str | None = None, area: str | None = None,
                           warehouse=None, partial: bool = False,
                           progress: Progress = NULL, national=()) -> StrategicAssessment:
    """The serious violence strategic needs assessment of ``area`` for a financial year or a
    period; coverage is refused or cut like for like exactly as in ``build_assessment``."""
    main, comparison, _, _ = resolve_periods(year, period, compare, None)
    from .. import national as national_tables

    tables = national_tables.load(national)  # a bad table stops before anything is built
    wh = open_warehouse(warehouse)
    partnership = settings.get("partnership_csp")
    con = wh.connect()
    the_area = resolve(area or partnership, wh, partnership=partnership, con=con)
    ctx = open_context(wh, the_area, main, comparison, None, None,
                       threshold=int(settings.get("suppression_threshold")), con=con)
    open_partners(ctx)
    if not partial:
        require_coverage(ctx)
    outputs = run_sections(ctx, sections(), progress)
    if tables:  # e.g. first-time entrants against the national quartiles
        national_tables.annotate(outputs, tables, main.label)
    # numbered in the order shown: the definition first, the youth justice cohort last
    for i, out in enumerate(outputs, start=1):
        out.section = dataclasses.replace(out.section, number=i)
    return assemble(ctx, outputs, kind="serious_violence")
