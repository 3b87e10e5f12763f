"""Section 6, sexual offences: rape and other sexual offences, victim and offender profiles,
non-recent share, domestic share, relationship.

Non-recent: recorded more than ``non_recent_months`` (setting, default 12) months after the
latest time it may have been committed (``committed_to``, else ``committed_from``), so the whole
window lies more than 12 months back; the share is of crimes whose committed date is recorded.
"""

from __future__ import annotations

from ... import figures, settings
from .. import disclosure, narrative
from ..context import Context
from ..model import TableColumn, TableResult
from . import _people
from ._common import (DOMESTIC, NO_CODES, OTHER_SEXUAL, RAPE, SEXUAL, SectionOutput,
                      protected_change, protected_sentence, section, unavailable)

KINDS = (("sexual_offences", "All sexual offences", SEXUAL), ("rape", "Rape", RAPE),
         ("other_sexual", "Other sexual offences", OTHER_SEXUAL))


LEVELS = {"sexual_offences": ("offence_group", "sexual offences"),
          "rape": ("offence_subgroup", "rape"),
          "other_sexual": ("offence_subgroup", "other sexual offences")}


def _cell(key: str, flag: str) -> str:
    from .. import disclosure

    return disclosure.crime_cell(*LEVELS[key], flag)


def build(ctx: Context) -> SectionOutput:
    if not ctx.has("offence_group"):
        return unavailable("sexual", f"Sexual offences are identified by offence code; "
                                     f"{NO_CODES}. data.police.uk also merges them with violence "
                                     "('Violence and sexual offences').")
    heads: dict = {}
    text, tables, partial = [], [], []
    led = disclosure.ledger(ctx)
    raw = {}
    months = int(settings.get("non_recent_months"))
    for key, label, where in KINDS:
        # All sexual offences is the scorecard's figure too (engine/figures.py).
        # (subgroups are kept in the monthly counts of purged months: figures.AGGREGATE_FIELDS)
        cur, prev = (figures.count(ctx, "sexual_offences") if key == "sexual_offences"
                     else ctx.pair(where, fields=figures.kept("crimes", ("offence_subgroup",))))
        led.count(_cell(key, "in_cur"), cur)
        led.count(_cell(key, "in_prev"), prev)
        dom = ctx.scalar(f"SELECT count(*) FROM c WHERE in_cur AND {where} AND {DOMESTIC}") \
            if ctx.has("domestic_abuse") else None
        known = nonrec = None
        if ctx.has("committed_from"):
            known, nonrec = ctx.con.execute(
                f"SELECT count(committed_from), count(*) FILTER (WHERE recorded_date > "
                f"CAST(coalesce(committed_to, committed_from) AS DATE) + INTERVAL {months} MONTH) "
                f"FROM c WHERE in_cur AND {where}").fetchall()[0]
        raw[key] = (cur, prev)
        for name, n in (("dom", dom), ("known", known), ("nonrec", nonrec)):
            led.count(f"{name}:{key}", n)
        led.relate({f"dom:{key}": 1, _cell(key, "in_cur"): -1}, "<=")
        led.relate({f"known:{key}": 1, _cell(key, "in_cur"): -1}, "<=")
        led.relate({f"nonrec:{key}": 1, f"known:{key}": -1}, "<=")
    # Rape and other sexual offences are the subgroups of sexual offences: when they are the
    # only ones, every count of the group is the sum of theirs (a relation anyone can use).
    covered = all(raw["sexual_offences"][i] == (raw["rape"][i] or 0) + (raw["other_sexual"][i]
                                                                        or 0)
                  for i in (0, 1) if raw["sexual_offences"][i] is not None)
    if covered:
        for name in ("dom", "known", "nonrec"):
            led.total(f"{name}:sexual_offences", [f"{name}:rape", f"{name}:other_sexual"])
        for flag in ("in_cur", "in_prev"):
            led.total(_cell("sexual_offences", flag), [_cell("rape", flag),
                                                       _cell("other_sexual", flag)])
    victims = offenders = rel = rel_other = None
    if ctx.tables["v"]:
        victims = {k: _people.profile(ctx, "v", w) for k, _, w in KINDS}
        for k, _, _ in KINDS:
            _people.register_profile(led, f"victims:{k}", victims[k])
        for k in ("rape", "other_sexual"):  # a victim of rape is a victim of a sexual offence
            led.relate({f"victims:{k}:people": 1, "victims:sexual_offences:people": -1}, "<=")
        rel = _people.relationship(ctx, RAPE)
        rel_other = _people.relationship(ctx, OTHER_SEXUAL)
        _people.register_relationship(led, "rape", rel)
        _people.register_relationship(led, "other_sexual", rel_other)
        if ctx.tables["s"]:
            offenders = _people.profile(ctx, "s", SEXUAL)
            _people.register_profile(led, "offenders", offenders)
    pr = led.protect()  # every figure below is read from the protected set only
    rows = []
    for key, label, where in KINDS:
        ck, pk = _cell(key, "in_cur"), _cell(key, "in_prev")
        heads[f"{key}_crimes"] = pr[ck]
        heads[f"{key}_crimes_previous"] = pr[pk]
        ch, _ = protected_change(pr, ck, pk)
        text.append(protected_sentence(label, ch))
        dom_pct = pr.pct(f"dom:{key}", ck) if f"dom:{key}" in pr.values else None
        nonrec_pct = (pr.pct(f"nonrec:{key}", f"known:{key}") if f"known:{key}" in pr.values
                      else None)
        if key != "sexual_offences" and dom_pct is not None:
            heads[f"{key}_domestic_pct"] = dom_pct
        if f"known:{key}" in pr.values:
            heads[f"{key}_non_recent_pct"] = nonrec_pct
        rows.append((label, pr[ck], pr[pk], dom_pct, nonrec_pct))
    tables.append(TableResult(
        key="sexual_offences", title=f"Sexual offences, {ctx.period.label} and "
                                     f"{ctx.comparison.label}",
        columns=(TableColumn("offences", "Offences"),
                 TableColumn("current", "This period", "count"),
                 TableColumn("previous", "Comparison period", "count"),
                 TableColumn("domestic_pct", "Domestic abuse-flagged (%)", "percent"),
                 TableColumn("non_recent_pct", "Non-recent (%)", "percent")),
        rows=tuple(rows), sensitive=True))
    if heads.get("sexual_offences_non_recent_pct"):
        text.append(f"{narrative.fmt_pct(heads['sexual_offences_non_recent_pct'])} of sexual "
                    f"offences were recorded more than {months} months after they were "
                    "committed (non-recent).")
    elif not ctx.has("committed_from"):
        partial.append("Non-recent share: the crimes have no committed-from date.")
    if victims is not None:
        heads["sexual_offence_victims"] = pr["victims:sexual_offences:people"]
        heads.update(_people.protected_profile_heads(
            pr, "sexual_victims", "victims:sexual_offences", ("under18", "18_24", "25_34"),
            "female"))
        heads.update(_people.protected_profile_heads(
            pr, "rape_victims", "victims:rape", ("under18", "18_24", "25_34"), "female"))
        heads.update(_people.protected_profile_heads(
            pr, "other_sexual_victims", "victims:other_sexual", ("under18",), "female"))
        groups = [(f"Victims: {label.lower()}", f"victims:{k}") for k, label, _ in KINDS]
        heads["rape_by_partner_pct"] = pr.pct("rape:rel:any_partner", "rape:rel_known")
        heads["rape_by_acquaintance_pct"] = pr.pct("rape:rel:acquaintance", "rape:rel_known")
        tables.append(_people.protected_relationship_table(
            "sexual_relationship", "Sexual offences: offender's relationship to the victim",
            [("Rape", "rape"), ("Other sexual offences", "other_sexual")], pr))
        text.append(f"{narrative.fmt_count(pr['victims:sexual_offences:people'])} people were "
                    f"victims of sexual offences; {_f(heads.get('sexual_victims_under18_pct'))} "
                    f"were under 18 and {_f(heads.get('sexual_victims_female_pct'))} female.")
        if offenders is not None:
            heads["sexual_offence_offenders"] = pr["offenders:people"]
            heads.update(_people.protected_profile_heads(
                pr, "sexual_offenders", "offenders", ("under18", "18_24", "25_34", "35_49"),
                "male"))
            groups.append(("Offenders: all sexual offences", "offenders"))
            text.append(f"{narrative.fmt_count(pr['offenders:people'])} offenders were "
                        f"identified; {_f(heads.get('sexual_offenders_male_pct'))} were male.")
        else:
            partial.append("Offender profile: no suspect records are loaded.")
        tables.append(_people.protected_profile_table(
            "sexual_profiles", "Sexual offences: victims and offenders by age and sex", groups,
            pr))
    else:
        partial.append("Victim and offender profiles: no victim records are loaded.")
    return SectionOutput(section("sexual", narrative=tuple(text), tables=tuple(tables),
                                 partial=tuple(partial)), heads)


def _f(value) -> str:
    return "an unknown share" if value is None else narrative.fmt_pct(value)
