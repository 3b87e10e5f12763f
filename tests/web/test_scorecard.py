"""The scorecard: RAG statuses per priority and indicator trends computed by the engine, cached
under the warehouse manifest hash."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from django.urls import reverse

from safecity.engine import contract
from safecity.engine.warehouse import Batch, Warehouse, new_batch_id
from safecity.web.dashboards import services
from safecity.web.dashboards.models import MetricValue
from safecity.web.dashboards.sparkline import sparkline


def _load_crimes(home, months: dict[str, int]) -> Warehouse:
    rows = [{"crime_ref": f"{m}-{i}", "source": "police-extract",
             "recorded_date": dt.date(int(m[:4]), int(m[5:]), 2), "month": m,
             "batch_id": "b", "source_line": i}
            for m, n in months.items() for i in range(n)]
    wh = Warehouse(home / "warehouse")
    table = pa.Table.from_pylist(rows, schema=contract.table("crimes").arrow_schema)
    batch_id = new_batch_id()
    with wh.transaction() as tx:
        written = tx.write_table("crimes", batch_id, table)
        tx.add(Batch(batch_id, "police-extract", "test", [{"name": "t", "sha256": batch_id,
                                                           "size": 0}],
                     sorted(months), {"crimes": written}, len(rows), len(rows), 0))
    return wh


def _months(start_year: int, count: int, per_month) -> dict[str, int]:
    out = {}
    for k in range(count):
        y, m = start_year + (3 + k) // 12, (3 + k) % 12 + 1
        out[f"{y}-{m:02d}"] = per_month(k)
    return out


def test_the_scorecard_shows_values_computed_from_the_warehouse_with_a_sparkline_and_table(
        client, world, tmp_path):
    _load_crimes(tmp_path / "home", _months(2018, 24, lambda k: 10 if k < 12 else 5))
    client.force_login(world.users["councillor"])
    page = client.get(reverse("dashboards:scorecard", args=[world.strategy.pk])).content.decode()
    assert ">60<" in page and ">120<" in page  # 12 x 5 this year, 12 x 10 the year before
    assert "-50.0%" in page and "Significant" in page
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "Amber" not in page  # the police update in the open cycle is not approved yet
    assert "Green" in page      # the approved one from the closed cycle is shown


def test_values_are_cached_and_recomputed_when_the_warehouse_changes(world, tmp_path):
    home = tmp_path / "home"
    _load_crimes(home, _months(2018, 24, lambda k: 3))
    first = services.trends([world.indicator])[0]
    assert first.headline.value == 36
    rows = MetricValue.objects.count()
    services.trends([world.indicator])
    assert MetricValue.objects.count() == rows  # served from the cache
    _load_crimes(home, {"2020-04": 7})  # a new ingest changes the manifest hash
    again = services.trends([world.indicator])[0]
    assert again.headline.period_label == "12 months to Apr 2020"
    assert MetricValue.objects.count() > rows


def test_without_a_warehouse_the_scorecard_says_no_data_is_loaded(client, world):
    client.force_login(world.users["councillor"])
    page = client.get(reverse("dashboards:scorecard", args=[world.strategy.pk])).content.decode()
    assert "No data is loaded yet." in page


def test_a_sparkline_leaves_gaps_out_and_needs_two_points():
    assert sparkline([None, 1.0]) is None
    line = sparkline([1.0, None, 3.0])
    assert len(line.dots) == 2 and line.dots[0][1] > line.dots[1][1]  # higher value, higher up


def test_an_analyst_adds_an_indicator_on_an_engine_metric(client, world):
    client.force_login(world.users["analyst"])
    url = reverse("dashboards:indicator_new", args=[world.strategy.pk])
    response = client.post(url, {"priority": world.priority.pk, "name": "Burglary",
                                 "metric": "residential_burglary", "direction": "down",
                                 "target": "100"})
    assert response.status_code == 302
    bad = client.post(url, {"priority": world.priority.pk, "name": "Made up",
                            "metric": "typed_in_by_hand", "direction": "down"})
    assert "<title>Error: " in bad.content.decode()


def test_the_cached_scorecard_shows_each_change_at_once(client, world):
    """The priorities' tables are cached by a hash of what they show; every kind of change a
    reader would notice appears on the next view, with no invalidation step to forget."""
    from safecity.web.strategy.updates import approve_update

    client.force_login(world.users["coordinator"])
    url = reverse("dashboards:scorecard", args=[world.strategy.pk])
    page = client.get(url).content.decode()
    assert "Amber" not in page and "Police work" in page
    approve_update(world.submitted, world.users["coordinator"],
                   expected_version=world.submitted.version)
    assert "Amber" in client.get(url).content.decode()  # the newly approved RAG status
    world.joint_action.text = "Joint patrols renamed"
    world.joint_action.save()
    assert "Joint patrols renamed" in client.get(url).content.decode()
    world.agencies["probation"].name = "Renamed Probation Service"
    world.agencies["probation"].save()
    assert "Renamed Probation Service" in client.get(url).content.decode()
    world.priority.title = "Cut crime and disorder"
    world.priority.save()
    assert "Cut crime and disorder" in client.get(url).content.decode()
    world.cycle.name = "Renamed open cycle"  # the "As at" column names the approving cycle
    world.cycle.save()
    assert "Renamed open cycle" in client.get(url).content.decode()
    world.indicator.target = 1234
    world.indicator.save()
    assert "1,234" in client.get(url).content.decode()
    world.indicator.name = "All recorded crime"
    world.indicator.save()
    page = client.get(url).content.decode()
    assert "All recorded crime" in page
    # the same content renders the same HTML as without the cache
    from django.core.cache import cache
    cache.clear()
    def main(html):  # the page chrome carries per-request nonces and tokens
        return html[html.index('<h2 class="govuk-heading-m">Priority'):html.index("</main>")]
    assert main(client.get(url).content.decode()) == main(page)
