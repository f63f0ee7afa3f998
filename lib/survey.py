"""A survey file turned into one tidy frame: department, date, scores, items, segments.

:func:`load_survey` reads the bytes, detects column roles (with overrides),
converts every answer to a number on its scale, and leaves out the rows that
cannot count — each one counted under its reason with its spreadsheet row
number, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import stats
from .dates import parse_dates
from .errors import ColumnError, NoResponsesError
from .i18n import Msg, msg, msg_n
from .profiling import column_profile
from .reading import Table, read_table
from .roles import Detection, apply_overrides, detect_reverse_items, detect_roles
from .scales import Scale, convert, favorable_points, parse_number
from .vocab import EXCLUDED_STATUS_CODES, EXCLUDED_STATUS_TEXT, normalize

#: Why a row was left out, in the order the checks run.
SKIP_REASONS: dict[str, str] = {
    "status": "preview, test or spam response (by its Status column)",
    "duplicate": "duplicate respondent id (the first answer is kept)",
    "no_department": "no department",
    "no_score": "no answer to the recommend question",
    "unreadable_score": "recommend answer is not a number",
    "out_of_range": "recommend answer outside 0–10",
    "no_answers": "no answer to any statement or to the recommend question",
}


@dataclass(frozen=True)
class Item:
    """A Likert statement: frame column ``key`` holds its points (reverse items already flipped)."""

    key: str
    name: str
    label: str
    scale: Scale
    reverse: bool
    reverse_reason: Msg | None = None


@dataclass(frozen=True)
class Skipped:
    """Rows left out for one reason, with their spreadsheet row numbers."""

    reason: str
    rows: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def message(self) -> Msg:
        return msg(SKIP_REASONS[self.reason])


@dataclass(frozen=True)
class ValueIssue:
    """Answers in a kept row that could not be used (they count as no answer)."""

    column: str
    message: Msg
    rows: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.rows)


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
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # derived tables (lib.privacy)

    @property
    def has_recommend(self) -> bool:
        return self.detection.one("enps" if self.kind == "employee" else "nps") is not None

    @property
    def departments(self) -> list[str]:
        return [str(c) for c in self.frame["department"].cat.categories]

    def skipped_counts(self) -> dict[str, int]:
        return {s.reason: s.count for s in self.skipped}


def _status_excluded(series: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    bad = [normalize(u) in EXCLUDED_STATUS_TEXT or (parse_number(u) in EXCLUDED_STATUS_CODES) for u in uniques]
    lookup = np.array(bad + [False], dtype=bool)
    return lookup[codes]


def _department(series: pd.Series) -> pd.Categorical:
    """Trimmed, space-collapsed group names as a categorical; blanks become missing.

    Cleaned once per distinct value, not once per row.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = [" ".join(str(u).split()) for u in uniques]
    names = sorted({c for c in cleaned if c})
    pos = {n: i for i, n in enumerate(names)}
    lookup = np.array([pos.get(c, -1) for c in cleaned] + [-1], dtype=np.int32)
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


def _issue(table: Table, column: str, message: Msg, mask: np.ndarray) -> ValueIssue:
    return ValueIssue(column, message, tuple(int(r) for r in table.row_numbers[mask]))


def load_survey(
    data: bytes | Path,
    filename: str,
    *,
    kind: str | None = None,
    sheet: str | int | None = None,
    columns: dict[str, str] | None = None,
) -> Survey:
    """Read and tidy one survey export (bytes of an upload, or a path).

    ``kind`` is "customer" or "employee" (guessed when None); ``sheet`` picks a
    sheet; ``columns`` maps column names to roles and overrides detection
    (``{"Avdelning": "department", "Q7": "reverse-item", "Office": "ignore"}``).
    """
    table = read_table(data, filename, sheet)
    if table.frame.empty or not len(table.frame):
        raise NoResponsesError(msg("“{name}” has a header but no response rows; export the survey again with its responses.",
                                   name=filename))
    detection = detect_roles(table, kind)
    detection = apply_overrides(detection, table, columns, kind)
    return tidy(table, detection, filename, columns or {})


def tidy(table: Table, detection: Detection, filename: str, overrides: dict[str, str] | None = None) -> Survey:
    """Turn a read table with known roles into a :class:`Survey`."""
    raw = table.frame
    n = len(raw)
    kind = detection.kind
    rows = table.row_numbers
    issues: list[ValueIssue] = []
    notes: list[Msg] = list(table.notes)

    dept_col = detection.one("department")
    if dept_col is None:
        raise ColumnError(msg("No column in “{name}” looks like a department or unit; choose the department column yourself.",
                              name=filename))
    recommend_role = "enps" if kind == "employee" else "nps"
    rec_col = detection.one(recommend_role)
    item_cols = detection.all("item", "reverse-item")
    if kind == "customer" and rec_col is None:
        raise ColumnError(msg("No column in “{name}” holds the recommend question (0–10); choose the NPS column yourself.",
                              name=filename))
    if kind == "employee" and rec_col is None and not item_cols:
        raise ColumnError(msg("No column in “{name}” holds engagement statements or an eNPS question; choose them yourself.",
                              name=filename))

    frame = pd.DataFrame({"row": rows})
    frame["department"] = _department(raw[dept_col.name])
    date_col = detection.one("date")
    if date_col is not None:
        parsed = parse_dates(raw[date_col.name])
        frame["date"] = parsed.values
        if parsed.unreadable.any():
            issues.append(_issue(table, date_col.name, msg_n("{count} date could not be read (for example “{example}”)",
                                                               "{count} dates could not be read (for example “{example}”)",
                                                               int(parsed.unreadable.sum()), example=parsed.examples[0] if parsed.examples else ""),
                                 parsed.unreadable))
    else:
        frame["date"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")

    reason = np.zeros(n, dtype=np.int8)  # 0 = kept; otherwise 1 + index into SKIP_REASONS
    keys = list(SKIP_REASONS)

    def mark(mask: np.ndarray, key: str) -> None:
        reason[(reason == 0) & mask] = keys.index(key) + 1

    status_col = detection.one("status")
    if status_col is not None:
        mark(_status_excluded(raw[status_col.name]), "status")
    id_col = detection.one("id")
    if id_col is not None:
        mark(_repeated(raw[id_col.name], reason == 0), "duplicate")
    mark(frame["department"].isna().to_numpy(), "no_department")

    recommend = np.full(n, np.nan)
    if rec_col is not None:
        conv = convert(raw[rec_col.name])
        vals = conv.values
        if rec_col.scale is not None and rec_col.scale.low == 1 and rec_col.scale.high == 11:
            vals = vals - 1
            notes.append(msg("“{column}”: answers 1–11 were read as positions and shifted to 0–10.", column=rec_col.name))
        out = ~np.isnan(vals) & ((vals < 0) | (vals > 10) | (vals != np.round(vals)))
        recommend = np.where(out, np.nan, vals)
        if kind == "customer":
            mark(conv.unreadable, "unreadable_score")
            mark(out, "out_of_range")
            mark(conv.missing, "no_score")
        else:
            live = reason == 0
            if (conv.unreadable & live).any():
                issues.append(_issue(table, rec_col.name, msg_n("{count} answer is not a number (for example “{example}”)",
                                                                  "{count} answers are not numbers (for example “{example}”)",
                                                                  int((conv.unreadable & live).sum()),
                                                                  example=conv.examples[0] if conv.examples else ""),
                                     conv.unreadable & live))
            if (out & live).any():
                issues.append(_issue(table, rec_col.name, msg_n("{count} answer is outside 0–10", "{count} answers are outside 0–10",
                                                                  int((out & live).sum())), out & live))
    frame["recommend"] = recommend

    # Items: points on their scale, reverse items flipped, rescaled copies for scores.
    points = np.full((n, len(item_cols)), np.nan)
    for j, col in enumerate(item_cols):
        conv = convert(raw[col.name], col.scale)
        scale = col.scale
        assert scale is not None
        v = conv.values
        out = ~np.isnan(v) & ((v < scale.low) | (v > scale.high) | (v != np.round(v)))
        live = reason == 0
        bad = (conv.unreadable | out) & live
        if bad.any():
            issues.append(_issue(table, col.name, msg_n("{count} answer is not on the {scale} scale (for example “{example}”)",
                                                          "{count} answers are not on the {scale} scale (for example “{example}”)",
                                                          int(bad.sum()), scale=str(scale),
                                                          example=(conv.examples or tuple(str(x) for x in v[out][:1]) or ("",))[0]),
                                 bad))
        points[:, j] = np.where(out, np.nan, v)
    lows = np.array([c.scale.low for c in item_cols], dtype=float)
    highs = np.array([c.scale.high for c in item_cols], dtype=float)
    chosen = {name for name, role in (overrides or {}).items()}
    reverse = np.array([c.role == "reverse-item" for c in item_cols], dtype=bool)
    reverse_reasons: dict[str, Msg] = {}
    if len(item_cols) >= 3:
        live = reason == 0
        scaled = 100.0 * (points[live] - lows) / (highs - lows)
        scaled[:, reverse] = 100.0 - scaled[:, reverse]
        user_set = {c.name for c in item_cols if c.overridden or c.name in chosen}
        for name, r in detect_reverse_items(scaled[:20_000], [c.name for c in item_cols]).items():
            if name in user_set:
                continue
            j = [c.name for c in item_cols].index(name)
            reverse[j] = True
            reverse_reasons[name] = msg("answers run against the other statements (r = {r} with their mean), so it is scored reversed",
                                        r=f"{r:.2f}")
    points[:, reverse] = stats.reverse(points[:, reverse], lows[reverse], highs[reverse])
    items = []
    for j, col in enumerate(item_cols):
        key = f"item_{j}"
        frame[key] = points[:, j].astype("float32")
        why = reverse_reasons.get(col.name) or (msg("marked reverse-worded by you") if col.role == "reverse-item" else None)
        items.append(Item(key, col.name, col.label, col.scale, bool(reverse[j]), why))  # type: ignore[arg-type]
    if item_cols:
        scaled = 100.0 * (points - lows) / (highs - lows)
        answered = (~np.isnan(points)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["engagement"] = np.where(answered > 0, np.nansum(scaled, axis=1) / np.maximum(answered, 1), np.nan)
        fav_low = np.array([favorable_points(c.scale)[0] for c in item_cols], dtype=float)
        frame["answered"] = answered.astype(np.int32)
        frame["favorable"] = (points >= fav_low).sum(axis=1).astype(np.int32)
    else:
        frame["engagement"] = np.nan
        frame["answered"] = np.zeros(n, dtype=np.int32)
        frame["favorable"] = np.zeros(n, dtype=np.int32)
    if kind == "employee":
        mark((frame["answered"].to_numpy() == 0) & np.isnan(recommend), "no_answers")

    segments: dict[str, str] = {}
    for j, col in enumerate(detection.all("segment")):
        key = f"segment_{j}"
        frame[key] = _department(raw[col.name])
        segments[col.name] = key
    comments: dict[str, str] = {}
    for j, col in enumerate(detection.all("comment")):
        key = f"comment_{j}"
        frame[key] = raw[col.name].astype("string").to_numpy()
        comments[col.name] = key

    skipped = tuple(
        Skipped(key, tuple(int(r) for r in rows[reason == i + 1])) for i, key in enumerate(keys) if (reason == i + 1).any()
    )
    kept = frame.loc[reason == 0].reset_index(drop=True)
    kept["department"] = _compact(kept["department"])
    for key in segments.values():
        kept[key] = _compact(kept[key])
    if kept.empty:
        raise NoResponsesError(msg("No row in “{name}” can be used ({why}); check the file and its columns.", name=filename,
                                   why="; ".join(f"{s.count} × {s.message}" for s in skipped)))
    return Survey(
        name=filename, kind=kind, detection=detection, frame=kept, items=tuple(items), segments=segments,
        comments=comments, skipped=skipped, issues=tuple(issues), total_rows=n, sheet=table.sheet,
        sheets=tuple(table.sheets), notes=tuple(notes),
        # employee answers are personal data: the employee file keeps column summaries, never raw rows
        preview=raw.head(20) if kind == "customer" else None,
        profile=column_profile(raw, detection) if kind == "employee" else None,
    )
