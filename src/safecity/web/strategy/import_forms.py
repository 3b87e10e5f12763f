"""Forms for importing an action plan: the upload, then the details confirmed after the preview."""

from __future__ import annotations

from pathlib import Path

from django import forms

from .forms import DATE_FORMATS, DATE_HINT

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a Word action plan is tens of kilobytes
EXTENSIONS = (".docx", ".xlsx", ".csv")
NEW = "new"  # the choice meaning "a new agency with the name in the file"


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

    def __init__(self, *args, has_updates: bool = False, matches=(), partner_choices=(),
                 own_agency=None, **kwargs):
        """``matches``: one ``AgencyMatch`` per lead agency named in the file; the form asks
        which agency each name is (an existing one, or a new agency). ``partner_choices``:
        the agencies that may be chosen as partners, as ``(agency, ticked by default)``.
        ``own_agency`` is always a partner (a coordinator cannot import a strategy they
        cannot see)."""
        super().__init__(*args, **kwargs)
        if not has_updates:
            for name in ("import_updates", "cycle_name", "meeting_date"):
                del self.fields[name]
        self.matches, self.own_agency = tuple(matches), own_agency
        self.agencies = {}
        for number, match in enumerate(self.matches):
            field = f"agency_{number}"
            for agency in match.candidates:
                self.agencies[str(agency.pk)] = agency
            self.fields[field] = forms.ChoiceField(
                label=f"\u201c{match.name}\u201d in the file is",
                choices=[(NEW, f"A new agency called {match.name}")]
                + [(str(a.pk), a.name) for a in match.candidates],
                initial=str(match.agency.pk) if match.agency else NEW)
        for agency, _ticked in partner_choices:
            self.agencies[str(agency.pk)] = agency
        self.fields["partners"] = forms.MultipleChoiceField(
            label="Partners: the agencies that can see this strategy and report on it",
            help_text=(f"{own_agency.name} is always a partner. " if own_agency else "")
            + "New agencies from the file are added as partners. Agencies outside your "
              "partnership see nothing of it unless you tick them here.",
            widget=forms.CheckboxSelectMultiple, required=False,
            choices=[(str(a.pk), a.name) for a, _ in partner_choices],
            initial=[str(a.pk) for a, ticked in partner_choices if ticked])

    def agency_fields(self):
        return [self[f"agency_{number}"] for number in range(len(self.matches))]

    def resolved(self) -> tuple[dict[str, object], list[object]]:
        """After validation: each file name's agency (None for a new one) and the partners."""
        chosen = {m.name: self.agencies.get(self.cleaned_data.get(f"agency_{n}", NEW))
                  for n, m in enumerate(self.matches)}
        partners = [self.agencies[pk] for pk in self.cleaned_data.get("partners", [])]
        return chosen, partners

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end date must be after the start date")
        if self.matches and "partners" not in self.errors:
            chosen, partners = self.resolved()
            allowed = {a.pk for a in partners} | ({self.own_agency.pk} if self.own_agency else set())
            for number, match in enumerate(self.matches):
                agency = chosen[match.name]
                if agency is None and match.taken:
                    self.add_error(f"agency_{number}", f"safecity already has an agency called "
                                   f"{match.taken}. Choose it from the list")
                elif agency is not None and agency.pk not in allowed:
                    self.add_error("partners", f"{agency.name} leads actions in this plan, so "
                                   f"it must be a partner. Tick it, or choose another agency "
                                   f"for \u201c{match.name}\u201d")
        if data.get("import_updates"):
            if not (data.get("cycle_name") or "").strip():
                self.add_error("cycle_name", "Enter a name for the reporting cycle that holds "
                               "the updates")
            if not data.get("meeting_date") and "meeting_date" not in self.errors:
                self.add_error("meeting_date", "Enter the date of the meeting the updates were "
                               "written for")
        return data
