"""Reporting periods: financial years, months, rolling years and custom date ranges.

Every function returns a :class:`~safecity.engine.assessment.model.Period` with inclusive start
and end dates and a label fit for a report heading. Bad labels raise
:class:`~safecity.engine.errors.AssessmentError` with a sentence and an example of a valid label.

Examples
--------
>>> fy = financial_year("2019/20")
>>> fy.start, fy.end
(datetime.date(2019, 4, 1), datetime.date(2020, 3, 31))
>>> previous_year(fy).label
'2018/19'
>>> parse_custom_period("2020-09-30..2020-11-30").label
'30 Sep – 30 Nov 2020'
>>> months_in(parse_custom_period("2018-10..2019-02"))
['2018-10', '2018-11', '2018-12', '2019-01', '2019-02']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .assessment.model import Period
from .errors import AssessmentError

__all__ = [
    "financial_year", "previous_year", "same_period_last_year", "rolling_12_months", "month",
    "parse_custom_period", "months_in", "days_in", "label_for", "shift_month", "add_months",
    "month_label", "quarters_to", "parse_month", "financial_year_of", "fixed_cover",
]

_FY = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_ROLLING_PREFIX = "12 months to "


def _month_end(year: int, month_number: int) -> dt.date:
    return dt.date(year, month_number, calendar.monthrange(year, month_number)[1])


def _is_month_end(day: dt.date) -> bool:
    return day == _month_end(day.year, day.month)


def parse_month(text: str, what: str = "month") -> tuple[int, int]:
    """(year, month number) of "YYYY-MM"; AssessmentError naming ``what`` if it is not one."""
    return _parse_month(text, what)


def _parse_month(text: str, what: str) -> tuple[int, int]:
    match = _MONTH.match(str(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise AssessmentError(
            f"The {what} {text!r} is not a month.",
            fix="Write it as YYYY-MM, for example 2020-03.",
        )
    return int(match.group(1)), int(match.group(2))


def _parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AssessmentError(
            f"The {what} {text!r} is not a date.",
            fix="Write dates as YYYY-MM-DD, for example 2020-09-30..2020-11-30.",
        ) from None


def label_for(start: dt.date, end: dt.date) -> str:
    """A report label for an inclusive date range.

    A 1 April – 31 March year reads "2019/20", whole months read "Mar 2020" or
    "Oct 2018 – Feb 2019", anything else "30 Sep – 30 Nov 2020".

    >>> label_for(dt.date(2018, 10, 1), dt.date(2019, 2, 28))
    'Oct 2018 – Feb 2019'
    """
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return f"{start.year}/{str(end.year)[2:]}"
    if start.day == 1 and _is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return start.strftime("%b %Y")
        return f"{start.strftime('%b %Y')} – {end.strftime('%b %Y')}"
    if start.year == end.year:
        return f"{start.day} {start.strftime('%b')} – {end.day} {end.strftime('%b %Y')}"
    return f"{start.day} {start.strftime('%b %Y')} – {end.day} {end.strftime('%b %Y')}"


def financial_year(label: str) -> Period:
    """The financial year 1 April – 31 March named like "2019/20" (also "2019-20", "2019/2020").

    >>> financial_year("2019-20").end
    datetime.date(2020, 3, 31)
    """
    match = _FY.match(str(label))
    if match:
        first = int(match.group(1))
        second = match.group(2)
        expected = str(first + 1)
        if second == expected or second == expected[2:]:
            return Period(f"{first}/{expected[2:]}", dt.date(first, 4, 1), dt.date(first + 1, 3, 31))
    raise AssessmentError(
        f"The year {label!r} is not a financial year.",
        fix="Write it as the starting year and the next year's last two digits, for example 2019/20.",
    )


def _year_earlier(day: dt.date, keep_month_end: bool) -> dt.date:
    if keep_month_end and _is_month_end(day):
        return _month_end(day.year - 1, day.month)
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def previous_year(period: Period) -> Period:
    """The same span one year earlier; a period ending on a month's last day keeps doing so.

    >>> previous_year(month("2020-02")).end
    datetime.date(2019, 2, 28)
    """
    start = _year_earlier(period.start, keep_month_end=False)
    end = _year_earlier(period.end, keep_month_end=period.start.day == 1)
    if period.label.startswith(_ROLLING_PREFIX):
        label = _ROLLING_PREFIX + end.strftime("%b %Y")
    else:
        label = label_for(start, end)
    return Period(label, start, end)


same_period_last_year = previous_year


def month(label: str) -> Period:
    """The calendar month "YYYY-MM".

    >>> month("2020-03").label
    'Mar 2020'
    """
    year, number = _parse_month(label, "month")
    start = dt.date(year, number, 1)
    return Period(start.strftime("%b %Y"), start, _month_end(year, number))


def rolling_12_months(end_month: str) -> Period:
    """The twelve whole months ending with ``end_month`` ("YYYY-MM").

    >>> p = rolling_12_months("2020-03")
    >>> p.start, p.label
    (datetime.date(2019, 4, 1), '12 months to Mar 2020')
    """
    year, number = _parse_month(end_month, "end month")
    end = _month_end(year, number)
    start_year, start_month = (year, number + 1) if number < 12 else (year + 1, 1)
    start = dt.date(start_year - 1, start_month, 1)
    return Period(_ROLLING_PREFIX + end.strftime("%b %Y"), start, end)


def parse_custom_period(text: str) -> Period:
    """A period written START..END, as dates (2020-09-30..2020-11-30) or whole months (2018-10..2019-02).

    >>> parse_custom_period("2018-10..2019-02").end
    datetime.date(2019, 2, 28)
    """
    example = "for example 2020-09-30..2020-11-30 or 2018-10..2019-02"
    parts = str(text).split("..")
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise AssessmentError(f"The period {text!r} is not a range START..END.",
                              fix=f"Write two dates or months joined by '..', {example}.")
    first, last = (part.strip() for part in parts)
    if _MONTH.match(first):
        year, number = _parse_month(first, "start month")
        start = dt.date(year, number, 1)
    else:
        start = _parse_date(first, "start date")
    if _MONTH.match(last):
        year, number = _parse_month(last, "end month")
        end = _month_end(year, number)
    else:
        end = _parse_date(last, "end date")
    if end < start:
        raise AssessmentError(f"The period {text!r} ends before it starts.",
                              fix=f"Put the earlier date first, {example}.")
    return Period(label_for(start, end), start, end)


def shift_month(month_text: str, months: int) -> str:
    """The month ``months`` after (or before, if negative) "YYYY-MM".

    >>> shift_month("2020-03", -11), shift_month("2020-12", 1)
    ('2019-04', '2021-01')
    """
    year, number = _parse_month(month_text, "month")
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's last day.

    >>> add_months(dt.date(2020, 1, 31), 1)
    datetime.date(2020, 2, 29)
    """
    index = day.year * 12 + day.month - 1 + months
    year, number = index // 12, index % 12 + 1
    return dt.date(year, number, min(day.day, calendar.monthrange(year, number)[1]))


def month_label(month_text: str) -> str:
    """A report label for "YYYY-MM".

    >>> month_label("2020-03")
    'Mar 2020'
    """
    return month(month_text).label


def quarters_to(end_month: str, count: int) -> list[Period]:
    """``count`` consecutive three-month periods, oldest first, the last ending with
    ``end_month`` ("YYYY-MM").

    >>> [p.label for p in quarters_to("2020-12", 2)]
    ['Jul 2020 – Sep 2020', 'Oct 2020 – Dec 2020']
    """
    out = []
    for q in range(count - 1, -1, -1):
        last = shift_month(end_month, -3 * q)
        first = month(shift_month(last, -2))
        out.append(Period(label_for(first.start, month(last).end), first.start, month(last).end))
    return out


def financial_year_of(month_text: str) -> Period:
    """The financial year (1 April - 31 March) holding the month "YYYY-MM".

    >>> financial_year_of("2020-03").label, financial_year_of("2020-04").label
    ('2019/20', '2020/21')
    """
    year, number = _parse_month(month_text, "month")
    first = year if number >= 4 else year - 1
    return financial_year(f"{first}/{str(first + 1)[2:]}")


def fixed_cover(start_month: str, end_month: str, *, quarters: bool = True
                ) -> tuple[list[Period], list[str]]:
    """The run of months ``start_month``..``end_month`` ("YYYY-MM", inclusive) as cells of one
    fixed grid: whole financial years, else (``quarters``) whole financial quarters (April-June,
    July-September, October-December, January-March); returns (the cells, oldest first; the months in no whole
    quarter of the run). A figure published only for these cells, each decided once whatever run
    is asked for, cannot be worked back by comparing overlapping runs (engine/violence.py).

    >>> cells, left = fixed_cover("2019-02", "2020-05")
    >>> [c.label for c in cells], left
    (['2019/20'], ['2019-02', '2019-03', '2020-04', '2020-05'])
    >>> [c.label for c in fixed_cover("2019-07", "2020-01")[0]]
    ['Jul 2019 – Sep 2019', 'Oct 2019 – Dec 2019']
    >>> fixed_cover("2019-07", "2020-01", quarters=False)[0]
    []
    """
    cells: list[Period] = []
    left: list[str] = []
    m = start_month
    while m <= end_month:
        number = _parse_month(m, "month")[1]
        if number == 4 and shift_month(m, 11) <= end_month:
            cells.append(financial_year_of(m))
            m = shift_month(m, 12)
        elif quarters and number % 3 == 1 and shift_month(m, 2) <= end_month:
            last = month(shift_month(m, 2))
            cells.append(Period(label_for(month(m).start, last.end), month(m).start, last.end))
            m = shift_month(m, 3)
        else:
            left.append(m)
            m = shift_month(m, 1)
    return cells, left


def months_in(period: Period) -> list[str]:
    """Every calendar month the period touches, as "YYYY-MM", in order.

    >>> months_in(month("2020-03"))
    ['2020-03']
    """
    out = []
    year, number = period.start.year, period.start.month
    while (year, number) <= (period.end.year, period.end.month):
        out.append(f"{year:04d}-{number:02d}")
        year, number = (year, number + 1) if number < 12 else (year + 1, 1)
    return out


def days_in(period: Period) -> int:
    """The number of days in the period, counting both ends (an exposure for rate comparisons).

    >>> days_in(financial_year("2019/20"))
    366
    """
    return (period.end - period.start).days + 1
