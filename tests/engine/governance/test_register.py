"""The register of sources decides what may be loaded; entries are versioned plain files."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from safecity.engine.errors import ConfigError
from safecity.engine.governance.register import (GovernanceError, history, load_register,
                                                 read_entry_file, require_registration,
                                                 review_warnings)
from safecity.engine.warehouse import Warehouse

from .helpers import entry, load, referrals_file, register


@pytest.fixture
def strict(monkeypatch, home):
    monkeypatch.setenv("SAFECITY_ALLOW_UNREGISTERED_LOADS", "false")


def test_ingest_refuses_an_unregistered_record_level_source_and_changes_nothing(tmp_path, strict):
    root = tmp_path / "w"
    f = referrals_file(tmp_path / "marac.csv", [("R1", "2019-04-10", "V1")])
    with pytest.raises(GovernanceError) as err:
        load([f], root)
    assert "referrals data hold records about people" in str(err.value)
    assert "safecity governance register add" in str(err.value)
    assert not Warehouse(root).batches()


def test_the_cli_says_one_sentence_and_exits_2(tmp_path, strict, capsys):
    from safecity.cli import main

    f = referrals_file(tmp_path / "marac.csv", [("R1", "2019-04-10", "V1")])
    code = main(["ingest", str(f), "--source", "referrals", "--warehouse", str(tmp_path / "w")])
    assert code == 2
    assert "no information sharing agreement is registered" in capsys.readouterr().err


def test_a_registered_source_loads_and_open_data_needs_no_entry(tmp_path, strict):
    root = tmp_path / "w"
    register(root, entry())
    report = load([referrals_file(tmp_path / "m.csv", [("R1", "2019-04-10", "V1")])], root)
    assert report.stored == 1 and report.warnings == ()
    assert require_registration(root, "police-uk").entry is None  # no refusal


def test_an_agreement_that_has_not_started_is_not_current(tmp_path, strict):
    root = tmp_path / "w"
    register(root, entry(start=dt.date(2099, 1, 1), review=dt.date(2100, 1, 1)))
    with pytest.raises(GovernanceError, match="only starts on 2099-01-01"):
        require_registration(root, "referrals", today=dt.date(2026, 12, 7))


def test_an_agreement_past_its_review_date_warns_at_ingest_and_in_status(tmp_path, strict):
    root = tmp_path / "w"
    register(root, entry(review=dt.date(2021, 3, 31)))
    report = load([referrals_file(tmp_path / "m.csv", [("R1", "2019-04-10", "V1")])], root)
    assert report.stored == 1
    assert len(report.warnings) == 1 and "passed its review date on 2021-03-31" in report.warnings[0]
    assert review_warnings(root) == [
        "The information sharing agreement ISA-7 for referrals data from Riverton MARAC passed "
        "its review date on 2021-03-31."]


def test_two_suppliers_of_one_kind_need_the_supplier_named(tmp_path, strict):
    root = tmp_path / "w"
    register(root, entry(), entry(supplier="Second MARAC"))
    with pytest.raises(GovernanceError, match="--supplier"):
        require_registration(root, "referrals")
    assert require_registration(root, "referrals", supplier="Second MARAC").entry.supplier == \
        "Second MARAC"


def test_the_setting_lets_demo_data_load_unregistered_with_a_warning(tmp_path, monkeypatch, home):
    monkeypatch.setenv("SAFECITY_ALLOW_UNREGISTERED_LOADS", "true")
    clearance = require_registration(tmp_path / "w", "referrals")
    assert clearance.entry is None and "allow_unregistered_loads is on" in clearance.warnings[0]


def test_saving_an_entry_again_keeps_the_previous_version(tmp_path):
    root = tmp_path / "w"
    register(root, entry(retention=24))
    register(root, entry(retention=36))
    (current,) = load_register(root)
    assert (current.version, current.retention_months) == (2, 36)
    assert [(e.version, e.retention_months) for e in history(root, current)] == [(1, 24)]


@pytest.mark.parametrize("change, message", [
    ({"retention_months": 0}, "retention_months 0 is not a whole number of months above 0"),
    ({"source": "gossip"}, "source 'gossip' is not a source kind"),
    ({"isa": {"reference": "X", "parties": ["A"], "start": "2020-01-01",
              "review": "2019-01-01"}}, "review date 2019-01-01 is before its start"),
    ({"fields": ["person_name"]}, "fields person_name are not columns"),
    ({"purpose": ""}, "has no purpose"),
])
def test_a_bad_entry_file_gets_a_sentence_naming_the_file(tmp_path, change, message):
    data = {"source": "referrals", "supplier": "S", "purpose": "p", "legal_basis": "b",
            "retention_months": 12, "contact": {"name": "c"},
            "isa": {"reference": "X", "parties": ["A"], "start": "2020-01-01",
                    "review": "2030-01-01"}}
    data.update(change)
    path = tmp_path / "entry.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as err:
        read_entry_file(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_police_data_need_a_law_enforcement_basis(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump({
        "source": "police-extract", "supplier": "Police", "purpose": "p", "legal_basis": "b",
        "retention_months": 12, "contact": "c",
        "isa": {"reference": "X", "parties": ["A"], "start": "2020-01-01", "review": "2030-01-01"}}))
    with pytest.raises(ConfigError, match="DPA 2018 Part 3"):
        read_entry_file(path)
