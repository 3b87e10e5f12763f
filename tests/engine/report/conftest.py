"""Fixtures for the report tests: the hand-made assessment and one rendered report per session."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


def load_fixture_module():
    """tests/engine/report/fixtures.py, loaded by path (tests are not a package under importlib mode)."""
    path = Path(__file__).with_name("fixtures.py")
    spec = importlib.util.spec_from_file_location("safecity_report_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fixture_module():
    return load_fixture_module()


@pytest.fixture(scope="session")
def assessment(fixture_module):
    return fixture_module.assessment()


@pytest.fixture(scope="session")
def rendered(assessment, tmp_path_factory):
    """(html_path, pdf_path) of the fixture assessment, written once with write_report."""
    from safecity.engine.report import write_report

    return write_report(assessment, tmp_path_factory.mktemp("report"))
