"""The Partnership Action Groups' open problems as the web app exports them
(``safecity web manage export_action_groups``), for the monthly pack's list of each sector's
problems. Default layout: the contract columns of ``action_group_problems`` by name. Each file
is the complete set of open problems and replaces the previous one whole (scope
``action-groups``); no titles, plans or notes leave the app. Never guessed from a header: the
web app names the kind.
"""

from __future__ import annotations

from typing import Any

from .records import SingleTableAdapter

KIND = "action-groups"


def _derive(notes: dict[str, Any]):
    def derive(row: dict[str, Any]) -> None:
        return None

    return derive


class _Adapter(SingleTableAdapter):
    @staticmethod
    def sniff(header: list[str]) -> bool:
        return False  # only loaded when named


ADAPTER = _Adapter(KIND, "action_group_problems", scope=KIND, derive_factory=_derive,
                   months=(), month_column=None, whole=True)
