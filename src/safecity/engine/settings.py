"""One registry of settings, each with a help string, overridable from the environment.

Environment overrides fail loudly on bad values. ``docs/configuration.md`` is checked against this
registry by a test, so the docs cannot fall behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import ConfigError


def _parse_int(text: str) -> int:
    return int(text)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _parse_count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(f"expected a whole number from 0 up, got {text!r}")
    return value


def _parse_fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _parse_path(text: str) -> Path:
    return Path(text).expanduser()


def _parse_paths(text: str) -> tuple[Path, ...]:
    return tuple(_parse_path(p.strip()) for p in text.split(",") if p.strip())


def _parse_codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_nights(text: str) -> tuple[str, ...]:
    nights = tuple(n.strip().lower()[:3] for n in text.split(",") if n.strip())
    bad = [n for n in nights if n not in _WEEKDAYS]
    if bad or not nights:
        raise ValueError("expected weekday names separated by commas, e.g. fri,sat")
    return nights


def _parse_hours(text: str) -> tuple[int, int]:
    try:
        start, end = (int(h) for h in text.split("-"))
    except ValueError:
        raise ValueError("expected two hours START-END, e.g. 20-6") from None
    if not (0 <= start <= 23 and 0 <= end <= 23) or start == end:
        raise ValueError("expected two different hours from 0 to 23, e.g. 20-6")
    return start, end


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"SAFECITY_{self.name.upper()}"


REGISTRY: dict[str, Setting] = {}


def register(setting: Setting) -> Setting:
    REGISTRY[setting.name] = setting
    return setting


register(Setting("home", Path("var"), "Folder holding all safecity state: warehouse, rejects, "
                 "manifest, secrets, demo files and assessments.", _parse_path))
register(Setting("warehouse", None, "Warehouse folder; defaults to $SAFECITY_HOME/warehouse.",
                 _parse_path))
register(Setting("pseudonym_key_file", None, "File holding the secret key used to pseudonymise "
                 "person identifiers; defaults to $SAFECITY_HOME/secrets/pseudonym.key, created "
                 "on first use. Keep it outside the warehouse and back it up: the warehouse records "
                 "its fingerprint (never the key), and ingest stops if the file is missing or "
                 "holds another key; `safecity warehouse rotate-key` replaces it deliberately.",
                 _parse_path))
register(Setting("replace_min_share", 0.5, "Ingest refuses, unless run with --replace, to "
                 "replace a loaded month of a source and force with a file holding fewer than "
                 "this share of the month's loaded rows (0.5: fewer than half), saying how many "
                 "rows would go. 0 turns the check off.", _parse_fraction))
register(Setting("suppression_threshold", 5, "Counts below this are suppressed in published "
                 "outputs (victim, offender, youth and sensitive-offence breakdowns).", _parse_int))
register(Setting("non_recent_months", 12, "A sexual offence recorded more than this many months "
                 "after it was committed counts as non-recent.", _parse_int))
register(Setting("partnership_csp", "E22000120", "ONS code of the partnership's own CSP "
                 "(the default area of an assessment).", str))
register(Setting("comparator_csps", (), "Comma-separated ONS CSP codes of the comparator group "
                 "used in benchmarking.", _parse_codes))
register(Setting("small_numbers_threshold", 20, "A change where either count is below this is "
                 "marked 'small numbers, interpret with caution' (ONS flags rates from fewer than "
                 "20 events as unreliable: the relative standard error of a Poisson count of 20 is "
                 "22 %).", _parse_int))
register(Setting("hotspot_cell_size", 250, "Side in metres of the square grid cells used for "
                 "Getis-Ord Gi* hotspots (0 means sfhotspot's rule: 50 cells on the shorter side "
                 "of the area, rounded down to a multiple of 100 m).", _parse_int))
register(Setting("aoristic_max_span_hours", 168, "Offences whose committed-from/to window is "
                 "longer than this many hours are left out of hour-of-week profiles (too vague "
                 "to place in time); they are counted and reported as excluded.", _parse_int))
register(Setting("nte_nights", ("fri", "sat"), "Nights of the night-time economy "
                 "(comma-separated weekdays; a night runs from nte_hours' start on that day to "
                 "its end the next morning). Violence committed in these hours counts as "
                 "night-time economy crime (docs/metrics.md).", _parse_nights))
register(Setting("nte_hours", (20, 6), "Hours of the night-time economy, START-END on the "
                 "24-hour clock (20-6: 20:00 to 05:59 the next morning).", _parse_hours))
register(Setting("nte_lsoas", (), "Comma-separated LSOA codes of the night-time economy area "
                 "(the town centre); empty means the whole area.", _parse_codes))
register(Setting("weights_file", None, "CSV of offence severity weights (columns code,weight and "
                 "optionally edition) to use instead of the shipped ONS Crime Severity Score list "
                 "of weights, edition c. 2020.", _parse_path))
register(Setting("baskets_file", None, "YAML file of offence baskets (Most Serious Violence, "
                 "bladed implement...) overriding or adding to the shipped ones; same shape as "
                 "classification/baskets.yaml.", _parse_path))
register(Setting("benchmark_table", None, "Home Office police recorded crime open-data table "
                 "by CSP (CSV or XLSX) used to benchmark the assessment; without it, "
                 "data.police.uk months loaded for other areas are used.", _parse_path))
register(Setting("national_tables", (), "Comma-separated paths of published national tables "
                 "(layout in docs/data-sources.md) the web app compares with: the youth "
                 "re-offending tracker's first-time entrant rate against the national value and "
                 "the areas' quartiles. `safecity assess --national FILE` names its own.",
                 _parse_paths))
register(Setting("allow_unregistered_loads", False, "Load record-level sources (police extract, "
                 "ASB, hate, youth justice, referrals) that have no information sharing agreement "
                 "in the register of sources. For demo and test data only; a real partnership "
                 "registers each source (docs/governance.md).", _parse_bool))
register(Setting("hate_report_retention_months", 12, "Months the web app keeps what a third-party "
                 "hate report says (its text, place, contact details and triage note) after it "
                 "was received; then `safecity web manage purge_hate_reports` (run it daily) "
                 "deletes them, keeping the date, channel, centre, strands, status and LSOA the "
                 "partnership's counts are made from.", _parse_int))
register(Setting("compact_small_files", 12, "Ingest compacts a source's files for one force (or "
                 "scope) and year into one file per table once that year holds at least this "
                 "many small batches (under 1,000,000 rows each, e.g. the twelve monthly "
                 "police.uk files of a force's year), right after the load commits and in one "
                 "atomic step; 0 leaves compaction to 'safecity warehouse compact'.",
                 _parse_count))
register(Setting("progress", True, "Show progress bars on long steps (set false in scripts).",
                 _parse_bool))


def get(name: str) -> Any:
    """Return a setting's value: the environment override if set, else the default."""
    try:
        setting = REGISTRY[name]
    except KeyError:
        raise ConfigError(f"There is no setting called {name!r}.") from None
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    try:
        return setting.parse(raw)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"The environment variable {setting.env}={raw!r} is not valid: {exc}.",
            fix=f"Set it to a valid value or unset it. It means: {setting.help}",
        ) from None


def home() -> Path:
    return Path(get("home"))


def warehouse_dir(override: str | Path | None = None) -> Path:
    if override:
        return Path(override)
    return Path(get("warehouse") or home() / "warehouse")
