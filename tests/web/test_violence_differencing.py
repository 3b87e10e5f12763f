"""The violence dashboard attacked by differencing: on a warehouse of fourteen months of the demo
(March 2019 to April 2020), the attacker asks the dashboard's CSV for **every** period and area
the filters offer (105 periods x the area and its three sectors) and tries to recover every
withheld count of people by linear combination of everything published: the difference of two
overlapping periods (January-March less January-February is March), an area less its other
sectors, and any other combination.

The attacker never imports the disclosure code. It models each published age figure as the sum
of unknown true counts, one per month, place (a sector, or no sector) and age band, over the
months the CSV's ``period`` column says it covers (the whole chosen period when a CSV has no such
column, as before the fixed grid), the place shown and the band ("All" is every band). A
withheld figure is recovered when its own sum is a linear combination of published ones (it lies
in their row space); its value is then that combination of the published values.

Against the dashboard as it was (one disclosure ledger per request, over the chosen period), the
same attack recovers 6,378 of its 8,583 withheld figures (run with main's engine/violence.py of
b54ad27 in place), e.g. serious violence victims aged 18 to 24 in the whole area in March 2019,
withheld, are 3: March-July 2019 published 8 and April-July 5.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import numpy as np
import pytest

from safecity.cli import main

FIRST, LAST = "2019-03", "2020-04"


def _months(first: str, last: str) -> list[str]:
    out, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


@pytest.fixture(scope="module")
def small_home(tmp_path_factory):
    full = tmp_path_factory.mktemp("diff-full")
    home = tmp_path_factory.mktemp("diff-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        mp.setenv("SAFECITY_HOME", str(full))
        assert main(["demo"]) == 0
        mp.setenv("SAFECITY_HOME", str(home))
        build_small_home(full / "demo", home)
    finally:
        mp.undo()
    return home


def build_small_home(files, home) -> None:
    """Load the demo's police extract (in ``files``) cut to FIRST..LAST by date recorded, and
    its geography, into $SAFECITY_HOME (``home``)."""
    cut = home / "extract"
    cut.mkdir()
    keep = set()
    with open(files / "crimes.csv", newline="") as src, \
            open(cut / "crimes.csv", "w", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        head = next(reader)
        writer.writerow(head)
        ref, rec = head.index("Crime Reference"), head.index("Date Recorded")
        for row in reader:
            d = dt.datetime.strptime(row[rec], "%d/%m/%Y")
            if FIRST <= f"{d:%Y-%m}" <= LAST:
                keep.add(row[ref])
                writer.writerow(row)
    for name in ("victims.csv", "suspects.csv"):
        with open(files / name, newline="") as src, \
                open(cut / name, "w", newline="") as dst:
            reader, writer = csv.reader(src), csv.writer(dst)
            head = next(reader)
            writer.writerow(head)
            ref = head.index("Crime Reference")
            writer.writerows(r for r in reader if r[ref] in keep)
    shutil.copy(files / "police-extract-mapping.yaml", cut)
    assert main(["ingest", str(files / "geography.csv"), "--source", "geography"]) == 0
    assert main(["ingest", str(cut / "crimes.csv"), str(cut / "victims.csv"),
                 str(cut / "suspects.csv"), "--source", "police-extract", "--mapping",
                 str(cut / "police-extract-mapping.yaml")]) == 0


_LABEL = re.compile(r"^([A-Z][a-z]{2}) (\d{4}) – ([A-Z][a-z]{2}) (\d{4})$")
_FY = re.compile(r"^(\d{4})/(\d{2})$")


def _covered(period: str, run: list[str]) -> list[str]:
    """The months a CSV ``period`` cell names: "2019/20", "Jan 2020 – Mar 2020", joined by
    "; "; the whole run when the CSV has no such column (None)."""
    if period is None:
        return run
    out = []
    for part in filter(None, (p.strip() for p in period.split(";"))):
        fy, span = _FY.match(part), _LABEL.match(part)
        if fy:
            out += _months(f"{fy.group(1)}-04", f"{int(fy.group(1)) + 1}-03")
        elif span:
            a = dt.datetime.strptime(f"{span.group(1)} {span.group(2)}", "%b %Y")
            b = dt.datetime.strptime(f"{span.group(3)} {span.group(4)}", "%b %Y")
            out += _months(f"{a:%Y-%m}", f"{b:%Y-%m}")
        else:
            raise AssertionError(f"the attacker cannot read the period {part!r}")
    return out


def _views(client, url: str, months: list[str], sectors: list[str]):
    """Every (period, place) the filters offer: the CSV's age rows as (measure, role, place,
    band, covered months, value or None when withheld)."""
    for i, start in enumerate(months):
        for end in months[i:]:
            run = months[i:months.index(end) + 1]
            for sector in ["", *sectors]:
                response = client.get(f"{url}csv/?start={start}&end={end}&sector={sector}")
                assert response.status_code == 200
                rows = list(csv.reader(io.StringIO(response.content.decode())))
                head = rows[0]
                col = {h: head.index(h) for h in head}
                for r in rows[2:]:
                    if r[col["breakdown"]] == "month":
                        continue
                    period = r[col["period"]] if "period" in col else None
                    value = r[col["count"]]
                    yield (r[col["measure"]], r[col["breakdown"]], sector, r[col["group"]],
                           tuple(_covered(period, run)),
                           None if value == "[c]" else int(value), f"{start}..{end}")


def _attack(views, sectors: list[str], months: list[str]):
    """(recovered, published, withheld): each withheld figure whose sum lies in the span of
    the published figures' sums, with the value that combination gives."""
    parts = sectors  # every crime of the fixture is in a sector (checked): known to be so
    bands: list[str] = []
    for v in views:
        if v[3] != "All" and v[3] not in bands:
            bands.append(v[3])
    bands = bands or ["All"]  # only totals published: one band
    index = {(m, p, b): i for i, (m, p, b) in enumerate(
        (m, p, b) for m in months for p in parts for b in bands)}
    groups: dict[tuple, tuple[list, list, list]] = {}
    for measure, role, sector, band, covered, value, run in views:
        row = np.zeros(len(index))
        for m in covered:
            for p in ([sector] if sector else parts):
                for b in (bands if band == "All" or band not in bands else [band]):
                    row[index[(m, p, b)]] = 1.0
        pub, vals, withheld = groups.setdefault((measure, role), ([], [], []))
        if value is None:
            withheld.append((row, f"{measure} {role}, {band}, {sector or 'whole area'}, {run}"))
        else:
            pub.append(row)
            vals.append(value)
    recovered, n_pub, n_withheld = [], 0, 0
    for (measure, role), (pub, vals, withheld) in groups.items():
        n_pub += len(pub)
        n_withheld += len(withheld)
        if not withheld or not pub:
            continue
        a = np.array(pub)
        b = np.array(vals, dtype=float)
        # an orthonormal basis of the published sums' span: a withheld sum is recovered when
        # its projection on the span is itself
        _, sv, vt = np.linalg.svd(a, full_matrices=False)
        basis = vt[sv > sv.max() * 1e-10]
        for row, what in withheld:
            if np.abs(basis.T @ (basis @ row) - row).max() < 1e-6:
                if len(recovered) < 10:  # the value, for the first few (the message)
                    y, *_ = np.linalg.lstsq(a.T, row, rcond=None)
                    what = f"{what} = {y @ b:g}"
                recovered.append(what)
    return recovered, n_pub, n_withheld


def test_no_withheld_count_is_recovered_from_every_period_and_area(world, as_user, small_home,
                                                                   monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(small_home))
    client = as_user(world.users["analyst"])
    url = f"/scorecard/{world.strategy.pk}/violence/"
    data = client.get(url + f"?start={FIRST}&end={LAST}").context["data"]
    sectors = list(data.places)
    from safecity.engine.warehouse import Warehouse

    con = Warehouse(small_home / "warehouse").connect()
    assert con.execute("SELECT count(*) FROM crimes WHERE lsoa11_code IS NULL OR lsoa11_code "
                       "NOT IN (SELECT lsoa11_code FROM geography WHERE sector IS NOT NULL)"
                       ).fetchone()[0] == 0
    months = _months(FIRST, LAST)
    assert sectors and [m for m, _ in client.get(url).context["months"]] == months
    views = list(_views(client, url, months, sectors))
    recovered, published, withheld = _attack(views, sectors, months)
    # the attack had something to work on: many published figures and withheld ones
    assert published > 1000 and withheld > 100
    assert not recovered, (f"{len(recovered)} withheld counts recovered, e.g. "
                           + "; ".join(recovered[:5]))


def test_the_attacker_recovers_a_count_by_differencing_two_periods():
    """The attack on a hand-made pair of views, as the dashboard published before: 12 people in
    January-March and 9 in January-February give March's withheld 3."""
    months = ["2020-01", "2020-02", "2020-03"]
    views = [("Robbery", "victims", "", "18 to 24", tuple(months), 12, "a"),
             ("Robbery", "victims", "", "18 to 24", tuple(months[:2]), 9, "b"),
             ("Robbery", "victims", "", "18 to 24", ("2020-03",), None, "c")]
    recovered, _, _ = _attack(views, ["East"], months)
    assert recovered == ["Robbery victims, 18 to 24, whole area, c = 3"]


def test_the_attacker_recovers_a_sector_from_the_area_less_the_others():
    months = ["2020-01"]
    views = [("Robbery", "victims", "", "All", ("2020-01",), 20, "a"),
             ("Robbery", "victims", "East", "All", ("2020-01",), 17, "a"),
             ("Robbery", "victims", "West", "All", ("2020-01",), None, "a")]
    recovered, _, _ = _attack(views, ["East", "West"], months)
    assert recovered == ["Robbery victims, All, West, a = 3"]
