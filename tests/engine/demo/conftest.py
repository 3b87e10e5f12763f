"""Session fixtures: the demo partnership generated once, its files read with the csv module.

Every check in this folder recomputes figures from the CSV files themselves (never from the
generator's arrays), so the files are what is tested, exactly as a user would see them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pytest

from safecity.engine.demo import DEFAULT_SEED, generate


@dataclass
class Demo:
    folder: Path
    files: object
    crimes: list[dict]
    victims: list[dict]
    suspects: list[dict]
    asb: list[dict]
    hate: list[dict]
    youth: list[dict]
    referrals: list[dict]
    geography: list[dict]
    offences: dict[str, dict]  # code -> classification row (the package table the engine uses)


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def uk_date(text: str) -> date:
    return datetime.strptime(text[:10], "%d/%m/%Y").date()


def uk_datetime(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("demo")
    files = generate(folder, seed=DEFAULT_SEED)
    table = resources.files("safecity.engine.classification") / "offences.csv"
    with table.open("r", encoding="utf-8", newline="") as fh:
        offences = {r["code"]: r for r in csv.DictReader(fh)}
    return Demo(folder, files, read(files.crimes), read(files.victims), read(files.suspects),
                read(files.asb), read(files.hate), read(files.youth_justice),
                read(files.referrals), read(files.geography), offences)


@pytest.fixture(scope="session")
def reference(shared_data) -> dict[str, tuple[float | None, ...]]:
    """Key -> the numeric cells of its row in shared/reference/southampton-2019-20.md."""
    path = shared_data.parent / "reference" / "southampton-2019-20.md"
    if not path.exists():
        pytest.fail(f"The calibration reference was not found at {path}: set SAFECITY_SHARED.")
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] in ("key", "") or set(cells[0]) <= {"-"}:
            continue
        values = []
        for cell in cells[1:]:
            text = cell.replace("−", "-").replace(",", "").replace("*", "").replace("+", "")
            m = re.match(r"^\s*(-?\d+(?:\.\d+)?)", text)
            values.append(float(m.group(1)) if m else None)
        out[cells[0]] = tuple(values)
    return out
