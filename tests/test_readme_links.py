"""The README links only files that exist (it once named an ARCHITECTURE.md the repository
did not have)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_file_the_readme_links_or_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {m for m in re.findall(r"\]\(([^)#\s]+)", text) if "://" not in m}
    named = set(re.findall(r"`([\w./-]+\.md)`", text))
    assert linked, "the README should link its docs"
    missing = sorted(p for p in linked | named if not (ROOT / p).exists())
    assert missing == []
