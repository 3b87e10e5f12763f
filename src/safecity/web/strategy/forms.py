"""Forms, with GOV.UK wording: labels ask the question, hints explain, errors say how to fix."""

from __future__ import annotations

from django import forms

from ..partnerships.models import Agency
from .models import Action, Rag, ReportingCycle, Strategy

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "For example, 27/03/2025"


TEXT_LIMIT = 10000  # characters in a progress update: the form's maxlength and the server's


class UpdateForm(forms.Form):
    """A draft may be saved incomplete; only submitting needs a RAG status and the text.

    The limit is shown as you type (GOV.UK character count) and enforced here; without
    JavaScript the textarea's ``maxlength`` stops typing at the limit, so an over-long text is
    never sent silently."""

    rag = forms.ChoiceField(label="How is this action progressing?", choices=Rag.choices,
                            widget=forms.RadioSelect, required=False)
    text = forms.CharField(label="Progress update", required=False,
                           widget=forms.Textarea(attrs={"rows": 10, "maxlength": TEXT_LIMIT}),
                           help_text="What has been done since the last meeting, what is next, "
                           "and anything the partnership should know.")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    limit, limit_text = TEXT_LIMIT, f"{TEXT_LIMIT:,}"

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean_text(self):
        # Browsers send a line break as CR LF but count it as one character, as people do.
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) > TEXT_LIMIT:
            raise forms.ValidationError(
                f"Progress update must be {TEXT_LIMIT:,} characters or fewer: this one has "
                f"{len(text):,}, so remove {len(text) - TEXT_LIMIT:,}")
        return text

    def clean(self):
        data = super().clean()
        if self.submitting:
            if not data.get("rag") and "rag" not in self.errors:
                self.add_error("rag", "Select a RAG status before you submit")
            if not data.get("text") and "text" not in self.errors:
                self.add_error("text", "Enter the progress update before you submit")
        return data


class RagMeaningsForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["partnership", "rag_red", "rag_amber", "rag_green", "rag_complete"]
        error_messages = {f: {"required": f"Say what {label} means"} for f, label in [
            ("rag_red", "Red"), ("rag_amber", "Amber"), ("rag_green", "Green"),
            ("rag_complete", "Complete")]}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=[("approve", "Approve"),
                                 ("return", "Return to the lead agency")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select approve or return"})
    comment = forms.CharField(label="Comment for the lead agency", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              help_text="Needed when you return the update: say what to change.")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter a comment saying what the lead agency should change")
        return data


class CycleForm(forms.ModelForm):
    meeting_date = forms.DateField(label="Meeting date", input_formats=DATE_FORMATS,
                                   help_text=DATE_HINT,
                                   error_messages={"required": "Enter the meeting date",
                                                   "invalid": "Enter the meeting date as a real "
                                                   "date, for example 27/03/2025"})
    deadline = forms.DateField(label="Deadline for updates", input_formats=DATE_FORMATS,
                               help_text="The date by which lead agencies submit. " + DATE_HINT,
                               error_messages={"required": "Enter the deadline for updates",
                                               "invalid": "Enter the deadline as a real date, "
                                               "for example 20/03/2025"})

    class Meta:
        model = ReportingCycle
        fields = ["name", "meeting_date", "deadline"]
        labels = {"name": "Name of the cycle"}
        help_texts = {"name": "For example, March 2025 partnership meeting"}
        error_messages = {"name": {"required": "Enter a name for the cycle"}}

    def clean(self):
        data = super().clean()
        meeting, deadline = data.get("meeting_date"), data.get("deadline")
        if meeting and deadline and deadline > meeting:
            self.add_error("deadline", "The deadline for updates must be on or before the "
                           "meeting date")
        return data


class ActionForm(forms.ModelForm):
    target_date = forms.DateField(label="Target date", required=False,
                                  input_formats=DATE_FORMATS, help_text=DATE_HINT,
                                  error_messages={"invalid": "Enter the target date as a real "
                                                  "date, for example 31/03/2026"})

    class Meta:
        model = Action
        fields = ["text", "all_agencies_lead", "lead_agencies", "supporting_agencies",
                  "target_date", "indicators"]
        labels = {"text": "Action", "all_agencies_lead": "All partner agencies lead this action",
                  "lead_agencies": "Lead agencies", "supporting_agencies": "Supporting agencies",
                  "indicators": "Indicators that measure it"}
        widgets = {"lead_agencies": forms.CheckboxSelectMultiple,
                   "supporting_agencies": forms.CheckboxSelectMultiple,
                   "indicators": forms.CheckboxSelectMultiple,
                   "text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": "Enter the action"}}

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        partners = strategy.partners.all() if strategy else Agency.objects.all()
        self.fields["lead_agencies"].queryset = partners
        self.fields["supporting_agencies"].queryset = partners
        from ..dashboards.models import Indicator
        self.fields["indicators"].queryset = Indicator.objects.filter(
            priority__strategy=strategy) if strategy else Indicator.objects.all()

    def clean(self):
        data = super().clean()
        if not data.get("all_agencies_lead") and not data.get("lead_agencies"):
            self.add_error("lead_agencies", "Select at least one lead agency, or tick that all "
                           "partner agencies lead")
        return data


class ScheduleForm(forms.ModelForm):
    meetings_per_year = forms.TypedChoiceField(
        label="How many partnership meetings a year?", coerce=int,
        choices=[(n, f"{n} a year (every {12 // n} month{'s' if n < 12 else ''})")
                 for n in (1, 2, 3, 4, 6, 12)],
        error_messages={"required": "Select how many meetings a year",
                        "invalid_choice": "Select how many meetings a year"})
    first_meeting = forms.DateField(label="Date of the first meeting", input_formats=DATE_FORMATS,
                                    help_text="Later meetings fall on the same day of the month. "
                                    + DATE_HINT, error_messages={
                                        "required": "Enter the date of the first meeting",
                                        "invalid": "Enter the first meeting as a real date, for "
                                                   "example 15/06/2020"})
    deadline_days = forms.IntegerField(
        label="How many days before each meeting are updates due?", min_value=0,
        max_value=90, error_messages={"required": "Enter how many days before each meeting "
                                                  "updates are due",
                                      "invalid": "Enter a whole number of days, like 10",
                                      "min_value": "Enter 0 days or more",
                                      "max_value": "Enter 90 days or fewer"})

    class Meta:
        model = Strategy
        fields = ["meetings_per_year", "first_meeting", "deadline_days", "concurrent_cycles"]
        labels = {"concurrent_cycles": "Allow more than one reporting cycle to be open at a time"}
