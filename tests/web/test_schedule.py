"""The meeting schedule: cycles from it with a deadline offset, one open cycle at a time unless
the coordinator allows more, and demo cycles inside the demo strategy's period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from safecity.web.strategy.models import ReportingCycle
from safecity.web.strategy.schedule import CycleClash, add_months, meetings, open_cycle


def test_months_are_added_within_the_month():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2020, 11, 15), 2) == dt.date(2021, 1, 15)
    assert add_months(dt.date(2020, 4, 30), 24) == dt.date(2022, 4, 30)


def _set_schedule(client, world, **overrides):
    data = {"meetings_per_year": "6", "first_meeting": "15/06/2020", "deadline_days": "10"}
    data.update(overrides)
    return client.post(reverse("strategy:schedule", args=[world.strategy.pk]), data)


def test_six_meetings_a_year_until_the_strategy_ends_with_deadlines_before_each(as_user,
                                                                               world):
    assert _set_schedule(as_user(world.users["coordinator"]), world).status_code == 302
    world.strategy.refresh_from_db()
    planned = meetings(world.strategy)
    # 15 Jun 2020 every two months to the strategy's end on 31 Mar 2023: 17 meetings.
    assert [m.meeting_date for m in planned[:3]] == [dt.date(2020, 6, 15),
                                                     dt.date(2020, 8, 15),
                                                     dt.date(2020, 10, 15)]
    assert planned[-1].meeting_date == dt.date(2023, 2, 15) and len(planned) == 17
    assert all(m.meeting_date - m.deadline == dt.timedelta(days=10) for m in planned)
    assert planned[0].name == "June 2020 partnership meeting"


def test_a_coordinator_opens_the_next_cycle_from_the_schedule_and_leads_are_told(as_user,
                                                                                 world):
    client = as_user(world.users["coordinator"])
    _set_schedule(client, world)
    world.cycle.status = "closed"
    world.cycle.save()
    response = client.post(reverse("strategy:schedule_open", args=[world.strategy.pk]),
                           {"meeting_date": "2020-08-15"})
    cycle = ReportingCycle.objects.get(name="August 2020 partnership meeting")
    assert response.status_code == 302 and response.url == cycle.get_absolute_url()
    assert cycle.deadline == dt.date(2020, 8, 5) and cycle.is_open
    assert {m.to[0] for m in mail.outbox} == {"police_lead@example.org",
                                              "council_lead@example.org",
                                              "probation_lead@example.org"}
    page = client.get(reverse("strategy:schedule", args=[world.strategy.pk])).content.decode()
    assert f'href="{cycle.get_absolute_url()}"' in page
    # A date that is not in the schedule is refused.
    bad = client.post(reverse("strategy:schedule_open", args=[world.strategy.pk]),
                      {"meeting_date": "2020-08-16"})
    assert bad.status_code == 404


def test_only_one_cycle_is_open_at_a_time_unless_the_coordinator_allows_more(as_user, world):
    client = as_user(world.users["coordinator"])
    url = reverse("strategy:cycle_new", args=[world.strategy.pk])
    data = {"name": "Second", "meeting_date": "01/03/2030", "deadline": "20/02/2030"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Open cycle is still open: close it first" in refused.content.decode()
    assert not ReportingCycle.objects.filter(name="Second").exists()
    with pytest.raises(CycleClash):
        open_cycle(world.strategy, name="Third", meeting_date=dt.date(2030, 3, 1),
                   deadline=dt.date(2030, 2, 20), user=None)
    _set_schedule(client, world, concurrent_cycles="on")
    assert client.post(url, data).status_code == 302
    assert ReportingCycle.objects.filter(strategy=world.strategy, status="open").count() == 2


def test_the_schedule_form_explains_bad_values(as_user, world):
    response = _set_schedule(as_user(world.users["coordinator"]), world, meetings_per_year="5",
                             first_meeting="31/02/2020", deadline_days="")
    errors = response.context["form"].errors
    assert set(errors) == {"meetings_per_year", "first_meeting", "deadline_days"}


def test_demo_cycles_fall_inside_the_demo_strategys_period(db):
    from safecity.web.strategy import demo
    from safecity.web.strategy.models import Strategy

    demo.load("a-demo-password-for-tests")
    strategy = Strategy.objects.get(title=demo.TITLE)
    cycles = list(strategy.cycles.all())
    assert len(cycles) == 2
    for cycle in cycles:
        assert strategy.start <= cycle.deadline <= cycle.meeting_date <= strategy.end, cycle
    scheduled = {m.meeting_date for m in meetings(strategy)}
    assert {c.meeting_date for c in cycles} <= scheduled
