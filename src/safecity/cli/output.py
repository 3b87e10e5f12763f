"""Terminal output helpers: progress bars (rich) that implement engine.progress.Progress."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from ..engine import settings

console = Console(stderr=True)


class BarProgress:
    """A rich progress bar; silent when not on a terminal or when SAFECITY_PROGRESS=false."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task = None
        self.enabled = bool(settings.get("progress")) and sys.stderr.isatty()

    def start(self, label: str, total: int | None = None) -> None:
        self.finish()
        if not self.enabled:
            return
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                                  console=console, transient=True)
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, amount)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
