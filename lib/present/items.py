"""The employee statements of a view: each department's favourable % per statement, over the rows
:mod:`lib.privacy.groups` released (``Summary.employee_view``), never over raw rows.

Both :mod:`lib.present.breakdowns` (charts) and :mod:`lib.present.model` (the statements table) read it here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.figures import metrics
from lib.figures.summary import Summary
from lib.privacy import surfaces
from lib.values.scales import favorable_points

COLUMNS = ["department", "statement", "favorable_pct", "difference", "n", "suppressed", "suppressed_reason"]


def employee_rows(s: Summary) -> tuple[np.ndarray, pd.DataFrame]:
    """The released employee rows and each one's department row (``len(names)``: totals only)."""
    assert s.employee is not None and s.employee_view is not None
    m = s.employee_view.mask
    return s.employee_view.group[m], s.employee.frame.loc[m]


def item_points(s: Summary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The released rows' department, their answer points (rows × statements) and each statement's lowest
    favourable point (:func:`lib.values.scales.favorable_points`: the top two points, the top three on 10- and
    11-point scales, as the engagement favourable % counts them)."""
    assert s.employee is not None
    group, f = employee_rows(s)
    items = s.employee.items
    points = f[[i.key for i in items]].to_numpy(dtype="float64") if items else np.zeros((len(f), 0))
    fav_low = np.array([favorable_points(i.scale)[0] for i in items], dtype=float)
    return group, points, fav_low


def item_favorability(s: Summary) -> pd.DataFrame:
    """Favourable % per department × statement, and its difference from the whole (filtered) organisation."""
    if s.employee is None or not s.employee.items or s.employee_view is None:
        return pd.DataFrame(columns=COLUMNS)
    group, points, fav_low = item_points(s)
    hidden_items = [i.key in s.employee_view.hidden for i in s.employee.items]
    org_ans, org_fav = metrics.item_favorable(points, fav_low)
    index = {name: g for g, name in enumerate(s.link.names)}
    view, k = s.employee_view, s.settings.min_group
    rows = []
    for d in s.departments:
        if not d.employee_n:
            continue
        sel = group == index[d.department]
        ans, fav = metrics.item_favorable(points[sel], fav_low)
        for j, item in enumerate(s.employee.items):
            hidden = d.suppressed or hidden_items[j]
            pct = np.nan if hidden or ans[j] == 0 else 100.0 * fav[j] / ans[j]
            org = np.nan if hidden_items[j] or not org_ans[j] else 100.0 * org_fav[j] / org_ans[j]
            if not np.isnan(pct):  # released through lib.privacy: the department's rows, the whole view's for org
                pct = surfaces.figure(s.employee, pct, f"item:{item.name}", d.department,
                                      view.mask & (view.group == index[d.department]), k)
                org = surfaces.figure(s.employee, org, f"item:{item.name}", "total", view.mask, k)
            rows.append({"department": d.department, "statement": item.label, "favorable_pct": pct,
                         "difference": pct - org if not np.isnan(pct) else np.nan, "n": d.employee_n,
                         "suppressed": bool(hidden),
                         "suppressed_reason": d.suppressed_reason or ("few_answers" if hidden else None)})
    return pd.DataFrame(rows, columns=COLUMNS)
