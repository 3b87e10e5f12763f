"""Shared fixtures. ``shared_data`` locates ../shared/data (CI has it beside the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Most tests load small record-level fixtures that no information sharing agreement covers; the
# register's refusal is tested on its own (tests/engine/governance), with this setting off.
os.environ.setdefault("SAFECITY_ALLOW_UNREGISTERED_LOADS", "true")

# Property tests check what is generated, not how fast: on a loaded 2-core CI runner Hypothesis's
# timing checks (the 200 ms deadline, the "too slow" data-generation health check) fail tests whose
# properties hold. Examples are still drawn and shrunk as before.
settings.register_profile("safecity", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("safecity")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SAFECITY_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.exists():
        pytest.fail(f"The shared reference data was not found at {path}: set SAFECITY_SHARED or "
                    "place shared/ beside the checkout (CI does).")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh SAFECITY_HOME for one test."""
    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    return tmp_path / "home"
