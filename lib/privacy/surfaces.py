"""What the Data page, the filters and the command line may say about an employee file, released here.

* :func:`file_summary`: an employee file summarised by its columns' roles and scales and how many answered each,
  never by the values seen; nothing for a column fewer than ``k`` answered, nothing at all for a file of fewer
  than ``k`` responses.
* :func:`left_out`: rows left out and answers that could not be read, by reason, count and spreadsheet row
  number only (never the unreadable value itself).
* :func:`preview`: a file's first rows, only for a file confirmed as a customer survey that does not read as an
  employee survey.
* :func:`filter_values`: the values a segment filter offers, only those at least ``k`` people share.
* :func:`date_bounds`: the first and last answer dates, an employee file's at month level.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from lib.i18n import Msg, msg
from lib.privacy import ledger
from lib.privacy.groups import hidden_text, key

#: Roles that make a file read as an employee survey, whatever it was guessed or chosen to be.
EMPLOYEE_ROLES = ("item", "reverse-item", "segment", "enps", "score", "pulse")
#: A recommend question about the workplace ("recommend working at Acme", "as a place to work").
WORKPLACE_WORDS = re.compile(r"work(ing)? (at|for|here)|place to work|workplace|employer|arbetsgivare|arbetsplats|"
                             r"jobba|työnantaja|työpaik|työskennellä", re.IGNORECASE)


def employee_like(detection: object) -> bool:
    """Whether a file reads as an employee survey: statements, segments, an eNPS or a workplace recommend question."""
    for c in getattr(detection, "columns", ()):
        if c.role in EMPLOYEE_ROLES:
            return True
        if c.role == "nps" and WORKPLACE_WORDS.search(f"{c.name} {c.label}"):
            return True
    return getattr(detection, "kind", None) == "employee"


def preview(survey: object, confirmed: bool) -> pd.DataFrame | None:
    """The first rows of a file, shown only once the user has confirmed it is a customer survey, and never for a
    file that reads as an employee survey."""
    rows = getattr(survey, "preview", None)
    if rows is None or not confirmed or getattr(survey, "kind", None) != "customer" \
            or employee_like(getattr(survey, "detection", None)):
        return None
    return ledger.release(rows, survey=survey, kind="raw", measure="preview")  # type: ignore[return-value]


def _answered(survey: object, column: object) -> np.ndarray:
    """Per kept row, whether it has a value for this column (in the survey's tidy frame)."""
    frame = survey.frame  # type: ignore[attr-defined]
    role, name = column.role, column.name  # type: ignore[attr-defined]
    items = {i.name: i.key for i in survey.items}  # type: ignore[attr-defined]
    where = {"department": "department", "date": "date", "enps": "recommend", "nps": "recommend", "pulse": "pulse",
             "score": "engagement"}
    if name in items:
        col = frame[items[name]]
    elif name in survey.segments:  # type: ignore[attr-defined]
        col = frame[survey.segments[name]]  # type: ignore[attr-defined]
    elif name in survey.comments:  # type: ignore[attr-defined]
        text = frame[survey.comments[name]].astype("string").str.strip()  # type: ignore[attr-defined]
        return (text.notna() & (text != "")).to_numpy(dtype=bool)
    elif role in where and where[role] in frame:
        col = frame[where[role]]
    else:
        return np.zeros(len(frame), bool)
    return col.notna().to_numpy(dtype=bool)


def file_summary(survey: object, k: int) -> pd.DataFrame:
    """The employee file by its columns: ``column``, ``role``, ``scale`` and ``answered`` (a count, or
    "fewer than k responses"). Empty for a file with fewer than ``k`` responses. Ids, dates, comments and
    ignored columns say nothing about their values; no column shows any value seen in it."""
    cols = ["column", "role", "scale", "answered"]
    frame = survey.frame  # type: ignore[attr-defined]
    if len(frame) < k:
        return pd.DataFrame(columns=cols)
    rows = []
    for c in survey.detection.columns:  # type: ignore[attr-defined]
        has = _answered(survey, c)
        n = int(has.sum())
        shown: object = "" if c.role == "ignore" else str(hidden_text("small", k)) if 0 < n < k else n
        if isinstance(shown, int):
            ledger.release(shown, survey=survey, kind="count", measure=f"answered:{c.name}", rows=has,
                           cells={c.name: has}, k=k)
        rows.append({"column": c.name, "role": c.role, "scale": str(c.scale) if c.scale is not None else "",
                     "answered": shown})
    return pd.DataFrame(rows, columns=cols)


def left_out(survey: object) -> list[tuple[Msg, tuple[int, ...]]]:
    """Every reason rows or answers were left out, with the spreadsheet rows: ``(reason, rows)``. The reasons are
    the reader's sentences (which, for an employee file, quote no value); nothing else of the rows is said."""
    out: list[tuple[Msg, tuple[int, ...]]] = [(s.message, tuple(s.rows)) for s in survey.skipped]  # type: ignore[attr-defined]
    out += [(msg("{column}: {why}", column=i.column, why=i.message), tuple(i.rows))
            for i in survey.issues]  # type: ignore[attr-defined]
    if getattr(survey, "kind", None) == "employee":
        for why, rows in out:
            ledger.release(str(why), survey=survey, kind="text", measure="left-out", group=str(len(rows)))
    return out


def left_out_notes(survey: object) -> tuple[list[tuple[int, str]], list[str]]:
    """:func:`left_out` as a file's note says it: ``([(count, reason), …], ["<column>: <why>", …])`` — rows left
    out by reason with how many, then answers that could not be read; each released here."""
    reasons = left_out(survey)
    n = len(survey.skipped)  # type: ignore[attr-defined]
    skipped = [(int(sk.count), str(why)) for sk, (why, _rows) in zip(survey.skipped, reasons[:n])]  # type: ignore[attr-defined]
    issues = [str(why) for why, _rows in reasons[n:]]
    if getattr(survey, "kind", None) == "employee":
        for value in [*skipped, *issues]:
            ledger.release(value, survey=survey, kind="text", measure="left-out")
    return skipped, issues


def reading_withheld(survey: object, k: int) -> Msg | None:
    """For an employee file of fewer than ``k`` kept responses, the sentence said instead of why each column was read
    as it was (the reasons describe the answers: "nobody answered 2, 4", "2 different values"); None otherwise."""
    if getattr(survey, "kind", None) != "employee" or getattr(survey, "kept", k) >= k:
        return None
    return msg("fewer than {k} responses: what the answers show is not said", k=k)


def column_reasons(survey: object, k: int) -> dict[str, str]:
    """Why each column of the file was read as it was, as it may be said (:func:`reading_withheld`)."""
    withheld = reading_withheld(survey, k)
    return {c.name: str(withheld if withheld is not None and not c.overridden else c.reason)
            for c in survey.detection.columns}  # type: ignore[attr-defined]


def filtered_out(survey: object, excluded: dict[str, int], k: int) -> dict[str, int | None]:
    """How many rows the filters left out, by reason, as they may be said: exact for a customer file; for an employee
    file a count from 1 to k − 1 is None ("fewer than k"): one person left out of a day's window, under a segment
    filter, would say something about that person."""
    if getattr(survey, "kind", None) != "employee":
        return dict(excluded)
    out = {why: (n if n == 0 or n >= k else None) for why, n in excluded.items()}
    for why, n in out.items():
        ledger.release(n, survey=survey, kind="count", measure=f"filtered-out:{why}", group="selection")
    return out


def date_bounds(survey: object) -> tuple[dt.date, dt.date] | None:
    """The first and last answer dates as they may be shown: exact for a customer file; for an employee file the
    first day of the first answer's month and the last day of the last answer's month (an exact first or last
    date can name the one person who answered that day)."""
    dates = survey.frame["date"].dropna()  # type: ignore[attr-defined]
    if dates.empty:
        return None
    lo, hi = pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()
    if getattr(survey, "kind", None) == "employee" or employee_like(getattr(survey, "detection", None)):
        lo = lo.replace(day=1)
        hi = (hi.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        ledger.release(f"{lo}–{hi}", survey=survey, kind="text", measure="date-bounds")
    return lo, hi


def filter_values(survey: object, floor: int) -> dict[str, list[str]]:
    """The values each segment filter may offer: only values at least ``floor`` responses share (a value fewer
    people share would name them) and that hold no personal data (:func:`lib.privacy.personal.mask` leaves them as
    they are: a repeated comment read as a grouping, "Mail me at …", is never offered), in the file's order."""
    from lib.privacy.personal import mask

    frame = survey.frame  # type: ignore[attr-defined]
    out: dict[str, list[str]] = {}
    for name, column in survey.segments.items():  # type: ignore[attr-defined]
        col = frame[column]
        counts = np.bincount(col.cat.codes.to_numpy()[col.cat.codes.to_numpy() >= 0], minlength=len(col.cat.categories))
        by_key: dict[str, int] = {}
        for value, n in zip(col.cat.categories, counts):
            by_key[key(value)] = by_key.get(key(value), 0) + int(n)
        values = [str(v) for v in col.cat.categories if by_key[key(v)] >= floor and mask(str(v)) == str(v)]
        codes = col.cat.codes.to_numpy()
        keys = np.array([key(c) if isinstance(c, str) else None for c in col.cat.categories], dtype=object)
        for v in values:  # the rows of every category spelled as v is (one key per category, not per row)
            rows = np.isin(codes, np.flatnonzero(keys == key(v)))
            ledger.release(v, survey=survey, kind="filter-value", measure=f"segment:{name}", group=v, rows=rows,
                           cells={name: rows}, k=floor)
        out[name] = values
    return out


def _cells(survey: object, rows: np.ndarray, columns: dict[str, str]) -> dict[str, np.ndarray]:
    """Per column (its name in the file), the rows among ``rows`` whose cell in it is not empty."""
    frame = survey.frame  # type: ignore[attr-defined]
    return {name: rows & frame[col].notna().to_numpy(dtype=bool) for name, col in columns.items() if col in frame}


def _figure(survey: object, value: object, measure: str, group: str, rows: np.ndarray, columns: dict[str, str],
            k: int) -> None:
    ledger.release(value, survey=survey, kind="figure", measure=measure, group=group, rows=rows,
                   cells=_cells(survey, rows, columns), k=k)


def columns_of(survey: object, measure: str) -> dict[str, str]:
    """The columns (name in the file: column of the frame) an employee figure of ``measure`` is computed from:
    "engagement" (every statement and a score column), "enps", "item:<statement>", "alpha", "hme", "nmi", "drivers"
    (every statement and the recommend question), "pulse"."""
    items = {i.name: i.key for i in survey.items}  # type: ignore[attr-defined]
    base = measure.split(":", 1)[0]
    if base == "engagement":
        score = survey.detection.one("score") is not None  # type: ignore[attr-defined]
        return {**items, **({"(score)": "engagement"} if score else {})}
    if base == "enps":
        return {"(recommend)": "recommend"}
    if base == "item":
        name = measure.split(":", 1)[1]
        return {name: items[name]} if name in items else {}
    if base == "drivers":
        return {**items, "(recommend)": "recommend"}
    if base == "pulse":
        return {"(pulse)": "pulse"}
    return items


def figure(survey: object, value: object, measure: str, group: str, rows: object, k: int,
           columns: dict[str, str] | None = None) -> object:
    """Release an employee figure (returned unchanged) computed over ``rows`` (a mask over the survey's frame) from
    ``columns`` (default: :func:`columns_of` the measure); with the ledger on, recorded with its respondents and,
    per column, the respondents whose cell it used."""
    if not ledger.active():
        return value
    mask = np.zeros(len(survey.frame), dtype=bool)  # type: ignore[attr-defined]
    mask[np.asarray(ledger.rows_of(rows), dtype=int)] = True
    cols = columns_of(survey, measure) if columns is None else columns
    return ledger.release(value, survey=survey, kind="figure", measure=measure, group=group, rows=mask,
                          cells=_cells(survey, mask, cols), k=k)


def _employee_figures(s: object, survey: object, rows: np.ndarray, group: str, engagement: object, enps: object,
                      k: int) -> None:
    """The figures of one group (the view's total or a department): what they used, column by column."""
    items = {i.name: i.key for i in survey.items}  # type: ignore[attr-defined]
    scored = dict(items)
    if survey.detection.one("score") is not None:  # type: ignore[attr-defined]
        scored["(score)"] = "engagement"
    if engagement is not None:
        _figure(survey, engagement.as_dict(), "engagement", group, rows, scored, k)  # type: ignore[attr-defined]
    if enps is not None:
        _figure(survey, enps.as_dict(), "enps", group, rows, {"(recommend)": "recommend"}, k)  # type: ignore[attr-defined]
    hidden = s.employee_view.hidden  # type: ignore[attr-defined]
    for i in survey.items:  # type: ignore[attr-defined]
        if i.key not in hidden:  # each statement's answers, as the statement tables and charts show them
            _figure(survey, None, f"item:{i.name}", group, rows, {i.name: i.key}, k)


def release_summary(s: object) -> None:
    """Record every employee figure of a summary (a :class:`lib.figures.summary.Summary`) in the ledger, with the
    rows and cells it was computed from; a hidden department's count with the department's rows."""
    if not ledger.active():
        return
    if s.customer is not None:  # type: ignore[attr-defined]
        ledger.release(None, survey=s.customer, kind="customer", measure="customer")  # type: ignore[attr-defined]
    e, v = s.employee, s.employee_view  # type: ignore[attr-defined]
    if e is None or v is None:
        return
    k = s.settings.min_group  # type: ignore[attr-defined]
    names = list(s.link.names)  # type: ignore[attr-defined]
    eng = s.engagement  # type: ignore[attr-defined]
    if eng is not None and not eng.suppressed:
        _total_figures(s, e, v, k)
    for d in s.departments:  # type: ignore[attr-defined]
        if d.engagement is None or d.department not in names:
            continue
        g = names.index(d.department)
        if d.suppressed:
            ledger.release(d.employee_n, survey=e, kind="hidden-count", measure="n", group=d.department,
                           rows=v.department == g, k=k)
            continue
        rows = v.mask & (v.group == g)
        ledger.release(d.employee_n, survey=e, kind="count", measure="n", group=d.department, rows=rows, k=k)
        _employee_figures(s, e, rows, d.department, d.engagement, d.enps, k)
        keys = {i.name: i.key for i in e.items}
        for measure, value in (("nmi", d.nmi), ("hme", d.hme)):
            if value is not None:
                _figure(e, value, measure, d.department, rows, keys, k)


def _total_figures(s: object, e: object, v: object, k: int) -> None:
    """The view's total: engagement, eNPS, each statement, alpha, pulse, HME and NMI."""
    _employee_figures(s, e, v.mask, "total", s.engagement, s.enps, k)  # type: ignore[attr-defined]
    if s.alpha is not None:  # type: ignore[attr-defined]
        a = s.alpha  # type: ignore[attr-defined]
        _figure(e, (a.alpha, a.n, a.items, a.ci95), "alpha", "total", v.mask,
                {i.name: i.key for i in e.items}, k)
    if s.pulse is not None:  # type: ignore[attr-defined]
        _figure(e, (s.pulse.mean, s.pulse.n), "pulse", "total", v.mask, {"(pulse)": "pulse"}, k)  # type: ignore[attr-defined]
    nordic = s.nordic  # type: ignore[attr-defined]
    if nordic.hme is not None and nordic.hme_columns is not None:
        keys = {i.name: i.key for i in e.items}
        _figure(e, nordic.hme.as_dict(), "hme", "total", v.mask,
                {c: keys[c] for c in nordic.hme_columns.codes.values() if c in keys}, k)
    if nordic.nmi is not None:
        _figure(e, nordic.nmi.as_dict(), "nmi", "total", v.mask, {i.name: i.key for i in e.items}, k)
