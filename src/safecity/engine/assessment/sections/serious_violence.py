"""The sections of the Serious Violence Duty strategic needs assessment (``safecity assess
--serious-violence``): the local definition, public-space violence, knife and weapon offences,
victims and suspects under 25, places and repeat locations, and times. They are ordinary
sections (``build(ctx) -> SectionOutput``) over the same context, figures (``engine/figures.py``:
``serious_violence``, ``public_space_serious_violence``, …) and disclosure ledger as the main
assessment; the needs assessment adds the health, ambulance and youth justice sections when
their data is loaded (``assessment/serious_violence.py``).
"""

from __future__ import annotations

from ... import classification, figures
from ...figures import FigureUnavailable
from .. import disclosure
from ..model import ChartSpec, Series, TableColumn, TableResult
from . import _people
from ._common import (CHANGE_COLUMNS, SectionOutput, protected_change, protected_sentence, rate,
                      section, unavailable)

#: A repeat location: the same 100 m grid square with at least this many serious violence
#: crimes in the period.
REPEAT_MIN = 3
GRID_M = 100
TIME_BANDS = (("night", "Night (00:00-05:59)", 0, 5), ("morning", "Morning (06:00-11:59)", 6, 11),
              ("afternoon", "Afternoon (12:00-17:59)", 12, 17),
              ("evening", "Evening (18:00-23:59)", 18, 23))
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Bars drawn in the ward and subgroup charts (the tables beside them hold every row).
CHART_BARS = 10


_section = section
_unavailable = unavailable


def _measures(ctx, key: str, items: list[tuple[str, str, str]], sensitive: bool = False):
    """(protected, rows, sentences, heads) for figures ``items`` [(figure, label, prefix)]."""
    led = disclosure.ledger(ctx)
    got, partial = [], []
    for name, label, _ in items:
        try:
            cur, prev = figures.count(ctx, name)
        except FigureUnavailable as err:
            partial.append(f"{label}: {err.message}")
            continue
        led.count(f"{name}:cur", cur, sensitive=sensitive)
        led.count(f"{name}:prev", prev, sensitive=sensitive)
        got.append((name, label))
    pr = led.protect()
    rows, text, heads = [], [], {}
    for name, label in got:
        ch, cells = protected_change(pr, f"{name}:cur", f"{name}:prev")
        rows.append((label,) + cells)
        text.append(protected_sentence(label, ch))
        heads[name] = pr[f"{name}:cur"]
        heads[f"{name}_previous"] = pr[f"{name}:prev"]
        heads[f"{name}_change_pct"] = (None if ch is None or ch.change_pct is None
                                       else round(ch.change_pct, 1))
    return pr, rows, text, heads, partial


def build_definition(ctx) -> SectionOutput:
    try:
        cond = figures.serious_violence_condition(ctx)
    except FigureUnavailable as err:
        return _unavailable("sv_definition", err.message)
    basket = classification.load().basket_definition("serious_violence")
    pr, rows, text, heads, partial = _measures(
        ctx, "sv_definition", [("serious_violence", "Serious violence", "")])
    heads["serious_violence_rate_per_1000"] = pr.derived(
        rate(pr["serious_violence:cur"] if isinstance(pr["serious_violence:cur"], int) else None,
             ctx.population), "serious_violence:cur")
    sub_rows = []
    for sub, cur, prev in ctx.grouped("offence_subgroup", cond):
        from ._common import change_cells, compare

        sub_rows.append((sub or "Not known (a knife flag on another offence)",)
                        + change_cells(compare(cur, prev)))
    definition = (f"{basket.label}: {basket.description.strip()} Home Office offence codes: "
                  f"{', '.join(sorted(basket.codes, key=lambda c: (len(c), c)))}"
                  + (f"; or any crime flagged {basket.flag}." if basket.flag else "."))
    tables = (
        TableResult(key="sv_measures", title=f"Serious violence, {ctx.period.label} and "
                                             f"{ctx.comparison.label}",
                    columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS,
                    rows=tuple(rows), notes=(definition,)),
        TableResult(key="sv_by_subgroup", title="Serious violence by offence subgroup",
                    columns=(TableColumn("subgroup", "Offence subgroup"),) + CHANGE_COLUMNS,
                    rows=tuple(sub_rows)))
    return SectionOutput(_section("sv_definition", narrative=(definition, *text),
                                  tables=tables, charts=_subgroup_chart(sub_rows),
                                  partial=tuple(partial)), heads)


def _bar_chart(key: str, title: str, table_key: str, rows: list[tuple[str, int]], what: str,
               y_label: str) -> tuple[ChartSpec, ...]:
    """A bar chart of the largest ``rows`` (label, count), ordered by size, with one
    sentence on the largest ("<label> <what> (n of total, %)"); every value is a cell of its
    table (``table_key``)."""
    shown = sorted((r for r in rows if r[1]), key=lambda r: (-r[1], r[0]))[:CHART_BARS]
    if len(shown) < 2:
        return ()
    total = sum(n for _, n in rows)
    top, n = shown[0]
    finding = f"{top} {what} ({n:,} of {total:,}, {100.0 * n / total:.1f} %)."
    return (ChartSpec(key=key, title=title, finding=finding, kind="hbar", table_key=table_key,
                      categories=tuple(r[0] for r in shown),
                      series=(Series("Crimes", tuple(float(r[1]) for r in shown)),),
                      x_label="Crimes", y_label=y_label),)


def _subgroup_chart(sub_rows) -> tuple[ChartSpec, ...]:
    rows = [(str(r[0]), r[1]) for r in sub_rows if isinstance(r[1], int)]
    return _bar_chart("sv_by_subgroup_chart", "Serious violence by offence subgroup",
                      "sv_by_subgroup", rows,
                      "was the largest offence subgroup of serious violence",
                      "Offence subgroup")


def build_public_space(ctx) -> SectionOutput:
    pr, rows, text, heads, partial = _measures(ctx, "sv_public_space", [
        ("public_space_serious_violence", "Serious violence not flagged as domestic abuse", ""),
    ])
    if not rows:
        return _unavailable("sv_public_space", " ".join(partial))
    note = ("The crime records carry no place type, so serious violence not flagged as "
            "domestic abuse stands for violence in public space; ISTV data (section on health "
            "data) says where assaults treated in hospital happened.")
    return SectionOutput(_section("sv_public_space", narrative=tuple(text), caveats=(note,),
                                  tables=(TableResult(
                                      key="sv_public_space", title="Public-space violence",
                                      columns=(TableColumn("measure", "Measure"),)
                                      + CHANGE_COLUMNS, rows=tuple(rows), notes=(note,)),),
                                  partial=tuple(partial)), heads)


def build_weapons(ctx) -> SectionOutput:
    pr, rows, text, heads, partial = _measures(ctx, "sv_weapons", [
        ("bladed_implement_offences", "Offences with a knife or bladed implement", ""),
        ("possession_of_weapons", "Possession of weapons offences", ""),
        ("firearm_crimes", "Crimes where a firearm was used or threatened", ""),
        ("other_weapon_crimes", "Crimes where another weapon was used or threatened", ""),
    ])
    if not rows:
        return _unavailable("sv_weapons", " ".join(partial))
    return SectionOutput(_section("sv_weapons", narrative=tuple(text), tables=(TableResult(
        key="sv_weapons", title=f"Knife and weapon offences, {ctx.period.label} and "
                                f"{ctx.comparison.label}",
        columns=(TableColumn("measure", "Measure"),) + CHANGE_COLUMNS, rows=tuple(rows)),),
        partial=tuple(partial)), heads)


def build_people(ctx) -> SectionOutput:
    try:
        cond = figures.serious_violence_condition(ctx)
    except FigureUnavailable as err:
        return _unavailable("sv_people", err.message)
    if not ctx.tables["v"]:
        return _unavailable("sv_people", "No victim records are loaded (victims and suspects "
                                         "come from a police record-level extract).")
    led = disclosure.ledger(ctx)
    groups = []
    for tag, who, table in (("sv_victims", "Victims", "v"), ("sv_suspects", "Suspects", "s")):
        if not ctx.tables[table]:
            continue
        p = _people.profile(ctx, table, cond)
        _people.register_profile(led, tag, p)
        groups.append((who, tag))
    pr = led.protect()
    heads, text = {}, []
    for who, tag in groups:
        heads[f"{tag}"] = pr[f"{tag}:people"]
        young = [f"{tag}:age:under18", f"{tag}:age:18_24"]
        under25 = pr.derived(
            sum(pr[k] for k in young) if pr.published(*young) else None, *young)
        known = pr[f"{tag}:age_known"] if f"{tag}:age_known" in pr.values else None
        share = (pr.derived(round(100.0 * under25 / known, 1), *young, f"{tag}:age_known")
                 if isinstance(under25, int) and isinstance(known, int) and known else None)
        heads[f"{tag}_under25_pct"] = share
        if isinstance(share, float):
            text.append(f"{share:.1f} % of {who.lower()} of serious violence whose age is "
                        "recorded were under 25.")
        else:
            text.append(f"The share of {who.lower()} under 25 is withheld or not known.")
    table = _people.protected_profile_table(
        "sv_people", "Victims and suspects of serious violence by age and sex", groups, pr)
    return SectionOutput(_section("sv_people", narrative=tuple(text), tables=(table,)), heads)


def build_places(ctx) -> SectionOutput:
    try:
        cond = figures.serious_violence_condition(ctx)
    except FigureUnavailable as err:
        return _unavailable("sv_places", err.message)
    tables, text, heads, partial = [], [], {}, []
    wards = ctx.rows(f"SELECT coalesce((SELECT any_value(ward_name) FROM geo WHERE "
                     f"geo.lsoa11_code = c.lsoa11_code), 'No location'), count(*) FROM c "
                     f"WHERE in_cur AND {cond} GROUP BY 1 ORDER BY 2 DESC, 1")
    total = sum(n for _, n in wards)
    if wards:
        tables.append(TableResult(
            key="sv_by_ward", title=f"Serious violence by ward, {ctx.period.label}",
            columns=(TableColumn("ward", "Ward"), TableColumn("crimes", "Crimes", "count"),
                     TableColumn("share_pct", "Share (%)", "percent")),
            rows=tuple((w, int(n), round(100.0 * n / total, 1)) for w, n in wards)
            + (("All", total, 100.0),)))
        top = wards[0]
        text.append(f"{top[0]} had the most serious violence ({int(top[1]):,} crimes, "
                    f"{100.0 * top[1] / total:.1f} %).")
    if ctx.has("easting", "northing"):
        cells = ctx.rows(
            f"SELECT floor(easting / {GRID_M}) * {GRID_M} AS e, floor(northing / {GRID_M}) * "
            f"{GRID_M} AS n, count(*) AS k, any_value((SELECT any_value(ward_name) FROM geo "
            f"WHERE geo.lsoa11_code = c.lsoa11_code)) FROM c WHERE in_cur AND {cond} AND "
            f"easting IS NOT NULL GROUP BY 1, 2 HAVING count(*) >= {REPEAT_MIN} "
            "ORDER BY 3 DESC, 1, 2")
        at = sum(int(k) for _, _, k, _ in cells)
        heads["sv_repeat_locations"] = len(cells)
        heads["sv_repeat_location_crimes_pct"] = (round(100.0 * at / total, 1) if total
                                                  else None)
        text.append(f"{len(cells):,} places ({GRID_M} m squares) had {REPEAT_MIN} or more "
                    f"serious violence crimes; together they had {at:,} "
                    f"({heads['sv_repeat_location_crimes_pct'] or 0:.1f} % of the total).")
        tables.append(TableResult(
            key="sv_repeat_locations", title=f"Repeat locations: {GRID_M} m squares with "
                                             f"{REPEAT_MIN} or more serious violence crimes",
            columns=(TableColumn("ward", "Ward"), TableColumn("easting", "Easting (square)"),
                     TableColumn("northing", "Northing (square)"),
                     TableColumn("crimes", "Crimes", "count")),
            rows=tuple((w or "No ward", int(e), int(n), int(k)) for e, n, k, w in cells[:20]),
            notes=(f"The 20 squares with most crimes of the {len(cells):,} with "
                   f"{REPEAT_MIN} or more.",)))
    else:
        partial.append("Repeat locations: the crimes carry no grid reference.")
    charts = _bar_chart("sv_by_ward_chart", "Serious violence by ward", "sv_by_ward",
                        [(str(w), int(n)) for w, n in wards],
                        "had the most serious violence of any ward",
                        "Ward") if wards else ()
    return SectionOutput(_section("sv_places", narrative=tuple(text), tables=tuple(tables),
                                  charts=charts, partial=tuple(partial)), heads)


def build_times(ctx) -> SectionOutput:
    try:
        cond = figures.serious_violence_condition(ctx)
    except FigureUnavailable as err:
        return _unavailable("sv_times", err.message)
    if not ctx.has("committed_from"):
        return _unavailable("sv_times", "The crimes record no time of commission.")
    band_sql = "CASE " + " ".join(f"WHEN hour(committed_from) BETWEEN {lo} AND {hi} THEN "
                                  f"'{k}'" for k, _, lo, hi in TIME_BANDS) + " END"
    got = {(int(d), b): int(n) for d, b, n in ctx.rows(
        f"SELECT isodow(committed_from), {band_sql}, count(*) FROM c WHERE in_cur AND {cond} "
        "AND committed_from IS NOT NULL GROUP BY 1, 2")}
    rows = []
    for i, day in enumerate(DAYS, start=1):
        cells = [got.get((i, k), 0) for k, *_ in TIME_BANDS]
        rows.append((day, *cells, sum(cells)))
    total = sum(r[-1] for r in rows)
    night = sum(got.get((d, b), 0) for d in range(1, 8) for b in ("evening", "night"))
    weekend = sum(got.get((d, b), 0) for d, b in ((5, "evening"), (6, "night"),
                                                  (6, "evening"), (7, "night")))
    heads = {"sv_evening_night_pct": round(100.0 * night / total, 1) if total else None,
             "sv_weekend_night_pct": round(100.0 * weekend / total, 1) if total else None}
    text = [f"{heads['sv_evening_night_pct'] or 0:.1f} % of serious violence was committed "
            "between 18:00 and 05:59; "
            f"{heads['sv_weekend_night_pct'] or 0:.1f} % on Friday and Saturday evenings and "
            "the nights after them."]
    charts = ()
    if total:
        (d, b), n = max(got.items(), key=lambda kv: (kv[1], -kv[0][0]))
        label = next(lab for k, lab, *_ in TIME_BANDS if k == b)
        charts = (ChartSpec(
            key="sv_by_day_and_time_chart", title="When serious violence happens: day and time",
            finding=f"The busiest time was {DAYS[d - 1]}, {label[0].lower() + label[1:]}, "
                    f"with {n:,} of {total:,} crimes.",
            kind="heatmap", table_key="sv_by_day_and_time",
            categories=tuple(f"{k.capitalize()}, {lo:02d}-{hi + 1:02d}"
                             for k, _, lo, hi in TIME_BANDS),
            series=tuple(Series(r[0], tuple(float(v) for v in r[1:-1])) for r in rows),
            x_label="Time of day (hours)", y_label="Day"),)
    return SectionOutput(_section("sv_times", narrative=tuple(text), charts=charts,
                                  tables=(TableResult(
        key="sv_by_day_and_time", title=f"Serious violence by day and time of commission, "
                                        f"{ctx.period.label}",
        columns=(TableColumn("day", "Day"),) + tuple(TableColumn(k, label, "count")
                                                     for k, label, *_ in TIME_BANDS)
        + (TableColumn("total", "All", "count"),),
        rows=tuple(rows), notes=("Time of commission: the earliest time the offence may have "
                                 "been committed (committed_from).",)),)), heads)


class _Builder:
    def __init__(self, key: str, fn) -> None:
        self.build = fn
        self.__name__ = f"{__name__}.{key}"


SECTIONS = (_Builder("sv_definition", build_definition),
            _Builder("sv_public_space", build_public_space),
            _Builder("sv_weapons", build_weapons), _Builder("sv_people", build_people),
            _Builder("sv_places", build_places), _Builder("sv_times", build_times))
