"""Answer values: turning what a cell holds into a number on a known scale.

Works on whole columns: labels are looked up once per distinct value (through a
categorical), never once per row, so a million answers cost a handful of lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .vocab import LABEL_SCALES, MISSING_ANSWERS, NUMERIC_SCALES, LabelScale, normalize

# "10 - Extremely likely", "5. Strongly agree", "1 = Instämmer inte alls", "3,5"
_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:$|[-–—=:.)]\s*\D.*$|\s+\D.*$)")


@dataclass(frozen=True)
class Scale:
    """The answer scale of a column: points ``low..high`` and, for labels, which label set."""

    low: int
    high: int
    labels: str | None = None  # key of the LabelScale, or None for numbers

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    def __str__(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass
class Converted:
    """A column turned into numbers: NaN where there is no usable answer."""

    values: np.ndarray  # float64
    missing: np.ndarray  # bool: blank or a "don't know" answer
    unreadable: np.ndarray  # bool: something we could not read as an answer
    examples: tuple[str, ...] = ()  # a few of the unreadable values, for messages


def distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes per row, distinct values) of a column; code −1 marks a null cell."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def parse_number(value: object) -> float | None:
    """A number from a cell: 7, "7", "7,0", "10 - Extremely likely"; None when there is none."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return None if np.isnan(value) else float(value)
    m = _LEADING_NUMBER.match(str(value))
    if not m:
        return None
    return float(m.group(1).replace(",", "."))


def _lookup_table(scale: Scale | None) -> dict[str, int]:
    if scale is None or scale.labels is None:
        return {}
    return next(s.table() for s in LABEL_SCALES if s.key == scale.labels)


def convert(series: pd.Series, scale: Scale | None = None) -> Converted:
    """Numbers for every row of ``series``: labels of ``scale`` map to their points,
    numbers (also as text or with a label after them) are kept, "don't know" and
    blanks are missing, anything else is unreadable. Range checks are the caller's.
    """
    n = len(series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values)
        return Converted(values, missing, np.zeros(n, dtype=bool))
    codes, uniques = distinct(series)
    table = _lookup_table(scale)
    mapped = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype="float64", copy=True)
    is_missing = np.zeros(len(uniques), dtype=bool)
    for i in np.flatnonzero(np.isnan(mapped)):
        raw = uniques[i]
        if isinstance(raw, (pd.Timestamp, np.datetime64)):
            continue
        key = normalize(raw)
        if key in table:
            mapped[i] = table[key]
        elif key in MISSING_ANSWERS:
            is_missing[i] = True
        else:
            number = parse_number(raw)
            if number is not None:
                mapped[i] = number
    null = codes < 0
    safe = np.where(null, 0, codes)
    values = np.where(null, np.nan, mapped[safe] if len(uniques) else np.nan)
    missing = null | (is_missing[safe] if len(uniques) else null)
    unreadable = ~missing & np.isnan(values)
    bad = uniques[np.isnan(mapped) & ~is_missing] if len(uniques) else uniques
    return Converted(values, missing, unreadable, tuple(str(v) for v in bad[:3]))


def label_candidates(uniques: np.ndarray) -> tuple[list[LabelScale], int]:
    """Label sets that hold every distinct non-missing text value, and how many values are labels."""
    if len(uniques) > 60:  # no answer scale has that many labels
        return [], 0
    keys = {normalize(v) for v in uniques if isinstance(v, str)} - MISSING_ANSWERS
    keys = {k for k in keys if parse_number(k) is None}
    if not keys:
        return [], 0
    fits = [s for s in LABEL_SCALES if keys <= s.table().keys()]
    return fits, len(keys)


def numeric_scale(values: np.ndarray) -> Scale | None:
    """The standard scale (1–5, 1–7, 0–6, 1–10) that whole numbers in ``values`` fit, if any."""
    v = values[~np.isnan(values)]
    if v.size == 0 or not np.all(v == np.round(v)):
        return None
    lo, hi = v.min(), v.max()
    for low, high in NUMERIC_SCALES:
        if lo >= low and hi <= high and not (low == 1 and lo == 0):
            if (low, high) == (0, 6) and lo != 0:
                continue
            return Scale(low, high)
    return None


def favorable_points(scale: Scale) -> tuple[int, int]:
    """The top two points of a scale: what counts as a favourable answer."""
    return scale.high - 1, scale.high
