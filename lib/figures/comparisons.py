"""Honest comparisons: a change between two periods, and each department against the rest of the organisation.

Every test is one of :mod:`lib.figures.stats`' (adjusted-Wald for NPS and eNPS, Welch's t for the engagement index on
respondent scores), and every employee figure comes from the rows :mod:`lib.privacy.groups` released for the view.

Corrections for comparing many departments at once:

* **changes between periods** use **Holm**: each flagged change is read as a claim about that department
  ("Home Care's NPS fell"), so the chance of any false claim is what must stay at 5 %;
* **departments against the rest** use **Benjamini–Hochberg**: it is a screen for which departments to look
  at, where a small share of false leads among many flags is acceptable, and Holm would hide most real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.figures import stats
from lib.figures.summary import Summary

ALPHA = 0.05
#: The correction each comparison uses (see the module's text for why).
CHANGE_CORRECTION = "holm"
REST_CORRECTION = "bh"


@dataclass(frozen=True)
class Test:
    """One comparison: the two figures, their difference (first minus second for the rest; later minus earlier
    for a change), the test's p, the corrected p, and whether it counts as a real difference."""

    measure: str  # "nps", "enps" or "engagement"
    department: str | None  # None: the whole organisation
    value: float
    other: float
    difference: float
    p: float
    p_corrected: float
    significant: bool

    def as_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "department": self.department, "value": self.value, "other": self.other,
                "difference": self.difference, "p": self.p, "p_corrected": self.p_corrected,
                "significant": self.significant}


def _counts(r: stats.NpsResult | None) -> tuple[int, int, int] | None:
    return None if r is None or not r.n else (r.detractors, r.passives, r.promoters)


def _scores(s: Summary, department: int | None) -> np.ndarray:
    """The released respondents' engagement scores: a department's whole groups, or every released row."""
    if s.employee is None or s.employee_view is None:
        return np.array([])
    v = s.employee_view
    rows = v.mask if department is None else v.mask & (v.group == department)
    scores = s.employee.frame["engagement"].to_numpy(dtype="float64")[rows]
    return scores[~np.isnan(scores)]


def _rest_scores(s: Summary, department: int) -> np.ndarray:
    v = s.employee_view
    rows = v.mask & (v.group != department)
    scores = s.employee.frame["engagement"].to_numpy(dtype="float64")[rows]
    return scores[~np.isnan(scores)]


def _correct(tests: list[dict], method: str) -> list[Test]:
    """Departments corrected together, per measure; the organisation's own test is one test and stays as it is."""
    out: list[Test] = []
    for measure in ("nps", "enps", "engagement"):
        whole = [t for t in tests if t["measure"] == measure and t["department"] is None and not np.isnan(t["p"])]
        out += [Test(**t, p_corrected=t["p"], significant=t["p"] <= ALPHA) for t in whole]
        group = [t for t in tests if t["measure"] == measure and t["department"] is not None and not np.isnan(t["p"])]
        if not group:
            continue
        adjust = stats.holm if method == "holm" else stats.benjamini_hochberg
        corrected = adjust([t["p"] for t in group])
        out += [Test(**t, p_corrected=q, significant=q <= ALPHA) for t, q in zip(group, corrected)]
    return out


def _index(s: Summary, name: str) -> int:
    return list(s.link.names).index(name)


def versus_rest(s: Summary) -> list[Test]:
    """Every shown department's NPS, eNPS and engagement index against the rest of the organisation in the same
    view (Benjamini–Hochberg across departments, per measure). Hidden departments are not tested."""
    tests: list[dict] = []

    def against_rest(measure: str, name: str, mine: stats.NpsResult | None, total: stats.NpsResult | None) -> None:
        dept, whole = _counts(mine), _counts(total)
        if dept and whole and sum(whole) > sum(dept):
            rest = tuple(t - c for t, c in zip(whole, dept))
            r = stats.nps_difference(dept, rest)
            tests.append({"measure": measure, "department": name, "value": mine.score,
                          "other": 100 * (rest[2] - rest[0]) / sum(rest), "difference": r.difference, "p": r.p})

    for d in s.departments:
        against_rest("nps", d.department, d.nps, s.nps)
        if d.suppressed:
            continue
        against_rest("enps", d.department, d.enps, s.enps)
        if d.engagement is not None and d.engagement.index is not None and s.employee_view is not None:
            g = _index(s, d.department)
            mine, rest_scores = _scores(s, g), _rest_scores(s, g)
            if mine.size >= 2 and rest_scores.size >= 2:
                r = stats.welch_t(mine, rest_scores)
                tests.append({"measure": "engagement", "department": d.department, "value": float(mine.mean()),
                              "other": float(rest_scores.mean()), "difference": r.difference, "p": r.p})
    return _correct(tests, REST_CORRECTION)


def change(before: Summary, after: Summary) -> list[Test]:
    """Each department's and the organisation's change from ``before`` to ``after`` (later minus earlier, sign
    kept): NPS and eNPS by the adjusted-Wald two-sample test, the engagement index by Welch's t on respondent
    scores; Holm across the departments, per measure. A department hidden in either period is not tested."""
    tests: list[dict] = []

    def add(measure: str, name: str | None, a: stats.NpsResult | None, b: stats.NpsResult | None) -> None:
        ca, cb = _counts(a), _counts(b)
        if ca and cb:
            r = stats.nps_difference(cb, ca)
            tests.append({"measure": measure, "department": name, "value": b.score, "other": a.score,
                          "difference": r.difference, "p": r.p})

    def add_engagement(name: str | None, a: np.ndarray, b: np.ndarray) -> None:
        if a.size >= 2 and b.size >= 2:
            r = stats.welch_t(b, a)
            tests.append({"measure": "engagement", "department": name, "value": float(b.mean()),
                          "other": float(a.mean()), "difference": r.difference, "p": r.p})

    add("nps", None, before.nps, after.nps)
    add("enps", None, before.enps, after.enps)
    add_engagement(None, _scores(before, None), _scores(after, None))
    earlier = {d.department: d for d in before.departments}
    for d in after.departments:
        e = earlier.get(d.department)
        if e is None:
            continue
        add("nps", d.department, e.nps, d.nps)
        if d.suppressed or e.suppressed:
            continue
        add("enps", d.department, e.enps, d.enps)
        add_engagement(d.department, _scores(before, _index(before, d.department)),
                       _scores(after, _index(after, d.department)))
    return _correct(tests, CHANGE_CORRECTION)
