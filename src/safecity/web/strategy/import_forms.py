"""Forms for importing an action plan: the upload, then the details confirmed after the preview."""

from __future__ import annotations

from pathlib import Path

from django import forms

from .forms import DATE_FORMATS, DATE_HINT

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a Word action plan is tens of kilobytes
EXTENSIONS = (".docx", ".xlsx", ".csv")


class PlanUploadForm(forms.Form):
    plan = forms.FileField(
        label="Upload the action plan or progress table",
        help_text="A Word (.docx), Excel (.xlsx) or CSV file with the columns Priority, Action, "
                  "Lead Agency and, if you have them, Update. Up to 5 MB.",
        error_messages={"required": "Select the file to import",
                        "empty": "The selected file is empty"})

    def clean_plan(self):
        upload = self.cleaned_data["plan"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("The selected file must be a .docx, .xlsx or .csv file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload


def _date(label: str, what: str, example: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, required=required,
                           help_text=f"For example, {example}",
                           error_messages={"required": f"Enter the {what}",
                                           "invalid": f"Enter the {what} as a real date, for "
                                           f"example {example}"})


class PlanConfirmForm(forms.Form):
    title = forms.CharField(label="Name of the strategy", max_length=200,
                            help_text="For example, Safer City Strategy 2025 to 2028",
                            error_messages={"required": "Enter the name of the strategy"})
    start = _date("Start date", "start date", "01/04/2025")
    end = _date("End date", "end date", "31/03/2028")
    import_updates = forms.BooleanField(
        label="Keep the updates in the table as a closed reporting cycle", required=False)
    cycle_name = forms.CharField(label="Name of that reporting cycle", max_length=120,
                                 required=False,
                                 help_text="Needed when you keep the updates. For example, "
                                           "December 2024 partnership meeting")
    meeting_date = _date("Date of that meeting", "date of that meeting", "12/12/2024",
                         required=False)

    def __init__(self, *args, has_updates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_updates:
            for name in ("import_updates", "cycle_name", "meeting_date"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end date must be after the start date")
        if data.get("import_updates"):
            if not (data.get("cycle_name") or "").strip():
                self.add_error("cycle_name", "Enter a name for the reporting cycle that holds "
                               "the updates")
            if not data.get("meeting_date") and "meeting_date" not in self.errors:
                self.add_error("meeting_date", "Enter the date of the meeting the updates were "
                               "written for")
        return data
