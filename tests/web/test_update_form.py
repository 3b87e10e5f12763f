"""The update form: the last approved update, RAG meanings as hints, the character limit,
incomplete drafts, and a coordinator reading a draft."""

from __future__ import annotations

from django.urls import reverse

from safecity.web.strategy.forms import TEXT_LIMIT
from safecity.web.strategy.models import Update
from safecity.web.strategy.updates import save_update


def _edit(world, action=None, cycle=None):
    return reverse("strategy:update_edit", args=[(cycle or world.cycle).pk,
                                                 (action or world.police_action).pk])


def test_the_form_shows_last_cycles_approved_update_and_rag(as_user, world):
    page = as_user(world.users["police_lead"]).get(_edit(world)).content.decode()
    assert "Last approved update" in page and "Closed cycle" in page
    assert "Old text" in page and "app-rag--green" in page
    # An action with no approved update says so.
    page = as_user(world.users["probation_lead"]).get(
        _edit(world, world.probation_action)).content.decode()
    assert "no approved update from an earlier cycle" in page


def test_rag_meanings_are_hints_the_partnership_can_reword(as_user, world):
    client = as_user(world.users["coordinator"])
    page = client.get(_edit(world)).content.decode()
    assert 'aria-describedby="id_rag_0-hint"' in page
    assert "Off track: the action will miss its target" in page
    response = client.post(reverse("strategy:rag_meanings", args=[world.strategy.pk]), {
        "rag_red": "Stalled: the board must act.", "rag_amber": "Slipping.",
        "rag_green": "On time.", "rag_complete": "Done."})
    assert response.status_code == 302
    page = as_user(world.users["police_lead"]).get(_edit(world)).content.decode()
    assert "Stalled: the board must act." in page and "Off track" not in page
    bad = as_user(world.users["coordinator"]).post(reverse("strategy:rag_meanings", args=[world.strategy.pk]), {
        "rag_red": "", "rag_amber": "a", "rag_green": "g", "rag_complete": "c"})
    assert "Say what Red means" in bad.content.decode()


def test_the_limit_is_shown_enforced_in_the_browser_and_on_the_server(as_user, world):
    client = as_user(world.users["police_lead"])
    page = client.get(_edit(world)).content.decode()
    assert f'maxlength="{TEXT_LIMIT}"' in page  # no JavaScript: typing stops at the limit
    assert 'data-module="govuk-character-count"' in page  # JavaScript: a live count
    assert "You can enter up to 10,000 characters" in page
    response = client.post(_edit(world), {"rag": "green", "text": "x" * 235999,
                                          "version": world.submitted.version, "save": "1"})
    assert response.status_code == 200
    assert ("Progress update must be 10,000 characters or fewer: this one has 235,999, so "
            "remove 225,999") in response.content.decode()
    # A line break counts once, as the browser's count does.
    text = "a\r\n" * (TEXT_LIMIT // 2)  # 10,000 characters as typed, 15,000 as sent
    response = client.post(_edit(world), {"rag": "green", "text": text,
                                          "version": world.submitted.version, "save": "1"})
    assert response.status_code == 302


def test_a_draft_may_be_saved_incomplete_but_not_submitted(as_user, world):
    client = as_user(world.users["probation_lead"])
    url = _edit(world, world.probation_action)
    assert client.post(url, {"version": 0, "save": "1"}).status_code == 302
    draft = Update.objects.get(cycle=world.cycle, action=world.probation_action)
    assert draft.status == "draft" and draft.rag == "" and draft.text == ""
    page = client.post(url, {"version": draft.version, "rag": "", "text": "Half done",
                             "submit": "1"}).content.decode()
    assert "Select a RAG status before you submit" in page
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.text == ""
    page = client.post(url, {"version": draft.version, "rag": "amber", "text": "  ",
                             "submit": "1"}).content.decode()
    assert "Enter the progress update before you submit" in page
    assert client.post(url, {"version": draft.version, "rag": "amber", "text": "Done",
                             "submit": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_a_coordinator_reads_a_shared_draft_without_being_refused(as_user, world):
    lead = as_user(world.users["probation_lead"])
    lead.post(_edit(world, world.probation_action), {"version": 0, "text": "Early thoughts",
                                                      "share": "1"})
    draft = Update.objects.get(cycle=world.cycle, action=world.probation_action)
    assert draft.status == "draft" and draft.shared_at is not None
    assert draft.versions.first().event == "shared"
    coordinator = as_user(world.users["coordinator"])  # the same test client, signed in anew
    cycle_page = coordinator.get(reverse("strategy:cycle", args=[world.cycle.pk])).content
    assert b"shared for review" in cycle_page
    review = coordinator.get(reverse("strategy:update_review",
                                     args=[world.cycle.pk, world.probation_action.pk]))
    assert review.status_code == 200
    body = review.content.decode()
    assert "Early thoughts" in body and "once it is submitted" in body
    assert 'name="decision"' not in body
    # No decision can be posted on a draft.
    posted = coordinator.post(reverse("strategy:update_review", args=[
        world.cycle.pk, world.probation_action.pk]), {"decision": "approve",
                                                      "version": draft.version})
    draft.refresh_from_db()
    assert posted.status_code == 200 and draft.status == "draft"


def test_save_update_refuses_to_submit_an_incomplete_update(world):
    import pytest

    from safecity.web.strategy.updates import InvalidTransition

    with pytest.raises(InvalidTransition):
        save_update(Update(cycle=world.cycle, action=world.probation_action),
                    world.users["probation_lead"], rag="", text="x", expected_version=0,
                    submit=True)
