"""What ``safecity assess`` really writes publishes as it is: an assessment run and a monthly
pack built by the engine from a month of data.police.uk (the shared Hampshire file), so a new
kind of output file in either (a chart, a map, a summary document) is noticed here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from safecity.web.evidence import services  # noqa: E402
from safecity.web.evidence.bundle import read_directory  # noqa: E402


@pytest.fixture(scope="module")
def runs(tmp_path_factory, shared_data):
    from safecity.engine.assessment import output
    from safecity.engine.assessment.build import build_assessment
    from safecity.engine.assessment.monthly import build_monthly_pack
    from safecity.engine.ingest.run import ingest_paths

    home = tmp_path_factory.mktemp("evidence-real")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    wh = home / "warehouse"
    ingest_paths([shared_data / "police-uk" / "hampshire" / "2019-01-hampshire-street.csv.gz"],
                 source="police-uk", warehouse=wh)
    annual = build_assessment(warehouse=wh, period="2019-01..2019-01", partial=True)
    output.write(annual, home / "annual", pdf=False)
    pack = build_monthly_pack("2019-01", warehouse=wh, partial=True)
    output.write(pack, home / "monthly", pdf=False)
    mp.undo()
    return home


@pytest.mark.parametrize("folder, kind, title", [
    ("annual", "annual", "Strategic Assessment: Southampton, Jan 2019"),
    ("monthly", "monthly", "Monthly performance pack: Southampton"),
])
def test_the_engines_own_output_publishes_whole(runs, world, client, folder, kind, title):
    written = sorted(p.relative_to(runs / folder).as_posix()
                     for p in (runs / folder).rglob("*") if p.is_file())
    bundle = read_directory(runs / folder)
    assert sorted(bundle.files) == written  # every file, none refused or dropped
    run = services.store(bundle, world.strategy, world.users["analyst"], publish=True)
    assert run.kind == kind and run.title.startswith(title)
    client.force_login(world.users["councillor"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "app-report-frame" in page and "Download assessment.json" in page
    assert "Southampton" in client.get(
        f"{run.get_absolute_url()}files/report.html").content.decode()
