"""Statistical disclosure control for published outputs: primary and secondary suppression,
run once per section over all its counts and the relations its outputs publish (``Ledger``).

Rule (configurable with the setting ``suppression_threshold``, default 5): in a victim,
offender or youth breakdown, or a breakdown of a sensitive offence (sexual, domestic abuse, hate),
a count from 1 to threshold − 1 is withheld (primary suppression). Zero is published: it cannot
identify anyone. Every published relation (totals and parts, band multiplicities, the same
figure in two places, percentages and changes) could give a withheld count back, so further
counts are withheld (secondary suppression) until an integer-programming audit pins none.

This follows the ONS guidance summarised in research/methods.md §6 (counts of 1–4 unsafe for
sensitive topics and small areas; secondary suppression so totals cannot reveal them). Written
here because no maintained Python package does cell suppression with an audit on small
in-memory tables (the sdcMicro/tau-argus tools are R/Java and aimed at microdata). There is no
per-table protection: a section that publishes a count registers it on its ledger, and reads
it back from the ``Protected`` set.

A withheld cell becomes ``model.Suppressed``; renderers print ``[c]``.
"""

from __future__ import annotations

from typing import Any

from .model import Suppressed, Value


def is_suppressed(value: Value) -> bool:
    return isinstance(value, Suppressed)


# -- One protection per section: cells, the relations published between them, and the audit ----

#: Keys of cells that more than one section publishes (``crime_cell``): decided once.
SHARED = "crimes|"

#: The relations an attacker can combine: ``sum(coef * cell) (sense) rhs``.
Sense = str  # "==" or "<="


class Ledger:
    """The counts of one section (or one monthly pack table set) and every linear relation its
    outputs publish between them: totals of rows, columns and groups, band multiplicities,
    one figure shared by two tables or sections.

    ``protect()`` runs once and returns the protected set; every table, headline, percentage,
    change, chart and sentence of the section is then built from it (``Protected``), so no raw
    count reaches an output after protection. Method (Hundepool et al. 2012, *Statistical
    Disclosure Control*, Wiley, ch. 4-5: primary and secondary cell suppression, and the audit
    of a suppression pattern by linear programming):

    1. primary suppression: a sensitive count from 1 to threshold − 1 is withheld;
    2. audit: every count published is a constant; for each withheld count the smallest and
       largest values it can take are computed by integer linear programming (SciPy ``milp``,
       HiGHS) under every relation, with each withheld count at least 1 (zero is always
       published, so a withheld count is known to be non-zero);
    3. secondary suppression: if a withheld count has a single possible value, a published
       non-zero count that shares a relation with it is withheld too (the one leaving fewest
       counts determined by the equalities, then the smallest: least information lost), and
       the audit runs again until no withheld count is determined exactly. A secondary
       suppression that the published counts determine protects nothing, so it is published
       again (its value is already known).

    A derived figure (percentage, change, rate, ratio) is published only when every count it
    is computed from is published (``Protected.pct``, ``Protected.published``): it then tells
    nothing the published counts do not.

    Cells shared with another section use the same key in ``shared`` (the context's registry):
    a cell already published elsewhere stays published and cannot be a secondary suppression;
    one already withheld stays withheld.

    >>> led = Ledger(5)
    >>> a, b, c = led.count("a", 120), led.count("b", 3), led.count("c", 40)
    >>> led.total(led.count("all", 163), [a, b, c])
    >>> p = led.protect()
    >>> p["a"], p["b"], p["c"], p["all"]
    (120, Suppressed(reason='fewer than 5'), Suppressed(reason='secondary suppression: would reveal a withheld cell'), 163)
    """

    def __init__(self, threshold: int, shared: dict[str, Value] | None = None) -> None:
        self.threshold = int(threshold)
        self.values: dict[str, int] = {}
        self.sensitive: dict[str, bool] = {}
        self.public: set[str] = set()
        self.relations: list[tuple[dict[str, float], Sense, float]] = []
        self.shared = shared

    def count(self, key: str, value: int | None, *, sensitive: bool = True,
              public: bool = False) -> str:
        """Register a count (None: not available, never published as a number).

        ``sensitive``: primary suppression applies. ``public``: published elsewhere whatever
        happens here (e.g. all recorded crime), so never withheld."""
        if value is not None:
            self.values[key] = int(value)
            self.sensitive[key] = sensitive and not public
            if public:
                self.public.add(key)
        return key

    def relate(self, coefs: dict[str, float], sense: Sense = "==", rhs: float = 0.0) -> None:
        """sum(coef * cell) == rhs (or <= rhs). Relations naming an unavailable cell are dropped."""
        if all(k in self.values for k in coefs) and coefs:
            self.relations.append((dict(coefs), sense, float(rhs)))

    def total(self, total: str, parts: list[str]) -> None:
        """total == sum(parts)."""
        coefs: dict[str, float] = {total: -1.0}
        for p in parts:
            coefs[p] = coefs.get(p, 0.0) + 1.0
        self.relate(coefs)

    def same(self, a: str, b: str) -> None:
        """Two keys for one figure."""
        self.relate({a: 1.0, b: -1.0})

    # -- protection ------------------------------------------------------------------------
    def protect(self) -> "Protected":
        import scipy.linalg  # noqa: F401  (loaded first: the limit applies to loaded libraries)
        import scipy.optimize  # noqa: F401
        from threadpoolctl import threadpool_limits

        # The audit's matrices are small (a few hundred cells): BLAS threads only contend for
        # the cores, and on a busy machine made a year's grid seven times slower.
        with threadpool_limits(limits=1):
            return self._protect()

    def _protect(self) -> "Protected":
        t = self.threshold
        shared = self.shared if self.shared is not None else {}
        withheld: dict[str, Suppressed] = {}
        fixed: set[str] = set(self.public)
        for key, value in self.values.items():
            if key.startswith(SHARED) and key in shared:
                fixed.add(key)
                if isinstance(shared[key], Suppressed):
                    withheld[key] = shared[key]
            elif self.sensitive[key] and 0 < value < t:
                withheld[key] = Suppressed(f"fewer than {t}")
        primary = set(withheld)
        unsafe: list[str] = []
        # 1. complements until no primary (or already withheld) count is determined
        while True:
            skip = set(unsafe)
            exposed = (self._pinned(withheld, skip, primary)
                       or self._exposed(withheld, skip, primary))
            if exposed is None:
                break
            pick = self._complement(exposed, withheld, fixed)
            if pick is None:  # nothing left to withhold around it: say so, never loop
                unsafe.append(exposed)
                continue
            withheld[pick] = Suppressed("secondary suppression: would reveal a withheld cell")
        # 2. a complement the published counts determine protects nothing (every pattern
        # consistent with what is published has that value): it is published again, which
        # tells nothing new and leaves every other withheld count as uncertain as it was
        while True:
            secondary = set(withheld) - primary
            exposed = (self._pinned(withheld, set(), secondary)
                       or self._exposed(withheld, set(), secondary))
            if exposed is None:
                break
            del withheld[exposed]
        out: dict[str, Value] = {k: withheld.get(k, v) for k, v in self.values.items()}
        if self.shared is not None:
            for key, value in out.items():
                if key.startswith(SHARED):
                    self.shared.setdefault(key, value)
        return Protected(out, t, tuple(unsafe))

    def determined(self, protected: "Protected", coefs: dict[str, float]) -> bool:
        """Whether ``sum(coef * cell)`` is a linear combination of the published cells and the
        equalities published between them, so publishing it tells nothing they do not (e.g.
        a year's total less its one published quarter is the other three quarters' sum, even
        when one of those is withheld)."""
        import numpy as np

        keys = sorted(self.values)
        index = {k: i for i, k in enumerate(keys)}
        if any(k not in index for k in coefs):
            return False
        rows = []
        for relation, sense, _ in self.relations:
            if sense == "==":
                row = np.zeros(len(keys))
                for k, c in relation.items():
                    row[index[k]] += c
                rows.append(row)
        for k in keys:
            if protected.published(k):
                row = np.zeros(len(keys))
                row[index[k]] = 1.0
                rows.append(row)
        target = np.zeros(len(keys))
        for k, c in coefs.items():
            target[index[k]] += c
        if not rows:
            return not target.any()
        a = np.array(rows).T
        y, *_ = np.linalg.lstsq(a, target, rcond=None)
        return bool(np.abs(a @ y - target).max() < 1e-7)

    def _exposed(self, withheld: dict[str, Suppressed], skip: set[str], among: set[str]
                 ) -> str | None:
        """The first withheld cell of ``among`` (in key order) with a single possible integer
        value."""
        free, rows, senses, rhs = self._system(withheld)
        for i, key in enumerate(free):
            if key in skip or key not in among or not any(r[i] for r in rows):
                continue  # in no relation with anything withheld: nothing pins it down
            lo, hi = _bounds(rows, senses, rhs, len(free), i)
            if lo is not None and hi is not None and hi - lo < 0.5:
                return key
        return None

    def _system(self, withheld, equalities_only: bool = False):
        """The relations as rows over the withheld cells (published cells moved to the right)."""
        free = sorted(withheld)
        index = {k: i for i, k in enumerate(free)}
        rows, senses, rhs = [], [], []
        for coefs, sense, b in self.relations:
            if equalities_only and sense != "==":
                continue
            row = [0.0] * len(free)
            const = 0.0
            touched = False
            for k, c in coefs.items():
                if k in index:
                    row[index[k]] += c
                    touched = touched or c != 0
                else:
                    const += c * self.values[k]
            if touched:
                rows.append(row)
                senses.append(sense)
                rhs.append(b - const)
        return free, rows, senses, rhs

    def _pinned_set(self, withheld) -> set[str]:
        """Withheld cells the published cells fix through the equalities alone: those whose
        unit vector lies in the row space (zero in every null-space vector)."""
        import numpy as np

        free, rows, _, _ = self._system(withheld, equalities_only=True)
        if not free or not rows:
            return set()
        ns = _null_space(np.array(rows, dtype=float))
        if ns.size == 0:
            return set(free)
        zero = np.abs(ns).max(axis=1) < 1e-9
        return {k for k, z in zip(free, zero) if z}

    def _pinned(self, withheld, skip: set[str], among: set[str]) -> str | None:
        pinned = sorted((self._pinned_set(withheld) & among) - skip)
        return pinned[0] if pinned else None

    def _complement(self, exposed: str, withheld: dict[str, Suppressed], fixed: set[str]
                    ) -> str | None:
        """The published non-zero count sharing a relation with ``exposed`` whose withholding
        leaves fewest cells fixed by the equalities, the smallest of those (least information
        lost); else one sharing a relation with any withheld cell."""
        def candidates(keys: set[str]) -> list[str]:
            out = set()
            for coefs, _, _ in self.relations:
                if keys & coefs.keys():
                    out |= {k for k in coefs if k not in withheld and k not in fixed
                            and self.values[k] != 0}
            return sorted(out)

        for keys in ({exposed}, set(withheld)):
            near = candidates(keys)
            if near:
                def cost(k):
                    trial = dict(withheld)
                    trial[k] = Suppressed()
                    pinned = self._pinned_set(trial)
                    return (exposed in pinned, len(pinned), self.values[k], k)
                return min(near, key=cost)
        return None


def _null_space(a):
    """An orthonormal basis of the null space of ``a`` (columns), as ``scipy.linalg.null_space``
    with its default tolerance, without the m x m left singular vectors it also computes: a
    grid's ledger has many more relations than withheld cells, and that full decomposition
    was nearly all of its protection time."""
    import numpy as np
    from scipy.linalg import svd

    m, n = a.shape
    _, s, vh = svd(a, full_matrices=m < n)
    tol = max(m, n) * np.finfo(float).eps * (s.max() if s.size else 0.0)
    rank = int((s > tol).sum())
    return vh[rank:, :].T.conj()


def _bounds(rows, senses, rhs, n: int, i: int) -> tuple[float | None, float | None]:
    """Smallest and largest integer value of variable i (each variable >= 1) under the rows;
    None for an unbounded side. The same audit an attacker would run."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    A = np.array(rows, dtype=float)
    b = np.array(rhs, dtype=float)
    eq = np.array([s == "==" for s in senses])
    lower = np.where(eq, b, -np.inf)
    constraints = LinearConstraint(A, lower, b)
    out = []
    for sign in (1.0, -1.0):
        c = np.zeros(n)
        c[i] = sign
        res = milp(c, constraints=constraints, integrality=np.ones(n),
                   bounds=Bounds(np.ones(n), np.full(n, np.inf)))
        if res.status == 0:
            out.append(sign * res.fun)
        else:  # unbounded (or, impossible with true data, infeasible): not pinned down
            out.append(None)
    return out[0], out[1]


class Protected:
    """The protected counts of one ledger: ``p[key]`` is the count or ``Suppressed``; every
    derived figure is built here, from the protected counts only."""

    def __init__(self, values: dict[str, Value], threshold: int, unsafe: tuple[str, ...] = ()
                 ) -> None:
        self.values = values
        self.threshold = threshold
        self.unsafe = unsafe

    def __getitem__(self, key: str) -> Value:
        return self.values.get(key)

    def get(self, key: str) -> Value:
        return self.values.get(key)

    def published(self, *keys: str) -> bool:
        """Whether every count named is available and published."""
        return all(k in self.values and not isinstance(self.values[k], Suppressed)
                   for k in keys)

    def withheld(self, *keys: str) -> bool:
        return any(isinstance(self.values.get(k), Suppressed) for k in keys)

    def pct(self, part: str, whole: str, digits: int = 1) -> Value:
        """part / whole as a percentage: withheld unless both counts are published; None when
        either is unavailable or the whole is 0."""
        if self.withheld(part, whole):
            return Suppressed("withheld: computed from a withheld count")
        p, w = self.values.get(part), self.values.get(whole)
        if p is None or not w:
            return None
        return round(100.0 * float(p) / float(w), digits)

    def derived(self, value: Any, *keys: str) -> Any:
        """``value`` (computed from the counts ``keys``) if they are all published, else
        Suppressed (or None when the value itself is None)."""
        if self.withheld(*keys):
            return Suppressed("withheld: computed from a withheld count")
        return value


def ledger(ctx: Any) -> Ledger:
    """A section's ledger, sharing the assessment's registry of cells already decided."""
    return Ledger(ctx.threshold, ctx.cache.setdefault("disclosure_registry", {}))


def crime_cell(level: str, name: str | None, flag: str) -> str:
    """The registry key of a count of crimes by offence group or subgroup (or police.uk
    category) in one period: the same figure in two sections is one cell."""
    return f"crimes|{level}|{(name or 'not known').lower()}|{flag}"


#: The rules as published in docs/metrics.md and the report appendix (``metrics.render_markdown``).
RULES = """\
Counts of people (victims, offenders, young people, referrals), of sensitive offences (sexual
offences and their subgroups, domestic abuse, hate crime) and of repeat-victim bands are
withheld as `[c]` when they are from 1 to `suppression_threshold` − 1 (setting, default 5):
*primary suppression*. Zero is always published. Other counts are published as they are.

Protection runs once per section, on all its counts together with every relation its outputs
publish between them: totals of rows, columns and groups against their parts; police.uk
categories against the offence subgroups whose crimes they hold (e.g. 'Violence and sexual
offences' = violence against the person + sexual offences); repeat-victim bands (crimes =
victims in the 1-crime band, 2 × victims in the 2-crime band, 3-4 × in the 3-4 band, at least
5 × in the 5+ band); each strand of hate crime at most the total and the total at most their
sum; the same figure published in two sections or under two keys (one cell, decided once). The
pattern is then audited as an attacker would (Hundepool et al. 2012, *Statistical Disclosure
Control*, Wiley, chapters 4-5: cell suppression and its audit by linear programming): every
published count is known, every withheld count is an unknown whole number of at least 1, and
for each withheld count the smallest and largest values consistent with all the relations are
found by integer programming (SciPy `milp`). While any withheld count has a single possible
value, the published non-zero count that shares a relation with it and leaves fewest counts
determined (then the smallest) is withheld too (*secondary suppression*), and the audit runs
again.

Every other figure is built from the protected counts only. A percentage is published only when
its part and its base are both published; a change (%), its p-value, its assessment and a rate
only when both counts (or the count) are; a ratio of rates only when both counts are. Harm per
resident gives its count back (weight × crimes / population): a subgroup's harm is published
only when its count is, and the total harm and every share of it only when every subgroup's
count is; ranks and the harm sentences are among the subgroups whose harm is published. A
first-time-entrant rate is published only with its count; a re-offending cohort's rates only
with both its young people and its re-offenders, and the young people who did not re-offend
are a count of people too (a cohort less its re-offenders). Hate reports by channel and
third-party reports by centre are protected with the hate-crime counts, against their totals
and against each other (the centres' reports are the third-party and online channels'). Tables,
headline keys, charts and sentences read the same protected value, so a figure withheld in one
place is withheld everywhere. A test (tests/engine/assessment/test_disclosure_attack.py)
attacks the published files of random periods from one day to a year, and monthly packs, with
relations of its own: assessment.json, headlines.csv, the table CSVs, the narrative and the HTML
report (its tables, key figures, charts and text are held to those files); it recovers no
withheld count. Every file `safecity assess` writes is either attacked or declared there to
carry no count the rules withhold.
"""
