"""Offence classification: current ONS labels, police.uk categories, CSS weights, baskets."""

from __future__ import annotations

import csv

import pytest

from safecity.engine import classification, contract
from safecity.engine.classification import load, normalise_code
from safecity.engine.errors import ConfigError


@pytest.fixture(scope="module")
def cls():
    return load()


@pytest.mark.parametrize("code, group, subgroup, category", [
    ("8N", "Violence against the person", "Violence with injury", "Violence and sexual offences"),
    ("105A", "Violence against the person", "Violence without injury", "Violence and sexual offences"),
    ("8Q", "Violence against the person", "Stalking and harassment", "Violence and sexual offences"),
    ("8M", "Violence against the person", "Stalking and harassment", "Violence and sexual offences"),
    ("8R", "Violence against the person", "Stalking and harassment", "Violence and sexual offences"),
    ("4.4", "Violence against the person", "Death or serious injury - unlawful driving",
     "Violence and sexual offences"),
    ("1", "Violence against the person", "Homicide", "Violence and sexual offences"),
    ("19C", "Sexual offences", "Rape", "Violence and sexual offences"),
    ("34B", "Robbery", "Robbery of personal property", "Robbery"),
    ("28E", "Theft offences", "Residential burglary", "Burglary"),
    ("30C", "Theft offences", "Non-residential burglary", "Burglary"),
    ("45", "Theft offences", "Vehicle offences", "Vehicle crime"),
    ("37.2", "Theft offences", "Vehicle offences", "Vehicle crime"),
    ("46", "Theft offences", "Shoplifting", "Shoplifting"),
    ("44", "Theft offences", "Bicycle theft", "Bicycle theft"),
    ("39", "Theft offences", "Theft from the person", "Theft from the person"),
    ("49", "Theft offences", "All other theft offences", "Other theft"),
    ("56A", "Criminal damage and arson", "Arson", "Criminal damage and arson"),
    ("92A", "Drug offences", "Trafficking of drugs", "Drugs"),
    ("92E", "Drug offences", "Possession of drugs", "Drugs"),
    ("10D", "Possession of weapons offences", "Possession of weapons offences",
     "Possession of weapons"),
    ("9A", "Public order offences", "Public order offences", "Public order"),
    ("802", "Miscellaneous crimes against society", "Miscellaneous crimes against society",
     "Other crime"),
])
def test_codes_map_to_current_ons_labels_and_police_uk_categories(cls, code, group, subgroup,
                                                                  category):
    o = cls.offence(code)
    assert (o.group, o.subgroup, o.police_uk_category) == (group, subgroup, category)


def test_every_subgroup_is_listed_under_its_group_and_every_category_is_a_contract_one(cls):
    for o in cls.offences():
        assert o.subgroup in cls.subgroups(o.group), o
        assert o.police_uk_category is None or o.police_uk_category in contract.POLICE_UK_CATEGORIES
    assert {o.subgroup for o in cls.offences()} == {s for g in cls.groups() for s in cls.subgroups(g)}


def test_weights_match_the_ons_css_file_for_every_code_it_weights(cls, shared_data):
    """Independent check: re-read the source file with the csv module and compare each weight."""
    with open(shared_data / "offences" / "mopd_severity_codes.csv", encoding="utf-8") as fh:
        source = list(csv.DictReader(fh))
    checked = 0
    for row in source:
        for code in row["code_original"].split("/"):
            o = cls.offence(code)
            assert o is not None, code
            assert o.weight == pytest.approx(float(row["weight"]), abs=1e-6)
            checked += 1
    assert checked >= 134
    assert cls.weights_edition == "ONS Crime Severity Score list of weights, edition c. 2020"


def test_fraud_has_no_severity_weight_and_no_police_uk_category(cls):
    o = cls.offence("53C")
    assert (o.group, o.weight, o.police_uk_category) == ("Fraud offences", None, None)


@pytest.mark.parametrize("raw, expected", [
    ("8n", "8N"), ("008N", "8N"), (" 105 A ", "105A"), ("4/1", "4.1"), ("4/10", "4.10"),
    ("04.01", "4.1"), ("28e", "28E"), ("46", "46"), ("", None), (None, None),
])
def test_codes_are_normalised(raw, expected):
    assert normalise_code(raw) == expected


@pytest.mark.parametrize("raw, known", [("1/1", "1"), ("1/2", "1"), ("46.0", "46"),
                                        ("4.10", "4.10"), ("4.5", None), ("8/N", None)])
def test_subclasses_of_codes_classified_as_a_whole_resolve_to_them(cls, raw, known):
    assert cls.resolve(raw) == known


def test_arrow_table_has_the_columns_the_assessment_joins_on(cls):
    t = cls.as_arrow_table()
    assert t.column_names == ["code", "label", "offence_group", "offence_subgroup",
                              "police_uk_category", "weight"]
    assert t.num_rows == len(cls.offences())


def test_baskets_hold_the_documented_codes(cls):
    assert {"1", "4.1", "2", "5D", "5E"} <= cls.basket("most_serious_violence")
    assert "8N" not in cls.basket("most_serious_violence")
    assert cls.basket_definition("bladed_implement").flag == "weapon_bladed"
    assert "10D" in cls.basket("bladed_implement")
    assert cls.basket("drug_offences") == {"92A", "92C", "92D", "92E"}
    assert cls.basket("arson") == {"56A", "56B"}
    with pytest.raises(ConfigError, match="no offence basket called 'nope'"):
        cls.basket("nope")


def test_a_user_weights_file_replaces_the_edition(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("code,weight,edition\n8N,203.07,ONS CSS 2025\n34B,993.55,ONS CSS 2025\n")
    c = classification.load(weights_path=p)
    assert c.weights_edition == "ONS CSS 2025"
    assert c.offence("8N").weight == 203.07 and c.offence("46").weight is None


def test_a_broken_weights_file_gets_a_sentence(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("code,weight\n8N,lots\n")
    with pytest.raises(ConfigError, match="line 2: weight 'lots' is not a non-negative number"):
        classification.load(weights_path=p)


def test_a_user_baskets_file_overrides_and_adds_baskets(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text("baskets:\n  most_serious_violence:\n    label: MSV (local)\n"
                 "    codes: ['1', '2', '5D']\n  robbery:\n    groups: [Robbery]\n")
    c = classification.load(baskets_path=p)
    assert c.basket("most_serious_violence") == {"1", "2", "5D"}
    assert c.basket("robbery") == {"34A", "34B"}
    assert "arson" in c.baskets()


def test_a_baskets_file_with_an_unknown_code_is_refused(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_text("baskets:\n  mine:\n    codes: ['8N', '999Q']\n")
    with pytest.raises(ConfigError, match="lists code '999Q'"):
        classification.load(baskets_path=p)
