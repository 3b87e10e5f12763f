"""Offence classification: Home Office offence code → ONS offence group and subgroup (current
labels) → police.uk street category → ONS Crime Severity Score weight; and offence baskets.

Package data (built by ``scripts/build_reference_data.py``; every choice in docs/classification.md):

* ``offences.csv``: code, label, offence_group, offence_subgroup, police_uk_category.
* ``css_weights_c2020.csv``: code, weight, edition: the ONS Crime Severity Score list of weights,
  edition c. 2020. Another edition can be loaded (setting ``weights_file``: a CSV with columns
  ``code,weight`` and optionally ``edition``). Figures using weights must name the edition
  (``Classification.weights_edition``).
* ``baskets.yaml``: named code sets (Most Serious Violence, bladed implement…), overridable by a
  user file (setting ``baskets_file``).

>>> c = load()
>>> o = c.offence("008n")
>>> o.code, o.group, o.subgroup, o.police_uk_category, round(o.weight, 2)
('8N', 'Violence against the person', 'Violence with injury', 'Violence and sexual offences', 189.15)
>>> c.offence("4/1").label, c.offence("99999") is None
('Manslaughter', True)
>>> sorted(c.basket("most_serious_violence"))[:4]
['1', '2', '4.1', '4.10']
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from .. import contract, settings
from ..errors import ConfigError
from ..yamlfile import read_yaml

DEFAULT_EDITION = "ONS Crime Severity Score list of weights, edition c. 2020"

#: ONS offence groups and their subgroups, in the order ONS tables list them (current labels).
GROUPS: dict[str, tuple[str, ...]] = {
    "Violence against the person": ("Homicide", "Death or serious injury - unlawful driving",
                                    "Violence with injury", "Violence without injury",
                                    "Stalking and harassment"),
    "Sexual offences": ("Rape", "Other sexual offences"),
    "Robbery": ("Robbery of business property", "Robbery of personal property"),
    "Theft offences": ("Residential burglary", "Non-residential burglary", "Vehicle offences",
                       "Theft from the person", "Bicycle theft", "Shoplifting",
                       "All other theft offences"),
    "Criminal damage and arson": ("Criminal damage", "Arson"),
    "Drug offences": ("Trafficking of drugs", "Possession of drugs"),
    "Possession of weapons offences": ("Possession of weapons offences",),
    "Public order offences": ("Public order offences",),
    "Miscellaneous crimes against society": ("Miscellaneous crimes against society",),
    "Fraud offences": ("Fraud offences",),
}


@dataclass(frozen=True)
class Offence:
    code: str
    label: str
    group: str
    subgroup: str
    police_uk_category: str | None
    weight: float | None  # None: no weight in the loaded edition (fraud, codes it lacks)


@dataclass(frozen=True)
class Basket:
    name: str
    label: str
    description: str
    codes: frozenset[str]
    flag: str | None = None  # crimes column; a crime is in the basket if the flag is true too


_CODE_PART = re.compile(r"^0*(\d+)([A-Z]?)$")


def normalise_code(text: object) -> str | None:
    """A Home Office offence code in the form the classification uses, or None if blank.

    Upper case, spaces removed, leading zeros dropped from each number ("008N" → "8N"), and the
    Counting Rules' slash for a sub-class read as a dot ("4/1" → "4.1", "4/10" → "4.10"). Whether
    the code is *known* is ``Classification.offence``'s business.

    >>> [normalise_code(c) for c in ("8n", " 008N ", "105a", "4/1", "4/10", "046", "", None)]
    ['8N', '8N', '105A', '4.1', '4.10', '46', None, None]
    """
    if text is None:
        return None
    code = "".join(str(text).split()).upper()
    if not code:
        return None
    parts = re.split(r"[./]", code)
    if len(parts) <= 2 and all(_CODE_PART.match(p) for p in parts):
        return ".".join("".join(_CODE_PART.match(p).groups()) for p in parts)  # type: ignore[union-attr]
    return code


class Classification:
    """The loaded classification; cheap to query, immutable."""

    def __init__(self, offences: dict[str, Offence], baskets: dict[str, Basket],
                 weights_edition: str, unknown_weight_codes: tuple[str, ...] = ()) -> None:
        self._offences = offences
        self._baskets = baskets
        self.weights_edition = weights_edition
        self.unknown_weight_codes = unknown_weight_codes  # codes in a user's weights file we lack
        self._memo: dict[str, str | None] = {}

    def resolve(self, code: object) -> str | None:
        """The known code a supplied code stands for, or None.

        Besides ``normalise_code``, a sub-class of a code that is only classified as a whole maps
        to it ("1/1" murder of a person aged 1 or over → "1"; "46.0" from a spreadsheet → "46").
        """
        if isinstance(code, str):
            try:
                return self._memo[code]
            except KeyError:
                pass
            found = self._resolve(code)
            if len(self._memo) < 100_000:
                self._memo[code] = found
            return found
        return self._resolve(code)

    def _resolve(self, code: object) -> str | None:
        norm = normalise_code(code)
        if norm is None:
            return None
        if norm in self._offences:
            return norm
        head = norm.split(".")[0]
        if "." in norm and head in self._offences and not any(
                k.startswith(head + ".") for k in self._offences):
            return head
        return None

    def offence(self, code: object) -> Offence | None:
        known = self.resolve(code)
        return self._offences[known] if known else None

    def offences(self) -> tuple[Offence, ...]:
        return tuple(self._offences.values())

    def groups(self) -> tuple[str, ...]:
        return tuple(GROUPS)

    def subgroups(self, group: str) -> tuple[str, ...]:
        try:
            return GROUPS[group]
        except KeyError:
            raise ConfigError(f"There is no ONS offence group called {group!r}.",
                              fix=f"Groups: {', '.join(GROUPS)}.") from None

    def codes(self, *, group: str | None = None, subgroup: str | None = None) -> frozenset[str]:
        return frozenset(o.code for o in self._offences.values()
                         if (group is None or o.group == group)
                         and (subgroup is None or o.subgroup == subgroup))

    def baskets(self) -> tuple[str, ...]:
        return tuple(self._baskets)

    def basket(self, name: str) -> frozenset[str]:
        return self.basket_definition(name).codes

    def basket_definition(self, name: str) -> Basket:
        try:
            return self._baskets[name]
        except KeyError:
            raise ConfigError(f"There is no offence basket called {name!r}.",
                              fix=f"Baskets: {', '.join(self._baskets)}; add one with the "
                                  "baskets_file setting.") from None

    def as_arrow_table(self) -> pa.Table:
        """One row per code, for joins in DuckDB (weight is null where the edition has none)."""
        rows = list(self._offences.values())
        return pa.table({
            "code": pa.array([o.code for o in rows], pa.string()),
            "label": pa.array([o.label for o in rows], pa.string()),
            "offence_group": pa.array([o.group for o in rows], pa.string()),
            "offence_subgroup": pa.array([o.subgroup for o in rows], pa.string()),
            "police_uk_category": pa.array([o.police_uk_category for o in rows], pa.string()),
            "weight": pa.array([o.weight for o in rows], pa.float64()),
        })


def _data(name: str) -> str:
    return (resources.files(__name__) / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _shipped_offences() -> tuple[tuple[str, str, str, str, str | None], ...]:
    rows = csv.DictReader(io.StringIO(_data("offences.csv")))
    return tuple((r["code"], r["label"], r["offence_group"], r["offence_subgroup"],
                  r["police_uk_category"] or None) for r in rows)


def read_weights(text: str, origin: str) -> tuple[dict[str, float], str | None]:
    """Parse a weights CSV (code, weight[, edition]) → ({code: weight}, edition or None)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    if "code" not in header or "weight" not in header:
        raise ConfigError(f"The weights file {origin} needs columns 'code' and 'weight' "
                          f"(it has {', '.join(header) or 'none'}).",
                          fix="Write a CSV with a header row: code,weight[,edition].")
    ci, wi = header.index("code"), header.index("weight")
    ei = header.index("edition") if "edition" in header else None
    weights: dict[str, float] = {}
    editions: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        code = normalise_code(row[ci] if ci < len(row) else "")
        try:
            weight = float(row[wi])
            if weight < 0:
                raise ValueError
        except (ValueError, IndexError):
            raise ConfigError(f"The weights file {origin}, line {line}: weight "
                              f"{(row[wi] if wi < len(row) else '')!r} is not a non-negative number.",
                              fix="Each row needs a code and a number.") from None
        if code is None:
            raise ConfigError(f"The weights file {origin}, line {line} has no code.",
                              fix="Each row needs a Home Office offence code.")
        if code in weights and weights[code] != weight:
            raise ConfigError(f"The weights file {origin}, line {line} gives code {code} a second, "
                              "different weight.", fix="Keep one weight per code.")
        weights[code] = weight
        if ei is not None and ei < len(row) and row[ei].strip():
            editions.add(row[ei].strip())
    if len(editions) > 1:
        raise ConfigError(f"The weights file {origin} mixes editions ({', '.join(sorted(editions))}).",
                          fix="Keep one edition per file: an assessment uses one edition throughout.")
    return weights, (editions.pop() if editions else None)


def _parse_baskets(raw: Any, origin: str, offences: dict[str, Offence],
                   resolve) -> dict[str, Basket]:
    if not isinstance(raw, dict) or not isinstance(raw.get("baskets"), dict):
        raise ConfigError(f"The baskets file {origin} has no 'baskets:' table.",
                          fix="Copy the shape of the shipped baskets (docs/classification.md).")
    out: dict[str, Basket] = {}
    flags = {c.name for c in contract.CRIMES.columns if c.type is contract.Type.BOOL}
    for name, spec in raw["baskets"].items():
        if not isinstance(spec, dict):
            raise ConfigError(f"The baskets file {origin}: basket {name!r} is not a table.",
                              fix="Give it label, description and codes.")
        codes: set[str] = set()
        for code in spec.get("codes") or []:
            known = resolve(code)
            if known is None:
                raise ConfigError(f"The baskets file {origin}: basket {name!r} lists code {code!r}, "
                                  "which is not in the offence classification.",
                                  fix="Check the code against docs/classification.md.")
            codes.add(known)
        for key, attr in (("groups", "group"), ("subgroups", "subgroup")):
            for label in spec.get(key) or []:
                members = {o.code for o in offences.values() if getattr(o, attr) == label}
                if not members:
                    raise ConfigError(f"The baskets file {origin}: basket {name!r} names {key[:-1]} "
                                      f"{label!r}, which has no codes.",
                                      fix="Use the labels in docs/classification.md.")
                codes |= members
        flag = spec.get("flag")
        if flag is not None and flag not in flags:
            raise ConfigError(f"The baskets file {origin}: basket {name!r} has flag {flag!r}, which "
                              "is not a crimes flag column.", fix=f"Flags: {', '.join(sorted(flags))}.")
        if not codes and not flag:
            raise ConfigError(f"The baskets file {origin}: basket {name!r} is empty.",
                              fix="Give it codes, subgroups, groups or a flag.")
        out[name] = Basket(name, str(spec.get("label", name)), str(spec.get("description", "")),
                           frozenset(codes), flag)
    return out


def load(weights_path: str | Path | None = None,
         baskets_path: str | Path | None = None) -> Classification:
    """The classification with the shipped weights (or ``weights_path`` / setting
    ``weights_file``) and the shipped baskets overlaid by ``baskets_path`` / ``baskets_file``."""
    weights_path = weights_path or settings.get("weights_file")
    baskets_path = baskets_path or settings.get("baskets_file")
    return _load(str(weights_path) if weights_path else None,
                 str(baskets_path) if baskets_path else None)


@lru_cache(maxsize=8)
def _load(weights_path: str | None, baskets_path: str | None) -> Classification:
    if weights_path is None:
        weights, edition = read_weights(_data("css_weights_c2020.csv"), "css_weights_c2020.csv")
    else:
        try:
            text = Path(weights_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The weights file {weights_path} cannot be read ({exc}).",
                              fix="Give a UTF-8 CSV with columns code,weight[,edition].") from None
        weights, edition = read_weights(text, weights_path)
        edition = edition or f"weights from {Path(weights_path).name}"
    offences = {code: Offence(code, label, group, sub, cat, weights.get(code))
                for code, label, group, sub, cat in _shipped_offences()}
    unknown = tuple(sorted(set(weights) - set(offences)))
    cls = Classification(offences, {}, edition or DEFAULT_EDITION, unknown)
    baskets = _parse_baskets(yaml.safe_load(_data("baskets.yaml")), "baskets.yaml", offences,
                             cls.resolve)
    if baskets_path is not None:
        raw = read_yaml(baskets_path, "baskets file",
                        "Give a YAML file shaped like the shipped baskets.")
        baskets.update(_parse_baskets(raw, baskets_path, offences, cls.resolve))
    cls._baskets = baskets
    return cls
