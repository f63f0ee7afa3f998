"""Filters applied to both surveys before every figure: departments, dates, segments.

A filter returns a row mask and, for every row it leaves out, the reason, so the
user can see how many responses each filter removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.errors import OptionError
from lib.i18n import Msg, msg
from lib.figures.linkage import DepartmentLink
from lib.privacy import groups as privacy, surfaces
from lib.survey.frame import Survey, remembered


@dataclass(frozen=True)
class Filters:
    """Departments (display names; None = all), an inclusive date range, segment values."""

    departments: frozenset[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    segments: tuple[tuple[str, frozenset[str]], ...] = ()

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise OptionError(msg("The start date {since} is after the end date {until}; swap them.",
                                  since=self.since.isoformat(), until=self.until.isoformat()))

    @property
    def active(self) -> bool:
        return bool(self.departments is not None or self.since or self.until or self.segments)


@dataclass(frozen=True)
class FilterResult:
    mask: np.ndarray
    excluded: dict[str, int]  # reason key -> rows left out by the filter


FILTER_REASONS: dict[str, Msg] = {
    "unit": msg("outside the chosen unit"),
    "department": msg("not in the chosen departments"),
    "date": msg("outside the chosen dates"),
    "undated": msg("no date (a date filter is on)"),
    "segment": msg("not in the chosen segment values"),
    "anonymity": msg("in a protection group that the filters cut (left out of employee figures, which use whole groups only)"),
}


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date from the command line or a link."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise OptionError(msg("“{text}” is not a date; write it as YYYY-MM-DD, for example 2024-03-31.", text=text)) from exc


def department_index(survey: Survey, link: DepartmentLink, side: str) -> np.ndarray:
    """Each kept row's index into ``link.names`` (kept with the survey for the same lookup of its departments)."""
    lookup = link.index_of(side, survey.departments)

    def make() -> np.ndarray:
        index = lookup[survey.frame["department"].cat.codes.to_numpy()]
        index.flags.writeable = False  # shared by every view: nobody may change it in place
        return index

    return remembered(survey, "department_index", lookup.tobytes(), make)


#: The first and last days a date of the frames can fall on (pandas' nanosecond timestamps run from 1677-09-21
#: 00:12 to 2262-04-11 23:47): a filter's day outside them is before or after every row (numpy would wrap it round
#: silently); the first day's own midnight is outside the range too, so that day starts at position 0.
_FIRST_DAY = pd.Timestamp.min.date()
_LAST_DAY = pd.Timestamp.max.date()


def _first_on_or_after(ordered: np.ndarray, day: dt.date) -> int:
    """The position of the first of the dates in order (nanoseconds) on or after ``day``."""
    if day <= _FIRST_DAY:
        return 0
    if day > _LAST_DAY:
        return len(ordered)
    return int(np.searchsorted(ordered, np.datetime64(day, "ns")))


def _first_after(ordered: np.ndarray, day: dt.date) -> int:
    """The position of the first of the dates in order after the whole of ``day``."""
    return len(ordered) if day >= _LAST_DAY else _first_on_or_after(ordered, day + dt.timedelta(days=1))


def apply(survey: Survey, filters: Filters, link: DepartmentLink, side: str) -> FilterResult:
    """Rows of ``survey`` that pass ``filters``; ``side`` is "customer" or "employee"."""
    frame = survey.frame
    n = len(frame)
    mask = np.ones(n, dtype=bool)
    excluded: dict[str, int] = {}
    weights = survey.weights if "weight" in frame else None  # a table of counts: rows left out counted in answers

    def cut(keep: np.ndarray, reason: str) -> None:
        nonlocal mask
        lost = int((mask & ~keep).sum()) if weights is None else int(weights[mask & ~keep].sum())
        if lost:
            excluded[reason] = excluded.get(reason, 0) + lost
        mask &= keep

    if link.outside:  # a unit's view: the units outside it
        inside = np.array([name not in link.outside for name in link.names], dtype=bool)
        cut(inside[department_index(survey, link, side)] if n else np.zeros(0, bool), "unit")
    if filters.departments is not None:
        wanted = {privacy.key(d) for d in filters.departments}
        chosen = np.array([privacy.key(name) in wanted for name in link.names], dtype=bool)
        cut(chosen[department_index(survey, link, side)] if n else np.zeros(0, bool), "department")
    if filters.since or filters.until:
        # the rows in the window are a run of the rows in date order (kept per survey), so a window costs its own rows
        # and one count, not comparisons over every row: the same rows and counts as comparing every date
        order, ordered, undated = _by_date(survey)

        def total(rows: np.ndarray | None = None) -> int:
            if rows is None:
                return int(np.count_nonzero(mask)) if weights is None else int(weights[mask].sum())
            return int(np.count_nonzero(mask[rows])) if weights is None else int(weights[rows][mask[rows]].sum())

        lost = total(undated)
        if lost:
            excluded["undated"] = excluded.get("undated", 0) + lost
        mask[undated] = False
        lo = _first_on_or_after(ordered, filters.since) if filters.since else 0
        hi = _first_after(ordered, filters.until) if filters.until else len(ordered)
        inside = order[lo:max(lo, hi)]
        before = total()
        window = np.zeros(n, dtype=bool)
        window[inside] = mask[inside]
        mask = window
        lost = before - total()
        if lost:
            excluded["date"] = excluded.get("date", 0) + lost
    for name, values in filters.segments:
        column = _segment_key(survey, name)
        if column is None:
            continue
        wanted = {privacy.key(v) for v in values}
        col = frame[column]
        cats = np.array([privacy.key(c) in wanted for c in col.cat.categories] + [False], dtype=bool)
        cut(cats[col.cat.codes.to_numpy()], "segment")
    return FilterResult(mask, excluded)


def _by_date(survey: Survey) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dated rows in date order (stable), their dates in that order, and the undated rows; kept per survey."""
    if "by_date" not in survey.cache:
        dates = survey.frame["date"].to_numpy(dtype="datetime64[ns]")
        dated = np.flatnonzero(~np.isnat(dates))
        order = dated[np.argsort(dates[dated], kind="stable")]
        survey.cache["by_date"] = (order, dates[order], np.flatnonzero(np.isnat(dates)))
    return survey.cache["by_date"]


def _segment_key(survey: Survey, name: str) -> str | None:
    wanted = privacy.key(name)
    return next((column for name, column in survey.segments.items() if privacy.key(name) == wanted), None)


def segment_values(survey: Survey, floor: int | None = None) -> dict[str, list[str]]:
    """Every segment column's values that filter controls may offer: released by
    :func:`lib.privacy.surfaces.filter_values`, only values at least ``floor`` (default: the installation's
    anonymity threshold) responses share."""
    return surfaces.filter_values(survey, privacy.floor_threshold() if floor is None else floor)


def date_range(survey: Survey, exact: bool = False) -> tuple[dt.date, dt.date] | None:
    """The first and last answer dates as shown (an employee file's at month level, released by
    :func:`lib.privacy.surfaces.date_bounds`), or with ``exact`` the dates themselves, for the engine's own use."""
    if not exact:
        return surfaces.date_bounds(survey)
    dates = survey.frame["date"].dropna()
    if dates.empty:
        return None
    return pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
