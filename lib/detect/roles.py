"""Column roles: which column is the department, the date, the NPS question, a Likert item…

Each column gets one role and a reason a person can read ("header names a
department"). Detection looks at the header (in English, Swedish and Finnish,
see :mod:`lib.values.vocab`) and at a sample of the values; every role can be
overridden by column name.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field, replace
from collections.abc import Iterable

import numpy as np
import pandas as pd

from lib.values.dates import looks_like_dates
from lib.errors import ColumnError, OptionError
from lib.i18n import Msg, msg, msg_n
from lib.read.table import Table
from lib.values.questions import looks_like_question
from lib.values.headertext import statement, stems
from lib.values.scale_library import (
    KNOWN_CODES, LABEL_FAMILIES, LABEL_SCALES, LAYOUT_VENDORS, VENDORS, LabelScale, points_into, unused_points,
)
from lib.values.scales import Scale, convert, distinct, label_candidates, numeric_scale, parse_number, parse_scale, typo_matches
from lib.values.vocab import (
    AGREE_HEADER, ATTITUDE_WORDS, COMMENT_ASKS, COMMENT_WORDS, DATE_WORDS, DECLARED_SCALE, DEPARTMENT_QUESTIONS, DEPARTMENT_WORDS,
    CUSTOMER_CUES, FACT_WORDS, FIRST_PERSON, ID_WORDS, KNOWN_STATUS_TEXT, LEVEL_WORDS, MISSING_ANSWERS, METADATA_PATTERNS,
    METADATA_WORDS, NEGATIVE_WORDING, NPS_GROUP, NPS_GROUP_VALUES, PERSONAL_DATES, PULSE, RATING_QUESTION, RECOMMEND, SCORE_WORDS,
    STATUS_WORDS, UNIT_WORDS, WORK_WORDS, WORKPLACE, header_words, missing_kind, normalize, split_words,
)

ROLES: tuple[str, ...] = (
    "department", "level", "date", "id", "nps", "enps", "item", "reverse-item", "score", "pulse", "comment", "segment",
    "status", "ignore",
)
#: What each role is called where a person sees it (the command line takes the codes).
ROLE_NAMES: dict[str, Msg] = {
    "department": msg("department or unit"), "level": msg("higher unit (division, region…)"),
    "date": msg("response date"), "id": msg("respondent id"),
    "nps": msg("NPS question (customers)"), "enps": msg("eNPS question (employees)"), "item": msg("statement"),
    "reverse-item": msg("statement, reverse-worded"), "score": msg("engagement score"), "pulse": msg("pulse question"),
    "comment": msg("comment"), "segment": msg("segment (for filters)"), "status": msg("survey-tool status"),
    "ignore": msg("not used"),
}
SINGLE_ROLES: tuple[str, ...] = ("department", "date", "id", "nps", "enps", "score", "pulse", "status")
KINDS: tuple[str, ...] = ("customer", "employee")
SAMPLE_ROWS = 5000


@dataclass(frozen=True)
class ColumnRole:
    """A column's role, why, and (for answers on a scale) its scale.

    ``suggestion`` is a reading the user is asked to confirm (a statement that
    reads negatively worded), never applied on its own.
    """

    name: str
    role: str
    reason: Msg
    label: str
    code: str | None = None
    scale: Scale | None = None
    overridden: bool = False
    suggestion: Msg | None = None
    codes: tuple[tuple[float, str], ...] = ()  # numbers that mean "not given" in a unit column (99 = not given)


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
    codes: tuple[tuple[float | str, str], ...] = ()  # numbers (and placeholder texts) that mean no answer, with why
    code_reasons: dict = field(default_factory=dict)  # code → Msg saying why it was read as one
    rows: int = 0  # rows of the whole column (the sample may hold fewer)
    family_labels: set = field(default_factory=set)  # labels the file's statements of this column's family use
    file_labels: dict = field(default_factory=dict)  # family → labels the file's labelled statements use
    dictionary: tuple = ()  # (number, why, named) from the file's data dictionary (named: it names this column)
    vendor: str | None = None  # the survey tool the file's layout shows
    ambiguous: list = field(default_factory=list)  # two label sets that place its labels on different points

    @property
    def distinct(self) -> int:
        return len(self.uniques)


def _sample(series: pd.Series) -> pd.Series:
    """At most :data:`SAMPLE_ROWS` rows spread evenly over the whole column (its first and last row included), so a
    file sorted by wave or by answer shows detection all of its kinds of rows."""
    n = len(series)
    if n <= SAMPLE_ROWS:
        return series
    return series.iloc[np.linspace(0, n - 1, SAMPLE_ROWS).round().astype(np.int64)]


#: "(9 = don't know)", "99 - ej tillämpligt", "-1: prefer not to say" in a header.
_HEADER_CODE = re.compile(r"(?<![\w.])(-?\d{1,3})\s*(?:=|:|-|–)\s*([^,;()=\d][^,;()=]{0,40})")


def _header_codes(texts: list[str]) -> dict[float, str]:
    """Codes a header states for no answer, as {number: why}."""
    out: dict[float, str] = {}
    for text in texts:
        for m in _HEADER_CODE.finditer(text or ""):
            kind = missing_kind(m.group(2).strip(" .)"))
            if kind is not None:
                out[float(m.group(1))] = kind
    return out


def _structural_codes(values: np.ndarray) -> list[float]:
    """Numbers that stand far off the other answers and repeat: 9 or 99 above a 1–5 scale, −1 or −99 below it.

    A candidate is a number survey tools write for no answer (9, 99, 999, −1, −99…) or any negative number; it is a
    code when it lies outside the smallest usual scale of the other answers with at least one unused number between
    (9 after answers of 1–7 is; 9 after answers of 1–8 is not), appears at least twice, and is a minority.
    """
    v = values[~np.isnan(values)]
    if v.size < 10 or not np.all(v == np.round(v)):
        return []
    uniq, counts = np.unique(v, return_counts=True)
    cands = [(float(u), int(c)) for u, c in zip(uniq, counts) if (u in KNOWN_CODES or u < 0) and c <= 0.5 * v.size]
    cand_values = {u for u, _ in cands}
    rest = uniq[~np.isin(uniq, list(cand_values))]
    if rest.size < 3:
        return []
    scale = numeric_scale(v[~np.isin(v, list(cand_values))])
    if scale is None:
        return []
    out, top, bottom = [], float(rest.max()), float(rest.min())
    for u, _c in sorted(cands):
        if (u > scale.high and u >= top + 2) or (u < scale.low and u <= bottom - 1 and u < 0):
            out.append(u)
        elif u > top:
            top = u
    return out


def _placeholders(s: pd.Series, conv, numbers: np.ndarray) -> tuple[str, ...]:
    """Texts that hold a number's place in a number column (a publisher's "*redacted*"): at most two different
    texts, each repeated, in a column whose other answers are numbers."""
    bad = conv.unreadable
    n_numbers = int((~np.isnan(numbers)).sum())
    if not bad.any() or n_numbers < 5:
        return ()
    texts = s[bad].astype(str)
    counts = texts.value_counts()
    if label_candidates(np.array(counts.index, dtype=object))[0]:
        return ()  # answer labels among numbers ("Stämmer mycket dåligt", 2, 3, 4, …): a numbered middle, not a mask
    if len(counts) > 2 or (counts < 2).any() or n_numbers < 0.2 * (n_numbers + int(bad.sum())):
        return ()
    return tuple(str(t) for t in counts.index)


def _dictionary_codes(numbers: np.ndarray, dictionary: tuple, stated: dict[float, str]) -> dict[float, str]:
    """The data dictionary's codes a column holds: every one the dictionary lists for the column by name, and one it
    lists for every column when it lies outside the smallest usual scale of the column's other answers."""
    out = {float(v): why for v, why, named in dictionary if named and np.any(numbers == v)}
    loose = {float(v): why for v, why, named in dictionary if not named and float(v) not in out and np.any(numbers == v)}
    if loose:
        rest = numbers[~np.isnan(numbers) & ~np.isin(numbers, [*loose, *out, *stated])]
        scale = numeric_scale(rest) if rest.size else None
        out.update({v: why for v, why in loose.items() if scale is not None and not scale.low <= v <= scale.high})
    return out


def _profile(series: pd.Series, name: str, code: str | None, label: str, open_ended: bool, whole: bool = False,
             header_codes: dict[float, str] | None = None, dictionary: tuple = ()) -> _Profile:
    """What detection knows of a column: from a sample spread over it, or (``whole``) from every value."""
    s = series if whole else _sample(series)
    conv = convert(s)
    answered = ~conv.missing
    numbers = np.where(answered, conv.values, np.nan)
    placeholders = _placeholders(s, conv, numbers)
    if placeholders:
        answered &= ~conv.unreadable
    n_answered = int(answered.sum())
    codes: dict[float | str, str] = {t: "placeholder text" for t in placeholders}
    reasons: dict = {t: msg("a placeholder text in a column of numbers") for t in placeholders}
    stated = header_codes if header_codes is not None else _header_codes([name, label, code or ""])
    for value, kind in stated.items():
        if np.any(numbers == value):
            codes[value], reasons[value] = kind, msg("its header says so")
    for value, kind in _dictionary_codes(numbers, dictionary, stated).items():
        codes[value], reasons[value] = kind, msg("the file's data dictionary says so")
        stated = {**stated, value: kind}
    for value in _structural_codes(np.where(np.isin(numbers, list(stated)), np.nan, numbers)):
        codes[value], reasons[value] = "a code for no answer", msg(
            "it stands far off the other answers and repeats, as survey tools write a code for no answer")
    numeric_codes = [c for c in codes if isinstance(c, float)]
    if numeric_codes:
        gone = np.isin(numbers, numeric_codes)
        numbers = np.where(gone, np.nan, numbers)
        answered &= ~gone
        n_answered = int(answered.sum())
    share = float((~np.isnan(numbers)).sum() / n_answered) if n_answered else 0.0
    _, uniques = distinct(s[answered] if (placeholders or numeric_codes) else s.dropna())
    fits, count = label_candidates(uniques)
    words = header_words(name)
    p = _Profile(name, words, code, label, n_answered, uniques, numbers, share, fits, count, open_ended=open_ended,
                 codes=tuple(codes.items()), code_reasons=reasons, rows=len(series), dictionary=dictionary)
    if whole:
        return p
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


def _texts(p: _Profile) -> list[str]:
    """The header texts of a column: name, export tag and label, and their split words."""
    texts = [p.name, p.label, p.code or ""]
    return texts + [split_words(t) for t in texts if t]


def _says(p: _Profile, pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(t) for t in _texts(p) if t)


def _date_word(p: _Profile) -> int:
    return max((DATE_WORDS.get(k, 0) for k in _keys(p)), default=0)


def _department_score(p: _Profile) -> float:
    best = 0.0
    for key in _keys(p) + [split_words(p.name)]:
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
    words = split_words(p.label or p.name)
    if not best and UNIT_WORDS.search(words) and len(words.split()) <= 3 and not FACT_WORDS.search(words):
        best = 1.0
    return best


def _is_categorical(p: _Profile) -> bool:
    return p.filled > 0 and p.distinct >= 1 and (p.distinct <= 60 or p.distinct <= 0.2 * p.filled)


def _repeats(p: _Profile) -> bool:
    """Values that group rows: on average at least two rows per value."""
    return p.filled > 0 and p.distinct <= 0.5 * p.filled


def _is_metadata(p: _Profile) -> bool:
    return any(k in METADATA_WORDS for k in _keys(p)) or bool(METADATA_PATTERNS.search(p.words))


def _status_values(p: _Profile) -> bool:
    vals = {normalize(v) for v in p.uniques}
    if vals and vals <= KNOWN_STATUS_TEXT:
        return True
    nums = p.numbers[~np.isnan(p.numbers)]
    return p.number_share == 1.0 and nums.size > 0 and bool(np.all(nums == np.round(nums))) and nums.max() < 64


def _declared_scale(p: _Profile) -> Scale | None:
    """A scale the header states ("(1-10)", "1 - strongly disagree, 5 - strongly agree", "scale of 0-10")."""
    for text in (p.name, p.label, p.code or ""):
        m = DECLARED_SCALE.search(text or "")
        if m:
            return Scale(int(m.group(1)), int(m.group(2)))
    return None


def _whole_numbers(p: _Profile) -> np.ndarray:
    v = p.numbers[~np.isnan(p.numbers)]
    return v if v.size and np.all(v == np.round(v)) else np.zeros(0)


def _recommend_scale(p: _Profile) -> tuple[Scale | None, bool]:
    """(0–10 or 1–10 scale, SurveyMonkey 1–11 positions) of a recommend question, or (None, False).

    Nine in ten answers must fit, so a few out-of-range scores do not hide the
    column: they are left out later, counted under their reason. A column whose
    answers stay within 1–5 is an agree statement, not a recommend question,
    unless its header says 0–10.
    """
    if p.number_share < 0.9:
        return None, False
    v = p.numbers[~np.isnan(p.numbers)]
    if v.size == 0:
        return None, False
    whole = v == np.round(v)
    declared = _declared_scale(p)
    if whole.all() and v.min() >= 1 and v.max() == 11 and (declared is None or declared.high == 11):
        return Scale(1, 11), True
    in_range = whole & (v >= 0) & (v <= 10)
    if in_range.mean() < 0.9 or _two_values(v):
        return None, False
    if v[in_range].max() <= 5 and not (declared and declared.high in (10, 11)):
        return None, False
    if declared is not None and declared.high == 10:
        return Scale(declared.low, 10), False
    return (Scale(0, 10) if (v == 0).any() or v.size < 30 or _says_zero_to_ten(p) else Scale(1, 10)), False


#: Survey tools whose recommend question is always asked on 0–10 (docs/reading.md; VENDOR_NOTES).
ZERO_TO_TEN_VENDORS = frozenset({"Qualtrics", "SurveyMonkey"})


def _says_zero_to_ten(p: _Profile) -> bool:
    """Something beside the answers says 0–10: the file's layout is a tool that asks NPS on 0–10, or an answer carries
    a label of the end-labelled 0–10 set ("10 - Extremely likely", "0 - Not at all likely")."""
    if p.vendor in ZERO_TO_TEN_VENDORS:
        return True
    ends = next(s for s in LABEL_SCALES if s.key == "likely11").table()
    for u in p.uniques:
        m = _LABEL_AFTER_NUMBER.match(str(u)) if isinstance(u, str) else None
        if m and normalize(m.group(1)) in ends:
            return True
    return False


_LABEL_AFTER_NUMBER = re.compile(r"^\s*\d{1,2}\s*[-–—=:.)]?\s*(\D.*)$")


def _named_recommend_scale(p: _Profile) -> Scale | None:
    """The 0–10 scale of a column the user names as the recommend question where the answers alone would not say so
    (two different answers, or none above 5): nine in ten answers whole numbers from 0 to 10; None otherwise."""
    if p.number_share < 0.9:
        return None
    v = p.numbers[~np.isnan(p.numbers)]
    if v.size == 0 or (((v == np.round(v)) & (v >= 0) & (v <= 10)).mean() < 0.9):
        return None
    declared = _declared_scale(p)
    return Scale(declared.low, 10) if declared is not None and declared.high == 10 else Scale(0, 10)


def _two_values(v: np.ndarray) -> bool:
    """At most two different answers: a yes/no question (1/2, 0/1), never a rating."""
    return np.unique(v[~np.isnan(v)]).size <= 2


def _numbered_middle(p: _Profile) -> LabelScale | None:
    """The label set of a column whose two ends are named and whose middle points are numbers, as SKR's HME
    scale is printed: 1 “Stämmer mycket dåligt”, 2, 3, 4, 5 “Stämmer mycket bra”; None for any other column.

    The set is one whose first or last labels are the column's texts, with every number strictly between its
    ends; among several, the one with most points (an end named and 2–4 answered reads as five points).
    """
    if not p.label_fits or p.label_count not in (1, 2) or p.number_share >= 0.95:
        return None
    nums = p.numbers[~np.isnan(p.numbers)]
    if not nums.size or np.any(nums != np.round(nums)):
        return None
    texts = {normalize(u) for u in p.uniques if isinstance(u, str) and parse_number(u) is None} - MISSING_ANSWERS
    for s in sorted(p.label_fits, key=lambda s: -len(s.points)):
        table = s.table()
        if {table.get(t) for t in texts} <= {s.low, s.high} and s.low < nums.min() and nums.max() < s.high:
            return s
    return None


def _labelled(p: _Profile) -> bool:
    """Answers given as the labels of a known set (a few numbers among them allowed only as numbered middles)."""
    return bool(p.label_fits and ((p.label_count >= 2 and p.number_share < 0.5) or _numbered_middle(p) is not None))


def _nki_question(p: _Profile) -> str | None:
    """The code of SCB's NKI/NMI question this column asks, when its header asks one and its answers are whole
    numbers on 1–10 reaching above 7 (so a 1–5 statement that mentions an ideal is not taken for one)."""
    code = looks_like_question(p.label or p.name)
    if code is None or p.number_share < 0.95:
        return None
    v = _whole_numbers(p)
    return code if v.size and v.min() >= 1 and v.max() <= 10 and v.max() > 7 else None


def _item_scale(p: _Profile) -> tuple[Scale | None, Msg | None]:
    """The scale of a statement: from its label set, the scale its header states, or its numbers."""
    if _nki_question(p):
        return Scale(1, 10), msg("one of SCB's three NKI/NMI questions, answered on 1–10")
    middle = _numbered_middle(p)
    if middle is not None:
        return Scale(middle.low, middle.high, middle.key), msg(
            "answers are {scale}: “{first}” and “{last}” at the ends and numbers between them",
            scale=f"{middle.low}–{middle.high}", first=middle.points[0][0], last=middle.points[-1][0])
    if p.label_fits and p.number_share < 0.5 and (p.label_count >= 2 or len(p.family_labels) >= 2):
        # one label alone (a short wave where everybody chose the midpoint) is read on the set its siblings use
        s = p.label_fits[0]
        used = {normalize(u) for u in p.uniques if isinstance(u, str)} | p.family_labels
        return Scale(s.low, s.high, s.key), _label_reason(p, s, used)
    if p.number_share >= 0.95 and p.filled:
        declared = _declared_scale(p)
        if declared is not None:
            return declared, msg("answers are numbers on the {scale} scale its header states", scale=str(declared))
        v = _whole_numbers(p)
        sc = numeric_scale(p.numbers) if v.size else None
        if sc is not None and np.unique(v).size >= 3:
            return sc, msg("answers are whole numbers from {low} to {high}: read on the {scale} scale, the smallest "
                           "usual scale that holds them", low=int(v.min()), high=int(v.max()), scale=str(sc))
    return None, None


def _names_fact(p: _Profile) -> bool:
    """A short header (four words or fewer) that names an HR fact or a code."""
    label = p.label or p.name
    return len(split_words(label).split()) <= 4 and bool(FACT_WORDS.search(split_words(label)))


def _statement_like(p: _Profile) -> Msg | None:
    """Why numbers under this header are answers to a survey statement, or None.

    Labels of an agree, satisfaction or frequency set always are. Numbers are
    when the header states an agree scale, names an attitude (satisfaction,
    engagement, involvement, balance, happiness…) or is a first-person
    statement; never when a short header names an HR fact or a code (id, level,
    age, count, hours, salary…).
    """
    if _labelled(p):
        return msg("a statement")
    if _nki_question(p):
        return msg("its header asks an NKI/NMI question")
    if _names_fact(p):
        return None
    if _says(p, AGREE_HEADER):
        return msg("its header asks for agreement")
    if _says(p, ATTITUDE_WORDS):
        return msg("its header names an attitude")
    if FIRST_PERSON.search(p.label or p.name) and len(split_words(p.label).split()) >= 3:
        return msg("its header is a first-person statement")
    return None


def _vote_label_scales(profiles: list[_Profile], vendor: str | None = None) -> None:
    """Read every labelled statement of a family on one set: the one that holds most of the file's labels of that
    family, then the one with no point that no answer uses, then the set of the survey tool the file's layout shows
    (``vendor``), then the smaller set.

    A 5-point survey where nobody chose the midpoint in one statement still reads that statement on 5 points; a
    file whose statements use "Somewhat agree" among six other agree labels reads on 7 points, never folding it
    into "Agree"; Qualtrics's five "Strongly / Somewhat / Neither" labels read on their own 5-point set, not on 7.
    """
    used: dict[str, set[str]] = {}
    for p in profiles:
        if p.label_fits and p.label_count >= 2 and p.number_share < 0.5:
            for s in p.label_fits:
                fam = LABEL_FAMILIES.get(s.key, s.key)
                used.setdefault(fam, set()).update(normalize(u) for u in p.uniques if isinstance(u, str))
    order = {s.key: i for i, s in enumerate(LABEL_SCALES)}
    for p in profiles:
        if len(p.label_fits) > 1 and _numbered_middle(p) is None:
            def rank(s: LabelScale) -> tuple[int, int, int, int, int]:
                labels = used.get(LABEL_FAMILIES.get(s.key, s.key), set())
                holds = len(labels & s.table().keys())
                return (-holds, len(unused_points(s, labels)), int(vendor not in VENDORS.get(s.key, ())),
                        len(s.points), order[s.key])
            p.label_fits.sort(key=rank)
            p.label_fits = _unambiguous(p, p.label_fits, rank)
        if p.label_fits:
            p.family_labels = used.get(LABEL_FAMILIES.get(p.label_fits[0].key, ""), set())
        p.file_labels = used


def _unambiguous(p: _Profile, fits: list[LabelScale], rank) -> list[LabelScale]:
    """The ranked sets, or none when the best two tie on every rule but place one of the column's labels on different
    points ("Instämmer delvis" is 4 of 5 beside "Tar delvis avstånd" and 3 of 5 beside "Instämmer till stor del"): a
    label is never read on a point it may not have."""
    if len(fits) < 2 or rank(fits[0])[:4] != rank(fits[1])[:4]:
        return fits
    first, second = fits[0].table(), fits[1].table()
    keys = {normalize(u) for u in p.uniques if isinstance(u, str)}
    if any(first.get(k) != second.get(k) for k in keys if k in first and k in second):
        p.ambiguous = fits[:2]
        return []
    return fits


def _label_reason(p: _Profile, s: LabelScale, used: set[str]) -> Msg:
    """Why a labelled column is read on ``s``, naming the points no answer uses when there are any. The example
    labels are the set's own (its first and last labelled points, in scale order, in the wording that shares most
    words with the column's labels, so a Swedish file reads Swedish ends), never a value chosen because it was
    answered: the first value found is the first respondent's answer."""
    words = {w for u in p.uniques if isinstance(u, str) for w in normalize(u).split()}

    def wording(labels: tuple[str, ...]) -> str:  # the end's label in the column's wording (language), not its answer
        return max(labels, key=lambda label: len(words & set(normalize(label).split())))

    ends = [wording(labels) for labels in s.points if labels]
    example = "”, “".join(dict.fromkeys(ends[:1] + ends[-1:]))
    unused = unused_points(s, used)
    if not unused:
        return msg("answers are {scale} labels such as “{example}”", scale=f"{s.low}–{s.high}", example=example)
    return msg("answers are {scale} labels such as “{example}”; no answer in the file uses “{unused}”, read as points of "
               "this set because no set without them holds every label", scale=f"{s.low}–{s.high}", example=example,
               unused="”, “".join(unused))


class _Roles:
    """The roles assigned so far, and which single roles are taken."""

    def __init__(self, profiles: list[_Profile], kind: str | None, other_units: frozenset[str] = frozenset()) -> None:
        self.profiles = profiles
        self.kind = kind
        self.other_units = other_units  # the other survey's unit names, as keys
        self.roles: dict[str, tuple[str, Msg, Scale | None]] = {}
        self.taken: dict[str, str] = {}
        self.suggestions: dict[str, Msg] = {}
        self.unit_codes: dict[str, tuple[tuple[float, str], ...]] = {}

    def open(self) -> list[_Profile]:
        return [p for p in self.profiles if p.name not in self.roles]

    def assign(self, p: _Profile, role: str, reason: Msg, scale: Scale | None = None) -> None:
        self.roles[p.name] = (role, reason, scale)
        if role in SINGLE_ROLES:
            self.taken[role] = p.name


def _nps_group_values(p: _Profile) -> bool:
    """Values that are Promoter/Passive/Detractor groups; "Neutral" alone is an agreement answer as well."""
    values = {normalize(v) for v in p.uniques}
    return values <= NPS_GROUP_VALUES and values != {"neutral"}


def _pass_companions(r: _Roles) -> None:
    """NPS-group companions and the survey tool's status column."""
    for p in r.open():
        if NPS_GROUP.search(p.name) or (p.code and NPS_GROUP.search(p.code)) or (
            p.distinct and _nps_group_values(p)
        ):
            r.assign(p, "ignore", msg("the Promoter/Passive/Detractor group of the NPS question, not a second NPS"))
        elif any(k in STATUS_WORDS for k in _keys(p)) and _status_values(p) and "status" not in r.taken:
            r.assign(p, "status", msg("survey-tool status column: preview, test and spam responses are left out"))


def _pass_dates(r: _Roles) -> None:
    dated = sorted((p for p in r.open() if p.date_share >= 0.8), key=lambda p: -_date_word(p))
    for p in dated:
        if _says(p, PERSONAL_DATES):
            r.assign(p, "ignore", msg("a date about the person (such as birth or hire), not when they answered"))
        elif "date" not in r.taken:
            why = msg("header “{header}” names a date and the values read as dates", header=p.label) if _date_word(p) \
                else msg("values read as dates")
            r.assign(p, "date", why)
        else:
            r.assign(p, "ignore", msg("another date column; “{other}” is used as the response date", other=r.taken["date"]))


def _pass_metadata(r: _Roles) -> None:
    for p in r.open():
        if _is_metadata(p):
            r.assign(p, "ignore", msg("survey-tool metadata (not an answer)"))


def _pass_id(r: _Roles) -> None:
    for p in r.open():
        if "id" in r.taken:
            return
        if any(k in ID_WORDS for k in _keys(p) + [split_words(p.name)]) and p.filled and \
                p.distinct >= 0.9 * min(p.filled, SAMPLE_ROWS):
            r.assign(p, "id", msg("header “{header}” names a respondent id and the values are unique", header=p.label))


#: "recommend working at Acme": a workplace recommend question (issue 20), so the file reads as an employee survey.
WORKING_AT = re.compile(r"\bwork(ing)? at\b", re.IGNORECASE)


def _pass_recommend(r: _Roles) -> None:
    """The NPS or eNPS question: recommend wording (EN, SV, FI, DE, FR, ES) or an eNPS header, on 0–10 or 1–10."""
    found: list[tuple[_Profile, str, Msg, Scale]] = []
    for p in r.open():
        workplace = _says(p, WORKPLACE) or _says(p, WORKING_AT)
        if not (_says(p, RECOMMEND) or _cut_recommend(p) or (workplace and r.kind != "customer")):
            continue
        scale, positions = _recommend_scale(p)
        if scale is None:
            continue  # an agree statement about recommending stays a statement (see the statements pass)
        role = "enps" if workplace or r.kind == "employee" else "nps"
        why = (msg("a recommend question about the workplace with answers from {scale}", scale=str(scale)) if workplace
               else msg("a recommend question in an employee survey with answers from {scale}", scale=str(scale))
               if role == "enps" else msg("a recommend question with answers from {scale}", scale=str(scale)))
        if positions:
            why = msg("a recommend question whose answers run 1–11: read as SurveyMonkey positions, 1 = 0 … 11 = 10")
        elif scale.low == 1:
            why = msg("{why}: no answer is 0 and neither the header nor the file's layout says 0–10, so read as 1–10 "
                      "(weak evidence: 9–10 count as promoters and 1–6 as detractors either way)", why=why)
        found.append((p, role, why, scale))
    for p, role, why, scale in found:
        if role not in r.taken:
            r.assign(p, role, why, scale)
        else:
            r.assign(p, "ignore", msg("a second recommend question; “{other}” is used", other=r.taken[role]))


#: A likelihood question ("How likely…", "Hur troligt…", "Kuinka todennäköisesti…").
_LIKELY = re.compile(r"\blikely\b|troligt|sannolikt|todennäköi|wahrscheinlich|probable", re.IGNORECASE)
_RECOMMEND_WORDS = ("recommend", "rekommendera", "suosittelisit", "suositella", "weiterempfehlen", "recommander")


def _cut_recommend(p: _Profile) -> bool:
    """A likelihood question whose header the tool cut inside its recommend word ("Hur troligt är det att du skulle
    rek")."""
    words = (p.label or p.name).split()
    last = words[-1].casefold().rstrip(".…") if words else ""
    return len(last) >= 3 and bool(_LIKELY.search(p.label or p.name)) and any(w.startswith(last) for w in _RECOMMEND_WORDS)


def _pass_unit(r: _Roles) -> None:
    """The department or unit: header words (EN, SV, FI) on values that group rows."""
    candidates = []
    for i, p in enumerate(r.open()):
        score = _department_score(p)
        if score > 0 and _is_categorical(p) and (p.number_share < 0.5 or _unit_numbers(p, score)) and not p.label_fits \
                and not _mostly_labels(p):
            candidates.append((score, -i, p))
    candidates.sort(key=lambda t: (t[0], t[1]), reverse=True)
    for _score, _i, p in candidates:
        if not _repeats(p):
            r.assign(p, "ignore", msg("names a unit, but almost every row has its own value ({n} values in {rows} rows), "
                                      "so it cannot group responses", n=p.distinct, rows=p.filled))
        elif "department" not in r.taken:
            r.assign(p, "department", msg("header “{header}” names a department or unit, with {n} different values",
                                          header=p.label, n=p.distinct))
            if p.number_share >= 0.5:
                r.unit_codes[p.name] = _unit_codes(p)
        else:
            r.assign(p, "segment", msg("another grouping column ({n} values); “{other}” is the department",
                                       n=p.distinct, other=r.taken["department"]))


def _unit_numbers(p: _Profile, score: float) -> bool:
    """Small whole numbers under a header that names a department or unit (not a place): unit codes (1–14)."""
    v = p.numbers[~np.isnan(p.numbers)]
    return score >= 2 and p.number_share >= 0.95 and v.size > 0 and bool(np.all(v == np.round(v))) and \
        2 <= np.unique(v).size <= 60 and v.min() >= 0 and not _names_fact(p) and (
            len(split_words(p.label).split()) <= 4
            or any(re.search(q, split_words(p.label), re.IGNORECASE) for q, strength in DEPARTMENT_QUESTIONS if strength >= 3))


def _unit_codes(p: _Profile) -> tuple[tuple[float, str], ...]:
    """Numbers of a unit column that mean "not given": a code (9, 99, 999, −1…) far above or below the unit numbers."""
    numbers = [c for c, _why in p.codes if isinstance(c, float)]
    v = p.numbers[~np.isnan(p.numbers)]
    rest = v[~np.isin(v, list(KNOWN_CODES))]
    if rest.size:
        numbers += [float(c) for c in np.unique(v) if c in KNOWN_CODES and (c < 0 or c >= 2 * rest.max() + 2)]
    return tuple((c, "not given") for c in sorted(set(numbers)))


def _pass_unit_offered(r: _Roles) -> None:
    """No department: a country, site or region column that groups rows is offered as the unit (a suggestion the user
    confirms, as a unit changes every figure by unit), and said so."""
    if "department" in r.taken:
        return
    for p in r.profiles:
        role = r.roles.get(p.name, ("",))[0]
        if role not in ("", "ignore", "segment") or not _PLACE_WORDS.search(split_words(p.label or p.name)):
            continue
        if len(split_words(p.label or p.name).split()) <= 3 and _is_categorical(p) and _repeats(p) and \
                p.number_share < 0.5 and 2 <= p.distinct <= 60:
            if role != "segment":
                r.assign(p, "segment", msg("a grouping column with {n} different values", n=p.distinct))
            r.suggestions[p.name] = msg("is offered as the unit ({n} values), as no column names a department: make it "
                                        "the department to compare them", n=p.distinct)
            return


#: Header words of a place that can stand for the unit when a file names none.
_PLACE_WORDS = re.compile(r"\b(country|land|maa|site|region|market|marknad|markkina|city|stad|kaupunki|location|ort)\b",
                          re.IGNORECASE)


def _pass_unit_by_overlap(r: _Roles) -> None:
    """No unit by its header: a grouping column whose values are mostly the other survey's unit names."""
    if "department" in r.taken or not r.other_units:
        return
    best = None
    for p in r.open():
        if not (_is_categorical(p) and _repeats(p)) or p.number_share >= 0.5 or p.label_fits:
            continue
        keys = {normalize(v) for v in p.uniques if isinstance(v, str) and v.strip()}
        shared = len(keys & r.other_units)
        if keys and shared >= 2 and shared >= 0.5 * len(keys) and (best is None or shared > best[0]):
            best = (shared, len(keys), p)
    if best is not None:
        shared, total, p = best
        r.assign(p, "department", msg("its values are the other survey's units ({shared} of its {total} names match), "
                                      "so it is read as the unit", shared=shared, total=total))


def _pass_facts(r: _Roles) -> None:
    """HR facts and codes with numbers (ids, flags, levels, ages, counts, hours, money): never statements."""
    for p in r.open():
        if p.number_share < 0.9 or not p.filled:
            continue
        v = p.numbers[~np.isnan(p.numbers)]
        if _names_fact(p):
            r.assign(p, "ignore", msg("a number that its header names as a fact or a code (such as an id, level, count, "
                                      "age or amount), not an answer to a statement"))
        elif v.size and set(np.unique(v)) <= {0.0, 1.0} and not _statement_like(p):
            r.assign(p, "ignore", msg("a yes/no flag (0 or 1), not an answer to a statement"))


def _pass_score(r: _Roles) -> None:
    """A decimal column whose header names a score: a precomputed engagement score on 1–5 (or its stated scale)."""
    for p in r.open():
        v = p.numbers[~np.isnan(p.numbers)]
        if p.number_share < 0.95 or not v.size or np.all(v == np.round(v)) or "score" in r.taken:
            continue
        if r.kind != "customer" and _says(p, SCORE_WORDS):
            scale = _declared_scale(p) or numeric_scale(np.ceil(v))
            if scale is not None:
                r.assign(p, "score", msg("decimal numbers from {low} to {high} under a header that names a score: read "
                                         "as each person's engagement score on {scale}", low=f"{v.min():g}",
                                         high=f"{v.max():g}", scale=str(scale)), scale)


def _pass_pulse(r: _Roles) -> None:
    """A weekly pulse question on 0–10 or 1–10 ("How are you this week, from 1 to 10?")."""
    for p in r.open():
        if r.kind == "customer" or "pulse" in r.taken or not _says(p, PULSE):
            continue
        scale, _ = _recommend_scale(p)
        if scale is not None:
            r.assign(p, "pulse", msg("a pulse question on {scale}, scored on its own scale", scale=str(scale)), scale)


def _pass_statements(r: _Roles) -> None:
    for p in r.open():
        why_statement = _statement_like(p)
        if why_statement is None:
            continue
        scale, why = _item_scale(p)
        if scale is not None and why is not None:
            r.assign(p, "item", msg("statement ({statement}): {why}", statement=why_statement, why=why), scale)


#: A header that starts with a question number: "Q3 Arbetsbelastningen är rimlig", "12. My team…", "F4) …".
_NUMBERED = re.compile(r"^\s*[A-Za-z]{0,3}\d{1,3}[a-z]?(?:[._]\d{1,2})?[.):]?\s+\S+\s+\S+")


def _pass_numbered_statements(r: _Roles) -> None:
    """A numbered question among numbered statements, answered with numbers on their scale, is one of them
    ("Q3 Arbetsbelastningen är rimlig" between “Q1 Jag trivs på jobbet” and “Q2 Jag får stöd av min chef”, all on 1–5):
    its header need not name an attitude. Never a header that names a fact or a code."""
    read = [(n, v[2]) for n, v in r.roles.items() if v[0] == "item" and v[2] is not None and v[2].labels is None
            and _NUMBERED.match(n)]
    for p in r.open():
        if p.number_share < 0.95 or not p.filled or _names_fact(p) or not _NUMBERED.match(p.name):
            continue
        scale, _why = _item_scale(p)
        same = [n for n, sc in read if scale is not None and (sc.low, sc.high) == (scale.low, scale.high)]
        if scale is not None and len(same) >= 2:
            r.assign(p, "item", msg("statement: numbered like the file's statements (such as “{other}”) and answered "
                                    "with numbers on their {scale} scale", other=same[0], scale=str(scale)), scale)


def _pass_rating_as_nps(r: _Roles) -> None:
    """A customer file with no recommend question: the first 0–10 rating of the organisation, said so."""
    if r.kind == "employee" or "nps" in r.taken or "enps" in r.taken:
        return
    for p in r.open() + [q for q in r.profiles if r.roles.get(q.name, ("",))[0] == "item"]:
        declared = _declared_scale(p)
        if _says(p, RATING_QUESTION) and declared is not None and declared.high == 10:
            scale, _ = _recommend_scale(p)
            if scale is not None:
                r.assign(p, "nps", msg("no recommend question in the file: the first 0–10 rating of the whole "
                                       "(“{header}”) is read as the NPS question; choose another if that is wrong",
                                       header=p.label), scale)
                return


def _pass_rest(r: _Roles) -> None:
    """Comments, segments, and what is not used, with why."""
    for p in r.open():
        if not p.filled:
            r.assign(p, "ignore", msg("no answers in this column"))
        elif p.number_share < 0.5 and (_stray_fit(p) is not None or p.ambiguous or _mostly_labels(p) or _only_labels(p)):
            _answer_or_segment(r, p)  # a statement with a stray text, or answer labels: never a comment
        elif p.number_share < 0.5 and (p.open_ended or p.text_length >= 25 or (p.code or "").upper().endswith("_TEXT") or (
                COMMENT_WORDS.search(p.label) and (p.distinct > 0.5 * p.filled or p.filled < 20)) or _asks_comment(p)):
            r.assign(p, "comment", msg("free-text answers (about {n} characters on average)", n=int(round(p.text_length))))
        elif _is_categorical(p) and 2 <= p.distinct <= 30 and p.number_share < 0.5:
            _answer_or_segment(r, p)
        elif p.number_share >= 0.9 and not _names_fact(p) and _item_scale(p)[0] is not None:
            r.assign(p, "ignore", msg("looks like a statement, answered with numbers on {scale}, but its header neither "
                                      "asks for agreement nor names an attitude, so not read as one; make it a statement "
                                      "if it is one", scale=str(_item_scale(p)[0])))
        elif p.number_share >= 0.9:
            r.assign(p, "ignore", msg("numbers whose header neither asks for agreement nor names an attitude, so not "
                                      "read as a statement; make it a statement if it is one"))
        else:
            r.assign(p, "ignore", msg("not used: values are neither answers on a scale nor a grouping"))


def _asks_comment(p: _Profile) -> bool:
    """A header that asks for a comment or a reason (:data:`COMMENT_ASKS`) over texts that are not yes/no answers: its
    answers are comments even when few different ones repeat."""
    keys = {normalize(u) for u in p.uniques if isinstance(u, str)} - MISSING_ANSWERS
    return bool(keys) and not keys <= YES_NO and (_says(p, COMMENT_ASKS) or bool(COMMENT_ASKS.search(p.label or "")))


#: Answers of a yes/no question: a question, never a grouping (issue 20).
YES_NO = frozenset({"yes", "no", "ja", "nej", "kyllä", "ei", "true", "false"})


def _stray_fit(p: _Profile) -> tuple[LabelScale, int] | None:
    """A statement answered with a known label set but for one or two stray texts: the set and how many strays.

    The kept labels, with the labels of the same set's family that the file's other statements use, must answer
    every point of the set (a five-point battery where this statement's answers skip the midpoint stays on five
    points, as its siblings do), and a stray must share no word with the set's labels: else the strays may be points
    of a set the library does not know ("Instämmer till stor del" beside four labels of the five-point set), and
    reading the rest on the known set could put a label on a wrong point. Among several sets, the one that holds
    most of the file's labels of its family, then the smaller."""
    texts = [u for u in p.uniques if isinstance(u, str) and parse_number(u) is None]
    if len(texts) < 3 or len(texts) > 14:
        return None
    for drop in (1, 2):
        for out in itertools.combinations(range(len(texts)), drop):
            kept = [t for j, t in enumerate(texts) if j not in out]
            fits, count = label_candidates(np.array(kept, dtype=object))
            strays = {w for j in out for w in normalize(texts[j]).split() if len(w) >= 4}
            own = {normalize(t) for t in kept}

            def siblings(s: LabelScale) -> set[str]:
                return p.file_labels.get(LABEL_FAMILIES.get(s.key, s.key), set()) & s.table().keys()

            fits = [s for s in fits if not unused_points(s, own | siblings(s))
                    and not strays & {w for k in s.table() for w in k.split()}]
            fits.sort(key=lambda s: (-len((own | siblings(s)) & s.table().keys()), len(s.points)))
            if fits and count >= 2:
                return fits[0], drop
    return None


def _mostly_labels(p: _Profile) -> bool:
    """Values that are (mostly) answer labels of the library's sets: at least two different labels, and at least half
    of the column's different texts; such a column holds answers, never a grouping."""
    keys = {normalize(u) for u in p.uniques if isinstance(u, str) and parse_number(u) is None} - MISSING_ANSWERS
    known = {k for k in keys if any(k in s.table() for s in LABEL_SCALES)}
    return len(known) >= 2 and 2 * len(known) >= len(keys)


def _only_labels(p: _Profile) -> bool:
    """Every text is an answer label of the library's sets (one label repeated, say): answers, never comments."""
    keys = {normalize(u) for u in p.uniques if isinstance(u, str) and parse_number(u) is None} - MISSING_ANSWERS
    return bool(keys) and all(any(k in s.table() for s in LABEL_SCALES) for k in keys)


def _answer_or_segment(r: _Roles, p: _Profile) -> None:
    """An answer column never becomes a segment (its values would be offered as filters and counted): a yes/no
    question is a question (not used), a statement with a stray text stays a statement (the stray answers are
    counted out as not on its scale); only what is neither groups rows."""
    keys = {normalize(u) for u in p.uniques if isinstance(u, str)} - MISSING_ANSWERS
    stray = _stray_fit(p)
    if keys and keys <= YES_NO:
        r.assign(p, "ignore", msg("a yes/no question: its answers are not a grouping (make it a segment if it is one)"))
    elif stray is not None:
        s, n = stray
        if r.kind != "customer":  # an employee file's count of off-scale answers could be 1: it is not said here
            r.assign(p, "item", msg("statement: answers are {scale} labels, with other answers that are not on its "
                                    "scale and are left out", scale=f"{s.low}–{s.high}"), Scale(s.low, s.high, s.key))
            return
        r.assign(p, "item", msg_n("statement: answers are {scale} labels, with {count} other answer that is not on its "
                                  "scale and is left out", "statement: answers are {scale} labels, with {count} other "
                                  "answers that are not on its scale and are left out", n, scale=f"{s.low}–{s.high}"),
                 Scale(s.low, s.high, s.key))
    elif p.ambiguous:
        a, b = p.ambiguous
        r.assign(p, "ignore", msg("answers are labels that two known sets place on different points ({first} and "
                                  "{second}), so not read; make it a statement with its scale if you know it",
                                  first=a.key, second=b.key))
    elif _statement_like(p) is not None or _mostly_labels(p):
        r.assign(p, "ignore", msg("answers to a statement that are not on a scale, so not used"))
    else:
        r.assign(p, "segment", msg("a grouping column with {n} different values", n=p.distinct))


def _harmonise_numeric_scales(r: _Roles) -> None:
    """Numeric statements on a smaller scale than most of the file's follow the file's (a 1–7 item where nobody
    answered 6 or 7 is still 1–7; a 1–10 item where nobody answered 0 among 0–10 items is 0–10); a scale the header
    states is kept."""
    by_name = {p.name: p for p in r.profiles}
    numeric = [(n, v) for n, v in r.roles.items() if v[0] == "item" and v[2] is not None and v[2].labels is None
               and _declared_scale(by_name[n]) is None]
    scales = Counter((v[2].low, v[2].high) for _n, v in numeric)
    if len(scales) < 2:
        return
    (low, high), _count = scales.most_common(1)[0]
    for name, (role, reason, scale) in numeric:
        assert scale is not None
        v = _whole_numbers(by_name[name])
        narrower = (scale.low == low and scale.high < high) or ((scale.low, scale.high), (low, high)) == ((1, 10), (0, 10))
        if (scale.low, scale.high) != (low, high) and narrower and v.size and v.max() <= high and v.min() >= low:
            r.roles[name] = (role, msg("{why}; read on {scale} like the file's other statements", why=reason,
                                       scale=f"{low}–{high}"), Scale(low, high))


def _confirm_on_every_value(r: _Roles, frame: pd.DataFrame) -> None:
    """The sample suggests, every value decides: a column longer than the sample has its scale, its range and its codes
    checked on all its answers, and a role the whole column contradicts is revised (a recommend question whose first
    0 comes late in the file is 0–10; a column constant in the sample but not in the file is a grouping)."""
    for p in r.profiles:
        if p.rows <= SAMPLE_ROWS or p.name not in frame:
            continue
        role, reason, scale = r.roles[p.name]
        if role in ("nps", "enps", "pulse", "item") and scale is not None and scale.labels is None:
            w = _profile(frame[p.name], p.name, p.code, p.label, False, whole=True, dictionary=p.dictionary)
            p.codes, p.code_reasons = w.codes, w.code_reasons
            new = _recommend_scale(w)[0] if role != "item" else _item_scale(w)[0]
            if new is None:
                r.roles[p.name] = ("ignore", msg("its first rows looked like answers on {scale}, but its {n} answers do not "
                                                 "(they run from {low} to {high})", scale=str(scale), n=w.filled,
                                                 low=f"{np.nanmin(w.numbers):g}" if w.number_share else "–",
                                                 high=f"{np.nanmax(w.numbers):g}" if w.number_share else "–"), None)
                r.taken = {k: v for k, v in r.taken.items() if v != p.name}
            elif new.low < scale.low or new.high > scale.high:
                r.roles[p.name] = (role, msg("{why}; checked on all {n} answers, which reach {low}–{high}: read on "
                                             "{scale}", why=reason, n=w.filled, low=f"{np.nanmin(w.numbers):g}",
                                             high=f"{np.nanmax(w.numbers):g}", scale=str(new)), new)
        elif role == "ignore" and p.distinct <= 1 and p.filled:
            values = frame[p.name].dropna()
            n = int(values.nunique())
            if 2 <= n <= 30 and p.number_share < 0.5:
                r.roles[p.name] = ("segment", msg("a grouping column with {n} different values (its first rows all had "
                                                  "one value; the whole column has {n})", n=n), None)


def mixed_parts(frame: pd.DataFrame, column: str, detection: Detection) -> tuple[str, dict[str, Scale]] | None:
    """(grouping column, {part: scale}) when a grouping column splits ``column`` into parts on different scales (an
    NPS on 0–10, a satisfaction question on 0–2 and an effort question on 1–7 in one "Rating" column); else None.

    A part counts with ten answers or more. The grouping column's header names a survey, question or type, or the
    parts' top answers lie far apart (one part's highest answer at most half of another's).
    """
    values = convert(frame[column]).values
    for c in detection.columns:
        if c.name == column or c.role not in ("segment", "ignore", "department") or c.name not in frame:
            continue
        codes, uniques = pd.factorize(frame[c.name], use_na_sentinel=True)
        if not 2 <= len(uniques) <= 30:
            continue
        ok = (codes >= 0) & ~np.isnan(values)
        if ok.sum() < 20:
            continue
        grouped = pd.Series(values[ok]).groupby(codes[ok])
        counts, highs = grouped.count(), grouped.max()
        parts = {}
        for g in counts.index[counts >= 10]:
            sc = numeric_scale(values[ok][codes[ok] == g])
            if sc is not None:
                parts[str(uniques[g])] = sc
        tops = {sc.high for sc in parts.values()}
        named = bool(_PART_WORDS.search(split_words(c.name))) and len(split_words(c.name).split()) <= 4
        texts = all(parse_number(u) is None for u in uniques)
        if len(tops) >= 2 and named and texts and max(highs[counts >= 10]) > min(highs[counts >= 10]):
            return c.name, parts
    return None


#: Header words of a column that tells question types apart (survey name, question, type, metric).
_PART_WORDS = re.compile(r"\b(survey|questionnaire|question|type|metric|measure|kind|form|item|enkät|fråga|typ|kysely|"
                         r"kysymys|tyyppi|mittari)\b", re.IGNORECASE)


def _suggest_reverse(r: _Roles) -> None:
    """Statements worded negatively (leaving, stress, too much…): suggested as reverse-worded, for the user to confirm."""
    for p in r.profiles:
        if r.roles[p.name][0] == "item":
            m = NEGATIVE_WORDING.search(p.label or p.name)
            if m:
                r.suggestions[p.name] = msg("reads as negatively worded (“{word}”): mark it reverse-worded to score it "
                                            "reversed", word=m.group(0))


def _own_statements(r: _Roles, items: list[str]) -> tuple[int, int]:
    """(first-person statements, those of them about one's work, team or employer)."""
    labels = {p.name: p.label or p.name for p in r.profiles}
    mine = [labels[n] for n in items if FIRST_PERSON.search(labels[n])]
    return len(mine), sum(bool(WORK_WORDS.search(label)) for label in mine)


def _customer_cue(name: str, r: _Roles) -> bool:
    """A recommend question that names a customer's object: "us", "our product", "this workshop"."""
    p = next(p for p in r.profiles if p.name == name)
    return bool(CUSTOMER_CUES.search(p.label or p.name))


def _decide_kind(r: _Roles) -> tuple[str, Msg]:
    items = [n for n, v in r.roles.items() if v[0] == "item"]
    if r.kind is not None:
        return r.kind, msg("chosen by you")
    if "enps" in r.taken:
        return "employee", msg("looks like an employee survey: it asks about recommending the workplace")
    if len(items) >= 3 and "nps" not in r.taken:
        return "employee", msg("looks like an employee survey: {n} engagement statements", n=len(items))
    mine, work = _own_statements(r, items)
    if mine >= 3 and 2 * mine >= len(items) and work and "nps" in r.taken and not _customer_cue(r.taken["nps"], r):
        return "employee", msg("looks like an employee survey: {n} first-person statements, about one's work or team, "
                               "and the recommend question names no customer's object (its header may be cut short)",
                               n=mine)
    return "customer", msg("looks like a customer survey: it has a recommend question and few statements")


#: The detection passes, in order: each gives roles to the columns still open.
PASSES = (_pass_companions, _pass_dates, _pass_metadata, _pass_id, _pass_recommend, _pass_unit, _pass_unit_by_overlap,
          _pass_facts, _pass_score, _pass_pulse, _pass_statements, _pass_numbered_statements, _pass_rating_as_nps, _pass_rest,
          _pass_unit_offered)


def _column_dictionary(table: Table, name: str, code: str | None, label: str) -> tuple:
    """The data dictionary's codes for one column, as (number, why, named): named when the dictionary's variable is
    the column's name, code or statement; a variable that names no column of the file counts for every column."""
    entries = getattr(table, "codebook", ())
    if not entries:
        return ()
    own = {normalize(x) for x in (name, code or "", label, statement(label)) if x}
    known = {normalize(n) for n in table.frame.columns} | {normalize(c) for c in table.layout.codes if c} | {
        normalize(x) for x in table.layout.labels if x} | {normalize(statement(x)) for x in table.layout.labels if x}
    out = []
    for e in entries:
        var = normalize(e.variable) if e.variable else None
        if var is not None and var in own:
            out.append((e.value, e.kind, True))
        elif var is None or var not in known:
            out.append((e.value, e.kind, False))
    return tuple(out)


def detect_roles(table: Table, kind: str | None = None, other_units: Iterable[str] = ()) -> Detection:
    """Guess every column's role in ``table``; ``kind`` ("customer"/"employee") if known; ``other_units``
    the unit names of the other survey, if it is loaded.

    The roles come from ordered, named passes (:data:`PASSES`); every role has
    a reason a person can read, and every one can be overridden.
    """
    if kind is not None and kind not in KINDS:
        raise OptionError(msg("The survey kind must be “customer” or “employee”, not “{kind}”.", kind=kind))
    layout = table.layout
    index = {n: i for i, n in enumerate(layout.names)}
    labels = [layout.labels[index[n]] if n in index else n for n in table.frame.columns]
    shared = stems(labels) if layout.kind != "surveymonkey" else set()
    profiles = []
    for name, label in zip(table.frame.columns, labels):
        i = index.get(name, -1)
        code = layout.codes[i] if i >= 0 else None
        opened = layout.open_ended[i] if 0 <= i < len(layout.open_ended) else False
        profiles.append(_profile(table.frame[name], name, code, statement(label, shared), opened,
                                 dictionary=_column_dictionary(table, name, code, label)))
    for p in profiles:
        p.vendor = LAYOUT_VENDORS.get(layout.kind)
    _vote_label_scales(profiles, LAYOUT_VENDORS.get(layout.kind))
    r = _Roles(profiles, kind, frozenset(normalize(u) for u in other_units))
    for step in PASSES:
        step(r)
    _harmonise_numeric_scales(r)
    _confirm_on_every_value(r, table.frame)
    _find_levels(r, table.frame)
    _suggest_reverse(r)
    kind, kind_reason = _decide_kind(r)
    if kind == "employee" and "nps" in r.taken and "enps" not in r.taken:
        name = r.taken.pop("nps")
        r.roles[name] = ("enps", msg("a recommend question in an employee survey with answers from 0 to 10"),
                         r.roles[name][2])
        r.taken["enps"] = name
    cols = []
    for p in profiles:
        role, reason, scale = r.roles[p.name]
        scale = _with_codes(p, _with_typos(p, scale), role)
        cols.append(ColumnRole(p.name, role, reason, p.label, p.code, scale, suggestion=r.suggestions.get(p.name),
                               codes=r.unit_codes.get(p.name, ()) if role == "department" else ()))
    return Detection(kind, kind_reason, tuple(cols))


def _codes(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column's values as codes (trimmed, case ignored; −1 for none)."""
    return pd.factorize(frame[name].astype("string").str.strip().str.casefold(), use_na_sentinel=True)[0]


def _coarsens(upper: np.ndarray, lower: np.ndarray) -> tuple[bool, int, int]:
    """Whether every value of ``lower`` lies in one value of ``upper``, which has fewer (two or more); and both
    counts of values."""
    both = (lower >= 0) & (upper >= 0)
    if not both.any():
        return False, 0, 0
    pairs = np.unique(np.column_stack([lower[both], upper[both]]), axis=0)
    ups, lows = len(np.unique(pairs[:, 1])), len(np.unique(pairs[:, 0]))
    return bool(np.bincount(pairs[:, 0]).max() == 1 and 2 <= ups < lows), ups, lows


def _find_levels(r: _Roles, frame: pd.DataFrame) -> None:
    """A grouping column under a header that names a unit or an area, whose values each hold whole departments
    (every department lies in one of them, and they are fewer): a higher unit of the organisation (division,
    region), read as a level above the department (:mod:`lib.survey.hierarchy`), top first by how few values."""
    unit = r.taken.get("department")
    if unit is None or unit not in frame:
        return
    dept = _codes(frame, unit)
    found = []
    for p in r.profiles:
        if r.roles.get(p.name, ("",))[0] != "segment" or p.name not in frame \
                or not (_department_score(p) > 0 or _says(p, LEVEL_WORDS)):
            continue
        mine = _codes(frame, p.name)
        ok, ups, lows = _coarsens(mine, dept)
        if ok:
            found.append((ups, p, lows, mine))
    finer = dept
    for ups, p, lows, mine in sorted(found, key=lambda f: -f[0]):  # finest first: each one holds the one below whole
        if _coarsens(mine, finer)[0]:
            r.assign(p, "level", msg("a higher unit: each of its {n} values holds whole departments of “{unit}” ({m} "
                                     "departments)", n=ups, unit=unit, m=lows))
            finer = mine


#: Roles whose answers stand on a scale (and whose codes for no answer are counted out).
SCALE_ROLES = ("nps", "enps", "item", "reverse-item", "pulse")


def _with_codes(p: _Profile, scale: Scale | None, role: str) -> Scale | None:
    """The scale with the column's codes for no answer (numbers off the scale, placeholder texts)."""
    if scale is None or role not in SCALE_ROLES or not p.codes:
        return scale
    codes = tuple((v, why) for v, why in p.codes if isinstance(v, str) or not scale.low <= v <= scale.high)
    return replace(scale, codes=codes) if codes else scale


#: Reasons of a column left out that looks like a statement: each is said as a warning wherever the file's figures
#: are (lib.survey.frame), not only in the reading's review.
LEFT_OUT_STATEMENTS: tuple[str, ...] = (
    "looks like a statement, answered with numbers on {scale}, but its header neither asks for agreement nor names an "
    "attitude, so not read as one; make it a statement if it is one",
    "answers to a statement that are not on a scale, so not used",
    "answers are labels that two known sets place on different points ({first} and {second}), so not read; make it a "
    "statement with its scale if you know it",
)


def left_out_statement(column: ColumnRole) -> bool:
    """Whether a column looks like a statement but is not used (and was not set so by the user)."""
    return column.role == "ignore" and not column.overridden and column.reason.msgid in LEFT_OUT_STATEMENTS


#: Why an answer counts as no answer, as a person reads it.
MISSING_REASONS: dict[str, Msg] = {
    "don't know": msg("don't know"), "not applicable": msg("not applicable"),
    "prefer not to say": msg("prefer not to say"), "no answer": msg("no answer"),
    "placeholder text": msg("a placeholder text, not an answer"), "a code for no answer": msg("a code for no answer"),
    "not given": msg("not given"),
}


def missing_reason(why: object) -> Msg | str:
    """A kind of no answer (a code's or a label's: "a code for no answer", "placeholder text", "don't know"…) as a
    person reads it, translated where shown; an unknown kind as it is."""
    return MISSING_REASONS.get(str(why), str(why))


def _with_typos(p: _Profile, scale: Scale | None) -> Scale | None:
    """The scale with the column's label typos as aliases ("Aagree" read as "Agree")."""
    if scale is None or scale.labels is None:
        return scale
    ls = next(s for s in LABEL_SCALES if s.key == scale.labels)
    fixes = typo_matches([u for u in p.uniques if isinstance(u, str)], ls)
    if not fixes:
        return scale
    table = ls.table()
    return replace(scale, aliases=tuple((t, table[normalize(label)]) for t, label in fixes.items()))


def typo_notes(column: ColumnRole) -> list[Msg]:
    """What a column's label typos were read as, to show the user."""
    if column.scale is None or not column.scale.aliases:
        return []
    ls = next(s for s in LABEL_SCALES if s.key == column.scale.labels)
    return [msg("“{column}”: read “{text}” as “{label}”", column=column.name, text=text, label=ls.points[point - ls.low][0])
            for text, point in column.scale.aliases]


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
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a respondent who answered no other statement
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


def _override_scale(table: Table, target: ColumnRole, role: str) -> Scale | None:
    """The scale a column gets when the user gives it ``role``."""
    scale = target.scale
    p = _profile(table.frame[target.name], target.name, target.code, target.label, False)
    if role in ("item", "reverse-item", "score", "pulse") and (scale is None or target.role in ("nps", "enps")):
        if role == "score":
            v = p.numbers[~np.isnan(p.numbers)]
            scale = _declared_scale(p) or (numeric_scale(np.ceil(v)) if v.size else None)
        elif role == "pulse":
            scale, _ = _recommend_scale(p)
        else:
            scale, _ = _item_scale(p)
        if scale is None:
            raise ColumnError(msg("The column “{name}” has no answers on a scale we know; set its scale too (for example "
                                  "1-5).", name=target.name))
    if role in ("nps", "enps"):
        scale, positions = _recommend_scale(p)
        if scale is None:  # named by the user: two answers, or none above 5, still fit 0–10 when all are whole
            scale = _named_recommend_scale(p)
        if scale is None and p.filled:
            raise ColumnError(msg("The column “{name}” does not hold answers from 0 to 10 or 1 to 10, so it cannot be the "
                                  "{role} question.", name=target.name, role=role.upper() if role == "nps" else "eNPS"))
        scale = scale or Scale(0, 10)
    return _with_codes(p, scale, role) if scale is not None and not scale.codes else scale


def _larger_label_set(have: Scale, wanted: Scale) -> Scale | None:
    """The label set of ``have``'s family on ``wanted``'s points that holds ``have``'s labels as its points (a 4-point
    agreement reading said to be on 1-5: the 5-point set), as a scale; None when there is none."""
    current = next((s for s in LABEL_SCALES if s.key == have.labels), None)
    if current is None:
        return None
    family = LABEL_FAMILIES.get(current.key)
    for s in LABEL_SCALES:
        if (s.low, s.high) == (wanted.low, wanted.high) and LABEL_FAMILIES.get(s.key) == family \
                and (s is current or points_into(current, s) is not None):
            return replace(have, low=s.low, high=s.high, labels=s.key)
    return None


def apply_overrides(detection: Detection, table: Table, overrides: dict[str, str] | None = None,
                    kind: str | None = None, scales: dict[str, str] | None = None) -> Detection:
    """Set roles by column name (``{"Avdelning": "department", "Q7": "reverse-item"}``) and scales
    (``{"Q3": "1-4"}``)."""
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
        wanted = (scales or {}).get(name)
        scale = None if wanted else _override_scale(table, target, role)
        if role in SINGLE_ROLES:
            cols = [replace(c, role="ignore", reason=msg("replaced by your choice of “{other}”", other=target.name))
                    if c.role == role and c.name != target.name else c for c in cols]
        cols = [replace(c, role=role, reason=msg("set by you"), scale=scale or c.scale, overridden=True)
                if c.name == target.name else c for c in cols]
    for name, text in (scales or {}).items():
        target = find_column(Detection(detection.kind, detection.kind_reason, tuple(cols)), name)
        try:
            scale = parse_scale(text)
        except ValueError:
            raise OptionError(msg("“{text}” is not a scale; write it as LOW-HIGH, for example 1-4 or 0-10.",
                                  text=text)) from None
        if target.scale is not None and target.scale.labels is not None:
            labelled = _larger_label_set(target.scale, scale)
            if labelled is None:
                raise OptionError(msg("“{name}” is answered with labels of a {have} set, and no {scale} set we know "
                                      "holds them; leave its scale out.", name=target.name, have=str(target.scale),
                                      scale=str(scale)))
            cols = [replace(c, scale=labelled, overridden=True,
                            reason=msg("set by you: the {scale} labels", scale=str(labelled)))
                    if c.name == target.name else c for c in cols]
            continue
        role = target.role if target.role in ("item", "reverse-item", "score", "pulse", "nps", "enps") else "item"
        cols = [replace(c, role=role, scale=scale, overridden=True,
                        reason=msg("set by you: the {scale} scale", scale=str(scale))) if c.name == target.name else c
                for c in cols]
    return Detection(detection.kind, detection.kind_reason, tuple(cols))
