"""Locust users for bench/web.py: signed-in people reading the scorecard and saving an update.

Kept out of bench/ itself because importing locust monkey-patches the process with gevent; the
runner imports every bench/*.py. Configuration comes from the environment set by bench/web.py:
SAFECITY_BENCH_USER, SAFECITY_BENCH_PASSWORD, SAFECITY_BENCH_SCORECARD (a path) and
SAFECITY_BENCH_UPDATES (update-page paths separated by spaces, one per simulated person, so two
people never edit the same update and the optimistic lock never refuses a save), and optionally
SAFECITY_BENCH_MARK (a file written when the sign-ins are over and the measured loop starts).
"""

from __future__ import annotations

import itertools
import os
import re

from gevent.event import Event
from locust import FastHttpUser, constant, task

USER = os.environ["SAFECITY_BENCH_USER"]
PASSWORD = os.environ["SAFECITY_BENCH_PASSWORD"]
SCORECARD = os.environ["SAFECITY_BENCH_SCORECARD"]
UPDATES = os.environ["SAFECITY_BENCH_UPDATES"].split()
_next = itertools.count()
_VERSION = re.compile(r'name="version" value="(\d+)"')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Signing in hashes a password (deliberately slow), so every person signs in first, then the
# statistics are reset and the measured loop starts for all at once.
_signed_in = itertools.count(1)
_all_signed_in = Event()


class Person(FastHttpUser):
    """FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares
    the server's two cores, and requests spends several times more CPU per request."""

    wait_time = constant(0)  # closed loop: each person sends the next request at once

    def on_start(self) -> None:
        self.update_path = UPDATES[next(_next) % len(UPDATES)]
        page = self.client.get("/sign-in/", name="sign in")
        token = _TOKEN.search(page.text).group(1)
        with self.client.post("/sign-in/", data={"username": USER, "password": PASSWORD,
                                                 "csrfmiddlewaretoken": token},
                              allow_redirects=False, catch_response=True, name="sign in") as r:
            if r.status_code != 302:
                r.failure(f"sign-in answered {r.status_code}")
        if next(_signed_in) >= self.environment.runner.target_user_count:
            self.environment.stats.reset_all()
            if os.environ.get("SAFECITY_BENCH_MARK"):  # tells bench/web.py to start its CPU count
                with open(os.environ["SAFECITY_BENCH_MARK"], "w") as mark:
                    mark.write("measuring\n")
            _all_signed_in.set()
        _all_signed_in.wait()

    @task
    def scorecard_then_update(self) -> None:
        self.client.get(SCORECARD, name="scorecard")
        form = self.client.get(self.update_path + "edit/", name="update form (GET)")
        version, token = _VERSION.search(form.text), _TOKEN.search(form.text)
        if not (version and token):
            return  # the GET already counted as a failure or answered an unexpected page
        with self.client.post(self.update_path + "edit/", name="update form (POST)",
                              data={"rag": "amber", "text": f"Benchmark save {version.group(1)}.",
                                    "version": version.group(1), "save": "1",
                                    "csrfmiddlewaretoken": token.group(1)},
                              headers={"Referer": self.client.base_url + self.update_path},
                              allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"save answered {r.status_code}")
