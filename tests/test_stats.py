"""The worked examples of docs/statistics.md, asserted to their printed precision."""

from __future__ import annotations

import numpy as np
import pytest

from lib.figures import stats
from lib.values import scales

# Oracle A1: pingouin's `cronbach_alpha` data set (real-statistics.com), 15 respondents × 10 items.
A1 = np.array([
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2], [5, 4, 6, 3, 5, 1, 2, 5, 5, 5], [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3], [6, 5, 6, 5, 4, 4, 4, 6, 7, 5], [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3], [2, 4, 4, 3, 7, 2, 2, 4, 6, 5], [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2], [4, 3, 5, 2, 5, 3, 2, 3, 4, 1], [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5], [6, 5, 5, 4, 2, 2, 1, 4, 6, 5], [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
])
# Oracle A2: pingouin's `cronbach_wide_missing` (binary, blanks missing).
_ = np.nan
A2 = np.array([
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0], [_, 0, 1, 1, _, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0], [0, 1, _, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, _, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
])
# Oracle A3: 6 × 4, item 4 reverse-worded (docs/statistics.md).
A3 = np.array([[4, 5, 4, 2], [3, 3, 4, 3], [5, 5, 5, 1], [2, 3, 2, 4], [4, 4, 3, 2], [3, 2, 3, 4]], dtype=float)
# Oracle C1: R `cor.test` documentation, Hollander & Wolfe (1973) p. 187.
C1_X = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
C1_Y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
# Oracle C2: pingouin `compute_esci` docstring.
C2_X = [3, 4, 6, 7, 5, 6, 7, 3, 5, 4, 2]
C2_Y = [4, 6, 6, 7, 6, 5, 5, 2, 3, 4, 1]


def test_n1_market_strategies():
    # 40 % promoters, 40 % passives, 20 % detractors of 500: NPS 20, Wald ±6.6 (13 to 27).
    r = stats.nps_from_counts(100, 200, 200)
    assert r.score == 20.0 and r.n == 500
    se = stats.nps_standard_error(100, 200, 200) * 100
    assert round(stats.Z95 * se, 1) == 6.6
    assert (round(20 - stats.Z95 * se), round(20 + stats.Z95 * se)) == (13, 27)
    # the adjusted-Wald interval we report sits within a tenth of a point of the published one
    lo, hi = r.ci95
    assert (round(lo, 2), round(hi, 2)) == (13.34, 26.42)


@pytest.mark.parametrize("scores,nps,var,se", [
    ([0, 7, 7, 9, 9, 9], 1 / 3, 5 / 9, 0.304),
    ([1, 9], 0.0, 1.0, 0.707),
    ([7, 9], 0.5, 0.25, 0.354),
    ([0, 7, 9], 0.0, 2 / 3, 0.471),
])
def test_n2_rocks_package(scores, nps, var, se):
    d, a, p = stats.nps_counts(np.array(scores, dtype=float))
    assert stats.nps(scores).score == pytest.approx(100 * nps)
    assert stats.nps_variance(d, a, p) == pytest.approx(var)
    assert round(stats.nps_standard_error(d, a, p), 3) == se


@pytest.mark.parametrize("counts,score", [((1, 0, 0), -100.0), ((0, 1, 0), 0.0), ((0, 0, 1), 100.0)])
def test_n2_single_category(counts, score):
    assert stats.nps_from_counts(*counts).score == score
    assert stats.nps_variance(*counts) == 0


def test_n4_all_promoters_interval_is_clipped():
    r = stats.nps([9, 10, 10, 9, 10])
    assert r.score == 100.0
    lo, hi = r.ci95
    assert round(lo, 2) == 17.49 and hi == 100.0


def test_nps_ignores_missing_and_has_no_score_without_answers():
    assert stats.nps([np.nan, 10, 0]).n == 2
    empty = stats.nps([])
    assert empty.score is None and empty.ci95 is None and empty.n == 0


def test_a1_cronbach_pingouin():
    r = stats.cronbach_alpha(A1)
    assert round(r.alpha, 4) == 0.5917
    assert (round(r.ci95[0], 3), round(r.ci95[1], 2)) == (0.195, 0.84)
    assert r.alpha == pytest.approx(0.5917188485995826, abs=1e-12)


def test_a2_cronbach_listwise():
    r = stats.cronbach_alpha(A2)
    assert r.n == 9
    assert r.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    # pingouin prints the Feldt interval [0.581, 0.933] computed with all 12 rows; the interval
    # belongs to the 9 rows alpha was computed on, which gives [0.533, 0.947].
    assert (round(r.ci95[0], 3), round(r.ci95[1], 3)) == (0.533, 0.947)


def test_a3_reverse_item_matters():
    flipped = A3.copy()
    flipped[:, 3] = scales.reverse(A3[:, 3], 1, 5)
    assert round(stats.cronbach_alpha(flipped).alpha, 4) == 0.9444
    assert round(stats.cronbach_alpha(A3).alpha, 3) == -0.641
    # rescaling every item the same way (to 0–100) leaves alpha unchanged
    assert stats.cronbach_alpha(stats.rescale(flipped, 1, 5)).alpha == pytest.approx(stats.cronbach_alpha(flipped).alpha)


def test_a3_engagement_worked_example():
    flipped = A3.copy()
    flipped[:, 3] = scales.reverse(A3[:, 3], 1, 5)
    per_person = stats.rescale(flipped, 1, 5).mean(axis=1)
    assert per_person.tolist() == [81.25, 56.25, 100.0, 31.25, 68.75, 37.5]
    assert per_person.mean() == 62.5
    assert 100 * (flipped >= 4).mean() == 50.0


def test_c1_tuna():
    r, ci, p = stats.pearson(C1_X, C1_Y)
    assert round(r, 7) == 0.5711816
    assert (round(ci[0], 7), round(ci[1], 7)) == (-0.1497426, 0.8955795)
    assert round(p, 4) == 0.1082
    rho, sp = stats.spearman(C1_X, C1_Y)
    assert rho == pytest.approx(0.6)
    assert round(sp, 4) == 0.0968  # R's exact p-value


def test_c2_pingouin_esci():
    r, ci, _ = stats.pearson(C2_X, C2_Y)
    assert round(r, 4) == 0.7468
    assert (round(ci[0], 2), round(ci[1], 2)) == (0.27, 0.93)


def test_correlation_needs_spread_and_three_points():
    assert stats.correlation([1, 2], [3, 4]).pearson_r is None
    assert stats.correlation([1, 1, 1], [3, 4, 5]).pearson_r is None
    c = stats.correlation([1, 2, 3], [1, 3, 2])
    assert c.pearson_r == pytest.approx(0.5) and c.pearson_ci95 is None  # Fisher z needs n >= 4


def test_z95_is_scipys_normal_quantile():
    from scipy import special

    from lib.figures.stats import Z95

    assert float(special.ndtri(0.975)) == Z95


def test_the_exact_spearman_distribution_matches_every_ordering():
    """The counting of S = Σd² agrees with listing all orderings (n ≤ 8), and sums to n! up to 12."""
    import itertools
    import math as m

    from lib.figures.stats import spearman_null

    for n in range(3, 9):
        listed = np.bincount([sum((i - p) ** 2 for i, p in enumerate(perm)) for perm in itertools.permutations(range(n))],
                             minlength=(n**3 - n) // 3 + 1)
        assert (spearman_null(n) == listed).all()
    assert int(spearman_null(12).sum()) == m.factorial(12)


def test_spearman_is_exact_up_to_twelve_departments_and_falls_back_with_ties():
    from lib.figures.stats import spearman

    e = [62, 71, 55, 80, 68, 74, 59, 66]
    nps = [12, 30, -5, 41, 18, 22, 8, 25]
    assert round(spearman(e, nps)[1], 6) == 0.007242  # stats note C4, full permutation
    x = list(range(12))
    y = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10]
    rho, p = spearman(x, y)
    assert rho > 0.9 and p < 0.001
    tied = spearman([1, 2, 2, 3, 4], [1, 3, 2, 4, 5])[1]
    from scipy.stats import spearmanr

    assert tied == pytest.approx(spearmanr([1, 2, 2, 3, 4], [1, 3, 2, 4, 5]).pvalue)


def test_comparisons_match_scipy_where_it_has_them():
    """Welch and the t interval agree with SciPy beyond the printed R digits."""
    from scipy import stats as ss

    from lib.figures.stats import mean_interval, welch_t

    rng = np.random.default_rng(1)
    a, b = rng.normal(3, 1, 40), rng.normal(3.4, 2, 25)
    ref = ss.ttest_ind(a, b, equal_var=False)
    d = welch_t(a, b)
    assert d.statistic == pytest.approx(ref.statistic) and d.p == pytest.approx(ref.pvalue)
    lo, hi = ss.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=ss.sem(a))
    assert mean_interval(a) == pytest.approx((lo, hi))
