"""Setting up a partnership without the admin site: agencies, invitations, roles, deactivation,
and the command that creates the first administrator."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from safecity.web.partnerships.models import Agency, Membership

NEW_PASSWORD = "a-long-unusual-passphrase-41"


def _invite(client, world, **overrides):
    data = {"first_name": "Nia", "last_name": "Evans", "email": "Nia.Evans@example.org",
            "agency": world.agencies["police"].pk, "role": "lead", "job_title": "Inspector"}
    data.update(overrides)
    return client.post(reverse("invite"), data)


def _signs_in(client, username, password="correct-horse-battery-staple") -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _link(message) -> str:
    return re.search(r"https?://\S+(/invitation/\S+/)", message.body).group(1)


def test_a_coordinator_invites_a_lead_who_chooses_a_password_with_a_link_that_works_once(
        as_user, world):
    client = as_user(world.users["coordinator"])
    response = _invite(client, world)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nia.evans@example.org")
    assert user.membership.role == "lead" and user.membership.agency == world.agencies["police"]
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nia.evans@example.org"]
    assert "Your user name is: nia.evans@example.org" in message.body

    newcomer = Client()
    link = _link(message)
    page = newcomer.get(link, follow=True)
    assert b"Choose your password" in page.content
    # The token moved into the session; the form posts to the token-free URL.
    response = newcomer.post(page.redirect_chain[-1][0], {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert newcomer.get(reverse("account")).context["user"] == user  # signed in
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again = Client().get(link, follow=True)
    assert b"This link does not work" in again.content


def test_a_new_invitation_spends_the_earlier_link(as_user, world):
    client = as_user(world.users["coordinator"])
    _invite(client, world)
    user = get_user_model().objects.get(username="nia.evans@example.org")
    first = _link(mail.outbox[0])
    client.post(reverse("person_reinvite", args=[user.pk]))
    second = _link(mail.outbox[1])
    assert b"This link does not work" in Client().get(first, follow=True).content
    assert b"Choose your password" in Client().get(second, follow=True).content


def test_an_invitation_is_refused_for_an_email_already_in_use_and_without_a_role(as_user,
                                                                               world):
    client = as_user(world.users["coordinator"])
    response = _invite(client, world, email="POLICE_LEAD@example.org", role="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Someone with this email address already has an account"]
    assert errors["role"] == ["Select a role"]
    assert mail.outbox == []


def test_a_coordinator_cannot_make_an_administrator_but_an_administrator_can(as_user, world):
    response = _invite(as_user(world.users["coordinator"]), world, role="administrator")
    assert "role" in response.context["form"].errors
    response = _invite(as_user(world.users["administrator"]), world, role="administrator")
    assert response.status_code == 302
    assert Membership.objects.get(user__username="nia.evans@example.org").is_administrator


def test_a_coordinator_cannot_change_an_administrator(as_user, world):
    client = as_user(world.users["coordinator"])
    assert client.get(reverse("person", args=[world.users["administrator"].pk])).status_code \
        == 403


def test_a_coordinator_sees_only_their_own_partnership(as_user, world):
    client = as_user(world.users["coordinator"])
    assert client.get(reverse("person", args=[world.users["outsider"].pk])).status_code == 404
    assert client.get(reverse("agency_edit", args=[world.agencies["outside"].pk])) \
        .status_code == 404
    page = client.get(reverse("people")).content.decode()
    assert "Outsider" not in page and "Police Lead" in page
    response = _invite(client, world, agency=world.agencies["outside"].pk)
    assert "agency" in response.context["form"].errors
    # The administrator sees everyone.
    admin = as_user(world.users["administrator"])
    assert admin.get(reverse("person", args=[world.users["outsider"].pk])).status_code == 200


def test_a_coordinator_changes_a_role_but_not_their_own(as_user, world):
    client = as_user(world.users["coordinator"])
    lead = world.users["police_lead"]
    response = client.post(reverse("person", args=[lead.pk]), {
        "first_name": "Police", "last_name": "Analyst", "agency": world.agencies["police"].pk,
        "role": "analyst", "job_title": ""})
    assert response.status_code == 302
    lead.membership.refresh_from_db()
    assert lead.membership.role == "analyst"
    me = world.users["coordinator"]
    response = client.post(reverse("person", args=[me.pk]), {
        "first_name": "C", "last_name": "D", "agency": world.agencies["council"].pk,
        "role": "lead", "job_title": ""})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in_until_reactivated(
        as_user, world):
    lead = world.users["police_lead"]
    theirs = Client()
    assert _signs_in(theirs, "police_lead")
    assert theirs.get(reverse("account")).status_code == 200
    coordinator = as_user(world.users["coordinator"])
    coordinator.post(reverse("person_active", args=[lead.pk]), {"active": "0"})
    lead.refresh_from_db()
    assert not lead.is_active
    assert theirs.get(reverse("account")).status_code == 302  # the open session ended
    assert not _signs_in(Client(), "police_lead")
    page = coordinator.get(reverse("people")).content.decode()
    assert "Deactivated" in page
    coordinator.post(reverse("person_active", args=[lead.pk]), {"active": "1"})
    assert _signs_in(Client(), "police_lead")


def test_nobody_deactivates_themselves(as_user, world):
    me = world.users["coordinator"]
    client = as_user(me)
    assert client.post(reverse("person_active", args=[me.pk]), {"active": "0"}).status_code \
        == 403


def test_an_invitation_link_for_a_deactivated_person_does_not_work(as_user, world):
    client = as_user(world.users["coordinator"])
    _invite(client, world)
    user = get_user_model().objects.get(username="nia.evans@example.org")
    client.post(reverse("person_active", args=[user.pk]), {"active": "0"})
    assert b"This link does not work" in Client().get(_link(mail.outbox[0]), follow=True).content


def test_a_coordinators_new_agency_joins_their_strategy(as_user, world):
    client = as_user(world.users["coordinator"])
    response = client.post(reverse("agency_new"), {
        "name": "Test Fire and Rescue", "short_name": "Fire", "email": "",
        "strategies": [world.strategy.pk]})
    assert response.status_code == 302
    fire = Agency.objects.get(name="Test Fire and Rescue")
    assert world.strategy.partners.filter(pk=fire.pk).exists()
    # ... and must join one, or it would fall outside their partnership at once.
    response = client.post(reverse("agency_new"), {"name": "Lost agency", "strategies": []})
    assert response.status_code == 200
    assert "strategies" in response.context["form"].errors


@pytest.mark.django_db(transaction=True)
def test_create_admin_makes_the_first_administrator_and_refuses_bad_input(capsys):
    from safecity.cli.app import main

    args = ["web", "create-admin", "--email", "Admin@Example.gov.uk", "--agency",
            "Example City Council", "--first-name", "Ada"]
    assert main([*args, "--password", NEW_PASSWORD]) == 0
    admin = get_user_model().objects.get(username="admin@example.gov.uk")
    assert admin.membership.is_administrator and admin.check_password(NEW_PASSWORD)
    assert admin.membership.agency.name == "Example City Council"
    capsys.readouterr()

    assert main([*args, "--password", NEW_PASSWORD]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert main(["web", "create-admin", "--email", "b@example.gov.uk", "--agency", "X",
                 "--password", "password"]) == 2
    err = capsys.readouterr().err
    assert "not strong enough" in err and err.count("\n") == 1
    assert not get_user_model().objects.filter(username="b@example.gov.uk").exists()
