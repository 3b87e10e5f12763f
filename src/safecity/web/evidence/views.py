"""Published evidence: the partnership's runs, one run (its report inside the app's layout,
its files to download), the upload and the publish button.

Access is ``access.get_evidence_partnership`` / ``access.get_evidence_run`` (outsiders 404;
runs not yet published, or restricted, 403). Every view of a run, its report or a file is
audited (``audit.record_view``): the log says who read which run and when.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from ...engine.errors import SourceError
from .. import access, maps
from ..partnerships.audit import record_view
from . import services
from .bundle import read_zip
from .forms import RunUploadForm
from .models import Run, RunFile

#: Sent with a run's HTML: it is shown in a frame of the run's page, runs no script, and
#: loads nothing but its own inline styles, images held inline and files of the same run.
REPORT_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                 "img-src 'self' data:; frame-ancestors 'self'")
#: Sent with every other file: nothing in it may run.
FILE_POLICY = "sandbox; default-src 'none'"


def runs(request, pk: int):
    strategy, can_publish = access.get_evidence_partnership(request, pk)
    return render(request, "evidence/runs.html", {
        "strategy": strategy, "runs": access.visible_runs(request, strategy),
        "can_publish": can_publish})


def upload(request, pk: int):
    strategy, can_publish = access.get_evidence_partnership(request, pk)
    access.require(can_publish)
    form = RunUploadForm(request.POST or None, request.FILES or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["run"]
        try:
            bundle = read_zip(upload_file.read(), upload_file.name)
        except SourceError as err:
            problem = err.message
        else:
            run = services.store(bundle, strategy, request.user,
                                 restricted=form.cleaned_data["restricted"])
            messages.success(request, f"{run.title} is uploaded as version {run.version}. "
                             "Check it, then publish it to the partnership.")
            return redirect(run)
    return render(request, "evidence/upload.html", {
        "strategy": strategy, "form": form, "problem": problem})


def _files(run: Run):
    return list(run.files.defer("data"))


def run_detail(request, pk: int):
    run, can_publish = access.get_evidence_run(request, pk)
    record_view(request, run)
    files = _files(run)
    names = {f.name for f in files}
    for f in files:  # the report's tables (tables/*.csv) are listed apart, folded away
        f.is_table = f.name.startswith("tables/")
    others = [r for r in access.visible_runs(request, run.partnership)
              if r.pk != run.pk and r.kind == run.kind and r.period_end == run.period_end
              and r.period_start == run.period_start and r.area_code == run.area_code]
    run_map = None
    if maps.PUBLISHED_LSOA_TABLE in names:
        table = RunFile.objects.get(run=run, name=maps.PUBLISHED_LSOA_TABLE)
        run_map = maps.published_lsoa_map(bytes(table.data), period_label=run.period_label)
    return render(request, "evidence/run.html", {
        "run": run, "can_publish": can_publish, "files": files,
        "has_report": "report.html" in names, "has_pdf": "report.pdf" in names,
        "tables": [f for f in files if f.is_table],
        "others": others, "map": run_map})


@require_POST
def publish(request, pk: int):
    run, can_publish = access.get_evidence_run(request, pk)
    access.require(can_publish)
    if not run.is_published:
        services.publish_run(run, request.user)
        messages.success(request, f"{run.title} (version {run.version}) is published to the "
                         "partnership.")
    return redirect(run)


@xframe_options_sameorigin
def run_file(request, pk: int, name: str):
    """One file of the run: its HTML inline (sandboxed, framed by the run's page), every other
    file as a download."""
    run, _ = access.get_evidence_run(request, pk)
    try:
        item = RunFile.objects.get(run=run, name=name)
    except RunFile.DoesNotExist:
        raise Http404(access.NOT_FOUND) from None
    record_view(request, run, text=f"{run} file {name}")
    content_type, inline = services.content_type(name)
    response = HttpResponse(bytes(item.data), content_type=content_type)
    response["Content-Security-Policy"] = REPORT_POLICY if inline else FILE_POLICY
    if not inline:
        filename = f"{run.area_code}-{run.period_label}-v{run.version}-{name}".replace(
            "/", "-").replace(" ", "-").replace('"', "")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
