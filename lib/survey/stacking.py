"""Several exports of one survey (one file per wave) as one survey, each response marked with its wave.

Statements, segments and comments are matched across the files by their header. A statement read on a smaller label
set in one file than in another (a short pulse where nobody chose the midpoint reads on four points, the other waves
on five) is read on the larger set when every label of the smaller is a point of it, and said so in a note; other
different scales are refused, since their points could not be put side by side. The wave becomes a segment column, so
figures can be filtered and compared by wave, and the privacy module splits its protection groups by wave too.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from lib.errors import ColumnError
from lib.i18n import msg
from lib.survey.frame import Skipped, Survey
from lib.values.dates import period_label
from lib.values.scales import favorable_points
from lib.values.scale_library import LABEL_FAMILIES, LABEL_SCALES, LabelScale, points_into
from lib.values.vocab import normalize


#: The wave's segment column: the name the filters and the link use (a column name, like the file's own).
WAVE = "Wave"


def _keys(names: list[str], prefix: str) -> dict[str, str]:
    return {name: f"{prefix}_{j}" for j, name in enumerate(dict.fromkeys(names))}


def in_date_order(surveys: list[Survey]) -> list[Survey]:
    """The files by their first response date; undated files last, by the period their names say ("staff 2025 Q1.xlsx",
    "Q4-2024.csv") when every one says one, else in the order given."""
    def first(s: Survey) -> pd.Timestamp:
        dates = s.frame["date"].dropna()
        return dates.min() if not dates.empty else pd.Timestamp.max

    undated = [s for s in surveys if first(s) == pd.Timestamp.max]
    named = {id(s): name_period(s.name) for s in undated}
    by_name = all(named.values())
    return sorted(surveys, key=lambda s: (first(s), named.get(id(s)) or (0, 0) if by_name else (0, 0)))


def name_period(filename: str) -> tuple[int, int] | None:
    """The quarter, half-year or tertial a file's name says ("staff 2025 Q1.xlsx", "kysely Q1-2025.csv"), or None.

    >>> name_period("staff 2025 Q1.xlsx"), name_period("Q4/2024 export.csv"), name_period("kvartal 1 2025.xlsx")
    ((2025, 1), (2024, 10), (2025, 1))
    """
    stem = re.sub(r"\.[A-Za-z]{2,4}$", "", filename)
    words = re.split(r"[\s_]+", stem)
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            found = period_label(" ".join(words[i:i + size]))
            if found:
                return found
    return None


_SETS: dict[str, LabelScale] = {s.key: s for s in LABEL_SCALES}


def _on_larger_sets(surveys: list[Survey]) -> list[Survey]:
    """The files with each labelled statement read on the largest label set any file reads it on, where the smaller
    sets' labels are points of it (:func:`lib.values.scale_library.points_into`); the points are moved to the larger
    set's and a note says so."""
    largest: dict[str, LabelScale] = {}
    for s in surveys:
        for i in s.items:
            got = _SETS.get(i.scale.labels or "")
            have = largest.get(i.name)
            if got is not None and (have is None or len(got.points) > len(have.points)):
                largest[i.name] = got
    out = []
    for s in surveys:
        moved, frame, notes = [], None, list(s.notes)
        for i in s.items:
            small, large = _SETS.get(i.scale.labels or ""), largest.get(i.name)
            if small is None or large is None or small is large \
                    or LABEL_FAMILIES.get(small.key) != LABEL_FAMILIES.get(large.key):
                moved.append(i)
                continue
            points = points_into(small, large)
            if points is None:
                moved.append(i)
                continue
            frame = s.frame.copy() if frame is None else frame
            values = frame[i.key]
            if i.reverse:  # stored flipped: flip back, move, flip on the larger set
                values = (small.low + small.high) - values
            values = values.map(points, na_action="ignore").astype("float64")
            frame[i.key] = ((large.low + large.high) - values if i.reverse else values).astype("float32")
            moved.append(replace(i, scale=replace(i.scale, low=large.low, high=large.high, labels=large.key)))
            notes.append(msg("“{column}” in “{file}” is read on the {large} labels of the other waves (its answers "
                             "use only points of that set).", column=i.name, file=s.name,
                             large=f"{large.low}–{large.high}"))
        if frame is not None:
            _rescore(frame, moved, s.detection.one("score") is None)
        out.append(s if frame is None else replace(s, frame=frame, items=tuple(moved), notes=tuple(notes), cache={}))
    return out


def _statements_in_every_wave(surveys: list[Survey]) -> list[Survey]:
    """A column that one file reads as comments and another as a labelled statement (a short wave whose few answers
    are one label and a stray text) is the statement in every file: the comment file's texts are read on the
    statement's label set, and a text that is no label of it is left out as an answer, never shown as a comment."""
    statements: dict[str, object] = {}
    for s in surveys:
        for i in s.items:
            if _SETS.get(i.scale.labels or "") is not None:
                statements.setdefault(i.name, i)
    out = []
    for s in surveys:
        moving = [name for name in s.comments if name in statements]
        if not moving:
            out.append(s)
            continue
        frame, items, comments, notes = s.frame.copy(), list(s.items), dict(s.comments), list(s.notes)
        for name in moving:
            item = statements[name]
            labels = _SETS[item.scale.labels].table()  # type: ignore[attr-defined]
            texts = frame.pop(comments.pop(name))
            points = np.array([labels.get(normalize(t), np.nan) if isinstance(t, str) else np.nan for t in texts],
                              dtype="float64")
            if item.reverse:  # type: ignore[attr-defined]
                points = (item.scale.low + item.scale.high) - points  # type: ignore[attr-defined]
            key = next(f"item_{j}" for j in range(len(frame.columns) + len(items) + 1) if f"item_{j}" not in frame)
            frame[key] = points.astype("float32")
            items.append(replace(item, key=key))  # type: ignore[type-var]
            strays = int(sum(isinstance(t, str) and bool(t.strip()) for t in texts) - np.isfinite(points).sum())
            notes.append(msg("“{column}” in “{file}” is read as the statement it is in the other waves, not as "
                             "comments; {n} answers that are no label of it are left out.", column=name, file=s.name,
                             n=strays))
        _rescore(frame, items, s.detection.one("score") is None)
        out.append(replace(s, frame=frame, items=tuple(items), comments=comments, notes=tuple(notes), cache={}))
    return out


def _rescore(frame: pd.DataFrame, items: list, engagement: bool) -> None:
    """Each person's engagement (unless a score column gives it) and favourable count again, from the items' points
    on their (new) scales, as :func:`lib.survey.frame.load_survey` computes them."""
    if not items:
        return
    points = np.column_stack([frame[i.key].to_numpy(dtype="float64") for i in items])
    lows = np.array([i.scale.low for i in items], dtype=float)
    highs = np.array([i.scale.high for i in items], dtype=float)
    answered = (~np.isnan(points)).sum(axis=1)
    if engagement:
        scaled = 100.0 * (points - lows) / (highs - lows)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["engagement"] = np.where(answered > 0, np.nansum(scaled, axis=1) / np.maximum(answered, 1), np.nan)
    fav_low = np.array([favorable_points(i.scale)[0] for i in items], dtype=float)
    frame["favorable"] = (points >= fav_low).sum(axis=1).astype(np.int32)


def stack(surveys: list[Survey], waves: list[str] | None = None) -> Survey:
    """One survey from several files of the same survey, in the order given (earliest wave first).

    ``waves`` names each file's wave (default: 1, 2, 3… in the order given, so that the customer and the employee
    survey's waves line up). The first file's column roles describe the whole.
    """
    if len(surveys) == 1:
        return surveys[0]
    waves = waves or [str(i + 1) for i in range(len(surveys))]
    surveys = _on_larger_sets(_statements_in_every_wave(surveys))
    items = _keys([i.name for s in surveys for i in s.items], "item")
    segments = _keys([n for s in surveys for n in s.segments], "segment")
    comments = _keys([n for s in surveys for n in s.comments], "comment")
    first_item = {}
    for s in surveys:
        for i in s.items:
            seen = first_item.setdefault(i.name, (i, s.name))
            if (seen[0].scale.low, seen[0].scale.high) != (i.scale.low, i.scale.high):
                raise ColumnError(msg("“{column}” is answered on {a} in “{first}” and on {b} in “{second}”; set the "
                                      "same scale for both files on the Data page (or with --scale) to put the waves "
                                      "together.", column=i.name, a=str(seen[0].scale), first=seen[1], b=str(i.scale),
                                      second=s.name))
    frames, departments, wave_codes = [], [], []
    for s, wave in zip(surveys, waves):
        rename = {i.key: items[i.name] for i in s.items}
        rename |= {key: segments[name] for name, key in s.segments.items()}
        rename |= {key: comments[name] for name, key in s.comments.items()}
        frame = s.frame.rename(columns=rename)
        departments.append(frame["department"])
        frames.append(frame.drop(columns=["department"]))
        wave_codes += [wave] * len(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame.insert(1, "department", union_categoricals([pd.Categorical(d) for d in departments], sort_categories=True))
    for key in segments.values():
        frame[key] = pd.Categorical(frame[key].astype("object"))
    wave_name = WAVE
    frame["segment_wave"] = pd.Categorical(wave_codes, categories=list(dict.fromkeys(waves)), ordered=True)
    stacked_items = tuple(replace(first_item[name][0], key=key) for name, key in items.items())
    by_reason: dict[str, list[int]] = {}
    answers: dict[str, int] = {}  # a wave counted where it lives has counts without row numbers
    for s in surveys:
        for sk in s.skipped:
            by_reason.setdefault(sk.reason, []).extend(sk.rows)
            answers[sk.reason] = answers.get(sk.reason, 0) + sk.count
    first = surveys[0]
    return replace(
        first, name=" + ".join(s.name for s in surveys), frame=frame, items=stacked_items,
        segments={**{n: k for n, k in segments.items()}, wave_name: "segment_wave"},
        comments=dict(comments), skipped=tuple(Skipped(r, tuple(rows), None if answers[r] == len(rows) else answers[r])
                      for r, rows in by_reason.items()),
        issues=tuple(i for s in surveys for i in s.issues), total_rows=sum(s.total_rows for s in surveys),
        notes=tuple(n for s in surveys for n in s.notes), preview=None, profile=None,
        has_units=all(s.has_units for s in surveys), cache={},
        unit_paths=tuple(dict.fromkeys(path for s in surveys for path in s.unit_paths)),
    )
