"""Progress reporting without a UI dependency in the engine.

Engine functions that take more than a second accept ``progress: Progress``; the CLI passes one
that draws a bar (``safecity.cli.output``), tests pass nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, label: str, total: int | None = None) -> None: ...
    def advance(self, amount: int = 1) -> None: ...
    def finish(self) -> None: ...


class NullProgress:
    def start(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


NULL = NullProgress()
