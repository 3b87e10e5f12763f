"""Scorecard values carry their units, and a change says in words (not only colour) whether
it is better or worse, by the indicator's direction, with a signed percentage."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse

from safecity.web.dashboards.units import unit_label, workbook_unit
from safecity.web.pages.templatetags.components import change_text, signed_pct, value_text

sys.path.insert(0, str(Path(__file__).parent))
from test_scorecard import _load_crimes, _months  # noqa: E402


def _change(pct, significant=True):
    return SimpleNamespace(change_pct=pct, significant=significant, wording="")


def test_units_come_from_the_engines_metric():
    assert unit_label("recorded_crime") == "count"
    assert unit_label("fte_rate") == "per 100,000"
    assert workbook_unit("fte_rate") == "rate per 100,000"
    assert str(value_text(468.24, "fte_rate")) == '468.2<span class="app-unit"> per 100,000</span>'
    assert str(value_text(1234, "recorded_crime")) == '1,234<span class="app-unit"> count</span>'
    assert str(value_text(None, "recorded_crime")) == "Not available"
    # issue #11's metrics: re-offending is a share of a cohort, the rest are counts
    assert unit_label("youth_reoffending") == "%" and workbook_unit("youth_reoffending") == "%"
    assert str(value_text(30.8, "youth_reoffending")) == '30.8<span class="app-unit"> %</span>'
    for metric in ("drug_offences", "alcohol_affected_crime", "drug_affected_crime",
                   "sexual_offences", "night_time_economy_crime"):
        assert unit_label(metric) == "count"


def test_changes_are_signed():
    assert signed_pct(12.34) == "+12.3%"
    assert signed_pct(-4.0) == "-4.0%"
    assert signed_pct(0.0) == "0.0%"


def test_a_significant_change_is_better_or_worse_by_the_indicators_direction():
    lower_is_better, higher_is_better = "down", "up"
    rise_bad = str(change_text(_change(20.0), lower_is_better))
    assert "+20.0%" in rise_bad and "Significant rise: worse" in rise_bad
    assert "govuk-tag--red" in rise_bad and "▲" in rise_bad
    fall_good = str(change_text(_change(-20.0), lower_is_better))
    assert "Significant fall: better" in fall_good and "govuk-tag--green" in fall_good
    assert "Significant rise: better" in str(change_text(_change(20.0), higher_is_better))
    assert "Significant fall: worse" in str(change_text(_change(-20.0), higher_is_better))
    quiet = str(change_text(_change(3.0, significant=False), lower_is_better))
    assert quiet.startswith("+3.0%") and "not significant" in quiet and "better" not in quiet


def test_the_scorecard_page_shows_units_and_a_worse_rise(client, world, tmp_path):
    _load_crimes(tmp_path / "home", _months(2018, 24, lambda k: 5 if k < 12 else 10))
    client.force_login(world.users["councillor"])
    page = client.get(reverse("dashboards:scorecard", args=[world.strategy.pk])).content.decode()
    assert '120<span class="app-unit"> count</span>' in page
    assert "+100.0%" in page and "Significant rise: worse" in page


def test_a_prioritys_measure_picker_offers_issue_11s_metrics(client, world):
    client.force_login(world.users["analyst"])
    url = reverse("dashboards:indicator_new", args=[world.strategy.pk])
    page = client.get(url).content.decode()
    for metric, name in (("drug_offences", "Drug offences"),
                         ("alcohol_affected_crime", "Alcohol-affected crime"),
                         ("drug_affected_crime", "Drug-affected crime"),
                         ("sexual_offences", "Sexual offences"),
                         ("night_time_economy_crime", "Night-time economy crime"),
                         ("youth_reoffending", "Youth proven re-offending (binary rate)"),
                         ("bladed_implement_offences", "Knife and bladed-implement crime"),
                         ("first_time_entrants", "First-time entrants")):
        assert f'<option value="{metric}">{name}</option>' in page, metric
