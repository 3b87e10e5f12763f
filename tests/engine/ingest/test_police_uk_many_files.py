"""Many police.uk files load together (one chunk through the pipeline) exactly as each would
alone: the same rows, line numbers, references, duplicates and rejects, file by file. Globs and
the archive zip with --force pick the files."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from safecity.engine.errors import SourceError
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import HEADER, cid, run_cli, street_row, write_street


def _files(folder: Path) -> list[Path]:
    a = write_street(folder / "2019-01-hampshire-street.csv", [
        street_row(cid(1)),                                        # line 2
        street_row(cid(2), month="2019-13"),                       # line 3: bad month
        street_row(cid(1)),                                        # line 4: duplicate of 2
        street_row(cid(1), crime_type="Robbery"),                  # line 5: duplicate_id
        street_row("", crime_type="Anti-social behaviour"),        # line 6: ASB
        street_row("", crime_type="Burglary"),                     # line 7: crime without ID
    ])
    b = folder / "2019-01-dorset-street.csv"
    rows = [street_row(cid(10), force="Dorset Police"),            # line 2
            street_row(cid(11), force="Dorset Police")]            # line 3 (made too long)
    write_street(b, rows + [street_row(cid(12), force="Dorset Police"),   # line 4
                            street_row(cid(1), lon="500", force="Dorset Police"),  # line 5
                            street_row(cid(10), force="Dorset Police")])  # line 6: duplicate
    lines = b.read_text().splitlines()
    lines[2] += ",extra"
    b.write_text("\n".join(lines) + "\n")
    c = write_street(folder / "2019-02-hampshire-street.csv",
                     [street_row(cid(20), month="2019-02"),
                      street_row(cid(1), month="2019-02")])       # same ID as file a: fine
    return [a, b, c]


def _by_file(root: Path) -> dict[str, tuple]:
    wh = Warehouse(root)
    con = wh.connect()
    out = {}
    for batch in wh.batches():
        name = Path(batch.inputs[0]["name"]).name
        crimes = con.execute("SELECT source_line, crime_ref, duplicate_id, month FROM crimes "
                             "WHERE batch_id = ? ORDER BY source_line",
                             [batch.batch_id]).fetchall()
        asb = con.execute("SELECT source_line, incident_ref FROM asb_incidents "
                          "WHERE batch_id = ? ORDER BY source_line", [batch.batch_id]).fetchall()
        rejects = []
        if batch.rejects_file:
            with open(root / batch.rejects_file, encoding="utf-8", newline="") as fh:
                rejects = [(Path(r["source_file"]).name, r["source_line"], r["reason"])
                           for r in csv.DictReader(fh)]
        out[name] = (batch.read, batch.stored, batch.rejected, batch.scope, tuple(batch.months),
                     tuple(batch.notes), crimes, asb, rejects)
    return out


def test_files_loaded_together_equal_files_loaded_one_at_a_time(home, tmp_path):
    files = _files(tmp_path / "in")
    together = ingest_paths([tmp_path / "in"], warehouse=tmp_path / "together")
    assert [f.read for f in together.files] == [5, 6, 2]  # sorted by path: dorset first
    alone_root = tmp_path / "alone"
    for path in files:
        ingest_paths([path], warehouse=alone_root)
    assert _by_file(tmp_path / "together") == _by_file(alone_root)

    got = _by_file(tmp_path / "together")
    hants = got["2019-01-hampshire-street.csv"]
    assert [r[1:] for r in hants[8]] == [
        ("3", "Month '2019-13' is not a real month: expected YYYY-MM, e.g. 2019-01"),
        ("4", "duplicate of line 2: the same Crime ID, month, force, coordinates, LSOA, crime "
              "type and outcome")]
    assert [c[:3] for c in hants[6]] == [(2, cid(1), False), (5, cid(1), True),
                                         (7, "2019-01-hampshire-street.csv#7", False)]
    assert hants[7] == [(6, "2019-01-hampshire-street.csv#6")]
    dorset = got["2019-01-dorset-street.csv"]
    assert [r[1:] for r in dorset[8]] == [
        ("3", "the line has more fields than the header (an unquoted comma?)"),
        ("5", "Longitude '500' is not a number between -180 and 180"),
        ("6", "duplicate of line 2: the same Crime ID, month, force, coordinates, LSOA, crime "
              "type and outcome")]
    assert [c[0] for c in dorset[6]] == [2, 4]  # line numbers count the broken line
    assert dorset[3] == "dorset" and hants[3] == "hampshire"
    feb = got["2019-02-hampshire-street.csv"]
    assert [c[2] for c in feb[6]] == [False, False]  # a Crime ID in another file is no repeat


def test_a_glob_loads_the_files_it_matches(home, tmp_path):
    _files(tmp_path / "in")
    report = ingest_paths([tmp_path / "in" / "*-hampshire-street.csv"],
                          warehouse=tmp_path / "w")
    assert sorted(Path(f.name).name for f in report.files) == [
        "2019-01-hampshire-street.csv", "2019-02-hampshire-street.csv"]
    with pytest.raises(SourceError, match="matches no files"):
        ingest_paths([tmp_path / "in" / "*-kent-street.csv"], warehouse=tmp_path / "w")


def test_the_archive_zip_loads_only_the_forces_named(home, tmp_path, capsys):
    files = _files(tmp_path / "in")
    archive = tmp_path / "latest.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in files:
            z.write(path, f"{path.name[:7]}/{path.name}")
    code, out, err = run_cli(["ingest", archive, "--force", "Hampshire Constabulary",
                              "--warehouse", tmp_path / "w"], capsys)
    assert code == 0, err
    assert "dorset-street" not in out and out.count("-street.csv (") == 2, out
    assert {b.scope for b in Warehouse(tmp_path / "w").batches()} == {"hampshire"}
    code, out, err = run_cli(["ingest", archive, "--force", "kent",
                              "--warehouse", tmp_path / "w2"], capsys)
    assert code == 2 and "kent" in err and "Traceback" not in err
    assert not (tmp_path / "w2" / "manifest.json").exists()


def test_each_batch_profile_counted_at_ingest_equals_its_files_read_back(home, tmp_path,
                                                                          shared_data):
    """The month-by-category profile the anomaly checks and the replacement guard read is
    counted from the stage, for every file of a chunk at once; it equals what
    ``anomalies.batch_profile`` reads back from each batch's Parquet files (rejected rows,
    duplicates and ASB included in the test files; real months of two forces)."""
    from safecity.engine.ingest.anomalies import batch_profile

    _files(tmp_path / "in")
    for path in sorted((shared_data / "police-uk").glob("*/2019-0[12]-*-street.csv.gz"))[:6]:
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    ingest_paths([tmp_path / "in"], warehouse=tmp_path / "w")
    batches = Warehouse(tmp_path / "w").batches()
    assert len(batches) == 9
    for batch in batches:
        assert batch.profile, batch.inputs
        assert batch.profile == batch_profile(tmp_path / "w", batch.tables), batch.inputs
