"""The ASB Case Review threshold engine on dates alone: the defaults (three complaints about the
same problem within six months, each within one month of the incident, the application within
six months of the last complaint), boundary dates, several complainants, one complainant, a
different problem, and a partnership's own lower threshold."""

from __future__ import annotations

import datetime as dt

from safecity.web.casereviews.threshold import Complaint, Threshold, add_months, assess

D = dt.date
NOISE = "Noise from a neighbour's flat"


def c(incident, reported=None, problem=NOISE, who="Applicant"):
    return Complaint(incident=incident, reported=reported or incident, problem=problem,
                     complainant=who)


def test_months_run_to_the_same_day_or_the_last_day_of_a_shorter_month():
    assert add_months(D(2024, 1, 15), 6) == D(2024, 7, 15)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 1), 1) == D(2025, 1, 1)


def test_one_complainant_with_three_complaints_meets_the_default_threshold():
    result = assess([c(D(2024, 1, 5)), c(D(2024, 3, 1)), c(D(2024, 5, 20))], NOISE,
                    D(2024, 6, 1))
    assert result.met and len(result.qualifying) == 3


def test_several_complainants_about_the_same_problem_count_together():
    result = assess([c(D(2024, 1, 5), who="Applicant"), c(D(2024, 2, 1), who="Neighbour at 12"),
                     c(D(2024, 2, 20), who="Neighbour at 14")], NOISE, D(2024, 3, 1))
    assert result.met
    assert {x.complainant for x in result.qualifying} == {"Applicant", "Neighbour at 12",
                                                          "Neighbour at 14"}


def test_two_complaints_are_not_enough():
    result = assess([c(D(2024, 1, 5)), c(D(2024, 3, 1))], NOISE, D(2024, 4, 1))
    assert not result.met
    assert "2 qualifying complaint(s); the threshold is 3." in result.reasons


def test_a_complaint_about_a_different_problem_does_not_count():
    result = assess([c(D(2024, 1, 5)), c(D(2024, 3, 1)),
                     c(D(2024, 5, 20), problem="Drug dealing in the stairwell")], NOISE,
                    D(2024, 6, 1))
    assert not result.met
    assert any("different problem" in r for r in result.reasons)


def test_the_same_problem_is_matched_ignoring_case_and_spacing():
    result = assess([c(D(2024, 1, 5)), c(D(2024, 3, 1)),
                     c(D(2024, 5, 20), problem="noise  from a neighbour's FLAT")], NOISE,
                    D(2024, 6, 1))
    assert result.met


def test_a_complaint_made_exactly_one_month_after_the_incident_counts_a_day_later_does_not():
    base = [c(D(2024, 1, 5)), c(D(2024, 2, 5))]
    assert assess(base + [c(D(2024, 3, 10), D(2024, 4, 10))], NOISE, D(2024, 5, 1)).met
    late = assess(base + [c(D(2024, 3, 10), D(2024, 4, 11))], NOISE, D(2024, 5, 1))
    assert not late.met
    assert any("more than 1 month(s) after the incident on 10/03/2024" in r
               for r in late.reasons)


def test_complaints_exactly_six_months_apart_count_a_day_more_does_not():
    assert assess([c(D(2024, 1, 15)), c(D(2024, 4, 1)), c(D(2024, 7, 15))], NOISE,
                  D(2024, 8, 1)).met
    result = assess([c(D(2024, 1, 14)), c(D(2024, 4, 1)), c(D(2024, 7, 15))], NOISE,
                    D(2024, 8, 1))
    assert not result.met
    assert "No 3 qualifying complaints fall within 6 months of each other." in result.reasons


def test_an_application_exactly_six_months_after_the_last_complaint_counts_a_day_later_does_not():
    complaints = [c(D(2024, 3, 5)), c(D(2024, 4, 5)), c(D(2024, 8, 31))]
    assert assess(complaints, NOISE, D(2025, 2, 28)).met  # 31 Aug + 6 months
    result = assess(complaints, NOISE, D(2025, 3, 1))
    assert not result.met
    assert any("more than 6 months after the last complaint" in r for r in result.reasons)


def test_the_latest_three_in_a_window_are_the_qualifying_ones():
    complaints = [c(D(2023, 1, 10)), c(D(2023, 11, 1)), c(D(2024, 1, 5)), c(D(2024, 3, 1))]
    result = assess(complaints, NOISE, D(2024, 4, 1))
    assert result.met
    assert [x.reported for x in result.qualifying] == [D(2023, 11, 1), D(2024, 1, 5),
                                                       D(2024, 3, 1)]


def test_a_partnership_may_publish_a_lower_threshold():
    lower = Threshold(complaints=2)
    assert assess([c(D(2024, 1, 5)), c(D(2024, 3, 1))], NOISE, D(2024, 4, 1), lower).met


def test_complaints_after_the_application_or_before_their_incident_do_not_count():
    result = assess([c(D(2024, 1, 5)), c(D(2024, 2, 5)), c(D(2024, 3, 5), D(2024, 3, 1)),
                     c(D(2024, 4, 5))], NOISE, D(2024, 3, 20))
    assert not result.met
    assert any("before its incident" in r for r in result.reasons)
    assert any("after the application" in r for r in result.reasons)
