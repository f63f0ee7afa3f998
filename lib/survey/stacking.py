"""Several exports of one survey (one file per wave) as one survey, each response marked with its wave.

Statements, segments and comments are matched across the files by their header; a statement on different scales
in two files is refused, since its points could not be put side by side. The wave becomes a segment column, so
figures can be filtered and compared by wave, and the privacy module splits its protection groups by wave too.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
from pandas.api.types import union_categoricals

from lib.errors import ColumnError
from lib.i18n import msg
from lib.survey.frame import Skipped, Survey
from lib.values.dates import period_label


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


def stack(surveys: list[Survey], waves: list[str] | None = None) -> Survey:
    """One survey from several files of the same survey, in the order given (earliest wave first).

    ``waves`` names each file's wave (default: 1, 2, 3… in the order given, so that the customer and the employee
    survey's waves line up). The first file's column roles describe the whole.
    """
    if len(surveys) == 1:
        return surveys[0]
    waves = waves or [str(i + 1) for i in range(len(surveys))]
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
    )
