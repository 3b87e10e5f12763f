"""Third-party hate reports as the web app exports them (``safecity web export-hate-reports``).

The same table and columns as ``hate`` (source ``hate``), under its own replacement scope
``hate-third-party``: each file is the complete set of accepted third-party reports and replaces
the previous one whole, so police hate files and these never replace each other, and a report
the coordinator later rejects leaves the warehouse at the next export. Never guessed from a
header: the web app names the kind.
"""

from __future__ import annotations

from .hate import _derive, _summarise
from .records import SingleTableAdapter

KIND = "hate-third-party"


class _Adapter(SingleTableAdapter):
    @staticmethod
    def sniff(header: list[str]) -> bool:
        return False  # only loaded when named, so a police hate file is never taken for one


ADAPTER = _Adapter("hate", "hate_reports", scope=KIND, derive_factory=_derive,
                   summarise=_summarise, whole=True)
