"""Key drivers at respondent level: which statements go with the employee recommend question (eNPS), by
Johnson's relative weights, with bootstrap intervals that say what the data can tell apart.

Relative weights split the variance the statements explain together (R²) among them, fairly where they are
correlated, as engagement statements always are; a bivariate correlation per statement would credit each with
what it shares with the others. The rows are the employees :mod:`lib.privacy.groups` released for the view who
answered the recommend question; a "don't know" or a skipped statement leaves out that answer only (the correlations
are pairwise: each pair of columns over the people who answered both), never the person.

What the intervals support (Tonidandel, LeBreton & Johnson 2009, Psychological Methods 14(4)), from
:data:`BOOTSTRAP` resamples of respondents, computed at once (one matrix product per moment, one batched
eigen-decomposition):

* each weight's 95 % percentile interval, left out (``low`` and ``high`` empty) when it does not hold the weight
  itself, as a small weight's can (weights cannot be negative, so the resampled ones lie mostly above it);
* the interval of the difference between each statement and the next one down: where it holds zero the two are tied
  (``tied_with_next``), since the order between them is not supported by the data; ``rank`` is 1 + the number of
  statements whose weight is reliably above this one's (the interval of the difference above zero), so tied
  statements share it;
* a random baseline: a normally distributed column of noise enters the model beside the statements, and a statement
  counts as a driver (``beats_random``) only when the interval of its weight minus the noise's weight is above zero
  (weights cannot be negative, so a weight's own interval never holds zero).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.figures import stats
from lib.figures.summary import Summary
from lib.privacy import surfaces

BOOTSTRAP = 1000
SEED = 20261123  # fixed, so the intervals are the same on every run
MIN_ROWS = 30
_BATCH = 250  # resamples per matrix product, so memory stays near 250 × respondents numbers
_CACHE: dict[str, Drivers] = {}
_CACHE_SIZE = 16


@dataclass(frozen=True)
class Drivers:
    """``table`` holds, sorted by weight: statement, weight (share of variance, 0–1), share (% of R²), low and high
    (95 % bootstrap; empty when it would not hold the weight), answered (people who answered the statement and the
    recommend question), rank (shared by ties),
    tied_with_next, gap_low and gap_high (the interval of this weight minus the next one's), random_low and
    random_high (this weight minus the random baseline's) and beats_random."""

    table: pd.DataFrame
    r_squared: float
    n: int  # people who answered the recommend question and at least one statement
    resamples: int
    random_weight: float  # the noise column's weight in the model with it


def _sums(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Per row, the terms of every sum a pairwise-complete correlation matrix of the ``q`` columns needs (for each
    pair j, k: both present, x_j, x_j² and x_j·x_k where k is present too), as (the distinct columns of those 4·q²
    terms, where each term's column is among them, q): worked out once for all resamples."""
    rows, q = values.shape
    pair = (present[:, :, None] & present[:, None, :]).reshape(rows, q * q).astype("float64")
    x_in = (values[:, :, None] * present[:, None, :]).reshape(rows, q * q)  # x_j where k is present too
    terms = np.concatenate([pair, x_in, x_in * values[:, :, None].repeat(q, axis=2).reshape(rows, q * q),
                            (values[:, :, None] * values[:, None, :]).reshape(rows, q * q)], axis=1)
    distinct, where = _distinct_columns(terms)
    return distinct, where, q


def _correlations(sums: tuple[np.ndarray, np.ndarray, int], weights: np.ndarray) -> np.ndarray:
    """Pairwise-complete Pearson correlations of the columns under each row of ``weights`` (resamples × rows of
    counts): (resamples × q × q). A pair's moments are sums over the rows where both columns are present."""
    distinct, where, q = sums
    b = len(weights)
    n, s, ss, p = ((weights @ distinct)[:, where]).reshape(b, 4, q, q).swapaxes(0, 1)
    st = np.swapaxes(s, 1, 2)  # Σ x_k over rows where j is present
    sst = np.swapaxes(ss, 1, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = p - s * st / n
        r = cov / np.sqrt((ss - s * s / n) * (sst - st * st / n))
    idx = np.arange(q)
    r[:, idx, idx] = 1.0
    return r


def _distinct_columns(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of ``matrix`` and, for each column, the index of its copy among them: a product with the
    matrix is the product with its distinct columns, spread back (with every answer present, 36 of the 4·q² sums
    of a seven-column correlation matrix differ; the rest repeat them)."""
    seen: dict[bytes, int] = {}
    where = np.array([seen.setdefault(np.ascontiguousarray(matrix[:, j]).tobytes(), len(seen))
                      for j in range(matrix.shape[1])])
    first = np.unique(where, return_index=True)[1]
    return np.ascontiguousarray(matrix[:, first]), where


def _weights(sums: tuple[np.ndarray, np.ndarray, int], counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw relative weights per resample, without and with the noise column (the outcome is the last column, the
    noise the one before it). A pairwise-complete correlation depends on its two columns alone, so the model
    without the noise takes its correlations from the same matrix."""
    r = _correlations(sums, counts)
    q = sums[2]
    keep = np.r_[np.arange(q - 2), q - 1]
    return _relative(r[:, keep][:, :, keep]), _relative(r)


def _relative(r: np.ndarray) -> np.ndarray:
    good = np.isfinite(r).all(axis=(1, 2))
    out = np.full((len(r), r.shape[1] - 1), np.nan)
    if good.any():
        out[good] = stats.relative_weights_many(r[good])
    return out


def _bootstrap(sums: tuple[np.ndarray, np.ndarray, int], resamples: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    rows = len(sums[0])
    plain, noisy = [], []
    for start in range(0, resamples, _BATCH):
        b = min(_BATCH, resamples - start)
        # how often each row is drawn in each resample (32-bit draws, offset by resample: half the time of 64-bit)
        kind = np.int32 if b * rows < 2**31 else np.int64
        draws = rng.integers(0, rows, size=(b, rows), dtype=kind)
        draws += (np.arange(b, dtype=kind) * rows)[:, None]
        counts = np.bincount(draws.ravel(), minlength=b * rows).reshape(b, rows)
        got = _weights(sums, counts.astype("float64"))
        plain.append(got[0])
        noisy.append(got[1])
    return np.vstack(plain), np.vstack(noisy)


def _ranks(boot: np.ndarray) -> np.ndarray:
    """Per statement: 1 + how many statements' weights are reliably above its own (2.5th percentile of the
    bootstrap difference above zero)."""
    diff = boot[:, :, None] - boot[:, None, :]  # [b, k, j]: weight k minus weight j
    above = np.nanpercentile(diff, 2.5, axis=0) > 0
    return 1 + above.sum(axis=0)


def relative_importance(s: Summary, resamples: int = BOOTSTRAP) -> Drivers | None:
    """Relative weights of the statements for the recommend question over the released rows; None when the view
    lacks eNPS, two statements that are not hidden, or :data:`MIN_ROWS` people who answered the recommend question
    and each statement. Cached per view (the same released answers give the same result without recomputing)."""
    e = s.employee
    if e is None or s.employee_view is None or s.enps is None:
        return None
    items = [i for i in e.items if i.key not in s.employee_view.hidden]  # a hidden statement is used by nothing
    if len(items) < 2:
        return None
    frame = e.frame.loc[s.employee_view.mask]
    data = frame[[i.key for i in items] + ["recommend"]].to_numpy(dtype="float64")
    used = ~np.isnan(data[:, -1]) & (~np.isnan(data[:, :-1])).any(axis=1)
    data = data[used]
    answered = (~np.isnan(data[:, :-1])).sum(axis=0)
    if len(data) < MIN_ROWS or answered.min() < MIN_ROWS:
        return None
    labels = tuple(i.label for i in items)
    key = hashlib.sha1(data.tobytes() + repr((labels, resamples, data.shape)).encode()).hexdigest()
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _compute(data, labels, answered, resamples)
    rows = np.zeros(len(e.frame), dtype=bool)
    rows[np.flatnonzero(s.employee_view.mask)[used]] = True  # released through lib.privacy with the rows it used
    return surfaces.figure(e, _CACHE[key], "drivers", "total", rows, s.settings.min_group)


def _compute(data: np.ndarray, labels: tuple[str, ...], answered: np.ndarray, resamples: int) -> Drivers:
    noise = np.random.default_rng(SEED + 1).standard_normal(len(data))
    values = np.column_stack([data[:, :-1], noise, data[:, -1]])
    present = ~np.isnan(values)
    values = np.where(present, values, 0.0)
    ones = np.ones((1, len(values)))
    sums = _sums(values, present)
    raw, noisy = (w[0] for w in _weights(sums, ones))
    boot, boot_noisy = _bootstrap(sums, resamples)
    r2 = float(raw.sum())
    order = np.argsort(-raw, kind="stable")
    low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0)
    outside = ~np.array([stats.contains((lo, hi), w) for lo, hi, w in zip(low, high, raw)])
    low[outside], high[outside] = np.nan, np.nan  # an interval that does not hold its weight is not shown
    versus = boot_noisy[:, :-1] - boot_noisy[:, [-1]]
    r_low, r_high = np.nanpercentile(versus, [2.5, 97.5], axis=0)
    gaps = boot[:, order[:-1]] - boot[:, order[1:]]
    g_low, g_high = np.nanpercentile(gaps, [2.5, 97.5], axis=0)
    tied = [bool(lo <= 0 <= hi) for lo, hi in zip(g_low, g_high)]
    table = pd.DataFrame({
        "statement": [labels[j] for j in order], "weight": raw[order],
        "share": 100 * raw[order] / r2 if r2 > 0 else np.zeros(len(order)),
        "low": low[order], "high": high[order], "answered": answered[order].astype(int),
        "rank": np.maximum.accumulate(_ranks(boot)[order]), "tied_with_next": [*tied, False],
        "gap_low": [*g_low, np.nan], "gap_high": [*g_high, np.nan],
        "random_low": r_low[order], "random_high": r_high[order], "beats_random": r_low[order] > 0,
    })
    return Drivers(table, r2, len(data), resamples, float(noisy[-1]))
