"""A survey file turned into one tidy frame: department, date, scores, items, segments.

:func:`load_survey` reads the bytes, detects column roles (with overrides),
converts every answer to a number on its scale, and leaves out the rows that
cannot count — each one counted under its reason with its spreadsheet row
number, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from lib.values.dates import parse_dates
from lib.errors import ColumnError, NoResponsesError
from lib.i18n import Msg, msg, msg_n
from lib.detect.profiling import column_profile
from lib.read.table import Table, read_table
from lib.read.longformat import find_long, widen
from lib.detect.roles import (
    MISSING_REASONS, SAMPLE_ROWS, ColumnRole, Detection, apply_overrides, detect_reverse_items, detect_roles, left_out_statement,
    mixed_parts, typo_notes,
)
from lib.values.scale_library import LABEL_SCALES
from lib.values.scales import Scale, convert, distinct, favorable_points, parse_number, reverse as reverse_points
from lib.values.vocab import EXCLUDED_STATUS_CODES, EXCLUDED_STATUS_TEXT, normalize

#: Why a row was left out, in the order the checks run.
SKIP_REASONS: dict[str, Msg] = {
    "status": msg("preview, test or spam response (by its Status column)"),
    "duplicate": msg("the same respondent id with the same answers as an earlier row (the first is kept)"),
    "no_score": msg("no answer to the recommend question"),
    "unreadable_score": msg("recommend answer is not a number"),
    "out_of_range": msg("recommend answer outside its scale"),
    "coded": msg("recommend answer is a code for no answer or a placeholder text (such as 99 or “*redacted*”)"),
    "no_answers": msg("no answer to any statement or to the recommend question"),
}
#: The group of answers that name no unit (department, clinic, office…).
NOT_GIVEN = "(not given)"


class MixedPartsError(ColumnError):
    """A recommend (or pulse) column whose parts, told apart by ``group``, are on different scales; ``parts`` are the
    values of ``group`` one of which may be read alone (``part={group: value}``). Kept when pickled (worker)."""

    def __init__(self, message: Msg, group: str = "", parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.group = group
        self.parts = tuple(parts)

    def __reduce__(self):
        return (type(self), (self.message, self.group, self.parts))


@dataclass(frozen=True)
class Item:
    """A Likert statement: frame column ``key`` holds its points (reverse items already flipped)."""

    key: str
    name: str
    label: str
    scale: Scale
    reverse: bool
    reverse_reason: Msg | None = None
    #: per point, low to high, the answer label the file writes most often for it ("" where it writes none): the
    #: legend of the answers chart says the answers as the survey put them, in its own language
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Rows left out for one reason, with their spreadsheet row numbers."""

    reason: str
    rows: tuple[int, ...]
    n: int | None = None  # answers left out, when they have no row numbers (counts read from a database)

    @property
    def count(self) -> int:
        return len(self.rows) if self.n is None else self.n

    @property
    def message(self) -> Msg:
        return SKIP_REASONS[self.reason]


@dataclass(frozen=True)
class ValueIssue:
    """Answers in a kept row that could not be used (they count as no answer)."""

    column: str
    message: Msg
    rows: tuple[int, ...]
    n: int | None = None  # answers, when they have no row numbers (counts read from a database)

    @property
    def count(self) -> int:
        return len(self.rows) if self.n is None else self.n


@dataclass
class Survey:
    """One survey file, parsed. ``frame`` has one row per kept response:

    ``row`` (spreadsheet row), ``department`` (categorical), ``date``,
    ``recommend`` (the 0–10 NPS or eNPS answer), one column per item (``items``),
    ``engagement`` (the respondent's 0–100 score), ``answered`` and ``favorable``
    (item counts), and the segment and comment columns named in ``segments`` and
    ``comments``.
    """

    name: str
    kind: str
    detection: Detection
    frame: pd.DataFrame
    items: tuple[Item, ...]
    segments: dict[str, str]
    comments: dict[str, str]
    skipped: tuple[Skipped, ...]
    issues: tuple[ValueIssue, ...]
    total_rows: int
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple[Msg, ...] = ()
    preview: pd.DataFrame | None = field(default=None, repr=False)  # first raw rows: customer files only
    profile: pd.DataFrame | None = field(default=None, repr=False)  # column summaries: employee files only
    has_units: bool = True  # the file has a unit column (department, clinic…); otherwise every row is NOT_GIVEN
    header_row: int | None = None  # spreadsheet row of the (first) header row
    header_rows: int = 1  # how many header rows there are
    #: per unit (``departments``), the keys of its higher units, top first (:func:`lib.survey.hierarchy.with_hierarchy`):
    #: the protection groups split by them before the unit
    hierarchy: tuple[tuple[str, ...], ...] = ()
    #: the file's higher-unit columns (role "level"), top first, and every path of names they give, top first and
    #: ending in the unit (:func:`lib.survey.hierarchy.from_paths`)
    levels: tuple[str, ...] = ()
    unit_paths: tuple[tuple[str, ...], ...] = ()
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # derived tables (lib.privacy.groups)

    @property
    def has_recommend(self) -> bool:
        return self.detection.one("enps" if self.kind == "employee" else "nps") is not None

    @property
    def departments(self) -> list[str]:
        if "departments" not in self.cache:  # the unit column's categories (a released copy shares them)
            self.cache["departments"] = tuple(str(c) for c in self.frame["department"].cat.categories)
        return list(self.cache["departments"])

    @property
    def unit_names(self) -> tuple[str, ...]:
        """The file's own unit names (none when it has no unit column)."""
        return tuple(d for d in self.departments if d != NOT_GIVEN) if self.has_units else ()

    def skipped_counts(self) -> dict[str, int]:
        return {s.reason: s.count for s in self.skipped}

    @property
    def weights(self) -> np.ndarray:
        """How many answers each frame row stands for: 1 for every row of a file; a row of counts read where the data
        lives (:mod:`lib.survey.aggregate`) stands for its ``weight`` answers. Every customer figure counts by it."""
        if "weight" in self.frame:  # a file's rows stacked with counts (waves) weigh 1
            return self.frame["weight"].fillna(1).to_numpy(dtype=np.int64)
        ones = self.cache.get("ones")
        if ones is None or len(ones) != len(self.frame):
            ones = self.cache["ones"] = np.ones(len(self.frame), dtype=np.int64)
            ones.flags.writeable = False  # shared: nobody may change it in place
        return ones

    @property
    def kept(self) -> int:
        """The answers kept: the frame's rows, each counted by its weight."""
        return int(self.weights.sum()) if "weight" in self.frame else len(self.frame)


def _status_excluded(series: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    bad = [normalize(u) in EXCLUDED_STATUS_TEXT or (parse_number(u) in EXCLUDED_STATUS_CODES) for u in uniques]
    lookup = np.array(bad + [False], dtype=bool)
    return lookup[codes]


def _department(series: pd.Series, blank: str | None = None) -> pd.Categorical:
    """Trimmed, space-collapsed group names as a categorical; blanks become ``blank`` (or missing).

    Cleaned once per distinct value, not once per row.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = [" ".join(str(u).split()) for u in uniques]
    names = sorted({c for c in cleaned if c})
    if blank is not None and (codes < 0).any() or blank is not None and "" in cleaned:
        names.append(blank)
    pos = {n: i for i, n in enumerate(names)}
    fill = pos.get(blank, -1) if blank is not None else -1
    lookup = np.array([pos.get(c, fill) for c in cleaned] + [fill], dtype=np.int32)
    return pd.Categorical.from_codes(lookup[codes], categories=names) if names else pd.Categorical(
        [None] * len(series), categories=[])


def _repeated(series: pd.Series, live: np.ndarray) -> np.ndarray:
    """Rows whose id (trimmed, not blank) appeared in an earlier live row; the first one is kept."""
    ids = series.astype("string[pyarrow]").str.strip()
    codes, _ = pd.factorize(ids.mask(ids == ""), use_na_sentinel=True)
    rows = np.flatnonzero(live & (codes >= 0))
    _, first = np.unique(codes[rows], return_index=True)
    dup = np.zeros(len(series), dtype=bool)
    dup[rows] = True
    dup[rows[first]] = False
    return dup


def _compact(cat: pd.Series) -> pd.Series:
    """Drop categories no row uses (cheaply checked first: usually all are used)."""
    codes = cat.cat.codes.to_numpy()
    used = np.bincount(codes[codes >= 0], minlength=len(cat.cat.categories)) > 0
    return cat if used.all() else cat.cat.remove_unused_categories()


T = TypeVar("T")


def remembered(survey: object, name: str, key: Hashable, make: Callable[[], T], most: int = 8) -> T:
    """``make()``, kept in the survey's ``cache`` under ``name`` for ``key``: at most ``most`` results per name, the
    oldest dropped first. What is kept goes with the survey (a session's own), and a released copy shares it."""
    kept = survey.cache.setdefault(name, {})  # type: ignore[attr-defined]
    if key not in kept:
        if len(kept) >= most:
            kept.pop(next(iter(kept)))
        kept[key] = make()
    return kept[key]


def load_survey(
    data: bytes | Path,
    filename: str,
    *,
    kind: str | None = None,
    sheet: str | int | None = None,
    columns: dict[str, str] | None = None,
    scales: dict[str, str] | None = None,
    encoding: str | None = None,
    other_units: Sequence[str] = (),
    header_row: int | None = None,
    part: dict[str, str] | None = None,
) -> Survey:
    """Read and tidy one survey export (bytes of an upload, or a path).

    ``kind`` is "customer" or "employee" (guessed when None); ``sheet`` picks a
    sheet; ``columns`` maps column names to roles and overrides detection
    (``{"Avdelning": "department", "Q7": "reverse-item"}``); ``scales`` sets a
    column's scale (``{"Q3": "1-4"}``); ``encoding`` reads a text export in that
    encoding; ``other_units`` are the other survey's unit names, which find a
    unit column by its values when no header names one. A file with one row per
    answer is turned into one row per respondent first (:mod:`lib.read.longformat`). ``header_row`` is
    the spreadsheet row of the header when the user chose one (found when None). ``part`` keeps only the rows
    whose column holds the value (``{"Survey": "NPS"}``), to read one part of a file whose answer column mixes
    question types.
    """
    table, detection = prepare(data, filename, kind=kind, sheet=sheet, columns=columns, scales=scales, encoding=encoding,
                               header_row=header_row,
                               other_units=other_units, part=part)
    return tidy(table, detection, filename)


def prepare(data: bytes | Path, filename: str, *, kind: str | None = None, sheet: str | int | None = None,
            columns: dict[str, str] | None = None, scales: dict[str, str] | None = None, encoding: str | None = None,
            other_units: Sequence[str] = (), header_row: int | None = None,
            part: dict[str, str] | None = None, part_optional: bool = False) -> tuple[Table, Detection]:
    """The first two steps of :func:`load_survey`: read the table, then detect and override the roles.

    ``part_optional``: a column of ``part`` the file does not hold is passed over (the command line's ``--part``
    names a column of one of several files) instead of refused.

    The app's parse worker and the command line both come through here, so a
    file gets the same reading and the same messages in both.
    """
    decided: list[Detection] = []

    def select(head: Table) -> set[str] | None:
        """Roles suggested by the first rows choose the columns to read: those with a role, and those the first rows
        cannot judge (empty or with one value), which the whole column may give a role."""
        if find_long(head.frame) is not None or part:
            return None  # answers per row: pivoting needs every column; a part needs its column
        decided.append(apply_overrides(detect_roles(head, kind, other_units), head, columns, kind, scales))
        return {c.name for c in decided[0].columns if c.role != "ignore" or _undecided(head.frame[c.name])}

    table = read_table(data, filename, sheet, encoding, select=select, head_rows=SAMPLE_ROWS, header_row=header_row)
    if part:
        table = _only_part(table, part, filename, part_optional)
    if table.frame.empty or not len(table.frame):
        raise NoResponsesError(msg("“{name}” has a header but no response rows; export the survey again with its responses.",
                                   name=filename))
    if table.selected:  # the roles are decided again on every row of the columns read; the others keep their reason
        again = apply_overrides(detect_roles(table, kind, other_units), table, columns, kind, scales)
        found = {c.name: c for c in again.columns}
        merged = tuple(found.get(c.name, c) for c in decided[0].columns)
        return table, Detection(again.kind, again.kind_reason, merged)
    table = widen(table, filename)
    detection = apply_overrides(detect_roles(table, kind, other_units), table, columns, kind, scales)
    return table, detection


def _undecided(column: pd.Series) -> bool:
    """A column its first rows cannot judge: no value, or one value only."""
    return int(column.nunique(dropna=True)) <= 1


def _only_part(table: Table, part: dict[str, str], filename: str, optional: bool = False) -> Table:
    """Only the rows whose column holds the value, each ``{column: value}`` of ``part``; the others counted in a note.
    A column the file does not hold is refused, or passed over when ``optional``."""
    for column, value in part.items():
        name = next((c for c in table.frame.columns if normalize(c) == normalize(column)), None)
        if name is None and optional:
            continue
        if name is None:
            raise ColumnError(msg("There is no column “{name}”; use one of: {names}.", name=column,
                                  names=", ".join(f"“{c}”" for c in list(table.frame.columns)[:12])))
        keys = table.frame[name].astype("string").str.strip().str.casefold()
        keep = (keys == normalize(value)).fillna(False).to_numpy(dtype=bool)
        if not keep.any():
            values = sorted({str(v) for v in table.frame[name].dropna().unique()})[:12]
            raise ColumnError(msg("No row of “{file}” has “{value}” in “{column}”; its values are: {values}.",
                                  file=filename, value=value, column=name, values=", ".join(values)))
        total = len(keep)
        table.frame = table.frame.loc[keep].reset_index(drop=True)
        table.row_numbers = table.row_numbers[keep]
        table.notes.append(msg("Only the rows where “{column}” is “{value}” are read: {n} of {total}; the other {left} "
                               "are left out.", column=name, value=value, n=int(keep.sum()), total=total,
                               left=total - int(keep.sum())))
    return table


@dataclass
class _Tidy:
    """The work of :func:`tidy`: the read table, its roles, and what the steps build."""

    table: Table
    detection: Detection
    filename: str
    frame: pd.DataFrame
    reason: np.ndarray  # 0 = kept; otherwise 1 + index into SKIP_REASONS
    issues: list[ValueIssue] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    segments: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    weights: np.ndarray | None = None  # answers per table row (a table of counts), None: one each
    levels: tuple[str, ...] = ()
    unit_paths: tuple[tuple[str, ...], ...] = ()

    def count(self, mask: np.ndarray) -> int:
        """The answers of the rows in ``mask``."""
        return int(mask.sum()) if self.weights is None else int(self.weights[mask].sum())

    @property
    def raw(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def live(self) -> np.ndarray:
        return self.reason == 0

    def mark(self, mask: np.ndarray, key: str) -> None:
        self.reason[(self.reason == 0) & mask] = list(SKIP_REASONS).index(key) + 1

    def issue(self, column: str, message: Msg, mask: np.ndarray) -> None:
        if self.weights is not None:  # a table of counts has no row numbers
            self.issues.append(ValueIssue(column, message, (), self.count(mask)))
            return
        self.issues.append(ValueIssue(column, message, tuple(int(r) for r in self.table.row_numbers[mask])))


def _step_check(t: _Tidy) -> None:
    """Refuse a file without what its kind needs, with what to do."""
    d = t.detection
    if d.kind == "customer" and d.one("nps") is None:
        raise ColumnError(msg("No column in “{name}” holds the recommend question (0–10 or 1–10); choose the NPS column "
                              "yourself, or upload a file that asks it.", name=t.filename))
    for col in d.all("nps", "enps", "pulse"):
        mixed = mixed_parts(t.raw, col.name, d)
        if mixed is not None:
            group, parts = mixed
            first = next(iter(parts))
            raise MixedPartsError(msg("“{column}” holds answers on different scales, told apart by “{group}” ({parts}); "
                                      "an NPS needs one: read one part, for example with the part “{group}={value}” "
                                      "(--part on the command line).", column=col.name, group=group,
                                      parts="; ".join(f"{k}: {v}" for k, v in parts.items()), value=first),
                                  group, tuple(parts))
    if d.kind == "employee" and d.one("enps") is None and not d.all("item", "reverse-item") and d.one("score") is None \
            and d.one("pulse") is None:
        raise ColumnError(msg("No column in “{name}” holds engagement statements or an eNPS question; choose them "
                              "yourself.", name=t.filename))


def _step_unit(t: _Tidy) -> None:
    """The unit (department, clinic, office…), optional: answers without one form the group “not given”."""
    col = t.detection.one("department")
    if col is None:
        t.frame["department"] = pd.Categorical([NOT_GIVEN] * len(t.frame), categories=[NOT_GIVEN])
    else:
        raw = t.raw[col.name]
        if col.codes:  # 99 = not given in a column of unit numbers
            raw = raw.mask(pd.to_numeric(raw, errors="coerce").isin([v for v, _ in col.codes]))
        t.frame["department"] = _department(raw, NOT_GIVEN)


def _step_date(t: _Tidy) -> None:
    col = t.detection.one("date")
    if col is None:
        t.frame["date"] = np.full(len(t.frame), np.datetime64("NaT"), dtype="datetime64[ns]")
        return
    parsed = parse_dates(t.raw[col.name])
    t.frame["date"] = parsed.values
    if parsed.unreadable.any() and t.detection.kind == "employee":  # employee answers are never quoted: count and rows
        t.issue(col.name, msg_n("{count} date could not be read", "{count} dates could not be read",
                                t.count(parsed.unreadable)), parsed.unreadable)
    elif parsed.unreadable.any():
        t.issue(col.name, msg_n("{count} date could not be read (for example “{example}”)",
                                "{count} dates could not be read (for example “{example}”)",
                                t.count(parsed.unreadable), example=parsed.examples[0] if parsed.examples else ""),
                parsed.unreadable)


def _step_status(t: _Tidy) -> None:
    col = t.detection.one("status")
    if col is not None:
        t.mark(_status_excluded(t.raw[col.name]), "status")


def _answer_columns(d: Detection) -> list[str]:
    return [c.name for c in d.columns if c.role in ("nps", "enps", "item", "reverse-item", "score", "pulse", "comment")]


def _step_duplicates(t: _Tidy) -> None:
    """A repeated respondent id with the same answers is a duplicate; with other answers, both are kept and reported."""
    col = t.detection.one("id")
    if col is None:
        return
    repeated = _repeated(t.raw[col.name], t.live)
    if not repeated.any():
        return
    answers = t.raw[_answer_columns(t.detection) + [col.name]].astype("string").apply(lambda s: s.str.strip())
    same = answers.duplicated(keep="first").to_numpy() & repeated
    t.mark(same, "duplicate")
    differ = repeated & ~same
    if differ.any():
        t.issue(col.name, msg_n("{count} response shares its respondent id with an earlier one but has other answers: "
                                "both are kept (set the id column to “ignore” if the ids are not unique by design)",
                                "{count} responses share their respondent id with an earlier one but have other "
                                "answers: all are kept (set the id column to “ignore” if the ids are not unique by "
                                "design)", int(differ.sum())), differ)


def _step_recommend(t: _Tidy) -> None:
    """The NPS or eNPS answer on 0–10 (1–10 answers stay as given; 1–11 positions shift to 0–10)."""
    kind = t.detection.kind
    col = t.detection.one("enps" if kind == "employee" else "nps")
    n = len(t.frame)
    if col is None:
        t.frame["recommend"] = np.full(n, np.nan)
        return
    scale = col.scale or Scale(0, 10)
    conv = convert(t.raw[col.name], scale)
    vals = conv.values
    _report_codes(t, col, conv)
    if scale.low == 1 and scale.high == 11:
        vals = vals - 1
        scale = Scale(0, 10)
        t.notes.append(msg("“{column}”: answers 1–11 were read as positions and shifted to 0–10.", column=col.name))
    elif scale.low == 1:
        t.notes.append(msg("“{column}” is asked on 1–10: 9–10 count as promoters, 7–8 as passives and 1–6 as "
                           "detractors.", column=col.name))
    out = ~np.isnan(vals) & ((vals < scale.low) | (vals > scale.high) | (vals != np.round(vals)))
    t.frame["recommend"] = np.where(out, np.nan, vals)
    if kind == "customer":
        if conv.coded:
            t.mark(np.logical_or.reduce(list(conv.coded.values())), "coded")
        t.mark(conv.unreadable, "unreadable_score")
        t.mark(out, "out_of_range")
        t.mark(conv.missing, "no_score")
        return
    if (conv.unreadable & t.live).any():  # an employee's answer is never quoted: count and rows only
        t.issue(col.name, msg_n("{count} answer is not a number", "{count} answers are not numbers",
                                int((conv.unreadable & t.live).sum())), conv.unreadable & t.live)
    if (out & t.live).any():
        t.issue(col.name, msg_n("{count} answer is outside {scale}", "{count} answers are outside {scale}",
                                int((out & t.live).sum()), scale=str(scale)), out & t.live)


def _report_codes(t: _Tidy, col: ColumnRole, conv) -> None:
    """Answers read as no answer by the column's codes (9 = "don't know", a placeholder text): counted, with why."""
    codes = {why for _v, why in (col.scale.codes if col.scale else ())}
    for why, rows in conv.coded.items():
        rows = rows & t.live
        if why in codes and rows.any():
            values = ", ".join(f"“{v if isinstance(v, str) else f'{v:g}'}”" for v, w in col.scale.codes if w == why)
            t.issue(col.name, msg_n("{count} answer is {values}, read as no answer ({why})",
                                    "{count} answers are {values}, read as no answer ({why})", t.count(rows),
                                    values=values, why=MISSING_REASONS.get(why, why)), rows)


def _points(t: _Tidy, col: ColumnRole) -> np.ndarray:
    """A statement's answers as points on its declared scale; answers off the scale are left out and reported."""
    scale = col.scale
    assert scale is not None
    conv = convert(t.raw[col.name], scale)
    _report_codes(t, col, conv)
    v = conv.values
    out = ~np.isnan(v) & ((v < scale.low) | (v > scale.high) | (v != np.round(v)))
    bad = (conv.unreadable | out) & t.live
    if bad.any() and t.detection.kind == "employee":  # an employee's answer is never quoted: count and rows only
        t.issue(col.name, msg_n("{count} answer is not on the {scale} scale", "{count} answers are not on the {scale} scale",
                                int(bad.sum()), scale=str(scale)), bad)
    elif bad.any():
        t.issue(col.name, msg_n("{count} answer is not on the {scale} scale (for example “{example}”)",
                                "{count} answers are not on the {scale} scale (for example “{example}”)",
                                int(bad.sum()), scale=str(scale),
                                example=(conv.examples or tuple(f"{x:g}" for x in v[out][:1]) or ("",))[0]), bad)
    return np.where(out, np.nan, v)


def _answer_labels(raw: pd.Series, scale: Scale) -> tuple[str, ...]:
    """Per point of ``scale``, the text label the column holds most often for it ("" for none, or numbers)."""
    codes, uniques = distinct(raw)
    if not len(uniques) or scale.labels is None:
        return ()
    known = next((s.table() for s in LABEL_SCALES if s.key == scale.labels), {})
    # only the set's own wordings (never a typo or another raw text): the library's words, in the file's language
    texts = np.array([isinstance(u, str) and normalize(u) in known for u in uniques])
    points = convert(pd.Series(uniques, dtype=object), scale).values
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    out = []
    for p in range(int(scale.low), int(scale.high) + 1):
        hit = np.flatnonzero(texts & (points == p))
        out.append(str(uniques[hit[np.argmax(counts[hit])]]).strip() if hit.size else "")
    return tuple(out)


def _step_items(t: _Tidy) -> None:
    """Statements: points, reverse-worded ones flipped (only when the user says so), engagement and favourable."""
    cols = t.detection.all("item", "reverse-item")
    n = len(t.frame)
    points = np.full((n, len(cols)), np.nan)
    for j, col in enumerate(cols):
        points[:, j] = _points(t, col)
        t.notes.extend(typo_notes(col))
    lows = np.array([c.scale.low for c in cols], dtype=float)
    highs = np.array([c.scale.high for c in cols], dtype=float)
    reverse = np.array([c.role == "reverse-item" for c in cols], dtype=bool)
    if len(cols) >= 3:
        scaled = 100.0 * (points[t.live] - lows) / (highs - lows)
        scaled[:, reverse] = 100.0 - scaled[:, reverse]
        for name, r in detect_reverse_items(scaled[:20_000], [c.name for c in cols]).items():
            t.notes.append(msg("“{column}” runs against the other statements (r = {r} with their mean). Is it "
                               "negatively worded? If so, mark it reverse-worded.", column=name, r=f"{r:.2f}"))
    for col in cols:
        if col.suggestion is not None and col.role != "reverse-item":
            t.notes.append(msg("“{column}” {suggestion}.", column=col.name, suggestion=col.suggestion))
    points[:, reverse] = reverse_points(points[:, reverse], lows[reverse], highs[reverse])
    for j, col in enumerate(cols):
        key = f"item_{j}"
        t.frame[key] = points[:, j].astype("float32")
        why = msg("marked reverse-worded by you") if col.role == "reverse-item" else None
        t.items.append(Item(key, col.name, col.label, col.scale, bool(reverse[j]), why,  # type: ignore[arg-type]
                            _answer_labels(t.raw[col.name], col.scale)))
    if cols:
        scaled = 100.0 * (points - lows) / (highs - lows)
        answered = (~np.isnan(points)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            t.frame["engagement"] = np.where(answered > 0, np.nansum(scaled, axis=1) / np.maximum(answered, 1), np.nan)
        fav_low = np.array([favorable_points(c.scale)[0] for c in cols], dtype=float)
        t.frame["answered"] = answered.astype(np.int32)
        t.frame["favorable"] = (points >= fav_low).sum(axis=1).astype(np.int32)
    else:
        t.frame["engagement"] = np.nan
        t.frame["answered"] = np.zeros(n, dtype=np.int32)
        t.frame["favorable"] = np.zeros(n, dtype=np.int32)


def _step_score(t: _Tidy) -> None:
    """A precomputed engagement score (decimal, on its scale) becomes each person's engagement score, rescaled to 0–100."""
    col = t.detection.one("score")
    if col is None or col.scale is None:
        return
    conv = convert(t.raw[col.name])
    v = conv.values
    out = ~np.isnan(v) & ((v < col.scale.low) | (v > col.scale.high))
    if (out & t.live).any():
        t.issue(col.name, msg_n("{count} score is outside {scale}", "{count} scores are outside {scale}",
                                int((out & t.live).sum()), scale=str(col.scale)), out & t.live)
    score = np.where(out, np.nan, 100.0 * (v - col.scale.low) / (col.scale.high - col.scale.low))
    t.frame["engagement"] = score
    t.frame["answered"] = np.maximum(t.frame["answered"].to_numpy(), (~np.isnan(score)).astype(np.int32))
    t.notes.append(msg("The engagement index is the mean of “{column}”, rescaled from {scale} to 0–100; favourable % "
                       "comes from the statements, if any.", column=col.name, scale=str(col.scale)))


def _step_pulse(t: _Tidy) -> None:
    col = t.detection.one("pulse")
    if col is None or col.scale is None:
        return
    t.frame["pulse"] = _points(t, col)


def _step_no_answers(t: _Tidy) -> None:
    if t.detection.kind != "employee":
        return
    empty = (t.frame["answered"].to_numpy() == 0) & np.isnan(t.frame["recommend"].to_numpy(dtype=float))
    if "pulse" in t.frame:
        empty &= np.isnan(t.frame["pulse"].to_numpy(dtype=float))
    t.mark(empty, "no_answers")


def _step_levels(t: _Tidy) -> None:
    """The higher-unit columns, top first (fewest names), and the distinct paths of names down to the unit of the
    rows kept so far."""
    cols = t.detection.all("level")
    if not cols or t.detection.one("department") is None:
        return
    named = [(col.name, _department(t.raw[col.name])) for col in cols]
    named.sort(key=lambda c: len(c[1].categories))
    live = t.live
    parts = pd.DataFrame({**{name: pd.Series(values).astype("object") for name, values in named},
                          "unit": pd.Series(t.frame["department"]).astype("object")})[live]
    paths = parts.dropna(subset=["unit"]).fillna("").drop_duplicates()
    t.levels = tuple(name for name, _v in named)
    t.unit_paths = tuple(tuple(str(v) for v in row) for row in paths.itertuples(index=False))


def _step_groups_and_comments(t: _Tidy) -> None:
    for j, col in enumerate(t.detection.all("segment")):
        if col.suggestion is not None:
            t.notes.append(msg("“{column}” {suggestion}.", column=col.name, suggestion=col.suggestion))
        key = f"segment_{j}"
        t.frame[key] = _department(t.raw[col.name])
        t.segments[col.name] = key
    for j, col in enumerate(t.detection.all("comment")):
        key = f"comment_{j}"
        text = t.raw[col.name].astype("string")
        marker = text.map(no_comment, na_action="ignore").fillna(False).to_numpy(dtype=bool)
        if marker.any():
            t.notes.append(msg_n("“{column}”: {count} comment is only a missing-value mark (“NA”, “-”…) and counts as "
                                 "no comment.", "“{column}”: {count} comments are only a missing-value mark (“NA”, "
                                 "“-”…) and count as no comment.", int(marker.sum()), column=col.name))
        t.frame[key] = text.mask(marker).to_numpy()
        t.comments[col.name] = key


def _step_left_out_statements(t: _Tidy) -> None:
    """A column that looks like a statement but is not used is said where the figures are (a warning beside the value
    issues), with its answers counted, not only in the reading's review."""
    for col in t.detection.all("ignore"):
        if left_out_statement(col) and col.name in t.raw:
            t.issue(col.name, msg("its answers are not used ({why})", why=col.reason),
                    t.live & t.raw[col.name].notna().to_numpy())


#: What exports write in a comment cell left empty ("NA" from R, "#N/A" from Excel, "-" or "." typed).
NO_COMMENT = frozenset({"na", "n/a", "n.a.", "n.a", "#n/a", "nan", "null", "none", "<na>"})


def no_comment(text: object) -> bool:
    """Whether a comment cell holds only a missing-value mark: a word of :data:`NO_COMMENT`, or characters but no
    letter or digit (a blank cell is read as empty already).

    >>> [no_comment(t) for t in ("NA", " n/a ", "–", ".", "Bra!", "Nej")]
    [True, True, True, True, False, False]
    """
    key = normalize(text).strip()
    return key in NO_COMMENT or (bool(key) and not any(c.isalnum() for c in key))


#: The steps of :func:`tidy`, in order.
STEPS = (_step_check, _step_unit, _step_date, _step_status, _step_duplicates, _step_recommend, _step_items,
         _step_score, _step_pulse, _step_no_answers, _step_groups_and_comments, _step_left_out_statements, _step_levels)


def tidy(table: Table, detection: Detection, filename: str, weights: np.ndarray | None = None) -> Survey:
    """Turn a read table with known roles into a :class:`Survey`, through the named :data:`STEPS`.

    ``weights``: the table is a table of counts (one row per distinct combination of values, read where the data
    lives, :mod:`lib.survey.aggregate`) and ``weights`` says how many answers each row stands for; the rows left
    out and the value issues are counted in answers, and the frame keeps a ``weight`` column."""
    n = len(table.frame)
    t = _Tidy(table, detection, filename, pd.DataFrame({"row": table.row_numbers}),
              np.zeros(n, dtype=np.int8), notes=list(table.notes), weights=weights)
    if weights is not None:
        t.frame["weight"] = np.asarray(weights, dtype=np.int64)
    for step in STEPS:
        step(t)
    keys = list(SKIP_REASONS)
    skipped = tuple((Skipped(key, tuple(int(r) for r in table.row_numbers[t.reason == i + 1])) if weights is None
                     else Skipped(key, (), t.count(t.reason == i + 1)))
                    for i, key in enumerate(keys) if (t.reason == i + 1).any())
    kept = t.frame.loc[t.live].reset_index(drop=True)
    kept["department"] = _compact(kept["department"])
    for key in t.segments.values():
        kept[key] = _compact(kept[key])
    if kept.empty:
        raise NoResponsesError(msg("No row in “{name}” can be used ({why}); check the file and its columns.", name=filename,
                                   why="; ".join(f"{s.count} × {s.message}" for s in skipped)))
    raw = table.frame
    kind = detection.kind
    return Survey(
        name=filename, kind=kind, detection=detection, frame=kept, items=tuple(t.items), segments=t.segments,
        comments=t.comments, skipped=skipped, issues=tuple(t.issues), total_rows=t.count(np.ones(n, dtype=bool)),
        sheet=table.sheet,
        sheets=tuple(table.sheets), notes=tuple(t.notes), has_units=detection.one("department") is not None,
        header_row=table.header_row, header_rows=table.layout.count, levels=t.levels, unit_paths=t.unit_paths,
        # employee answers are personal data: the employee file keeps column summaries, never raw rows
        preview=raw.head(20) if kind == "customer" else None,  # shown only as lib.privacy.surfaces.preview allows
        profile=column_profile(raw, detection) if kind == "employee" else None,
    )
