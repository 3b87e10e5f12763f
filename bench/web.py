"""Benchmark: 20 concurrent signed-in clients on the scorecard and the update form.

Starts the production-like server (`safecity web serve`: gunicorn, WhiteNoise, SQLite in WAL
mode unless DATABASE_URL is set) in a fresh SAFECITY_HOME with the demo partnership loaded (and
the demo warehouse too, when `safecity demo` exists, so the scorecard's indicators come from real
engine queries and the metric cache). Then locust, headless, over loopback: each of 20 people
signs in once and loops with no think time over

    GET the scorecard -> GET their update form -> POST a save (CSRF token, version lock)

each person on their own update, so the optimistic lock never refuses a save. A 1-client run
first gives the baseline: latency with no queueing. Targets: p95 <= 150 ms, 0 errors.

Then the same 20-client load again while 20 slow clients (each sending one header line every
3 s, never finishing its request) and 5 idle ones (connected, silent) hold connections
(bench/slow_clients.py): the server must keep answering everyone else (0 errors; the p95 is
reported beside the plain run's).

The machine is shared, so beside latency it records the load average and the CPU the server
(and locust) spent per request once everyone had signed in: that figure moves much less with
other work on the machine than latency does. SAFECITY_BENCH_WEB_GUNICORN="--workers 3 ..." runs
gunicorn with those options instead of `safecity web serve`, to try a server shape.

    python bench/web.py            # alone; `make bench` runs it with the others
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

TITLE = "Web"
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SAFECITY, LOCUST = BIN / "safecity", BIN / "locust"
CLIENTS = int(os.environ.get("SAFECITY_BENCH_WEB_CLIENTS", 20))
SLOW = int(os.environ.get("SAFECITY_BENCH_WEB_SLOW", 20))
IDLE = 5
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


def _slow_clients_module():
    """bench/slow_clients.py, loaded by path (bench/run.py loads this file the same way)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("safecity_bench_slow_clients",
                                                  HERE / "slow_clients.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    command = [str(SAFECITY), "web", "serve", "--port", str(port)]
    if os.environ.get("SAFECITY_BENCH_WEB_GUNICORN"):  # to try a server shape before making it
        command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                   *shlex.split(os.environ["SAFECITY_BENCH_WEB_GUNICORN"]),
                   "safecity.web.wsgi:application"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
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


def _cpu_seconds(pgid: int | None = None, pid: int | None = None) -> float:
    """User + system CPU of one process, or of every process in a process group (the server:
    gunicorn master and workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in ([Path(f"/proc/{pid}/stat")] if pid else Path("/proc").glob("[0-9]*/stat")):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if pid or int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15: utime, stime
    return total / tick


class Run(NamedTuple):  # not a dataclass: bench/run.py loads this file without sys.modules
    stats: dict[str, dict]
    server_cpu: float  # seconds, from the end of the sign-ins to the end of the run
    locust_cpu: float


def _locust(base: str, env: dict, clients: int, seconds: int, prefix: Path,
            server: subprocess.Popen) -> Run:
    """Run locust headless; CPU is counted only once every person has signed in (password
    hashing is slow by design and not what is measured), as are locust's statistics."""
    mark = Path(f"{prefix}.measuring")
    with open(f"{prefix}.log", "w") as log:
        process = subprocess.Popen(
            [str(LOCUST), "-f", str(HERE / "locust" / "web_users.py"), "--headless",
             "--users", str(clients), "--spawn-rate", str(clients),
             # time for the sign-ins, which the locustfile leaves out of the statistics
             "--run-time", f"{seconds + 10 + clients}s",
             "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--exit-code-on-error", "0"],
            env={**env, "SAFECITY_BENCH_MARK": str(mark)}, stdout=log, stderr=subprocess.STDOUT)
        started = None
        locust_cpu = 0.0
        while process.poll() is None:
            if started is None and mark.exists():
                started = (_cpu_seconds(pgid=server.pid), _cpu_seconds(pid=process.pid))
            elif started is not None:
                locust_cpu = _cpu_seconds(pid=process.pid) - started[1]  # last seen alive
            time.sleep(0.05)
    if process.returncode != 0 or started is None:
        sys.exit(f"bench/web.py: locust failed:\n{Path(f'{prefix}.log').read_text()[-2000:]}")
    server_cpu = _cpu_seconds(pgid=server.pid) - started[0]
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return Run({row["Name"]: row for row in csv.DictReader(handle)}, server_cpu, locust_cpu)


def _server_shape(home: Path, server: subprocess.Popen) -> str:
    """How gunicorn ran: worker class from its log, the number of workers from /proc (so the
    report cannot disagree with the run) and how many connections each serves at once, as
    `safecity web serve` announces it (OS threads per worker say nothing: gthread keeps a
    pool thread beside the main one, and DuckDB starts its own)."""
    log = (home / "server.log").read_text(errors="replace")
    kind = re.search(r"Using worker: (\S+)", log)
    workers = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            workers += int(fields[2]) == server.pid and int(stat.parent.name) != server.pid
        except OSError:
            continue
    shape = f"gunicorn {workers} {kind.group(1) if kind else '?'} workers"
    each = re.search(r"workers, (\d+ connections? at a time each|one connection at a time each)",
                     log)
    return shape + (f", {each.group(1)}" if each else "")


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
           "SAFECITY_DEMO_PASSWORD": PASSWORD, "SAFECITY_DEBUG": "false"}
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
        single_run = _locust(base, env, 1, max(5, SECONDS // 3), home / "single", server)
        loaded_run = _locust(base, env, CLIENTS, SECONDS, home / "loaded", server)
        load_after = os.getloadavg()[0]
        port = int(base.rsplit(":", 1)[1])
        with _slow_clients_module().SlowClients("127.0.0.1", port, slow=SLOW, idle=IDLE,
                                                limit=SECONDS + 60 + CLIENTS) as held:
            slow_run = _locust(base, env, CLIENTS, SECONDS, home / "slow", server)
            dropped = held.dropped
        shape = _server_shape(home, server)
    finally:
        _stop(server)
    single, loaded = single_run.stats, loaded_run.stats
    database = "PostgreSQL (DATABASE_URL)" if env.get("DATABASE_URL") else "SQLite (WAL)"
    data = ("demo warehouse loaded, indicator values from the metric cache" if has_warehouse
            else "no warehouse loaded (`safecity demo` absent), so indicators show no data")
    common = (f"{CLIENTS} clients, no think time, {SECONDS} s; {shape}; "
              f"{database}; {data}; 1-minute load average {load:.1f} as the run started "
              f"(other work competing for the {os.cpu_count()} cores), {load_after:.1f} at the "
              f"end (that one counts the benchmark's own server threads and locust)")
    rows = []
    for name in ("scorecard", "update form (GET)", "update form (POST)"):
        for pct in ("50%", "95%"):
            rows.append({"name": f"{name} p{pct[:-1]}", "value": _ms(loaded.get(name, {}), pct),
                         "unit": "ms", "baseline": _ms(single.get(name, {}), pct),
                         "target": f"<= {TARGET_P95_MS}" if pct == "95%" else "",
                         "notes": "baseline: the same loop with 1 client"})
    total, total_single = loaded["Aggregated"], single["Aggregated"]
    requests, requests_single = int(total["Request Count"]), int(total_single["Request Count"])
    rows.append({"name": "all requests p50", "value": _ms(total, "50%"), "unit": "ms",
                 "baseline": _ms(total_single, "50%"), "target": "", "notes": common})
    rows.append({"name": "all requests p95", "value": _ms(total, "95%"), "unit": "ms",
                 "baseline": _ms(total_single, "95%"), "target": f"<= {TARGET_P95_MS}",
                 "notes": "sign-ins (password hashing) are left out"})
    rows.append({"name": "errors", "value": int(total["Failure Count"]), "unit": "requests",
                 "baseline": int(total_single["Failure Count"]), "target": "0",
                 "notes": f"of {requests:,} requests"})
    rows.append({"name": "server CPU per request",
                 "value": 1000 * loaded_run.server_cpu / max(requests, 1), "unit": "ms",
                 "baseline": 1000 * single_run.server_cpu / max(requests_single, 1), "target": "",
                 "notes": "gunicorn master and workers, user + system, sign-ins left out; "
                          "steadier than latency on a shared machine"})
    rows.append({"name": "load generator CPU per request",
                 "value": 1000 * loaded_run.locust_cpu / max(requests, 1), "unit": "ms",
                 "baseline": 1000 * single_run.locust_cpu / max(requests_single, 1),
                 "target": "", "notes": "locust (FastHttpUser), on the same cores"})
    rows.append({"name": "throughput", "value": float(total["Requests/s"]), "unit": "requests/s",
                 "baseline": float(total_single["Requests/s"]), "target": "",
                 "notes": "load generator and server share the machine"})
    slow = slow_run.stats["Aggregated"]
    slow_note = (f"the same {CLIENTS}-client load while {SLOW} slow clients (one header line "
                 f"every 3 s, never finishing) and {IDLE} idle ones hold connections; the "
                 f"server closed {dropped} of them meanwhile; baseline: the run without them")
    rows.append({"name": f"with {SLOW} slow clients: all requests p95", "value": _ms(slow, "95%"),
                 "unit": "ms", "baseline": _ms(total, "95%"), "target": f"<= {TARGET_P95_MS}",
                 "notes": slow_note})
    rows.append({"name": f"with {SLOW} slow clients: errors",
                 "value": int(slow["Failure Count"]), "unit": "requests",
                 "baseline": int(total["Failure Count"]), "target": "0",
                 "notes": f"of {int(slow['Request Count']):,} requests"})
    rows.append({"name": f"with {SLOW} slow clients: throughput",
                 "value": float(slow["Requests/s"]), "unit": "requests/s",
                 "baseline": float(total["Requests/s"]), "target": "", "notes": ""})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
