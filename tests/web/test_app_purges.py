"""The web app's retention purges (for a daily scheduler) are in the run log beside the
warehouse's, so a data protection officer sees every purge in one place."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from safecity.engine.governance.runlog import runs


@pytest.mark.parametrize("command, what", [
    ("purge_intelligence", "item(s)"),
    ("purge_case_reviews", "application(s)"),
    ("purge_action_groups", "problem(s)"),
    ("purge_hate_reports", "report(s)"),
])
def test_each_app_purge_run_is_in_the_run_log(db, home, command, what):
    call_command(command, stdout=io.StringIO())
    (run,) = [r for r in runs() if r.command == f"web {command}"]
    assert run.outcome == f"completed: 0 {what} purged" and run.user
