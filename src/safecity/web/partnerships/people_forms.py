"""Forms for setting up a partnership: agencies, invitations and people's roles."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from .models import Agency


class AgencyForm(forms.ModelForm):
    strategies = forms.ModelMultipleChoiceField(
        label="Partner in", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The strategies whose pages this agency's people can see.")

    class Meta:
        model = Agency
        fields = ["name", "short_name", "email"]
        labels = {"name": "Agency name", "short_name": "Short name (optional)",
                  "email": "Shared inbox (optional)"}
        help_texts = {"short_name": "For example, Police",
                      "email": "Reminders and notices also go here, for example "
                               "community.safety@example.gov.uk"}
        error_messages = {"name": {"required": "Enter the agency's name",
                                   "unique": "An agency with this name already exists"},
                          "email": {"invalid": "Enter an email address in the correct format, "
                                               "like name@example.com"}}

    def __init__(self, *args, strategies, require_strategy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategies"].queryset = strategies
        self.require_strategy = require_strategy
        if self.instance.pk:
            self.initial["strategies"] = list(self.instance.strategies.filter(
                pk__in=strategies).values_list("pk", flat=True))
        else:
            self.initial["strategies"] = list(strategies.values_list("pk", flat=True))

    def clean_strategies(self):
        chosen = self.cleaned_data["strategies"]
        if self.require_strategy and not chosen:
            raise forms.ValidationError("Select at least one strategy, so the agency is part "
                                        "of your partnership")
        return chosen


class PersonForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150,
                                 error_messages={"required": "Enter their first name"})
    last_name = forms.CharField(label="Last name", max_length=150,
                                error_messages={"required": "Enter their last name"})
    agency = forms.ModelChoiceField(label="Agency", queryset=None, empty_label=None)
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect, choices=(),
                             error_messages={"required": "Select a role"})
    job_title = forms.CharField(label="Job title (optional)", max_length=120, required=False)

    def __init__(self, *args, agencies, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["role"].choices = roles


class InviteForm(PersonForm):
    email = forms.EmailField(label="Email address", help_text="The invitation goes here; it is "
                             "also their user name.", max_length=150,
                             error_messages={"required": "Enter their email address",
                                             "invalid": "Enter an email address in the correct "
                                                        "format, like name@example.com"})
    field_order = ["first_name", "last_name", "email", "agency", "role", "job_title"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists() or \
                User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account")
        return email


class ChoosePasswordForm(SetPasswordForm):
    """Django's set-password form with GOV.UK wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password1"].help_text = ("At least 12 characters. Not a common "
                                                  "password, not only numbers, and not like "
                                                  "your name or email address.")
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password1"].error_messages["required"] = "Choose a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"
