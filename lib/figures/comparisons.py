"""Honest comparisons: a change between two periods, and each department against the rest of the organisation.

Every test is one of :mod:`lib.figures.stats`' (adjusted-Wald for NPS and eNPS, Welch's t for the engagement index on
respondent scores), and every employee figure comes from the rows :mod:`lib.privacy.groups` released for the view.

Corrections for comparing many departments at once:

* **changes between periods** use **Holm**: each flagged change is read as a claim about that department
  ("Home Care's NPS fell"), so the chance of any false claim is what must stay at 5 %;
* **departments against the rest** use **Benjamini–Hochberg**: it is a screen for which departments to look
  at, where a small share of false leads among many flags is acceptable, and Holm would hide most real ones.

The printed change is the plain difference of the two printed figures (later minus earlier; the department minus
the rest); the adjusted-Wald estimate only drives the test and the interval. Each test carries its 95 % interval and
the smallest change it could have detected (80 % power, :func:`lib.figures.stats.detectable_change`). An NPS below the
minimum of customer answers (``Settings.min_customers``) is not compared; an interval that would not hold its
difference is not shown, and neither is the difference (``Test.shown``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.figures import stats
from lib.figures.summary import Summary
from lib.privacy import surfaces

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
    ci95: tuple[float, float] | None = None  # the difference's 95 % interval (adjusted Wald for NPS and eNPS)
    detectable: float | None = None  # the smallest change this test finds 80 % of the time, in the figure's units

    @property
    def shown(self) -> bool:
        """Whether the difference may be printed: its interval holds it (always so for Welch's t)."""
        return stats.contains(self.ci95, self.difference)

    def as_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "department": self.department, "value": self.value, "other": self.other,
                "difference": self.difference if self.shown else None, "p": self.p, "p_corrected": self.p_corrected,
                "significant": self.significant, "ci95": list(self.ci95) if self.ci95 and self.shown else None,
                "detectable": self.detectable}


def _counts(r: stats.NpsResult | None, minimum: int = 1) -> tuple[int, int, int] | None:
    return None if r is None or not r.n or r.n < minimum else (r.detractors, r.passives, r.promoters)


def _nps_test(measure: str, name: str | None, first: tuple[int, int, int], second: tuple[int, int, int]) -> dict:
    """first minus second: the plain difference of the two NPS values, the adjusted-Wald p, interval and MDC."""
    r = stats.nps_difference(first, second)
    value, other = (100 * (c[2] - c[0]) / sum(c) for c in (first, second))
    return {"measure": measure, "department": name, "value": value, "other": other, "difference": value - other,
            "p": r.p, "ci95": r.ci95, "detectable": stats.detectable_change(stats.nps_change_se(first, second))}


def _mean_test(name: str | None, first: np.ndarray, second: np.ndarray) -> dict:
    r = stats.welch_t(first, second)
    se = (r.ci95[1] - r.ci95[0]) / 2 / stats.t_quantile(r.df) if r.df else float("nan")
    return {"measure": "engagement", "department": name, "value": float(first.mean()), "other": float(second.mean()),
            "difference": r.difference, "p": r.p, "ci95": r.ci95,
            "detectable": stats.detectable_change(se) if se == se else None}


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


def _view_rows(s: Summary, department: str | None, rest: bool = False) -> np.ndarray:
    """The released rows behind a figure: a department's whole groups (or the rest of the view), or the view."""
    v = s.employee_view
    if department is None:
        return v.mask
    g = _index(s, department)
    return v.mask & ((v.group != g) if rest else (v.group == g))


def _released(tests: list[Test], first: Summary, second: Summary, rest: bool) -> list[Test]:
    """Each employee test released through :mod:`lib.privacy` with the respondents behind it: ``value`` over
    ``first``'s rows, ``other`` over the rest of the view (``rest``) or ``second``'s rows, the test over both."""
    if first.employee is None or first.employee_view is None or second.employee_view is None:
        return tests
    k = first.settings.min_group
    for t in tests:
        if t.measure == "nps":
            continue
        name = t.department or "total"
        a = _view_rows(first, t.department)
        b = _view_rows(second if not rest else first, t.department, rest)
        surfaces.figure(first.employee, t.value, t.measure, name, a, k)
        surfaces.figure(first.employee, t.other, t.measure, f"rest of {name}" if rest else f"before: {name}", b, k)
        surfaces.figure(first.employee, t.as_dict(), f"{t.measure}:{'rest' if rest else 'change'}", name, a | b, k)
    return tests


def _holds(t: dict) -> bool:
    return stats.contains(t["ci95"], t["difference"])


def _correct(tests: list[dict], method: str) -> list[Test]:
    """Departments corrected together, per measure; the organisation's own test is one test and stays as it is."""
    out: list[Test] = []
    for measure in ("nps", "enps", "engagement"):
        whole = [t for t in tests if t["measure"] == measure and t["department"] is None and not np.isnan(t["p"])]
        out += [Test(**t, p_corrected=t["p"], significant=t["p"] <= ALPHA and _holds(t)) for t in whole]
        group = [t for t in tests if t["measure"] == measure and t["department"] is not None and not np.isnan(t["p"])]
        if not group:
            continue
        adjust = stats.holm if method == "holm" else stats.benjamini_hochberg
        corrected = adjust([t["p"] for t in group])
        out += [Test(**t, p_corrected=q, significant=q <= ALPHA and _holds(t)) for t, q in zip(group, corrected)]
    return out


def _index(s: Summary, name: str) -> int:
    return list(s.link.names).index(name)


def versus_rest(s: Summary) -> list[Test]:
    """Every shown department's NPS, eNPS and engagement index against the rest of the organisation in the same
    view (Benjamini–Hochberg across departments, per measure). Hidden departments are not tested, nor a department
    (or a rest) below the minimum of customer answers for NPS."""
    tests: list[dict] = []
    least = s.settings.min_customers

    def against_rest(measure: str, name: str, mine: stats.NpsResult | None, total: stats.NpsResult | None,
                     minimum: int) -> None:
        dept, whole = _counts(mine, minimum), _counts(total)
        if dept and whole and sum(whole) - sum(dept) >= minimum:
            tests.append(_nps_test(measure, name, dept, tuple(t - c for t, c in zip(whole, dept))))

    for d in s.departments:
        against_rest("nps", d.department, d.nps, s.nps, least)
        if d.suppressed:
            continue
        against_rest("enps", d.department, d.enps, s.enps, 1)
        if d.engagement is not None and d.engagement.index is not None and s.employee_view is not None:
            g = _index(s, d.department)
            mine, rest_scores = _scores(s, g), _rest_scores(s, g)
            if mine.size >= 2 and rest_scores.size >= 2:
                tests.append(_mean_test(d.department, mine, rest_scores))
    return _released(_correct(tests, REST_CORRECTION), s, s, rest=True)


def change(before: Summary, after: Summary) -> list[Test]:
    """Each department's and the organisation's change from ``before`` to ``after`` (later minus earlier, sign
    kept): NPS and eNPS by the adjusted-Wald two-sample test, the engagement index by Welch's t on respondent
    scores; Holm across the departments, per measure. A department hidden in either period is not tested, nor an NPS
    below the minimum of customer answers in either period (:func:`untested` lists those)."""
    tests: list[dict] = []
    least = after.settings.min_customers

    def add(measure: str, name: str | None, a: stats.NpsResult | None, b: stats.NpsResult | None,
            minimum: int = 1) -> None:
        ca, cb = _counts(a, minimum), _counts(b, minimum)
        if ca and cb:
            tests.append(_nps_test(measure, name, cb, ca))

    def add_engagement(name: str | None, a: np.ndarray, b: np.ndarray) -> None:
        if a.size >= 2 and b.size >= 2:
            tests.append(_mean_test(name, b, a))

    add("nps", None, before.nps, after.nps, least)
    add("enps", None, before.enps, after.enps)
    add_engagement(None, _scores(before, None), _scores(after, None))
    earlier = {d.department: d for d in before.departments}
    for d in after.departments:
        e = earlier.get(d.department)
        if e is None:
            continue
        add("nps", d.department, e.nps, d.nps, least)
        if d.suppressed or e.suppressed:
            continue
        add("enps", d.department, e.enps, d.enps)
        add_engagement(d.department, _scores(before, _index(before, d.department)),
                       _scores(after, _index(after, d.department)))
    return _released(_correct(tests, CHANGE_CORRECTION), after, before, rest=False)


def untested(before: Summary, after: Summary) -> list[tuple[str, int, int]]:
    """The departments whose NPS change is not tested for too few customer answers: (name, n before, n after)."""
    least = after.settings.min_customers
    earlier = {d.department: d for d in before.departments}
    out = []
    for d in after.departments:
        e = earlier.get(d.department)
        a, b = (e.nps.n if e is not None and e.nps else 0), (d.nps.n if d.nps else 0)
        if (a or b) and min(a, b) < least:
            out.append((d.department, a, b))
    return out
