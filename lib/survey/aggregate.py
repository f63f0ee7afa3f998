"""The customer survey from a table of counts computed where the answers live (:mod:`lib.read.sources`).

NPS and everything built on it (intervals, periods, changes, departments against the rest, the linkage's customer
side) depend only on how many people gave each answer in each unit, day and segment. So:

1. the source's first rows are read and their columns' roles detected (and overridden) exactly as a file's;
2. the engine counts the answers per distinct unit × day × status × segment values × recommend answer, raw as
   stored (one ``GROUP BY``);
3. that small table goes through the same tidying as a file (:func:`lib.survey.frame.tidy`) with each row weighted
   by its count, so every value is read by the same rules (labels, codes, scales, dates, unit names) and every answer
   left out is counted by its reason. The survey's frame has one row per combination and a ``weight`` column
   (:attr:`lib.survey.frame.Survey.weights`); the customer figures count by it, and a file's rows weigh 1 each.

What the counts cannot hold is not read, and the survey says so in a note: comments (their text is per answer),
statements and other questions (NKI), and the respondent id (repeated answers are not removed).
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Sequence

import numpy as np

from lib.detect.roles import SAMPLE_ROWS, Detection, apply_overrides, detect_roles
from lib.errors import NoResponsesError
from lib.i18n import msg
from lib.read import sources
from lib.read.guard import DEFAULT_LIMITS
from lib.read.headers import HeaderLayout
from lib.read.sources import Source
from lib.read.table import Table
from lib.survey.frame import Survey, tidy

#: The roles counted in the engine; the grain of the table of counts.
COUNTED = ("department", "date", "status", "nps", "segment")


def detect(source: Source, columns: dict[str, str] | None = None, scales: dict[str, str] | None = None,
           other_units: Sequence[str] = ()) -> tuple[Table, Detection]:
    """The source's first rows and their roles as a customer survey (``columns``/``scales`` override them)."""
    head = sources.sample(source, SAMPLE_ROWS)
    if not len(head.frame):
        raise NoResponsesError(msg("The customer source “{name}” holds no answers; check its table or query.",
                                   name=source.name))
    found = detect_roles(head, "customer", other_units)
    return head, apply_overrides(found, head, columns, "customer", scales)


def counted(detection: Detection) -> tuple[Detection, list[str]]:
    """The roles as the table of counts holds them: the counted roles kept, every other one read as "ignore" with
    why; and the columns to count by, in the detection's order."""
    why = msg("not read from a database or a folder: only the unit, date, status, segments and the recommend "
              "answer are counted there")
    firsts = {detection.one(role).name for role in ("department", "date", "nps") if detection.one(role) is not None}
    other = msg("another column has this role; the first is counted")
    cols = tuple(c if c.role in ("status", "segment", "ignore") or c.name in firsts
                 else replace(c, role="ignore", reason=other) if c.role in COUNTED
                 else replace(c, role="ignore", reason=why) for c in detection.columns)
    return Detection(detection.kind, detection.kind_reason, cols), [c.name for c in cols if c.role in COUNTED]


def load_source(source: Source, *, columns: dict[str, str] | None = None, scales: dict[str, str] | None = None,
                other_units: Sequence[str] = ()) -> Survey:
    """The customer survey of ``source``, from the answers counted in its engine (see the module's text)."""
    head, detection = detect(source, columns, scales, other_units)
    return from_counts(source, head, detection)


def from_counts(source: Source, head: Table, detection: Detection) -> Survey:
    """:func:`load_source` from the detected roles on: count in the engine, then tidy the counts."""
    used, by = counted(detection)
    date = used.one("date")
    iso = date is not None and sources.iso_dates(head.frame[date.name])
    table = sources.counts(source, by, date.name if date is not None else None, iso)
    weights = table.pop(sources.COUNT).to_numpy(dtype=np.int64)
    notes = _notes(detection)
    frame = sources.as_text(table, keep_dates=True)
    layout = HeaderLayout(0, 1, list(frame.columns), [None] * len(frame.columns), list(frame.columns))
    grouped = Table(frame, np.arange(len(frame)), layout, notes=notes, header_row=None)
    if not weights.sum():
        raise NoResponsesError(msg("The customer source “{name}” holds no answers; check its table or query.",
                                   name=source.name))
    survey = tidy(grouped, used, source.name, weights=weights)
    survey.preview = head.frame.head(20)
    return survey


def _notes(detection: Detection) -> list:
    """What the counts leave out, said once each."""
    notes = []
    if detection.one("id") is not None:
        notes.append(msg("The respondent id “{column}” is not read from a database or a folder, so repeated answers "
                         "are not removed.", column=detection.one("id").name))
    if detection.all("comment"):
        notes.append(msg("Comments are not read from a database or a folder; upload a file to read them."))
    return notes



#: Where a customer CSV is counted by DuckDB instead of read whole into pandas. ``python -m bench`` measures both
#: paths side by side: the pandas path is the faster wherever it accepts the file, so DuckDB takes over where it
#: stops: above :data:`PANDAS_ROWS` rows (estimated from the first :data:`HEAD_BYTES`) or :data:`PANDAS_BYTES`.
#: Below :data:`LARGE_CSV_BYTES` a file is never counted (too small to hold that many rows).
PANDAS_ROWS = DEFAULT_LIMITS.max_rows
PANDAS_BYTES = DEFAULT_LIMITS.max_bytes
LARGE_CSV_BYTES = 8 * 1024 * 1024
#: How much of a large upload's start is read the ordinary way, to find its header and detect the roles.
HEAD_BYTES = 4 * 1024 * 1024


def from_csv_upload(data: bytes, filename: str, *, columns: dict[str, str] | None = None,
                    scales: dict[str, str] | None = None, encoding: str | None = None,
                    other_units: Sequence[str] = ()) -> Survey | None:
    """A large customer CSV upload counted by DuckDB from memory (never written to disk): its header and roles from
    its first rows, read the ordinary way (:func:`lib.read.table.read_table`), then one ``GROUP BY`` over every
    data line. None when the upload is not such a file (a workbook, one the pandas path accepts, an employee
    survey, or answers in long form): it is read the ordinary way."""
    from lib.read.longformat import find_long
    from lib.read.table import file_format, read_table, sniff_delimiter

    if len(data) < LARGE_CSV_BYTES or file_format(data[:8]) != "text":
        return None
    cut = data.rfind(b"\n", 0, HEAD_BYTES)
    rows = len(data) / max(cut + 1, 1) * data.count(b"\n", 0, cut + 1)  # estimated from the first lines
    if rows <= PANDAS_ROWS and len(data) <= PANDAS_BYTES:
        return None
    head = read_table(data[: cut + 1], filename, encoding=encoding)
    found = apply_overrides(detect_roles(head, None, other_units), head, columns, None, scales)
    if found.kind != "customer" or find_long(head.frame) is not None:
        return None
    detection = apply_overrides(found, head, columns, "customer", scales)
    layout = head.layout
    text = data[: cut + 1].decode(encoding or "utf-8", errors="ignore")
    if not set(head.frame.columns) <= set(layout.names):
        return None
    source = Source(data=data, skip=layout.start + layout.count + _blank_lines(text), names=tuple(layout.names),
                    delimiter=sniff_delimiter(text[:65536]), encoding=encoding, keep=tuple(counted(detection)[1]))
    survey = from_counts(source, head, detection)
    survey.name = filename
    return survey


def _blank_lines(text: str) -> int:
    """Blank lines before the first header line (the reader skips them; DuckDB counts them)."""
    n = 0
    for line in text.splitlines():
        if line.strip(" ,;\t\ufeff"):
            break
        n += 1
    return n
