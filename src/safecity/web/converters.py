"""The ``<id:…>`` path converter: a database id, or no match (404).

Django's ``<int:…>`` accepts any number of digits, and an id beyond the 64-bit range of the
primary keys (``BigAutoField``) then fails inside the database driver as a 500 (SQLite:
"Python int too large to convert to SQLite INTEGER"; PostgreSQL: out of range for bigint). This
converter refuses such a number when the URL is matched, so every route answers 404 for it.
Every URL of the app with a record's id uses it (tests/web/test_robustness.py walks the URLconf).
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1  # the largest BigAutoField value


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"{value} is beyond the range of ids")  # no match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
