"""Response dates as survey tools write them.

ISO (``2024-03-15 14:32:05``), ISO with a dotted time as Swedish Google Forms
writes it (``2023-09-29 14.54.27``), ISO weeks (``2024-W11``), US with a 12-hour
clock (``03/14/2024 09:02:11 AM``), short US (``7/27/26 19:06``), Finnish with a
dotted time (``29.9.2023 14.54``), Excel serial numbers (``46200.5``) and real
Excel datetimes. Day-first or
month-first is inferred from the data: a first number above 12 means day-first,
a second above 12 means month-first; when nothing tells, ``/`` is read month-first
(US tools) and ``.`` day-first (Nordic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serials from 1990-01-01 to 2100-01-01 are read as dates in a date column.
SERIAL_RANGE = (32874.0, 73051.0)

_SEP_DATE = re.compile(r"^\s*(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})(?!\d)")
_ISO_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})(?:-?([1-7]))?\s*$", re.IGNORECASE)
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %H.%M", " %H.%M.%S")


@dataclass
class ParsedDates:
    values: np.ndarray  # datetime64[ns], NaT where unreadable or blank
    unreadable: np.ndarray  # bool
    dayfirst: bool | None
    examples: tuple[str, ...] = ()


def _orders(sample: list[str]) -> list[str]:
    """Date-part formats that fit the sample, best first."""
    firsts, seconds, seps, four_first = [], [], set(), False
    for s in sample:
        m = _SEP_DATE.match(s)
        if not m:
            continue
        a, sep, b, _ = m.groups()
        seps.add(sep)
        if len(a) == 4:
            four_first = True
            continue
        firsts.append(int(a))
        seconds.append(int(b))
    if four_first or not firsts:
        return ["ISO8601", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
    sep = "." if "." in seps else ("-" if "-" in seps else "/")
    dayfirst = max(firsts) > 12 or (max(seconds) <= 12 and sep == ".")
    if max(seconds) > 12:
        dayfirst = False
    years = ("%Y", "%y")
    if dayfirst:
        return [f"%d{sep}%m{sep}{y}" for y in years]
    return [f"%m{sep}%d{sep}{y}" for y in years]


def _serials(text: pd.Series, sample: int = 500) -> np.ndarray | None:
    """Excel serial numbers when (nearly) every non-blank cell is one, else None.

    Decided on the first ``sample`` non-blank cells before the whole column is converted, so a
    million ISO timestamps are not run through ``pd.to_numeric`` to find they are no numbers.
    """
    head = text.dropna().iloc[: 2 * sample]
    head = head[head.astype(str).str.strip() != ""].iloc[:sample]
    head_numbers = pd.to_numeric(head, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if len(head) and ((head_numbers >= SERIAL_RANGE[0]) & (head_numbers <= SERIAL_RANGE[1])).mean() < 0.9:
        return None
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    filled = text.notna().to_numpy() & (text.astype("string").str.strip() != "").fillna(False).to_numpy()
    if not filled.any():
        return None
    ok = (numbers >= SERIAL_RANGE[0]) & (numbers <= SERIAL_RANGE[1])
    if ok[filled].mean() < 0.95:
        return None
    return np.where(ok, numbers, np.nan)


def _to_datetime(values: pd.Series, **kwargs: object) -> np.ndarray:
    """``pd.to_datetime`` as naive wall-clock datetime64[ns] (a time zone is dropped, not converted)."""
    out = pd.to_datetime(values, errors="coerce", **kwargs)
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.to_numpy(dtype="datetime64[ns]")


def _is_datetime(series: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(series.dtype)


def looks_like_dates(series: pd.Series, sample: int = 200) -> float:
    """Share of a sample of non-blank cells that read as dates."""
    s = series.dropna()
    if s.empty:
        return 0.0
    if _is_datetime(s):
        return 1.0
    s = s.iloc[:sample]
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype="float64")
        return float(np.mean((v >= SERIAL_RANGE[0]) & (v <= SERIAL_RANGE[1])))
    text = s.astype(str)
    serial = _serials(text)
    if serial is not None:
        return float(np.mean(~np.isnan(serial)))
    dateish = float(text.str.match(_SEP_DATE.pattern).mean()) or float(text.str.match(_ISO_WEEK.pattern).mean())
    if dateish < 0.5:  # cheap no: most cells do not even start like a date
        return dateish
    parsed = parse_dates(text)
    return float(np.mean(~np.isnat(parsed.values)))


def _iso_weeks(weeks: pd.DataFrame, series: pd.Series, blank: pd.Series) -> ParsedDates:
    """ISO weeks ("2024-W11", "2024W11-3"): the Monday of the week, or the weekday given."""
    text = (weeks[0] + "-W" + weeks[1].str.zfill(2) + "-" + weeks[2].fillna("1")).reindex(series.index)
    values = _to_datetime(text, format="%G-W%V-%u")
    missing = np.isnat(values) & ~blank.to_numpy()
    return ParsedDates(values, missing, None, tuple(series[missing].astype(str).iloc[:3].tolist()))


def _best_format(sample: list[str]) -> tuple[str | None, float, bool | None]:
    """(format, share of the sample it reads, day-first) of the date and time layout that reads most of ``sample``."""
    best, best_ok, dayfirst = None, -1.0, None
    for date_fmt in _orders(sample):
        for time_fmt in ("",) if date_fmt == "ISO8601" else _TIMES:
            fmt = date_fmt + time_fmt
            share = float((~np.isnat(_to_datetime(pd.Series(sample), format=fmt))).mean())
            if share > best_ok:
                best, best_ok, dayfirst = fmt, share, date_fmt.startswith("%d")
            if share == 1.0:
                return best, best_ok, dayfirst
    return best, best_ok, dayfirst


def parse_dates(series: pd.Series) -> ParsedDates:
    """Datetimes for every row; blanks are NaT, unreadable text is NaT and flagged."""
    n = len(series)
    if _is_datetime(series):
        values = series.to_numpy(dtype="datetime64[ns]")
        return ParsedDates(values, np.zeros(n, dtype=bool), None)
    if pd.api.types.is_numeric_dtype(series.dtype):
        v = series.to_numpy(dtype="float64", na_value=np.nan)
        ok = (v >= SERIAL_RANGE[0]) & (v <= SERIAL_RANGE[1])
        # Excel keeps times to the millisecond; rounding drops the float noise of day fractions
        values = (EXCEL_EPOCH + pd.to_timedelta(np.where(ok, v, np.nan), unit="D").round("ms")).to_numpy(
            dtype="datetime64[ns]")
        return ParsedDates(values, ~np.isnan(v) & ~ok, None)
    text = series.astype("string").str.strip()
    blank = text.isna() | (text == "")
    present = text[~blank]
    if present.empty:
        return ParsedDates(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), np.zeros(n, dtype=bool), None)
    serial = _serials(text)
    if serial is not None:  # Excel serial numbers written as text (a workbook cell not formatted as a date)
        return parse_dates(pd.Series(serial, index=series.index))
    if present.iloc[:200].str.match(_ISO_WEEK.pattern, case=False).mean() >= 0.9:  # decided on a sample
        weeks = present.str.extract(_ISO_WEEK)
        return _iso_weeks(weeks, series, blank)
    best, best_ok, dayfirst = _best_format(present.iloc[:500].tolist())
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    where = np.flatnonzero(~blank.to_numpy())
    if best is not None and best_ok > 0:
        values[where] = _to_datetime(present, format=best)
    failed = where[np.isnat(values[where])]
    if failed.size:
        # Mixed layouts in one column (with and without seconds, ISO beside day.month.year): read the rest one by
        # one, in the day order the rest's own numbers show (not the order of the layout that read most)
        known = values[where][~np.isnat(values[where])]
        rest = text.iloc[failed]
        seps = rest.str.extract(_SEP_DATE)[1].fillna("")
        orders = []
        for sep in sorted(set(seps)):  # each layout (dotted, slashed…) in the order its own numbers show
            part = seps.to_numpy() == sep
            order = _day_first(rest[part])
            if order is None and known.size and sep:
                order = _among(rest[part], known)
            orders.append(order if order is not None else dayfirst)
            values[failed[part]] = _to_datetime(rest[part], format="mixed", dayfirst=bool(orders[-1]))
        dayfirst = orders[0] if len(set(orders)) == 1 else dayfirst
    missing = np.isnat(values) & ~blank.to_numpy()
    examples = tuple(text[missing].iloc[:3].tolist())
    if (best is None or not best.startswith(("%d", "%m"))) and not failed.size:
        dayfirst = None
    return ParsedDates(values, missing, dayfirst, examples)


def _day_first(text: pd.Series) -> bool | None:
    """Whether the column's day.month.year or month/day/year dates put the day first, by their numbers: a first
    number above 12 means day first, a second above 12 month first, and a dotted date is day first when the
    numbers do not tell (the Nordic way); None when no such date is there, or the numbers do not tell a slashed one."""
    parts = text.astype("string").str.extract(_SEP_DATE)
    short = parts[0].notna() & (parts[0].str.len() < 4)
    if not short.any():
        return None
    first = parts[0][short].astype(int)
    second = parts[2][short].astype(int)
    if int(second.max()) > 12:
        return False
    if int(first.max()) > 12 or bool((parts[1][short] == ".").any()):
        return True
    return None


def _among(text: pd.Series, known: np.ndarray) -> bool | None:
    """For slashed dates whose numbers do not tell the day from the month (03/04/2025), written beside dates of
    another layout (ISO): the order that puts more of them between the first and last of those other dates (None on
    a tie)."""
    lo, hi = known.min(), known.max()
    lo = lo.astype("datetime64[D]")
    hi = hi.astype("datetime64[D]") + np.timedelta64(1, "D")
    inside = {}
    for first in (True, False):
        read = _to_datetime(text, format="mixed", dayfirst=first)
        inside[first] = int(((read >= lo) & (read < hi)).sum())
    return None if inside[True] == inside[False] else inside[True] > inside[False]


#: A period's part: a quarter ("Q1", "K1", "kvartal 1", "1. kvartal", "1. nelj.", "neljännes 1"), a half ("H1",
#: "halvår 1", "1. halvår") or a tertial ("T1", "tertial 1").
_PART = (r"(?:(?P<kind>q|k|h|t)\s*(?P<n>[1-4])|(?P<word>kvartal|quarter|halvår|tertial|nelj\.?|neljännes|vuosineljännes)"
         r"\s*(?P<n2>[1-4])|(?P<n3>[1-4])\s*\.?\s*(?P<word2>kvartal|quarter|halvår|tertial|nelj\.?|neljännes|"
         r"vuosineljännes))")
_PERIOD_LABELS = (
    re.compile(rf"^\s*(?P<year>(?:19|20)\d\d)\s*[-/ _]?\s*{_PART}\s*$", re.IGNORECASE),
    re.compile(rf"^\s*{_PART}\s*[-/ _,]?\s*(?P<year>(?:19|20)\d\d)\s*$", re.IGNORECASE),
)
_MONTHS_PER = {"q": 3, "k": 3, "kvartal": 3, "quarter": 3, "nelj": 3, "nelj.": 3, "neljännes": 3, "vuosineljännes": 3,
               "h": 6, "halvår": 6, "t": 4, "tertial": 4}


def period_label(label: object) -> tuple[int, int] | None:
    """(year, first month) of a wave's name that names a quarter, half-year or tertial, in any of the ways people
    write them; None for any other name.

    >>> [period_label(x) for x in ("2025 Q1", "2025-Q1", "Q1/2025", "kvartal 1 2025", "Q1 2025", "2024 H2", "K4 2024",
    ...                            "1. kvartal 2025", "Wave 2", "2025")]
    [(2025, 1), (2025, 1), (2025, 1), (2025, 1), (2025, 1), (2024, 7), (2024, 10), (2025, 1), None, None]
    """
    text = str(label) if label is not None else ""
    for pattern in _PERIOD_LABELS:
        m = pattern.match(text)
        if m:
            kind = (m.group("kind") or m.group("word") or m.group("word2")).casefold()
            n = int(m.group("n") or m.group("n2") or m.group("n3"))
            months = _MONTHS_PER[kind]
            if n * months > 12:
                return None
            return int(m.group("year")), (n - 1) * months + 1
    return None
