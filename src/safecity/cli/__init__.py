"""The ``safecity`` command line: a thin layer over the engine and the web app.

Each command family lives in its own module and registers itself on ``cli`` when imported,
which ``cli`` does only when the command is used (``app.LazyGroup``). Every command's docstring
is its ``--help``, with an example.
"""

from __future__ import annotations

from .app import cli, main as _main, run


def main(argv: list[str] | None = None) -> int:
    return _main(argv)


__all__ = ["cli", "main", "run"]
