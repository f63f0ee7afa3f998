"""Column roles: which column is the department, the date, the NPS question, a Likert item…

Each column gets one role and a reason a person can read ("header names a
department"). Detection looks at the header (in English, Swedish and Finnish,
see :mod:`lib.vocab`) and at a sample of the values; every role can be
overridden by column name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .dates import looks_like_dates
from .errors import ColumnError, OptionError
from .i18n import Msg, msg
from .reading import Table
from .scales import Scale, convert, distinct, label_candidates, numeric_scale
from .vocab import (
    COMMENT_WORDS, DATE_WORDS, DEPARTMENT_QUESTIONS, DEPARTMENT_WORDS, ID_WORDS,
    KNOWN_STATUS_TEXT, LABEL_SCALES, METADATA_PATTERNS, METADATA_WORDS, NPS_GROUP, NPS_GROUP_VALUES,
    RECOMMEND, STATUS_WORDS, WORKPLACE, header_words, normalize,
)

ROLES: tuple[str, ...] = (
    "department", "date", "id", "nps", "enps", "item", "reverse-item", "comment", "segment", "status", "ignore",
)
SINGLE_ROLES: tuple[str, ...] = ("department", "date", "id", "nps", "enps", "status")
KINDS: tuple[str, ...] = ("customer", "employee")
SAMPLE_ROWS = 5000


@dataclass(frozen=True)
class ColumnRole:
    """A column's role, why, and (for answers on a scale) its scale."""

    name: str
    role: str
    reason: Msg
    label: str
    code: str | None = None
    scale: Scale | None = None
    overridden: bool = False


@dataclass(frozen=True)
class Detection:
    """The roles of every column in one file, and whether it is a customer or employee survey."""

    kind: str
    kind_reason: Msg
    columns: tuple[ColumnRole, ...]

    def one(self, role: str) -> ColumnRole | None:
        return next((c for c in self.columns if c.role == role), None)

    def all(self, *roles: str) -> list[ColumnRole]:
        return [c for c in self.columns if c.role in roles]

    def by_name(self, name: str) -> ColumnRole:
        return next(c for c in self.columns if c.name == name)


@dataclass
class _Profile:
    name: str
    words: str
    code: str | None
    label: str
    filled: int
    uniques: np.ndarray
    numbers: np.ndarray  # converted numeric values of the sample (NaN where none)
    number_share: float  # share of answered cells that read as numbers
    label_fits: list = field(default_factory=list)
    label_count: int = 0
    date_share: float = 0.0
    text_length: float = 0.0
    open_ended: bool = False

    @property
    def distinct(self) -> int:
        return len(self.uniques)


def _profile(series: pd.Series, name: str, code: str | None, label: str, open_ended: bool) -> _Profile:
    s = series.iloc[:SAMPLE_ROWS]
    conv = convert(s)
    answered = ~conv.missing
    n_answered = int(answered.sum())
    numbers = np.where(answered, conv.values, np.nan)
    share = float((~np.isnan(numbers)).sum() / n_answered) if n_answered else 0.0
    _, uniques = distinct(s.dropna())
    fits, count = label_candidates(uniques)
    words = header_words(name)
    p = _Profile(name, words, code, label, n_answered, uniques, numbers, share, fits, count, open_ended=open_ended)
    if n_answered and share < 0.5 and not fits:
        p.date_share = looks_like_dates(s)
        text = s.dropna().astype(str)
        p.text_length = float(text.str.len().mean()) if len(text) else 0.0
    elif n_answered and share >= 0.5:
        p.date_share = looks_like_dates(s) if pd.api.types.is_datetime64_any_dtype(s.dtype) or _date_word(p) else 0.0
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        p.date_share = 1.0
    return p


def _keys(p: _Profile) -> list[str]:
    keys = [p.words]
    if p.code:
        keys.append(header_words(p.code))
    if p.label and p.label != p.name:
        keys.append(header_words(p.label))
    return keys


def _date_word(p: _Profile) -> int:
    return max((DATE_WORDS.get(k, 0) for k in _keys(p)), default=0)


def _department_score(p: _Profile) -> float:
    best = 0.0
    for key in _keys(p):
        if key in DEPARTMENT_WORDS:
            best = max(best, DEPARTMENT_WORDS[key])
            continue
        words = key.split()
        if 0 < len(words) <= 4:
            for word, score in DEPARTMENT_WORDS.items():
                if re.search(rf"(^|\s|/){re.escape(word)}($|\s|/)", key):
                    best = max(best, score - 0.5)
        for pattern, score in DEPARTMENT_QUESTIONS:
            if re.search(pattern, key, re.IGNORECASE):
                best = max(best, score - 0.25)
    return best


def _is_categorical(p: _Profile) -> bool:
    return p.filled > 0 and p.distinct >= 1 and (p.distinct <= 60 or p.distinct <= 0.2 * p.filled)


def _is_metadata(p: _Profile) -> bool:
    return any(k in METADATA_WORDS for k in _keys(p)) or bool(METADATA_PATTERNS.search(p.words))


def _status_values(p: _Profile) -> bool:
    vals = {normalize(v) for v in p.uniques}
    if vals and vals <= KNOWN_STATUS_TEXT:
        return True
    nums = p.numbers[~np.isnan(p.numbers)]
    return p.number_share == 1.0 and nums.size > 0 and bool(np.all(nums == np.round(nums))) and nums.max() < 64


def _nps_like(p: _Profile) -> tuple[bool, bool]:
    """(answers 0–10, looks like SurveyMonkey position codes 1–11).

    Nine in ten answers must fit, so a few out-of-range scores do not hide the
    column: they are left out later, counted under their reason.
    """
    if p.number_share < 0.9:
        return False, False
    v = p.numbers[~np.isnan(p.numbers)]
    if v.size == 0:
        return False, False
    whole = v == np.round(v)
    in_range = whole & (v >= 0) & (v <= 10)
    if in_range.mean() >= 0.9 and not (v.max() == 11 and v.min() >= 1 and whole.all()):
        # A recommend question on a 1–5 scale is not NPS.
        return not (v.size >= 20 and v[in_range].max() <= 5), False
    return False, bool(whole.all() and v.min() >= 1 and v.max() == 11)


def _item_scale(p: _Profile) -> tuple[Scale | None, Msg | None]:
    if p.label_fits and p.label_count >= 2 and p.number_share < 0.5:
        s = p.label_fits[0]
        return Scale(s.low, s.high, s.key), msg("answers are {scale} labels such as “{example}”", scale=f"{s.low}–{s.high}",
                                                  example=next(str(u) for u in p.uniques if isinstance(u, str)))
    if p.number_share >= 0.95 and p.filled:
        sc = numeric_scale(p.numbers)
        if sc is not None:
            v = p.numbers[~np.isnan(p.numbers)]
            if np.unique(v).size >= 2:
                return sc, msg("answers are whole numbers from {low} to {high}, a {scale} scale",
                               low=int(v.min()), high=int(v.max()), scale=str(sc))
    return None, None


def _vote_label_scales(profiles: list[_Profile]) -> None:
    """Pick one label set per column, preferring the set most item columns fit.

    A Finnish 5-point column where nobody chose the midpoint also fits the
    4-point set; the vote keeps the survey's columns on one scale.
    """
    votes: Counter[str] = Counter()
    for p in profiles:
        for s in p.label_fits:
            votes[s.key] += 1
    order = {s.key: i for i, s in enumerate(LABEL_SCALES)}
    for p in profiles:
        if len(p.label_fits) > 1:
            p.label_fits.sort(key=lambda s: (-votes[s.key], order[s.key]))


def detect_roles(table: Table, kind: str | None = None) -> Detection:
    """Guess every column's role in ``table``; ``kind`` ("customer"/"employee") if known."""
    if kind is not None and kind not in KINDS:
        raise OptionError(msg("The survey kind must be “customer” or “employee”, not “{kind}”.", kind=kind))
    layout = table.layout
    index = {n: i for i, n in enumerate(layout.names)}
    profiles = []
    for name in table.frame.columns:
        i = index.get(name, -1)
        code = layout.codes[i] if i >= 0 else None
        label = layout.labels[i] if i >= 0 else name
        opened = layout.open_ended[i] if 0 <= i < len(layout.open_ended) else False
        profiles.append(_profile(table.frame[name], name, code, label, opened))
    _vote_label_scales(profiles)

    roles: dict[str, tuple[str, Msg, Scale | None]] = {}
    taken: dict[str, str] = {}

    def assign(p: _Profile, role: str, reason: Msg, scale: Scale | None = None) -> None:
        roles[p.name] = (role, reason, scale)
        if role in SINGLE_ROLES:
            taken[role] = p.name

    # 1. companions and metadata
    for p in profiles:
        if NPS_GROUP.search(p.name) or (p.code and NPS_GROUP.search(p.code)) or (
            p.distinct and {normalize(v) for v in p.uniques} <= NPS_GROUP_VALUES
        ):
            assign(p, "ignore", msg("the Promoter/Passive/Detractor group of the NPS question, not a second NPS"))
        elif any(k in STATUS_WORDS for k in _keys(p)) and _status_values(p) and "status" not in taken:
            assign(p, "status", msg("survey-tool status column: preview, test and spam responses are left out"))
    # 2. dates
    dated = [p for p in profiles if p.name not in roles and p.date_share >= 0.8]
    dated.sort(key=lambda p: -_date_word(p))
    for p in dated:
        if "date" not in taken:
            why = msg("header “{header}” names a date and the values read as dates", header=p.label) if _date_word(p) else msg(
                "values read as dates")
            assign(p, "date", why)
        else:
            assign(p, "ignore", msg("another date column; “{other}” is used as the response date", other=taken["date"]))
    # 3. metadata (after dates: "Start time" is both)
    for p in profiles:
        if p.name not in roles and _is_metadata(p):
            assign(p, "ignore", msg("survey-tool metadata (not an answer)"))
    # 4. respondent id
    for p in profiles:
        if p.name in roles or "id" in taken:
            continue
        if any(k in ID_WORDS for k in _keys(p)) and p.filled and p.distinct >= 0.95 * min(p.filled, SAMPLE_ROWS):
            assign(p, "id", msg("header “{header}” names a respondent id and the values are unique", header=p.label))
    # 5. NPS / eNPS
    nps_kind: list[tuple[_Profile, str, Msg, Scale]] = []
    for p in profiles:
        if p.name in roles or not any(RECOMMEND.search(k) for k in [p.name, p.label, p.code or ""]):
            continue
        fits, positions = _nps_like(p)
        if not (fits or positions):
            if p.filled:
                assign(p, "ignore", msg("asks about recommending, but the answers are not on a 0–10 scale"))
            continue
        workplace = any(WORKPLACE.search(k) for k in [p.name, p.label, p.code or ""])
        role = "enps" if workplace or kind == "employee" else "nps"
        why = (msg("a recommend question about the workplace with answers from 0 to 10") if workplace
               else msg("a recommend question in an employee survey with answers from 0 to 10") if role == "enps"
               else msg("a recommend question with answers from 0 to 10"))
        if positions:
            why = msg("a recommend question whose answers run 1–11: read as SurveyMonkey positions, 1 = 0 … 11 = 10")
        nps_kind.append((p, role, why, Scale(1, 11) if positions else Scale(0, 10)))
    for p, role, why, scale in nps_kind:
        if role not in taken:
            assign(p, role, why, scale)
        else:
            assign(p, "ignore", msg("a second recommend question; “{other}” is used", other=taken[role]))
    # 6. department
    candidates = []
    for p in profiles:
        if p.name in roles:
            continue
        score = _department_score(p)
        if score > 0 and _is_categorical(p) and p.number_share < 0.5 and not p.label_fits:
            candidates.append((score, -profiles.index(p), p))
    candidates.sort(key=lambda t: (t[0], t[1]), reverse=True)
    for score, _, p in candidates:
        if "department" not in taken:
            assign(p, "department", msg("header “{header}” names a department or unit, with {n} different values",
                                        header=p.label, n=p.distinct))
        else:
            assign(p, "segment", msg("another grouping column ({n} values); “{other}” is the department",
                                     n=p.distinct, other=taken["department"]))
    # 7. Likert items
    for p in profiles:
        if p.name in roles:
            continue
        scale, why = _item_scale(p)
        if scale is not None and why is not None:
            assign(p, "item", msg("Likert statement: {why}", why=why), scale)
    # 8. comments and segments
    for p in profiles:
        if p.name in roles:
            continue
        if not p.filled:
            assign(p, "ignore", msg("no answers in this column"))
        elif p.number_share < 0.5 and (p.open_ended or p.text_length >= 25 or (p.code or "").upper().endswith("_TEXT") or (
                COMMENT_WORDS.search(p.label) and (p.distinct > 0.5 * p.filled or p.filled < 20))):
            assign(p, "comment", msg("free-text answers (about {n} characters on average)", n=int(round(p.text_length))))
        elif _is_categorical(p) and 2 <= p.distinct <= 30:
            assign(p, "segment", msg("a grouping column with {n} different values", n=p.distinct))
        else:
            assign(p, "ignore", msg("not used: values are neither answers on a scale nor a grouping"))

    items = [p for p in profiles if roles[p.name][0] == "item"]
    if kind is None:
        if "enps" in taken or (len(items) >= 3 and "nps" not in taken):
            kind, kind_reason = "employee", msg("looks like an employee survey: {n} engagement statements", n=len(items))
            if "enps" in taken:
                kind_reason = msg("looks like an employee survey: it asks about recommending the workplace")
        else:
            kind, kind_reason = "customer", msg("looks like a customer survey: it has a recommend question and few statements")
    else:
        kind_reason = msg("chosen by you")
    if kind == "employee" and "nps" in taken and "enps" not in taken:
        name = taken.pop("nps")
        roles[name] = ("enps", msg("a recommend question in an employee survey with answers from 0 to 10"), roles[name][2])
        taken["enps"] = name
    cols = []
    for p in profiles:
        role, reason, scale = roles[p.name]
        cols.append(ColumnRole(p.name, role, reason, p.label, p.code, scale))
    return Detection(kind, kind_reason, tuple(cols))


def detect_reverse_items(items: np.ndarray, names: list[str], min_rows: int = 20) -> dict[str, float]:
    """Items whose answers run against the rest: corrected item–total r below −0.2.

    ``items`` holds rescaled (0–100) answers, respondents × items. Returns
    ``{name: r}`` for the items that look reverse-worded.
    """
    out: dict[str, float] = {}
    k = items.shape[1]
    if k < 3:
        return out
    for j in range(k):
        others = np.delete(items, j, axis=1)
        rest = np.nanmean(others, axis=1) if others.size else np.array([])
        ok = ~np.isnan(items[:, j]) & ~np.isnan(rest)
        if ok.sum() < min_rows or np.ptp(items[ok, j]) == 0 or np.ptp(rest[ok]) == 0:
            continue
        r = float(np.corrcoef(items[ok, j], rest[ok])[0, 1])
        if r < -0.2:
            out[names[j]] = r
    return out


def find_column(detection: Detection, name: str) -> ColumnRole:
    """The column called ``name`` (or with that export tag), ignoring case and spacing."""
    key = normalize(name)
    for c in detection.columns:
        if normalize(c.name) == key or (c.code and normalize(c.code) == key):
            return c
    for c in detection.columns:
        if normalize(c.label) == key:
            return c
    raise ColumnError(
        msg("There is no column “{name}”; use one of: {names}.", name=name,
            names=", ".join(f"“{c.name}”" for c in detection.columns[:12]) + (" …" if len(detection.columns) > 12 else ""))
    )


def apply_overrides(detection: Detection, table: Table, overrides: dict[str, str] | None = None,
                    kind: str | None = None) -> Detection:
    """Set roles by column name (``{"Avdelning": "department", "Q7": "reverse-item"}``)."""
    cols = list(detection.columns)
    if kind is not None and kind != detection.kind:
        if kind not in KINDS:
            raise OptionError(msg("The survey kind must be “customer” or “employee”, not “{kind}”.", kind=kind))
        swap = {"nps": "enps"} if kind == "employee" else {"enps": "nps"}
        cols = [replace(c, role=swap.get(c.role, c.role)) for c in cols]
        detection = Detection(kind, msg("chosen by you"), tuple(cols))
    for name, role in (overrides or {}).items():
        if role not in ROLES:
            raise OptionError(msg("“{role}” is not a column role; use one of: {roles}.", role=role, roles=", ".join(ROLES)))
        target = find_column(Detection(detection.kind, detection.kind_reason, tuple(cols)), name)
        scale = target.scale
        if role in ("item", "reverse-item") and (scale is None or target.role in ("nps", "enps")):
            p = _profile(table.frame[target.name], target.name, target.code, target.label, False)
            scale, _ = _item_scale(p)
            if scale is None:
                raise ColumnError(msg("The column “{name}” has no answers on a Likert scale we know, so it cannot be a statement.",
                                      name=target.name))
        if role in ("nps", "enps"):
            p = _profile(table.frame[target.name], target.name, target.code, target.label, False)
            fits, positions = _nps_like(p)
            if not (fits or positions or p.filled == 0):
                raise ColumnError(msg("The column “{name}” does not hold answers from 0 to 10, so it cannot be the {role} question.",
                                      name=target.name, role=role.upper() if role == "nps" else "eNPS"))
            scale = Scale(1, 11) if positions else Scale(0, 10)
        if role in SINGLE_ROLES:
            cols = [replace(c, role="ignore", reason=msg("replaced by your choice of “{other}”", other=target.name))
                    if c.role == role and c.name != target.name else c for c in cols]
        cols = [replace(c, role=role, reason=msg("set by you"), scale=scale, overridden=True) if c.name == target.name else c
                for c in cols]
    return Detection(detection.kind, detection.kind_reason, tuple(cols))
