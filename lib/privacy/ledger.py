"""The release ledger: what the privacy module released, and exactly who is behind it.

Every employee number and text that leaves the engine for a person is handed
out by a function of :mod:`lib.privacy` (:func:`release` underneath). When the
ledger is on — inside :func:`recording`, or for a whole process with the
environment variable ``SURVEY_EXPLORER_LEDGER=1`` — each release is written down
as a :class:`Release`: what was released, of which measure and group, the set
of respondents (rows of the survey's frame) it depends on, and, per column, the
respondents whose cell in that column it depends on. Tests check the anonymity
invariant over everything a sequence of views released (``tests/test_privacy_checker.py``).

When the ledger is off, :func:`release` returns its value and records nothing.
The ledger is process-wide (not per thread), so a Streamlit script run in
another thread records into the same list as the test that started it.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

LEDGER_VARIABLE = "SURVEY_EXPLORER_LEDGER"

#: Kinds of release: a figure computed over answers; a count of responses; the count shown for a hidden group;
#: comments; a text about the file (a reason rows were left out, a column summary); a value offered in a filter;
#: raw rows (customer files only); a customer figure (recorded so a test can see which files were read as customer).
KINDS = ("figure", "count", "hidden-count", "comment", "text", "filter-value", "raw", "customer")


@dataclass(frozen=True)
class Release:
    """One thing released: its value, and the respondents and (respondent, column) cells behind it."""

    survey: str
    kind: str
    measure: str
    group: str
    value: object
    respondents: frozenset[int]
    cells: tuple[tuple[str, frozenset[int]], ...] = ()
    k: int = 0

    def cell_rows(self) -> dict[str, frozenset[int]]:
        return dict(self.cells)


_lock = threading.Lock()
_log: list[Release] | None = [] if os.environ.get(LEDGER_VARIABLE, "").strip() in ("1", "true", "yes") else None
_ids = itertools.count(1)


def active() -> bool:
    """Whether releases are being recorded."""
    return _log is not None


@contextmanager
def recording() -> Iterator[list[Release]]:
    """Record every release made inside the block (from any thread) into the list it yields."""
    global _log
    with _lock:
        before, _log = _log, []
        mine = _log
    try:
        yield mine
    finally:
        with _lock:
            _log = before


def survey_id(survey: object) -> str:
    """A name for a survey in the ledger, the same for the survey and its released copies (they share a cache)."""
    cache = getattr(survey, "cache", None)
    if cache is None:
        return str(getattr(survey, "name", "?"))
    if "ledger_id" not in cache:
        cache["ledger_id"] = f"{getattr(survey, 'name', '?')}#{next(_ids)}"
    return cache["ledger_id"]


def rows_of(rows: object) -> list[int]:
    """Row positions of a boolean mask or of positions, sorted."""
    return sorted(_rows(rows))


def _rows(rows: object) -> frozenset[int]:
    if rows is None:
        return frozenset()
    a = np.asarray(rows)
    if a.dtype == bool:
        a = np.flatnonzero(a)
    return frozenset(int(i) for i in a)


def release(value: object, *, survey: object, kind: str, measure: str, group: str = "total", rows: object = None,
            cells: Mapping[str, object] | None = None, k: int = 0) -> object:
    """Release ``value`` (returned unchanged); with the ledger on, record it with its respondents and cells.

    ``rows`` and each of ``cells``' values are a boolean mask over the survey's frame or row positions.
    """
    log = _log
    if log is None:
        return value
    assert kind in KINDS, kind
    entry = Release(survey_id(survey), kind, measure, str(group), value, _rows(rows),
                    tuple(sorted((str(c), _rows(m)) for c, m in (cells or {}).items())), int(k))
    with _lock:
        log.append(entry)
    return value
