"""The small hierarchy of errors safecity raises on purpose.

Each carries a sentence a user can act on: which file, which line, what is wrong and how to fix
it. The CLI turns them into messages in one place (``safecity.cli``); nothing else prints them.
"""

from __future__ import annotations


class SafecityError(Exception):
    """Base of every error safecity raises deliberately. ``str(err)`` is the user's sentence."""

    def __init__(self, problem: str, *, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.problem if not self.fix else f"{self.problem} {self.fix}"


class ConfigError(SafecityError):
    """A setting or configuration file has a bad value."""


class SourceError(SafecityError):
    """A whole input file cannot be read: wrong structure, not a CSV/XLSX, empty, bad encoding.

    Row-level problems are never raised: they become rejected rows with reasons.
    """

    def __init__(self, path, problem: str, *, fix: str | None = None, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = self.path if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {problem}", fix=fix)


class ContractError(SafecityError):
    """Data does not meet the data contract (unknown table, column or value)."""


class WarehouseError(SafecityError):
    """The warehouse is missing, locked or inconsistent."""


class AssessmentError(SafecityError):
    """An assessment cannot be built with the inputs given (bad year, unknown area…)."""
