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


def _heads(p: dict, suffix: str, threshold: int) -> dict:
    b, victims, links = p["bands"], p["victims"], p["links"]

    def pct(x, d):
        return disclosure.percent(x, d, threshold)

    repeat_v = victims - b["1"][0]
    repeat_c = links - b["1"][1]
    out = {
        "unique_person_victims": victims,
        "crimes_with_person_victim": p["crimes_with"],
        "crimes_with_person_victim_pct": pct(p["crimes_with"], p["all_crimes"]),
        "victims_one_crime_pct": pct(b["1"][0], victims),
        "victims_repeat": repeat_v,
        "victims_repeat_pct": pct(repeat_v, victims),
        "repeat_victims_crimes": repeat_c,
        "repeat_victims_share_of_crimes_pct": pct(repeat_c, links),
        "victims_5plus": b["5+"][0],
        "victims_5plus_pct": pct(b["5+"][0], victims),
        "victims_5plus_crimes": b["5+"][1],
        "victims_5plus_share_of_crimes_pct": pct(b["5+"][1], links),
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
    heads = _heads(cur, "", ctx.threshold)
    if prev["victims"]:
        heads.update(_heads(prev, "_previous", ctx.threshold))
    t = ctx.threshold
    rows = []
    for label, p in ((ctx.period.label, cur), (ctx.comparison.label, prev)):
        if not p["victims"]:
            continue
        victims = disclosure.protect([p["bands"][b][0] for b, _ in BANDS], t)
        crimes = disclosure.protect([p["bands"][b][1] for b, _ in BANDS], t)
        for (band, blabel), nv, nc in zip(BANDS, victims, crimes):
            rows.append((label, blabel, nv, disclosure.share(nv, p["victims"]), nc,
                         disclosure.share(nc, p["links"])))
        rows.append((label, "All person victims", p["victims"], 100.0, p["links"], 100.0))
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
    text = [
        f"{narrative.fmt_count(disclosure.primary(cur['victims'], ctx.threshold))} distinct people were victims of {narrative.fmt_count(disclosure.primary(cur['crimes_with'], ctx.threshold))} crimes in "
        f"{ctx.period.label}; {narrative.fmt_pct(heads['crimes_with_person_victim_pct'])} of all recorded "
        "crimes had an identified person victim.",
        f"{narrative.fmt_pct(heads['victims_one_crime_pct'])} of victims suffered one crime and "
        f"{narrative.fmt_pct(heads['victims_repeat_pct'])} more than one; repeat victims suffered "
        f"{narrative.fmt_pct(heads['repeat_victims_share_of_crimes_pct'])} of the crimes.",
        f"{narrative.fmt_count(heads['victims_5plus'])} victims suffered five or more crimes "
        f"({narrative.fmt_pct(heads['victims_5plus_share_of_crimes_pct'])} of the crimes)"
        + (f", against {narrative.fmt_count(disclosure.primary(prev['bands']['5+'][0], ctx.threshold))} in {ctx.comparison.label}."
           if prev["victims"] else "."),
    ]
    heads = disclosure.protect_counts(heads, t)
    return SectionOutput(section("repeat", narrative=tuple(text), tables=(table,)), heads)
