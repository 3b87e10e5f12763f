"""ASB Case Review pages: the public application, the threshold decision, the review (agencies'
information, the meeting, recommendations), closing, the decision letter, the yearly figures,
and the retention purge."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from safecity.web.casereviews import services, views
from safecity.web.casereviews.models import Application, Complaint, Procedure, Recommendation
from safecity.web.partnerships.models import AuditEntry, Membership

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def procedure(world):
    return Procedure.objects.create(partnership=world.strategy)


def _date(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def application_data(**extra):
    data = {"applicant": "victim", "applicant_name": "Ann Example",
            "contact_email": "ann@example.org", "problem": "Noise from the flat above",
            "place": "Flat 3, Demo Road", "description": "Loud music every night.",
            "complaint-TOTAL_FORMS": "3", "complaint-INITIAL_FORMS": "0",
            "complaint-MIN_NUM_FORMS": "0", "complaint-MAX_NUM_FORMS": "6"}
    for i, ago in enumerate((100, 60, 20)):
        data.update({f"complaint-{i}-incident_on": _date(ago + 3),
                     f"complaint-{i}-reported_on": _date(ago),
                     f"complaint-{i}-reported_to": "Police"})
    data.update(extra)
    return data


def test_anyone_can_apply_and_the_complaints_are_kept(client, procedure):
    response = client.post(reverse("casereview_public:apply"), application_data())
    assert response["Location"] == reverse("casereview_public:sent")
    app = Application.objects.get()
    assert app.partnership == procedure.partnership and app.received_on == TODAY
    assert app.complaints.count() == 3
    assert set(app.complaints.values_list("problem", flat=True)) == {app.problem}
    assert app.reference in client.get(reverse("casereview_public:sent")).content.decode()


def test_the_application_form_refuses_a_half_filled_complaint_and_oversize_text(client,
                                                                                procedure):
    data = application_data(**{"complaint-2-reported_to": "", "description": "x" * 5001})
    response = client.post(reverse("casereview_public:apply"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "or leave this complaint blank" in page
    assert "Tell us more in 5,000 characters or fewer" in page
    assert Application.objects.count() == 0


def test_the_application_honeypot_and_rate_limit(client, procedure):
    client.post(reverse("casereview_public:apply"), application_data(website="spam"))
    assert Application.objects.count() == 0
    for _ in range(views.APPLICATIONS_PER_HOUR - 1):
        assert client.post(reverse("casereview_public:apply"),
                           application_data()).status_code == 302
    assert client.post(reverse("casereview_public:apply"), application_data()).status_code == 429
    assert Application.objects.count() == views.APPLICATIONS_PER_HOUR - 1


def _apply(world, complaints=((100, 97), (60, 57), (20, 17)), problem="Noise"):
    app = Application.objects.create(
        partnership=world.strategy, received_on=TODAY, applicant="victim",
        applicant_name="Ann Example", contact_email="ann@example.org", problem=problem,
        place="Flat 3", description="Loud music")
    for incident, reported in complaints:
        Complaint.objects.create(application=app, incident_on=TODAY - dt.timedelta(incident),
                                 reported_on=TODAY - dt.timedelta(reported), problem=problem,
                                 reported_to="Police")
    return app


def test_a_case_meeting_the_threshold_is_reviewed_closed_and_written_to(world, procedure):
    app = _apply(world)
    client = Client()
    client.force_login(world.users["coordinator"])
    url = reverse("casereviews:application", args=[app.pk])
    assert "Threshold met" in client.get(url).content.decode()
    client.post(url, {"step": "decision"})
    app.refresh_from_db()
    assert (app.status, app.threshold_met) == ("reviewing", True)
    police = world.agencies["police"]
    client.post(url, {"step": "information", "info-agency": police.pk,
                      "info-summary": "Three visits; no further reports since."})
    client.post(url, {"step": "meeting", "meeting-meeting_on": TODAY.strftime("%d/%m/%Y"),
                      "meeting-outcome": "The response was not joined up."})
    client.post(url, {"step": "recommendation", "rec-text": "Fit noise monitoring.",
                      "rec-owner": world.agencies["council"].pk,
                      "rec-due_on": (TODAY + dt.timedelta(30)).strftime("%d/%m/%Y")})
    client.post(url, {"step": "close"})
    app.refresh_from_db()
    assert (app.status, app.closed_on, app.meeting_on) == ("closed", TODAY, TODAY)
    assert app.information.count() == 1 and app.recommendations.count() == 1
    letter = client.get(reverse("casereviews:letter_docx", args=[app.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "met the threshold" in text and "Fit noise monitoring." in text
    assert procedure.appeal_route in text
    pdf = client.get(reverse("casereviews:letter_pdf", args=[app.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_case_short_of_the_threshold_is_closed_with_the_reasons(world, procedure):
    app = _apply(world, complaints=((100, 97), (20, 17)))
    client = Client()
    client.force_login(world.users["coordinator"])
    client.post(reverse("casereviews:application", args=[app.pk]), {"step": "decision"})
    app.refresh_from_db()
    assert (app.status, app.threshold_met, app.closed_on) == ("not_met", False, TODAY)
    letter = client.get(reverse("casereviews:letter_docx", args=[app.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "did not meet the threshold" in text and "2 qualifying complaint(s)" in text


def test_local_factors_can_start_a_review_below_the_threshold(world, procedure):
    app = _apply(world, complaints=((100, 97),))
    client = Client()
    client.force_login(world.users["coordinator"])
    client.post(reverse("casereviews:application", args=[app.pk]),
                {"step": "decision", "local_factors_review": "on"})
    app.refresh_from_db()
    assert (app.status, app.threshold_met, app.local_factors_review) == ("reviewing", False,
                                                                        True)


def test_a_coordinator_of_another_partnership_gets_404(world, procedure):
    app = _apply(world)
    user = get_user_model().objects.create_user("other-coord", "o@example.org", "pw-12345678")
    Membership.objects.create(user=user, agency=world.agencies["outside"], role="coordinator")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("casereviews:application", args=[app.pk])).status_code == 404
    assert client.post(reverse("casereviews:application", args=[app.pk]),
                       {"step": "close"}).status_code == 404
    assert app.reference not in client.get(reverse("casereviews:list")).content.decode()


def test_the_yearly_figures_count_by_financial_year(world, procedure):
    def case(received, *, met, meeting=None, recs=0, local=False):
        app = Application.objects.create(
            partnership=world.strategy, received_on=received, applicant="victim",
            applicant_name="A", problem="Noise", place="P", description="D", threshold_met=met,
            local_factors_review=local, meeting_on=meeting)
        for _ in range(recs):
            Recommendation.objects.create(application=app, text="R", due_on=received,
                                          owner=world.agencies["police"])

    case(dt.date(2024, 3, 31), met=True, meeting=dt.date(2024, 4, 10), recs=1)  # 2023/24 app
    case(dt.date(2024, 4, 1), met=False)
    case(dt.date(2024, 6, 1), met=False, local=True, meeting=dt.date(2024, 7, 1))
    case(dt.date(2025, 1, 1), met=True, meeting=dt.date(2025, 2, 1), recs=2)
    case(dt.date(2025, 3, 31), met=None)
    case(dt.date(2025, 4, 1), met=False)  # 2025/26
    f = services.year_figures(world.strategy, 2024)
    assert (f.applications, f.threshold_not_met, f.reviews, f.reviews_with_recommendations) == (
        4, 1, 3, 2)
    f = services.year_figures(world.strategy, 2023)
    assert (f.applications, f.threshold_not_met, f.reviews) == (1, 0, 0)


def test_the_yearly_figures_survive_the_purge_of_their_applications(world, procedure):
    """The same cases as above, all closed in May 2025: purged 24 months later, the published
    yearly figures stay as they were (kept as counts, KeptFigures)."""
    def case(received, *, met, meeting=None, recs=0, local=False):
        app = Application.objects.create(
            partnership=world.strategy, received_on=received, applicant="victim",
            applicant_name="A", problem="Noise", place="P", description="D", threshold_met=met,
            local_factors_review=local, meeting_on=meeting, status="closed",
            closed_on=dt.date(2025, 5, 1))
        for _ in range(recs):
            Recommendation.objects.create(application=app, text="R", due_on=received,
                                          owner=world.agencies["police"])

    case(dt.date(2024, 3, 31), met=True, meeting=dt.date(2024, 4, 10), recs=1)
    case(dt.date(2024, 4, 1), met=False)
    case(dt.date(2024, 6, 1), met=False, local=True, meeting=dt.date(2024, 7, 1))
    case(dt.date(2025, 1, 1), met=True, meeting=dt.date(2025, 2, 1), recs=2)
    case(dt.date(2025, 3, 31), met=None)
    case(dt.date(2025, 4, 1), met=False)

    def figures():
        return [tuple(vars(services.year_figures(world.strategy, y)).values())
                for y in (2023, 2024, 2025)]

    before = figures()
    assert before[1][1:] == (4, 1, 3, 2) and before[0][1:] == (1, 0, 0, 0)
    assert services.purge(dt.date(2027, 5, 2)) == 6
    assert not Application.objects.exists() and not Recommendation.objects.exists()
    assert figures() == before
    assert services.purge(dt.date(2027, 6, 1)) == 0 and figures() == before


def test_closed_cases_are_purged_after_the_retention_period(world, procedure):
    old = _apply(world)
    Application.objects.filter(pk=old.pk).update(status="closed",
                                                 closed_on=dt.date(2022, 1, 10))
    recent = _apply(world)
    Application.objects.filter(pk=recent.pk).update(status="closed",
                                                    closed_on=dt.date(2022, 2, 10))
    open_case = _apply(world)
    # 24 months: 10 Jan 2022 is kept up to 10 Jan 2024 inclusive.
    assert services.purge(dt.date(2024, 1, 10)) == 0
    assert services.purge(dt.date(2024, 1, 11)) == 1
    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, open_case.pk}
    assert not Complaint.objects.filter(application_id=old.pk).exists()
    deleted = AuditEntry.objects.filter(verb="delete", model="casereviews.Application",
                                        object_id=str(old.pk)).get()
    assert "Ann Example" not in str(deleted.changes) and "Loud music" not in str(deleted.changes)
