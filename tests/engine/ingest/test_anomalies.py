"""Source anomaly checks: a month against its force's other months (total and category mix),
the stated false-alarm rate, flags said loudly at ingest and in status, and exclusions.

The real months (every file under shared/data/police-uk) are checked in
``test_police_uk_shared_data.py``, on the warehouse that loads them all once."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from safecity.engine.ingest import anomalies
from safecity.engine.ingest.anomalies import (MIX_JSD_ALARM, check_month, month_exclusions,
                                              month_flags)
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import run_cli, snapshot

# Hampshire, October 2018 (data.police.uk): rows per category, a yardstick for simulations.
HAMPSHIRE = {"Anti-social behaviour": 3_001, "Bicycle theft": 173, "Burglary": 717,
             "Criminal damage and arson": 1_310, "Drugs": 258, "Other crime": 165,
             "Other theft": 1_114, "Possession of weapons": 87, "Public order": 1_031,
             "Robbery": 71, "Shoplifting": 843, "Theft from the person": 63,
             "Vehicle crime": 661, "Violence and sexual offences": 5_341}


def _months(draws: np.ndarray, keys: list[str]) -> list[dict[str, int]]:
    return [{k: int(n) for k, n in zip(keys, row)} for row in draws]


def test_false_alarm_rate_from_chance_is_below_the_stated_bound():
    """The docstring's claim, re-simulated with an independent generator: a month of 200 rows
    drawn from the force's own mix, against five other months of 200 rows from the same mix,
    raises no alarm in 5,000 draws (stated: below 1 in 20,000, the largest divergence under half
    the alarm), and a month drawn from a broken mix (violence at 80 %) nearly always does."""
    rng = np.random.default_rng(20260907)
    keys = sorted(HAMPSHIRE)
    p = np.array([HAMPSHIRE[k] for k in keys], float)
    p /= p.sum()
    q = np.array([HAMPSHIRE[k] for k in keys], float)
    q[keys.index("Violence and sexual offences")] = 0
    q = 0.2 * q / q.sum()
    q[keys.index("Violence and sexual offences")] = 0.8
    flagged = broken = 0
    for _ in range(5_000):
        others = dict(zip("abcde", _months(rng.multinomial(200, p, size=5), keys)))
        month = _months(rng.multinomial(200, p, size=1), keys)[0]
        checked, reason = check_month("m", month, others)
        assert checked
        flagged += reason is not None
        bad = _months(rng.multinomial(200, q, size=1), keys)[0]
        broken += check_month("m", bad, others)[1] is not None
    assert flagged == 0
    assert broken >= 0.95 * 5_000  # at only 200 rows, chance hides a few broken months


def _corrupt(counts: dict[str, int],
             target: str = "Violence and sexual offences") -> dict[str, int]:
    """Issue 9's broken month: ``target`` balloons to about 80 % of rows while anti-social
    behaviour and shoplifting collapse, the total unchanged."""
    total = sum(counts.values())
    out = {k: (max(1, n // 20) if k in ("Anti-social behaviour", "Shoplifting") else n)
           for k, n in counts.items()}
    rest = sum(n for k, n in out.items() if k != target)
    scale = 0.2 * total / rest
    out = {k: int(n * scale) for k, n in out.items()}
    out[target] = total - sum(n for k, n in out.items() if k != target)
    return out


def test_the_corrupted_month_is_flagged_and_its_total_is_normal():
    rng = np.random.default_rng(7)
    keys = sorted(HAMPSHIRE)
    p = np.array([HAMPSHIRE[k] for k in keys], float) / sum(HAMPSHIRE.values())
    others = dict(zip("abcde", _months(rng.multinomial(14_000, p, size=5), keys)))
    bad = _corrupt(HAMPSHIRE)
    assert abs(sum(bad.values()) - sum(HAMPSHIRE.values())) <= 1
    checked, reason = check_month("2019-01", bad, others)
    assert checked and reason is not None
    assert "mix of categories" in reason and "Violence and sexual offences 80% of rows" in reason
    assert "rows, " not in reason  # the total is not what is wrong


def test_a_month_with_a_fraction_of_its_usual_rows_is_flagged():
    others = {m: dict(HAMPSHIRE) for m in "abcd"}
    small = {k: n // 5 for k, n in HAMPSHIRE.items()}
    checked, reason = check_month("m", small, others)
    assert reason is not None and "times the median of its other 4 months" in reason


def test_too_few_other_months_are_not_checked_rather_than_passed():
    checked, reason = check_month("m", _corrupt(HAMPSHIRE), {"a": HAMPSHIRE, "b": HAMPSHIRE})
    assert (checked, reason) == (False, None)


def test_jensen_shannon_divergence_matches_its_definition():
    """SciPy's distance squared is the divergence; checked against the textbook formula."""
    from scipy.spatial.distance import jensenshannon

    p, q = np.array([0.8, 0.1, 0.1]), np.array([0.4, 0.3, 0.3])
    m = (p + q) / 2
    kl = lambda a, b: float(np.sum(a * np.log2(a / b)))  # noqa: E731
    assert jensenshannon(p, q, base=2) ** 2 == pytest.approx(0.5 * kl(p, m) + 0.5 * kl(q, m))
    assert MIX_JSD_ALARM == 0.12


# -- at ingest, in status, exclusions, through the CLI ----------------------------------------
def _real_hampshire(shared_data: Path) -> list[Path]:
    files = sorted((shared_data / "police-uk" / "hampshire").glob("2018-1*-street.csv.gz"))
    files += sorted((shared_data / "police-uk" / "hampshire").glob("2019-0*-street.csv.gz"))
    assert len(files) == 5
    return files


def _write_corrupted(source: Path, target: Path) -> Path:
    """The real file with its categories mis-assigned: most anti-social behaviour, shoplifting
    and other rows become violence (about 80 % of rows), one row in twenty of ASB and
    shoplifting kept; same rows, same total."""
    with gzip.open(source, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        data = list(reader)
    col = header.index("Crime type")
    kept = 0
    for i, row in enumerate(data):
        if row[col] in ("Anti-social behaviour", "Shoplifting"):
            if i % 20:
                row[col] = "Violence and sexual offences"
                row[header.index("Crime ID")] = row[header.index("Crime ID")] or f"x{i:060d}"
        elif row[col] != "Violence and sexual offences" and i % 5 < 3:
            row[col] = "Violence and sexual offences"
        kept += row[col] == "Violence and sexual offences"
    assert 0.75 < kept / len(data) < 0.85
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(data)
    return target


def test_a_corrupted_month_is_flagged_loudly_at_ingest_and_in_status_and_can_be_excluded(
        home, tmp_path, capsys, shared_data):
    wh = tmp_path / "w"
    real = _real_hampshire(shared_data)
    code, out, err = run_cli(["ingest", *real, "--warehouse", wh], capsys)
    assert code == 0, err
    assert "Warning" not in out and month_flags(Warehouse(wh)) == {}

    bad = _write_corrupted(real[-1], tmp_path / "bad" / "2019-02-hampshire-street.csv")
    code, out, err = run_cli(["ingest", bad, "--warehouse", wh], capsys)
    assert code == 0, err  # a flag is a warning: the month is loaded and said to look wrong
    warnings = [line for line in out.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1
    assert "police-uk hampshire 2019-02 looks wrong at source" in warnings[0]
    assert "Violence and sexual offences" in warnings[0]
    assert "safecity warehouse exclude police-uk hampshire 2019-02" in warnings[0]
    key = ("police-uk", "hampshire", "2019-02")
    assert list(month_flags(Warehouse(wh))) == [key]  # recorded in the manifest

    code, out, _ = run_cli(["warehouse", "status", "--warehouse", wh], capsys)
    assert "Warning: police-uk hampshire 2019-02 looks wrong at source" in out
    code, out, _ = run_cli(["warehouse", "status", "--warehouse", wh, "--json"], capsys)
    (src,) = json.loads(out)["sources"]
    assert [(f["force"], f["month"]) for f in src["flagged"]] == [("hampshire", "2019-02")]

    # exclude with a recorded reason, atomically; the flag is no longer raised on it
    code, out, err = run_cli(["warehouse", "exclude", "police-uk", "hampshire", "2019-02",
                              "--reason", "categories mis-assigned at source",
                              "--warehouse", wh], capsys)
    assert code == 0, err
    assert month_exclusions(wh) == {key: "categories mis-assigned at source"}
    assert month_flags(wh) == {}
    code, out, _ = run_cli(["warehouse", "status", "--warehouse", wh], capsys)
    assert "EXCLUDED: hampshire 2019-02: categories mis-assigned at source" in out
    assert "Warning" not in out

    # include it again: the flag comes back
    code, out, err = run_cli(["warehouse", "include", "police-uk", "hampshire", "2019-02",
                              "--warehouse", wh], capsys)
    assert code == 0, err
    assert "it was excluded: categories mis-assigned at source" in out
    assert month_exclusions(wh) == {} and list(month_flags(wh)) == [key]


def test_exclusion_refuses_unknown_months_and_needs_a_reason(home, tmp_path, capsys,
                                                             shared_data):
    wh = tmp_path / "w"
    run_cli(["ingest", _real_hampshire(shared_data)[0], "--warehouse", wh], capsys)
    before = snapshot(wh)
    code, _, err = run_cli(["warehouse", "exclude", "police-uk", "kent", "2018-10", "--reason",
                            "x", "--warehouse", wh], capsys)
    assert code == 2 and "police-uk kent 2018-10 is not loaded" in err
    assert "police-uk hampshire" in err
    code, _, err = run_cli(["warehouse", "exclude", "police-uk", "hampshire", "2018-10",
                            "--reason", "  ", "--warehouse", wh], capsys)
    assert code == 2 and "needs a reason" in err
    code, _, err = run_cli(["warehouse", "exclude", "police-uk", "hampshire", "Oct 2018",
                            "--reason", "x", "--warehouse", wh], capsys)
    assert code == 2 and "YYYY-MM" in err
    code, _, err = run_cli(["warehouse", "include", "police-uk", "hampshire", "2018-10",
                            "--warehouse", wh], capsys)
    assert code == 2 and "is not excluded" in err
    assert snapshot(wh) == before


def test_exclusions_and_flags_survive_a_later_ingest(home, tmp_path, capsys, shared_data):
    real = _real_hampshire(shared_data)
    wh = tmp_path / "w"
    run_cli(["ingest", *real[:4], "--warehouse", wh], capsys)
    run_cli(["warehouse", "exclude", "police-uk", "hampshire", "2018-10", "--reason", "r",
             "--warehouse", wh], capsys)
    code, _, err = run_cli(["ingest", real[4], "--warehouse", wh], capsys)
    assert code == 0, err
    assert month_exclusions(wh) == {("police-uk", "hampshire", "2018-10"): "r"}


def test_profiles_are_recorded_per_month_and_category(home, tmp_path, capsys, shared_data):
    wh = tmp_path / "w"
    path = _real_hampshire(shared_data)[0]
    run_cli(["ingest", path, "--warehouse", wh], capsys)
    (batch,) = Warehouse(wh).batches()
    con = Warehouse(wh).connect()
    expected = dict(con.execute("SELECT police_uk_category, count(*) FROM crimes "
                                "GROUP BY ALL").fetchall())
    expected["Anti-social behaviour"] = con.execute(
        "SELECT count(*) FROM asb_incidents").fetchone()[0]
    got = {anomalies._label(k): n for k, n in batch.profile["2018-10"].items()}
    assert got == expected and sum(got.values()) == batch.stored
