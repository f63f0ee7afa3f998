"""Reliability on both sides of the linkage, and the correlation corrected for it.

A department's figure is a sample: its NPS rests on the customers who answered, its engagement index on the staff who
did. Noise in either side pulls the correlation across departments towards zero, the more so the smaller the
departments. The employee side's reliability is ICC(2) of the department means (``Linkage.reliability``); the customer
side's is the share of the spread of department NPS values that is not sampling noise
(:func:`lib.figures.stats.nps_reliability`, from each department's standard error). Spearman's correction
(:func:`lib.figures.stats.disattenuate`) then estimates the correlation the departments' true figures would show, with
its interval; it is shown beside the observed one, never instead of it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from lib.figures import stats

if TYPE_CHECKING:
    from lib.figures.linkage import Linkage
    from lib.figures.summary import DepartmentFigures


def _used_nps(linkage: Linkage, departments: list[DepartmentFigures]) -> list[stats.NpsResult] | None:
    """The NPS of each department the linkage used (None for another customer measure or below three departments)."""
    if linkage.customer_measure != "nps" or len(linkage.departments) < 3:
        return None
    by = {d.department: d for d in departments}
    used = [by[name].nps for name in linkage.departments if name in by and by[name].nps is not None]
    return used if len(used) == len(linkage.departments) else None  # type: ignore[return-value]


def _variances(used: list[stats.NpsResult]) -> np.ndarray:
    """Each department's NPS sampling variance, in points²."""
    return np.array([(100 * stats.nps_standard_error(r.detractors, r.passives, r.promoters)) ** 2 for r in used])


def customer_reliability(linkage: Linkage, departments: list[DepartmentFigures]) -> float | None:
    """The reliability of the used departments' NPS (None for another customer measure or below three departments)."""
    used = _used_nps(linkage, departments)
    if used is None:
        return None
    return stats.nps_reliability(np.array([r.score for r in used]), np.sqrt(_variances(used)))


def _noise(linkage: Linkage, departments: list[DepartmentFigures]) -> stats.ReliabilityNoise | None:
    """What both reliabilities rest on, for the corrected interval (None when either side's counts are not known)."""
    used = _used_nps(linkage, departments)
    rel = linkage.reliability
    if used is None or rel is None:
        return None
    scores = np.array([r.score for r in used])
    return stats.ReliabilityNoise(len(used), int(round(rel.groups * rel.mean_size)), tuple(_variances(used)),
                                  tuple(r.n for r in used), float(scores.var(ddof=1)))


def with_reliability(linkage: Linkage, departments: list[DepartmentFigures]) -> Linkage:
    """The linkage with the customer side's reliability and Spearman's corrected correlation filled in (the employee
    side's reliability, ICC(2), must already be there); the interval counts both reliabilities' sampling error."""
    lam_c = customer_reliability(linkage, departments)
    lam_e = linkage.reliability.icc2 if linkage.reliability is not None else None
    r = linkage.result
    corrected = None
    if r.pearson_r is not None:
        corrected = stats.disattenuate(r.pearson_r, r.pearson_ci95, lam_e, lam_c, _noise(linkage, departments))
    return replace(linkage, customer_reliability=lam_c, corrected=corrected)
