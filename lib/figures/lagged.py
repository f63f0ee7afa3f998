"""Does engagement lead customer NPS? The linkage of each period's employee measure with the customer measure
``lag`` periods later.

Each point is a department in one pair of periods (t, t + lag): its employee figure in period t (as
:mod:`lib.privacy.groups` released it for that period) against its customer figure in period t + lag. The exclusions
are the Linkage page's (:func:`lib.figures.linkage.correlate`). This is a level-to-level correlation: points of one
department in several pairs are not independent and a department's lasting level makes every lag look alike, so it
carries no p-value here (``as_dict`` leaves them out) and cannot show a lead. Whether engagement leads is the
within-department test of :mod:`lib.figures.lead`, carried as ``Lagged.lead``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lib.figures.lead import Lead, employee_rows, lead_test, panel
from lib.figures.linkage import Linkage, correlate
from lib.figures.periods import Period, by_period
from lib.privacy import surfaces

if TYPE_CHECKING:
    from lib.figures.filters import Filters
    from lib.figures.summary import Settings, Summary
    from lib.survey.frame import Survey

LAGS = (0, 1, 2)


@dataclass(frozen=True)
class Lagged:
    lag: int
    pairs: int  # pairs of periods behind the points
    linkage: Linkage
    lead: Lead | None = None  # the within-department test at this lag

    def as_dict(self) -> dict[str, object]:
        pooled = {k: v for k, v in self.linkage.as_dict().items() if k not in ("pearson_p", "spearman_p")}
        return {"lag": self.lag, "period_pairs": self.pairs, **pooled,
                "lead": self.lead.as_dict() if self.lead else None}


def _rows(early: Summary, late: Summary, label: str, settings: Settings) -> list[dict]:
    later = {d.department: d for d in late.departments}
    rows = []
    for d in early.departments:
        c = later.get(d.department)
        rows.append({"department": f"{d.department} · {label}", "customer_n": c.customer_n if c else 0,
                     "customer": c.value(settings.customer_measure) if c else None, "employee_n": d.employee_n,
                     "employee": d.value(settings.employee_measure),
                     "in_customer": bool(c and c.in_customer), "hidden": d.suppressed_reason})
    return rows


def lagged_linkage(customer: Survey, employee: Survey, filters: Filters, settings: Settings, kind: str,
                   lags: tuple[int, ...] = LAGS,
                   summaries: list[tuple[Period, Summary]] | None = None) -> list[Lagged]:
    """The linkage at each lag (0: the same period), over every pair of periods the files cover."""
    ps = summaries if summaries is not None else by_period(customer, employee, filters, settings, kind)
    figures = panel(ps, settings)
    out = []
    for lag in lags:
        rows: list[dict] = []
        pairs = 0
        for i in range(len(ps) - lag):
            (p, early), (q, late) = ps[i], ps[i + lag]
            label = p.label(kind) if lag == 0 else f"{p.label(kind)} → {q.label(kind)}"
            rows += _rows(early, late, label, settings)
            pairs += 1
        out.append(Lagged(lag, pairs, correlate(rows, settings.min_group, settings.min_customers,
                                                settings.customer_measure, settings.employee_measure),
                          lead_test(figures.customer, figures.employee, lag)))
    behind = employee_rows(ps, settings)
    released = next((s.employee for _p, s in ps if s.employee is not None), None)
    for x in out:  # released through lib.privacy with every employee row behind the panel's figures
        if behind is not None and released is not None:
            surfaces.figure(released, x.as_dict(), f"lagged:{x.lag}:{settings.employee_measure}", "total", behind,
                            settings.min_group, surfaces.columns_of(released, settings.employee_measure))
    return out
