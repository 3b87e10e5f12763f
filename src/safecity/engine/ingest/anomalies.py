"""Months of a source that look broken (flags) and months an analyst set aside (exclusions).

**The check.** Each month of each source and force is compared with that force's own other
loaded months (excluded months left out), on two things:

* the *total* (rows of every table the source writes for the month): flagged when it is more than
  ``TOTAL_FACTOR`` (2.5) times, or less than 1/2.5 of, the median of the other months' totals;
* the *mix of categories* (police.uk: the share of each crime type, anti-social behaviour
  included; other sources: each table, and the category column of crimes, hate reports and youth
  outcomes): flagged when the Jensen-Shannon divergence (base 2, in bits, from SciPy) between the
  month's shares and the median share of each category over the other months reaches
  ``MIX_JSD_ALARM`` (0.12 bits). The median, not the mean, so one bad month does not move the
  yardstick the others are held to.

A month is checked only against at least ``MIN_OTHER_MONTHS`` (3) other months; the mix only when
the month has at least ``MIN_MIX_ROWS`` (200) rows and the total only when the other months' median
is at least ``MIN_TOTAL_ROWS`` (50). Smaller months are reported as not checked, never as fine.

**Why these thresholds, and the false-alarm rate.** Two kinds of variation must not raise an alarm:

* *Chance* (a month drawn from the force's own mix): by simulation (20,000 months of 200 rows,
  each against five other months of 200 rows, all drawn from one force's mix, Hampshire's of
  October 2018), no month came within half of 0.12 bits (the largest was 0.058), so the
  false-alarm rate from chance is below 1 in 20,000 months at 200 rows and falls with size
  (``tests/engine/ingest/test_anomalies.py`` repeats the simulation with 5,000 months). A
  In the same simulation a month of 200 rows with violence at 80 % of rows is flagged about
  98 % of the time: small months can hide a broken mix behind chance. A
  Poisson total whose mean is 50 or more falls outside a factor of 2.5 of it with probability
  below 1 in 100,000.
* *Real change* (data.police.uk's categories drift over years: anti-social behaviour fell from a
  third of rows to a tenth in some forces between 2019 and 2025). Over the 238 real months in
  ``shared/data/police-uk`` (40 forces, 2017-2025, each against the force's other months) the
  largest divergence is 0.096 bits (Derbyshire, January 2025 against late 2018) and the totals lie
  between 0.52 and 1.37 times the median: no alarm on any real month (tested).

A month whose categories were mis-assigned at source (one category ballooning to 80 % of rows
while anti-social behaviour and shoplifting collapse, the total unchanged) diverges by at least
0.153 bits on every one of those forces and months, so the alarm sits between the largest real
drift and the smallest such corruption. A genuine change as large as a corruption (a force
re-categorising its recording) is flagged too: that is what the analyst's exclusion, or the
recorded reason, is for.

**Records.** Flags and exclusions live in the warehouse manifest (``manifest.json``) as top-level
lists beside ``batches``:

``month_flags``
    one entry per flagged month: ``{"source", "force", "month", "reason"}``. ``force`` is the
    police force (the police.uk replacement scope) or ``null`` for a source not split by force.
    ``reason`` is said (as a warning) at ingest and by ``safecity warehouse status``. Recomputed
    every time the warehouse changes (a new month changes the yardstick of the others).
``exclusions``
    one entry per excluded month: ``{"source", "force", "month", "reason", "excluded_at"}``;
    ``reason`` is the analyst's own words, recorded by ``safecity warehouse exclude``.

Each batch also records ``profile``: rows per month and category key, from the Parquet files it
wrote, so these checks (and ``warehouse status``) read the manifest alone.

Figures read them through :func:`month_flags` and :func:`month_exclusions`, keyed by
``(source, force or None, "YYYY-MM")``.

>>> manifest = {"version": 1, "batches": [], "month_flags": [
...     {"source": "police-uk", "force": "hampshire", "month": "2019-03", "reason": "odd mix"}]}
>>> month_flags(manifest)
{('police-uk', 'hampshire', '2019-03'): 'odd mix'}
>>> month_exclusions(manifest)
{}
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any, Iterable, Mapping

MonthKey = tuple[str, "str | None", str]

#: Manifest field names (top level of manifest.json).
FLAGS_FIELD = "month_flags"
EXCLUSIONS_FIELD = "exclusions"

TOTAL_FACTOR = 2.5
MIX_JSD_ALARM = 0.12
MIN_OTHER_MONTHS = 3
MIN_MIX_ROWS = 200
MIN_TOTAL_ROWS = 50

#: The category column of a table, for the mix; a table without one counts as one category.
CATEGORY_COLUMNS = {"crimes": "police_uk_category", "hate_reports": "channel",
                    "youth_justice": "outcome_type"}
#: How a table's rows are named in a sentence, when the table is the category.
_TABLE_LABEL = {"asb_incidents": "Anti-social behaviour"}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _manifest(manifest: Any) -> Mapping[str, Any]:
    """The parsed manifest from a dict, a ``Warehouse``, a warehouse folder or manifest.json."""
    if isinstance(manifest, Mapping):
        return manifest
    if hasattr(manifest, "manifest_path"):  # a Warehouse (not imported: keeps this module light)
        path = Path(manifest.manifest_path)
    elif manifest is None:
        return {}
    else:
        path = Path(manifest)
        if path.is_dir() or path.suffix != ".json":
            path = path / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _keyed(entries: Any) -> dict[MonthKey, str]:
    out: dict[MonthKey, str] = {}
    for entry in entries or ():
        out[(str(entry["source"]), entry.get("force") or None, str(entry["month"]))] = \
            str(entry.get("reason") or "")
    return out


def month_flags(manifest: Any) -> dict[MonthKey, str]:
    """(source, force or None, "YYYY-MM") → why the month was flagged; {} when none is."""
    return _keyed(_manifest(manifest).get(FLAGS_FIELD))


def month_exclusions(manifest: Any) -> dict[MonthKey, str]:
    """(source, force or None, "YYYY-MM") → the analyst's recorded reason; {} when none is."""
    return _keyed(_manifest(manifest).get(EXCLUSIONS_FIELD))


# -- profiles ---------------------------------------------------------------------------------
def force_of(source: str, scope: str) -> str | None:
    """The force a batch's months belong to: the police.uk replacement scope, else None."""
    return scope or None if source == "police-uk" else None


def batch_profile(root: Path, tables: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Rows per month and category key (``table`` or ``table/category``) of a batch's tables,
    read from its Parquet files (two columns each, so cheap even for a national file)."""
    import duckdb

    from .. import contract, sql

    out: dict[str, dict[str, int]] = defaultdict(dict)
    con = duckdb.connect(":memory:")
    try:
        for name, bt in tables.items():
            if bt.rows <= 0 or name not in contract.TABLES:
                continue
            if "month" not in {c.name for c in contract.TABLES[name].columns}:
                continue
            path = sql.literal(Path(root) / bt.file)
            column = CATEGORY_COLUMNS.get(name)
            category = (f"coalesce(CAST({sql.identifier(column)} AS VARCHAR), '(none)')"
                        if column else "NULL")
            rows = con.execute(
                f"SELECT month, {category}, count(*) FROM read_parquet({path}) "
                f"WHERE month IS NOT NULL GROUP BY ALL").fetchall()
            for month, cat, n in rows:
                out[month][profile_key(name, cat)] = (out[month].get(profile_key(name, cat), 0)
                                                      + int(n))
    finally:
        con.close()
    return {m: dict(sorted(c.items())) for m, c in sorted(out.items())}


def profile_key(table: str, category: str | None) -> str:
    """A profile's category key: ``table``, or ``table/category`` for a table with a category
    column (``CATEGORY_COLUMNS``; a blank category is ``(none)``)."""
    if table not in CATEGORY_COLUMNS:
        return table
    return f"{table}/{'(none)' if category is None else category}"


def profile_of(counts: Iterable[tuple[str, str, str | None, int]]) -> dict[str, dict[str, int]]:
    """A batch profile (as ``batch_profile`` reads it back) from (table, month, category, rows)
    counted while loading: a loader that has its rows in hand gives them here instead of
    having every file read again (about 24 ms a file, two minutes for a national archive)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for table, month, category, n in counts:
        if month is None or not n:
            continue
        key = profile_key(table, category)
        out[month][key] = out[month].get(key, 0) + int(n)
    return {m: dict(sorted(c.items())) for m, c in sorted(out.items())}


Profiles = dict[tuple[str, "str | None"], dict[str, dict[str, int]]]


def group_profiles(batches: Iterable[Any]) -> Profiles:
    """(source, force) → month → category key → rows, summed over the batches."""
    out: dict[tuple[str, str | None], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict))
    for batch in batches:
        group = out[(batch.source, force_of(batch.source, batch.scope))]
        for month, counts in (getattr(batch, "profile", None) or {}).items():
            for key, n in counts.items():
                group[month][key] = group[month].get(key, 0) + n
    return out


# -- the check --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthCheck:
    """The outcome of checking one month: ``reason`` is None when nothing is wrong."""

    source: str
    force: str | None
    month: str
    rows: int
    checked: bool
    reason: str | None = None


def _label(key: str) -> str:
    table, _, category = key.partition("/")
    return category or _TABLE_LABEL.get(table, table.replace("_", " "))


def _shares(counts: Mapping[str, int], keys: list[str]) -> list[float]:
    total = sum(counts.values())
    return [counts.get(k, 0) / total for k in keys]


def check_month(month: str, counts: Mapping[str, int],
                others: Mapping[str, Mapping[str, int]]) -> tuple[bool, str | None]:
    """(checked, reason flagged or None) for one month against the force's other months."""
    from scipy.spatial.distance import jensenshannon

    others = {m: c for m, c in others.items() if sum(c.values()) > 0}
    if len(others) < MIN_OTHER_MONTHS:
        return False, None
    rows = sum(counts.values())
    reasons = []
    checked = False
    usual = median(sum(c.values()) for c in others.values())
    if usual >= MIN_TOTAL_ROWS:
        checked = True
        ratio = rows / usual
        if ratio > TOTAL_FACTOR or ratio < 1 / TOTAL_FACTOR:
            reasons.append(f"{rows:,} rows, {ratio:.2f} times the median of its other "
                           f"{len(others)} months ({usual:,.0f}; alarm beyond {TOTAL_FACTOR} "
                           f"times either way)")
    if rows >= MIN_MIX_ROWS:
        checked = True
        keys = sorted(set(counts).union(*others.values()))
        columns = list(zip(*(_shares(c, keys) for c in others.values())))
        base = [median(col) for col in columns]
        norm = sum(base)
        base = [b / norm for b in base] if norm else base
        share = _shares(counts, keys)
        jsd = float(jensenshannon(share, base, base=2) ** 2) if norm else 1.0
        if jsd >= MIX_JSD_ALARM:
            moved = sorted(zip(keys, share, base), key=lambda t: -abs(t[1] - t[2]))[:3]
            detail = "; ".join(f"{_label(k)} {s:.0%} of rows (usually {b:.0%})"
                               for k, s, b in moved)
            reasons.append(f"its mix of categories is unlike its other {len(others)} months "
                           f"({detail}; Jensen-Shannon divergence {jsd:.2f} bits, alarm at "
                           f"{MIX_JSD_ALARM})")
    return checked, "; ".join(reasons) or None


def check_batches(batches: Iterable[Any], exclusions: Mapping[MonthKey, str] | None = None,
                  ) -> list[MonthCheck]:
    """Every month of every source and force, checked against that force's other months
    (excluded months are neither checked nor used as a yardstick)."""
    exclusions = exclusions or {}
    out = []
    for (source, force), months in sorted(group_profiles(batches).items(),
                                          key=lambda kv: (kv[0][0], kv[0][1] or "")):
        kept = {m: c for m, c in months.items() if (source, force, m) not in exclusions}
        for month in sorted(kept):
            others = {m: c for m, c in kept.items() if m != month}
            checked, reason = check_month(month, kept[month], others)
            out.append(MonthCheck(source, force, month, sum(kept[month].values()), checked,
                                  reason))
    return out


def flag_entries(batches: Iterable[Any], exclusions: Mapping[MonthKey, str] | None = None,
                 ) -> list[dict[str, Any]]:
    """The ``month_flags`` manifest list for these batches."""
    return [{"source": c.source, "force": c.force, "month": c.month, "reason": c.reason}
            for c in check_batches(batches, exclusions) if c.reason]


def flag_sentence(key: MonthKey, reason: str) -> str:
    """The sentence for a flagged month, with what to do about it (printed after "Warning:")."""
    source, force, month = key
    where = f"{source} {force}" if force else source
    return (f"{where} {month} looks wrong at source: {reason}. Check the file; if the "
            f"month is wrong, exclude it with: safecity warehouse exclude {source} "
            f"{force or '-'} {month} --reason \"...\"")


# -- exclusions -------------------------------------------------------------------------------
def exclude_month(warehouse: Any, source: str, force: str | None, month: str,
                  reason: str) -> None:
    """Record that ``month`` of ``source`` and ``force`` is excluded, with the analyst's reason
    (one atomic manifest write). WarehouseError when that month is not loaded."""
    from ..errors import WarehouseError

    reason = (reason or "").strip()
    if not reason:
        raise WarehouseError("An exclusion needs a reason.",
                             fix='Add --reason "why the month is excluded".')
    with warehouse.transaction() as tx:
        key = _loaded_key(tx.current(), source, force, month)
        entries = [e for e in tx.extra.get(EXCLUSIONS_FIELD, [])
                   if _keyed([e]).keys() != {key}]
        entries.append({"source": key[0], "force": key[1], "month": key[2], "reason": reason,
                        "excluded_at": dt.datetime.now(dt.timezone.utc)
                        .isoformat(timespec="seconds")})
        tx.extra[EXCLUSIONS_FIELD] = sorted(entries, key=_sort_key)
        tx.touch()


def include_month(warehouse: Any, source: str, force: str | None, month: str) -> str:
    """Remove an exclusion; returns the reason it had. WarehouseError when there is none."""
    from ..errors import WarehouseError

    with warehouse.transaction() as tx:
        key = (source, force or None, month)
        entries = tx.extra.get(EXCLUSIONS_FIELD, [])
        found = [e for e in entries if _keyed([e]).keys() == {key}]
        if not found:
            raise WarehouseError(
                f"{_where(key)} {month} is not excluded.",
                fix="See which months are with: safecity warehouse status.")
        tx.extra[EXCLUSIONS_FIELD] = [e for e in entries if e not in found]
        tx.touch()
        return str(found[0].get("reason") or "")


def _where(key: MonthKey) -> str:
    return f"{key[0]} {key[1]}" if key[1] else key[0]


def _sort_key(entry: Mapping[str, Any]) -> tuple[str, str, str]:
    return (entry["source"], entry.get("force") or "", entry["month"])


def _loaded_key(batches: list[Any], source: str, force: str | None, month: str) -> MonthKey:
    from ..errors import WarehouseError

    if not _MONTH.match(month or ""):
        raise WarehouseError(f"{month!r} is not a month.", fix="Give it as YYYY-MM, e.g. 2019-03.")
    force = None if force in (None, "", "-") else force
    loaded: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for b in batches:
        loaded[(b.source, force_of(b.source, b.scope))].update(b.months)
    if month not in loaded.get((source, force), set()):
        known = sorted(f"{s} {f}" if f else s for (s, f), ms in loaded.items() if ms)
        raise WarehouseError(
            f"{_where((source, force, month))} {month} is not loaded, so it cannot be excluded.",
            fix=("Loaded sources and forces: " + ", ".join(known) + "." if known
                 else "The warehouse holds no months yet."))
    return (source, force, month)
