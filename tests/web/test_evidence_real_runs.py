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


def test_the_run_page_maps_the_published_lsoa_rates_with_their_table_twin(runs, world, client):
    """The map on a run's page is the report's map (boundary lines, names) with every LSOA a
    keyboard stop named with the rate the run published in tables/crime_by_lsoa.csv, read here
    with the csv module; its table twin gives the same values."""
    import csv
    import re
    from html import unescape

    run = services.store(read_directory(runs / "annual"), world.strategy,
                         world.users["analyst"], publish=True)
    client.force_login(world.users["councillor"])
    page = client.get(run.get_absolute_url()).content.decode()
    svg = re.search(r'<svg [^>]*role="group".*?</svg>', page, re.S).group(0)
    assert re.findall(r'class="la-line" data-authority="([^"]+)"', svg) == ["Southampton"]
    assert {"Eastleigh", "Test Valley"} <= set(re.findall(r'class="map-label">([^<]+)</text>',
                                                          svg))
    with (runs / "annual" / "tables" / "crime_by_lsoa.csv").open(encoding="utf-8") as fh:
        published = {r["lsoa11_code"]: r for r in csv.DictReader(fh)}
    stops = dict((code, unescape(label)) for label, code in re.findall(
        r'<g class="map-area" tabindex="0" role="img" aria-label="([^"]+)" data-code="([^"]+)">',
        svg))
    assert set(stops) == set(published) and len(stops) == 148
    assert len(re.findall(r'stroke="#ffffff" stroke-width="0.6"', svg)) == 148
    table = re.search(r'<table class="govuk-table" id="run-map-table">.*?</table>', page,
                      re.S).group(0)
    twin = dict(re.findall(r'<th scope="row" class="govuk-table__header">(E\d+)</th>'
                           r'(?:<td[^>]*>[^<]*</td>){2}<td[^>]*>([^<]+)</td>', table))
    for code, row in published.items():
        value = row["rate"] if row["rate"] != "[c]" else "[c] (withheld)"
        shown = value.rstrip("0").rstrip(".") if "." in value else value
        assert stops[code] == (f"{row['lsoa_name']} ({code}); Crimes per 1,000 residents: "
                               f"{shown}"), code
        assert twin[code] == shown, code


def test_a_withheld_published_rate_stays_withheld_on_the_map_and_in_its_table():
    from safecity.web import maps

    data = ("lsoa11_code,lsoa_name,ward_name,rate\nE01017136,Southampton 023A,Bargate,[c]\n"
            "E01017137,Southampton 023B,Bargate,9.25\nE01017138,Southampton 023C,Bargate,\n"
            ).encode()
    found = maps.published_lsoa_map(data, period_label="2019/20")
    assert [r[3] for r in found.rows] == ["[c] (withheld)", "9.25", "no value"]
    assert 'aria-label="Southampton 023A (E01017136), Bargate ward; Crimes per 1,000 ' \
           'residents: [c] (withheld)"' in found.svg
    assert found.svg.count('url(#run-map-novalue)') == 3  # two areas hatched and the legend
    assert maps.published_lsoa_map(b"ward,rate\nBargate,3\n", period_label="x") is None
