"""Periods of the response dates (week, month, quarter, half-year, year) or survey waves, and the figures of each.

A period is a date window; its figures are :func:`lib.figures.summary.summarize` with the window as a date filter, so
every employee figure of every period comes through :mod:`lib.privacy.groups`. Protection groups are split by month and
by ISO week, and a period's figures use only the groups wholly inside it (a month is whole wherever the small
departments allow), so two periods' figures differ by whole groups: by nobody or by at least k people.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from lib.errors import OptionError
from lib.values.dates import period_label
from lib.figures.filters import Filters, date_range
from lib.i18n import Msg, format_period, msg

if TYPE_CHECKING:
    from lib.figures.summary import Settings, Summary
    from lib.survey.frame import Survey

#: The period lengths, by code, as a person reads them.
PERIODS: dict[str, Msg] = {"week": msg("week"), "month": msg("month"), "quarter": msg("quarter"),
                           "half": msg("half-year"), "year": msg("year"), "wave": msg("wave")}
_FREQ = {"week": "W-SUN", "month": "M", "quarter": "Q", "half": "2Q", "year": "Y"}


#: A period whose answers span less than this share of its working days is marked incomplete wherever it is shown.
COMPLETE_SHARE = 0.9


@dataclass(frozen=True)
class Period:
    """One period: its code (``2025-Q1``), first and last day, and the days the files' answers cover of it when
    they cover fewer than :data:`COMPLETE_SHARE` of its days (None: the period is complete)."""

    key: str
    start: dt.date
    end: dt.date
    covered: tuple[dt.date, dt.date] | None = None

    @property
    def incomplete(self) -> bool:
        return self.covered is not None

    def shown(self, kind: str) -> str:
        """:meth:`label`, marked when the period is incomplete: ``K4 2026 (incomplete: 1 Oct – 31 Oct 2026)``."""
        if self.covered is None:
            return self.label(kind)
        from lib.i18n import _, format_date

        return _("{period} (incomplete: {first} – {last})").format(
            period=self.label(kind), first=format_date(self.covered[0]), last=format_date(self.covered[1]))

    def label(self, kind: str) -> str:
        """The period in the current language: ``vecka 12, 2025``, ``mars 2025``, ``K1 2025``, ``2025``."""
        from lib.i18n import _

        if kind == "wave":
            return _("wave {n}").format(n=self.key)
        if kind == "week":
            year, week, _day = self.start.isocalendar()
            return _("week {week}, {year}").format(week=week, year=year)
        if kind == "half":
            return _("{half}. half {year}").format(half=1 if self.start.month <= 6 else 2, year=self.start.year)
        if kind == "year":
            return str(self.start.year)
        return format_period(self.start, "M" if kind == "month" else "Q")


def offered(customer: Survey | None, employee: Survey | None) -> list[str]:
    """The period kinds that fit the files: waves only where a survey was uploaded as one file per wave."""
    waves = any(s is not None and wave_column(s) is not None for s in (customer, employee))
    return [k for k in PERIODS if k != "wave" or waves]


def check_period(kind: str) -> str:
    if kind not in PERIODS:
        raise OptionError(msg("“{kind}” is not a period; use one of: {kinds}.", kind=kind, kinds=", ".join(PERIODS)))
    return kind


def periods(surveys: list[Survey], kind: str) -> list[Period]:
    """Every period of ``kind`` from the first to the last response date of the surveys (ISO weeks, Monday first;
    half-years January–June and July–December)."""
    check_period(kind)
    if kind == "wave":
        return _waves([s for s in surveys if s is not None])
    ranges = [r for r in (date_range(s, exact=True) for s in surveys if s is not None) if r]
    if not ranges:
        return []
    first, last = min(r[0] for r in ranges), max(r[1] for r in ranges)
    if kind == "half":
        out = []
        year, half = first.year, 0 if first.month <= 6 else 1
        while dt.date(year, 1 + 6 * half, 1) <= last:
            start = dt.date(year, 1 + 6 * half, 1)
            end = dt.date(year, 6, 30) if half == 0 else dt.date(year, 12, 31)
            out.append(Period(f"{year}-H{half + 1}", start, end))
            year, half = (year, 1) if half == 0 else (year + 1, 0)
        return [_mark(p, first, last) for p in out]
    index = pd.period_range(first, last, freq=_FREQ[kind])
    return [_mark(Period(str(p), p.start_time.date(), p.end_time.date()), first, last) for p in index]


def _mark(p: Period, first: dt.date, last: dt.date) -> Period:
    """The period with the days the answers cover of it (from the first to the last answer of the files), when that
    is fewer than :data:`COMPLETE_SHARE` of its working days (Monday to Friday, so a week answered Monday to Friday is
    complete)."""
    import numpy as np

    lo, hi = max(p.start, first), min(p.end, last)
    days = int(np.busday_count(p.start, p.end + dt.timedelta(days=1)))
    covered = int(np.busday_count(lo, hi + dt.timedelta(days=1)))
    return p if covered >= COMPLETE_SHARE * days else replace(p, covered=(lo, hi))


#: Headers of a column that names the survey wave (round) of each response.
WAVE_HEADER = re.compile(r"^\s*(wave|survey wave|round|survey round|omgång|enkätomgång|mätomgång|kierros|"
                         r"kyselykierros|mittauskierros)\s*$", re.IGNORECASE)


def wave_column(survey: Survey) -> tuple[str, str] | None:
    """(segment name, frame column) of the survey's waves: the files it was stacked from (:mod:`lib.survey.stacking`), or a
    segment column whose header names the wave ("Wave", "Omgång", "Kierros")."""
    from lib.survey.stacking import WAVE

    if "segment_wave" in survey.frame:
        return WAVE, "segment_wave"
    return next(((name, key) for name, key in survey.segments.items() if WAVE_HEADER.match(name)), None)


def _waves(surveys: list[Survey]) -> list[Period]:
    """The waves of the surveys: in the order of the periods their names say when every name says one ("2025 Q1",
    "Q1/2025", "kvartal 1 2025"), else of their first response date (then by name)."""
    found: dict[str, list[pd.Timestamp]] = {}
    for s in surveys:
        column = wave_column(s)
        if column is not None:
            for wave, dates in s.frame.groupby(column[1], observed=True)["date"]:
                found.setdefault(str(wave), []).extend(dates.dropna().tolist())
    out = []
    for wave, dates in found.items():
        start = min(dates).date() if dates else dt.date.max
        out.append(Period(wave, start, max(dates).date() if dates else dt.date.max))
    named = {p.key: period_label(p.key) for p in out}
    if out and all(named.values()):  # "2025 Q1", "Q1/2025", "kvartal 1 2025"…: the names say the order
        return sorted(out, key=lambda p: (named[p.key], p.start, p.key))
    return sorted(out, key=lambda p: (p.start, len(p.key), p.key))


def window(filters: Filters, period: Period, kind: str = "", surveys: tuple[Survey | None, ...] = ()) -> Filters:
    """The filters narrowed to one period (within any date range already chosen); a wave by its segment."""
    if kind == "wave":  # a wave is a segment value: every survey's wave column is narrowed to it
        names = {wave_column(s)[0] for s in surveys if s is not None and wave_column(s) is not None}
        return replace(filters, segments=(*filters.segments, *((n, frozenset({period.key})) for n in sorted(names))))
    since = max(period.start, filters.since) if filters.since else period.start
    until = min(period.end, filters.until) if filters.until else period.end
    return replace(filters, since=since, until=max(since, until))


def _customer_in_wave(filters: Filters, wave: Period, following: Period | None) -> Filters:
    """A wave's filters with the dates a customer file without waves is read in: from the wave's first employee answer
    until the day before the next wave's first (the last wave: on to the end), so each customer answer counts in the
    wave that was current when it was given, and none before the first wave. The wave's own answers all lie inside."""
    if wave.start == dt.date.max:
        return filters
    until = dt.date.max if following is None or following.start == dt.date.max else \
        max(wave.end, following.start - dt.timedelta(days=1))
    since = max(wave.start, filters.since) if filters.since else wave.start
    until = min(until, filters.until) if filters.until else until
    return replace(filters, since=since, until=None if until == dt.date.max else max(since, until))


def by_period(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings,
              kind: str, detailed: bool = True) -> list[tuple[Period, Summary]]:
    """Each period's summary (periods with no answer in either survey are left out); with ``detailed`` False each
    holds only the totals (:func:`lib.figures.summary.summarize`), enough for a table of periods. By wave, a customer
    file without waves counts each answer in the wave current when it was given (:func:`_customer_in_wave`).

    The result is kept with the surveys for the same filters, settings and kind (the Overview, Over time, the
    linkage's lags and the decks ask for the same periods); not while the release ledger is on (a release is recorded
    where it is made), nor with a fresh comment shuffle each time (``comment_seed`` None)."""
    from lib.privacy import ledger
    from lib.survey.frame import remembered

    host = customer if customer is not None else employee
    if host is None or ledger.active() or settings.comment_seed is None:
        return _by_period(customer, employee, filters, settings, kind, detailed)
    other = ledger.survey_id(employee) if host is customer and employee is not None else ""  # the same two surveys
    key = (other, repr(filters), repr(settings), settings.comment_seed, kind, detailed)
    # weekly summaries of a large file are tens of megabytes: a few views at a time
    return list(remembered(host, "by_period", key,
                           lambda: _by_period(customer, employee, filters, settings, kind, detailed), 4))


def full_summaries(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings, kind: str,
             chosen: list[Period]) -> list[Summary]:
    """The full summaries (departments included) of the chosen periods of :func:`by_period`, for comparing two of
    many (the Over time page's table needs only the totals of each)."""
    from lib.figures.summary import summarize

    found = periods([customer, employee], kind)
    where = {p.key: j for j, p in enumerate(found)}
    return [summarize(customer, employee, _window(filters, found, where[p.key], kind, customer, employee), settings)
            for p in chosen]


def _window(filters: Filters, found: list[Period], j: int, kind: str, customer: Survey | None,
            employee: Survey | None) -> Filters:
    """The filters of the ``j``-th of the periods ``found``."""
    chosen = window(filters, found[j], kind, (customer, employee))
    if kind == "wave" and customer is not None and wave_column(customer) is None:
        chosen = _customer_in_wave(chosen, found[j], found[j + 1] if j + 1 < len(found) else None)
    return chosen


def _by_period(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings,
               kind: str, detailed: bool = True) -> list[tuple[Period, Summary]]:
    from lib.figures.summary import summarize

    out = []
    found = periods([customer, employee], kind)
    for j, p in enumerate(found):
        s = summarize(customer, employee, _window(filters, found, j, kind, customer, employee), settings, detailed)
        has_customer = s.nps is not None and s.nps.n > 0
        has_employee = s.employee_view is not None and bool(s.employee_view.chosen.any())
        if has_customer or has_employee:
            out.append((p, s))
    return out
