"""Funnel-plot limits for area rates, plain Poisson and overdispersed (Spiegelhalter 2005).

Crime rates by LSOA or ward vary far more than Poisson chance allows (places differ), so exact
Poisson limits flag most small areas. :func:`funnel_flags` therefore uses Spiegelhalter's
additive random-effects limits by default: the square-root transformed ratio
``y_i = sqrt(O_i / E_i)`` with within-area standard error ``s_i = 1 / (2 sqrt(E_i))`` (the CQC /
FunnelPlotR "SR" form), z-scores winsorised at 10 % each end, dispersion
``phi = mean(z_w^2)`` and DerSimonian-Laird between-area variance

``tau^2 = max(0, (I phi - (I - 1)) / (sum w_i - sum w_i^2 / sum w_i))``, ``w_i = 1 / s_i^2``.

When ``tau^2 > 0`` the limits are ``(1 ± z_p sqrt(s_i^2 + tau^2))^2 x overall rate`` (squared
back from the square-root scale; the lower clipped at 0); otherwise the exact Poisson limits.

Plain Poisson limits at population ``n`` use the interpolated Poisson quantile of Spiegelhalter
(2005, Stat Med, appendix A.1.1): with ``mu = theta n``, ``r_p = Poisson.ppf(p, mu)`` and
``a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))``, the limit on the count is ``r_p - a``. This gives
smooth curves and agrees with PHE's Fingertips funnels (PHEindicatormethods
``calculate_funnel_limits``) to the interpolation.

Flags compare each area's rate with its own limits: "high (99.8%)", "high (95%)", "within",
"low (95%)", "low (99.8%)"; an area with no population is "not assessed".

References
----------
Spiegelhalter D.J. (2005) Funnel plots for comparing institutional performance. *Stat Med*
24:1185-1202. Spiegelhalter D.J. (2005) Handling over-dispersion of performance indicators.
*Qual Saf Health Care* 14:347-351. DerSimonian R. & Laird N. (1986) *Control Clin Trials*
7:177-188.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats

from ..errors import AssessmentError

__all__ = ["FunnelLimits", "FunnelPoint", "Overdispersion", "funnel_limits", "funnel_flags",
           "funnel_curve", "overdispersion", "FLAGS"]

FLAGS = ("high (99.8%)", "high (95%)", "within", "low (95%)", "low (99.8%)", "not assessed")
WINSORISE = 0.10


@dataclass(frozen=True)
class Overdispersion:
    """Spiegelhalter's dispersion ``phi`` and DerSimonian-Laird ``tau2`` (square-root scale)."""

    phi: float
    tau2: float
    areas: int


@dataclass(frozen=True)
class FunnelLimits:
    """Limits (rates per ``per``) at each population; ``tau2`` is ``None`` for plain Poisson."""

    per: float
    overall: float
    tau2: float | None
    populations: tuple[float, ...]
    low95: tuple[float, ...]
    high95: tuple[float, ...]
    low998: tuple[float, ...]
    high998: tuple[float, ...]

    def as_dict(self) -> dict[str, list[float]]:
        """The ``limits`` mapping a funnel chart reads (``ChartSpec.extra['limits']``)."""
        return {"population": list(self.populations), "low95": list(self.low95),
                "high95": list(self.high95), "low998": list(self.low998),
                "high998": list(self.high998)}


@dataclass(frozen=True)
class FunnelPoint:
    """One area: its rate per ``per``, the limits at its population and its flag."""

    count: int
    population: float
    expected: float | None
    rate: float | None
    low95: float | None
    high95: float | None
    low998: float | None
    high998: float | None
    flag: str


def _as_arrays(counts: Sequence[float], populations: Sequence[float]):
    o = np.asarray(counts, dtype=float)
    n = np.asarray(populations, dtype=float)
    if o.shape != n.shape or o.ndim != 1:
        raise AssessmentError(f"Funnel plots need one count per population; got {o.size} counts "
                              f"and {n.size} populations.",
                              fix="Pass two lists of equal length, for example ([12, 30], [1500, 1800]).")
    if np.any(o < 0) or np.any(n < 0) or np.isnan(o).any() or np.isnan(n).any():
        raise AssessmentError("Funnel plots need counts and populations of zero or more.",
                              fix="Remove missing or negative values, for example ([12, 30], [1500, 1800]).")
    return o, n


def _poisson_limit(mu: np.ndarray, p: float) -> np.ndarray:
    """Interpolated Poisson quantile (Spiegelhalter 2005, appendix A.1.1), vectorised."""
    r = stats.poisson.ppf(p, mu)
    f_r = stats.poisson.cdf(r, mu)
    f_below = stats.poisson.cdf(r - 1, mu)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(f_r > f_below, (f_r - p) / (f_r - f_below), 0.0)
    return np.maximum(r - a, 0.0)


def _levels(levels: Sequence[float]) -> tuple[float, float]:
    if tuple(levels) != (0.95, 0.998):
        raise AssessmentError(f"Funnel levels {tuple(levels)} are not supported.",
                              fix="Use the PHE levels (0.95, 0.998).")
    return 0.95, 0.998


def funnel_limits(populations: Sequence[float], overall_rate: float,
                  levels: Sequence[float] = (0.95, 0.998), per: float = 1000,
                  overdispersion: float | None = None) -> FunnelLimits:
    """95 % and 99.8 % funnel limits around ``overall_rate`` (per ``per``) at each population.

    ``overdispersion`` is ``tau^2`` on the square-root scale (see :func:`overdispersion`);
    ``None`` or 0 gives exact Poisson limits.

    Examples
    --------
    >>> lim = funnel_limits([1000, 100_000], overall_rate=1.0)
    >>> [round(v, 3) for v in lim.high95], [round(v, 3) for v in lim.low95]
    ([2.902, 1.196], [0.0, 0.804])
    """
    _levels(levels)
    n = np.asarray(populations, dtype=float)
    if overall_rate is None or overall_rate < 0 or np.any(n <= 0):
        raise AssessmentError("Funnel limits need a non-negative overall rate and positive "
                              "populations.", fix="Leave out areas with no population, for "
                              "example populations [1500, 1800] and overall rate 95.2.")
    theta = overall_rate / per
    mu = theta * n
    out: dict[str, np.ndarray] = {}
    for name, level in (("95", 0.95), ("998", 0.998)):
        tail = (1 - level) / 2
        if overdispersion and overdispersion > 0:
            z = stats.norm.ppf(1 - tail)
            with np.errstate(divide="ignore"):
                sd = np.sqrt(1 / (4 * mu) + overdispersion)
            out["low" + name] = overall_rate * np.maximum(1 - z * sd, 0.0) ** 2
            out["high" + name] = overall_rate * (1 + z * sd) ** 2
        else:
            out["low" + name] = _poisson_limit(mu, tail) / n * per
            out["high" + name] = _poisson_limit(mu, 1 - tail) / n * per
    as_tuple = lambda a: tuple(float(v) for v in a)  # noqa: E731
    return FunnelLimits(per=per, overall=float(overall_rate),
                        tau2=float(overdispersion) if overdispersion else None,
                        populations=as_tuple(n), **{k: as_tuple(v) for k, v in out.items()})


def overdispersion(counts: Sequence[float], populations: Sequence[float]) -> Overdispersion:
    """Spiegelhalter's ``phi`` and DerSimonian-Laird ``tau^2`` for area counts about their mean rate.

    Examples
    --------
    >>> rng = np.random.default_rng(7)
    >>> pops = rng.integers(1200, 2500, 200)
    >>> counts = rng.poisson(pops / 1000 * 80 * rng.gamma(25, 1 / 25, 200))
    >>> od = overdispersion(counts, pops)
    >>> round(od.phi, 1), round(od.tau2, 4)
    (4.9, 0.0069)
    """
    o, n = _as_arrays(counts, populations)
    keep = n > 0
    o, n = o[keep], n[keep]
    if o.sum() == 0 or len(o) < 2:
        return Overdispersion(phi=0.0, tau2=0.0, areas=int(len(o)))
    expected = o.sum() / n.sum() * n
    z = 2 * (np.sqrt(o) - np.sqrt(expected))  # (sqrt(O/E) - 1) / (1 / (2 sqrt E))
    low, high = np.quantile(z, [WINSORISE, 1 - WINSORISE])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    areas = len(o)
    w = 4 * expected
    tau2 = 0.0
    if areas * phi > areas - 1:
        tau2 = max(0.0, (areas * phi - (areas - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return Overdispersion(phi=phi, tau2=float(tau2), areas=areas)


def funnel_flags(counts: Sequence[float], populations: Sequence[float], per: float = 1000,
                 overdispersed: bool = True, overall_rate: float | None = None) -> list[FunnelPoint]:
    """Each area's rate, funnel limits at its population and its flag.

    The centre is ``overall_rate`` (per ``per``) or, by default, total counts over total
    population. With ``overdispersed=True`` the limits widen by Spiegelhalter's ``tau^2``
    (:func:`overdispersion`), and are the Poisson ones when ``tau^2 = 0``.

    Examples
    --------
    >>> pts = funnel_flags([5, 30, 22, 90], [1500, 1600, 1400, 1500], overdispersed=False)
    >>> [p.flag for p in pts]
    ['low (99.8%)', 'within', 'low (95%)', 'high (99.8%)']
    """
    o, n = _as_arrays(counts, populations)
    keep = n > 0
    theta = o[keep].sum() / n[keep].sum() if keep.any() else 0.0
    overall = theta * per if overall_rate is None else float(overall_rate)
    tau2 = overdispersion(o, n).tau2 if overdispersed else 0.0
    limits = funnel_limits(n[keep], overall, per=per, overdispersion=tau2) if keep.any() else None
    points, index = [], 0
    for count, population, ok in zip(o, n, keep):
        if not ok:
            points.append(FunnelPoint(int(count), float(population), None, None, None, None,
                                      None, None, "not assessed"))
            continue
        rate = count / population * per
        lo95, hi95 = limits.low95[index], limits.high95[index]
        lo998, hi998 = limits.low998[index], limits.high998[index]
        index += 1
        if rate > hi998:
            flag = "high (99.8%)"
        elif rate > hi95:
            flag = "high (95%)"
        elif rate < lo998:
            flag = "low (99.8%)"
        elif rate < lo95:
            flag = "low (95%)"
        else:
            flag = "within"
        points.append(FunnelPoint(int(count), float(population), overall / per * population,
                                  float(rate), lo95, hi95, lo998, hi998, flag))
    return points


def funnel_curve(counts: Sequence[float], populations: Sequence[float], per: float = 1000,
                 overdispersed: bool = True, steps: int = 60) -> FunnelLimits:
    """Limits on an even grid of populations spanning the areas, for drawing the funnel.

    Examples
    --------
    >>> curve = funnel_curve([5, 30, 12, 90], [1500, 1600, 1400, 1500], steps=3)
    >>> curve.populations
    (1400.0, 1500.0, 1600.0)
    """
    o, n = _as_arrays(counts, populations)
    keep = n > 0
    if not keep.any():
        raise AssessmentError("A funnel needs at least one area with a population.",
                              fix="Pass populations above zero, for example [1500, 1800].")
    overall = o[keep].sum() / n[keep].sum() * per
    tau2 = overdispersion(o, n).tau2 if overdispersed else 0.0
    grid = np.linspace(n[keep].min(), n[keep].max(), steps)
    return funnel_limits(grid, overall, per=per, overdispersion=tau2)
