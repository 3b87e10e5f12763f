"""Published evidence: an analyst uploads an assessment run or monthly pack (a zip of the folder
``safecity assess`` wrote, or the folder from the command line), publishes it, and partners read
its report inside the app and download its files; earlier versions stay; every view is audited;
bad uploads get one sentence and store nothing."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parent))
from evidence_runs import run_files, run_zip, stored_run  # noqa: E402

from safecity.web.evidence.models import Run  # noqa: E402
from safecity.web.partnerships.models import AuditEntry  # noqa: E402


def _upload(client, world, data: bytes, name="run.zip", **extra):
    return client.post(reverse("evidence:upload", args=[world.strategy.pk]),
                       {"run": SimpleUploadedFile(name, data, "application/zip"), **extra})


def test_an_analyst_uploads_a_run_and_members_read_it_only_once_published(client, world):
    client.force_login(world.users["analyst"])
    response = _upload(client, world, run_zip())
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.version, run.status, run.period_label) == (1, "draft", "2019/20")
    assert run.files.count() == 5

    client.force_login(world.users["councillor"])
    assert client.get(run.get_absolute_url()).status_code == 403
    listing = client.get(reverse("evidence:runs", args=[world.strategy.pk])).content.decode()
    assert run.get_absolute_url() not in listing

    client.force_login(world.users["analyst"])
    assert client.post(reverse("evidence:publish", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.is_published and run.published_by == world.users["analyst"]

    client.force_login(world.users["councillor"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Strategic Assessment: Test City, 2019/20" in page
    assert '<iframe class="app-report-frame"' in page and "report.html" in page
    assert "Download the report as PDF" in page and "Download assessment.json" in page
    assert "Publish to the partnership" not in page
    listing = client.get(reverse("evidence:runs", args=[world.strategy.pk])).content.decode()
    assert run.get_absolute_url() in listing


def test_publishing_the_same_period_again_keeps_every_earlier_version(client, world):
    first = stored_run(world)
    client.force_login(world.users["coordinator"])
    _upload(client, world, run_zip())
    second = Run.objects.exclude(pk=first.pk).get()
    assert second.version == 2 and not second.is_published
    monthly = stored_run(world, kind="monthly", year="March 2020", start="2020-03-01",
                         end="2020-03-31")
    assert monthly.version == 1 and monthly.title.startswith("Monthly performance pack")
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Other versions" in page and second.get_absolute_url() in page
    assert "Published" in page and "Analyst" in page  # who published it (their name)
    assert Run.objects.count() == 3


def test_a_restricted_run_is_not_for_read_only_members(client, world):
    run = stored_run(world, restricted=True)
    client.force_login(world.users["councillor"])
    assert client.get(run.get_absolute_url()).status_code == 403
    assert client.get(reverse("evidence:file", args=[run.pk, "report.pdf"])).status_code == 403
    client.force_login(world.users["probation_lead"])
    assert client.get(run.get_absolute_url()).status_code == 200


def test_every_view_of_a_run_and_its_files_is_audited(client, world):
    run = stored_run(world)
    client.force_login(world.users["police_lead"])
    client.get(run.get_absolute_url())
    client.get(reverse("evidence:file", args=[run.pk, "report.pdf"]))
    views = AuditEntry.objects.filter(verb="view", model="evidence.Run", object_id=str(run.pk))
    assert views.count() == 2
    assert {v.username for v in views} == {"police_lead"}
    assert any("report.pdf" in v.object_repr for v in views)


def test_the_report_opens_framed_and_sandboxed_and_files_download(client, world):
    run = stored_run(world)
    client.force_login(world.users["councillor"])
    report = client.get(reverse("evidence:file", args=[run.pk, "report.html"]))
    assert report.status_code == 200 and report["Content-Type"].startswith("text/html")
    assert "Test City assessment" in report.content.decode()
    assert report["Content-Security-Policy"].startswith("sandbox;")  # no script runs
    assert report["X-Frame-Options"] == "SAMEORIGIN"  # framed by the run's page only
    pdf = client.get(reverse("evidence:file", args=[run.pk, "report.pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    table = client.get(reverse("evidence:file", args=[run.pk, "tables/crime_by_ward.csv"]))
    # a formula typed into a CSV after the engine wrote it reaches no partner's spreadsheet
    assert b"'=HYPERLINK" in table.content and table["Content-Disposition"].startswith(
        "attachment;")
    missing = client.get(reverse("evidence:file", args=[run.pk, "tables/none.csv"]))
    assert missing.status_code == 404


def test_a_zip_of_the_folder_itself_is_read_as_the_run(client, world):
    client.force_login(world.users["analyst"])
    _upload(client, world, run_zip(folder="E22000120-2019-20/"))
    assert sorted(Run.objects.get().files.values_list("name", flat=True)) == [
        "assessment.json", "headlines.csv", "report.html", "report.pdf",
        "tables/crime_by_ward.csv"]


def _many_files() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(501):
            archive.writestr(f"tables/t{n}.csv", "a\r\n")
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("assessment.json", b"{}")
        archive.writestr("report.html", b" " * (51 * 2**20))  # a few kilobytes zipped
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, sentence", [
    (b"not a zip", "run.zip", "not a zip file, or it is damaged"),
    (run_zip({"report.html": b"<p>x</p>"}), "run.zip", "holds no assessment.json"),
    (run_zip({**run_files(), "../../etc/passwd.csv": b"x"}), "run.zip",
     "is outside the run folder"),
    (run_zip({**run_files(), "tool.exe": b"MZ"}), "run.zip", "is not a kind of file a run holds"),
    (run_zip({**run_files(), "assessment.json": b'{"schema": "other"}'}), "run.zip",
     "is not a safecity assessment"),
    (_many_files(), "run.zip", "holds 501 parts"),
    (_bomb(), "run.zip", "expands to more than 50 MB"),
    (run_zip(), "run.docx", "must be a .zip file"),
])
def test_a_bad_upload_gets_one_sentence_and_stores_nothing(client, world, data, name, sentence):
    client.force_login(world.users["analyst"])
    response = _upload(client, world, data, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert sentence in page and "Error:" in page
    assert Run.objects.count() == 0


def test_the_strategy_page_shows_the_published_assessments_figures_for_its_measures(
        client, world):
    client.force_login(world.users["councillor"])
    url = reverse("strategy:strategy", args=[world.strategy.pk])
    draft = stored_run(world, published=False)
    assert "In the published" not in client.get(url).content.decode()
    run = stored_run(world, restricted=True)
    assert "In the published" not in client.get(url).content.decode()  # not for members
    run.restricted = False
    run.save()
    page = client.get(url).content.decode()
    assert "In the published" in page and run.get_absolute_url() in page
    assert draft.get_absolute_url() not in page
    # the world's indicator measures recorded crime: the run's figure, unit and change
    assert '1,200<span class="app-unit"> count</span>' in page and "+20.0%" in page
    assert "Strategic Assessment and monthly packs" in page


def test_the_command_line_publishes_a_run_folder(world, tmp_path):
    from safecity.web.evidence.publishing import PublishError, publish_path

    folder = tmp_path / "run"
    for name, data in run_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"\0")  # what an operating system adds is left out
    run = publish_path(folder, username="analyst")
    assert run.is_published and run.files.count() == 5 and run.partnership == world.strategy
    assert publish_path(folder, username="coordinator", draft=True).version == 2
    with pytest.raises(PublishError, match="not an active analyst"):
        publish_path(folder, username="councillor")
    (folder / "assessment.json").unlink()
    from safecity.engine.errors import SourceError

    with pytest.raises(SourceError, match="holds no assessment.json"):
        publish_path(folder, username="analyst")
