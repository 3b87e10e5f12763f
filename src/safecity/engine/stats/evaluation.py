"""Evaluating place-based work: the weighted displacement difference and hotspot accuracy indices.

No maintained Python library implements WDD, PAI or PEI (the references are R: ptools), so they
are written here from the papers; each is a few lines of arithmetic.

References
----------
Wheeler A.P. & Ratcliffe J.H. (2018) A simple weighted displacement difference test to evaluate
place based crime interventions. *Crime Science* 7(1):11.
Chainey S., Tompson L. & Uhlig S. (2008) The utility of hotspot mapping for predicting spatial
patterns of crime. *Security Journal* 21:4-28.
Hunt J.M. (2016) Do crime hot spots move? *NIJ*; Wheeler A.P. & Steenbeek W. (2021) *J Quant
Criminol* 37:445-480 (PEI as observed over oracle PAI).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats

from ..errors import AssessmentError

__all__ = ["WDD", "wdd", "PAIStep", "pai_table", "pai", "pei", "hotspot_pai"]


@dataclass(frozen=True)
class WDD:
    """A weighted displacement difference with its normal-approximation inference.

    ``estimate`` is local + displacement; negative means crime fell in the treated area relative
    to control. ``p`` is two-sided; ``low``/``high`` the ``1 - alpha`` interval.
    """

    estimate_local: float
    se_local: float
    estimate_displacement: float
    se_displacement: float
    estimate: float
    variance: float
    se: float
    z: float | None
    p: float | None
    low: float
    high: float
    alpha: float


def _pair(values, name: str) -> tuple[float, float]:
    if values is None or len(values) != 2 or any(v is None or v < 0 for v in values):
        raise AssessmentError(f"The {name} counts {values!r} are not a (pre, post) pair.",
                              fix="Pass two counts of zero or more, for example (308, 318).")
    return float(values[0]), float(values[1])


def wdd(control: Sequence[float], treated: Sequence[float],
        disp_control: Sequence[float] = (0, 0), disp_treated: Sequence[float] = (0, 0), *,
        time_weights: Sequence[float] = (1, 1), area_weights: Sequence[float] = (1, 1, 1, 1),
        alpha: float = 0.05) -> WDD:
    """Weighted displacement difference (Wheeler & Ratcliffe 2018), with time and area weights.

    Each (pre, post) pair is ``(X0, X1)``; subscript T treated, C control, D displacement buffer,
    Cd its control. ``WDD = (T1 - T0) - (C1 - C0) + (D1 - D0) - (Cd1 - Cd0)`` and, counts being
    Poisson, ``Var = T1 + T0 + C1 + C0 + D1 + D0 + Cd1 + Cd0``. With time weights ``t`` (pre,
    post) and area weights ``a`` (order control, treated, disp_control, disp_treated, as ptools)
    each count ``X`` becomes ``X / (t a)`` with variance ``X / (t a)^2``. ``Z = WDD / sqrt(Var)``,
    ``CI = WDD ± z_{1-alpha/2} sqrt(Var)``.

    Examples
    --------
    >>> r = wdd((308, 318), (207, 110), (150, 140), (178, 157))
    >>> r.estimate, r.variance, round(r.z, 2), round(r.low), round(r.high)
    (-118.0, 1568.0, -2.98, -196, -40)
    """
    c, t = _pair(control, "control"), _pair(treated, "treated")
    dc, dt = _pair(disp_control, "displacement control"), _pair(disp_treated, "displacement")
    tw = tuple(float(v) for v in time_weights)
    aw = tuple(float(v) for v in area_weights)
    if len(tw) != 2 or len(aw) != 4 or min(tw + aw) <= 0:
        raise AssessmentError("WDD weights must be positive: two time weights (pre, post) and "
                              "four area weights (control, treated, disp_control, disp_treated).",
                              fix="For example time_weights=(2, 1), area_weights=(1, 1, 1, 1).")
    if not 0 < alpha < 1:
        raise AssessmentError(f"alpha={alpha!r} is not a significance level.",
                              fix="Use a number between 0 and 1, for example 0.05.")

    def change(pair, area):  # weighted post - pre, and its Poisson variance
        w0, w1 = tw[0] * area, tw[1] * area
        return pair[1] / w1 - pair[0] / w0, pair[1] / w1**2 + pair[0] / w0**2

    (dc_c, vc_c), (dt_t, vt_t) = change(c, aw[0]), change(t, aw[1])
    (dc_dc, vc_dc), (dt_dt, vt_dt) = change(dc, aw[2]), change(dt, aw[3])
    # ptools' wdd() (R/wdd.R @4cc7a1b) misplaces a bracket in the displacement-control variance,
    # multiplying the post count into the pre term; this follows the paper's formula instead.
    local, var_local = dt_t - dc_c, vt_t + vc_c
    displaced, var_displaced = dt_dt - dc_dc, vt_dt + vc_dc
    estimate, variance = local + displaced, var_local + var_displaced
    se = math.sqrt(variance)
    z = estimate / se if se > 0 else None
    p = float(2 * stats.norm.sf(abs(z))) if z is not None else None
    half = float(stats.norm.ppf(1 - alpha / 2)) * se
    return WDD(estimate_local=local, se_local=math.sqrt(var_local),
               estimate_displacement=displaced, se_displacement=math.sqrt(var_displaced),
               estimate=estimate, variance=variance, se=se, z=z, p=p,
               low=estimate - half, high=estimate + half, alpha=alpha)


@dataclass(frozen=True)
class PAIStep:
    """The top ``order`` cells by predicted density: their share of crime and of area."""

    order: int
    cum_count: float
    hit_rate: float | None  # share of all observed crime captured
    area_share: float
    pai: float | None
    pei: float | None


def _arrays(observed, predicted, areas):
    obs = np.asarray(observed, dtype=float)
    pred = np.asarray(predicted, dtype=float)
    area = np.ones_like(obs) if areas is None else np.asarray(areas, dtype=float)
    if not (obs.shape == pred.shape == area.shape) or obs.ndim != 1 or len(obs) == 0:
        raise AssessmentError("PAI needs one observed count, prediction and area per cell.",
                              fix="Pass lists of equal length, for example obs (6, 3, 0) and "
                                  "pred (3, 2, 1).")
    if np.any(area <= 0) or np.any(obs < 0):
        raise AssessmentError("PAI needs positive cell areas and counts of zero or more.",
                              fix="Leave out cells with no area, for example areas (1, 1, 1).")
    return obs, pred, area


def pai_table(observed: Sequence[float], predicted: Sequence[float],
              areas: Sequence[float] | None = None) -> tuple[PAIStep, ...]:
    """PAI and PEI for the top 1, 2, ... cells ranked by predicted density ``pred / area``.

    ``PAI = (n/N) / (a/A)`` (Chainey et al. 2008): the share of test-period crime ``n/N`` in the
    flagged cells over their share of the area. ``PEI = PAI / PAI*``, where ``PAI*`` is the PAI
    of an oracle taking the same number of cells ranked by observed density (as ptools ``pai``;
    with unequal areas the oracle's area differs slightly). Ties in prediction are broken by the
    lower observed count first, which gives the least flattering PAI. With no crime at all PAI
    and PEI are ``None``.

    Examples
    --------
    >>> [(s.pai, s.pei) for s in pai_table((6, 3, 0), (3, 2, 1))]
    [(2.0, 1.0), (1.5, 1.0), (1.0, 1.0)]
    """
    obs, pred, area = _arrays(observed, predicted, areas)
    order = np.lexsort((obs, -pred / area))  # last key first: density desc, then count asc
    oracle = np.argsort(-obs / area, kind="stable")
    total, total_area = obs.sum(), area.sum()
    cum, cum_area = np.cumsum(obs[order]), np.cumsum(area[order])
    best, best_area = np.cumsum(obs[oracle]), np.cumsum(area[oracle])
    steps = []
    for k in range(len(obs)):
        share = cum_area[k] / total_area
        if total == 0:
            steps.append(PAIStep(k + 1, float(cum[k]), None, float(share), None, None))
            continue
        value = (cum[k] / total) / share
        oracle_value = (best[k] / total) / (best_area[k] / total_area)
        steps.append(PAIStep(k + 1, float(cum[k]), float(cum[k] / total), float(share),
                             float(value), float(value / oracle_value) if oracle_value else None))
    return tuple(steps)


def pai(observed: Sequence[float], predicted: Sequence[float],
        areas: Sequence[float] | None = None) -> tuple[float | None, ...]:
    """Cumulative PAI for the top 1, 2, ... cells (see :func:`pai_table`).

    >>> pai((6, 3, 0), (3, 2, 1))
    (2.0, 1.5, 1.0)
    """
    return tuple(step.pai for step in pai_table(observed, predicted, areas))


def pei(observed: Sequence[float], predicted: Sequence[float],
        areas: Sequence[float] | None = None) -> tuple[float | None, ...]:
    """Cumulative PEI for the top 1, 2, ... cells (see :func:`pai_table`).

    >>> [round(v, 3) for v in pei((6, 3, 0), (1, 2, 3))]  # a map ranked the wrong way round
    [0.0, 0.333, 1.0]
    """
    return tuple(step.pei for step in pai_table(observed, predicted, areas))


def hotspot_pai(captured: float, total: float, hotspot_area: float,
                study_area: float) -> float | None:
    """PAI of one hotspot map: ``(n/N) / (a/A)``; ``None`` without crime or area.

    >>> hotspot_pai(47, 1000, 2.5, 100)
    1.88
    """
    if total <= 0 or hotspot_area <= 0 or study_area <= 0:
        return None
    return round((captured / total) / (hotspot_area / study_area), 12)
