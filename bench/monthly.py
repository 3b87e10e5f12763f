"""Benchmark: the monthly pack and the month-by-month dashboard pages on the demo (issue #13),
beside the assessment bench.

Rows: ``safecity assess --month 2020-03`` (HTML only, and with the PDF) as a user runs it
(wall, median, with its CPU), beside the annual assessment's HTML run of bench/assessment.py
(the same demo home, ``bench/out/assessment-home``); then each dashboard page served by Django
in process (test client, signed in as a demo user): the violence dashboard cold (the engine
computes it) and warm (cached under the warehouse manifest's hash), a sector filter, and the
youth re-offending tracker (computed on every view). ``python bench/monthly.py`` runs it alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assessment as base  # noqa: E402  the demo home and its timed runs

TITLE = "Monthly pack and dashboards (issue #13)"
MONTH = "2020-03"
PACK = ["assess", "--month", MONTH]


def _pages() -> list[dict]:
    """Each page timed in a child process with the demo app database (wall ms, median of 5
    after the first request, which is reported as 'cold')."""
    code = r'''
import json, os, statistics, time
os.environ["DJANGO_SETTINGS_MODULE"] = "safecity.web.settings"
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from safecity.web.strategy.models import Strategy
User = get_user_model()
pk = Strategy.objects.first().pk
out = {}
def timed(user, url, repeats=5):
    c = Client(HTTP_HOST="localhost")
    c.force_login(User.objects.get(username=user))
    t = time.perf_counter(); r = c.get(url); cold = time.perf_counter() - t
    assert r.status_code == 200, (url, r.status_code)
    warm = []
    for _ in range(repeats):
        t = time.perf_counter(); c.get(url); warm.append(time.perf_counter() - t)
    return cold * 1000, statistics.median(warm) * 1000
out["violence"] = timed("police-lead", f"/scorecard/{pk}/violence/")
out["violence_sector"] = timed("police-lead", f"/scorecard/{pk}/violence/?sector=East")
out["violence_csv"] = timed("police-lead", f"/scorecard/{pk}/violence/csv/")
out["youth"] = timed("youth-justice", "/scorecard/youth-tracker/")
print(json.dumps(out))
'''
    env = {**base._env(), "SAFECITY_DEMO_PASSWORD": "bench-only-password"}
    if not (base.HOME / "app.sqlite3").exists() and not any(base.HOME.glob("*.sqlite3")):
        subprocess.run([str(base.SAFECITY), "web", "demo"], env=env, check=True,
                       capture_output=True)
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                          capture_output=True, text=True)
    import json

    times = json.loads(done.stdout.strip().splitlines()[-1])
    notes = {"violence": "whole area, the 12 months to the latest month; cold: the engine "
                         "computes it (one context scan, 3 figures by month, victims and "
                         "suspects by age for the area and every sector, protected together)",
             "violence_sector": "East sector filter",
             "violence_csv": "the same figures as CSV",
             "youth": "as of the latest month: 24 monthly cohorts, every child's records, "
                      "first-time entrants; computed on every view (audited)"}
    rows = []
    for key, (cold, warm) in times.items():
        rows.append({"name": f"page: {key.replace('_', ' ')} (wall, first request)",
                     "value": round(cold, 0), "unit": "ms", "baseline": round(warm, 0),
                     "target": "", "notes": notes[key] + "; baseline: median of the next 5 "
                                                         "requests"})
    return rows


def main() -> list[dict]:
    base.ensure_demo()
    load = os.getloadavg()[0]
    html_args = [*PACK, "--no-pdf", "--out", str(base.OUT / "monthly-html")]
    pdf_args = [*PACK, "--out", str(base.OUT / "monthly-pdf")]
    annual = [*base.ARGS, "--no-pdf", "--out", str(base.OUT / "assessment-html")]
    annual_s = statistics.median(base._run(annual) for _ in range(2))
    html = statistics.median(base._run(html_args) for _ in range(3))
    full = statistics.median(base._run(pdf_args) for _ in range(2))
    rows = [
        {"name": "safecity assess --month, HTML report (wall)", "value": round(html, 2),
         "unit": "s", "baseline": round(annual_s, 2), "target": "",
         "notes": f"median of 3, {base._cpu(html_args)}; 14 sections (sectors, wards, 7 "
                  "priorities with 24-month series and charts, CUSUM exceptions, emerging hot "
                  "spots of 6 crime types, the watch and a 999-permutation Knox test); "
                  f"baseline: the annual assessment's HTML run ({base._cpu(annual)}); "
                  f"1-minute load average {load:.1f} at the start"},
        {"name": "safecity assess --month, HTML + PDF (wall)", "value": round(full, 2),
         "unit": "s", "baseline": round(html, 2), "target": "",
         "notes": f"median of 2, {base._cpu(pdf_args)}; baseline: the HTML-only run"},
    ]
    return rows + _pages()


if __name__ == "__main__":
    for row in main():
        print(row)
