"""Quoting for SQL text built by the engine: the one place literals and identifiers are quoted.

Values the engine knows only at run time (paths, codes, names from a header) go into SQL either
as DuckDB parameters (``con.execute(sql, [value])``) or through these helpers; nothing else in
the engine quotes by hand. The quoting is standard SQL (doubled quote characters), which DuckDB,
Spark SQL (with ANSI quoting) and SQLGlot all read.

>>> literal("O'Brien")
"'O''Brien'"
>>> identifier('Crime type') + ', ' + identifier('a"b')
'"Crime type", "a""b"'
>>> literal_list(["a", "b'c"])
"'a', 'b''c'"
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Iterable


def literal(value: str | PurePath) -> str:
    """A string (or path) as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A column or table name as a quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def literal_list(values: Iterable[str | PurePath]) -> str:
    """Comma-separated string literals, for ``IN (…)``, ``[…]`` or ``ENUM(…)``."""
    return ", ".join(literal(v) for v in values)
