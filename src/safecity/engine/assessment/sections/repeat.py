"""Section 4, repeat victimisation of person victims (businesses and the state excluded).

A victim is a distinct pseudonymised ``person_key`` of victim type ``person``; a victim's crimes
are the distinct crimes recorded in the period with them as a victim. Bands: 1, 2, 3–4, 5+
crimes. A band's share of crimes = crimes against its victims / crimes against all identified
person victims (a crime with two identified victims counts once for each).
"""

from __future__ import annotations

from ... import figures
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from ._common import NO_VICTIMS, SectionOutput, section, unavailable

BANDS = figures.REPEAT_BANDS
PERSON = figures.PERSON_VICTIM
_profile = figures.victim_bands


def _register(led, p: dict, tag: str, all_crimes: str) -> None:
    """The counts of one period and every relation between them that the outputs show: the
    bands add up to all person victims and to all their crimes; a victim of the 1-crime band
    has 1 crime, of the 2-crime band 2, of the 3-4 band 3 to 4, of the 5+ band at least 5."""
    b = p["bands"]
    for band, _ in BANDS:
        led.count(f"v:{band}:{tag}", b[band][0])
        led.count(f"c:{band}:{tag}", b[band][1])
    led.total(led.count(f"victims:{tag}", p["victims"]), [f"v:{k}:{tag}" for k, _ in BANDS])
    led.total(led.count(f"links:{tag}", p["links"]), [f"c:{k}:{tag}" for k, _ in BANDS])
    led.relate({f"c:1:{tag}": 1, f"v:1:{tag}": -1})
    led.relate({f"c:2:{tag}": 1, f"v:2:{tag}": -2})
    led.relate({f"v:3-4:{tag}": 3, f"c:3-4:{tag}": -1}, "<=")
    led.relate({f"c:3-4:{tag}": 1, f"v:3-4:{tag}": -4}, "<=")
    led.relate({f"v:5+:{tag}": 5, f"c:5+:{tag}": -1}, "<=")
    led.total(led.count(f"repeat_v:{tag}", p["victims"] - b["1"][0]),
              [f"v:{k}:{tag}" for k, _ in BANDS[1:]])
    led.total(led.count(f"repeat_c:{tag}", p["links"] - b["1"][1]),
              [f"c:{k}:{tag}" for k, _ in BANDS[1:]])
    led.count(f"crimes_with:{tag}", p["crimes_with"])
    led.relate({f"crimes_with:{tag}": 1, f"links:{tag}": -1}, "<=")
    led.relate({f"crimes_with:{tag}": 1, all_crimes: -1}, "<=")


def _heads(pr, tag: str, suffix: str, all_crimes: str) -> dict:
    out = {
        "unique_person_victims": pr[f"victims:{tag}"],
        "crimes_with_person_victim": pr[f"crimes_with:{tag}"],
        "crimes_with_person_victim_pct": pr.pct(f"crimes_with:{tag}", all_crimes),
        "victims_one_crime_pct": pr.pct(f"v:1:{tag}", f"victims:{tag}"),
        "victims_repeat": pr[f"repeat_v:{tag}"],
        "victims_repeat_pct": pr.pct(f"repeat_v:{tag}", f"victims:{tag}"),
        "repeat_victims_crimes": pr[f"repeat_c:{tag}"],
        "repeat_victims_share_of_crimes_pct": pr.pct(f"repeat_c:{tag}", f"links:{tag}"),
        "victims_5plus": pr[f"v:5+:{tag}"],
        "victims_5plus_pct": pr.pct(f"v:5+:{tag}", f"victims:{tag}"),
        "victims_5plus_crimes": pr[f"c:5+:{tag}"],
        "victims_5plus_share_of_crimes_pct": pr.pct(f"c:5+:{tag}", f"links:{tag}"),
    }
    return {k + suffix: v for k, v in out.items()}


def build(ctx: Context) -> SectionOutput:
    if ctx.is_open_data or not ctx.tables["v"]:
        return unavailable("repeat", NO_VICTIMS + "." if ctx.is_open_data else
                           "No victim records are loaded for this area and period.")
    if not ctx.scalar(f"SELECT count(*) FROM v WHERE in_cur AND {PERSON}"):
        return unavailable("repeat", "The victim records have no identified person victims "
                                     "(no person key), so repeat victims cannot be counted.")
    cur = _profile(ctx, "in_cur")
    prev = _profile(ctx, "in_prev")
    led = disclosure.ledger(ctx)
    periods = [("cur", cur, ctx.period.label)]
    if prev["victims"]:
        periods.append(("prev", prev, ctx.comparison.label))
    for tag, p, _ in periods:
        all_crimes = led.count(disclosure.crime_cell("all", "all", f"in_{tag}"), p["all_crimes"],
                               public=True)
        _register(led, p, tag, all_crimes)
    pr = led.protect()  # every figure below is read from the protected set only
    heads = {}
    for tag, _, _ in periods:
        heads.update(_heads(pr, tag, "" if tag == "cur" else "_previous",
                            disclosure.crime_cell("all", "all", f"in_{tag}")))
    rows = []
    for tag, p, label in periods:
        for band, blabel in BANDS:
            rows.append((label, blabel, pr[f"v:{band}:{tag}"],
                         pr.pct(f"v:{band}:{tag}", f"victims:{tag}"), pr[f"c:{band}:{tag}"],
                         pr.pct(f"c:{band}:{tag}", f"links:{tag}")))
        rows.append((label, "All person victims", pr[f"victims:{tag}"],
                     pr.derived(100.0, f"victims:{tag}"), pr[f"links:{tag}"],
                     pr.derived(100.0, f"links:{tag}")))
    table = TableResult(
        key="repeat_victimisation", title="Person victims by number of crimes suffered",
        columns=(TableColumn("period", "Period"), TableColumn("band", "Crimes per victim"),
                 TableColumn("victims", "Victims", "count"),
                 TableColumn("victims_pct", "Share of victims (%)", "percent"),
                 TableColumn("crimes", "Crimes against them", "count"),
                 TableColumn("crimes_pct", "Share of crimes (%)", "percent")),
        rows=tuple(rows), sensitive=True,
        notes=("Person victims only: businesses and the state are excluded.",
               "A crime with two identified victims counts once for each victim."))
    five_prev = (f", against {narrative.fmt_count(pr['v:5+:prev'])} in {ctx.comparison.label}."
                 if prev["victims"] else ".")
    text = [
        f"{narrative.fmt_count(pr['victims:cur'])} distinct people were victims of "
        f"{narrative.fmt_count(pr['crimes_with:cur'])} crimes in {ctx.period.label}; "
        f"{narrative.fmt_pct(heads['crimes_with_person_victim_pct'])} of all recorded "
        "crimes had an identified person victim.",
        f"{narrative.fmt_pct(heads['victims_one_crime_pct'])} of victims suffered one crime and "
        f"{narrative.fmt_pct(heads['victims_repeat_pct'])} more than one; repeat victims suffered "
        f"{narrative.fmt_pct(heads['repeat_victims_share_of_crimes_pct'])} of the crimes.",
        f"{narrative.fmt_count(heads['victims_5plus'])} victims suffered five or more crimes "
        f"({narrative.fmt_pct(heads['victims_5plus_share_of_crimes_pct'])} of the crimes)"
        + five_prev,
    ]
    return SectionOutput(section("repeat", narrative=tuple(text), tables=(table,)), heads)
