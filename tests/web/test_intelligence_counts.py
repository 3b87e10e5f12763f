"""Partner intelligence counts into the warehouse (#14): counts by month, kind, agency, ward and
LSOA, equal to the submissions made here; no text leaves the app; months the purge has started
on are not sent again and keep their earlier counts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safecity.engine.warehouse import Warehouse
from safecity.web.intelligence import services
from safecity.web.intelligence.models import Intelligence
from safecity.web.intelligence.warehouse import export_to_warehouse

WHAT = "A named man deals from the blue car"


def _item(w, when: dt.datetime, category="drugs", agency="police", ward="Bevois",
          lsoa="E01017153", user="police_lead"):
    item = Intelligence.objects.create(
        partnership=w.strategy, submitted_by=w.users[user], agency=w.agencies[agency],
        seen_on=when.date(), category=category, what=WHAT, ward=ward, lsoa_code=lsoa,
        place="Behind the flats", reliability="B", handling="P")
    Intelligence.objects.filter(pk=item.pk).update(submitted_at=when)
    return item


def _at(year, month, day=15):
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


def _warehouse_counts():
    con = Warehouse().connect()
    return {(str(m), t, a, w, n) for m, t, a, w, n in con.sql(
        "SELECT month, theme, source_agency, coalesce(ward_name, ''), sum(submissions) "
        "FROM intelligence_counts GROUP BY ALL").fetchall()}


def test_the_export_counts_submissions_by_month_kind_agency_and_ward(world):
    today = dt.date(2021, 5, 20)
    for _ in range(3):
        _item(world, _at(2021, 3))
    _item(world, _at(2021, 3), category="asb", agency="council", ward="", lsoa="",
          user="council_lead")
    _item(world, _at(2021, 4), category="exploitation")
    result = export_to_warehouse(today=today)
    assert (result.submissions, result.rows) == (5, 3)
    assert _warehouse_counts() == {("2021-03", "drugs", "Test Police", "Bevois", 3),
                                   ("2021-03", "asb", "Test City Council", "", 1),
                                   ("2021-04", "exploitation", "Test Police", "Bevois", 1)}
    text = result.path.read_text()
    assert WHAT not in text and "Behind the flats" not in text and "police_lead" not in text


def test_months_the_purge_has_reached_keep_their_earlier_counts(world):
    _item(world, _at(2020, 5, 2))
    _item(world, _at(2020, 5, 20))
    _item(world, _at(2020, 6, 10))
    export_to_warehouse(today=dt.date(2021, 5, 1))  # May 2020 still whole: sent
    assert ("2020-05", "drugs", "Test Police", "Bevois", 2) in _warehouse_counts()
    # a year on, the purge removed the submission of 2 May 2020; May is no longer whole
    assert services.purge(dt.date(2021, 5, 10)) == 1
    result = export_to_warehouse(today=dt.date(2021, 5, 10))
    assert result.first_month == dt.date(2020, 6, 1)  # May 2020 is not sent again
    counts = _warehouse_counts()
    assert ("2020-05", "drugs", "Test Police", "Bevois", 2) in counts  # not shrunk to 1
    assert ("2020-06", "drugs", "Test Police", "Bevois", 1) in counts


def test_an_analyst_sends_the_counts_from_the_analysts_page(client, world):
    _item(world, timezone.now())
    client.force_login(world.users["analyst"])
    page = client.get(reverse("intelligence:list")).content.decode()
    assert "Send counts to the warehouse" in page
    response = client.post(reverse("intelligence:export"), follow=True)
    assert "Sent the counts of 1 submissions to the warehouse." in response.content.decode()
    assert len(_warehouse_counts()) == 1


def test_a_partner_lead_cannot_send_the_counts(client, world):
    client.force_login(world.users["police_lead"])
    assert client.post(reverse("intelligence:export")).status_code == 403
    assert not Warehouse().exists() or not Warehouse().has_data("intelligence_counts")


def test_each_export_is_in_the_run_log_under_the_app_user_who_asked(client, world):
    from safecity.engine.governance.runlog import runs
    from safecity.web.actiongroups.warehouse import export_to_warehouse as export_problems

    _item(world, timezone.now())
    client.force_login(world.users["analyst"])
    client.post(reverse("intelligence:export"))
    client.post(reverse("actiongroups:export"))
    export_problems()  # as `manage export_action_groups` does: the operating-system user
    logged = [(r.user, r.args[1]) for r in runs() if r.command == "ingest"]
    assert ("analyst (web app)", "intelligence") in logged
    assert ("analyst (web app)", "action-groups") in logged
    assert any(kind == "action-groups" and "(web app)" not in user for user, kind in logged)
