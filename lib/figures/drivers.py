"""Key drivers at respondent level: which statements go with the employee recommend question (eNPS), by
Johnson's relative weights, with bootstrap intervals.

Relative weights split the variance the statements explain together (R²) among them, fairly where they are
correlated, as engagement statements always are; a bivariate correlation per statement would credit each with
what it shares with the others. The rows are the employees :mod:`lib.privacy.groups` released for the view, complete
cases only (every statement and the recommend question answered).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.figures import stats
from lib.figures.summary import Summary

BOOTSTRAP = 200
SEED = 20261123  # fixed, so the intervals are the same on every run
MIN_ROWS = 30


@dataclass(frozen=True)
class Drivers:
    table: pd.DataFrame  # statement, weight (share of variance, 0–1), share % (of R²), low, high (95 % bootstrap)
    r_squared: float
    n: int


def relative_importance(s: Summary, resamples: int = BOOTSTRAP) -> Drivers | None:
    """Relative weights of the statements for the recommend question over the released rows; None when the view
    lacks eNPS, statements or at least :data:`MIN_ROWS` complete answers."""
    e = s.employee
    if e is None or s.employee_view is None or s.enps is None or len(e.items) < 2:
        return None
    frame = e.frame.loc[s.employee_view.mask]
    data = frame[[i.key for i in e.items] + ["recommend"]].to_numpy(dtype="float64")
    data = data[~np.isnan(data).any(axis=1)]
    if len(data) < MIN_ROWS:
        return None

    def fit(rows: np.ndarray) -> stats.RelativeWeights:
        r = np.corrcoef(rows, rowvar=False)
        return stats.relative_weights(r[:-1, :-1], r[:-1, -1])

    raw = fit(data)
    rng = np.random.default_rng(SEED)
    boot = []
    for _ in range(resamples):
        sample = data[rng.integers(0, len(data), len(data))]
        if np.all(sample.std(axis=0) > 0):
            boot.append(fit(sample).raw)
    low, high = (np.percentile(np.array(boot), q, axis=0) for q in (2.5, 97.5))
    table = pd.DataFrame({"statement": [i.label for i in e.items], "weight": raw.raw, "share": raw.rescaled,
                          "low": low, "high": high}).sort_values("weight", ascending=False, kind="stable")
    return Drivers(table.reset_index(drop=True), raw.r_squared, len(data))
