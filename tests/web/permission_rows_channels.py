"""Permission-matrix rows of the channels' views (third-party hate reporting; the others as
they land), kept apart from test_permissions.py so each channel adds rows here. The objects a
row needs are made by its kwargs builder, in the test's world."""

from __future__ import annotations

import datetime as dt


def hate_centre(w):
    from safecity.web.hate_reports.models import Centre

    centre, _ = Centre.objects.get_or_create(partnership=w.strategy, name="Central Library",
                                             defaults={"area": "Bargate"})
    return centre


def hate_report(w):
    from safecity.web.hate_reports.models import Report

    return Report.objects.create(partnership=w.strategy, centre=hate_centre(w),
                                 reporter="victim", strands=["race"], what_happened="Text",
                                 place="A street", happened_on=dt.date(2020, 5, 1),
                                 wants_police=False, contact_ok=False)


def channel_rows(expect, personas, partners, managers):
    everyone = tuple(personas)
    admin_only = dict(ok=("administrator",), forbidden=[p for p in personas
                                                          if p != "administrator"])
    return {
        "report_hate:start": ("get", None, expect(ok=everyone, anon=200)),
        "report_hate:step": ("get", lambda w: [hate_centre(w) and "centre"],
                             expect(ok=everyone, anon=200)),
        "report_hate:sent": ("get", None, expect(ok=everyone, ok_status=302, anon=302)),
        # Report text is for the hate crime coordinator (tests/web/test_hate_reports.py) and
        # administrators; the list has no partnership, so outsiders are refused like partners.
        "hate_reports:list": ("get", None, expect(**admin_only)),
        "hate_reports:export": ("post", None, expect(ok=("administrator",), ok_status=302,
                                                     forbidden=admin_only["forbidden"])),
        "hate_reports:report": ("get", lambda w: [hate_report(w).pk], expect(
            ok=("administrator",), forbidden=[p for p in partners if p != "administrator"],
            not_found=("outsider",))),
        "hate_reports:centres": ("get", None, expect(ok=everyone)),
        "hate_reports:centre": ("get", lambda w: [hate_centre(w).pk], expect(
            ok=partners, not_found=("outsider",))),
        "hate_reports:centre_new": ("get", lambda w: [w.strategy.pk], expect(
            ok=managers, forbidden=[p for p in partners if p not in managers],
            not_found=("outsider",))),
    }
