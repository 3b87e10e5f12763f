"""Small GOV.UK components drawn in Python: RAG and status tags, a change, a sparkline.

They were ``{% include %}`` templates; on the scorecard, which draws one per action and indicator,
the includes (a context push and a nested render each) and the sparkline's localised floats were
about half the page's rendering time. As simple tags they cost a few microseconds each.

    {% load components %}
    {% rag_tag update.rag update.get_rag_display %}  {% status_tag update.status %}
    {% change_text trend.headline %}  {% sparkline_svg row indicator.pk %}
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_STATUS = {  # status -> (GOV.UK tag colour, label)
    "approved": ("green", "Approved"),
    "submitted": ("blue", "Submitted"),
    "returned": ("red", "Returned"),
    "draft": ("grey", "Draft"),
}
_NO_UPDATE = ("yellow", "No update")


@register.simple_tag
def rag_tag(rag: str | None, label: str = "") -> SafeString:
    """The RAG status as a coloured tag, or "No status"."""
    if not rag:
        return mark_safe('<span class="govuk-hint govuk-!-margin-0">No status</span>')
    text = str(label or rag)
    return format_html('<strong class="govuk-tag app-rag app-rag--{}">{}</strong>', rag,
                       text[:1].upper() + text[1:])


@register.simple_tag
def status_tag(status: str | None) -> SafeString:
    """An update's status as a tag; anything else (no update yet) is "No update"."""
    colour, label = _STATUS.get(status or "", _NO_UPDATE)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.simple_tag
def value_text(value, metric: str) -> SafeString:
    """A metric value with its unit ("468.2 per 100,000", "12.5 %", "60 count")."""
    from ...dashboards.units import unit_label

    if value is None:
        return mark_safe("Not available")
    unit = unit_label(metric)
    number = floatformat(value, "1g" if unit != "count" else "0g")
    return format_html('{}<span class="app-unit"> {}</span>', number, unit)


def signed_pct(change: float) -> str:
    """A change in per cent with its sign: "+12.3%", "-4.0%", "0.0%"."""
    text = floatformat(change, 1)
    return f"+{text}%" if change > 0 and not text.startswith("-") else f"{text}%"


@register.simple_tag
def change_text(value, direction: str = "down") -> SafeString:
    """A metric value's change on the year before, signed, and whether it is significant;
    a significant change says in words (and by an arrow) whether it is better or worse, by the
    indicator's ``direction`` ("down": lower is better), so colour is never the only cue."""
    if value.change_pct is None:
        return mark_safe("No baseline" if value.wording == "no_baseline" else "Not available")
    pct = signed_pct(value.change_pct)
    if not value.significant or value.change_pct == 0:
        return format_html('{} <span class="govuk-hint govuk-!-display-inline">not significant'
                           '</span>', pct)
    rise = value.change_pct > 0
    better = rise == (direction == "up")
    return format_html('{} <strong class="govuk-tag govuk-tag--{}">{} Significant {}: {}'
                       '</strong>', pct, "green" if better else "red", "▲" if rise else "▼",
                       "rise" if rise else "fall", "better" if better else "worse")


@register.simple_tag
def sparkline_svg(row: dict, id: int) -> SafeString:
    """The quarterly trend as an inline SVG with a title and description (its table twin is on
    the page), or "No trend" when there are fewer than two values."""
    spark = row.get("spark")
    if not spark:
        return mark_safe('<span class="govuk-hint govuk-!-margin-0">No trend</span>')
    trend = row["trend"]
    points = trend.points
    first, last = (points[0], points[-1]) if points else (None, None)
    ends = ""
    if first is not None:
        ends = format_html(" from {} ({}) to {} ({})",
                           floatformat(first.value, "0g"), first.period_label,
                           floatformat(last.value, "0g"), last.period_label)
    return format_html(
        '<svg class="app-sparkline" role="img" aria-labelledby="spark-{id}-title '
        'spark-{id}-desc" width="{w}" height="{h}" viewBox="0 0 {w} {h}" focusable="false">\n'
        '<title id="spark-{id}-title">{name}: quarterly trend</title>\n'
        '<desc id="spark-{id}-desc">{count} quarters{ends}. The values are in the table below.'
        '</desc>\n<polyline points="{points}"/>\n{dots}</svg>',
        id=id, w=spark.width, h=spark.height, name=trend.indicator.name, count=len(points),
        ends=ends, points=spark.points,
        # The coordinates are floats the sparkline computed, so they need no escaping.
        dots=mark_safe("".join(f'<circle cx="{float(x)}" cy="{float(y)}" r="2"/>'
                               for x, y in spark.dots)))


@register.simple_tag
def published_value(value, metric: str) -> SafeString:
    """A figure as a published run holds it: withheld ("[c]", the ONS mark for a small count
    suppressed in publication) is said in words; otherwise as ``value_text``."""
    from ....engine.assessment.output import SUPPRESSED

    if value == SUPPRESSED:
        return mark_safe("Withheld (small number)")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value_text(None, metric)
    return value_text(value, metric)


@register.simple_tag
def signed(change: float) -> str:
    """``signed_pct`` for templates."""
    return signed_pct(float(change))
