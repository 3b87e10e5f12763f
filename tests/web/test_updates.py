"""Updates: optimistic locking, versions, and the submit / return / approve flow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safecity.web.strategy.models import Update, UpdateVersion
from safecity.web.strategy.updates import (EditConflict, InvalidTransition, approve_update,
                                           return_update, save_update)


def _edit_url(world, action):
    return reverse("strategy:update_edit", args=[world.cycle.pk, action.pk])


def test_the_second_of_two_people_editing_one_update_gets_a_conflict_with_the_others_text(
        client, world):
    url = _edit_url(world, world.joint_action)
    police, council = world.users["police_lead"], world.users["council_lead"]
    # Both open the empty form at version 0.
    client.force_login(police)
    client.post(url, {"rag": "green", "text": "Police wrote this", "version": 0, "save": "1"})
    client.force_login(council)
    response = client.post(url, {"rag": "red", "text": "Council wrote this", "version": 0,
                                 "save": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Police wrote this" in page and "Council wrote this" in page
    assert "changed this update while you were editing it" in page
    assert Update.objects.get(cycle=world.cycle, action=world.joint_action).text == \
        "Police wrote this"


def test_saving_again_after_a_conflict_is_a_deliberate_overwrite(client, world):
    url = _edit_url(world, world.police_action)
    client.force_login(world.users["coordinator"])
    stale = client.post(url, {"rag": "red", "text": "Mine", "version": 0, "save": "1"})
    assert stale.status_code == 409
    version = Update.objects.get(pk=world.submitted.pk).version
    ok = client.post(url, {"rag": "red", "text": "Mine", "version": version, "save": "1"})
    assert ok.status_code == 302
    assert Update.objects.get(pk=world.submitted.pk).text == "Mine"


def test_every_save_keeps_a_version_with_who_when_and_what_changed(world):
    update = world.submitted
    lead = world.users["police_lead"]
    update = save_update(update, lead, rag="red", text="Police text", expected_version=1,
                         submit=False)
    versions = list(UpdateVersion.objects.filter(update=update).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].changes["text"] == ["", "Police text"]
    assert versions[1].changes == {"rag": ["amber", "red"]}
    assert versions[1].author == lead and versions[1].at is not None


def test_a_stale_version_raises_a_conflict_holding_the_current_update(world):
    with pytest.raises(EditConflict) as err:
        save_update(world.submitted, world.users["police_lead"], rag="green", text="x",
                    expected_version=0, submit=False)
    assert err.value.current.text == "Police text"


def test_the_coordinator_returns_an_update_with_a_comment_and_the_lead_sees_it(client, world):
    client.force_login(world.users["coordinator"])
    review = reverse("strategy:update_review", args=[world.cycle.pk, world.police_action.pk])
    missing = client.post(review, {"decision": "return", "comment": "", "version": 1})
    assert "Enter a comment saying what the lead agency should change" in \
        missing.content.decode()
    assert missing.content.decode().count("<title>Error: ") == 1
    client.post(review, {"decision": "return", "comment": "Add dates", "version": 1})
    update = Update.objects.get(pk=world.submitted.pk)
    assert update.status == "returned" and update.review_comment == "Add dates"
    client.force_login(world.users["police_lead"])
    page = client.get(_edit_url(world, world.police_action)).content.decode()
    assert "Add dates" in page


def test_a_returned_update_resubmitted_and_approved_is_published_and_locked(client, world):
    coordinator = world.users["coordinator"]
    update = return_update(world.submitted, coordinator, comment="More", expected_version=1)
    update = save_update(update, world.users["police_lead"], rag="green", text="Better",
                         expected_version=update.version, submit=True)
    update = approve_update(update, coordinator, expected_version=update.version)
    assert update.status == "approved" and update.is_published
    assert [v.event for v in update.versions.order_by("number")] == \
        ["submitted", "returned", "submitted", "approved"]
    with pytest.raises(InvalidTransition):
        save_update(update, coordinator, rag="red", text="x", expected_version=update.version,
                    submit=False)
    client.force_login(world.users["police_lead"])
    assert client.get(_edit_url(world, world.police_action)).status_code == 403


def test_only_a_submitted_update_can_be_approved(world):
    draft = save_update(Update(cycle=world.cycle, action=world.probation_action),
                        world.users["probation_lead"], rag="green", text="Draft",
                        expected_version=0, submit=False)
    assert draft.status == "draft"
    with pytest.raises(InvalidTransition):
        approve_update(draft, world.users["coordinator"], expected_version=draft.version)


def test_submitting_without_a_rag_status_shows_the_error_summary_linking_to_the_radios(
        client, world):
    client.force_login(world.users["police_lead"])
    page = client.post(_edit_url(world, world.police_action),
                       {"text": "x", "version": 1, "submit": "1"}).content.decode()
    assert "<title>Error: " in page
    assert 'href="#id_rag_0"' in page and 'id="id_rag_0"' in page
    assert "Select a RAG status before you submit" in page


def test_a_coordinator_opens_a_cycle_with_a_deadline_before_the_meeting(client, world):
    world.cycle.status = "closed"  # one open cycle at a time (tests/web/test_schedule.py)
    world.cycle.save()
    client.force_login(world.users["coordinator"])
    url = reverse("strategy:cycle_new", args=[world.strategy.pk])
    bad = client.post(url, {"name": "Spring", "meeting_date": "01/03/2030",
                            "deadline": "05/03/2030"})
    assert "must be on or before the meeting date" in bad.content.decode()
    good = client.post(url, {"name": "Spring", "meeting_date": "01/03/2030",
                             "deadline": "20/02/2030"})
    assert good.status_code == 302
    assert world.strategy.cycles.filter(name="Spring", status="open").exists()
