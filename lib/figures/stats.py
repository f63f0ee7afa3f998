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


@functools.lru_cache(maxsize=16)
def spearman_null(n: int) -> np.ndarray:
    """How many of the n! orderings give each value of S = Σ dᵢ² (index S), without listing them.

    Dynamic programming over the set of ranks already placed: position i = |set| takes rank j ∉ set and adds
    (i − j)² to S. 2ⁿ sets × (n³ − n)/3 + 1 values of S: for n = 12, 4,096 × 573 counts, where listing the
    orderings would take 479 million.

        >>> c = spearman_null(4); int(c.sum()), c[0], c[20]  # 24 orderings; one with S = 0 and one with S = 20
        (24, np.int64(1), np.int64(1))
    """
    size = (n**3 - n) // 3 + 1
    counts = np.zeros((1 << n, size), dtype=np.int64)
    counts[0, 0] = 1
    popcount = np.array([bin(m).count("1") for m in range(1 << n)])
    for mask in np.argsort(popcount, kind="stable"):
        row = counts[mask]
        if not row.any():
            continue
        i = popcount[mask]
        for j in range(n):
            if not mask >> j & 1:
                step = (i - j) ** 2
                counts[mask | 1 << j, step:] += row[: size - step]
    return counts[(1 << n) - 1]


EXACT_SPEARMAN_MAX_N = 12


def spearman_exact_p(rho: float, n: int) -> float:
    """The exact two-sided p-value of Spearman's rho without ties, from the distribution of S = (n³ − n)(1 − rho)/6
    over all n! orderings (:func:`spearman_null`): twice the smaller tail, at most 1, as R's ``cor.test(method =
    "spearman", exact = TRUE)`` reports it (R computes it by enumeration for n ≤ 9).

    Example (R's ``cor.test`` on the tuna data, n = 9: rho 0.6, exact p 0.0968)::

        >>> round(spearman_exact_p(0.6, 9), 4)
        0.0968
    """
    total = (n**3 - n) / 6
    s = int(round(total * (1 - rho)))
    counts = spearman_null(n)
    lower = counts[: s + 1].sum() / counts.sum()
    upper = counts[s:].sum() / counts.sum()
    return float(min(1.0, 2 * min(lower, upper)))


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho and its two-sided p-value.

    rho is Pearson's r on the ranks (ties get average ranks). Without ties and for n ≤ 12 the p-value is exact
    (:func:`spearman_exact_p`), as R's ``cor.test(method = "spearman")``; with ties or above 12 departments it is
    the t-approximation (as SciPy's ``spearmanr``; R also falls back when there are ties).

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
    ties = len(np.unique(x)) < n or len(np.unique(y)) < n
    if 3 <= n <= EXACT_SPEARMAN_MAX_N and not ties and not math.isnan(rho):
        return rho, spearman_exact_p(rho, n)
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


# --------------------------------------------------------------------------- comparisons


@dataclass(frozen=True)
class Difference:
    """A difference between two groups with its test: ``difference`` (first minus second, sign kept), the
    z or t statistic, its two-sided p-value and interval, and (for t) the degrees of freedom."""

    difference: float
    statistic: float
    p: float
    ci95: tuple[float, float]
    df: float | None = None


def nps_difference(first: tuple[int, int, int], second: tuple[int, int, int], adjusted: bool = True,
                   confidence: float = 0.95) -> Difference:
    """Two independent NPS values compared, in points; counts are (detractors, passives, promoters).

    Wald: diff = NPS₁ − NPS₂, SE = sqrt(V₁/n₁ + V₂/n₂), z = diff / SE, p = 2·(1 − Φ(|z|)).
    Adjusted Wald (MeasuringU, "How to statistically compare two Net Promoter Scores"; Rocks 2016): each group
    gets ¾ added to promoters and detractors and 1½ to passives (n + 3) before the same steps.

    Example (docs/statistics.md, N6: 30/36/54 against 45/60/45, NPS 20 against 0)::

        >>> d = nps_difference((30, 36, 54), (45, 60, 45), adjusted=False)
        >>> round(d.difference, 1), round(d.statistic, 3), round(d.p, 4)
        (20.0, 2.052, 0.0402)
        >>> d = nps_difference((30, 36, 54), (45, 60, 45))
        >>> round(d.difference, 2), round(d.statistic, 3), round(d.p, 4)
        (19.51, 2.029, 0.0425)
    """
    add = (0.75, 1.5, 0.75) if adjusted else (0.0, 0.0, 0.0)

    def parts(counts: tuple[int, int, int]) -> tuple[float, float, float]:
        d, a, p = (c + e for c, e in zip(counts, add))
        n = d + a + p
        score = (p - d) / n
        return score, (p + d) / n - score**2, n

    s1, v1, n1 = parts(first)
    s2, v2, n2 = parts(second)
    se = math.sqrt(v1 / n1 + v2 / n2)
    diff = s1 - s2
    z = diff / se if se > 0 else float("nan")
    p = math.erfc(abs(z) / math.sqrt(2)) if se > 0 else float("nan")  # 2·Φ(−|z|), without loading SciPy
    half = _z(confidence) * se
    return Difference(100 * diff, z, p, (100 * (diff - half), 100 * (diff + half)))


def welch_t(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> Difference:
    """Welch's t-test of two independent means (unequal variances), mean(x) − mean(y).

    t = (x̄ − ȳ) / sqrt(s²ₓ/nₓ + s²ᵧ/nᵧ), with Welch–Satterthwaite degrees of freedom
    df = (s²ₓ/nₓ + s²ᵧ/nᵧ)² / ((s²ₓ/nₓ)²/(nₓ−1) + (s²ᵧ/nᵧ)²/(nᵧ−1)). Welch (1947), Biometrika 34.

    Example (R, ``t.test(extra ~ group, data = sleep)``: t = −1.8608, df = 17.776, p-value = 0.07939,
    95 % interval −3.3654832 to 0.2054832)::

        >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        >>> d = welch_t(g1, g2)
        >>> round(d.statistic, 4), round(d.df, 3), round(d.p, 5), [round(v, 7) for v in d.ci95]
        (-1.8608, 17.776, 0.07939, [-3.3654832, 0.2054832])
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    nx, ny = len(x), len(y)
    if nx < 2 or ny < 2:
        return Difference(float(x.mean() - y.mean()) if nx and ny else float("nan"), float("nan"), float("nan"),
                          (float("nan"), float("nan")))
    vx, vy = x.var(ddof=1) / nx, y.var(ddof=1) / ny
    se = math.sqrt(vx + vy)
    diff = float(x.mean() - y.mean())
    if se == 0:
        return Difference(diff, float("nan"), float("nan"), (diff, diff))
    df = (vx + vy) ** 2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    t = diff / se
    sp = _special()
    p = float(2 * sp.stdtr(df, -abs(t)))
    half = float(sp.stdtrit(df, 1 - (1 - confidence) / 2)) * se
    return Difference(diff, t, p, (diff - half, diff + half), float(df))


def t_quantile(df: float, confidence: float = 0.95) -> float:
    """The two-sided t quantile for ``df`` degrees of freedom (``scipy.special.stdtrit``)."""
    return float(_special().stdtrit(df, 1 - (1 - confidence) / 2))


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float] | None:
    """The t interval of a mean: x̄ ± t(n−1) · s / √n; None below two values.

    Example (R, ``t.test(sleep$extra[1:10])``: mean 0.75, 95 % interval −0.5297804 to 2.0297804)::

        >>> [round(v, 7) for v in mean_interval([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])]
        [-0.5297804, 2.0297804]
    """
    v = np.asarray(values, dtype="float64")
    v = v[~np.isnan(v)]
    if v.size < 2:
        return None
    half = t_quantile(v.size - 1, confidence) * float(v.std(ddof=1)) / math.sqrt(v.size)
    return (float(v.mean()) - half, float(v.mean()) + half)


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson's score interval for a proportion, in % (Wilson 1927, JASA 22):
    (p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n); None for n = 0.

    Example (Newcombe 1998, Statistics in Medicine 17, Table I, 81 of 263: 0.2553 to 0.3662)::

        >>> [round(v / 100, 4) for v in wilson_interval(81, 263)]
        [0.2553, 0.3662]
    """
    if n <= 0:
        return None
    z = _z(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979, Scand. J. Statist. 6): the k-th smallest becomes
    max over j ≤ k of (m − j + 1)·p₍ⱼ₎, capped at 1; the same as R's ``p.adjust(p, "holm")``. Controls the chance of
    any false flag.

    Example (Benjamini & Hochberg 1995, §4.2: fifteen p-values; at 0.05 the Bonferroni-type procedures reject three)::

        >>> p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
        ...      0.6528, 0.7590, 1.000]
        >>> sum(q <= 0.05 for q in holm(p))
        3
    """
    p = np.asarray(p_values, dtype="float64")
    m = len(p)
    order = np.argsort(p, kind="mergesort")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out.tolist()


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values; J. R. Statist. Soc. B 57, 1995): the k-th smallest becomes
    min over j ≥ k of m·p₍ⱼ₎ / j, capped at 1; the same as R's ``p.adjust(p, "BH")``. Controls the expected share of
    false flags among the flagged.

    Example (the paper's §4.2: at q = 0.05 the procedure rejects the four smallest of the fifteen)::

        >>> p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
        ...      0.6528, 0.7590, 1.000]
        >>> sum(q <= 0.05 for q in benjamini_hochberg(p))
        4
    """
    p = np.asarray(p_values, dtype="float64")
    m = len(p)
    order = np.argsort(p, kind="mergesort")[::-1]
    ranks = m - np.arange(m)
    adjusted = np.minimum(1.0, np.minimum.accumulate(m * p[order] / ranks))
    out = np.empty(m)
    out[order] = adjusted
    return out.tolist()


# --------------------------------------------------------------------------- drivers and reliability


@dataclass(frozen=True)
class RelativeWeights:
    """Johnson's relative weights: ``raw`` sums to ``r_squared``; ``rescaled`` is each weight's % of it."""

    raw: tuple[float, ...]
    rescaled: tuple[float, ...]
    r_squared: float


def relative_weights(rxx: np.ndarray, rxy: np.ndarray) -> RelativeWeights:
    """Relative weights from the predictors' correlation matrix Rxx and their correlations rxy with the outcome
    (Johnson 2000, Multivariate Behavioral Research 35(1):1–19; Tonidandel & LeBreton 2011).

    Rxx = Q Λ Qᵀ; Λ_half = Q Λ^½ Qᵀ (the predictors' correlations with their orthogonal counterparts);
    β = Λ_half⁻¹ rxy; raw weight εⱼ = Σₖ Λ_half[j,k]² βₖ²; Σ εⱼ = R².

    Example (R, ``rwa(diamonds, "price", c("depth", "carat"))``: its printed RXX and RXY give raw weights
    0.000729149 and 0.849946308 and R² 0.8506755)::

        >>> w = relative_weights(np.array([[1, 0.02822431], [0.02822431, 1]]), np.array([-0.0106474, 0.9215913]))
        >>> [round(v, 6) for v in w.raw], round(w.r_squared, 6)
        ([0.000729, 0.849946], 0.850675)
    """
    rxx = np.asarray(rxx, dtype="float64")
    rxy = np.asarray(rxy, dtype="float64")
    values, vectors = np.linalg.eigh(rxx)
    half = vectors @ np.diag(np.sqrt(np.clip(values, 0, None))) @ vectors.T
    beta = np.linalg.solve(half, rxy)
    raw = (half**2) @ (beta**2)
    r2 = float(raw.sum())
    rescaled = 100 * raw / r2 if r2 > 0 else np.zeros_like(raw)
    return RelativeWeights(tuple(float(v) for v in raw), tuple(float(v) for v in rescaled), r2)


@dataclass(frozen=True)
class GroupReliability:
    """ICC(1): the share of variance between groups; ICC(2): the reliability of the group means."""

    icc1: float
    icc2: float
    groups: int
    mean_size: float


def group_reliability(values: np.ndarray, groups: np.ndarray) -> GroupReliability | None:
    """ICC(1) and ICC(2) from a one-way ANOVA of values within groups (Bliese 2000):

        ICC(1) = (MSB − MSW) / (MSB + (k̄ − 1)·MSW),  ICC(2) = (MSB − MSW) / MSB,

    with k̄ the mean group size. None with fewer than two groups or no spread within them.

    Example (three groups of four, worked by hand: means 2, 5 and 8, MSB = 36, MSW = 2/3, so
    ICC(1) = (106/3) / 38 and ICC(2) = (106/3) / 36; no published example was found to check against)::

        >>> r = group_reliability(np.array([1, 2, 3, 2, 4, 5, 6, 5, 7, 8, 9, 8.]), np.repeat([0, 1, 2], 4))
        >>> round(r.icc1, 4), round(r.icc2, 4)
        (0.9298, 0.9815)
    """
    v = np.asarray(values, dtype="float64")
    g = np.asarray(groups)
    ok = ~np.isnan(v)
    v, g = v[ok], g[ok]
    labels, codes = np.unique(g, return_inverse=True)
    j, n = len(labels), len(v)
    if j < 2 or n <= j:
        return None
    sizes = np.bincount(codes)
    means = np.bincount(codes, weights=v) / sizes
    msb = float((sizes * (means - v.mean()) ** 2).sum() / (j - 1))
    msw = float(((v - means[codes]) ** 2).sum() / (n - j))
    k = float(sizes.mean())
    if msb <= 0 or msw <= 0:
        return None
    return GroupReliability((msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb, j, k)


def weighted_pearson(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Pearson's r with weights: cov_w(x, y) / sqrt(var_w(x)·var_w(y)), x̄_w = Σwx/Σw.

    Example (docs/statistics.md, C4: eight departments weighted by their employees: 0.917231)::

        >>> e = [62, 71, 55, 80, 68, 74, 59, 66]; nps = [12, 30, -5, 41, 18, 22, 8, 25]
        >>> round(weighted_pearson(e, nps, [14, 22, 9, 31, 17, 25, 11, 19]), 6)
        0.917231
    """
    x, y, w = (np.asarray(a, dtype="float64") for a in (x, y, w))
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    cov = np.average((x - mx) * (y - my), weights=w)
    return float(cov / math.sqrt(np.average((x - mx) ** 2, weights=w) * np.average((y - my) ** 2, weights=w)))


def contains(interval: tuple[float, float] | None, value: float | None) -> bool:
    """Whether ``interval`` holds ``value`` (end-points included); a figure whose interval does not hold it is not
    shown (an adjusted-Wald interval of one answer, −48.5 to 98.5 for an NPS of 100, does not)."""
    if interval is None or value is None:
        return False
    return interval[0] - 1e-9 <= value <= interval[1] + 1e-9


# --------------------------------------------------------------------------- issue 22: lead, reliability, clusters


def detectable_change(standard_error: float, confidence: float = 0.95, power: float = 0.8) -> float:
    """The smallest true change a two-sided test at ``1 − confidence`` finds with probability ``power``:
    ``(z₁₋α/₂ + z_power) · SE`` (the minimum detectable change; Rocks 2016, MeasuringU's sample-size formula).

    Example (docs/statistics.md, M1: two periods of 100 answers with V = 0.60, adjusted n + 3: 30.24 points)::

        >>> round(detectable_change(100 * math.sqrt(0.6 / 103 + 0.6 / 103)), 2)
        30.24
    """
    return float((_z(confidence) + _special().ndtri(power)) * standard_error)


def nps_change_se(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """The adjusted-Wald standard error of the difference of two NPS values, in points (counts: detractors,
    passives, promoters; ¾, 1½, ¾ added per group as in :func:`nps_difference`)."""
    total = 0.0
    for d, a, p in (first, second):
        n = d + a + p + 3
        pp, pd_ = (p + 0.75) / n, (d + 0.75) / n
        total += (pp + pd_ - (pp - pd_) ** 2) / n
    return 100 * math.sqrt(total)


@dataclass(frozen=True)
class Ratio:
    """A share of answers (in %) whose answers are nested in respondents, with the ratio estimator's standard error
    (respondents as clusters) and its interval; ``deff`` is the design effect against answers taken as independent."""

    value: float
    se: float
    ci95: tuple[float, float]
    respondents: int
    deff: float | None


def cluster_ratio(numerators: np.ndarray, denominators: np.ndarray, confidence: float = 0.95) -> Ratio | None:
    """p = Σfᵢ / Σmᵢ over respondents i (fᵢ favourable of mᵢ answers) with the linearisation (ratio) variance that
    takes the respondent as the cluster (with-replacement form, no finite-population correction):

        v(p) = n/(n − 1) · Σ (fᵢ − p·mᵢ)² / (Σ mᵢ)²,   interval p ± t(n − 1) · √v, clipped to 0..100 %.

    References: Lohr, *Sampling: Design and Analysis*, §5.2 (cluster means as ratio estimators); Kish (1965) for the
    design effect v / [p(1 − p)/M]. None with fewer than two respondents who answered.

    Example (Lohr's Example 5.2, GPAs of 5 suites × 4 students, as R's ``svytotal`` in the SDaA vignette: mean 2.826
    with SE 0.167917, the total's SE 67.167 at weight 20 × 4 × 5 = 400)::

        >>> gpa = [[3.08, 2.60, 3.44, 3.04], [2.36, 3.04, 3.28, 2.68], [2.00, 2.56, 2.52, 1.88],
        ...        [3.00, 2.88, 3.44, 3.64], [2.68, 1.92, 3.28, 3.20]]
        >>> r = cluster_ratio(np.sum(gpa, axis=1), np.full(5, 4))
        >>> round(r.value / 100, 3), round(r.se / 100, 6), round(4 * r.se, 3)
        (2.826, 0.167917, 67.167)
    """
    f = np.asarray(numerators, dtype="float64")
    m = np.asarray(denominators, dtype="float64")
    keep = m > 0
    f, m = f[keep], m[keep]
    n = len(m)
    if n < 2:
        return None
    big_m = m.sum()
    p = f.sum() / big_m
    v = n / (n - 1) * float(((f - p * m) ** 2).sum()) / big_m**2
    half = t_quantile(n - 1, confidence) * math.sqrt(v)
    naive = p * (1 - p) / big_m
    deff = v / naive if naive > 0 else None
    low, high = p - half, p + half
    if bool((f <= m).all()) and bool((f >= 0).all()):  # a share: the interval stays within 0..100 %
        low, high = max(0.0, low), min(1.0, high)
    return Ratio(float(100 * p), 100 * math.sqrt(v), (float(100 * low), float(100 * high)), n, deff)


def ratio_interval_from_sums(f: float, m: float, ff: float, mm: float, fm: float, n: int,
                             confidence: float = 0.95) -> tuple[float, float] | None:
    """:func:`cluster_ratio`'s interval (in %) from per-group sums Σf, Σm, Σf², Σm², Σfm over ``n`` respondents, so
    many groups cost one pass: Σ(f − pm)² = Σf² − 2pΣfm + p²Σm²."""
    if n < 2 or m <= 0:
        return None
    p = f / m
    v = n / (n - 1) * max(0.0, ff - 2 * p * fm + p * p * mm) / m**2
    half = t_quantile(n - 1, confidence) * math.sqrt(v)
    return (100 * max(0.0, p - half), 100 * min(1.0, p + half))


def nps_reliability(scores: np.ndarray, standard_errors: np.ndarray) -> float | None:
    """How much of the spread of department NPS values is real: λ = 1 − mean(SEⱼ²) / Var(NPSⱼ) (Var with n − 1),
    the share of the observed variance left when the sampling variance SEⱼ² = Vⱼ/nⱼ is taken out (Bliese 2000, the
    group-mean reliability, with τ² = Var − mean SE²). May be zero or below when the departments differ no more than
    their noise; None below three departments.

    Example (worked here: four departments at 10, 30, 50, 70 points, each with SE 10: Var = 666.67, λ = 0.85)::

        >>> round(nps_reliability(np.array([10, 30, 50, 70.]), np.full(4, 10.)), 2)
        0.85
    """
    s = np.asarray(scores, dtype="float64")
    se = np.asarray(standard_errors, dtype="float64")
    if len(s) < 3:
        return None
    var = float(s.var(ddof=1))
    if var <= 0:
        return None
    return 1 - float((se**2).mean()) / var


@dataclass(frozen=True)
class Corrected:
    """A correlation corrected for the unreliability of both sides, with its interval (``at_bound``: the correction
    went past ±1 and is shown at the bound)."""

    r: float
    ci95: tuple[float, float] | None
    reliability_x: float
    reliability_y: float
    at_bound: bool = False


@dataclass(frozen=True)
class ReliabilityNoise:
    """What the two reliabilities rest on, so that their own sampling error enters the corrected interval: the
    departments correlated (J), the answers behind ICC(2) (N), and each department's NPS sampling variance (points²)
    with its number of customers."""

    departments: int
    answers: int
    nps_variances: tuple[float, ...]
    customers: tuple[int, ...]
    nps_spread: float  # the variance of the department NPS values (n − 1)


def _inverted_interval(r: float, lx: float, ly: float, noise: ReliabilityNoise, confidence: float
                       ) -> tuple[float, float] | None:
    """The values ρ₀ of the true correlation that a test of the observed r does not reject:
    |atanh r − atanh(ρ₀f)| ≤ z·√V(ρ₀f), f = √(λx·λy), with V(ρ) = 1/(J−3) + ρ²·R(ρ)/(1−ρ²)² (at least 0.1/(J−3)) and
    R(ρ) the delta-method variance the two estimated reliabilities add:

        R(ρ) = [½bx² + ½by² + bx·by·ρ² − (bx+by)(1−ρ²)]/(J−1) + ¼·[2bx²/(N−J) + 2·Σⱼ(SEⱼ⁴/(nⱼ−1))/(J²·(λy·Var)²)],

    bx = (1−λx)/λx, by = (1−λy)/λy. With R = 0 it is the Fisher-z interval's end-points divided by f. Simulated on
    departments of 8–20 staff and 25–80 customers it covers the true correlation in 94.6–95.3 % of 10,000 replicates
    (tests/test_stats.py repeats it on 300 and, marked slow, 2,000)."""
    j = noise.departments
    if j < 4 or noise.answers <= j:
        return None
    f = math.sqrt(lx * ly)
    bx, by = (1 - lx) / lx, (1 - ly) / ly
    se2 = np.asarray(noise.nps_variances, dtype="float64")
    n = np.maximum(np.asarray(noise.customers, dtype="float64") - 1, 1)
    eps = 2 * bx**2 / (noise.answers - j) + 2 * float((se2**2 / n).sum()) / (j**2 * (ly * noise.nps_spread) ** 2)
    z = _z(confidence)
    zr = math.atanh(min(max(r, -1 + 1e-12), 1 - 1e-12))

    def accept(rho0: np.ndarray | float) -> np.ndarray:
        ro = np.asarray(rho0, dtype="float64") * f
        rel = (0.5 * bx**2 + 0.5 * by**2 + bx * by * ro**2 - (bx + by) * (1 - ro**2)) / (j - 1) + 0.25 * eps
        var = np.maximum(1 / (j - 3) + ro**2 * rel / (1 - ro**2) ** 2, 0.1 / (j - 3))
        return np.abs(zr - np.arctanh(ro)) <= z * np.sqrt(var)

    grid = np.linspace(-1 + 1e-9, 1 - 1e-9, 2001)
    ok = accept(grid)
    if not ok.any():
        return None

    def edge(inner: float, outer: float) -> float:  # bisection between an accepted and a rejected point
        for _ in range(30):
            mid = 0.5 * (inner + outer)
            inner, outer = (mid, outer) if bool(accept(mid)) else (inner, mid)
        return inner

    i, k = int(np.argmax(ok)), len(ok) - 1 - int(np.argmax(ok[::-1]))
    lo = -1.0 if i == 0 else edge(float(grid[i]), float(grid[i - 1]))
    hi = 1.0 if k == len(grid) - 1 else edge(float(grid[k]), float(grid[k + 1]))
    return lo, hi


def disattenuate(r: float, ci: tuple[float, float] | None, reliability_x: float | None,
                 reliability_y: float | None, noise: ReliabilityNoise | None = None,
                 confidence: float = 0.95) -> Corrected | None:
    """Spearman's (1904) correction for attenuation: r_c = r / √(λx · λy), held to −1..1 (``at_bound`` says when it
    was). With ``noise`` the interval is the test inversion of :func:`_inverted_interval`, which counts the
    reliabilities' own sampling error; without it, the Fisher-z interval's end-points divided by the same factor (the
    reliabilities taken as known). Either interval holds r_c. None when a reliability is not above zero.

    Example (docs/statistics.md, R1, worked there: r 0.7577, interval 0.1139 to 0.9534, λ 0.8844 and 0.80 give 0.9009,
    0.1354 to 1)::

        >>> c = disattenuate(0.7577, (0.1139, 0.9534), 0.8844, 0.80)
        >>> round(c.r, 3), [round(v, 4) for v in c.ci95]
        (0.901, [0.1354, 1.0])
    """
    if reliability_x is None or reliability_y is None or reliability_x <= 0 or reliability_y <= 0:
        return None
    lx, ly = min(1.0, reliability_x), min(1.0, reliability_y)
    factor = math.sqrt(lx * ly)
    raw = r / factor
    rc = max(-1.0, min(1.0, raw))
    out = None
    if noise is not None:
        out = _inverted_interval(r, lx, ly, noise, confidence)
    if out is None and ci is not None:
        out = (max(-1.0, ci[0] / factor), min(1.0, ci[1] / factor))
    if out is not None:
        out = (min(out[0], rc), max(out[1], rc))
    return Corrected(rc, out, float(reliability_x), float(reliability_y), at_bound=abs(raw) > 1)


def williams_t(r_jk: float, r_jh: float, r_kh: float, n: int) -> tuple[float, float]:
    """Williams' t for two dependent correlations sharing variable j (is r_jk ≠ r_jh?), df = n − 3:

        |R| = 1 + 2·r_jk·r_jh·r_kh − r_jk² − r_jh² − r_kh²,   r̄ = (r_jk + r_jh)/2,
        t = (r_jk − r_jh) · √( (n−1)(1+r_kh) / ( 2·(n−1)/(n−3)·|R| + r̄²(1−r_kh)³ ) ).

    Reference: Williams (1959), JRSS B 21; Steiger (1980), Psychological Bulletin 87; as R's ``cocor``.

    Example (cocor's tests: r_jk .3, r_jh .4, r_kh .5, n 100: t −1.0767, p 0.2843)::

        >>> [round(v, 4) for v in williams_t(0.3, 0.4, 0.5, 100)]
        [-1.0767, 0.2843]
    """
    det = 1 + 2 * r_jk * r_jh * r_kh - r_jk**2 - r_jh**2 - r_kh**2
    rb = (r_jk + r_jh) / 2
    t = (r_jk - r_jh) * math.sqrt((n - 1) * (1 + r_kh) / (2 * (n - 1) / (n - 3) * det + rb**2 * (1 - r_kh) ** 3))
    return t, float(2 * _special().stdtr(n - 3, -abs(t)))


def steiger_z(r_jk: float, r_jh: float, r_kh: float, n: int) -> tuple[float, float]:
    """Steiger's (1980) Z for two dependent correlations sharing variable j, with the pooled r̄:

        c = [r_kh(1 − 2r̄²) − ½ r̄²(1 − 2r̄² − r_kh²)] / (1 − r̄²)²,   Z = (atanh r_jk − atanh r_jh)·√(n−3) / √(2 − 2c).

    Example (cocor's tests: .4, .5, .1, n 103 gives −0.8887185; .3, .4, .5, n 100 gives −1.0718, p 0.2838)::

        >>> round(steiger_z(0.4, 0.5, 0.1, 103)[0], 7), [round(v, 4) for v in steiger_z(0.3, 0.4, 0.5, 100)]
        (-0.8887185, [-1.0718, 0.2838])
    """
    rb = (r_jk + r_jh) / 2
    c = (r_kh * (1 - 2 * rb**2) - 0.5 * rb**2 * (1 - 2 * rb**2 - r_kh**2)) / (1 - rb**2) ** 2
    z = (math.atanh(r_jk) - math.atanh(r_jh)) * math.sqrt(n - 3) / math.sqrt(2 - 2 * c)
    return z, float(2 * _special().ndtr(-abs(z)))


@dataclass(frozen=True)
class ClusteredSlope:
    """A slope with errors clustered by department: the estimate, its cluster-robust SE and t (CR1, as Stata and
    statsmodels), the wild cluster bootstrap's p and the interval built from the same bootstrap (so the interval
    leaves out zero exactly when p is below 0.05)."""

    estimate: float
    se: float
    t: float
    p: float
    ci95: tuple[float, float]
    n: int
    clusters: int
    p_cluster_t: float  # the textbook p from t(G − 1), for comparison


LEAD_RESAMPLES = 999
LEAD_SEED = 2008
MIN_CLUSTERS = 6


def clustered_slope(y: np.ndarray, x: np.ndarray, period: np.ndarray, cluster: np.ndarray,
                    resamples: int = LEAD_RESAMPLES, seed: int = LEAD_SEED) -> ClusteredSlope | None:
    """The slope of y on x with a fixed effect per period, errors clustered (the change model of :mod:`lib.figures.lead`:
    Δy = b·Δx + period effects):

    * estimate and CR1 standard error V = (X'X)⁻¹ [Σ_g X_g'ê_g ê_g'X_g] (X'X)⁻¹ · G/(G−1) · (N−1)/(N−K), the slope's
      entry worked out directly (what statsmodels' ``OLS(...).fit(cov_type="cluster", use_t=True)`` gives, t with
      G − 1 df; the tests compare the two);
    * p by the wild cluster bootstrap-t (Rademacher weights per cluster, the null b = 0 imposed; Cameron, Gelbach &
      Miller 2008, Review of Economics and Statistics 90(3)), which holds its 5 % with 10–40 clusters where t(G−1)
      does not quite; the interval is b ± q·SE with q the 95th percentile of the bootstrap's |t|.

    None with fewer than :data:`MIN_CLUSTERS` clusters or no spread in x after the period effects.

    Example (docs/statistics.md, L1, recomputed with statsmodels: Grunfeld's ten firms, Δinv on the previous
    year's Δvalue with year effects and firm clusters: b 0.022148, SE 0.002808, t(9) 7.888, N 180; checked in
    ``tests/test_stats.py``).
    """
    y, x = np.asarray(y, dtype="float64"), np.asarray(x, dtype="float64")
    periods = np.unique(np.asarray(period), return_inverse=True)[1]
    groups = np.unique(np.asarray(cluster), return_inverse=True)[1]
    g_count = int(groups.max()) + 1 if len(groups) else 0
    if g_count < MIN_CLUSTERS:
        return None
    dummies = np.eye(int(periods.max()) + 1)[periods]
    design = np.column_stack([x, dummies])
    n, k = design.shape
    if n <= k or np.linalg.matrix_rank(design) < k:
        return None
    xtx_inv = np.linalg.inv(design.T @ design)
    w = design @ xtx_inv[:, 0]  # the slope is w·y; its CR1 variance is the scale times Σ_g (Σ_{i in g} w_i ê_i)²
    scale = g_count / (g_count - 1) * (n - 1) / (n - k)
    member = np.zeros((g_count, n))
    member[groups, np.arange(n)] = 1.0

    def t_of(ys: np.ndarray) -> np.ndarray:
        resid = ys - design @ (xtx_inv @ (design.T @ ys))
        scores = member @ (w[:, None] * resid)
        return (w @ ys) / np.sqrt(scale * (scores**2).sum(axis=0))

    b = float(w @ y)
    resid = y - design @ (xtx_inv @ (design.T @ y))
    se = math.sqrt(scale * float(((member @ (w * resid)) ** 2).sum()))
    if not se > 0:
        return None
    t = b / se

    restricted = dummies @ np.linalg.lstsq(dummies, y, rcond=None)[0]
    flips = np.random.default_rng(seed).choice([-1.0, 1.0], size=(g_count, resamples))
    star = np.abs(t_of(restricted[:, None] + (y - restricted)[:, None] * flips[groups]))
    star = star[np.isfinite(star)]
    # a draw whose signs give back the data's own pattern ties with |t| (often, with few clusters); it counts, as
    # the definition of p says, whatever the last bits of the two ways of working t out
    p = float((1 + (star >= abs(t) * (1 - 1e-9)).sum()) / (len(star) + 1))
    q = float(np.quantile(star, 0.95))
    p_t = float(2 * _special().stdtr(g_count - 1, -abs(t)))  # the t test on G − 1 degrees of freedom, as statsmodels gives
    return ClusteredSlope(b, se, t, p, (b - q * se, b + q * se), n, g_count, p_t)


def relative_weights_many(r: np.ndarray) -> np.ndarray:
    """:func:`relative_weights` of many correlation matrices at once: ``r`` is (… × p × p) with the outcome last;
    returns the raw weights (… × p − 1). For bootstrap resamples (one batched eigen-decomposition).

    A resample in which two statements move together exactly (or one does not move) makes ``Rxx`` singular; its
    root is then inverted as a pseudo-inverse (the directions without variance get no weight), which equals the
    plain inverse whenever that exists."""
    rxx, rxy = r[..., :-1, :-1], r[..., :-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(values, 0, None))
    tiny = root.max(axis=-1, keepdims=True) * 1e-8
    inverse_root = np.divide(1.0, root, out=np.zeros_like(root), where=root > tiny)
    flip = np.swapaxes(vectors, -1, -2)
    half = (vectors * root[..., None, :]) @ flip
    beta = np.einsum("...jk,...k->...j", (vectors * inverse_root[..., None, :]) @ flip, rxy)
    return np.einsum("...jk,...k->...j", half**2, beta**2)
