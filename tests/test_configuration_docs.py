"""docs/configuration.md documents every engine setting and every web environment variable."""

from __future__ import annotations

import re
from pathlib import Path

from safecity.engine import settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
WEB = Path(__file__).resolve().parents[1] / "src" / "safecity" / "web"


def _documented() -> set[str]:
    return set(re.findall(r"^\| `([A-Z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_engine_setting_is_documented():
    assert sorted({s.env for s in settings.REGISTRY.values()} - _documented()) == []


def test_every_web_environment_variable_is_documented():
    # Read the registry's source rather than importing it, so this test never loads Django.
    source = (WEB / "environment.py").read_text(encoding="utf-8")
    names = set(re.findall(r'Variable\("([A-Z_]+)"', source))
    assert names and sorted(names - _documented()) == []


def test_the_web_app_reads_the_environment_only_through_its_registry():
    offenders = [str(p.relative_to(WEB)) for p in WEB.rglob("*.py")
                 if p.name != "environment.py" and re.search(r"os\.environ(?!\.setdefault)|getenv",
                                                              p.read_text(encoding="utf-8"))]
    assert offenders == []
