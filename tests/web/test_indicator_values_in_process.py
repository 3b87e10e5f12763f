"""The scorecard's indicator values: after the first read, each server process keeps its own copy
of the cache table for the current warehouse, and never serves one from an older warehouse."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safecity.web.dashboards import services
from safecity.web.dashboards.models import MetricValue

from .test_scorecard import _load_crimes, _months


def _metric_value_queries(queries) -> int:
    return sum("dashboards_metricvalue" in q["sql"] for q in queries.captured_queries)


def test_a_second_view_reads_no_indicator_values_from_the_database(world, tmp_path):
    _load_crimes(tmp_path / "home", _months(2018, 24, lambda k: 3))
    first = services.trends([world.indicator])[0]
    with CaptureQueriesContext(connection) as queries:
        again = services.trends([world.indicator])[0]
    assert _metric_value_queries(queries) == 0
    assert again.headline.value == first.headline.value == 36
    assert [p.value for p in again.points] == [p.value for p in first.points]


def test_recomputing_empties_the_copy_and_the_table(world, tmp_path):
    _load_crimes(tmp_path / "home", _months(2018, 24, lambda k: 3))
    services.trends([world.indicator])
    rows = MetricValue.objects.count()
    services.clear_cache()
    assert MetricValue.objects.count() == 0
    assert services.trends([world.indicator])[0].headline.value == 36
    assert MetricValue.objects.count() == rows  # computed and stored again, not served from memory


def test_a_new_ingest_is_never_answered_from_the_copy(world, tmp_path):
    home = tmp_path / "home"
    _load_crimes(home, _months(2018, 24, lambda k: 3))
    services.trends([world.indicator])
    _load_crimes(home, {"2020-04": 7})
    assert services.trends([world.indicator])[0].headline.period_label == \
        "12 months to Apr 2020"
