"""The commercial burglary watch and emerging hot spots by crime type on a warehouse built by
hand: the cells that turned hot are known from how the crimes were placed."""

import datetime as dt

import pytest

from safecity.engine import figures, periods, settings
from safecity.engine.assessment.area import resolve
from safecity.engine.assessment.context import open_context
from safecity.engine.assessment.hotspot_watch import (commercial_burglary_watch, emerging_for,
                                                     near_repeat_for)
from safecity.engine.reference import lsoa_geography

from .synthetic import SOUTHAMPTON_LSOAS, Extract, _crime, write_warehouse

E0, N0, SIZE = 442_000, 112_000, 250
MONTHS = periods.months_in(periods.rolling_12_months("2020-03"))
NEW_LSOA, OTHER_LSOA = SOUTHAMPTON_LSOAS[0], SOUTHAMPTON_LSOAS[1]


def _at(rows, kind, month, col, row, lsoa, n=1, ref=[0]):
    day = dt.date(int(month[:4]), int(month[5:]), 10)
    for _ in range(n):
        ref[0] += 1
        crime = _crime(f"C{ref[0]}", kind, day, lsoa)
        crime["easting"] = E0 + col * SIZE + 100.0
        crime["northing"] = N0 + row * SIZE + 100.0
        rows.append(crime)


def _block(rows, month, col, row, lsoa):
    """Five extra burglaries in each cell of the 3 x 3 block centred on (col, row): Gi* finds
    clusters of high cells (a lone high cell among ordinary ones may not be significant)."""
    for dc in (-1, 0, 1):
        for dr in (-1, 0, 1):
            _at(rows, "commercial", month, col + dc, row + dr, lsoa, n=5)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    ex = Extract()
    for month in MONTHS:
        for col in range(12):
            for row in range(12):  # one commercial burglary per cell per month
                _at(ex.crimes, "commercial", month, col, row, OTHER_LSOA)
        _block(ex.crimes, month, 8, 8, OTHER_LSOA)  # a cluster hot every month
        if month in ("2020-02", "2020-03"):
            _block(ex.crimes, month, 8, 3, OTHER_LSOA)  # hot since February
    _block(ex.crimes, "2020-03", 3, 3, NEW_LSOA)  # turned hot in March
    _at(ex.crimes, "burglary", "2020-03", 3, 9, NEW_LSOA, n=20)  # residential: not watched
    wh = write_warehouse(tmp_path_factory.mktemp("watch") / "wh", ex)
    con = wh.connect()
    area = resolve(settings.get("partnership_csp"), wh, partnership=settings.get("partnership_csp"),
                   con=con)
    rolling = periods.rolling_12_months("2020-03")
    return open_context(wh, area, rolling, periods.previous_year(rolling),
                        periods.month("2020-03"), periods.same_period_last_year(
                            periods.month("2020-03")), threshold=3, con=con)


def _cell(col, row):
    return (E0 + col * SIZE + SIZE / 2, N0 + row * SIZE + SIZE / 2)


def test_the_watch_lists_only_the_cell_that_turned_hot_this_month(ctx):
    watch = commercial_burglary_watch(ctx, cell_size=SIZE)
    assert watch.month == "2020-03"
    watched = {(c.x, c.y): c for c in watch.cells}
    assert _cell(3, 3) in watched
    # only cells of the March cluster and its edge (Gi* sums the 3 x 3 neighbourhood)
    assert all(abs(x - _cell(3, 3)[0]) <= 2 * SIZE and abs(y - _cell(3, 3)[1]) <= 2 * SIZE
               for x, y in watched)
    cell = watched[_cell(3, 3)]
    assert (cell.count, cell.previous_count) == (6, 1)
    assert cell.category == "new hot spot"
    geo = {r["lsoa11_code"]: r for r in lsoa_geography().to_pylist()}
    # its March burglaries: five in NEW_LSOA and the background one in OTHER_LSOA
    assert cell.lsoas == (geo[NEW_LSOA]["lsoa_name"], geo[OTHER_LSOA]["lsoa_name"])
    # (the reference geography may carry no ward names: then no ward is listed)
    assert cell.wards == tuple(sorted({geo[k]["ward_name"] for k in (NEW_LSOA, OTHER_LSOA)
                                       if geo[k]["ward_name"]}))
    assert watch.cells[0].count >= watch.cells[-1].count  # largest first

def test_emerging_classes_by_crime_type(ctx):
    result = emerging_for(ctx, "commercial_burglary", cell_size=SIZE)
    assert result.periods == tuple(MONTHS)
    by_xy = {(c.x, c.y): c for c in result.cells}
    steady = by_xy[_cell(8, 8)]
    assert steady.status == ("hot",) * 12 and steady.counts == (6.0,) * 12
    # its count never changes, but its z-score is the same for ten months and then falls twice
    # (the February and March clusters widen the spread): Mann-Kendall S = -21, p = 0.03, so
    # ArcGIS's rules call it diminishing; relative to the rest of the area it is
    assert steady.trend_p < 0.05 and steady.category == "diminishing hot spot"
    assert by_xy[_cell(8, 3)].category == "consecutive hot spot"
    assert by_xy[_cell(3, 3)].category == "new hot spot"
    # residential burglary selects only the 20 residential ones, all in one cell in March
    res = emerging_for(ctx, "residential_burglary", cell_size=SIZE)
    assert sum(sum(c.counts) for c in res.cells) == 20


def test_unknown_or_unselectable_types_say_why(ctx):
    with pytest.raises(Exception, match="no hotspot crime type"):
        emerging_for(ctx, "arson")
    with pytest.raises(figures.FigureUnavailable, match="No anti-social behaviour"):
        emerging_for(ctx, "asb")



@pytest.fixture(scope="module")
def burglary_ctx(tmp_path_factory):
    # 150 residential burglaries spread over 3 km and the year to March 2020, 30 follow-ups each
    # 20-80 m and 1-6 days after one of them (the near-repeat pattern of Johnson et al. 2007),
    # and one burglary on the period's last day at a known place
    import numpy as np

    rng = np.random.default_rng(2)
    start = dt.date(2019, 4, 1)
    x, y = rng.uniform(0, 3000, 150), rng.uniform(0, 3000, 150)
    day = rng.integers(0, 360, 150)
    src = rng.choice(150, 30, replace=False)
    ang, dist = rng.uniform(0, 2 * np.pi, 30), rng.uniform(20, 80, 30)
    x = np.concatenate([x, x[src] + dist * np.cos(ang), [1111.0]])
    y = np.concatenate([y, y[src] + dist * np.sin(ang), [1222.0]])
    day = np.concatenate([day, np.minimum(day[src] + rng.integers(1, 7, 30), 365), [365]])
    ex = Extract()
    for k, (xi, yi, di) in enumerate(zip(x, y, day)):
        crime = _crime(f"B{k}", "burglary", start + dt.timedelta(days=int(di)), OTHER_LSOA)
        crime["easting"], crime["northing"] = E0 + float(xi), N0 + float(yi)
        ex.crimes.append(crime)
    wh = write_warehouse(tmp_path_factory.mktemp("nr") / "wh", ex)
    con = wh.connect()
    area = resolve(settings.get("partnership_csp"), wh, partnership=settings.get("partnership_csp"),
                   con=con)
    rolling = periods.rolling_12_months("2020-03")
    return open_context(wh, area, rolling, periods.previous_year(rolling),
                        periods.month("2020-03"), periods.same_period_last_year(
                            periods.month("2020-03")), threshold=3, con=con)


def test_near_repeat_finds_the_planted_pattern_and_alerts_near_the_last_burglary(burglary_ctx):
    import math

    nr = near_repeat_for(burglary_ctx, n_iter=199, cell_size=SIZE)
    assert nr.knox.events == 181 and nr.as_of == "2020-03-31"
    assert nr.knox.p[1][0] == 1 / 200 and nr.knox.ratio[1][0] > 3  # 1-100 m, 0-7 days
    assert nr.window.metres >= 100 and nr.window.days >= 7
    last = (E0 + 1111.0, N0 + 1222.0)
    # the cell holding the last day's burglary is alerted, and every alert is within the window
    own = (E0 + (1111 // SIZE) * SIZE + SIZE / 2, N0 + (1222 // SIZE) * SIZE + SIZE / 2)
    assert own in {(a.x, a.y) for a in nr.alerts}
    rows = burglary_ctx.rows("SELECT easting, northing, recorded_date FROM c")
    recent = [(e, n) for e, n, d in rows
              if (dt.date(2020, 3, 31) - d).days <= nr.window.days]
    assert last in recent
    for a in nr.alerts:
        assert any(math.dist((a.x, a.y), r) <= nr.window.metres for r in recent)
