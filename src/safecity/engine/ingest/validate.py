"""Turn one supplied value into a contract value, or say in a few words why it cannot be.

A ``Converter`` is built once per mapped column (type, allowed values, the mapping's value
table, the date formats) and called for every row; it returns the value or raises ``RowError``
whose text becomes the reject reason. Parsed dates are memoised: extracts repeat them heavily.

This module checks the rows of the tabular sources (force extracts, ASB, hate, youth justice,
referrals: ``tabular``). data.police.uk street files are checked in bulk inside DuckDB instead,
by ``police_uk.stage`` (its ``REASON`` lists why a row is rejected, ``find_duplicates`` what a
duplicate is).

Rules (documented in docs/data-contract.md):

* Blank (empty or only spaces) is missing. A missing required value rejects the row.
* Booleans: true/false, yes/no, y/n, 1/0 (any case); blank is false for flag columns.
* Dates: ISO ``YYYY-MM-DD``, ``DD/MM/YYYY`` and ``DD-Mon-YYYY`` (e.g. 05-Apr-2019), each optionally
  followed by `` HH:MM`` or `` HH:MM:SS`` (ISO also with ``T``), or the mapping's own ``dates``
  formats (``strftime`` codes, tried in order). Day before month: this is UK data. Impossible
  dates (31/02/2019), dates before 1900 and dates after today reject the row.
* Whole numbers may be written ``12`` or ``12.0`` (spreadsheets do); ages must be 0 to 120.
* Allowed values match case-insensitively, after the mapping's value table, with a few standard
  synonyms (F/M for sex).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..contract import Column, Type


class RowError(Exception):
    """A row cannot be stored; ``str(err)`` is the reason written to the rejects file."""


TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE = frozenset({"false", "f", "no", "n", "0", "0.0"})
EARLIEST = dt.date(1900, 1, 1)
MIN_AGE, MAX_AGE = 0, 120

#: Standard synonyms, applied after the mapping's own value table (keys are case-folded).
SYNONYMS: dict[str, dict[str, str]] = {
    "sex": {"f": "female", "m": "male", "u": "unknown", "not known": "unknown",
            "not stated": "unknown", "x": "other"},
}

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_RE = re.compile(
    r"^\s*(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})"
    r"|(?P<d3>\d{1,2})[- ](?P<m3>[A-Za-z]{3})[A-Za-z]*[- ](?P<y3>\d{4}))"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?\s*$")


def parse_bool(text: str) -> bool:
    low = text.strip().casefold()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ValueError


_DIRECTIVES = {"%d": r"(?P<d>\d{1,2})", "%m": r"(?P<m>\d{1,2})", "%Y": r"(?P<Y>\d{4})",
               "%H": r"(?P<H>\d{1,2})", "%M": r"(?P<M>\d{1,2})", "%S": r"(?P<S>\d{1,2})",
               "%b": r"(?P<b>[A-Za-z]{3})"}


def _compile_format(fmt: str) -> re.Pattern[str] | None:
    """A regular expression equivalent to a strftime format of simple directives, or None.

    strptime is slow (tens of microseconds a call) and extracts carry ~100,000 distinct
    date-times, so the common formats are matched with a compiled pattern instead.
    """
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            token = fmt[i:i + 2]
            if token not in _DIRECTIVES or _DIRECTIVES[token] in out:
                return None
            out.append(_DIRECTIVES[token])
            i += 2
        else:
            out.append(re.escape(fmt[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def _from_match(m: re.Match[str]) -> dt.datetime | None:
    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _MONTHS.get((g.get("b") or "").lower())
    if month is None or not g.get("Y") or not g.get("d"):
        return None
    return dt.datetime(int(g["Y"]), month, int(g["d"]), int(g.get("H") or 0),
                       int(g.get("M") or 0), int(g.get("S") or 0))


class DateParser:
    """Parses dates and date-times in the default formats or the mapping's ``dates`` list."""

    def __init__(self, formats: list[str] | None = None, today: dt.date | None = None) -> None:
        self.formats = list(formats or [])
        self._compiled = [(f, _compile_format(f)) for f in self.formats]
        self.today = today or dt.date.today()
        self._memo: dict[str, dt.datetime | str] = {}

    def __call__(self, text: str) -> dt.datetime:
        hit = self._memo.get(text)
        if hit is None:
            hit = self._parse(text)
            if len(self._memo) < 200_000:
                self._memo[text] = hit
        if isinstance(hit, str):
            raise RowError(hit)
        return hit

    def _parse(self, text: str) -> dt.datetime | str:
        value = None
        if self.formats:
            for fmt, pattern in self._compiled:
                try:
                    if pattern is not None:
                        m = pattern.match(text.strip())
                        if m is None:
                            continue
                        value = _from_match(m)
                        if value is None:
                            continue
                    else:
                        value = dt.datetime.strptime(text.strip(), fmt)
                    break
                except ValueError:  # matched the shape but is not a real date (31/02/2019)
                    return f"{text!r} is not a real date"
            if value is None:
                matched = self._default(text)
                if isinstance(matched, dt.datetime):
                    value = matched
                else:
                    return (f"{text!r} is not a date in the mapping's formats "
                            f"({', '.join(self.formats)})")
        else:
            matched = self._default(text)
            if isinstance(matched, str):
                return matched
            value = matched
        if value.date() < EARLIEST:
            return f"{text!r} is before 1900"
        if value.date() > self.today:
            return f"{text!r} is in the future"
        return value

    @staticmethod
    def _default(text: str) -> dt.datetime | str:
        m = _DATE_RE.match(text)
        if not m:
            return (f"{text!r} is not a date in a known format (use e.g. 2019-04-30, 30/04/2019 "
                    "or 30-Apr-2019)")
        g = m.groupdict()
        if g["y1"]:
            y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
        else:
            mo = _MONTHS.get(g["m3"].lower())
            if mo is None:
                return f"{text!r} has an unknown month name"
            y, d = int(g["y3"]), int(g["d3"])
        try:
            return dt.datetime(y, mo, d, int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0))
        except ValueError:
            return f"{text!r} is not a real date"


def parse_int(text: str) -> int:
    t = text.strip().replace(",", "")
    try:
        return int(t)
    except ValueError:
        f = float(t)  # raises ValueError for words
        if not math.isfinite(f) or not f.is_integer():
            raise ValueError from None
        return int(f)


def parse_float(text: str) -> float:
    f = float(text.strip().replace(",", ""))
    if not math.isfinite(f):
        raise ValueError
    return f


@dataclass
class Converter:
    """Converts the supplied text of one column to its contract value."""

    name: str
    type: Type
    required: bool = False
    allowed: tuple[str, ...] | None = None
    values: Mapping[str, Any] | None = None  # mapping's value table, keys case-folded
    dates: DateParser | None = None
    flag: bool = False  # blank means False
    age: bool = False

    def __post_init__(self) -> None:
        self._allowed = {a.casefold(): a for a in self.allowed or ()}
        self._allowed.update({k: v for k, v in SYNONYMS.get(self.name, {}).items()
                              if self.allowed and v in self.allowed})
        self._parse: Callable[[str], Any] = {
            Type.STRING: self._string, Type.INT: self._int, Type.FLOAT: self._float,
            Type.BOOL: self._bool, Type.DATE: self._date, Type.TIMESTAMP: self._timestamp,
        }[self.type]

    def __call__(self, text: str) -> Any:
        if self.values is not None:
            key = text.strip().casefold()
            if key in self.values:
                mapped = self.values[key]
                if mapped is None:
                    return self._missing()
                if isinstance(mapped, bool) and self.type is Type.BOOL:
                    return mapped
                text = str(mapped) if not isinstance(mapped, bool) else ("true" if mapped else "false")
        if not text or text.isspace():
            return self._missing()
        return self._parse(text)

    def blank_is_fixed(self) -> bool:
        """True when an empty cell always converts to ``blank_value()`` (no error, no mapping)."""
        return not self.required and (self.values is None or "" not in self.values)

    def blank_value(self) -> Any:
        return False if self.flag else None

    def _missing(self) -> Any:
        if self.required:
            raise RowError(f"{self.name} is blank (required)")
        return False if self.flag else None

    def _string(self, text: str) -> str:
        text = text.strip()
        if self._allowed:
            try:
                return self._allowed[text.casefold()]
            except KeyError:
                raise RowError(f"{self.name} {text!r} is not one of "
                               f"{', '.join(self.allowed or ())}") from None
        return text

    def _int(self, text: str) -> int:
        try:
            value = parse_int(text)
        except ValueError:
            raise RowError(f"{self.name} {text.strip()!r} is not a whole number") from None
        if self.age and not MIN_AGE <= value <= MAX_AGE:
            raise RowError(f"{self.name} {value} is not an age between {MIN_AGE} and {MAX_AGE}")
        if not self.age and value < 0 and self.name != "source_line":
            raise RowError(f"{self.name} {value} is negative")
        if abs(value) > 2**31 - 1:
            raise RowError(f"{self.name} {value} is too large")
        return value

    def _float(self, text: str) -> float:
        try:
            return parse_float(text)
        except ValueError:
            raise RowError(f"{self.name} {text.strip()!r} is not a number") from None

    def _bool(self, text: str) -> bool:
        try:
            return parse_bool(text)
        except ValueError:
            raise RowError(f"{self.name} {text.strip()!r} is not yes/no (use Y/N, yes/no, "
                           "true/false or 1/0)") from None

    def _date(self, text: str) -> dt.date:
        return self._timestamp(text).date()

    def _timestamp(self, text: str) -> dt.datetime:
        assert self.dates is not None
        try:
            return self.dates(text)
        except RowError as exc:
            raise RowError(f"{self.name} {exc}") from None


AGE_COLUMNS = frozenset({"age", "age_at_offence", "age_at_outcome"})


def converter_for(col: Column, *, values: Mapping[str, Any] | None, dates: DateParser,
                  required: bool | None = None) -> Converter:
    return Converter(
        name=col.name, type=col.type,
        required=col.required if required is None else required,
        allowed=col.allowed,
        values={str(k).strip().casefold(): v for k, v in values.items()} if values else None,
        dates=dates, flag=col.type is Type.BOOL, age=col.name in AGE_COLUMNS,
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``.

    >>> age_on(dt.date(2004, 2, 29), dt.date(2019, 2, 28)), age_on(dt.date(2004, 2, 29), dt.date(2019, 3, 1))
    (14, 15)
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# Rough bounds of Great Britain and Northern Ireland, to catch swapped or garbled coordinates.
LAT_RANGE, LON_RANGE = (49.0, 61.5), (-8.7, 2.1)
EASTING_RANGE, NORTHING_RANGE = (0.0, 700_000.0), (0.0, 1_300_000.0)


def check_location(row: dict[str, Any]) -> None:
    lat, lon = row.get("latitude"), row.get("longitude")
    if (lat is None) != (lon is None):
        raise RowError("latitude and longitude must both be given or both be blank")
    if lat is not None and not (LAT_RANGE[0] <= lat <= LAT_RANGE[1]
                                and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise RowError(f"latitude {lat}, longitude {lon} is not in the UK (swapped?)")
    e, n = row.get("easting"), row.get("northing")
    if (e is None) != (n is None):
        raise RowError("easting and northing must both be given or both be blank")
    if e is not None and not (EASTING_RANGE[0] <= e <= EASTING_RANGE[1]
                              and NORTHING_RANGE[0] <= n <= NORTHING_RANGE[1]):
        raise RowError(f"easting {e}, northing {n} is not a British National Grid point")
