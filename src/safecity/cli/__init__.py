"""The ``safecity`` command line: a thin layer over the engine and the web app.

Each command family lives in its own module and registers itself on ``cli``. Every command's
docstring is its ``--help``, with an example.
"""

from __future__ import annotations

import importlib

from .app import cli, main as _main, run

# Command families; each module adds its commands to ``cli`` when imported.
_COMMAND_MODULES = ("ingest", "warehouse", "demo", "assess", "web")
for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main(argv: list[str] | None = None) -> int:
    return _main(argv)


__all__ = ["cli", "main", "run"]
