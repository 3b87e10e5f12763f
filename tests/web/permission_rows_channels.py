"""Permission-matrix rows of the channels' views (third-party hate reporting; the others as
they land), kept apart from test_permissions.py so each channel adds rows here. The objects a
row needs are made by its kwargs builder, in the test's world."""

from __future__ import annotations

import datetime as dt


def hate_centre(w):
    from safecity.web.hate_reports.models import Centre

    centre, _ = Centre.objects.get_or_create(partnership=w.strategy, name="Central Library",
                                             defaults={"area": "Bargate"})
    return centre


def hate_report(w):
    from safecity.web.hate_reports.models import Report

    return Report.objects.create(partnership=w.strategy, centre=hate_centre(w),
                                 reporter="victim", strands=["race"], what_happened="Text",
                                 place="A street", happened_on=dt.date(2020, 5, 1),
                                 wants_police=False, contact_ok=False)


def channel_rows(expect, personas, partners, managers):
    everyone = tuple(personas)
    admin_only = dict(ok=("administrator",), forbidden=[p for p in personas
                                                          if p != "administrator"])
    return {
        "report_hate:start": ("get", None, expect(ok=everyone, anon=200)),
        "report_hate:step": ("get", lambda w: [hate_centre(w) and "centre"],
                             expect(ok=everyone, anon=200)),
        "report_hate:sent": ("get", None, expect(ok=everyone, ok_status=302, anon=302)),
        # Report text is for the hate crime coordinator (tests/web/test_hate_reports.py) and
        # administrators; the list has no partnership, so outsiders are refused like partners.
        "hate_reports:list": ("get", None, expect(**admin_only)),
        "hate_reports:export": ("post", None, expect(ok=("administrator",), ok_status=302,
                                                     forbidden=admin_only["forbidden"])),
        "hate_reports:report": ("get", lambda w: [hate_report(w).pk], expect(
            ok=("administrator",), forbidden=[p for p in partners if p != "administrator"],
            not_found=("outsider",))),
        "hate_reports:centres": ("get", None, expect(ok=everyone)),
        "hate_reports:centre": ("get", lambda w: [hate_centre(w).pk], expect(
            ok=partners, not_found=("outsider",))),
        "hate_reports:centre_new": ("get", lambda w: [w.strategy.pk], expect(
            ok=managers, forbidden=[p for p in partners if p not in managers],
            not_found=("outsider",))),
    }


def case_review(w):
    from safecity.web.casereviews.models import Application

    return Application.objects.create(
        partnership=w.strategy, received_on=dt.date(2024, 6, 1), applicant="victim",
        applicant_name="Ann Example", contact_email="ann@example.org", problem="Noise",
        place="Flat 3", description="Loud music every night")


def case_review_rows(expect, personas, partners, managers):
    """ASB Case Review: applications are for the coordinator and administrators; the yearly
    figures (counts) for every partner; the public form for anyone."""
    everyone = tuple(personas)
    managing = dict(ok=managers, forbidden=[p for p in partners if p not in managers],
                    not_found=("outsider",))
    return {
        "casereview_public:apply": ("get", None, expect(ok=everyone, anon=200)),
        "casereview_public:sent": ("get", None, expect(ok=everyone, ok_status=302, anon=302)),
        "casereviews:list": ("get", None, expect(ok=managers, forbidden=[
            p for p in personas if p not in managers])),
        "casereviews:application": ("get", lambda w: [case_review(w).pk], expect(**managing)),
        "casereviews:letter_docx": ("get", lambda w: [case_review(w).pk], expect(**managing)),
        "casereviews:letter_pdf": ("get", lambda w: [case_review(w).pk], expect(**managing)),
        "casereviews:figures": ("get", lambda w: [w.strategy.pk], expect(
            ok=partners, not_found=("outsider",))),
        "casereviews:procedure": ("get", lambda w: [w.strategy.pk], expect(**managing)),
    }


def intelligence(w):
    from safecity.web.intelligence.models import Intelligence

    return Intelligence.objects.create(
        partnership=w.strategy, submitted_by=w.users["police_lead"], agency=w.agencies["police"],
        seen_on=dt.date(2024, 5, 1), category="drugs", what="Dealing from a car", ward="Bevois",
        reliability="B", handling="P")


def intelligence_rows(expect, personas, partners):
    """Partner intelligence: any partner submits; the text is for its submitter (here the
    police lead) and the analysts; everyone else, partner or not, gets 404."""
    readers = ("police_lead", "analyst", "administrator")
    return {
        "intelligence:submit": ("get", None, expect(ok=partners, forbidden=("outsider",))),
        "intelligence:mine": ("get", None, expect(ok=tuple(personas))),
        "intelligence:export": ("post", None, expect(
            ok=("analyst", "administrator"), ok_status=302,
            forbidden=[p for p in personas if p not in ("analyst", "administrator")])),
        "intelligence:list": ("get", None, expect(
            ok=("analyst", "administrator"),
            forbidden=[p for p in personas if p not in ("analyst", "administrator")])),
        "intelligence:item": ("get", lambda w: [intelligence(w).pk], expect(
            ok=readers, not_found=[p for p in personas if p not in readers])),
    }


def action_group(w):
    from safecity.web.actiongroups.models import ActionGroup

    group, created = ActionGroup.objects.get_or_create(partnership=w.strategy, sector="Central",
                                                       defaults={"name": "Central PAG"})
    if created:
        group.members.set([w.agencies["police"], w.agencies["council"]])
    return group


def action_group_problem(w):
    from safecity.web.actiongroups.models import Problem

    return Problem.objects.create(
        group=action_group(w), title="Dealing by the flats", kind="drugs",
        owner=w.agencies["police"], place_description="Demo Road flats",
        lsoas=["E01017153"], opened_on=dt.date(2020, 6, 1), scanning="Cars stop briefly")


def action_group_rows(expect, personas, partners, managers):
    """Partnership Action Groups: every partner reads; the group's work is written by the
    coordinator, administrators, and the analysts and leads of its member agencies (police and
    council here, so not probation); setting up a group is for managers."""
    workers = (*managers, "analyst", "police_lead", "council_lead")
    working = dict(ok=workers, forbidden=[p for p in partners if p not in workers],
                   not_found=("outsider",))
    managing = dict(ok=managers, forbidden=[p for p in partners if p not in managers],
                    not_found=("outsider",))
    reading = dict(ok=partners, not_found=("outsider",))
    return {
        "actiongroups:list": ("get", None, expect(ok=tuple(personas))),
        # the open problems (no text) to the warehouse, for the monthly pack: data managers
        "actiongroups:export": ("post", None, expect(
            ok=(*managers, "analyst"), ok_status=302,
            forbidden=[p for p in personas if p not in (*managers, "analyst")])),
        "actiongroups:group_new": ("get", lambda w: [w.strategy.pk], expect(**managing)),
        "actiongroups:group": ("get", lambda w: [action_group(w).pk], expect(**reading)),
        "actiongroups:group_edit": ("get", lambda w: [action_group(w).pk], expect(**managing)),
        "actiongroups:problem_new": ("get", lambda w: [action_group(w).pk], expect(**working)),
        "actiongroups:problem": ("get", lambda w: [action_group_problem(w).pk],
                                 expect(**reading)),
        "actiongroups:problem_edit": ("get", lambda w: [action_group_problem(w).pk],
                                      expect(**working)),
        "actiongroups:evidence": ("get", lambda w: [action_group_problem(w).pk],
                                  expect(**reading)),
        "actiongroups:problem_close": ("get", lambda w: [action_group_problem(w).pk],
                                       expect(**working)),
    }
