"""Fixtures for the report tests: the hand-made assessment and one rendered report per session;
the demo's documents (one `safecity demo`, then the acceptance run and the serious violence run,
shared by test_documents_demo.py and test_documents_render.py)."""

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


def _cli(home, *args) -> None:
    from safecity.cli import main

    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(list(args)) == 0
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("demo-home")
    _cli(home, "demo")
    return home


@pytest.fixture(scope="session")
def demo_out(demo_home):
    """The acceptance run: `safecity assess --year 2019/20 --custom-period
    2020-09-30..2020-11-30` on the demo, with the PDF and every document."""
    out = demo_home / "out"
    _cli(demo_home, "assess", "--year", "2019/20", "--custom-period", "2020-09-30..2020-11-30",
         "--out", str(out))
    return out


@pytest.fixture(scope="session")
def sv_out(demo_home):
    """`safecity assess --year 2019/20 --serious-violence` on the demo: its own set."""
    out = demo_home / "sv"
    _cli(demo_home, "assess", "--year", "2019/20", "--serious-violence", "--out", str(out))
    return out
