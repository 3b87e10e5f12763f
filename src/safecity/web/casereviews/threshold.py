"""The ASB Case Review threshold: plain Python, no Django, so it is tested on dates alone.

The partnership publishes its threshold (ASBCPA 2014 Sch 4 para 2 sets the ceiling): a number of
qualifying complaints about the same problem within a period, each made within a time of the
incident, and an application within a time of the last complaint. The defaults are the Home
Office's: three complaints within six months, each reported within one month of the incident,
the application within six months of the last complaint. Complaints from several people about
the same problem count together; one person's complaints count on their own too. "Within"
includes the boundary day; a month runs to the same day of the next month (the last day when the
next month is shorter: 31 August + 6 months is 28 or 29 February).

When the threshold is not met the panel may still review on local factors (persistence, harm or
vulnerability, the adequacy of the response so far), which ``Result`` leaves to the panel.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Threshold:
    complaints: int = 3
    within_months: int = 6  # the qualifying complaints all fall within this period
    report_within_months: int = 1  # each made within this time of its incident
    apply_within_months: int = 6  # the application within this time of the last complaint


@dataclass(frozen=True)
class Complaint:
    incident: dt.date
    reported: dt.date
    problem: str
    complainant: str = ""
    agency: str = ""


@dataclass
class Result:
    met: bool
    qualifying: list[Complaint] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # one sentence per complaint left out


def _same_problem(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def assess(complaints: list[Complaint], problem: str, applied: dt.date,
           threshold: Threshold = Threshold()) -> Result:
    """Whether ``complaints`` meet ``threshold`` for an application about ``problem`` made on
    ``applied``: the qualifying complaints (the latest set that meets it, or all that qualify
    when none does) and why each other complaint did not count."""
    reasons, ok = [], []
    for c in sorted(complaints, key=lambda c: (c.reported, c.incident)):
        when = f"The complaint made on {c.reported:%d/%m/%Y}"
        if not _same_problem(c.problem, problem):
            reasons.append(f"{when} is about a different problem ({c.problem}).")
        elif c.reported < c.incident:
            reasons.append(f"{when} is dated before its incident ({c.incident:%d/%m/%Y}).")
        elif c.reported > add_months(c.incident, threshold.report_within_months):
            reasons.append(f"{when} was made more than {threshold.report_within_months} "
                           f"month(s) after the incident on {c.incident:%d/%m/%Y}.")
        elif c.reported > applied:
            reasons.append(f"{when} is after the application.")
        else:
            ok.append(c)
    best: list[Complaint] | None = None
    for j in range(len(ok) - 1, -1, -1):  # the latest last complaint first
        last = ok[j]
        if applied > add_months(last.reported, threshold.apply_within_months):
            continue
        window = [c for c in ok[: j + 1]
                  if c.reported >= add_months(last.reported, -threshold.within_months)]
        if len(window) >= threshold.complaints:
            best = window
            break
    if best is not None:
        return Result(True, best, reasons)
    if ok and applied > add_months(ok[-1].reported, threshold.apply_within_months):
        reasons.append(f"The application was made more than {threshold.apply_within_months} "
                       f"months after the last complaint ({ok[-1].reported:%d/%m/%Y}).")
    elif len(ok) < threshold.complaints:
        reasons.append(f"{len(ok)} qualifying complaint(s); the threshold is "
                       f"{threshold.complaints}.")
    else:
        reasons.append(f"No {threshold.complaints} qualifying complaints fall within "
                       f"{threshold.within_months} months of each other.")
    return Result(False, ok, reasons)
