"""Property: for any rows at all, the extract adapter stores or rejects each one (S + R = N)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecity.engine.ingest.police_extract import ADAPTER

from .extract_helpers import load, write_csv

HEADER = ["crime_ref", "offence_code", "recorded_date", "committed_from", "committed_to",
          "lsoa_code", "latitude", "longitude", "domestic_abuse", "weapon_bladed"]

# Values that are sometimes valid and sometimes not, so both paths are exercised.
cell = st.one_of(
    st.sampled_from(["", "8N", "105A", "4/1", "ZZ", "2019-04-01", "31/02/2019", "01/05/2019 10:00",
                     "E01017140", "E01035443", "50.9", "-1.4", "91", "Y", "n", "maybe", "£"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=6),
)
row = st.lists(cell, min_size=len(HEADER) - 2, max_size=len(HEADER) + 1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=25), bad_tail=st.booleans())
def test_every_row_read_is_stored_or_rejected(home, rows, bad_tail):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_csv(tmp / "x.csv", HEADER, rows)
        if bad_tail:  # sometimes cut the file mid-line
            data = path.read_bytes()
            path.write_bytes(data[: max(len(data) - 3, len(",".join(HEADER)) + 1)])
        (batch,) = load(ADAPTER, [path], tmp / "w")
        assert batch.read == batch.stored + batch.rejected
        rejects = 0
        if batch.rejects_file:
            import csv

            with open(tmp / "w" / batch.rejects_file, encoding="utf-8", newline="") as fh:
                rejects = sum(1 for _ in csv.reader(fh)) - 1
        assert rejects == batch.rejected
