"""Survey metrics for groups of responses, with the anonymity rule built in.

Figures are computed for many groups at once with ``np.bincount`` over group
indices, so a million responses cost a few array passes, not a Python loop.

Engagement, exactly: each answer is rescaled to 0–100 on its scale (reverse
items flipped first); a respondent's score is the mean of their answered items;
a group's index is the mean of its respondents' scores (respondents with no
answered item are not counted). Favourable % is the share of answered item
responses in the top two scale points. A group with fewer than ``k`` employee
responses gets no engagement, favourable or eNPS figure (its count is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import stats
from .errors import OptionError
from .i18n import msg

DEFAULT_MIN_GROUP = 5
MIN_MIN_GROUP = 3
DEFAULT_MIN_CUSTOMERS = 10
DEFAULT_MIN_COMMENTS = 10  # employee comments need more responses than figures


def check_min_group(k: int) -> int:
    """The anonymity threshold, refused below 3."""
    if int(k) < MIN_MIN_GROUP:
        raise OptionError(msg("The anonymity threshold must be at least {low} responses, not {k}.", low=MIN_MIN_GROUP, k=k))
    return int(k)


def nps_counts_by_group(group: np.ndarray, scores: np.ndarray, n_groups: int) -> np.ndarray:
    """(n_groups × 3) counts of detractors, passives and promoters among valid 0–10 answers."""
    ok = ~np.isnan(scores)
    cat = np.where(scores[ok] >= 9, 2, np.where(scores[ok] >= 7, 1, 0))
    flat = np.bincount(group[ok] * 3 + cat, minlength=n_groups * 3)
    return flat[: n_groups * 3].reshape(n_groups, 3)


def nps_result(counts: np.ndarray) -> stats.NpsResult:
    d, a, p = (int(x) for x in counts)
    return stats.nps_from_counts(d, a, p)


@dataclass(frozen=True)
class Engagement:
    """A group's engagement index and favourable %, or None for both when suppressed.

    ``protects`` marks a group hidden although it is large enough, so that a
    smaller hidden group cannot be worked out from the totals.
    """

    index: float | None
    favorable_pct: float | None
    n: int  # employee responses in the group
    respondents: int  # of them, those who answered at least one statement
    suppressed: bool
    protects: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "favorable_pct": self.favorable_pct, "n": self.n, "suppressed": self.suppressed}


def suppression(counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(hidden, protecting) masks over groups with these response counts.

    Groups with 1 to k−1 responses are hidden. When the hidden groups hold fewer
    than k responses together while the total is shown, the smallest other groups
    are hidden too (complementary suppression), so that total minus the shown
    groups never reveals a group below k.
    """
    counts = np.asarray(counts)
    hidden = (counts > 0) & (counts < k)
    protecting = np.zeros_like(hidden)
    if hidden.any() and counts.sum() >= k:
        for g in np.argsort(counts, kind="stable"):
            if counts[hidden | protecting].sum() >= k:
                break
            if counts[g] > 0 and not hidden[g] and not protecting[g]:
                protecting[g] = True
    return hidden, protecting


@dataclass(frozen=True)
class EngagementSums:
    """Per-group sums from which engagement figures follow."""

    rows: np.ndarray
    respondents: np.ndarray
    score_sum: np.ndarray
    favorable: np.ndarray
    answered: np.ndarray

    def result(self, g: int, min_group: int, protect: bool = False) -> Engagement:
        n = int(self.rows[g])
        resp = int(self.respondents[g])
        if n < min_group or protect:
            return Engagement(None, None, n, resp, n > 0, protect and n >= min_group)
        index = float(self.score_sum[g] / resp) if resp else None
        fav = float(100.0 * self.favorable[g] / self.answered[g]) if self.answered[g] else None
        return Engagement(index, fav, n, resp, False)

    def total(self) -> "EngagementSums":
        return EngagementSums(*(np.array([a.sum()]) for a in (self.rows, self.respondents, self.score_sum, self.favorable, self.answered)))


def engagement_sums(group: np.ndarray, engagement: np.ndarray, answered: np.ndarray, favorable: np.ndarray,
                    n_groups: int) -> EngagementSums:
    has = ~np.isnan(engagement)
    return EngagementSums(
        rows=np.bincount(group, minlength=n_groups)[:n_groups],
        respondents=np.bincount(group[has], minlength=n_groups)[:n_groups],
        score_sum=np.bincount(group[has], weights=engagement[has], minlength=n_groups)[:n_groups],
        favorable=np.bincount(group, weights=favorable, minlength=n_groups)[:n_groups],
        answered=np.bincount(group, weights=answered, minlength=n_groups)[:n_groups],
    )


def item_favorable(points: np.ndarray, fav_low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per item: (answered count, favourable count) over the rows of ``points``."""
    answered = (~np.isnan(points)).sum(axis=0)
    favorable = (points >= fav_low).sum(axis=0)
    return answered, favorable
