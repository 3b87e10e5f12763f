"""The register entry form, and the audit export's date range.

The form only collects the keys of a register entry; whether they make a valid entry is the
engine's rule (``register.parse_entry``), asked here so the page and the YAML file agree."""

from __future__ import annotations

from django import forms

from ...engine import contract
from ...engine.errors import SafecityError
from ...engine.governance import register

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
DATE_HELP = "For example, 2020-04-01 or 01/04/2020"
RECORD_SOURCES = [(s, s) for s in contract.SOURCES
                  if s not in register.OPEN_SOURCES and s not in register.OWN_SOURCES]


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           help_text=DATE_HELP, error_messages={
                               "required": f"Enter the {label.lower()}",
                               "invalid": f"Enter the {label.lower()} as a real date, "
                                          f"like 2020-04-01"})


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int | None = None,
          max_length: int = 2000) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, help_text=help_text,
                           max_length=max_length, widget=widget,
                           error_messages={"required": f"Enter the {label.lower()}"})


class EntryForm(forms.Form):
    source = forms.ChoiceField(label="Source kind", choices=RECORD_SOURCES,
                               error_messages={"required": "Select the source kind"})
    supplier = _text("Supplier", help_text="The agency that supplies the data, for example "
                                           "Hampshire Constabulary", max_length=200)
    isa_reference = _text("Agreement reference", help_text="The information sharing "
                          "agreement's reference, for example SCSP-ISA-2020", max_length=200)
    isa_parties = _text("Parties to the agreement", rows=4, help_text="One agency per line")
    isa_start = _date("Agreement start date")
    isa_review = _date("Agreement review date")
    isa_document = _text("Link to the agreement (optional)", required=False, max_length=500,
                         help_text="Recorded, never opened by safecity")
    purpose = _text("Purpose", rows=3)
    legal_basis = _text("Legal basis", rows=3, help_text="The UK GDPR Article 6 basis, and the "
                        "Article 9 or 10 condition with its DPA 2018 Schedule 1 paragraph")
    law_enforcement_basis = _text(
        "Law enforcement basis", required=False, rows=2,
        help_text="Needed for police data: the DPA 2018 Part 3 condition relied on")
    fields_shared = _text("Fields shared (optional)", required=False, rows=2,
                          help_text="Column names separated by commas; leave empty for every "
                                    "column the source writes")
    retention_months = forms.IntegerField(
        label="Retention in months", min_value=1, max_value=1200,
        help_text="How long record-level rows are kept before they are purged",
        error_messages={"required": "Enter the retention in months",
                        "invalid": "Enter the retention as a whole number of months",
                        "min_value": "Retention must be at least 1 month",
                        "max_value": "Retention must be 1200 months or fewer"})
    quarterly_return = forms.BooleanField(
        label="The supplier makes a prescribed quarterly return (SI 2007/1831)", required=False)
    contact_name = _text("Contact name", max_length=200)
    contact_email = forms.EmailField(label="Contact email (optional)", required=False,
                                     help_text="Reminders about late returns go here",
                                     error_messages={"invalid": "Enter an email address in the "
                                                     "correct format, like name@example.com"})

    def __init__(self, *args, editing: register.SourceEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:  # the source and supplier name the entry: fixed once saved
            for name in ("source", "supplier"):
                self.fields[name].disabled = True
            self.initial.update(initial_from(editing))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        review, start = data.get("isa_review"), data.get("isa_start")
        if review and start and review < start:
            self.add_error("isa_review", "The review date must be the same as or after the "
                                         "start date")
            return data
        if data["source"] in register.POLICE_SOURCES and not data.get("law_enforcement_basis"):
            self.add_error("law_enforcement_basis", "Enter the law enforcement basis: police "
                                                    "data are processed under DPA 2018 Part 3")
            return data
        try:
            self.entry = register.parse_entry(self.yaml_data(), "This entry")
        except SafecityError as exc:
            raise forms.ValidationError(exc.message) from None
        if self.editing is None and self.entry.id in self.existing_ids:
            raise forms.ValidationError(f"The register already has an entry for {data['source']}"
                                        f" data from {data['supplier']}: change that one")
        return data

    existing_ids: set[str] = set()

    def yaml_data(self) -> dict:
        d = self.cleaned_data
        fields = [f.strip() for f in d.get("fields_shared", "").replace("\n", ",").split(",")
                  if f.strip()]
        return {"source": d["source"], "supplier": d["supplier"].strip(),
                "isa": {"reference": d["isa_reference"].strip(),
                        "parties": [p.strip() for p in d["isa_parties"].splitlines() if p.strip()],
                        "start": d["isa_start"], "review": d["isa_review"],
                        "document": d.get("isa_document", "").strip()},
                "purpose": d["purpose"].strip(), "legal_basis": d["legal_basis"].strip(),
                "law_enforcement_basis": d.get("law_enforcement_basis", "").strip(),
                "fields": fields, "retention_months": d["retention_months"],
                "quarterly_return": d.get("quarterly_return", False),
                "contact": {"name": d["contact_name"].strip(),
                            "email": d.get("contact_email", "").strip()}}


def initial_from(entry: register.SourceEntry) -> dict:
    return {"source": entry.source, "supplier": entry.supplier,
            "isa_reference": entry.isa.reference, "isa_parties": "\n".join(entry.isa.parties),
            "isa_start": entry.isa.start.isoformat(), "isa_review": entry.isa.review.isoformat(),
            "isa_document": entry.isa.document, "purpose": entry.purpose,
            "legal_basis": entry.legal_basis,
            "law_enforcement_basis": entry.law_enforcement_basis,
            "fields_shared": ", ".join(entry.fields), "retention_months": entry.retention_months,
            "quarterly_return": entry.quarterly_return, "contact_name": entry.contact.name,
            "contact_email": entry.contact.email}


class DateRangeForm(forms.Form):
    start = _date("From date", required=False)
    end = _date("To date", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The to date must be the same as or after the from date")
        return data
