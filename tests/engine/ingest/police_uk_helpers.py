"""Helpers for the police.uk reader tests: write small street files, run the CLI, snapshot."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
FORCE = "Hampshire Constabulary"


def street_row(crime_id: str = "", month: str = "2019-01", crime_type: str = "Burglary", *,
               lon: str = "-1.404351", lat: str = "50.909698", lsoa: str = "E01017140",
               outcome: str = "Under investigation", location: str = "On or near High Street",
               lsoa_name: str = "Southampton 001A", force: str = FORCE) -> list[str]:
    if crime_type == "Anti-social behaviour":
        outcome = ""
    return [crime_id, month, force, force, lon, lat, location, lsoa, lsoa_name, crime_type,
            outcome, ""]


def write_street(path: Path, rows: list[list[str]], *, header: list[str] = HEADER,
                 newline: str = "\n", bom: bool = False, delimiter: str = ",") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def cid(n: int) -> str:
    """A 64-hex Crime ID like police.uk's."""
    return f"{n:064x}"


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    from safecity.cli import main

    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(root: Path) -> tuple[bytes | None, tuple[str, ...]]:
    """The manifest bytes and every file under data/ and rejects/: 'unchanged' means equal."""
    manifest = root / "manifest.json"
    files = tuple(sorted(str(p.relative_to(root)) for sub in ("data", "rejects")
                         if (root / sub).exists() for p in (root / sub).rglob("*")
                         if p.is_file()))
    return (manifest.read_bytes() if manifest.exists() else None), files
