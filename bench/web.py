"""Benchmark: 20 concurrent signed-in clients on the scorecard and the update form.

Starts the production-like server (`safecity web serve`: gunicorn, WhiteNoise, SQLite in WAL
mode unless DATABASE_URL is set) in a fresh SAFECITY_HOME with the demo partnership loaded (and
the demo warehouse too, when `safecity demo` exists, so the scorecard's indicators come from real
engine queries and the metric cache). Then locust, headless, over loopback: each of 20 people
signs in once and loops with no think time over

    GET the scorecard -> GET their update form -> POST a save (CSRF token, version lock)

each person on their own update, so the optimistic lock never refuses a save. A 1-client run
first gives the baseline: latency with no queueing. Targets: p95 <= 150 ms, 0 errors.

    python bench/web.py            # alone; `make bench` runs it with the others
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TITLE = "Web"
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SAFECITY, LOCUST = BIN / "safecity", BIN / "locust"
CLIENTS = int(os.environ.get("SAFECITY_BENCH_WEB_CLIENTS", 20))
SECONDS = int(os.environ.get("SAFECITY_BENCH_WEB_SECONDS", 30))
PASSWORD = "bench-password-not-secret-9"
TARGET_P95_MS = 150

_DISCOVER = """
import json
from safecity.web.strategy.models import Action, ReportingCycle
cycle = ReportingCycle.objects.filter(status="open").order_by("pk").first()
actions = Action.objects.filter(priority__strategy=cycle.strategy).order_by(
    "priority__number", "number").values_list("pk", flat=True)
print(json.dumps({"strategy": cycle.strategy_id, "cycle": cycle.pk, "actions": list(actions)}))
"""


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench/web.py: {' '.join(args[:3])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict, home: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen([str(SAFECITY), "web", "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/sign-in/", timeout=2)
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("bench/web.py: the server did not start:\n"
                         + (home / "server.log").read_text()[-2000:])
            time.sleep(0.3)


def _stop(server: subprocess.Popen) -> None:
    """SIGINT is gunicorn's quick shutdown (SIGTERM would wait for in-flight requests)."""
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _locust(base: str, env: dict, clients: int, seconds: int, prefix: Path) -> dict[str, dict]:
    _run([str(LOCUST), "-f", str(HERE / "locust" / "web_users.py"), "--headless",
          "--users", str(clients), "--spawn-rate", str(clients),
          # time for the sign-ins, which the locustfile leaves out of the statistics
          "--run-time", f"{seconds + 10 + clients}s",
          "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
          "--exit-code-on-error", "0"], env)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _ms(row: dict, column: str) -> float | None:
    value = row.get(column, "N/A")
    return None if value in ("N/A", "") else float(value)


def main() -> list[dict]:
    home = Path(tempfile.mkdtemp(prefix="safecity-bench-web-"))
    try:
        return _measure(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _measure(home: Path) -> list[dict]:
    env = {**os.environ, "SAFECITY_HOME": str(home), "SAFECITY_PROGRESS": "false",
           "SAFECITY_DEMO_PASSWORD": PASSWORD}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if os.environ.get("SAFECITY_BENCH_WEB_SETTINGS"):  # to try a settings change before making it
        env["DJANGO_SETTINGS_MODULE"] = os.environ["SAFECITY_BENCH_WEB_SETTINGS"]
    has_warehouse = subprocess.run([str(SAFECITY), "demo", "--help"], env=env,
                                   capture_output=True).returncode == 0
    if has_warehouse:
        _run([str(SAFECITY), "demo"], env)
    _run([str(SAFECITY), "web", "demo"], env)
    found = json.loads(_run([str(SAFECITY), "web", "manage", "shell", "-c", _DISCOVER], env)
                       .strip().splitlines()[-1])
    updates = [f"/strategy/cycles/{found['cycle']}/actions/{a}/" for a in found["actions"]]
    env.update(SAFECITY_BENCH_USER="coordinator", SAFECITY_BENCH_PASSWORD=PASSWORD,
               SAFECITY_BENCH_SCORECARD=f"/scorecard/{found['strategy']}/",
               SAFECITY_BENCH_UPDATES=" ".join(updates[:CLIENTS]))
    server, base = _start_server(env, home)
    load = os.getloadavg()[0]
    try:
        single = _locust(base, env, 1, max(5, SECONDS // 3), home / "single")
        loaded = _locust(base, env, CLIENTS, SECONDS, home / "loaded")
    finally:
        _stop(server)
    workers = os.cpu_count() and max(2, 2 * os.cpu_count())
    database = "PostgreSQL (DATABASE_URL)" if env.get("DATABASE_URL") else "SQLite (WAL)"
    data = ("demo warehouse loaded, indicator values from the metric cache" if has_warehouse
            else "no warehouse loaded (`safecity demo` absent), so indicators show no data")
    common = (f"{CLIENTS} clients, no think time, {SECONDS} s; gunicorn {workers} workers x 4 "
              f"threads; {database}; {data}; 1-minute load average {load:.1f} at the start "
              f"(other work on the machine competes for its {os.cpu_count()} cores)")
    rows = []
    for name in ("scorecard", "update form (GET)", "update form (POST)"):
        for pct in ("50%", "95%"):
            rows.append({"name": f"{name} p{pct[:-1]}", "value": _ms(loaded.get(name, {}), pct),
                         "unit": "ms", "baseline": _ms(single.get(name, {}), pct),
                         "target": f"<= {TARGET_P95_MS}" if pct == "95%" else "",
                         "notes": "baseline: the same loop with 1 client"})
    total = loaded["Aggregated"]
    rows.append({"name": "all requests p50", "value": _ms(total, "50%"), "unit": "ms",
                 "baseline": _ms(single["Aggregated"], "50%"), "target": "", "notes": common})
    rows.append({"name": "all requests p95", "value": _ms(total, "95%"), "unit": "ms",
                 "baseline": _ms(single["Aggregated"], "95%"), "target": f"<= {TARGET_P95_MS}",
                 "notes": "sign-ins (password hashing) are left out"})
    rows.append({"name": "errors", "value": int(total["Failure Count"]), "unit": "requests",
                 "baseline": int(single["Aggregated"]["Failure Count"]), "target": "0",
                 "notes": f"of {int(total['Request Count']):,} requests"})
    rows.append({"name": "throughput", "value": float(total["Requests/s"]), "unit": "requests/s",
                 "baseline": float(single["Aggregated"]["Requests/s"]), "target": "",
                 "notes": "load generator and server share the machine"})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
