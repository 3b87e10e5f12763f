"""The demo files: deterministic for a seed, in the documented layouts, synthetic people only."""

from __future__ import annotations

import re

import yaml

from safecity.engine import contract
from safecity.engine.demo import DEFAULT_SEED, generate
from safecity.engine.demo.offences import OFFENCES
from safecity.engine.demo.writer import CRIME_HEADERS, SUSPECT_HEADERS, VICTIM_HEADERS


def test_the_same_seed_writes_byte_identical_files_and_another_seed_different_ones(
        demo, tmp_path):
    again = generate(tmp_path / "again", seed=DEFAULT_SEED)
    for ours, theirs in zip(demo.files.all, again.all):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name
    other = generate(tmp_path / "other", seed=DEFAULT_SEED + 1)
    differs = {p.name for p, q in zip(demo.files.all, other.all) if p.read_bytes() != q.read_bytes()}
    # Everything drawn differs; the geography and the mapping are fixed facts.
    assert differs == {p.name for p in demo.files.all} - {"geography.csv",
                                                           "police-extract-mapping.yaml"}


def test_police_extract_uses_the_police_layout_and_its_mapping_names_contract_columns(demo):
    assert tuple(demo.crimes[0]) == CRIME_HEADERS
    assert tuple(demo.victims[0]) == VICTIM_HEADERS
    assert tuple(demo.suspects[0]) == SUSPECT_HEADERS
    mapping = yaml.safe_load(demo.files.mapping.read_text(encoding="utf-8"))
    assert mapping["kind"] == "police-extract"
    headers = {"crimes": CRIME_HEADERS, "victims": VICTIM_HEADERS, "suspects": SUSPECT_HEADERS}
    for name, spec in mapping["tables"].items():
        table = contract.table(name)
        for column, header in spec["columns"].items():
            assert column in table.names and not table.column(column).derived, (name, column)
            assert header in headers[name], (name, header)
        assert set(table.required) <= set(spec["columns"]), name


def test_partner_files_use_the_contract_column_names(demo):
    expected = {
        "asb": ("asb_incidents", demo.asb), "hate": ("hate_reports", demo.hate),
        "geography": ("geography", demo.geography),
        "youth": ("youth_justice", demo.youth), "referrals": ("referrals", demo.referrals),
    }
    input_only = {"young_person_id", "date_of_birth", "person_id"}
    for _, (name, rows) in expected.items():
        table = contract.table(name)
        header = set(rows[0])
        assert header - input_only <= set(table.names), (name, header - set(table.names))
        assert set(table.required) - {"young_person_key"} <= header | {"young_person_key"}


def test_every_person_is_synthetic(demo):
    """Identifiers follow the generator's own patterns; no names, addresses or free text."""
    nominal = re.compile(r"^NOM\d{7}$")
    for v in demo.victims:
        kind = v["Victim Type"]
        assert (nominal.match(v["Victim ID"]) if kind == "Individual" else
                re.match(r"^ORG\d{6}$", v["Victim ID"]) if kind == "Organisation" else
                v["Victim ID"] == ""), v
    assert all(nominal.match(s["Suspect ID"]) for s in demo.suspects)
    assert all(re.match(r"^YP\d{6}$", y["young_person_id"]) for y in demo.youth)
    assert all(nominal.match(r["person_id"]) for r in demo.referrals)
    for rows in (demo.crimes, demo.victims, demo.suspects, demo.asb, demo.hate, demo.youth,
                 demo.referrals):
        assert not [h for h in rows[0] if re.search(r"name|address|note|narrative", h, re.I)]
    # The one text column is the offence's official Home Office description.
    assert {r["Offence Description"] for r in demo.crimes} <= {o.label for o in OFFENCES}


def test_victims_and_suspects_point_at_crimes_and_every_crime_has_one_victim_row(demo):
    refs = [c["Crime Reference"] for c in demo.crimes]
    assert len(refs) == len(set(refs))
    known = set(refs)
    assert sorted(v["Crime Reference"] for v in demo.victims) == sorted(refs)
    assert {s["Crime Reference"] for s in demo.suspects} <= known
    pairs = [(s["Crime Reference"], s["Suspect ID"]) for s in demo.suspects]
    assert len(pairs) == len(set(pairs))


def test_crimes_cover_april_2017_to_december_2020(demo):
    months = {c["Date Recorded"][3:] for c in demo.crimes}
    assert len(months) == 45
    assert {"04/2017", "12/2020"} <= months


def test_every_offence_code_is_a_real_home_office_code_of_the_classification_table(demo):
    codes = {c["HO Offence Code"] for c in demo.crimes}
    assert codes <= set(demo.offences), codes - set(demo.offences)
    assert {"19C", "19D", "19F", "8N", "105A", "28E", "46", "92A"} <= codes
