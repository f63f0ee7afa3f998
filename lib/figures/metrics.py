"""Survey metrics for groups of responses.

Figures are computed for many groups at once with ``np.bincount`` over group
indices, so a million responses cost a few array passes, not a Python loop.

Engagement, exactly: each answer is rescaled to 0–100 on its scale (reverse
items flipped first); a respondent's score is the mean of their answered items;
a group's index is the mean of its respondents' scores (respondents with no
answered item are not counted). Favourable % is the share of answered item
responses in the top two scale points. Which rows a figure may use is decided
by :mod:`lib.privacy.groups`, never here.
"""

from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np

from lib.figures import stats
from lib.i18n import Msg, msg

#: The widest margin a department NPS may have by default, in points.
MAX_NPS_MARGIN = 25.0
#: The default minimum of customer answers per department: with fewer, a department NPS's 95 % margin can exceed
#: ±25 points. The margin is 1.96·√(V/n)·100 and V = p + d − (p − d)² is at most 1 (half promoters, half
#: detractors), so n ≥ (1.96 · 100 / 25)² = 61.5 keeps every department within ±25: 62.
DEFAULT_MIN_CUSTOMERS = math.ceil((stats.Z95 * 100 / MAX_NPS_MARGIN) ** 2)


def nps_margin_bound(n: int) -> int:
    """The widest 95 % margin, in whole NPS points rounded up, that a department NPS of ``n`` answers can have
    (V at most 1, as above): 25 at the default minimum."""
    return math.ceil(stats.Z95 * 100 / math.sqrt(n) - 1e-9)


def nps_counts_by_group(group: np.ndarray, scores: np.ndarray, n_groups: int,
                        weights: np.ndarray | None = None) -> np.ndarray:
    """(n_groups × 3) counts of detractors, passives and promoters among valid 0–10 answers; ``weights``: how many
    answers each row stands for (a table of counts, :attr:`lib.survey.frame.Survey.weights`), None: one each."""
    ok = ~np.isnan(scores)
    cat = np.where(scores[ok] >= 9, 2, np.where(scores[ok] >= 7, 1, 0))
    if weights is None:
        flat = np.bincount(group[ok] * 3 + cat, minlength=n_groups * 3)
    else:  # exact: the weights are whole numbers far below 2**53
        flat = np.bincount(group[ok] * 3 + cat, weights=weights[ok], minlength=n_groups * 3).astype(np.int64)
    return flat[: n_groups * 3].reshape(n_groups, 3)


def nps_result(counts: np.ndarray) -> stats.NpsResult:
    d, a, p = (int(x) for x in counts)
    return stats.nps_from_counts(d, a, p)


@dataclass(frozen=True)
class Engagement:
    """A group's engagement index and favourable %, or None for both when hidden.

    ``reason`` says why a hidden group is hidden (see :mod:`lib.privacy.groups`).
    """

    index: float | None
    favorable_pct: float | None
    n: int  # employee responses in the group
    respondents: int  # of them, those who answered at least one statement
    suppressed: bool
    reason: str | None = None  # why hidden: a key of lib.privacy.groups.HIDDEN_REASONS
    index_ci95: tuple[float, float] | None = None  # t interval over the respondents' scores
    favorable_ci95: tuple[float, float] | None = None  # ratio-estimator interval, respondents as clusters

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "favorable_pct": self.favorable_pct, "n": self.n, "suppressed": self.suppressed,
                "index_ci95": list(self.index_ci95) if self.index_ci95 else None,
                "favorable_ci95": list(self.favorable_ci95) if self.favorable_ci95 else None}

    @staticmethod
    def hidden(n: int, reason: str = "small") -> Engagement:
        """A group whose figures are not shown; only its response count is."""
        return Engagement(None, None, int(n), 0, True, reason)


@dataclass(frozen=True)
class EngagementSums:
    """Per-group sums from which engagement figures follow."""

    rows: np.ndarray
    respondents: np.ndarray
    score_sum: np.ndarray
    favorable: np.ndarray
    answered: np.ndarray
    score_squares: np.ndarray
    favorable_squares: np.ndarray | None = None  # Σf², Σm², Σfm over respondents, for favourable %'s interval
    answered_squares: np.ndarray | None = None
    cross: np.ndarray | None = None
    answering: np.ndarray | None = None  # respondents with at least one answered statement

    def result(self, g: int) -> Engagement:
        """Group ``g``'s figures with their intervals; whether they may be shown is :mod:`lib.privacy.groups`'s decision.

        The index's interval is the t interval of the respondents' mean score (s from Σx and Σx²); favourable %'s
        is the ratio estimator's (:func:`lib.figures.stats.cluster_ratio`): each person gives several answers, so
        the person, not the answer, is the unit of the interval."""
        n = int(self.rows[g])
        resp = int(self.respondents[g])
        index = float(self.score_sum[g] / resp) if resp else None
        fav = float(100.0 * self.favorable[g] / self.answered[g]) if self.answered[g] else None
        index_ci = None
        if resp >= 2:
            var = max(0.0, float(self.score_squares[g] - self.score_sum[g] ** 2 / resp) / (resp - 1))
            half = float(stats.t_quantile(resp - 1)) * (var / resp) ** 0.5
            index_ci = (index - half, index + half)
        fav_ci = None
        if self.answered[g] and self.favorable_squares is not None:
            fav_ci = stats.ratio_interval_from_sums(
                float(self.favorable[g]), float(self.answered[g]), float(self.favorable_squares[g]),
                float(self.answered_squares[g]), float(self.cross[g]), int(self.answering[g]))
        return Engagement(index, fav, n, resp, False, None, index_ci, fav_ci)

    def total(self) -> EngagementSums:
        parts = (self.rows, self.respondents, self.score_sum, self.favorable, self.answered, self.score_squares,
                 self.favorable_squares, self.answered_squares, self.cross, self.answering)
        return EngagementSums(*(None if a is None else np.array([a.sum()]) for a in parts))


def engagement_sums(group: np.ndarray, engagement: np.ndarray, answered: np.ndarray, favorable: np.ndarray,
                    n_groups: int) -> EngagementSums:
    has = ~np.isnan(engagement)
    answering = answered > 0

    def total(weights: np.ndarray | None, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        return np.bincount(group[rows], weights=None if weights is None else weights[rows], minlength=n_groups)[:n_groups]

    return EngagementSums(
        rows=np.bincount(group, minlength=n_groups)[:n_groups],
        respondents=np.bincount(group[has], minlength=n_groups)[:n_groups],
        score_sum=np.bincount(group[has], weights=engagement[has], minlength=n_groups)[:n_groups],
        favorable=np.bincount(group, weights=favorable, minlength=n_groups)[:n_groups],
        answered=np.bincount(group, weights=answered, minlength=n_groups)[:n_groups],
        score_squares=np.bincount(group[has], weights=engagement[has] ** 2, minlength=n_groups)[:n_groups],
        favorable_squares=total(favorable**2), answered_squares=total(answered**2), cross=total(favorable * answered),
        answering=total(None, answering),
    )


def item_favorable(points: np.ndarray, fav_low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per item: (answered count, favourable count) over the rows of ``points``."""
    answered = (~np.isnan(points)).sum(axis=0)
    favorable = (points >= fav_low).sum(axis=0)
    return answered, favorable


def nps_shown(r: stats.NpsResult | None, minimum: int) -> bool:
    """Whether a unit's NPS may be printed: at least ``minimum`` answers and an interval that holds the score (one
    customer's 100 has the interval −48.5 to 98.5, which does not). Otherwise the unit shows its n and "too few
    answers" (:func:`too_few`)."""
    return bool(r is not None and r.score is not None and r.n >= minimum and stats.contains(r.ci95, r.score))


def too_few(n: int) -> Msg:
    """What a unit whose figure is not printed shows instead."""
    return msg("too few answers (n = {n})", n=n)
