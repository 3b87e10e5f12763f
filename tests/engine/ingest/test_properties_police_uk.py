"""Property: for any mix of valid and invalid police.uk rows, stored + rejected = read.

Rows are drawn from valid values, near misses (bad months, unknown categories, half or
non-numeric coordinates, repeated IDs, exact repeats) and free text with commas, quotes and line
breaks; some lines are cut short. Whatever is drawn, every row read is either stored (crimes or
ASB incidents) or rejected with a reason, and the warehouse holds exactly what was reported.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .police_uk_helpers import HEADER, cid

ids = st.one_of(st.just(""), st.integers(0, 6).map(cid))
months = st.one_of(st.sampled_from(["2019-01", "2019-02", "2013-05", "2011-09"]),
                   st.sampled_from(["2019-13", "2019-00", "", "Jan-19", "2099-12"]))
types = st.sampled_from(["Burglary", "Anti-social behaviour", "Violent crime", "Drugs",
                         "violence and sexual offences", "Jaywalking", ""])
coords = st.one_of(
    st.tuples(st.floats(-8, 2).map("{:.6f}".format), st.floats(49.9, 60).map("{:.6f}".format)),
    st.just(("", "")), st.just(("-1.4", "")), st.just(("west", "50.9")), st.just(("200", "50")))
# A lone carriage return inside a quoted field is read by DuckDB as a line break (police.uk
# never writes one); NUL never occurs in text files. Everything else may appear in free text.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
               max_size=12)
lsoas = st.sampled_from(["E01017140", "E01035365", "W01000001", "", "E0XXXXXX"])


@st.composite
def rows(draw) -> tuple[list[str], bool]:
    lon, lat = draw(coords)
    row = [draw(ids), draw(months), "Hampshire Constabulary", "Hampshire Constabulary", lon,
           lat, draw(text), draw(lsoas), draw(text), draw(types), draw(text), ""]
    return row, draw(st.booleans())


@given(st.lists(rows(), max_size=30), st.integers(0, 3), st.booleans())
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_stored_plus_rejected_equals_read_for_any_rows(drawn, repeats, cut_last_line):
    data = [row for row, _ in drawn]
    data += [row for row, again in drawn if again][:repeats]  # exact repeats
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    content = buf.getvalue()
    if cut_last_line and data:
        content = content.rstrip("\n").rsplit(",", 3)[0] + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2019-01-hampshire-street.csv"
        path.write_text(content, encoding="utf-8")
        root = Path(tmp) / "w"
        # Rows of any month in one file: the row accounting is the property here, so the
        # file-name month check (its own tests: test_replacement_guard.py) is confirmed away.
        report = ingest_paths([path], source="police-uk", warehouse=root, replace_loaded=True)
        [f] = report.files
        assert f.read == len(data)
        assert f.stored + f.rejected == f.read
        con = Warehouse(root).connect()
        in_warehouse = sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                           for t in ("crimes", "asb_incidents"))
        assert in_warehouse == f.stored
        rejected_rows = 0
        for batch in Warehouse(root).batches():
            if batch.rejects_file:
                with open(root / batch.rejects_file, encoding="utf-8", newline="") as fh:
                    rejected = list(csv.DictReader(fh))
                assert all(r["reason"] for r in rejected)
                rejected_rows += len(rejected)
        assert rejected_rows == f.rejected
