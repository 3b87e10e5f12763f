"""The demo's Southampton: real LSOAs, populations and IMD deciles; plausible wards and sectors."""

from __future__ import annotations

import csv
from collections import Counter

from safecity.engine.demo import places


def test_geography_file_has_southamptons_148_lsoas_with_published_population_and_imd(
        demo, shared_data):
    rows = demo.geography
    assert len(rows) == 148
    assert sum(int(r["population"]) for r in rows) == 252_520  # the reference's population
    with open(shared_data / "imd" / "imd2019_england_lsoa_combined.csv", encoding="utf-8") as fh:
        imd = {r["lsoa11cd"]: r for r in csv.DictReader(fh) if r["lad19cd"] == "E06000045"}
    for r in rows:
        assert r["imd_decile"] == imd[r["lsoa11_code"]]["imd_decile"]
        assert r["imd_rank"] == imd[r["lsoa11_code"]]["imd_rank"]
        assert (r["lad_code"], r["csp_code"]) == ("E06000045", "E22000120")
    assert sum(int(r["population_10_17"]) for r in rows) == 20_279  # ONS MYE2 ages 10-17


def test_lsoas_fall_into_sixteen_real_wards_and_three_sectors(demo):
    wards = Counter(r["ward_name"] for r in demo.geography)
    assert set(wards) == {"Bargate", "Bassett", "Bevois", "Bitterne", "Bitterne Park", "Coxford",
                          "Freemantle", "Harefield", "Millbrook", "Peartree", "Portswood",
                          "Redbridge", "Shirley", "Sholing", "Swaythling", "Woolston"}
    assert min(wards.values()) >= 8 and max(wards.values()) <= 11
    assert {r["sector"] for r in demo.geography} == {"Central", "East", "West"}
    # Synthetic ward codes: the LSOA-to-ward assignment is an approximation, never passed off
    # as the ONS lookup.
    assert all(r["ward_code"].startswith("DEMO") for r in demo.geography)


def test_domestic_abuse_rate_factor_is_five_times_higher_in_the_most_deprived_deciles():
    f = places.domestic_rate_factors([1, 2, 5, 9, 10])
    assert f[0] == f[1] == 5.0 and f[3] == f[4] == 1.0 and 1 < f[2] < 5
