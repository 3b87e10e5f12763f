"""The partner's submission form and the analyst's triage form."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from ..strategy.forms import DATE_FORMATS
from .models import Intelligence

GRADES = [(str(n), label) for n, label in [
    (1, "1: known to be true"), (2, "2: known to the source, not the officer"),
    (3, "3: not personally known but corroborated"), (4, "4: cannot be judged"),
    (5, "5: suspected to be false")]]


class SubmitForm(forms.ModelForm):
    seen_on = forms.DateField(label="When was it seen?", input_formats=DATE_FORMATS,
                              help_text="For example, 27/03/2025", error_messages={
                                  "required": "Enter when it was seen",
                                  "invalid": "Enter a real date, for example 27/03/2025"})
    partnership = forms.TypedChoiceField(label="Partnership", coerce=int)

    class Meta:
        model = Intelligence
        fields = ["category", "what", "seen_on", "ward", "lsoa_code", "place", "reliability",
                   "handling", "conditions"]
        labels = {"category": "What kind of concern is it?", "what": "What was seen or heard?",
                  "ward": "Ward (if known)", "lsoa_code": "LSOA code (if known)",
                  "place": "Place (if there is no ward or LSOA)",
                  "reliability": "How reliable is the source?",
                  "handling": "Who may it be shared with?",
                  "conditions": "Conditions on sharing (for C)"}
        widgets = {"category": forms.RadioSelect, "reliability": forms.RadioSelect,
                   "handling": forms.RadioSelect, "what": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"what": {"required": "Enter what was seen or heard",
                                   "max_length": "Enter 4,000 characters or fewer"},
                          "category": {"required": "Select the kind of concern"},
                          "reliability": {"required": "Select how reliable the source is"},
                          "handling": {"required": "Select who it may be shared with"}}

    def __init__(self, *args, partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.pk, p.title) for p in partnerships]
        if len(partnerships) == 1:
            self.fields["partnership"].required = False
            self.fields["partnership"].widget = forms.HiddenInput()
            self.initial["partnership"] = partnerships[0].pk

    def clean(self):
        data = super().clean()
        if not (data.get("ward") or data.get("lsoa_code") or data.get("place")):
            self.add_error("ward", "Enter a ward, an LSOA code or a place")
        code = (data.get("lsoa_code") or "").strip().upper()
        if code and not re.fullmatch(r"[EW]010\d{5}", code):
            self.add_error("lsoa_code", "Enter an LSOA code like E01017140")
        data["lsoa_code"] = code
        if data.get("handling") == "C" and not data.get("conditions"):
            self.add_error("conditions", "Enter the conditions on sharing")
        if data.get("seen_on") and data["seen_on"] > dt.date.today():
            self.add_error("seen_on", "The date must be today or in the past")
        return data


class TriageForm(forms.Form):
    """``problems``: the open action group problems of the item's partnership (no other's)."""

    grade = forms.TypedChoiceField(label="Grade of the intelligence", choices=GRADES, coerce=int,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Select a grade"})
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        c for c in Intelligence.Status.choices if c[0] != "new"],
        error_messages={"required": "Select a decision"})
    linked_to = forms.CharField(label="Problem or hotspot it is linked to", max_length=200,
                                required=False)
    problem = forms.ModelChoiceField(label="Partnership Action Group problem (if it informs one)",
                                     queryset=None, required=False, empty_label="None")
    outcome = forms.CharField(label="Outcome or reason (the submitter sees this)",
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              required=False)

    def __init__(self, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = problems
        self.fields["problem"].label_from_instance = lambda p: f"{p}: {p.title} ({p.group})"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "linked" and not (data.get("linked_to")
                                                      or data.get("problem")):
            self.add_error("linked_to", "Enter the problem or hotspot, or choose the problem")
        if data.get("decision") == "nfa" and not data.get("outcome"):
            self.add_error("outcome", "Enter the reason for no further action")
        return data
