"""Who ran what, and when: an append-only log of every ingest, assessment, purge and erasure.

One JSON object per line in ``$SAFECITY_HOME/audit/runs.jsonl``: the time (UTC), who ran it (the
operating-system user, or the web app's user when the app starts the run), the command and its
arguments, and how it ended. A data protection officer reads it with ``safecity governance
runs`` or any JSON-lines tool. Lines are appended with one ``write`` on a file opened with
``O_APPEND``, so concurrent runs never interleave a line.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from .. import settings

#: Commands whose every run is logged (the first one or two words after ``safecity``).
LOGGED = ("ingest", "assess", "demo", "warehouse purge", "warehouse exclude", "warehouse include",
          "warehouse rotate-key", "governance subject", "governance register", "governance dpia")


def log_path() -> Path:
    return settings.home() / "audit" / "runs.jsonl"


def who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return f"uid {os.getuid()}"


def logged_command(argv: Sequence[str]) -> str | None:
    """The logged command that ``argv`` (without the program name) runs, or None."""
    words = [a for a in argv if not a.startswith("-")][:2]
    for command in sorted(LOGGED, key=len, reverse=True):
        if words[:len(command.split())] == command.split():
            return command
    return None


def record(command: str, args: Sequence[str], outcome: str, *, user: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    """Append one run to the log."""
    entry = {"at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
             "user": user or who(), "command": command, "args": list(args), "outcome": outcome}
    if detail:
        entry["detail"] = detail
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Run:
    at: str
    user: str
    command: str
    args: tuple[str, ...]
    outcome: str


def runs(path: Path | None = None) -> Iterator[Run]:
    """Every logged run, oldest first."""
    path = path or log_path()
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                data = json.loads(line)
                yield Run(at=data["at"], user=data["user"], command=data["command"],
                          args=tuple(data.get("args", ())), outcome=data.get("outcome", ""))
