"""The public form's questions, one page each (GOV.UK "one thing per page"), and the
coordinator's forms. Labels ask the question, hints explain, errors say how to fix."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from .models import STRANDS, Centre, Report

ONLINE = "online"
OTHER = "other"
LSOA = re.compile(r"^[EW]010\d{5}$")


class CentreStep(forms.Form):
    centre = forms.ChoiceField(label="Where are you making this report?", widget=forms.RadioSelect,
                               error_messages={"required": "Select a reporting centre, or "
                                               "online"})

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = ([(str(c.pk), f"{c.name} ({c.area})") for c in centres]
                                         + [(ONLINE, "Online, not at a reporting centre")])


class AreaStep(forms.Form):
    partnership = forms.ChoiceField(label="Which area did it happen in?",
                                    widget=forms.RadioSelect,
                                    error_messages={"required": "Select the area"})

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(str(p.pk), p.title) for p in partnerships]


class ReporterStep(forms.Form):
    reporter = forms.ChoiceField(label="Who is making this report?", widget=forms.RadioSelect,
                                 choices=Report.Reporter.choices,
                                 error_messages={"required": "Select who is making the report"})


class StrandsStep(forms.Form):
    strands = forms.MultipleChoiceField(
        label="Why do you think it was hostile?", widget=forms.CheckboxSelectMultiple,
        choices=STRANDS + [(OTHER, "Something else, or not sure")],
        help_text="Select all that apply. It is hate if the victim or anyone else thinks it "
                  "was because of who they are.",
        error_messages={"required": "Select at least one reason, or 'Something else, or not "
                        "sure'"})


class WhatStep(forms.Form):
    what_happened = forms.CharField(
        label="What happened?", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000,
        help_text="Say what was said or done, and by whom if you know. Do not include anyone's "
                  "name unless you need to. You can use up to 5,000 characters.",
        error_messages={"required": "Enter what happened",
                        "max_length": "What happened must be 5,000 characters or fewer"})


class WhereWhenStep(forms.Form):
    place = forms.CharField(label="Where did it happen?", max_length=300,
                            help_text="For example, the street, shop, bus route or website.",
                            error_messages={"required": "Enter where it happened",
                                            "max_length": "Where it happened must be 300 "
                                                          "characters or fewer"})
    day = forms.IntegerField(label="Day", min_value=1, max_value=31, required=False)
    month = forms.IntegerField(label="Month", min_value=1, max_value=12, required=False)
    year = forms.IntegerField(label="Year", min_value=1900, max_value=2999, required=False)

    def clean(self):
        data = super().clean()
        if self.errors.keys() & {"day", "month", "year"} or not all(
                data.get(k) for k in ("day", "month", "year")):
            self.add_error("day", "Enter the date it happened as a real date, for example "
                                  "27 3 2025")
            return data
        try:
            when = dt.date(data["year"], data["month"], data["day"])
        except ValueError:
            self.add_error("day", "Enter the date it happened as a real date")
            return data
        if when > dt.date.today():
            self.add_error("day", "The date it happened must be today or in the past")
        data["happened_on"] = when
        return data


YES_NO = [("yes", "Yes"), ("no", "No")]


class PoliceStep(forms.Form):
    wants_police = forms.ChoiceField(
        label="Do you want us to pass this report to the police?", widget=forms.RadioSelect,
        choices=YES_NO, help_text="We only tell the police if you say yes. You can still report "
        "without involving the police.",
        error_messages={"required": "Select yes if you want us to tell the police"})


class ContactStep(forms.Form):
    contact_ok = forms.ChoiceField(
        label="Can we contact you about this report?", widget=forms.RadioSelect,
        choices=YES_NO, help_text="If you say no, we keep no contact details.",
        error_messages={"required": "Select yes if we can contact you"})
    contact_name = forms.CharField(label="Your name (optional)", max_length=120, required=False)
    contact_email = forms.EmailField(label="Email address", max_length=254, required=False,
                                     error_messages={"invalid": "Enter an email address in the "
                                                     "correct format, like name@example.com"})
    contact_phone = forms.CharField(label="Phone number", max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if data.get("contact_ok") == "yes":
            if not (data.get("contact_email") or data.get("contact_phone")):
                self.add_error("contact_email", "Enter an email address or a phone number")
            phone = data.get("contact_phone") or ""
            if phone and not re.fullmatch(r"[+0-9 ()-]{6,30}", phone):
                self.add_error("contact_phone", "Enter a phone number, like 01632 960 001")
        else:  # without consent nothing typed here is kept, even in the session
            for key in ("contact_name", "contact_email", "contact_phone"):
                data[key] = ""
        return data


class CheckStep(forms.Form):
    """The last page. ``website`` is a honeypot: hidden from people (CSS), filled by bots."""

    website = forms.CharField(label="Leave this blank", required=False, max_length=200)


class TriageForm(forms.Form):
    decision = forms.ChoiceField(label="What should happen to this report?",
                                 widget=forms.RadioSelect, error_messages={
                                     "required": "Select what should happen to the report"})
    lsoa_code = forms.CharField(label="LSOA code of the place (optional)", max_length=9,
                                required=False, help_text="For example, E01017140. Only this "
                                "code, the strands, the centre and the month reach the "
                                "warehouse.")
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000, required=False)

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        choices = [c for c in Report.Status.choices if c[0] != Report.Status.NEW]
        self.fields["decision"].choices = choices

    def clean_lsoa_code(self):
        code = self.cleaned_data["lsoa_code"].strip().upper()
        if code and not LSOA.match(code):
            raise forms.ValidationError("Enter an LSOA code like E01017140, or leave it blank")
        return code

    def clean_decision(self):
        decision = self.cleaned_data["decision"]
        if decision == Report.Status.POLICE and not self.report.wants_police:
            raise forms.ValidationError("The person did not agree to the police being told: "
                                        "choose another decision")
        return decision


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["name", "area", "active"]
        labels = {"name": "Name of the centre", "area": "Area it serves",
                  "active": "Offer this centre on the public form"}
        error_messages = {"name": {"required": "Enter the name of the centre"},
                          "area": {"required": "Enter the area the centre serves"}}
