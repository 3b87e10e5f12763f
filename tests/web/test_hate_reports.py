"""Third-party hate reporting: the public form (one question a page, no sign-in), its abuse
protections, consent, the coordinator's triage, the centres, and the export to the warehouse
with no personal details."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safecity.web.hate_reports import public
from safecity.web.hate_reports.models import Centre, Report
from safecity.web.partnerships.models import AuditEntry, Membership

TEXT = "Two men shouted racist abuse at my neighbour outside the shop on Hill Lane."


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the per-address counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def centre(world):
    return Centre.objects.create(partnership=world.strategy, name="Central Library",
                                 area="Bargate")


@pytest.fixture
def hate_coordinators(world):
    """A hate crime coordinator at a partner agency and one at an agency that is not a partner."""
    User = get_user_model()
    out = {}
    for key, agency in (("partner", "council"), ("outsider", "outside")):
        user = User.objects.create_user(f"hate-{key}", f"hate-{key}@example.org", "pw-12345678")
        Membership.objects.create(user=user, agency=world.agencies[agency],
                                  role="hate_coordinator")
        out[key] = user
    return out


def answer(client, step, data, *, follow_to=None):
    response = client.post(reverse("report_hate:step", args=[step]), data)
    assert response.status_code == 302, (step, response.content.decode()[:3000])
    if follow_to:
        assert response["Location"] == reverse("report_hate:step", args=[follow_to]), step
    return response


def fill_in(client, centre, *, police="yes", contact="no", **contact_details):
    answer(client, "centre", {"centre": str(centre.pk) if centre else "online"}, follow_to="who")
    answer(client, "who", {"reporter": "witness"}, follow_to="strands")
    answer(client, "strands", {"strands": ["race", "religion"]}, follow_to="what")
    answer(client, "what", {"what_happened": TEXT}, follow_to="where")
    answer(client, "where", {"place": "Outside the shop, Hill Lane", "day": "3", "month": "11",
                             "year": "2024"}, follow_to="police")
    answer(client, "police", {"wants_police": police}, follow_to="contact")
    answer(client, "contact", {"contact_ok": contact, **contact_details}, follow_to="check")


def send(client, **extra):
    return client.post(reverse("report_hate:step", args=["check"]), extra)


def test_a_member_of_the_public_reports_without_signing_in(client, centre):
    fill_in(client, centre)
    check = client.get(reverse("report_hate:step", args=["check"])).content.decode()
    assert TEXT in check and "Race or ethnicity, Religion or belief" in check
    response = send(client)
    assert response["Location"] == reverse("report_hate:sent")
    report = Report.objects.get()
    assert (report.centre, report.strands, report.what_happened) == (centre, ["race", "religion"],
                                                                     TEXT)
    assert report.happened_on == dt.date(2024, 11, 3) and report.wants_police
    assert report.partnership == centre.partnership and report.status == "new"
    page = client.get(reverse("report_hate:sent")).content.decode()
    assert report.reference in page
    # The answers are gone from the session once sent.
    assert public.SESSION not in client.session


def test_an_online_report_goes_to_the_one_partnership_taking_reports(client, centre):
    fill_in(client, None)
    send(client)
    report = Report.objects.get()
    assert report.centre is None and report.partnership == centre.partnership
    assert report.channel == "online"


def test_no_contact_details_are_stored_without_consent(client, centre):
    fill_in(client, centre, contact="no", contact_name="Ann Example",
            contact_email="ann@example.org", contact_phone="01632 960 001")
    assert "ann@example.org" not in str(dict(client.session))
    send(client)
    report = Report.objects.get()
    assert not report.contact_ok
    assert (report.contact_name, report.contact_email, report.contact_phone) == ("", "", "")


def test_contact_details_are_kept_with_consent(client, centre):
    fill_in(client, centre, contact="yes", contact_name="Ann Example",
            contact_email="ann@example.org")
    send(client)
    report = Report.objects.get()
    assert report.contact_ok and report.contact_email == "ann@example.org"


def test_consent_to_contact_needs_a_way_to_contact(client, centre):
    fill_in(client, centre, contact="no")
    response = client.post(reverse("report_hate:step", args=["contact"]), {"contact_ok": "yes"})
    assert response.status_code == 200
    assert "Enter an email address or a phone number" in response.content.decode()


def test_the_honeypot_stores_nothing_and_looks_the_same(client, centre):
    fill_in(client, centre)
    response = send(client, website="http://spam.example")
    assert response["Location"] == reverse("report_hate:sent")
    page = client.get(reverse("report_hate:sent")).content.decode()
    assert "Your reference" in page and "HC-" in page
    assert Report.objects.count() == 0


def test_reports_are_rate_limited_per_address(client, centre):
    for _ in range(public.REPORTS_PER_HOUR):
        fill_in(client, centre)
        assert send(client).status_code == 302
    fill_in(client, centre)
    response = send(client)
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert Report.objects.count() == public.REPORTS_PER_HOUR
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.44")
    fill_in(other, centre)
    assert send(other).status_code == 302


def test_every_answer_counts_against_the_address_limit(client, centre, settings):
    for _ in range(public.POSTS_PER_HOUR):
        client.post(reverse("report_hate:step", args=["centre"]), {"centre": str(centre.pk)})
    response = client.post(reverse("report_hate:step", args=["centre"]),
                           {"centre": str(centre.pk)})
    assert response.status_code == 429


def test_oversize_answers_are_refused_and_nothing_is_stored(client, centre):
    fill_in(client, centre)
    response = client.post(reverse("report_hate:step", args=["what"]),
                           {"what_happened": "x" * 5001})
    assert response.status_code == 200
    assert "5,000 characters or fewer" in response.content.decode()
    response = client.post(reverse("report_hate:step", args=["where"]),
                           {"place": "y" * 301, "day": "1", "month": "1", "year": "2024"})
    assert "300 characters or fewer" in response.content.decode()
    assert client.session[public.SESSION]["what_happened"] == TEXT  # the earlier answer stands
    assert Report.objects.count() == 0


def test_a_future_or_impossible_date_is_refused(client, centre):
    fill_in(client, centre)
    future = dt.date.today() + dt.timedelta(days=40)
    for day, month, year in ((31, 2, 2024), (future.day, future.month, future.year)):
        response = client.post(reverse("report_hate:step", args=["where"]), {
            "place": "Here", "day": day, "month": month, "year": year})
        assert response.status_code == 200, (day, month, year)


def test_skipping_to_the_last_page_starts_again(client, centre):
    response = send(client)
    assert response["Location"] == reverse("report_hate:step", args=["centre"])
    assert Report.objects.count() == 0


def test_an_inactive_centre_is_not_offered(client, centre):
    centre.active = False
    centre.save()
    Centre.objects.create(partnership=centre.partnership, name="Open Centre", area="Here")
    page = client.get(reverse("report_hate:step", args=["centre"])).content.decode()
    assert "Open Centre" in page and "Central Library" not in page
    response = client.post(reverse("report_hate:step", args=["centre"]),
                           {"centre": str(centre.pk)})
    assert response.status_code == 200  # not a choice


def test_without_centres_the_form_is_closed(client, world):
    assert "not open yet" in client.get(reverse("report_hate:start")).content.decode()
    assert client.get(reverse("report_hate:step", args=["centre"])).status_code == 302


def _report(world, centre, **kw):
    fields = dict(partnership=world.strategy, centre=centre, reporter="victim",
                  strands=["race"], what_happened=TEXT, place="Hill Lane",
                  happened_on=dt.date(2024, 11, 3), wants_police=False, contact_ok=True,
                  contact_email="ann@example.org")
    fields.update(kw)
    return Report.objects.create(**fields)


def test_the_hate_crime_coordinator_reads_and_triages_only_their_partnerships_reports(
        world, centre, hate_coordinators):
    report = _report(world, centre)
    url = reverse("hate_reports:report", args=[report.pk])
    inside, outside = Client(), Client()
    inside.force_login(hate_coordinators["partner"])
    outside.force_login(hate_coordinators["outsider"])
    assert inside.get(url).status_code == 200
    assert outside.get(url).status_code == 404
    assert report.reference in inside.get(reverse("hate_reports:list")).content.decode()
    assert report.reference not in outside.get(reverse("hate_reports:list")).content.decode()
    assert outside.post(url, {"decision": "recorded"}).status_code == 404
    # Views of the text are audited.
    assert AuditEntry.objects.filter(verb="view", model="hate_reports.Report",
                                     object_id=str(report.pk)).exists()

    response = inside.post(url, {"decision": "police"})
    assert response.status_code == 200  # no consent to tell the police
    assert "did not agree to the police being told" in response.content.decode()
    response = inside.post(url, {"decision": "signposted", "lsoa_code": "e01017140"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.lsoa_code) == ("signposted", "E01017140")
    assert report.triaged_by == hate_coordinators["partner"]


def test_the_hate_crime_coordinator_manages_centres_of_their_partnership(world, centre,
                                                                         hate_coordinators):
    inside, outside = Client(), Client()
    inside.force_login(hate_coordinators["partner"])
    outside.force_login(hate_coordinators["outsider"])
    new = reverse("hate_reports:centre_new", args=[world.strategy.pk])
    assert outside.get(new).status_code == 404
    response = inside.post(new, {"name": "Pride Riverton", "area": "Portswood",
                                 "active": "on"})
    assert response.status_code == 302
    edit = reverse("hate_reports:centre", args=[centre.pk])
    assert outside.get(edit).status_code == 404
    assert inside.post(edit, {"name": "Central Library", "area": "Bargate"}).status_code == 302
    centre.refresh_from_db()
    assert not centre.active
    listing = inside.get(reverse("hate_reports:centres")).content.decode()
    assert "Pride Riverton" in listing
    assert "Pride Riverton" not in outside.get(reverse("hate_reports:centres")).content.decode()


def test_a_read_only_partner_cannot_change_a_centre(world, centre):
    client = Client()
    client.force_login(world.users["councillor"])
    url = reverse("hate_reports:centre", args=[centre.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Renamed", "area": "X"}).status_code == 403


def test_the_audit_log_never_copies_report_text_or_contact_details(world, centre):
    report = _report(world, centre)
    report.what_happened = TEXT + " More."
    report.save()
    logged = str(list(AuditEntry.objects.filter(model="hate_reports.Report")
                      .values_list("changes", "object_repr")))
    assert "Hill Lane" not in logged and "ann@example.org" not in logged
    assert "racist" not in logged


def test_accepted_reports_reach_the_warehouse_without_personal_details(world, centre,
                                                                       tmp_path):
    from safecity.engine.warehouse import Warehouse
    from safecity.web.hate_reports.warehouse import export_to_warehouse

    police = _report(world, centre, status="police", lsoa_code="E01017140",
                     strands=["race", "disability"])
    online = _report(world, None, status="recorded")
    _report(world, centre, status="rejected")
    _report(world, centre)  # new: not triaged yet
    result = export_to_warehouse(tmp_path / "wh")
    assert (result.reports, result.stored, result.skipped) == (2, 2, False)
    text = result.path.read_text()
    for private in (TEXT, "Hill Lane", "ann@example.org", police.reference, online.reference):
        assert private not in text
    rows = list(csv.DictReader(result.path.open()))
    assert [(r["channel"], r["centre"], r["strand_race"], r["strand_disability"],
             r["lsoa_code"]) for r in rows] == [
        ("third_party", "Central Library", "true", "true", "E01017140"),
        ("online", "Online", "true", "false", "")]
    wh = Warehouse(tmp_path / "wh")
    con = wh.connect()
    assert con.execute("SELECT channel, centre, strand_race, strand_disability FROM "
                       "hate_reports ORDER BY report_ref").fetchall() == [
        ("third_party", "Central Library", True, True), ("online", "Online", True, False)]
    # Exporting again changes nothing; a rejection later takes the report out whole.
    assert export_to_warehouse(tmp_path / "wh").skipped
    police.status = "rejected"
    police.save()
    export_to_warehouse(tmp_path / "wh")
    assert wh.connect().execute("SELECT count(*) FROM hate_reports").fetchall() == [(1,)]


def test_police_hate_files_and_exports_never_replace_each_other(world, centre, tmp_path):
    from safecity.engine.ingest.run import ingest_paths
    from safecity.engine.warehouse import Warehouse
    from safecity.web.hate_reports.warehouse import export_to_warehouse

    police_file = tmp_path / "hate.csv"
    police_file.write_text("report_ref,recorded_date,channel,strand_race\n"
                           f"P1,{dt.date.today().isoformat()},police,true\n")
    ingest_paths([police_file], warehouse=tmp_path / "wh")
    _report(world, centre, status="recorded")
    export_to_warehouse(tmp_path / "wh")
    con = Warehouse(tmp_path / "wh").connect()
    assert sorted(con.execute("SELECT channel FROM hate_reports").fetchall()) == [
        ("police",), ("third_party",)]


def test_the_coordinator_sends_accepted_reports_from_the_list_page(world, centre,
                                                                   hate_coordinators):
    _report(world, centre, status="recorded")
    client = Client()
    client.force_login(hate_coordinators["partner"])
    response = client.post(reverse("hate_reports:export"), follow=True)
    assert "Sent 1 accepted reports to the warehouse" in response.content.decode()
    # an ingest the app starts is in the run log under the app user who started it
    from safecity.engine.governance.runlog import runs

    (run,) = [r for r in runs() if r.command == "ingest"]
    assert run.user == "hate-partner (web app)" and run.outcome == "completed"
    assert run.args[:2] == ("--source", "hate-third-party")


def test_the_export_needs_no_sharing_agreement(world, centre, tmp_path, monkeypatch):
    """The partnership's own records with no personal details: the register's rule for
    record-level sources from other agencies does not stop them (the demo and the button work
    without SAFECITY_ALLOW_UNREGISTERED_LOADS)."""
    from safecity.web.hate_reports.warehouse import export_to_warehouse

    monkeypatch.setenv("SAFECITY_ALLOW_UNREGISTERED_LOADS", "false")
    _report(world, centre, status="recorded")
    assert export_to_warehouse(tmp_path / "wh").stored == 1


def test_report_text_and_contact_details_are_deleted_at_the_end_of_retention(
        world, centre, monkeypatch, settings):
    """12 months' retention (the default): a report received on 10 January 2024 keeps its text
    up to 10 January 2025 and loses it the next day, when `purge_hate_reports` runs (time frozen
    by replacing the day the command sees); what the counts need stays; the purge is audited
    without the text and happens once."""
    from django.core.management import call_command
    from django.utils import timezone

    from safecity.web.hate_reports import retention

    old = _report(world, centre, contact_name="Ann Example", contact_phone="07700 900123",
                  triage_note="Passed to PC Smith", status=Report.Status.POLICE,
                  lsoa_code="E01017140")
    recent = _report(world, centre)
    received = dt.datetime(2024, 1, 10, 9, 30, tzinfo=dt.timezone.utc)
    Report.objects.filter(pk=old.pk).update(received_at=received)
    Report.objects.filter(pk=recent.pk).update(received_at=received + dt.timedelta(days=31))

    def run_on(day: dt.date) -> str:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
        out = __import__("io").StringIO()
        call_command("purge_hate_reports", stdout=out)
        return out.getvalue()

    assert "of 0 hate report(s)" in run_on(dt.date(2025, 1, 10))
    assert Report.objects.get(pk=old.pk).what_happened == TEXT
    assert "of 1 hate report(s)" in run_on(dt.date(2025, 1, 11))
    gone = Report.objects.get(pk=old.pk)
    assert (gone.what_happened, gone.place, gone.contact_name,
            gone.triage_note) == (retention.PURGED,) * 4
    assert gone.contact_phone == ""  # emptied: the 30-character column never holds the mark
    assert gone.contact_email == "" and gone.text_purged_on == dt.date(2025, 1, 11)
    # what the counts and the warehouse export are made of stays
    assert (gone.received_at, gone.strands, gone.status, gone.lsoa_code, gone.centre) == (
        received, ["race"], Report.Status.POLICE, "E01017140", centre)
    assert Report.objects.get(pk=recent.pk).what_happened == TEXT
    logged = str(list(AuditEntry.objects.filter(model="hate_reports.Report",
                                                object_id=str(old.pk))
                      .values_list("verb", "changes")))
    assert "text_purged_on" in logged
    assert "racist" not in logged and "Ann Example" not in logged and "ann@" not in logged
    assert retention.purge(dt.date(2025, 1, 11)) == 0  # never purged twice
    from safecity.engine.governance.runlog import runs

    assert [r.outcome for r in runs() if r.command == "web purge_hate_reports"] == [
        "completed: 0 report(s) purged", "completed: 1 report(s) purged"]
    assert "of 1 hate report(s)" in run_on(dt.date(2025, 2, 11))  # the other, a month on
    settings_key = "hate_report_retention_months"
    monkeypatch.setenv("SAFECITY_" + settings_key.upper(), "24")
    assert retention.cutoff(dt.date(2025, 1, 11)) == dt.date(2023, 1, 11)


def test_a_purged_report_says_so_and_keeps_no_new_note(world, centre, hate_coordinators):
    from safecity.web.hate_reports import retention

    report = _report(world, centre)
    Report.objects.filter(pk=report.pk).update(
        received_at=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    assert retention.purge(dt.date(2026, 1, 1)) == 1
    client = Client()
    client.force_login(hate_coordinators["partner"])
    url = reverse("hate_reports:report", args=[report.pk])
    page = client.get(url).content.decode()
    assert "were deleted on 1 January 2026, at the end of the retention period" in page
    assert TEXT not in page
    response = client.post(url, {"decision": "recorded", "lsoa_code": "", "note": "New text"})
    assert response.status_code == 302
    saved = Report.objects.get(pk=report.pk)
    assert saved.status == Report.Status.RECORDED and saved.triage_note == ""


def test_a_burst_straddling_the_hours_edge_is_still_limited(client, centre, monkeypatch):
    """With a fixed hourly window the counter started again at the hour, so a burst just
    before and just after it got twice the limit (and this suite's limit test failed when it
    ran across 09:00)."""
    from safecity.web.hate_reports import limits

    edge = 1_800_000_000 // 3600 * 3600 + 3600
    monkeypatch.setattr(limits.time, "time", lambda: edge - 5)
    url = reverse("report_hate:step", args=["centre"])
    for _ in range(public.POSTS_PER_HOUR):
        assert client.post(url, {"centre": str(centre.pk)}).status_code != 429
    monkeypatch.setattr(limits.time, "time", lambda: edge + 5)
    assert client.post(url, {"centre": str(centre.pk)}).status_code == 429
    # an hour after the burst the address may post again
    monkeypatch.setattr(limits.time, "time", lambda: edge + 3600)
    assert client.post(url, {"centre": str(centre.pk)}).status_code != 429
