"""The manifest records the pseudonymisation key's fingerprint, never the key; a missing or
different key stops ingest; ``safecity warehouse rotate-key`` replaces it deliberately."""

from __future__ import annotations

import json

from safecity.engine.ingest.pseudonymise import fingerprint, key_path

from .extract_helpers import rows, write_csv
from .police_uk_helpers import run_cli, snapshot, street_row, write_street

VICTIMS = ["crime_ref", "person_key", "victim_type"]
CRIMES = ["crime_ref", "offence_code", "recorded_date"]


def _extract(tmp_path, tag: str, month: str = "2019-04"):
    crimes = write_csv(tmp_path / f"crimes-{tag}.csv", CRIMES, [[f"{tag}1", "8N", f"{month}-02"]])
    victims = write_csv(tmp_path / f"victims-{tag}.csv", VICTIMS,
                        [[f"{tag}1", "Person 7", "person"]])
    return [crimes, victims]


def _manifest(wh):
    return json.loads((wh / "manifest.json").read_text())


def test_the_manifest_records_the_fingerprint_and_never_the_key(home, tmp_path, capsys):
    wh = tmp_path / "w"
    code, _, err = run_cli(["ingest", *_extract(tmp_path, "A"), "--source", "police-extract",
                            "--warehouse", wh], capsys)
    assert code == 0, err
    key_text = key_path().read_text().strip()
    record = _manifest(wh)["pseudonym_key"]
    assert record["fingerprint"] == fingerprint(bytes.fromhex(key_text)) and record["epoch"] == 1
    assert key_text not in (wh / "manifest.json").read_text()
    assert [b["key_epoch"] for b in _manifest(wh)["batches"] if "victims" in b["tables"]] == [1]


def test_a_missing_key_stops_ingest_and_leaves_the_warehouse_as_it_was(home, tmp_path, capsys):
    wh = tmp_path / "w"
    run_cli(["ingest", *_extract(tmp_path, "A"), "--source", "police-extract",
             "--warehouse", wh], capsys)
    key_path().unlink()
    before = snapshot(wh)
    code, _, err = run_cli(["ingest", *_extract(tmp_path, "B", "2019-05"), "--source",
                            "police-extract", "--warehouse", wh], capsys)
    assert code == 2 and "Traceback" not in err
    assert "key file" in err and "is missing" in err and "rotate-key" in err
    assert snapshot(wh) == before
    assert not key_path().exists()  # no new key was made behind the user's back


def test_a_different_key_stops_ingest(home, tmp_path, capsys):
    wh = tmp_path / "w"
    run_cli(["ingest", *_extract(tmp_path, "A"), "--source", "police-extract",
             "--warehouse", wh], capsys)
    key_path().write_text("ab" * 32)
    code, _, err = run_cli(["ingest", write_street(
        tmp_path / "2019-01-hampshire-street.csv", [street_row("x1")]), "--warehouse", wh], capsys)
    assert code == 2
    assert "is not the key the people in this warehouse were pseudonymised with" in err
    assert fingerprint(bytes.fromhex("ab" * 32)) in err


def test_rotate_key_starts_a_new_epoch_and_status_says_people_do_not_match_across(
        home, tmp_path, capsys):
    wh = tmp_path / "w"
    run_cli(["ingest", *_extract(tmp_path, "A"), "--source", "police-extract",
             "--warehouse", wh], capsys)
    old = key_path().read_text()
    code, out, err = run_cli(["warehouse", "rotate-key", "--warehouse", wh], capsys)
    assert code == 2  # --reason is required
    code, out, err = run_cli(["warehouse", "rotate-key", "--reason", "key leaked",
                              "--warehouse", wh], capsys)
    assert code == 0, err
    assert "epoch 2" in out and "do not match" in out
    assert key_path().read_text() != old
    record = _manifest(wh)["pseudonym_key"]
    assert record["epoch"] == 2 and record["history"][0]["reason"] == "key leaked"
    assert record["fingerprint"] == fingerprint(bytes.fromhex(key_path().read_text().strip()))
    code, _, err = run_cli(["ingest", *_extract(tmp_path, "B", "2019-05"), "--source",
                            "police-extract", "--warehouse", wh], capsys)
    assert code == 0, err
    # the same person under two keys: two different pseudonyms
    assert rows(wh, "SELECT count(DISTINCT person_key) FROM victims") == [(2,)]
    code, out, _ = run_cli(["warehouse", "status", "--warehouse", wh], capsys)
    assert "epoch 2" in out and "key epochs 1, 2 are loaded" in out


def test_rotate_key_after_a_lost_key_lets_ingest_go_on(home, tmp_path, capsys):
    wh = tmp_path / "w"
    run_cli(["ingest", *_extract(tmp_path, "A"), "--source", "police-extract",
             "--warehouse", wh], capsys)
    key_path().unlink()
    code, out, err = run_cli(["warehouse", "rotate-key", "--reason", "key lost",
                              "--warehouse", wh], capsys)
    assert code == 0, err
    code, _, err = run_cli(["ingest", *_extract(tmp_path, "B", "2019-05"), "--source",
                            "police-extract", "--warehouse", wh], capsys)
    assert code == 0, err
