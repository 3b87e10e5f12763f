"""Plain-English sentences from our own templates; the wording follows the statistics.

A change is described by what the E-test says, not by the size of the percentage alone:

* a significant change: "rose by 7.4 % (from 8,102 to 8,701), a statistically significant
  increase";
* a change within chance variation: "... which is within normal year-to-year variation";
* small numbers (either year below 20, see ``stats.change``): "... but numbers are small, so
  interpret with caution";
* no crimes in the comparison year: no percentage at all ("no baseline").

>>> from types import SimpleNamespace as C
>>> ch = C(current=8701, previous=8102, change_pct=7.39, significant=True, small_numbers=False,
...        direction="increase", p_value=1e-6)
>>> change_clause(ch)
'rose by 7.4 % (from 8,102 to 8,701), a statistically significant increase'
>>> change_clause(C(current=87, previous=76, change_pct=14.47, significant=False,
...        small_numbers=True, direction="increase", p_value=0.4))
'rose by 14.5 % (from 76 to 87), but numbers are small, so interpret with caution'
"""

from __future__ import annotations

import re
from typing import Any

from .model import Suppressed, Value

#: Words that end a subject's head noun phrase: the noun just before the first of them decides
#: the subject's number ("Possession of drugs was", "Offences with a bladed implement were").
_PREPOSITIONS = frozenset(
    "of with against from in by for on over to at under involving per among between during "
    "within".split())
#: Plurals not ending in s, and singular nouns that do (by their endings).
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women"})
_SINGULAR_ENDINGS = ("ss", "us", "is")


def is_plural(subject: str) -> bool:
    """Whether a sentence's subject is plural: its head noun, the last word before the first
    preposition (words in brackets and after a dash left out), ends in a plural s or is an
    irregular plural. A category joined by "and" ("Criminal damage and arson") is one category.
    Hand-written: the subjects are our own templates' and the Home Office's category names, for
    which this rule is enough; no dependency the project has classifies nouns.

    >>> [is_plural(s) for s in ("Anti-social behaviour incidents", "Possession of drugs",
    ...  "Offences with a bladed implement", "Police recorded crime in Southampton",
    ...  "The number of ASB incidents in Mar 2020", "First-time entrants (aged 10-17)")]
    [True, False, True, False, False, True]
    """
    text = re.sub(r"\([^)]*\)", " ", subject)
    text = re.split(r"\s[-–—]\s", text)[0]
    head = ""
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
        if word.lower() in _PREPOSITIONS and head:
            break
        head = word.lower()
    head = head.rsplit("-", 1)[-1]
    return head in _IRREGULAR_PLURALS or (
        head.endswith("s") and len(head) > 2 and not head.endswith(_SINGULAR_ENDINGS))


def be(subject: str) -> str:
    """ "were" for a plural subject, else "was" (:func:`is_plural`)."""
    return "were" if is_plural(subject) else "was"


def fmt_count(value: Value) -> str:
    if isinstance(value, Suppressed):
        return "fewer than the publication threshold"
    if value is None:
        return "not available"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def fmt_pct(value: Value, digits: int = 1) -> str:
    if isinstance(value, Suppressed):
        return "a share withheld (small numbers)"
    return "not available" if value is None else f"{value:.{digits}f} %"


def change_clause(change: Any, threshold: int | None = None, verb: str = "was") -> str:
    """The verb phrase for a ``stats.change.Change`` (duck-typed so templates stay testable).

    With ``threshold`` (a sensitive figure), counts from 1 to threshold − 1 are not printed.
    ``verb``: "was", or "were" for a plural subject (:func:`be`).
    """
    cur, prev = change.current, change.previous
    if threshold and any(x is not None and 0 < x < threshold for x in (cur, prev)):
        return (f"{verb} fewer than {threshold} in one of the periods compared, so the figures "
                "are withheld")
    if prev is None:
        return f"{verb} {fmt_count(cur)} (no data is loaded for the comparison period)"
    if prev == 0:
        if cur == 0:
            return f"{verb} nil in both years"
        return f"{verb} {fmt_count(cur)}, with none in the comparison period (no baseline)"
    if cur == prev or change.change_pct is None or round(change.change_pct, 1) == 0:
        return f"{verb} unchanged at {fmt_count(cur)}"
    verb = "rose" if cur > prev else "fell"
    core = f"{verb} by {abs(change.change_pct):.1f} % (from {fmt_count(prev)} to {fmt_count(cur)})"
    if change.small_numbers:
        return f"{core}, but numbers are small, so interpret with caution"
    if change.significant:
        kind = "increase" if cur > prev else "decrease"
        return f"{core}, a statistically significant {kind}"
    return f"{core}, which is within normal year-to-year variation (not statistically significant)"


def change_sentence(subject: str, change: Any, period_label: str = "",
                    threshold: int | None = None) -> str:
    """'<Subject> <clause>[ in <period>].' with the subject capitalised, its verb agreeing
    with it ("Anti-social behaviour incidents were 867 …", :func:`be`)."""
    tail = f" in {period_label}" if period_label else ""
    text = f"{subject} {change_clause(change, threshold, be(subject))}{tail}."
    return text[0].upper() + text[1:]


def count_sentence(subject: str, value: Value, unit: str = "", extra: str = "") -> str:
    unit_text = f" {unit}" if unit else ""
    text = f"{subject} {be(subject)} {fmt_count(value)}{unit_text}{extra}."
    return text[0].upper() + text[1:]


def share_sentence(what: str, pct: Value, of: str) -> str:
    if isinstance(pct, Suppressed):
        return f"The share of {of} that {what} is withheld because the numbers are small."
    if pct is None:
        return f"The share of {of} that {what} cannot be calculated from this data."
    return f"{pct:.1f} % of {of} {what}."


def ranking_sentence(items: list[str], what: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        listed = items[0]
    else:
        listed = ", ".join(items[:-1]) + " and " + items[-1]
    return f"{what}: {listed}."


def notable_changes_sentence(increases: list[str], decreases: list[str]) -> str:
    parts = []
    if increases:
        parts.append("statistically significant increases in " + _join(increases))
    if decreases:
        parts.append("statistically significant decreases in " + _join(decreases))
    if not parts:
        return "No offence subgroup changed by more than chance variation would explain."
    text = "Notable changes were " + "; and ".join(parts) + "."
    return text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
