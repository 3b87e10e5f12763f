"""Sections that publish figures derived from counts withhold them with the counts: harm per
resident (weight x crimes / population gives a subgroup's count back), youth re-offending rates
(a rate and a cohort's size give its re-offenders back) and the third-party hate tables (read
against the channels). Read from the built assessment of short periods of the demo, where
counts are small."""

from __future__ import annotations

import pytest

from safecity.cli import main
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.model import Suppressed

PERIODS = ("2020-07-30..2020-07-30", "2019-12-06..2019-12-19", "2018-09-06..2018-09-06")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("sections-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        assert main(["demo"]) == 0
        yield {p: build_assessment(period=p) for p in PERIODS}
    finally:
        mp.undo()


def _table(sa, key):
    return next(t for s in sa.sections for t in s.tables if t.key == key)


def _withheld(value) -> bool:
    return isinstance(value, Suppressed)


def test_harm_per_resident_is_withheld_with_its_subgroups_count(built):
    seen = 0
    for period, sa in built.items():
        counts = {}
        for group, sub, cur, prev, *_ in _table(sa, "crime_by_offence_group").rows:
            if sub and sub != "All":
                counts[sub] = (_withheld(cur), _withheld(prev))
        rows = _table(sa, "harm_by_subgroup").rows
        for group, sub, harm, harm_prev, change, share, rank, _ in rows:
            # every row is one subgroup (no merged rows whose harm is a withheld count's)
            assert sub in counts, f"{period}: harm row {sub!r} is no subgroup of section 2"
            cur_w, prev_w = counts[sub]
            assert _withheld(harm) == cur_w and _withheld(harm_prev) == prev_w, (period, sub)
            assert _withheld(change) == (cur_w or prev_w), (period, sub)
            assert (rank is None) == (cur_w or prev_w), (period, sub)  # ranks bound values
            seen += cur_w
        # total harm less the rows shown would give the withheld rows back; a share of a
        # published row would give the total back
        hidden = any(counts[r[1]][0] for r in rows)
        heads = dict(sa.headlines)
        assert _withheld(heads["harm_per_resident"]) == hidden, period
        assert all(_withheld(r[5]) for r in rows) if hidden else not any(
            _withheld(r[5]) for r in rows), period
        text = " ".join(next(s for s in sa.sections if s.key == "harm").narrative)
        if hidden:
            assert "is withheld" in text and "(among the subgroups whose counts are " \
                                               "published)" in text
    assert seen, "no subgroup was withheld in these periods: the test checks nothing"


def test_a_cohorts_rates_are_published_only_with_both_its_counts(built):
    seen = 0
    for period, sa in built.items():
        for label, size, reo, binary, freq, per_re, _ in _table(sa, "youth_reoffending").rows:
            hidden = _withheld(size) or _withheld(reo)
            seen += hidden
            assert (binary is None and freq is None and per_re is None) if hidden else (
                binary == round(100.0 * reo / size, 1)), (period, label)
            if not hidden:  # those who did not re-offend are people too
                assert size - reo == 0 or size - reo >= sa.settings["suppression_threshold"]
    assert seen, "no cohort was withheld in these periods: the test checks nothing"


def test_third_party_reports_add_up_to_the_channels_or_are_withheld_together(built):
    checked = 0
    for period, sa in built.items():
        hate = next(s for s in sa.sections if s.key == "hate")
        tables = {t.key: t for t in hate.tables}
        if "hate_third_party_by_centre" not in tables:
            continue  # no third-party report in the period
        checked += 1
        channels = [r for r in tables["hate_reports_by_channel"].rows
                    if r[0] in ("third_party", "online")]
        total = tables["hate_third_party_by_centre"].rows[-1][1]
        parts = [r[2] for r in channels]
        if not _withheld(total) and not any(_withheld(p) for p in parts):
            assert total == sum(parts), period
        # one withheld among the total and the channels' cells would be given back
        assert sum(_withheld(v) for v in [total, *parts]) != 1, period
    assert checked, "no period had third-party reports: the test checks nothing"
