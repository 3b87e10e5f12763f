from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings

#: The largest zip the web form takes: the request limit less room for the form itself. A
#: larger run is published from the command line (``safecity web publish``).
MAX_UPLOAD_BYTES = settings.MAX_REQUEST_BYTES - 64 * 1024


class RunUploadForm(forms.Form):
    run = forms.FileField(
        label="Upload the run as a zip file",
        help_text="Zip the folder safecity assess wrote (assessment.json, the report, the CSV "
                  f"files) and upload the zip. Up to {MAX_UPLOAD_BYTES // 2**20} MB; publish a "
                  "larger run with safecity web publish.",
        error_messages={"required": "Select the zip file of the run",
                        "empty": "The selected file is empty"})
    restricted = forms.BooleanField(
        label="Restricted: for the partners' officers, not for read-only members",
        required=False)

    def clean_run(self):
        upload = self.cleaned_data["run"]
        if Path(upload.name).suffix.lower() != ".zip":
            raise forms.ValidationError("The selected file must be a .zip file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_BYTES // 2**20} MB")
        return upload
