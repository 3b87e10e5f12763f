"""The monthly pack lists and links each sector's open Partnership Action Group problems as the
web app last sent them (ingest kind ``action-groups``, the whole table replaced each time), and
has no such section when none were sent."""

from __future__ import annotations

import csv

from safecity.engine.assessment.monthly import build_monthly_pack
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .synthetic import build_extract, write_warehouse

HEADER = ["problem_ref", "group_name", "sector", "problem_type", "opened_date", "escalated",
          "actions_open", "actions_overdue", "link"]
CENTRAL = ["PAG-7", "Central PAG", "Central", "Drug dealing or use", "2020-01-06", "true", "2",
           "1", "https://safecity.example/action-groups/problems/7/"]
WEST = ["PAG-9", "West PAG", "West", "Anti-social behaviour", "2019-11-04", "false", "0", "0",
        "https://safecity.example/action-groups/problems/9/"]


def _send(tmp_path, root, rows, name="problems.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    ingest_paths([path], source="action-groups", warehouse=Warehouse(root))


def _section(pack):
    return next((s for s in pack.sections if s.key == "action_group_problems"), None)


def test_the_pack_lists_and_links_each_sectors_open_problems(tmp_path):
    root = tmp_path / "warehouse"
    write_warehouse(root, build_extract())
    assert _section(build_monthly_pack("2020-03", warehouse=root)) is None
    _send(tmp_path, root, [CENTRAL, WEST])
    section = _section(build_monthly_pack("2020-03", warehouse=root))
    assert section.narrative == ("2 problems are open in 2 sectors (Central, West).",)
    rows = section.tables[0].rows
    assert rows == (
        ("Central", "PAG-7", "Drug dealing or use", "6 Jan 2020", 2, 1, "yes", CENTRAL[-1]),
        ("West", "PAG-9", "Anti-social behaviour", "4 Nov 2019", 0, 0, "no", WEST[-1]))
    # the West problem closed: the next export replaces the table and the pack drops it
    _send(tmp_path, root, [CENTRAL], "again.csv")
    rows = _section(build_monthly_pack("2020-03", warehouse=root)).tables[0].rows
    assert [r[1] for r in rows] == ["PAG-7"]
