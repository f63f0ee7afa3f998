"""Statistics: one function per statistic, each checked against a published value.

Every function works on plain numbers or NumPy arrays and knows nothing about
surveys, files or departments. Docstrings give the formula, the reference and an
example whose printed output is a published value (see ``tests/test_stats.py``,
which asserts each of them to its printed precision).

Distributions come from ``scipy.special`` (``ndtri``, ``stdtr``, ``fdtri``), not
``scipy.stats``: the same numerics, but a quarter of the import time. SciPy is
imported when a function first needs it: NPS and its interval use only :data:`Z95`,
so a command-line run without correlations or alpha intervals never loads it.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

#: The two-sided 95 % normal quantile, ``scipy.special.ndtri(0.975)`` (checked in ``tests/test_stats.py``).
Z95 = 1.959963984540054


def _special():
    from scipy import special

    return special


def _z(confidence: float) -> float:
    return Z95 if confidence == 0.95 else float(_special().ndtri(1 - (1 - confidence) / 2))


# --------------------------------------------------------------------------- NPS


@dataclass(frozen=True)
class NpsResult:
    """A Net Promoter Score on the −100..100 scale with its counts and interval.

    ``score`` and ``ci95`` are ``None`` when there are no valid answers.
    """

    score: float | None
    n: int
    promoters: int
    passives: int
    detractors: int
    ci95: tuple[float, float] | None

    def as_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
        }


def nps_variance(detractors: float, passives: float, promoters: float) -> float:
    """Unit variance of the −1/0/+1 promoter score (Rocks 2016, eq. for ``nps_var_``).

    ``V = pP + pD − (pP − pD)²`` with ``pP = P/n`` and ``pD = D/n``.

    Reference: Rocks, B. (2016). Interval estimation for the "Net Promoter Score".
    The American Statistician 70(4), 365–372; R package NPS, ``nps_var_``.

    Example (R package NPS unit tests: counts 1, 2, 3 give 5/9)::

        >>> round(nps_variance(1, 2, 3), 4)
        0.5556
    """
    n = detractors + passives + promoters
    if n <= 0:
        return float("nan")
    p_p, p_d = promoters / n, detractors / n
    return p_p + p_d - (p_p - p_d) ** 2


def nps_standard_error(detractors: float, passives: float, promoters: float) -> float:
    """Standard error of the NPS on the −1..1 scale: ``sqrt(V / n)``.

    Example (R package NPS unit tests: counts 1, 2, 3 give 0.304)::

        >>> round(nps_standard_error(1, 2, 3), 3)
        0.304
    """
    n = detractors + passives + promoters
    if n <= 0:
        return float("nan")
    return math.sqrt(nps_variance(detractors, passives, promoters) / n)


def nps_interval(
    detractors: int, passives: int, promoters: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Adjusted-Wald interval for the NPS, in points (−100..100).

    Add 0.75 to promoters and detractors and 1.5 to passives (n + 3), then::

        NPS_adj = pP_adj − pD_adj
        V_adj   = pP_adj + pD_adj − NPS_adj²
        CI      = NPS_adj ± z · sqrt(V_adj / (n + 3)),  clipped to [−1, 1]

    The interval is centred on the adjusted value; the reported score stays the
    unadjusted one (as in Rocks' R package, ``test = "adjusted.wald"``).

    References: Rocks (2016), The American Statistician 70(4); Sauro & Lewis,
    MeasuringU, "Confidence intervals for Net Promoter Scores".

    Example (500 answers: 100 detractors, 200 passives, 200 promoters; the
    published Wald interval is 13 to 27, the adjusted one is a hair narrower)::

        >>> [round(x, 2) for x in nps_interval(100, 200, 200)]
        [13.34, 26.42]
    """
    n = detractors + passives + promoters
    if n <= 0:
        return None
    z = _z(confidence)
    n_adj = n + 3
    p_p = (promoters + 0.75) / n_adj
    p_d = (detractors + 0.75) / n_adj
    centre = p_p - p_d
    var = p_p + p_d - centre**2
    half = z * math.sqrt(var / n_adj)
    lo, hi = max(-1.0, centre - half), min(1.0, centre + half)
    return (100.0 * lo, 100.0 * hi)


def nps_from_counts(detractors: int, passives: int, promoters: int, confidence: float = 0.95) -> NpsResult:
    """NPS = %promoters − %detractors, with its adjusted-Wald interval.

    Example (Market Strategies: 40 % promoters, 40 % passives, 20 % detractors
    of 500 give an NPS of 20)::

        >>> nps_from_counts(100, 200, 200).score
        20.0
    """
    d, a, p = int(detractors), int(passives), int(promoters)
    n = d + a + p
    if n == 0:
        return NpsResult(None, 0, 0, 0, 0, None)
    return NpsResult(100.0 * (p - d) / n, n, p, a, d, nps_interval(d, a, p, confidence))


def nps_counts(scores: np.ndarray) -> tuple[int, int, int]:
    """(detractors 0–6, passives 7–8, promoters 9–10) among valid 0–10 answers; NaN is skipped."""
    s = np.asarray(scores, dtype="float64")
    s = s[~np.isnan(s)]
    return int((s <= 6).sum()), int(((s >= 7) & (s <= 8)).sum()), int((s >= 9).sum())


def nps(scores: np.ndarray, confidence: float = 0.95) -> NpsResult:
    """Net Promoter Score of 0–10 answers (NaN = no answer).

    Example (R package NPS: scores 0, 7, 7, 9, 9, 9 give 1/3)::

        >>> round(nps([0, 7, 7, 9, 9, 9]).score, 2)
        33.33
    """
    return nps_from_counts(*nps_counts(np.asarray(scores, dtype="float64")), confidence=confidence)


# ------------------------------------------------------------------ engagement


def rescale(points: np.ndarray, low: float, high: float) -> np.ndarray:
    """Scale points on ``low..high`` to 0–100: ``100 · (x − low) / (high − low)``.

    Example (Viva Glint: a mean of 3.8 on 1–5 is 70)::

        >>> float(rescale(np.array([3.8]), 1, 5)[0])
        70.0
    """
    return 100.0 * (np.asarray(points, dtype="float64") - low) / (high - low)


def reverse(points: np.ndarray, low: float, high: float) -> np.ndarray:
    """Reverse-score a reverse-worded item: ``x' = low + high − x``."""
    return (low + high) - np.asarray(points, dtype="float64")


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha with the respondents and items it used and its Feldt interval."""

    alpha: float | None
    n: int
    items: int
    ci95: tuple[float, float] | None


def cronbach_alpha(items: np.ndarray, confidence: float = 0.95) -> AlphaResult:
    """Cronbach's alpha over the columns of ``items`` (respondents × items), listwise.

    ``alpha = k/(k−1) · (1 − Σ s_i² / s_T²)`` with item variances ``s_i²`` and the
    variance ``s_T²`` of the sum score (both ddof = 1); rows with any missing item
    are left out (R ``psych::alpha(use = "complete.obs")``). Feldt (1987) interval:
    ``1 − (1 − alpha) · F`` at the upper and lower quantiles of F(n−1, (n−1)(k−1)).

    Reference: Cronbach (1951), Psychometrika 16, 297–334; pingouin
    ``cronbach_alpha``, tested against R ``psych``.

    Example (docs/statistics.md, oracle A3: six people, four 1–5 items, the
    reverse-worded fourth item already flipped; alpha 0.9444)::

        >>> data = np.array([[4, 5, 4, 4], [3, 3, 4, 3], [5, 5, 5, 5], [2, 3, 2, 2], [4, 4, 3, 4], [3, 2, 3, 2]])
        >>> round(cronbach_alpha(data).alpha, 4)
        0.9444
    """
    x = np.asarray(items, dtype="float64")
    if x.ndim != 2:
        raise ValueError("items must be a 2-D array of respondents × items")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < 2:
        return AlphaResult(None, int(n), int(k), None)
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return AlphaResult(None, int(n), int(k), None)
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    lo = 1 - (1 - alpha) * _special().fdtri(df1, df2, 1 - tail)  # upper-tail quantile
    hi = 1 - (1 - alpha) * _special().fdtri(df1, df2, tail)
    return AlphaResult(float(alpha), int(n), int(k), (float(lo), float(hi)))


# ----------------------------------------------------------------- correlation


@dataclass(frozen=True)
class Correlation:
    """Pearson and Spearman correlation of paired values."""

    n: int
    pearson_r: float | None
    pearson_ci95: tuple[float, float] | None
    pearson_p: float | None
    spearman_rho: float | None
    spearman_p: float | None


def pearson(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> tuple[float, tuple[float, float] | None, float]:
    """Pearson r with its Fisher-z interval and two-sided p-value.

    ``r = Σ(x−x̄)(y−ȳ) / sqrt(Σ(x−x̄)² Σ(y−ȳ)²)``; interval ``tanh(atanh(r) ± z/sqrt(n−3))``
    (needs n ≥ 4); p from t = r·sqrt(n−2)/sqrt(1−r²) with n − 2 df.

    Reference: R ``cor.test``; Hollander & Wolfe (1973), p. 187 (tuna data).

    Example (R's ``cor.test`` on the tuna data: r 0.5711816, p 0.1082)::

        >>> x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
        >>> y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
        >>> r, ci, p = pearson(x, y)
        >>> round(r, 7), round(p, 4)
        (0.5711816, 0.1082)
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n = len(x)
    dx, dy = x - x.mean(), y - y.mean()
    r = float(np.clip((dx @ dy) / math.sqrt((dx @ dx) * (dy @ dy)), -1.0, 1.0))
    df = n - 2
    if abs(r) == 1.0:
        p = 0.0
    else:
        t = r * math.sqrt(df / (1 - r * r))
        p = float(2 * _special().stdtr(df, -abs(t)))
    ci = None
    if n >= 4:
        z, half = math.atanh(min(max(r, -0.9999999999999999), 0.9999999999999999)), _z(confidence) / math.sqrt(n - 3)
        ci = (math.tanh(z - half), math.tanh(z + half))
    return r, ci, p


def _ranks(v: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their positions), 1-based."""
    order = np.argsort(v, kind="mergesort")
    ranks = np.empty(len(v), dtype="float64")
    ranks[order] = np.arange(1, len(v) + 1)
    _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse]


@functools.lru_cache(maxsize=8)
def _all_permutations(n: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(n))), dtype=np.int8)


EXACT_SPEARMAN_MAX_N = 9


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho and its two-sided p-value.

    rho is Pearson's r on the ranks (ties get average ranks). For n ≤ 9 the
    p-value is exact: the share of all n! pairings whose |rho| is at least the
    observed one, as R's ``cor.test(method = "spearman")`` reports for small n;
    above that the t-approximation (as SciPy's ``spearmanr``) is used.

    Example (R's ``cor.test`` on the tuna data: rho 0.6, exact p 0.0968)::

        >>> x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
        >>> y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
        >>> rho, p = spearman(x, y)
        >>> round(rho, 1), round(p, 4)
        (0.6, 0.0968)
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n = len(x)
    rx, ry = _ranks(x), _ranks(y)
    rho, _ci, p_t = pearson(rx, ry)
    if 3 <= n <= EXACT_SPEARMAN_MAX_N and not math.isnan(rho):
        cx = (rx - rx.mean()) / np.sqrt(((rx - rx.mean()) ** 2).sum())
        cy = (ry - ry.mean()) / np.sqrt(((ry - ry.mean()) ** 2).sum())
        null = cy[_all_permutations(n)] @ cx
        return rho, float(np.mean(np.abs(null) >= abs(rho) - 1e-12))
    return rho, p_t


def correlation(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> Correlation:
    """Pearson (with Fisher-z interval) and Spearman over paired values.

    Needs at least 3 pairs with some spread in both; otherwise every figure is ``None``.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n = len(x)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(n, None, None, None, None, None)
    r, ci, p = pearson(x, y, confidence)
    rho, sp = spearman(x, y)
    return Correlation(n, r, ci, p, rho, sp)
