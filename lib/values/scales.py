"""Answer values: turning what a cell holds into a number on a known scale.

Works on whole columns: labels are looked up once per distinct value (through a
categorical), never once per row, so a million answers cost a handful of lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.values.scale_library import LABEL_SCALES, LabelScale
from lib.values.vocab import BLANK_MARKS, MISSING_ANSWERS, NUMERIC_SCALES, missing_kind, normalize, visible

# "10 - Extremely likely", "5. Strongly agree", "1 = Instämmer inte alls", "3,5"
# but never a period such as "2025 Q1", "2024 H2", "2025 K1" (a wave's name) or "2024-W11"
_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)(?![-\s]*[A-Za-z]{1,2}\d{1,2}\s*$)\s*(?:$|[-–—=:.)]\s*\D.*$|\s+\D.*$)")


@dataclass(frozen=True)
class Scale:
    """The answer scale of a column: points ``low..high`` and, for labels, which label set.

    ``aliases`` are labels read as another (a typo matched to a known label), as
    (text as written, point) pairs. ``codes`` are numbers that mean no answer in this
    column (9 = "don't know" after a 1–5 scale), as (number, why) pairs: they count as
    non-answers, never as points.
    """

    low: int
    high: int
    labels: str | None = None  # key of the LabelScale, or None for numbers
    aliases: tuple[tuple[str, int], ...] = ()
    codes: tuple[tuple[float, str], ...] = ()

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
    coded: dict[str, np.ndarray] = field(default_factory=dict)  # why → rows whose answer means no answer (a label or code)


def distinct(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes per row, distinct values) of a column; code −1 marks a null cell."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def parse_number(value: object) -> float | None:
    """A number from a cell: 7, "7", "7,0", "10 - Extremely likely"; None when there is none."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return None if np.isnan(value) else float(value)
    m = _LEADING_NUMBER.match(visible(str(value)))
    if not m:
        return None
    return float(m.group(1).replace(",", "."))


def _lookup_table(scale: Scale | None) -> dict[str, int]:
    if scale is None or scale.labels is None:
        return {}
    return {**next(s.table() for s in LABEL_SCALES if s.key == scale.labels),
            **{normalize(text): point for text, point in scale.aliases}}


def parse_scale(text: str) -> Scale:
    """A scale written by a person: "1-4", "0–10", "1 to 7"; ValueError when it is not one.

    >>> parse_scale("1-4"), parse_scale(" 0 – 10 ")
    (Scale(low=1, high=4, labels=None, aliases=(), codes=()), Scale(low=0, high=10, labels=None, aliases=(), codes=()))
    """
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:-|–|—|to|\.\.)\s*(\d{1,2})\s*", str(text))
    if not m or int(m.group(1)) >= int(m.group(2)) or int(m.group(1)) > 1:
        raise ValueError(text)
    return Scale(int(m.group(1)), int(m.group(2)))


def typo_matches(texts: list[str], scale: LabelScale, cutoff: float = 80.0) -> dict[str, str]:
    """Texts that are no label of ``scale`` but close to one (edit distance, rapidfuzz): {text: label}.

    >>> typo_matches(["Aagree", "Disgree", "Agree", "Banana"], LABEL_SCALES[0])
    {'Aagree': 'Agree', 'Disgree': 'Disagree'}
    """
    from rapidfuzz import fuzz, process

    table = scale.table()
    labels = [label for labels in scale.points for label in labels]
    out = {}
    for text in texts:
        key = normalize(text)
        if key in table or key in MISSING_ANSWERS or parse_number(key) is not None:
            continue
        same = [lab for lab in labels if _same_negations(key, normalize(lab))]
        best = process.extractOne(key, [normalize(lab) for lab in same], scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is not None:
            out[text] = same[best[2]]
    return out


#: Words that turn an answer into its opposite: a typo never adds or drops one ("Instämmer delvis inte" is not a
#: misspelt "Instämmer delvis"); a misspelt one ("inet", "nevr", "aldig") or one run into the next word ("intealls")
#: is still there.
NEGATIONS = ("not", "no", "never", "inte", "ej", "icke", "aldrig", "ei", "n't")


def _has(words: list[str], text: str, negation: str) -> bool:
    from rapidfuzz.distance import DamerauLevenshtein

    if negation == "n't":
        return "n't" in text or any(w.endswith("nt") and len(w) > 3 for w in words)
    if len(negation) < 4:
        return negation in words
    return negation in text or any(DamerauLevenshtein.distance(w, negation) <= 1 for w in words)


def _same_negations(text: str, label: str) -> bool:
    """Whether a text and a label have the same negation words (:data:`NEGATIONS`)."""
    tw, lw = re.findall(r"[\w']+", text), re.findall(r"[\w']+", label)
    return all(_has(tw, text, n) == _has(lw, label, n) for n in NEGATIONS)


def _numbered_missing(raw: object) -> str | None:
    """Why a numbered label means no answer ("9 - Don't know", "99 = Ej tillämpligt"), or None."""
    m = _NUMBER_THEN_TEXT.match(visible(str(raw)))
    return missing_kind(m.group(1)) if m else None


_NUMBER_THEN_TEXT = re.compile(r"^\s*[+-]?\d+\s*[-–—=:.)]?\s*(\D.*)$")


def _convert_numbers(series: pd.Series, codes_by_value: dict) -> Converted:
    """:func:`convert` for a column of numbers: the codes are missing, with their reason."""
    n = len(series)
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(values)
    coded: dict[str, np.ndarray] = {}
    for value, why in codes_by_value.items():
        if isinstance(value, float) and (hit := values == value).any():
            coded[why] = coded.get(why, np.zeros(n, dtype=bool)) | hit
    if coded:
        gone = np.logical_or.reduce(list(coded.values()))
        values, missing = np.where(gone, np.nan, values), missing | gone
    return Converted(values, missing, np.zeros(n, dtype=bool), coded=coded)


def _read_uniques(uniques: np.ndarray, table: dict[str, int], codes_by_value: dict
                  ) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """(number, is missing, why missing) of each distinct cell value: a label's point, a number, or no answer."""
    mapped = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype="float64", copy=True)
    is_missing = np.zeros(len(uniques), dtype=bool)
    why_of: dict[int, str] = {}
    for i in np.flatnonzero(np.isnan(mapped)):
        raw = uniques[i]
        if isinstance(raw, (pd.Timestamp, np.datetime64)):
            continue
        key = normalize(raw)
        why = None if key in BLANK_MARKS else (missing_kind(key) or "no answer") if key in MISSING_ANSWERS else \
            codes_by_value.get(key) if key in codes_by_value else None if key in table else _numbered_missing(raw)
        if key in table:
            mapped[i] = table[key]
        elif why is not None or key in MISSING_ANSWERS:
            is_missing[i] = True
            if key and why:
                why_of[i] = why
        elif (number := parse_number(raw)) is not None:
            mapped[i] = number
    for value, why in codes_by_value.items():
        if isinstance(value, float):
            for i in np.flatnonzero(mapped == value):
                mapped[i], is_missing[i], why_of[i] = np.nan, True, why
    return mapped, is_missing, why_of


def convert(series: pd.Series, scale: Scale | None = None) -> Converted:
    """Numbers for every row of ``series``: labels of ``scale`` map to their points,
    numbers (also as text or with a label after them) are kept, "don't know" and
    blanks are missing, the scale's codes (9 = "don't know", a placeholder text) are
    missing with their reason in ``coded``, anything else is unreadable. Range checks
    are the caller's. Each distinct value is read once, not each row.
    """
    codes_by_value = {(normalize(v) if isinstance(v, str) else float(v)): why for v, why in (scale.codes if scale else ())}
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return _convert_numbers(series, codes_by_value)
    codes, uniques = distinct(series)
    mapped, is_missing, why_of = _read_uniques(uniques, _lookup_table(scale), codes_by_value)
    null = codes < 0
    safe = np.where(null, 0, codes)
    values = np.where(null, np.nan, mapped[safe] if len(uniques) else np.nan)
    missing = null | (is_missing[safe] if len(uniques) else null)
    unreadable = ~missing & np.isnan(values)
    bad = uniques[np.isnan(mapped) & ~is_missing] if len(uniques) else uniques
    coded = {}
    for why in sorted(set(why_of.values())):
        hits = np.zeros(len(uniques) + 1, dtype=bool)
        hits[[i for i, w in why_of.items() if w == why]] = True
        coded[why] = hits[np.where(null, len(uniques), codes)]
    return Converted(values, missing, unreadable, tuple(str(v) for v in bad[:3]), coded)


def label_candidates(uniques: np.ndarray) -> tuple[list[LabelScale], int]:
    """Label sets that hold every distinct non-missing text value (allowing typos), and how many values are labels."""
    if len(uniques) > 60:  # no answer scale has that many labels
        return [], 0
    texts = [v for v in uniques if isinstance(v, str) and normalize(v) not in MISSING_ANSWERS and parse_number(v) is None]
    keys = {normalize(v) for v in texts}
    if not keys:
        return [], 0
    fits = [s for s in LABEL_SCALES if keys <= s.table().keys()]
    if not fits and len(keys) <= 12:  # a label or two with a typo ("Aagree"): close to one set, most labels exact
        for s in LABEL_SCALES:
            exact = keys & s.table().keys()
            if len(exact) >= 1 and len(keys) >= 2 and len(exact) >= 0.5 * len(keys) and \
                    len(typo_matches([t for t in texts if normalize(t) not in exact], s)) == len(keys - exact):
                fits.append(s)
    return fits, len(keys)


def numeric_scale(values: np.ndarray, share: float = 0.995) -> Scale | None:
    """The smallest standard scale (1–4, 1–5, 1–6, 1–7, 0–6, 0–10, 1–10) holding ``share`` of the whole numbers.

    A stray answer beyond the rest (a 7 among hundreds of 1–5 answers) does not
    widen the scale: it is outside it, and left out later under that reason.

    >>> numeric_scale(np.array([1, 2, 4, 4, 3.0])), numeric_scale(np.array([0, 3, 10.0]))
    (Scale(low=1, high=4, labels=None, aliases=(), codes=()), Scale(low=0, high=10, labels=None, aliases=(), codes=()))
    """
    v = values[~np.isnan(values)]
    if v.size == 0 or not np.all(v == np.round(v)):
        return None
    for low, high in NUMERIC_SCALES:
        inside = float(((v >= low) & (v <= high)).mean())
        if inside >= share and (low == 0) == bool((v == 0).any()):
            return Scale(low, high)
    return None


def favorable_points(scale: Scale) -> tuple[int, int]:
    """The points that count as favourable: the top two on scales of up to 7 points, the top three on
    10- and 11-point scales.

    >>> favorable_points(Scale(1, 5)), favorable_points(Scale(0, 10)), favorable_points(Scale(1, 10))
    ((4, 5), (8, 10), (8, 10))
    """
    return (scale.high - 2 if scale.points >= 10 else scale.high - 1), scale.high


def reverse(points: np.ndarray, low: float, high: float) -> np.ndarray:
    """Reverse-score a reverse-worded item: ``x' = low + high − x``."""
    return (low + high) - np.asarray(points, dtype="float64")
