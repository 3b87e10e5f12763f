"""Statistical disclosure control for published tables: primary and secondary suppression.

Rule (configurable with the setting ``suppression_threshold``, default 5): in a victim,
offender or youth breakdown, or a breakdown of a sensitive offence (sexual, domestic abuse, hate),
a count from 1 to threshold − 1 is withheld (primary suppression). Zero is published: it cannot
identify anyone. When a table also publishes the total of a set of cells, one withheld cell
could be recovered by subtraction, so the smallest other published non-zero cell of the set is
withheld too (secondary suppression), and so on until no set has exactly one withheld cell. When
the total itself is below the threshold every non-zero cell is withheld with it.

This follows the ONS guidance summarised in research/methods.md §6 (counts of 1–4 unsafe for
sensitive topics and small areas; secondary suppression so totals cannot reveal them). Written
here because no maintained Python package does cell suppression on small in-memory tables (the
sdcMicro/tau-argus tools are R/Java and aimed at microdata).

A withheld cell becomes ``model.Suppressed``; a share computed from a withheld count is withheld
too (``share``). Renderers print ``[c]``.

>>> protect([120, 3, 40, 0], threshold=5)
[120, Suppressed(reason='fewer than 5'), Suppressed(reason='secondary suppression: would reveal a withheld cell'), 0]
>>> protect([120, 30, 40], threshold=5)
[120, 30, 40]
"""

from __future__ import annotations

from typing import Sequence

from .model import Suppressed, Value


def primary(count: int | None, threshold: int) -> Value:
    """``count`` itself, or Suppressed when it is between 1 and threshold − 1."""
    if count is None:
        return None
    if 0 < count < threshold:
        return Suppressed(f"fewer than {threshold}")
    return count


def protect(counts: Sequence[int | None], threshold: int, *, total_published: bool = True
            ) -> list[Value]:
    """Suppress small cells of one set of counts that add up to a published total.

    With ``total_published`` False only primary suppression applies (nothing to subtract from).
    """
    cells: list[Value] = [primary(c, threshold) for c in counts]
    if not total_published:
        return cells
    total = sum(c for c in counts if c)
    if 0 < total < threshold:
        return [Suppressed(f"total fewer than {threshold}") if c else c for c in counts]
    withheld = [i for i, v in enumerate(cells) if isinstance(v, Suppressed)]
    if len(withheld) == 1:
        candidates = sorted((c, i) for i, c in enumerate(counts)
                            if c and not isinstance(cells[i], Suppressed))
        if candidates:
            cells[candidates[0][1]] = Suppressed("secondary suppression: would reveal a "
                                                 "withheld cell")
    return cells


def share(count: Value, denominator: int | None, *, digits: int = 1) -> Value:
    """count / denominator as a percentage; Suppressed if the count is; None if impossible."""
    if isinstance(count, Suppressed):
        return count
    if count is None or not denominator:
        return None
    return round(100.0 * float(count) / denominator, digits)


def protect_total(total: int | None, threshold: int) -> Value:
    """A sensitive total is itself suppressed when it is small (nothing to add up from)."""
    return primary(total, threshold)


def percent(part: int | None, whole: int | None, threshold: int, *, digits: int = 1) -> Value:
    """part / whole as a percentage for a sensitive figure: withheld when the part or the whole
    is between 1 and threshold − 1 (a share of three people reveals them); None if impossible.

    >>> percent(2, 3, 5), percent(0, 40, 5), percent(30, 40, 5)
    (Suppressed(reason='fewer than 5'), 0.0, 75.0)
    """
    if part is None or not whole:
        return None
    if 0 < part < threshold or 0 < whole < threshold:
        return Suppressed(f"fewer than {threshold}")
    return round(100.0 * part / whole, digits)


def protect_counts(heads: dict[str, Value], threshold: int) -> dict[str, Value]:
    """Primary suppression of every whole-number figure of a sensitive section's headlines."""
    return {k: primary(v, threshold) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in heads.items()}


def is_suppressed(value: Value) -> bool:
    return isinstance(value, Suppressed)
