"""Does engagement lead customer NPS? The test that can say so: changes within departments.

A department's lasting level (a well-run clinic has both engaged staff and loyal customers, every period) makes the
department × period points of :mod:`lib.figures.lagged` correlate at every lag alike, so their correlations cannot show
a lead, and their p-values, which treat each point as independent, say yes far more often than 5 % of the time. Here
each department is compared with itself: its change in the customer measure from one period to the next is regressed
on its change in the employee measure ``lag`` periods earlier, with an effect per period (what moved every department
at once) and errors clustered by department, tested by the wild cluster bootstrap
(:func:`lib.figures.stats.clustered_slope`). The reverse model (customer change first, employee change ``lag`` periods
later) is fitted beside it: a lead is claimed only when the forward slope is positive with p ≤ 0.05 and the reverse
one is not.

Each period's figures are the ones the app shows for it: employee figures as :mod:`lib.privacy.groups` released them,
a department's NPS only with at least the minimum of customer answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from lib.figures import stats
from lib.i18n import Msg, msg

if TYPE_CHECKING:
    from lib.figures.periods import Period
    from lib.figures.summary import Settings, Summary

ALPHA = 0.05


@dataclass(frozen=True)
class Panel:
    """Departments × periods of both measures (NaN: not shown for that period)."""

    departments: tuple[str, ...]
    customer: np.ndarray
    employee: np.ndarray


@dataclass(frozen=True)
class Lead:
    """The within-department test at one lag: ``slope`` (customer change per point of earlier employee change) and the
    ``reverse`` slope, or ``reason`` why there is no test."""

    lag: int
    slope: stats.ClusteredSlope | None
    reverse: stats.ClusteredSlope | None
    reason: Msg | None = None

    @property
    def leads(self) -> bool:
        """Whether "engagement leads the customer measure" may be said: lag ≥ 1, the forward slope positive with
        p ≤ 0.05, and the reverse slope not so."""
        s, r = self.slope, self.reverse
        return bool(self.lag >= 1 and s is not None and s.p <= ALPHA and s.estimate > 0
                    and (r is None or r.p > ALPHA))

    def as_dict(self) -> dict[str, object]:
        def part(x: stats.ClusteredSlope | None) -> dict[str, object] | None:
            return None if x is None else {"estimate": x.estimate, "ci95": list(x.ci95), "p": x.p, "se": x.se,
                                           "changes": x.n, "departments": x.clusters}

        return {"lag": self.lag, "within_department": part(self.slope), "reverse": part(self.reverse),
                "leads": self.leads, "reason": str(self.reason) if self.reason else None}


def panel(summaries: list[tuple[Period, Summary]], settings: Settings) -> Panel:
    """Each department's shown figures per period (the order of ``summaries``)."""
    names = sorted({d.department for _p, s in summaries for d in s.departments})
    pos = {n: i for i, n in enumerate(names)}
    customer = np.full((len(names), len(summaries)), np.nan)
    employee = np.full((len(names), len(summaries)), np.nan)
    for t, (_p, s) in enumerate(summaries):
        for d in s.departments:
            c = d.value(settings.customer_measure) if d.customer_n >= settings.min_customers else None
            e = None if d.suppressed or d.employee_n < settings.min_group else d.value(settings.employee_measure)
            customer[pos[d.department], t] = np.nan if c is None else c
            employee[pos[d.department], t] = np.nan if e is None else e
    return Panel(tuple(names), customer, employee)


def employee_rows(summaries: list[tuple[Period, Summary]], settings: Settings) -> np.ndarray | None:
    """The released employee rows behind the panel's employee figures (every period's shown departments' whole
    groups), a mask over the employee frame; None when no figure is shown."""
    out = None
    for _p, s in summaries:
        v, names = s.employee_view, list(s.link.names)
        for d in s.departments if v is not None else ():
            if d.suppressed or d.employee_n < settings.min_group or d.department not in names \
                    or d.value(settings.employee_measure) is None:
                continue
            rows = v.mask & (v.group == names.index(d.department))
            out = rows if out is None else out | rows
    return out


def _changes(outcome: np.ndarray, predictor: np.ndarray, lag: int) -> tuple[np.ndarray, ...]:
    """(Δoutcome_t, Δpredictor_{t−lag}, period t, department) over every department and period where all four
    figures exist; Δ is the change from the period before."""
    d_out = outcome[:, 1:] - outcome[:, :-1]  # column t − 1 holds the change into period t
    d_pred = predictor[:, 1:] - predictor[:, :-1]
    g_count, t_count = outcome.shape
    rows = [(d_out[:, t - 1], d_pred[:, t - 1 - lag], np.full(g_count, t), np.arange(g_count))
            for t in range(1 + lag, t_count)]
    if not rows:
        return (np.array([]),) * 4
    y, x, period, dept = (np.concatenate(parts) for parts in zip(*rows))
    ok = np.isfinite(y) & np.isfinite(x)
    return y[ok], x[ok], period[ok], dept[ok]


def lead_test(customer: np.ndarray, employee: np.ndarray, lag: int, resamples: int = stats.LEAD_RESAMPLES,
              seed: int = stats.LEAD_SEED) -> Lead:
    """The within-department test at ``lag`` on departments × periods arrays (NaN: no figure)."""
    y, x, period, dept = _changes(customer, employee, lag)
    slope = stats.clustered_slope(y, x, period, dept, resamples, seed) if len(y) else None
    if slope is None:
        return Lead(lag, None, None, msg("Too few changes to test: it needs at least {g} departments with figures in "
                                         "{t} periods in a row.", g=stats.MIN_CLUSTERS, t=lag + 2))
    ry, rx, rperiod, rdept = _changes(employee, customer, lag)
    reverse = stats.clustered_slope(ry, rx, rperiod, rdept, resamples, seed) if len(ry) else None
    return Lead(lag, slope, reverse)
