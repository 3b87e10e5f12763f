"""The public hate report form: no sign-in, one question a page, answers kept in the session
until the last page sends them.

Abuse: every POST counts against a per-address limit (``limits``), the last page more tightly;
a honeypot field filled in means a bot, which is shown the same confirmation and nothing is
stored; every field is bounded. The form holds no accounts, so it cannot reveal one.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from ..strategy.models import Strategy
from . import forms as f
from .limits import allow
from .models import STRAND_LABELS, Centre, Report, _reference

SESSION = "hate_report"
SENT = "hate_report_sent"
#: Answers (any page) per address per hour, and reports sent per address per hour.
POSTS_PER_HOUR = 120
REPORTS_PER_HOUR = 5
HOUR = 3600

# slug -> (form, page heading, answers it needs before it)
STEPS = {
    "centre": (f.CentreStep, "Where you are reporting from", ()),
    "area": (f.AreaStep, "The area", ("centre",)),
    "who": (f.ReporterStep, "Who is reporting", ("centre", "partnership")),
    "strands": (f.StrandsStep, "Why it was hostile", ("reporter",)),
    "what": (f.WhatStep, "What happened", ("strands",)),
    "where": (f.WhereWhenStep, "Where and when", ("what_happened",)),
    "police": (f.PoliceStep, "Telling the police", ("place", "happened_on")),
    "contact": (f.ContactStep, "Contacting you", ("wants_police",)),
    "check": (f.CheckStep, "Check your answers before sending your report", ("contact_ok",)),
}
ORDER = list(STEPS)


def active_centres():
    return Centre.objects.filter(active=True).select_related("partnership").order_by("name")


def open_partnerships():
    """Partnerships taking reports: those with an active centre."""
    return Strategy.objects.filter(pk__in=Centre.objects.filter(active=True)
                                   .values("partnership")).order_by("title")


def _answers(request) -> dict:
    return dict(request.session.get(SESSION) or {})


def _form(step: str, data=None, initial=None):
    form_class = STEPS[step][0]
    kwargs = {"data": data, "initial": initial}
    if step == "centre":
        kwargs["centres"] = active_centres()
    elif step == "area":
        kwargs["partnerships"] = open_partnerships()
    return form_class(**kwargs)


def _store(step: str, cleaned: dict, answers: dict) -> dict:
    if step == "centre":
        answers["centre"] = cleaned["centre"]
        answers.pop("partnership", None)
        if cleaned["centre"] != f.ONLINE:
            answers["partnership"] = active_centres().get(pk=cleaned["centre"]).partnership_id
        else:
            only = list(open_partnerships().values_list("pk", flat=True))
            if len(only) == 1:
                answers["partnership"] = only[0]
    elif step == "where":
        answers.update(place=cleaned["place"], happened_on=cleaned["happened_on"].isoformat(),
                       day=cleaned["day"], month=cleaned["month"], year=cleaned["year"])
    elif step == "check":
        pass
    else:
        for key, value in cleaned.items():
            answers[key] = int(value) if key == "partnership" else value
    return answers


def _next(step: str, answers: dict) -> str:
    nxt = ORDER[ORDER.index(step) + 1]
    if nxt == "area" and "partnership" in answers:
        nxt = "who"
    return nxt


def _previous(step: str, answers: dict) -> str | None:
    i = ORDER.index(step)
    if i == 0:
        return None
    prev = ORDER[i - 1]
    if prev == "area" and answers.get("centre") != f.ONLINE or (
            prev == "area" and len(open_partnerships()) < 2):
        prev = "centre"
    return prev


@login_not_required
def start(request):
    return render(request, "hate_reports/public_start.html",
                  {"open": open_partnerships().exists()})


def _too_many(request):
    return render(request, "hate_reports/public_limited.html", status=429)


@login_not_required
def step(request, step: str):
    if step not in STEPS:
        raise Http404("No such page.")
    if not open_partnerships().exists():
        return redirect("report_hate:start")
    answers = _answers(request)
    if any(k not in answers for k in STEPS[step][2]):
        return redirect("report_hate:step", step=ORDER[0])
    if request.method == "POST":
        if not allow(request, "hate-form", limit=POSTS_PER_HOUR, window=HOUR):
            return _too_many(request)
        form = _form(step, data=request.POST)
        if form.is_valid():
            if step == "check":
                return _send(request, form, answers)
            request.session[SESSION] = _store(step, form.cleaned_data, answers)
            if request.GET.get("change") and step not in ("centre",):
                return redirect("report_hate:step", step="check")
            return redirect("report_hate:step", step=_next(step, answers))
    else:
        form = _form(step, initial=answers)
    previous = _previous(step, answers)
    return render(request, f"hate_reports/public_{'check' if step == 'check' else 'step'}.html", {
        "form": form, "step": step, "heading": STEPS[step][1],
        "date_parts": [form["day"], form["month"], form["year"]] if step == "where" else (),
        "back": reverse("report_hate:step", args=[previous]) if previous else
        reverse("report_hate:start"), "summary": _summary(answers) if step == "check" else None})


def _summary(answers: dict) -> list[tuple[str, str, str]]:
    centre = answers.get("centre")
    where = ("Online, not at a reporting centre" if centre == f.ONLINE else
             str(Centre.objects.filter(pk=centre).first() or ""))
    strands = [STRAND_LABELS.get(s, "Something else, or not sure") for s in answers["strands"]]
    when = dt.date.fromisoformat(answers["happened_on"])
    contact = "No"
    if answers.get("contact_ok") == "yes":
        contact = ", ".join(v for v in (answers.get("contact_name"), answers.get("contact_email"),
                                        answers.get("contact_phone")) if v)
    return [("Reporting from", where, "centre"),
            ("Who is reporting", dict(Report.Reporter.choices)[answers["reporter"]], "who"),
            ("Why it was hostile", ", ".join(strands), "strands"),
            ("What happened", answers["what_happened"], "what"),
            ("Where", answers["place"], "where"),
            ("When", f"{when.day} {when:%B %Y}", "where"),
            ("Tell the police", "Yes" if answers["wants_police"] == "yes" else "No", "police"),
            ("Contact", contact, "contact")]


def _send(request, form, answers: dict):
    if not allow(request, "hate-report", limit=REPORTS_PER_HOUR, window=HOUR):
        return _too_many(request)
    request.session.pop(SESSION, None)
    if form.cleaned_data.get("website"):
        # A bot filled the hidden field: the page a person sees, with a reference of the same
        # form that belongs to nothing; nothing is stored.
        request.session[SENT] = _reference()
        return redirect("report_hate:sent")
    centre = None
    if answers["centre"] != f.ONLINE:
        centre = Centre.objects.filter(pk=answers["centre"], active=True).first()
        if centre is None:  # withdrawn while the form was being filled in
            return redirect("report_hate:step", step="centre")
    consent = answers.get("contact_ok") == "yes"
    with transaction.atomic():
        report = Report.objects.create(
            partnership_id=centre.partnership_id if centre else answers["partnership"],
            centre=centre, reporter=answers["reporter"],
            strands=[s for s in answers["strands"] if s in STRAND_LABELS],
            what_happened=answers["what_happened"], place=answers["place"],
            happened_on=dt.date.fromisoformat(answers["happened_on"]),
            wants_police=answers["wants_police"] == "yes", contact_ok=consent,
            contact_name=answers.get("contact_name", "") if consent else "",
            contact_email=answers.get("contact_email", "") if consent else "",
            contact_phone=answers.get("contact_phone", "") if consent else "")
    request.session[SENT] = report.reference
    return redirect("report_hate:sent")


@login_not_required
def sent(request):
    reference = request.session.pop(SENT, None)
    if reference is None:
        return redirect("report_hate:start")
    return render(request, "hate_reports/public_sent.html", {"reference": reference})
