"""Section 5, domestic abuse: flagged share of crime and violence, relationship, victim and
offender profiles, rate by IMD decile, high-risk referrals with children in the household.

Deprivation gradient: domestic abuse-flagged crimes per 1,000 residents in the LSOAs of each
national IMD 2019 decile present in the area; the ratio compares the most deprived decile present
with the least deprived decile present (exact conditional interval on the rate ratio).
"""

from __future__ import annotations

from ... import figures
from ...sql import literal_list
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from . import _people
from ._common import (DOMESTIC, NO_FLAGS, VAP, SectionOutput, protected_change,
                      protected_sentence, section, unavailable)

VICTIM_BANDS = ("under18", "18_24", "25_34", "35_49")


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("domestic_abuse"):
        reason = (NO_FLAGS if ctx.is_open_data else
                  "the crime records have no domestic abuse flag")
        return unavailable("domestic", reason[0].upper() + reason[1:] + ".")
    heads: dict = {}
    text, tables, partial = [], [], []
    led = disclosure.ledger(ctx)
    da_cur, da_prev = figures.count(ctx, "domestic_abuse_crimes")
    all_cur = led.count(disclosure.crime_cell("all", "all", "in_cur"),
                        ctx.scalar("SELECT count(*) FROM c WHERE in_cur"), public=True)
    led.count("da:cur", da_cur)
    led.count("da:prev", da_prev)
    led.relate({"da:cur": 1, all_cur: -1}, "<=")
    has_groups = ctx.has("offence_group")
    if has_groups:
        dv_cur, dv_prev = figures.count(ctx, "domestic_violent_crime")
        vap = led.count(disclosure.crime_cell("offence_group", "violence against the person",
                                              "in_cur"),
                        ctx.scalar(f"SELECT count(*) FROM c WHERE in_cur AND {VAP}"),
                        public=True)
        led.count("dv:cur", dv_cur)
        led.count("dv:prev", dv_prev)
        for tag in ("cur", "prev"):
            led.relate({f"dv:{tag}": 1, f"da:{tag}": -1}, "<=")
        led.relate({"dv:cur": 1, vap: -1}, "<=")
    victims = offenders = rel = None
    if ctx.tables["v"]:
        rel = _people.relationship(ctx, DOMESTIC)
        _people.register_relationship(led, "domestic", rel)
        victims = _people.profile(ctx, "v", DOMESTIC)
        _people.register_profile(led, "victims", victims)
        if ctx.tables["s"]:
            offenders = _people.profile(ctx, "s", DOMESTIC)
            _people.register_profile(led, "offenders", offenders)
    deciles = _deprivation_counts(ctx, led)
    referrals = _referral_counts(ctx, led)
    pr = led.protect()  # every figure below is read from the protected set only
    ch, _ = protected_change(pr, "da:cur", "da:prev")
    heads.update(domestic_abuse_crimes=pr["da:cur"], domestic_abuse_crimes_previous=pr["da:prev"],
                 domestic_abuse_crimes_change_pct=None if ch is None else _r(ch.change_pct),
                 domestic_share_of_crime_pct=pr.pct("da:cur", all_cur))
    text.append(protected_sentence("Domestic abuse-flagged crime", ch))
    text.append(f"Domestic abuse was flagged on "
                f"{narrative.fmt_pct(heads['domestic_share_of_crime_pct'])} of all recorded crime.")
    if has_groups:
        dv, _ = protected_change(pr, "dv:cur", "dv:prev")
        heads.update(domestic_violent_crime=pr["dv:cur"],
                     domestic_violent_crime_previous=pr["dv:prev"],
                     domestic_violent_crime_change_pct=None if dv is None
                     else _r(dv.change_pct),
                     domestic_share_of_violence_pct=pr.pct("dv:cur", vap))
        text.append(protected_sentence("Domestic violence against the person", dv)
                    + f" It was {narrative.fmt_pct(heads['domestic_share_of_violence_pct'])} of "
                    "all violence against the person.")
    else:
        partial.append("Share of violence: offence groups are not available.")
    if rel is not None:
        heads["domestic_by_partner_pct"] = pr.pct("domestic:rel:any_partner",
                                                  "domestic:rel_known")
        tables.append(_people.protected_relationship_table(
            "domestic_relationship", "Domestic abuse: offender's relationship to the victim",
            [("Domestic abuse", "domestic")], pr))
        if heads["domestic_by_partner_pct"] is not None:
            text.append(f"{narrative.fmt_pct(heads['domestic_by_partner_pct'])} of domestic "
                        "abuse was by a current or former spouse or partner.")
        heads.update(_people.protected_profile_heads(pr, "domestic_victims", "victims",
                                                     VICTIM_BANDS, "female"))
        groups = [("Victims", "victims")]
        if offenders is not None:
            heads["domestic_offenders"] = pr["offenders:people"]
            heads.update(_people.protected_profile_heads(pr, "domestic_offenders",
                                                         "offenders", VICTIM_BANDS, "male"))
            groups.append(("Offenders", "offenders"))
            text.append(f"{narrative.fmt_count(pr['offenders:people'])} offenders were "
                        f"identified; {_fmt(heads['domestic_offenders_male_pct'])} were male.")
        else:
            partial.append("Offender profile: no suspect records are loaded.")
        heads["domestic_victims"] = pr["victims:people"]
        text.append(f"{narrative.fmt_count(pr['victims:people'])} people were victims; "
                    f"{_fmt(heads['domestic_victims_female_pct'])} were female.")
        tables.append(_people.protected_profile_table(
            "domestic_profiles", "Domestic abuse: victims and offenders by age and sex", groups,
            pr))
    else:
        partial.append("Relationship and victim/offender profiles: no victim records are "
                       "loaded.")
    _deprivation(ctx, pr, deciles, heads, text, tables, partial)
    _referrals(ctx, pr, referrals, heads, text, tables, partial)
    return SectionOutput(section("domestic", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _deprivation_counts(ctx, led) -> list[tuple]:
    """[(decile, population, crimes)] registered in the ledger: the deciles' crimes are among
    the domestic abuse crimes of the period (those with an LSOA of the area)."""
    rows = ctx.rows(
        "SELECT g.imd_decile, sum(g.population), "
        f"(SELECT count(*) FROM c WHERE in_cur AND {DOMESTIC} AND c.lsoa11_code IN "
        " (SELECT lsoa11_code FROM geo g2 WHERE g2.imd_decile = g.imd_decile)) "
        "FROM geo g WHERE g.imd_decile IS NOT NULL GROUP BY 1 ORDER BY 1")
    if len(rows) < 2:
        return rows
    keys = [led.count(f"imd:{int(d)}", int(n)) for d, _, n in rows]
    led.relate({**{k: 1.0 for k in keys}, "da:cur": -1.0}, "<=")
    return rows


def _deprivation(ctx, pr, rows, heads, text, tables, partial) -> None:
    from ...stats.intervals import rate_interval, rate_ratio_interval  # imported when used

    if len(rows) < 2:
        partial.append("Rate by deprivation: the area's LSOAs have fewer than two IMD deciles.")
        return
    out = []
    for decile, pop, n in rows:
        shown = pr[f"imd:{int(decile)}"]
        rate, low, high = rate_interval(n, pop, per=1000)
        hide = disclosure.is_suppressed(shown)
        out.append((int(decile), int(pop), shown, None if hide else round(rate, 2),
                    None if hide else round(low, 2), None if hide else round(high, 2)))
    (d1, p1, n1), (d2, p2, n2) = rows[0], rows[-1]
    ratio, low, high = rate_ratio_interval(int(n1), p1, int(n2), p2)
    if ratio is not None and pr.published(f"imd:{int(d1)}", f"imd:{int(d2)}"):
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


def _referral_counts(ctx, led) -> tuple | None:
    if not ctx.tables["referrals"]:
        return None
    lo, hi = ctx.comparison.start, ctx.period.end
    # Counted over the referrals' own months (like for like under --partial; coverage.py).
    only = ""
    if ctx.months_used("in_cur", "referrals") is not None or \
            ctx.months_used("in_prev", "referrals") is not None:
        months = tuple(m for flag in ("in_cur", "in_prev")
                       for m in (ctx.cover_of(flag, "referrals").used
                                 if ctx.cover_of(flag, "referrals") is not None else ()))
        only = (f" AND strftime(referral_date, '%Y-%m') IN ({literal_list(months)})" if months
                else " AND FALSE")
    total, with_children = ctx.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE children_in_household > 0) FROM referrals "
        f"WHERE referral_date BETWEEN ? AND ?{only}", [lo, hi]).fetchall()[0]
    if not total:
        return (lo, hi, 0)
    led.total(led.count("ref:all", int(total)),
              [led.count("ref:children", int(with_children)),
               led.count("ref:no_children", int(total - with_children))])
    return (lo, hi, int(total))


def _referrals(ctx, pr, referrals, heads, text, tables, partial) -> None:
    if referrals is None:
        partial.append("High-risk referrals: no referral records are loaded for the "
                       "partnership.")
        return
    lo, hi, total = referrals
    if not total:
        partial.append(f"High-risk referrals: none recorded between {lo} and {hi}.")
        return
    heads["hrda_referrals"] = pr["ref:all"]
    heads["hrda_referrals_with_children_pct"] = pr.pct("ref:children", "ref:all")
    tables.append(TableResult(
        key="hrda_referrals", title=f"High-risk domestic abuse referrals, "
                                   f"{ctx.label_of('in_prev', 'referrals')} and "
                                   f"{ctx.label_of('in_cur', 'referrals')}",
        columns=(TableColumn("household", "Household"),
                 TableColumn("referrals", "Referrals", "count"),
                 TableColumn("share_pct", "Share (%)", "percent")),
        rows=(("Children in the household", pr["ref:children"],
               pr.pct("ref:children", "ref:all")),
              ("No children in the household", pr["ref:no_children"],
               pr.pct("ref:no_children", "ref:all")),
              ("All referrals", pr["ref:all"], pr.derived(100.0, "ref:all"))), sensitive=True))
    text.append(f"{narrative.fmt_pct(heads['hrda_referrals_with_children_pct'])} of the "
                f"{narrative.fmt_count(pr['ref:all'])} high-risk domestic abuse referrals over "
                f"{ctx.comparison.label} and {ctx.period.label} had children in the household.")


def _r(value, digits=1):
    return None if value is None else round(float(value), digits)


def _fmt(value) -> str:
    return "an unknown share" if value is None else narrative.fmt_pct(value)
