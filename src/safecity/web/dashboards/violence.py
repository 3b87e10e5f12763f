"""The violence dashboard: serious violence, robbery and knife crime by month and by victim and
suspect age group, for the partnership's area or one policing sector, over a chosen run of
months; a chart with its table, and the same figures as a formula-safe CSV.

Every figure comes from the engine (``engine/violence.py``) through ``services.violence``; the
age groups are protected there by disclosure control."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ...engine import periods
from ...engine import settings as engine_settings
from ...engine.assessment.model import ChartSpec, Series, Suppressed
from ...engine.errors import SafecityError
from ...engine.report.charts import render_chart
from ...engine.safe_text import csv_cell
from .. import access
from . import services

DEFAULT_MONTHS = 12


def _filters(request, months: list[str]) -> tuple[dict, list[tuple[str, str]]]:
    """The chosen period and sector, and errors as (field id, message) for the summary."""
    errors = []
    last = months[-1]
    first = months[max(0, len(months) - DEFAULT_MONTHS)]
    chosen = {"start": request.GET.get("start") or first, "end": request.GET.get("end") or last,
              "sector": request.GET.get("sector") or ""}
    for field, label in (("start", "From"), ("end", "To")):
        if chosen[field] not in months:
            errors.append((field, f"{label}: choose one of the months loaded"))
            chosen[field] = first if field == "start" else last
    if not errors and chosen["end"] < chosen["start"]:
        errors.append(("end", "To must be the same as or after From"))
        chosen["end"] = chosen["start"]
    return chosen, errors


def _dashboard(request, pk: int):
    strategy, _ = access.get_strategy(request, pk)
    months = services.crime_months(services.warehouse())
    if not months:
        return strategy, None, None, [], []
    chosen, errors = _filters(request, months)
    area = strategy.area_code or engine_settings.get("partnership_csp")
    try:
        data = services.violence(area, chosen["start"], chosen["end"], chosen["sector"] or None)
    except SafecityError as exc:
        errors.append(("sector", str(exc)))
        chosen["sector"] = ""
        data = services.violence(area, chosen["start"], chosen["end"], None)
    return strategy, data, chosen, errors, months


def dashboard(request, pk: int):
    strategy, data, chosen, errors, months = _dashboard(request, pk)
    context = {"strategy": strategy, "data": data, "chosen": chosen, "errors": errors,
               "months": [(m, periods.month_label(m)) for m in months]}
    if data is not None:
        context.update(_views(data))
    return render(request, "dashboards/violence.html", context)


def _views(data) -> dict:
    labels = [periods.month_label(m) for m in data.months]
    where = data.place + " sector" if data.place else data.area_name
    chart = ChartSpec(
        key="violence-by-month", title=f"Serious violence, robbery and knife crime by month, "
        f"{where}", finding=_finding(data), kind="line", table_key="violence-by-month",
        categories=tuple(labels),
        series=tuple(Series(label, tuple(None if r[i] is None else float(r[i])
                                         for r in data.by_month))
                     for i, (_, label) in enumerate(data.measures)),
        x_label="Month", y_label="Crimes")
    svg = render_chart(chart, "violence-chart", "Crimes by month") if data.measures else ""
    rows = [{"label": label, "values": [_text(v) for v in values]}
            for label, values in zip(labels, data.by_month)]
    ages: dict[str, list] = {}
    for label, role, bands, total in data.by_age:
        ages.setdefault(label, []).append({"role": role, "values": [_text(v) for v in bands],
                                           "total": _text(total)})
    return {"svg": mark_safe(svg), "rows": rows, "ages": list(ages.items()),
            "age_left_out": ", ".join(periods.month_label(m) for m in data.age_left_out),
            "where": where, "withheld": any(isinstance(v, Suppressed) for _, _, b, t in
                                            data.by_age for v in (*b, t))}


def _finding(data) -> str:
    parts = []
    for i, (_, label) in enumerate(data.measures):
        values = [r[i] for r in data.by_month if r[i] is not None]
        if values:
            parts.append(f"{label.lower()} {sum(values):,}")
    return ("Over " + data.period.label + ": " + ", ".join(parts) + "."
            if parts else "No crimes are loaded for these months.")


def _text(value) -> str:
    if isinstance(value, Suppressed):
        return "[c]"
    return "not loaded" if value is None else f"{value:,}"


def download(request, pk: int):
    strategy, data, chosen, errors, _ = _dashboard(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["measure", "breakdown", "group", "period", "count"])
    if data is not None:
        place = data.place or data.area_name
        writer.writerow([csv_cell(f"# {place}, {data.period.label}; [c] = withheld (fewer "
                                  "than the publication threshold, or would reveal one); "
                                  "victims and suspects by age are counted over whole "
                                  "financial years and quarters only (the period column)"),
                         "", "", "", ""])
        for row in data.csv_rows():
            writer.writerow([csv_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = "violence" + (f"-{chosen['start']}-to-{chosen['end']}" if chosen else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
