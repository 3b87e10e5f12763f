"""Browser-test infrastructure shared by the report and the web app.

Fixtures:

- ``chromium`` (session): Debian's chromium driven by Playwright (browsers cannot be downloaded
  here, so Playwright's ``executable_path`` points at ``/usr/bin/chromium``; override with the
  ``CHROMIUM`` environment variable).
- ``page``: a fresh page in a fresh context (1280x900, en-GB). Requests to anything other than
  ``file:``, ``data:``, ``about:`` or localhost are blocked and recorded in ``blocked_urls``, so a
  test can prove a page is self-contained.
- ``axe_check(page, context=None, tags=AXE_TAGS) -> list[dict]``: injects the vendored axe-core
  and returns its violations (``[]`` means none). ``axe_check.describe(violations)`` turns them
  into a readable assertion message.

Mark browser test modules with ``pytestmark = [pytest.mark.browser,
pytest.mark.xdist_group("browser")]`` so that under ``-n 2 --dist loadgroup`` they share one
worker and one chromium. A missing chromium or axe-core FAILS the test with the fix; it never skips.
"""

from __future__ import annotations

import os
import urllib.request
import time
import sys
import subprocess
import socket
import signal
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "build" / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian chromium, launched once per test session (per xdist worker)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian chromium at {CHROMIUM}: install it with "
                    "`apt-get install chromium` (or set CHROMIUM to its path).", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Browser tests need the playwright Python package: run `make install-test`.",
                    pytrace=False)
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                          args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure gets the same clear message
        manager.stop()
        pytest.fail(f"Chromium at {CHROMIUM} would not start under Playwright: {exc}", pytrace=False)
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture
def blocked_urls() -> list[str]:
    """URLs the ``page`` fixture refused because they would leave the machine."""
    return []


@pytest.fixture
def page(chromium, blocked_urls):
    """A fresh page; external network requests are aborted and recorded in ``blocked_urls``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                   bypass_csp=True)

    def guard(route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in {"file", "data", "about", "blob"} or parsed.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked_urls.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe-core violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {', '.join(map(str, node.get('target', [])))}: "
                         f"{(node.get('failureSummary') or '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is not vendored at {AXE.relative_to(ROOT)}: run "
                    "`scripts/vendor-axe.sh` (or `make static`), which installs it with npm.",
                    pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe_check(axe_source) -> Callable[..., list[dict[str, Any]]]:
    """Run axe-core on a page: ``axe_check(page, context=None, tags=AXE_TAGS)`` -> violations."""

    def check(page, context: Any = None, tags: tuple[str, ...] = AXE_TAGS) -> list[dict[str, Any]]:
        # A click that navigates may not have started loading the next page when the caller's
        # wait_for_load_state returned: then the old document goes away under add_script_tag.
        # Wait for the new page to load and inject again (once).
        for attempt in (1, 2):
            try:
                if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                    page.add_script_tag(content=axe_source)
                break
            except Exception as exc:  # playwright's Error; the package is imported lazily
                if attempt == 2 or type(exc).__name__ != "Error":
                    raise
                page.wait_for_load_state("load")
        options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
        return page.evaluate(
            "async ([ctx, opts]) => (await axe.run(ctx || document, opts)).violations",
            [context, options])

    check.describe = _describe  # type: ignore[attr-defined]
    return check


# --- the real web server, for the web app's browser tests ------------------------------------

WEB_PASSWORD = "journey-test-password-7"
SAFECITY = Path(sys.executable).with_name("safecity")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web_password() -> str:
    """The password of every demo user on the ``server`` fixture."""
    return WEB_PASSWORD


class ServerURL(str):
    """The server's base URL; ``.log`` is its output, where the console email backend writes
    every email it sends (tests read invitations and notices there)."""

    log: Path


@pytest.fixture(scope="session")
def assessment_run(tmp_path_factory, shared_data) -> Path:
    """A real assessment run, as `safecity assess` writes it: one month of data.police.uk for
    Southampton (the shared Hampshire file), without the PDF, in its own SAFECITY_HOME."""
    home = tmp_path_factory.mktemp("assessment-home")
    env = {**os.environ, "SAFECITY_HOME": str(home), "SAFECITY_PROGRESS": "false"}
    month = shared_data / "police-uk" / "hampshire" / "2019-01-hampshire-street.csv.gz"
    for args in (["ingest", str(month), "--source", "police-uk"],
                 ["assess", "--period", "2019-01..2019-01", "--partial", "--no-pdf", "--out",
                  str(home / "run")]):
        done = subprocess.run([str(SAFECITY), *args], env=env, capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"safecity {args[0]} failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return home / "run"


@pytest.fixture(scope="module")
def server(tmp_path_factory, assessment_run):
    """`safecity web demo` then `safecity web serve` on a free port, in a fresh SAFECITY_HOME;
    the demo publishes the assessment run it finds there (``assessment_run``)."""
    import shutil

    home = tmp_path_factory.mktemp("web-home")
    shutil.copytree(assessment_run, home / "assessments" / "E22000120-2019-01")
    yield from _serve(home)


@pytest.fixture(scope="module")
def evidence_server(tmp_path_factory):
    """As ``server``, over the demo partnership's warehouse (`safecity demo`), so the pages
    that read evidence (the violence dashboard, the youth tracker) have data; the demo's
    monthly pack for March 2020 is written where `safecity web demo` publishes it from."""
    yield from _serve(tmp_path_factory.mktemp("web-evidence-home"), evidence=True)


def _serve(home: Path, evidence: bool = False):
    env = {**os.environ, "SAFECITY_HOME": str(home), "SAFECITY_DEMO_PASSWORD": WEB_PASSWORD,
           "SAFECITY_PROGRESS": "false"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # the journey runs on its own SQLite database
    if evidence:
        subprocess.run([str(SAFECITY), "demo"], env=env, check=True, capture_output=True)
        subprocess.run([str(SAFECITY), "assess", "--month", "2020-03", "--no-pdf", "--out",
                        str(home / "assessments" / "E22000120-2020-03")], env=env, check=True,
                       capture_output=True)
    subprocess.run([str(SAFECITY), "web", "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen([str(SAFECITY), "web", "serve", "--port", str(port),
                                "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = ServerURL(f"http://127.0.0.1:{port}")
    base.log = home / "server.log"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/sign-in/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("`safecity web serve` did not start:\n"
                            + (home / "server.log").read_text()[-3000:], pytrace=False)
            time.sleep(0.3)
    yield base
    os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown, workers included
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()
