"""The application form (public) and the review manager's forms. Dates are typed as
dd/mm/yyyy, as elsewhere in the app."""

from __future__ import annotations

import datetime as dt

from django import forms

from ..partnerships.models import Agency
from ..strategy.forms import DATE_FORMATS
from .models import Application, Procedure

DATE_HINT = "For example, 27/03/2025"


def _date(label: str, required: bool = True, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, required=required,
                           help_text=hint, error_messages={
                               "required": f"Enter the {label.lower()}",
                               "invalid": f"Enter the {label.lower()} as a real date, "
                                          "for example 27/03/2025"})


class ApplicationForm(forms.Form):
    partnership = forms.TypedChoiceField(label="Which area is the problem in?", coerce=int,
                                         widget=forms.RadioSelect, error_messages={
                                             "required": "Select the area"})
    applicant = forms.ChoiceField(label="Who is applying?", choices=Application.Applicant.choices,
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Select who is applying"})
    applicant_name = forms.CharField(label="Your full name", max_length=120,
                                     error_messages={"required": "Enter your full name"})
    contact_email = forms.EmailField(label="Email address", max_length=254, required=False)
    contact_phone = forms.CharField(label="Phone number", max_length=30, required=False)
    problem = forms.CharField(label="What is the anti-social behaviour?", max_length=200,
                              help_text="In a few words, for example: noise from a neighbour's "
                                        "flat at night",
                              error_messages={"required": "Enter what the behaviour is"})
    place = forms.CharField(label="Where does it happen?", max_length=300,
                            error_messages={"required": "Enter where it happens"})
    description = forms.CharField(label="Tell us more", widget=forms.Textarea(attrs={"rows": 6}),
                                  max_length=5000, help_text="How it affects you, and what "
                                  "has been done so far. Up to 5,000 characters.",
                                  error_messages={"required": "Tell us more about the problem",
                                                  "max_length": "Tell us more in 5,000 "
                                                                "characters or fewer"})
    website = forms.CharField(label="Leave this blank", required=False, max_length=200)

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.pk, p.title) for p in partnerships]
        if len(partnerships) == 1:
            self.fields["partnership"].required = False
            self.fields["partnership"].widget = forms.HiddenInput()
            self.initial["partnership"] = partnerships[0].pk

    def clean(self):
        data = super().clean()
        if not (data.get("contact_email") or data.get("contact_phone")):
            self.add_error("contact_email", "Enter an email address or a phone number so we "
                                            "can tell you the outcome")
        return data


class ComplaintForm(forms.Form):
    incident_on = _date("Date of the incident", required=False)
    reported_on = _date("Date it was reported", required=False)
    reported_to = forms.CharField(label="Who it was reported to", max_length=120, required=False,
                                  help_text="For example, the police, the council or your "
                                            "housing provider")
    complainant = forms.CharField(label="Who reported it", max_length=120, required=False,
                                  help_text="Leave blank if it was you")

    def clean(self):
        data = super().clean()
        filled = [k for k in ("incident_on", "reported_on", "reported_to") if data.get(k)]
        if filled and len(filled) < 3:
            for k in ("incident_on", "reported_on", "reported_to"):
                if not data.get(k) and k not in self.errors:
                    self.add_error(k, "Enter the dates and who it was reported to, or leave "
                                      "this complaint blank")
        for k in ("incident_on", "reported_on"):
            if data.get(k) and data[k] > dt.date.today():
                self.add_error(k, "The date must be today or in the past")
        return data


ComplaintFormSet = forms.formset_factory(ComplaintForm, extra=3, max_num=6, absolute_max=6)


class AddComplaintForm(ComplaintForm):
    problem = forms.CharField(label="What the complaint was about", max_length=200)


class DecisionForm(forms.Form):
    local_factors_review = forms.BooleanField(
        label="Review this case because of local factors, though the threshold is not met",
        required=False)


class InformationForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(),
                                    error_messages={"required": "Select the agency"})
    summary = forms.CharField(label="What the agency told the review",
                              widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                              error_messages={"required": "Enter what the agency said"})

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class MeetingForm(forms.Form):
    meeting_on = _date("Date of the review meeting")
    outcome = forms.CharField(label="What the panel found", widget=forms.Textarea(
        attrs={"rows": 4}), max_length=5000, error_messages={
            "required": "Enter what the panel found"})


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, error_messages={
                               "required": "Enter the recommendation"})
    owner = forms.ModelChoiceField(label="Owner", queryset=Agency.objects.none(),
                                   error_messages={"required": "Select the agency that owns it"})
    due_on = _date("Due date")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agencies


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["complaints", "within_months", "report_within_months", "apply_within_months",
                  "local_factors", "appeal_route", "retention_months"]

    def clean_complaints(self):
        n = self.cleaned_data["complaints"]
        if not 1 <= n <= 3:
            raise forms.ValidationError("The threshold must be between 1 and 3 complaints (the "
                                        "law allows no more than 3)")
        return n
