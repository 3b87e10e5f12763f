"""The one access module (``safecity.web.access``): each object's helper, partnership isolation,
and the rule that access is written once, on the ORM.

The permission matrix (test_permissions.py) checks every view x persona through these helpers;
here each helper is called directly, and a second partnership with its own coordinator checks
that a coordinator acts only within their own partnership.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecity.web import access
from safecity.web.dashboards.models import Indicator
from safecity.web.partnerships.models import Agency, Membership
from safecity.web.strategy.models import Action, Priority, ReportingCycle, Strategy, Update
from safecity.web.strategy.updates import save_update

WEB = Path(access.__file__).resolve().parent
HUGE = 2**64 + 5


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def other(world):
    """A second partnership: its own strategy, agency, coordinator, lead, cycle and a submitted
    update. It shares no agency with the first."""
    User = get_user_model()
    agency = Agency.objects.create(name="Northtown Borough Council", short_name="northtown")
    users = {}
    for name, role in (("other_coordinator", "coordinator"), ("other_lead", "lead")):
        users[name] = User.objects.create_user(name, f"{name}@example.org", "x" * 16)
        Membership.objects.create(user=users[name], agency=agency, role=role)
    strategy = Strategy.objects.create(title="Northtown strategy", start=dt.date(2021, 4, 1),
                                       end=dt.date(2024, 3, 31))
    strategy.partners.set([agency])
    priority = Priority.objects.create(strategy=strategy, number=1, title="Northtown priority")
    action = Action.objects.create(priority=priority, number=1, text="Northtown work",
                                   all_agencies_lead=True)
    indicator = Indicator.objects.create(priority=priority, name="Northtown crime",
                                         metric="recorded_crime")
    today = dt.date.today()
    cycle = ReportingCycle.objects.create(strategy=strategy, name="Northtown cycle",
                                          meeting_date=today + dt.timedelta(days=10),
                                          deadline=today + dt.timedelta(days=3))
    update = save_update(Update(cycle=cycle, action=action), users["other_lead"], rag="red",
                         text="Northtown text", expected_version=0, submit=True)

    class Other:
        pass

    o = Other()
    o.__dict__.update(agency=agency, users=users, strategy=strategy, action=action,
                      indicator=indicator, cycle=cycle, update=update)
    return o


def _helpers(w):
    """(name, call) for every object helper, on the first partnership's objects."""
    return [
        ("strategy", lambda r: access.get_strategy(r, w.strategy.pk)),
        ("action", lambda r: access.get_action(r, w.police_action.pk)),
        ("cycle", lambda r: access.get_cycle(r, w.cycle.pk)),
        ("update", lambda r: access.get_update(r, w.closed.pk, w.police_action.pk)),
        ("indicator", lambda r: access.get_indicator(r, w.indicator.pk)),
        ("paper", lambda r: (access.get_paper(r, w.closed.pk), False)),
        ("scorecard export", lambda r: (access.get_scorecard_export(r, w.strategy.pk), False)),
    ]


def test_every_helper_hides_the_object_from_outsiders_and_the_other_partnership(world, other):
    from django.contrib.auth.models import AnonymousUser

    no_membership = get_user_model().objects.create_user("nobody", "n@example.org", "x" * 16)
    for who in (world.users["outsider"], other.users["other_coordinator"], no_membership,
                AnonymousUser()):
        for name, call in _helpers(world):
            with pytest.raises(Http404):
                call(_request(who))
                pytest.fail(f"{who} reached the {name}")


def test_every_helper_gives_partners_the_object_and_only_managers_the_right_to_write(world):
    for name, call in _helpers(world):
        obj, can_write = call(_request(world.users["coordinator"]))
        assert obj.pk is not None, name
        obj, can_write_ro = call(_request(world.users["councillor"]))
        assert obj.pk is not None and not can_write_ro, name
    assert access.get_strategy(_request(world.users["coordinator"]), world.strategy.pk)[1]
    assert access.get_indicator(_request(world.users["analyst"]), world.indicator.pk)[1]
    assert not access.get_action(_request(world.users["analyst"]), world.police_action.pk)[1]
    with pytest.raises(PermissionDenied):
        access.require(False)


def test_the_update_helper_applies_the_led_by_rule_of_the_model(world):
    lead = _request(world.users["probation_lead"])
    update, can_write = access.get_update(lead, world.cycle.pk, world.all_action.pk)
    assert update.pk is None and can_write  # "All" lead: every partner agency leads
    _, can_write = access.get_update(lead, world.cycle.pk, world.probation_action.pk)
    assert can_write
    with pytest.raises(PermissionDenied):  # the police update is submitted, not published
        access.get_update(lead, world.cycle.pk, world.police_action.pk)
    # The action must belong to the cycle's strategy.
    with pytest.raises(Http404):
        access.get_update(_request(world.users["administrator"]), world.cycle.pk, HUGE)


def test_a_malformed_or_overflowing_id_is_not_found_by_every_helper(world):
    request = _request(world.users["administrator"])
    for call in (access.get_strategy, access.get_action, access.get_cycle, access.get_indicator,
                 access.get_paper, access.get_scorecard_export):
        for bad in (HUGE, -1, "x"):
            with pytest.raises(Http404):
                call(request, bad)


def test_the_update_helper_reads_a_bounded_number_of_rows(world):
    """select_related and exists(): the cycle with its strategy, the partner check, the action
    with its priority, the update and the lead check, whatever the size of the plan."""
    request = _request(world.users["police_lead"])
    request.user.membership  # loaded with the user by the authentication backend
    with CaptureQueriesContext(connection) as queries:
        access.get_update(request, world.cycle.pk, world.police_action.pk)
    assert len(queries) <= 5, [q["sql"] for q in queries]


# name, method, args from (world, other): what another partnership's coordinator tries.
WRITES = [
    ("strategy:cycle_new", "post", lambda o: [o.strategy.pk]),
    ("strategy:action_edit", "post", lambda o: [o.action.pk]),
    ("strategy:cycle_close", "post", lambda o: [o.cycle.pk]),
    ("strategy:chase", "post", lambda o: [o.cycle.pk]),
    ("strategy:update_edit", "post", lambda o: [o.cycle.pk, o.action.pk]),
    ("strategy:update_review", "post", lambda o: [o.cycle.pk, o.action.pk]),
    ("dashboards:refresh", "post", lambda o: [o.strategy.pk]),
    ("dashboards:indicator_new", "post", lambda o: [o.strategy.pk]),
    ("dashboards:indicator_edit", "post", lambda o: [o.indicator.pk]),
]
READS = [
    ("strategy:strategy", lambda o: [o.strategy.pk]),
    ("strategy:action", lambda o: [o.action.pk]),
    ("strategy:cycle", lambda o: [o.cycle.pk]),
    ("strategy:update", lambda o: [o.cycle.pk, o.action.pk]),
    ("dashboards:scorecard", lambda o: [o.strategy.pk]),
    ("dashboards:indicator", lambda o: [o.indicator.pk]),
    ("reports:paper", lambda o: [o.cycle.pk]),
    ("reports:paper_docx", lambda o: [o.cycle.pk]),
    ("reports:scorecard_xlsx", lambda o: [o.strategy.pk]),
]


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "police_lead"])
def test_a_coordinator_acts_only_within_their_own_partnership(world, other, persona):
    """The first partnership's coordinator (and its other people) get 404 on everything of the
    second, read or write, and nothing of the second changes."""
    client = Client()
    client.force_login(world.users[persona])
    for name, args in READS:
        assert client.get(reverse(name, args=args(other))).status_code == 404, name
    data = {"decision": "approve", "version": other.update.version, "rag": "green",
            "text": "Overwritten", "name": "Taken over", "meeting_date": "2030-01-01",
            "deadline": "2029-12-01", "priority": other.indicator.priority_id,
            "metric": "recorded_crime", "direction": "down"}
    for name, method, args in WRITES:
        response = getattr(client, method)(reverse(name, args=args(other)), data)
        assert response.status_code == 404, name
    other.update.refresh_from_db()
    other.cycle.refresh_from_db()
    assert (other.update.status, other.update.text) == ("submitted", "Northtown text")
    assert other.cycle.is_open and other.cycle.name == "Northtown cycle"
    assert ReportingCycle.objects.filter(strategy=other.strategy).count() == 1
    assert Indicator.objects.filter(priority__strategy=other.strategy).count() == 1


def test_the_other_coordinator_still_manages_their_own_partnership(world, other):
    client = Client()
    client.force_login(other.users["other_coordinator"])
    url = reverse("strategy:update_review", args=[other.cycle.pk, other.action.pk])
    response = client.post(url, {"decision": "approve", "version": other.update.version})
    assert response.status_code == 302
    other.update.refresh_from_db()
    assert other.update.status == "approved"
    for name, args in (("strategy:strategy", [world.strategy.pk]),
                       ("strategy:cycle_close", [world.cycle.pk])):
        assert client.post(reverse(name, args=args)).status_code == 404, name


def test_access_is_written_once_on_the_orm():
    """No hand-written SQL decides access: web/rows.py is gone, no module of the web app opens
    a cursor or runs raw SQL, and the helpers live in safecity/web/access.py alone."""
    assert not (WEB / "rows.py").exists()
    assert not (WEB / "strategy" / "access.py").exists()
    raw = re.compile(r"\.cursor\(|\.raw\(|\.extra\(|RawSQL|select_joined")
    offenders = [str(p.relative_to(WEB)) for p in WEB.rglob("*.py")
                 if "migrations" not in p.parts and raw.search(p.read_text())]
    assert offenders == []
    helpers = re.compile(r"^def (get_indicator|get_strategy|get_action|get_cycle|get_update)\(",
                         re.M)
    defined = [str(p.relative_to(WEB)) for p in WEB.rglob("*.py") if helpers.search(p.read_text())]
    assert defined == ["access.py"]

