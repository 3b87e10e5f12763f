"""The web app's map (``maps.lsoa_map_svg(..., focusable=True)``, #13): the report's map with
every area a keyboard stop whose accessible name and tooltip give its name, ward and the value
its table twin shows, withheld values withheld; the report's own map is unchanged."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from safecity.engine.assessment.model import Suppressed
from safecity.engine.report import maps


@pytest.fixture(scope="module")
def areas(shared_data):
    data = json.loads((shared_data / "boundaries" / "lsoa11_bsc_southampton.geojson")
                      .read_text(encoding="utf-8"))
    out = []
    for i, f in enumerate(sorted(data["features"], key=lambda f: f["properties"]["LSOA11CD"])):
        p = f["properties"]
        out.append({"code": p["LSOA11CD"], "name": p["LSOA11NM"], "value": 10 + i,
                    "lad": p["LAD19CD"], "ward": p["LSOA11NM"][:-1]})
    out[0]["value"] = Suppressed()
    out[1]["value"] = None
    out[2]["value"] = 2.25
    return out


def _svg(areas, **kw):
    return maps.lsoa_map_svg(areas, title="Crimes by LSOA", finding="Crime is highest in the centre.",
                             value_label="Crimes", table_title="Crimes by LSOA", **kw)


def test_each_area_is_a_keyboard_stop_named_with_its_place_and_value(areas):
    svg = _svg(areas, focusable=True)
    stops = re.findall(r'<g class="map-area" tabindex="0" role="img" aria-label="([^"]+)" '
                       r'data-code="([^"]+)">', svg)
    assert [code for _, code in stops] == [a["code"] for a in areas]  # all 148, in order
    names = {code: unescape(label) for label, code in stops}
    a = areas[5]
    assert names[a["code"]] == f"{a['name']} ({a['code']}), {a['ward']} ward; Crimes: 15"
    assert names[areas[0]["code"]].endswith("; Crimes: [c] (withheld)")
    assert names[areas[1]["code"]].endswith("; Crimes: no value")
    assert names[areas[2]["code"]].endswith("; Crimes: 2.25")
    # each tooltip says the same, hidden until the stylesheet shows it
    tips = re.findall(r'<g class="map-tip" visibility="hidden" aria-hidden="true">(.*?)</g>', svg)
    assert len(tips) == 148
    texts = re.findall(r">([^<]+)</text>", tips[5])
    assert [unescape(t) for t in texts] == [f"{a['name']} ({a['code']}), {a['ward']} ward",
                                            "Crimes: 15"]
    # the whole map is a group (an image may not hold focusable parts), still titled
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="group"')
    assert 'aria-labelledby="lsoa-map-title lsoa-map-desc"' in svg


def test_the_focusable_map_draws_the_same_base_and_the_reports_map_has_no_stops(areas):
    plain, focusable = _svg(areas), _svg(areas, focusable=True)
    assert 'class="map-area"' not in plain and 'tabindex' not in plain
    assert plain.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    for pattern in (r'class="ward-line" data-ward="[^"]+"', r'class="la-line"',
                    r'class="map-label ward-label">[^<]+<', r'fill="#[0-9a-f]{6}" stroke="#ffffff"'):
        assert re.findall(pattern, plain) == re.findall(pattern, focusable), pattern


def test_the_value_wording_is_one_for_map_and_table():
    assert maps.area_value_text(Suppressed()) == "[c] (withheld)"
    assert maps.area_value_text(None) == "no value"
    assert maps.area_value_text(12345) == "12,345"
    assert maps.area_value_text(12.0) == "12"
    assert maps.area_value_text(7.25) == "7.25" and maps.area_value_text(7.5) == "7.5"
