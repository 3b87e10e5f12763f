"""Section 5, domestic abuse: flagged share of crime and violence, relationship, victim and
offender profiles, rate by IMD decile, high-risk referrals with children in the household.

Deprivation gradient: domestic abuse-flagged crimes per 1,000 residents in the LSOAs of each
national IMD 2019 decile present in the area; the ratio compares the most deprived decile present
with the least deprived decile present (exact conditional interval on the rate ratio).
"""

from __future__ import annotations

from ... import figures
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from . import _people
from ._common import (DOMESTIC, NO_FLAGS, VAP, SectionOutput, compare, section, unavailable)

VICTIM_BANDS = ("under18", "18_24", "25_34", "35_49")


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("domestic_abuse"):
        reason = (NO_FLAGS if ctx.is_open_data else
                  "the crime records have no domestic abuse flag")
        return unavailable("domestic", reason[0].upper() + reason[1:] + ".")
    t = ctx.threshold
    heads: dict = {}
    text, tables, partial = [], [], []
    da_cur, da_prev = figures.count(ctx, "domestic_abuse_crimes")
    all_cur = ctx.scalar("SELECT count(*) FROM c WHERE in_cur")
    ch = compare(da_cur, da_prev)
    heads.update(domestic_abuse_crimes=da_cur, domestic_abuse_crimes_previous=da_prev,
                 domestic_abuse_crimes_change_pct=_r(ch.change_pct),
                 domestic_share_of_crime_pct=_people.pct(da_cur, all_cur, ctx.threshold))
    text.append(narrative.change_sentence("Domestic abuse-flagged crime", ch, threshold=ctx.threshold))
    text.append(f"Domestic abuse was flagged on {narrative.fmt_pct(heads['domestic_share_of_crime_pct'])} of "
                "all recorded crime.")
    if ctx.has("offence_group"):
        dv_cur, dv_prev = figures.count(ctx, "domestic_violent_crime")
        v_cur = ctx.scalar(f"SELECT count(*) FROM c WHERE in_cur AND {VAP}")
        dv = compare(dv_cur, dv_prev)
        heads.update(domestic_violent_crime=dv_cur, domestic_violent_crime_previous=dv_prev,
                     domestic_violent_crime_change_pct=_r(dv.change_pct),
                     domestic_share_of_violence_pct=_people.pct(dv_cur, v_cur, ctx.threshold))
        text.append(narrative.change_sentence("Domestic violence against the person", dv, threshold=ctx.threshold)
                    + f" It was {narrative.fmt_pct(heads['domestic_share_of_violence_pct'])} of all "
                    "violence against the person.")
    else:
        partial.append("Share of violence: offence groups are not available.")
    if ctx.tables["v"]:
        rel = _people.relationship(ctx, DOMESTIC)
        partner = rel["counts"]["partner"] + rel["counts"]["ex_partner"]
        heads["domestic_by_partner_pct"] = _people.pct(partner, rel["known"], ctx.threshold)
        tables.append(_people.relationship_table(
            "domestic_relationship", "Domestic abuse: offender's relationship to the victim",
            [("Domestic abuse", rel)], t))
        if heads["domestic_by_partner_pct"] is not None:
            text.append(f"{narrative.fmt_pct(heads['domestic_by_partner_pct'])} of domestic abuse was by a "
                        "current or former spouse or partner.")
        victims = _people.profile(ctx, "v", DOMESTIC)
        heads.update(_people.profile_heads("domestic_victims", victims, VICTIM_BANDS, "female", ctx.threshold))
        groups = [("Victims", victims)]
        if ctx.tables["s"]:
            offenders = _people.profile(ctx, "s", DOMESTIC)
            heads["domestic_offenders"] = offenders["people"]
            heads.update(_people.profile_heads("domestic_offenders", offenders, VICTIM_BANDS,
                                               "male", ctx.threshold))
            groups.append(("Offenders", offenders))
            text.append(f"{narrative.fmt_count(disclosure.primary(offenders['people'], ctx.threshold))} offenders were identified; "
                        f"{_fmt(heads['domestic_offenders_male_pct'])} were male.")
        else:
            partial.append("Offender profile: no suspect records are loaded.")
        heads["domestic_victims"] = victims["people"]
        text.append(f"{narrative.fmt_count(disclosure.primary(victims['people'], ctx.threshold))} people were victims; "
                    f"{_fmt(heads['domestic_victims_female_pct'])} were female.")
        tables.append(_people.profile_table("domestic_profiles",
                                            "Domestic abuse: victims and offenders by age and "
                                            "sex", groups, t))
    else:
        partial.append("Relationship and victim/offender profiles: no victim records are "
                       "loaded.")
    _deprivation(ctx, heads, text, tables, partial)
    _referrals(ctx, heads, text, tables, partial)
    heads = disclosure.protect_counts(heads, ctx.threshold)
    return SectionOutput(section("domestic", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _deprivation(ctx, heads, text, tables, partial) -> None:
    from ...stats.intervals import rate_interval, rate_ratio_interval  # imported when used

    rows = ctx.rows(
        "SELECT g.imd_decile, sum(g.population), "
        f"(SELECT count(*) FROM c WHERE in_cur AND {DOMESTIC} AND c.lsoa11_code IN "
        " (SELECT lsoa11_code FROM geo g2 WHERE g2.imd_decile = g.imd_decile)) "
        "FROM geo g WHERE g.imd_decile IS NOT NULL GROUP BY 1 ORDER BY 1")
    if len(rows) < 2:
        partial.append("Rate by deprivation: the area's LSOAs have fewer than two IMD deciles.")
        return
    counts = disclosure.protect([int(n) for _, _, n in rows], ctx.threshold)
    out = []
    for (decile, pop, n), shown in zip(rows, counts):
        rate, low, high = rate_interval(n, pop, per=1000)
        hide = disclosure.is_suppressed(shown)
        out.append((int(decile), int(pop), shown, None if hide else round(rate, 2),
                    None if hide else round(low, 2), None if hide else round(high, 2)))
    (d1, p1, n1), (d2, p2, n2) = rows[0], rows[-1]
    ratio, low, high = rate_ratio_interval(int(n1), p1, int(n2), p2)
    if ratio is not None:
        heads["domestic_rate_ratio_most_vs_least_deprived"] = round(ratio, 2)
        heads["domestic_rate_ratio_low"] = None if low is None else round(low, 2)
        heads["domestic_rate_ratio_high"] = None if high is None else round(high, 2)
        text.append(f"The domestic abuse rate in the most deprived decile present (IMD decile "
                    f"{int(d1)}) was {ratio:.1f} times that in the least deprived decile present "
                    f"(decile {int(d2)}; 95 % interval {low:.1f} to {high:.1f}).")
    tables.append(TableResult(
        key="domestic_by_imd_decile", title="Domestic abuse-flagged crime by IMD 2019 decile",
        columns=(TableColumn("imd_decile", "IMD decile (1 = most deprived)"),
                 TableColumn("population", "Population", "count"),
                 TableColumn("crimes", "Domestic abuse crimes", "count"),
                 TableColumn("rate", "Rate per 1,000", "rate"),
                 TableColumn("rate_low", "Lower 95 % limit", "rate"),
                 TableColumn("rate_high", "Upper 95 % limit", "rate")),
        rows=tuple(out), sensitive=True,
        notes=("Deciles are national IMD 2019 deciles of the area's LSOAs.",)))


def _referrals(ctx, heads, text, tables, partial) -> None:
    if not ctx.tables["referrals"]:
        partial.append("High-risk referrals: no referral records are loaded for the "
                       "partnership.")
        return
    lo, hi = ctx.comparison.start, ctx.period.end
    total, with_children = ctx.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE children_in_household > 0) FROM referrals "
        "WHERE referral_date BETWEEN ? AND ?", [lo, hi]).fetchall()[0]
    if not total:
        partial.append(f"High-risk referrals: none recorded between {lo} and {hi}.")
        return
    heads["hrda_referrals"] = int(total)
    heads["hrda_referrals_with_children_pct"] = _people.pct(int(with_children), int(total), ctx.threshold)
    cells = disclosure.protect([int(with_children), int(total - with_children)], ctx.threshold)
    tables.append(TableResult(
        key="hrda_referrals", title=f"High-risk domestic abuse referrals, "
                                   f"{ctx.comparison.label} and {ctx.period.label}",
        columns=(TableColumn("household", "Household"),
                 TableColumn("referrals", "Referrals", "count"),
                 TableColumn("share_pct", "Share (%)", "percent")),
        rows=(("Children in the household", cells[0], disclosure.share(cells[0], total)),
              ("No children in the household", cells[1], disclosure.share(cells[1], total)),
              ("All referrals", int(total), 100.0)), sensitive=True))
    text.append(f"{narrative.fmt_pct(heads['hrda_referrals_with_children_pct'])} of the {narrative.fmt_count(disclosure.primary(int(total), ctx.threshold))} "
                f"high-risk domestic abuse referrals over {ctx.comparison.label} and "
                f"{ctx.period.label} had children in the household.")


def _r(value, digits=1):
    return None if value is None else round(float(value), digits)


def _fmt(value) -> str:
    return "an unknown share" if value is None else narrative.fmt_pct(value)
