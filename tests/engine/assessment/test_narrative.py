"""The wording follows the statistics (checked with the real E-test, not a stub)."""

from __future__ import annotations

from safecity.engine.assessment import narrative
from safecity.engine.assessment.sections._common import NoComparison, compare


def test_a_significant_rise_is_called_statistically_significant():
    text = narrative.change_sentence("Violence against the person", compare(13000, 12104))
    assert text == ("Violence against the person rose by 7.4 % (from 12,104 to 13,000), a "
                    "statistically significant increase.")


def test_a_rise_on_small_numbers_says_so_rather_than_claiming_significance():
    text = narrative.change_sentence("Cruelty to children", compare(16, 14))
    assert "rose by 14.3 %" in text and "numbers are small" in text
    assert "significant increase" not in text


def test_a_change_within_chance_variation_is_not_called_significant():
    text = narrative.change_sentence("Robbery", compare(210, 200))
    assert "within normal year-to-year variation" in text


def test_no_baseline_and_no_comparison_data_give_no_percentage():
    assert "no baseline" in narrative.change_sentence("Arson", compare(12, 0))
    text = narrative.change_sentence("Arson", NoComparison(12))
    assert "%" not in text and "no data is loaded" in text


def test_a_sensitive_small_count_is_never_printed():
    text = narrative.change_sentence("Rape", compare(3, 6), threshold=5)
    assert "3" not in text and "6" not in text and "withheld" in text


def test_a_plural_subject_takes_were():
    """The verb agrees with the subject's head noun (a rule, not a list of subjects): plural
    names ending in s, singular ones, and singular heads followed by a plural ("of drugs")."""
    unchanged = compare(867, 867)
    assert narrative.change_sentence("Anti-social behaviour incidents", unchanged) == (
        "Anti-social behaviour incidents were unchanged at 867.")
    assert narrative.change_sentence("Public order offences", NoComparison(40)).startswith(
        "Public order offences were 40 (no data is loaded")
    assert narrative.change_sentence("Other sexual offences", compare(12, 0)).startswith(
        "Other sexual offences were 12, with none")
    assert narrative.change_sentence("Offences with a bladed implement", compare(0, 0)) == (
        "Offences with a bladed implement were nil in both years.")
    assert narrative.change_sentence("First-time entrants", compare(3, 6), threshold=5
                                     ).startswith("First-time entrants were fewer than 5")
    assert narrative.count_sentence("Repeat victims (5 or more crimes)", 42) == (
        "Repeat victims (5 or more crimes) were 42.")
    for singular in ("Possession of drugs", "Police recorded crime in Southampton",
                     "The number of ASB incidents in Mar 2020", "Criminal damage and arson",
                     "Robbery of business property", "Harassment"):
        assert narrative.change_sentence(singular, unchanged).startswith(f"{singular} was ")
    assert narrative.change_sentence("Young people", unchanged).startswith("Young people were")
