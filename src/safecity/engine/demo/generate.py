"""Generate the whole demo partnership and write its files (no ingest: see ``build.py``)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from ..progress import NULL, Progress
from . import partner_data, partners, writer
from .crimes import build_year
from .offences import OFFENCES, YEARS, counts_by_year
from .people import Ids, build_people
from .writer import DemoFiles

DEFAULT_SEED = 2020
#: partner source kind -> (generator, writer); calibration in partner_data.py
PARTNER_WRITERS = {
    "fire": (partner_data.fire, writer.write_fire),
    "health": (partner_data.health, writer.write_health),
    "ambulance": (partner_data.ambulance, writer.write_ambulance),
    "childrens-services": (partner_data.childrens, writer.write_childrens),
    "treatment": (partner_data.treatment, writer.write_treatment),
}


def _rng(seed: int, part: str) -> np.random.Generator:
    """An independent stream per part, so changing one part leaves the others' output alone."""
    return np.random.default_rng([seed, zlib.crc32(part.encode())])


def generate(out: Path, seed: int = DEFAULT_SEED, progress: Progress = NULL) -> DemoFiles:
    """Write the demo partnership's extract files into ``out``; the same seed gives the same bytes.

    >>> import tempfile
    >>> files = generate(Path(tempfile.mkdtemp()), seed=1)   # doctest: +SKIP
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(
        folder=out, geography=out / "geography.csv", crimes=out / "crimes.csv",
        victims=out / "victims.csv", suspects=out / "suspects.csv",
        mapping=out / "police-extract-mapping.yaml", asb=out / "asb.csv", hate=out / "hate.csv",
        youth_justice=out / "youth_justice.csv", referrals=out / "referrals.csv",
        partners=tuple((kind, out / f"{kind}.csv") for kind in PARTNER_WRITERS))
    progress.start("Generating the demo partnership", total=len(YEARS) + 2)
    counts = counts_by_year()
    person_ids = Ids(_rng(seed, "person-ids"), "NOM")
    business_ids = Ids(_rng(seed, "business-ids"), "ORG", 6)
    years, peoples = [], []
    for year in YEARS:
        rng = _rng(seed, f"crimes-{year}")
        cols = build_year(rng, year, counts[year])
        peoples.append(build_people(_rng(seed, f"people-{year}"), year, cols, person_ids, business_ids))
        years.append(cols)
        progress.advance()
    crimes = _combine(_rng(seed, "references"), years, peoples)
    labels = np.array([o.label for o in OFFENCES], dtype=object)[crimes["code_idx"]]

    writer.write_geography(files.geography)
    files.mapping.write_text(writer.MAPPING, encoding="utf-8")
    writer.write_crimes(files.crimes, crimes, labels)
    writer.write_victims(files.victims, crimes["victims"])
    writer.write_suspects(files.suspects, crimes["suspects"])
    progress.advance()
    writer.write_asb(files.asb, partners.asb(_rng(seed, "asb")))
    writer.write_hate(files.hate, partners.hate_reports(_rng(seed, "hate"), crimes))
    writer.write_youth(files.youth_justice, partners.youth_justice(_rng(seed, "youth")))
    writer.write_referrals(files.referrals,
                           partners.referrals(_rng(seed, "referrals"), crimes["domestic_victims"]))
    for kind, path in files.partners:  # each from its own stream: the others stay unchanged
        make, write = PARTNER_WRITERS[kind]
        write(path, make(_rng(seed, f"partner-{kind}")))
    progress.advance()
    progress.finish()
    return files


def _combine(rng: np.random.Generator, years: list[dict], peoples: list) -> dict:
    """One crimes table for all years, in recording order, with crime references and the
    victim and suspect rows pointing at them."""
    offsets = np.cumsum([0] + [len(y["code_idx"]) for y in years])
    cols = {k: np.concatenate([y[k] for y in years]) for k in years[0]}
    rape_code = np.concatenate([p.rape_code for p in peoples])
    is_rape = rape_code != ""
    cols["offence_code"] = np.where(is_rape, rape_code, cols["offence_code"]).astype(object)
    order = np.lexsort((cols["committed_from"], cols["recorded"]))
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    cols = {k: v[order] for k, v in cols.items()}
    # References: force 44, two-digit recording year, a sequence with gaps (non-crime incidents).
    cal_year = cols["recorded"].astype("datetime64[Y]").astype("int64") + 1970
    seq = np.zeros(len(order), dtype="int64")
    gaps = rng.integers(1, 4, len(order))
    for y in np.unique(cal_year):
        m = cal_year == y
        seq[m] = np.cumsum(gaps[m])
    cols["crime_ref"] = np.array([f"44{y % 100:02d}{s:06d}" for y, s in zip(cal_year, seq)],
                                 dtype=object)
    victims = {k: [] for k in ("crime", "id", "type", "age", "sex", "relationship")}
    suspects = {k: [] for k in ("crime", "id", "age", "sex")}
    for off, p in zip(offsets, peoples):
        for k, v in zip(victims, (p.victim_crime, p.victim_id, p.victim_type, p.victim_age,
                                  p.victim_sex, p.relationship)):
            victims[k].append(rank[off + v] if k == "crime" else v)
        for k, v in zip(suspects, (p.suspect_crime, p.suspect_id, p.suspect_age, p.suspect_sex)):
            suspects[k].append(rank[off + v] if k == "crime" else v)
    victims = {k: np.concatenate(v) for k, v in victims.items()}
    suspects = {k: np.concatenate(v) for k, v in suspects.items()}
    for table in (victims, suspects):
        o = np.lexsort((table["id"].astype(str), table["crime"]))
        for k in table:
            table[k] = table[k][o]
        table["crime_ref"] = cols["crime_ref"][table["crime"]]
    cols["victims"], cols["suspects"] = victims, suspects
    # Domestic-abuse victims per year with their crime dates, for the MARAC referrals.
    dom_victim = (victims["type"] == "person") & cols["domestic"][victims["crime"]]
    cols["domestic_victims"] = {
        y: (victims["id"][dom_victim & (cols["year"][victims["crime"]] == y)],
            cols["recorded"][victims["crime"][dom_victim & (cols["year"][victims["crime"]] == y)]])
        for y in YEARS}
    return cols
