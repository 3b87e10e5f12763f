"""A hand-made StrategicAssessment that exercises everything the report renders.

Every ChartSpec kind, suppressed cells and figures, None values, an unavailable section, a partial
section, a custom period and definitions. Numbers are invented and deterministic.
"""

from __future__ import annotations

import datetime as dt
import math

from safecity.engine.assessment.model import (ChartSpec, Figure, MetricDefinition, Period, Section,
                                              Series, StrategicAssessment, Suppressed, TableColumn,
                                              TableResult)

SECRET = 3  # a small count that must never appear where it is suppressed
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
THIS = (1510, 1602, 1580, 1711, 1650, 1598, 1620, 1577, 1540, 1490, 1433, 1390)
LAST = (1480, 1550, 1601, 1650, 1702, 1570, 1500, 1523, 1499, 1460, 1410, None)


def _overview() -> Section:
    groups = ("Violence against the person", "Theft offences", "Criminal damage and arson",
              "Public order offences", "Sexual offences")
    cur, prev = (7210, 5930, 2450, 1980, 612), (6712, 6101, 2512, 1720, 598)
    table = TableResult(
        key="overview_groups", title="Recorded crime by offence group, 2019/20 and 2018/19",
        columns=(TableColumn("group", "Offence group"), TableColumn("cur", "2019/20", "count"),
                 TableColumn("prev", "2018/19", "count"),
                 TableColumn("change", "Change (%)", "change_pct"),
                 TableColumn("p", "p-value", "p_value")),
        rows=tuple((g, c, p, round(100 * (c - p) / p, 1), 0.0004 if g.startswith("V") else 0.21)
                   for g, c, p in zip(groups, cur, prev)),
        caption="Counts of crimes recorded in each financial year.")
    monthly = TableResult(
        key="overview_monthly", title="Recorded crime by month",
        columns=(TableColumn("month", "Month"), TableColumn("this", "2019/20", "count"),
                 TableColumn("last", "2018/19", "count")),
        rows=tuple(zip(MONTHS, THIS, LAST)))
    return Section(
        key="overview", number=1, title="Overview",
        narrative=("Police recorded 19,701 crimes in 2019/20, 109.6 per 1,000 residents.",
                   "Recorded crime rose by 3.2%, a statistically significant increase."),
        figures=(Figure("crimes", "Recorded crimes", 19701, "", "crimes"),
                 Figure("rate", "Crimes per 1,000 residents", 109.62, "per 1,000", "crime_rate"),
                 Figure("change", "Change on 2018/19", 3.2, "%", "crime_change"),
                 Figure("asb", "ASB incidents", Suppressed(), "", "asb")),
        tables=(table, monthly),
        charts=(ChartSpec("overview_bar", "Crime by offence group", "Violence is the largest group "
                          "and rose the most.", "bar", "overview_groups", groups,
                          (Series("2019/20", cur), Series("2018/19", prev)), y_label="Crimes"),
                ChartSpec("overview_line", "Crime by month", "Crime peaked in July and fell "
                          "through the winter.", "line", "overview_monthly", MONTHS,
                          (Series("2019/20", THIS), Series("2018/19", LAST)), x_label="Month",
                          y_label="Crimes")),
        caveats=("Counts are crimes recorded in the period, not committed in it.",))


def _profiles() -> Section:
    bands = ("Under 18", "18 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over")
    victims = (41, 122, 210, 188, 75, Suppressed())
    table = TableResult(
        key="da_victim_age", title="Domestic abuse victims by age band",
        columns=(TableColumn("band", "Age band"), TableColumn("victims", "Victims", "count"),
                 TableColumn("share", "Share (%)", "percent")),
        rows=tuple((b, v, Suppressed() if isinstance(v, Suppressed) else round(100 * v / 640, 1))
                   for b, v in zip(bands, victims)) + (("Total", Suppressed(), Suppressed()),),
        notes=("The total is withheld too, so the suppressed band cannot be worked out.",),
        sensitive=True)
    ratio = TableResult(
        key="da_imd", title="Domestic abuse rate by IMD decile",
        columns=(TableColumn("decile", "IMD decile"), TableColumn("rate", "Rate per 1,000", "rate"),
                 TableColumn("ci", "95% interval", "interval"),
                 TableColumn("flag", "Small numbers", "flag")),
        rows=(("1 (most deprived)", 21.4, (19.8, 23.1), False), ("5", 9.8, (8.1, 11.7), False),
              ("10 (least deprived)", 4.1, (2.2, 7.0), True), ("Unknown", None, None, None)))
    return Section(
        key="domestic", number=5, title="Domestic abuse",
        narrative=("Domestic abuse was flagged on 14.1% of crimes.",),
        figures=(Figure("da_share", "Share of crime flagged domestic", 14.1, "%", "da_share"),
                 Figure("da_ratio", "Most to least deprived ratio", 5.22, "", "da_ratio"),
                 Figure("da_change", "Change in flagged share", -0.4, "pp", "da_share")),
        tables=(table, ratio),
        charts=(ChartSpec("da_age", "Domestic abuse victims by age", "Most victims are aged 25 to 49.",
                          "hbar", "da_victim_age", bands,
                          (Series("Victims", tuple(None if isinstance(v, Suppressed) else float(v)
                                                   for v in victims)),), x_label="Victims"),),
        partial=("Relationship to the offender: the victims file has no relationship field.",))


def _time() -> Section:
    hours = tuple(f"{h:02d}" for h in range(24))
    series = tuple(Series(d, tuple(round(40 + 30 * math.sin((int(h) - 4) / 24 * 2 * math.pi) + 6 * i
                                         + (25 if i >= 4 and int(h) >= 20 else 0), 1) for h in hours))
                   for i, d in enumerate(DAYS))
    table = TableResult(
        key="time_hour_weekday", title="Crimes by hour and weekday (aoristic)",
        columns=(TableColumn("day", "Weekday"),) + tuple(TableColumn(h, h, "count") for h in hours),
        rows=tuple((s.label,) + s.values for s in series))
    return Section(
        key="time", number=11, title="Time",
        narrative=("Crime is busiest on Friday and Saturday evenings.",),
        tables=(table,),
        charts=(ChartSpec("time_heat", "Crimes by hour of day and day of week", "Friday and "
                          "Saturday nights are the busiest times.", "heatmap", "time_hour_weekday",
                          hours, series, x_label="hour of day"),))


def _place() -> Section:
    points = []
    for i in range(40):
        pop = 1200 + 97 * i
        rate = 30 + ((i * 37) % 23) - 11
        flag = "High (0.001)" if i in (3, 17) else "Low (0.025)" if i == 29 else ""
        if i in (3, 17):
            rate += 40
        points.append({"label": f"E0100{4000 + i}", "population": pop, "rate": float(rate),
                       "flag": flag})
    pops = [1000 + 250 * k for k in range(20)]
    limits = {"population": pops,
              "low95": [30 - 1.96 * math.sqrt(30_000 / p) for p in pops],
              "high95": [30 + 1.96 * math.sqrt(30_000 / p) for p in pops],
              "low998": [30 - 3.09 * math.sqrt(30_000 / p) for p in pops],
              "high998": [30 + 3.09 * math.sqrt(30_000 / p) for p in pops]}
    funnel_table = TableResult(
        key="place_lsoa", title="Crime rate by LSOA with funnel-plot flags",
        columns=(TableColumn("lsoa", "LSOA"), TableColumn("pop", "Population", "count"),
                 TableColumn("rate", "Rate per 1,000", "rate"), TableColumn("flag", "Flag", "flag")),
        rows=tuple((p["label"], p["population"], p["rate"], p["flag"] or "Within limits")
                   for p in points))
    cells = []
    for gx in range(12):
        for gy in range(9):
            z = 3.2 - 0.5 * math.hypot(gx - 4, gy - 5)
            label = ("hot 99%" if z > 2.58 else "hot 95%" if z > 1.96 else "hot 90%" if z > 1.65
                     else "cold 95%" if (gx, gy) in ((11, 0), (10, 0)) else "")
            cells.append({"x": 440_000 + gx * 250, "y": 110_000 + gy * 250,
                          "value": max(int(20 + 8 * z), 0), "label": label, "z": round(z, 2)})
    hot_table = TableResult(
        key="place_hotspots", title="Gi* hot and cold spot cells",
        columns=(TableColumn("x", "Easting", "text"), TableColumn("y", "Northing", "text"),
                 TableColumn("count", "Crimes", "count"), TableColumn("z", "Gi* z", "ratio"),
                 TableColumn("class", "Class", "text")),
        rows=tuple((str(c["x"]), str(c["y"]), c["value"], c["z"], c["label"])
                   for c in cells if c["label"]))
    return Section(
        key="place", number=10, title="Place",
        narrative=("Two LSOAs have rates above the 99.8% funnel limit.",),
        tables=(funnel_table, hot_table),
        charts=(ChartSpec("place_funnel", "Crime rate by LSOA against population", "Two areas "
                          "sit above the upper limits and one below.", "funnel", "place_lsoa",
                          extra={"points": points, "overall": 30.0, "limits": limits, "per": 1000},
                          x_label="Residents", y_label="Crimes per 1,000"),
                ChartSpec("place_grid", "Gi* hot spots on a 250 m grid", "One cluster of hot "
                          "spots lies in the city centre.", "grid_map", "place_hotspots",
                          extra={"cell_size": 250, "cells": cells})))


def assessment() -> StrategicAssessment:
    """The fixture assessment."""
    sections = (
        _overview(),
        Section(key="repeat", number=4, title="Repeat victimisation", available=False,
                unavailable_reason="data.police.uk files have no victim records."),
        _profiles(), _place(), _time())
    definitions = tuple(MetricDefinition(k, n, d, f, flt, c) for k, n, d, f, flt, c in (
        ("crimes", "Recorded crimes", "Crimes recorded by the police in the period.",
         "crimes.recorded_date", "Recorded in the area and period", "Recording practice changes."),
        ("crime_rate", "Crime rate per 1,000 residents", "Recorded crimes / residents x 1,000.",
         "crimes.recorded_date; population", "As recorded crimes", ""),
        ("crime_change", "Change in recorded crime", "(this - previous) / previous x 100.",
         "crimes.recorded_date", "As recorded crimes", "None when the previous count is 0."),
        ("asb", "ASB incidents", "Anti-social behaviour incidents recorded.", "asb.reported_date",
         "In the area and period", ""),
        ("da_share", "Domestic abuse share", "Flagged crimes / all crimes x 100.",
         "crimes.domestic_abuse", "Flag is true", "Flagging practice varies."),
        ("da_ratio", "Deprivation ratio", "Rate in decile 1 / rate in decile 10.",
         "crimes.lsoa_code; IMD 2019", "Domestic flag", "")))
    return StrategicAssessment(
        area_code="E22000120", area_name="Southampton",
        period=Period("2019/20", dt.date(2019, 4, 1), dt.date(2020, 3, 31)),
        comparison=Period("2018/19", dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
        custom_period=Period("30 Sep – 30 Nov 2020", dt.date(2020, 9, 30), dt.date(2020, 11, 30)),
        custom_comparison=Period("30 Sep – 30 Nov 2019", dt.date(2019, 9, 30), dt.date(2019, 11, 30)),
        generated_at="2020-06-01T09:30:00", population=252_796,
        data_coverage=("Police extract: 12 months, April 2019 to March 2020, 19,701 crimes.",
                       "ASB: not loaded."),
        sections=sections, headlines=(("crimes", 19701),), definitions=definitions,
        settings={"suppression_threshold": 5, "weights_edition": "ONS CCHI 2020",
                  "comparators": ["E22000001", "E22000002"]})
