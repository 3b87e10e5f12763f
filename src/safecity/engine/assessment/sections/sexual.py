"""Section 6, sexual offences: rape and other sexual offences, victim and offender profiles,
non-recent share, domestic share, relationship.

Non-recent: recorded more than ``non_recent_months`` (setting, default 12) months after the
latest time it may have been committed (``committed_to``, else ``committed_from``), so the whole
window lies more than 12 months back; the share is of crimes whose committed date is recorded.
"""

from __future__ import annotations

from ... import settings
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from . import _people
from ._common import (DOMESTIC, NO_CODES, OTHER_SEXUAL, RAPE, SEXUAL, SectionOutput, compare,
                      section, unavailable)

KINDS = (("sexual_offences", "All sexual offences", SEXUAL), ("rape", "Rape", RAPE),
         ("other_sexual", "Other sexual offences", OTHER_SEXUAL))


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("offence_group"):
        return unavailable("sexual", f"Sexual offences are identified by offence code; "
                                     f"{NO_CODES}. data.police.uk also merges them with violence "
                                     "('Violence and sexual offences').")
    t = ctx.threshold
    heads: dict = {}
    text, tables, partial = [], [], []
    rows = []
    for key, label, where in KINDS:
        cur, prev = ctx.pair(where)
        ch = compare(cur, prev)
        heads[f"{key}_crimes"] = cur
        heads[f"{key}_crimes_previous"] = prev
        text.append(narrative.change_sentence(label, ch, threshold=ctx.threshold))
        dom = ctx.scalar(f"SELECT count(*) FROM c WHERE in_cur AND {where} AND {DOMESTIC}") \
            if ctx.has("domestic_abuse") else None
        if key != "sexual_offences" and dom is not None:
            heads[f"{key}_domestic_pct"] = _people.pct(dom, cur, ctx.threshold)
        nonrec = known = None
        if ctx.has("committed_from"):
            months = int(settings.get("non_recent_months"))
            known, nonrec = ctx.con.execute(
                f"SELECT count(committed_from), count(*) FILTER (WHERE recorded_date > "
                f"CAST(coalesce(committed_to, committed_from) AS DATE) + INTERVAL {months} MONTH) "
                f"FROM c "
                f"WHERE in_cur AND {where}").fetchall()[0]
            name = "sexual_offences" if key == "sexual_offences" else key
            heads[f"{name}_non_recent_pct"] = _people.pct(nonrec, known, ctx.threshold)
        cells = disclosure.protect([cur, prev], t, total_published=False)
        rows.append((label, cells[0], cells[1],
                     disclosure.share(disclosure.primary(dom, t), cur) if dom is not None
                     else None,
                     disclosure.share(disclosure.primary(nonrec, t), known)
                     if known else None))
    tables.append(TableResult(
        key="sexual_offences", title=f"Sexual offences, {ctx.period.label} and "
                                     f"{ctx.comparison.label}",
        columns=(TableColumn("offences", "Offences"),
                 TableColumn("current", "This period", "count"),
                 TableColumn("previous", "Comparison period", "count"),
                 TableColumn("domestic_pct", "Domestic abuse-flagged (%)", "percent"),
                 TableColumn("non_recent_pct", "Non-recent (%)", "percent")),
        rows=tuple(rows), sensitive=True))
    if "sexual_offences_non_recent_pct" in heads and heads["sexual_offences_non_recent_pct"]:
        text.append(f"{narrative.fmt_pct(heads['sexual_offences_non_recent_pct'])} of sexual offences were "
                    f"recorded more than {settings.get('non_recent_months')} months after they "
                    "were committed (non-recent).")
    elif not ctx.has("committed_from"):
        partial.append("Non-recent share: the crimes have no committed-from date.")
    if ctx.tables["v"]:
        victims = {k: _people.profile(ctx, "v", w) for k, _, w in KINDS}
        heads["sexual_offence_victims"] = victims["sexual_offences"]["people"]
        heads.update(_people.profile_heads("sexual_victims", victims["sexual_offences"],
                                           ("under18", "18_24", "25_34"), "female", ctx.threshold))
        heads.update(_people.profile_heads("rape_victims", victims["rape"],
                                           ("under18", "18_24", "25_34"), "female", ctx.threshold))
        heads.update(_people.profile_heads("other_sexual_victims", victims["other_sexual"],
                                           ("under18",), "female", ctx.threshold))
        groups = [(f"Victims: {label.lower()}", victims[k]) for k, label, _ in KINDS]
        rel = _people.relationship(ctx, RAPE)
        rel_other = _people.relationship(ctx, OTHER_SEXUAL)
        c = rel["counts"]
        heads["rape_by_partner_pct"] = _people.pct(c["partner"] + c["ex_partner"], rel["known"], ctx.threshold)
        heads["rape_by_acquaintance_pct"] = _people.pct(c["acquaintance"], rel["known"], ctx.threshold)
        tables.append(_people.relationship_table(
            "sexual_relationship", "Sexual offences: offender's relationship to the victim",
            [("Rape", rel), ("Other sexual offences", rel_other)], t))
        text.append(f"{narrative.fmt_count(disclosure.primary(victims['sexual_offences']['people'], ctx.threshold))} people were victims of sexual "
                    f"offences; {_f(heads.get('sexual_victims_under18_pct'))} were under 18 and "
                    f"{_f(heads.get('sexual_victims_female_pct'))} female.")
        if ctx.tables["s"]:
            offenders = _people.profile(ctx, "s", SEXUAL)
            heads["sexual_offence_offenders"] = offenders["people"]
            heads.update(_people.profile_heads("sexual_offenders", offenders,
                                               ("under18", "18_24", "25_34", "35_49"), "male", ctx.threshold))
            groups.append(("Offenders: all sexual offences", offenders))
            text.append(f"{narrative.fmt_count(disclosure.primary(offenders['people'], ctx.threshold))} offenders were identified; "
                        f"{_f(heads.get('sexual_offenders_male_pct'))} were male.")
        else:
            partial.append("Offender profile: no suspect records are loaded.")
        tables.append(_people.profile_table("sexual_profiles", "Sexual offences: victims and "
                                            "offenders by age and sex", groups, t))
    else:
        partial.append("Victim and offender profiles: no victim records are loaded.")
    heads = disclosure.protect_counts(heads, ctx.threshold)
    return SectionOutput(section("sexual", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _f(value) -> str:
    return "an unknown share" if value is None else narrative.fmt_pct(value)
