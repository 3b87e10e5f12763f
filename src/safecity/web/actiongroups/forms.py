"""The group's set-up form, and a problem's forms: opening and editing (place, type, owner and
the SARA/OSARA plan), an action, a review at a meeting, and closing with the before-and-after
comparison."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from ...engine import periods
from ...engine.errors import SafecityError
from ...engine.problem_solving import CRIME_TYPES, parse_polygon
from ..strategy.forms import DATE_FORMATS, DATE_HINT
from .models import ActionGroup, Problem, Review

LSOA = re.compile(r"[EW]0\d{7}")
MONTH_HINT = "For example, 2020-03"


def _date(label: str, what: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, help_text=DATE_HINT,
                           required=required, error_messages={
                               "required": f"Enter {what}",
                               "invalid": f"Enter {what} as a real date, for example 27/03/2025"})


def lsoa_codes(text: str, known: dict[str, str] | None) -> list[str]:
    """LSOA codes from text (separated by commas, spaces or lines); ValidationError naming any
    that is not a code, or not one of the partnership's (``known``, when known)."""
    codes = [c.upper() for c in re.split(r"[\s,;]+", text or "") if c]
    bad = [c for c in codes if not LSOA.fullmatch(c)]
    if bad:
        raise forms.ValidationError(f"{bad[0]} is not an LSOA code: enter codes like E01017140")
    if known:
        outside = [c for c in codes if c not in known]
        if outside:
            raise forms.ValidationError(f"{outside[0]} is not in the partnership's area")
    return sorted(dict.fromkeys(codes))


def _polygon(text: str) -> str:
    try:
        parse_polygon(text)
    except SafecityError as exc:
        raise forms.ValidationError(exc.message) from None
    return text.strip()


class GroupForm(forms.ModelForm):
    class Meta:
        model = ActionGroup
        fields = ["name", "sector", "meets", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        error_messages = {"name": {"required": "Enter the group's name"},
                          "sector": {"required": "Enter the policing sector"},
                          "members": {"required": "Select at least one member agency"}}

    def __init__(self, *args, agencies=(), sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = agencies
        self.fields["members"].label_from_instance = lambda a: a.name
        self.sectors = tuple(sectors)
        if self.sectors:
            self.fields["sector"].help_text = ("One of the partnership's sectors: "
                                               + ", ".join(self.sectors) + ".")

    def clean_sector(self):
        """With the partnership's geography loaded, one of its sectors (as it spells it)."""
        sector = self.cleaned_data["sector"].strip()
        if self.sectors:
            match = {s.lower(): s for s in self.sectors}.get(sector.lower())
            if match is None:
                raise forms.ValidationError(
                    f"{sector} is not a sector of the partnership's geography: enter one of "
                    + ", ".join(self.sectors))
            sector = match
        return sector


class ProblemForm(forms.ModelForm):
    lsoa_text = forms.CharField(
        label="LSOAs", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The LSOA codes of the place, separated by commas, for example "
                  "E01017140, E01017141.")
    drawn_area = forms.CharField(
        label="Or a drawn area", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Its corners, one a line, as easting, northing in metres (British National "
                  "Grid), for example 442000, 112000.")

    class Meta:
        model = Problem
        fields = ["title", "kind", "owner", "place_description", "objectives", "scanning",
                  "analysis", "response", "assessment"]
        labels = {"objectives": "Objectives", "scanning": "Scanning: what is the problem?",
                  "analysis": "Analysis: why is it happening?",
                  "response": "Response: what will be done?",
                  "assessment": "Assessment: how will we know it worked?"}
        widgets = {"kind": forms.RadioSelect, **{f: forms.Textarea(attrs={"rows": 3}) for f in (
            "objectives", "scanning", "analysis", "response", "assessment")}}
        error_messages = {"title": {"required": "Enter a title for the problem"},
                          "kind": {"required": "Select the type of problem"},
                          "owner": {"required": "Select the agency that owns the problem"},
                          "place_description": {"required": "Describe the place"}}

    def __init__(self, *args, agencies=(), known_lsoas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known_lsoas
        self.fields["owner"].queryset = agencies
        self.fields["owner"].empty_label = "Choose an agency"
        if self.instance.pk and not self.is_bound:
            self.initial["lsoa_text"] = ", ".join(self.instance.lsoas)

    def clean_lsoa_text(self):
        return lsoa_codes(self.cleaned_data.get("lsoa_text"), self.known)

    def clean_drawn_area(self):
        return _polygon(self.cleaned_data.get("drawn_area") or "")

    def clean(self):
        data = super().clean()
        if (not self.errors.get("lsoa_text") and not self.errors.get("drawn_area")
                and not data.get("lsoa_text") and not data.get("drawn_area")):
            self.add_error("lsoa_text", "Enter the place's LSOAs or draw its area")
        return data

    def save(self, commit=True):
        problem = super().save(commit=False)
        problem.lsoas = self.cleaned_data["lsoa_text"]
        problem.drawn_area = self.cleaned_data["drawn_area"]
        if commit:
            problem.save()
        return problem


class TaskForm(forms.Form):
    text = forms.CharField(label="Action", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Enter the action"})
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Choose an agency",
                                   error_messages={"required": "Select the agency that owns it"})
    due_on = _date("Due by", "the date it is due")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agencies


class ReviewForm(forms.Form):
    meeting_on = _date("Meeting date", "the meeting date")
    notes = forms.CharField(label="Progress since the last meeting", max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Enter the progress"})
    decision = forms.ChoiceField(label="What did the group decide?", choices=Review.Decision.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select what the group decided"})

    def clean_meeting_on(self):
        day = self.cleaned_data["meeting_on"]
        if day > dt.date.today():
            raise forms.ValidationError("The meeting date must be today or in the past")
        return day


def _month(value: str, what: str) -> str:
    try:
        year, number = periods.parse_month(value or "", what)
    except SafecityError:
        raise forms.ValidationError(f"Enter the {what} as a month, for example 2020-03")
    return f"{year:04d}-{number:02d}"


class CloseForm(forms.Form):
    crime_type = forms.ChoiceField(label="Compare", choices=list(CRIME_TYPES.items()),
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Select what to compare"})
    before_first = forms.CharField(label="Before: first month", help_text=MONTH_HINT)
    before_last = forms.CharField(label="Before: last month", help_text=MONTH_HINT)
    after_first = forms.CharField(label="After: first month", help_text=MONTH_HINT)
    after_last = forms.CharField(label="After: last month", help_text=MONTH_HINT)
    control_text = forms.CharField(
        label="Control area (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="LSOA codes of a similar place the response did not reach. With one, the "
                  "result includes a weighted displacement difference.")
    closing_note = forms.CharField(label="Assessment: what changed, and why close now?",
                                   max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                   error_messages={"required": "Enter the assessment"})

    def __init__(self, *args, known_lsoas=None, place_lsoas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known, self.place_lsoas = known_lsoas, set(place_lsoas)
        for name in ("before_first", "before_last", "after_first", "after_last"):
            label = self.fields[name].label.lower().replace(": ", " ")
            self.fields[name].error_messages["required"] = f"Enter the {label}"

    def clean_before_first(self):
        return _month(self.cleaned_data.get("before_first"), "first month before")

    def clean_before_last(self):
        return _month(self.cleaned_data.get("before_last"), "last month before")

    def clean_after_first(self):
        return _month(self.cleaned_data.get("after_first"), "first month after")

    def clean_after_last(self):
        return _month(self.cleaned_data.get("after_last"), "last month after")

    def clean_control_text(self):
        codes = lsoa_codes(self.cleaned_data.get("control_text"), self.known)
        if set(codes) & self.place_lsoas:
            raise forms.ValidationError("The control area must not overlap the problem's place")
        return codes
