"""Reading a survey export from bytes: workbooks through fastexcel, text through pandas.

Input is the file's bytes and its name, so an upload never touches disk. The
format is recognised from the bytes (a workbook named ``.csv`` is still read as a
workbook); the name only breaks ties. Workbooks (.xlsx, .xlsm, .xls, .ods) go
through fastexcel (Rust calamine); CSV and text exports have their encoding
(UTF-8, UTF-8 with BOM, UTF-16, cp1252) and delimiter (``,`` ``;`` tab ``|``)
detected. The header is found by :mod:`lib.headers`.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import EmptyFileError, UnreadableFileError
from .headers import Grid, HeaderLayout, detect_header
from .i18n import Msg, msg

PREVIEW_ROWS = 40
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """A response table: unique column names, raw cell values, spreadsheet row numbers."""

    frame: pd.DataFrame
    row_numbers: np.ndarray  # 1-based row (record) number of each data row in the file
    layout: HeaderLayout
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def file_format(data: bytes, filename: str) -> str:
    """"workbook" or "text", from the bytes first and the name second."""
    if data.startswith(_ZIP) or data.startswith(_OLE):
        return "workbook"
    return "text"


# ----------------------------------------------------------------- workbooks


def _reader(data: bytes, filename: str):  # -> fastexcel.ExcelReader
    import fastexcel

    try:
        return fastexcel.read_excel(data)
    except Exception as exc:  # calamine's errors are many and untyped for us
        if data.startswith(_OLE) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise UnreadableFileError(
                msg("“{name}” is password-protected; save it again without a password and upload that copy.", name=filename)
            ) from exc
        if data.startswith(_ZIP) and not _is_spreadsheet_zip(data):
            raise UnreadableFileError(
                msg("“{name}” is a zip archive but not a spreadsheet; export the survey as .xlsx or .csv.", name=filename)
            ) from exc
        raise UnreadableFileError(
            msg("“{name}” could not be read as a workbook (it may be damaged); open it in Excel, save it as .xlsx and try again.", name=filename)
        ) from exc


def _is_spreadsheet_zip(data: bytes) -> bool:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return True  # damaged: let the workbook message speak
    return any(n.startswith(("xl/", "content.xml")) for n in names) or "content.xml" in names


def _cell_text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _preview(reader, sheet: int | str) -> tuple[Grid, int, int]:
    """(first rows as text, total rows, absolute index of the first column)."""
    s = reader.load_sheet(sheet, header_row=None, n_rows=PREVIEW_ROWS, dtypes="string", whitespace_as_null=True)
    df = s.to_pandas()
    grid = [[_cell_text(v) for v in row] for row in df.itertuples(index=False, name=None)]
    cols = s.available_columns()
    first = cols[0].absolute_index if cols else 0
    return grid, int(s.total_height), int(first)


def _sheet_score(grid: Grid, total: int) -> float:
    """How much a sheet looks like response data: rows × header width."""
    if not grid:
        return 0.0
    layout = detect_header(grid)
    width = sum(1 for n in layout.names if not n.startswith("Column "))
    return float(max(0, total - layout.start - layout.count)) * width + width * 0.01


def list_sheets(data: bytes, filename: str) -> list[str]:
    """Sheet names of a workbook; a text file has none."""
    if file_format(data, filename) != "workbook":
        return []
    return list(_reader(data, filename).sheet_names)


def _read_workbook(data: bytes, filename: str, sheet: str | int | None) -> Table:
    reader = _reader(data, filename)
    names = list(reader.sheet_names)
    if not names:
        raise EmptyFileError(msg("“{name}” has no sheets; export the survey responses again.", name=filename))
    if sheet is None:
        previews = {}
        for i, name in enumerate(names):
            try:
                previews[name] = _preview(reader, i)
            except Exception:
                continue
        scored = {n: _sheet_score(g, t) for n, (g, t, _) in previews.items()}
        if not scored or max(scored.values()) < 1:
            raise EmptyFileError(msg("Every sheet in “{name}” is empty; check that you exported the responses.", name=filename))
        chosen = max(scored, key=lambda n: (scored[n], -names.index(n)))
        grid, total, first_col = previews[chosen]
    else:
        chosen = sheet if isinstance(sheet, str) else names[sheet]
        if chosen not in names:
            raise UnreadableFileError(
                msg("“{name}” has no sheet called “{sheet}”; its sheets are: {sheets}.", name=filename, sheet=chosen, sheets=", ".join(names))
            )
        grid, total, first_col = _preview(reader, chosen)
    if not grid:
        raise EmptyFileError(msg("The sheet “{sheet}” in “{name}” is empty; choose the sheet with the responses.", sheet=chosen, name=filename))
    layout = detect_header(grid, first_col)
    body_start = layout.start + layout.count
    if total <= body_start:
        frame = pd.DataFrame({n: pd.Series([], dtype=object) for n in layout.names})
    else:
        s = reader.load_sheet(chosen, header_row=None, skip_rows=body_start, schema_sample_rows=None,
                              whitespace_as_null=True)
        frame = s.to_pandas()
        frame = frame.iloc[:, : len(layout.names)]
        if frame.shape[1] < len(layout.names):
            for name in layout.names[frame.shape[1]:]:
                frame[name] = None
        frame.columns = layout.names
    rows = np.arange(len(frame), dtype=np.int64) + body_start + 1
    return Table(frame, rows, layout, chosen, names)


# ---------------------------------------------------------------------- text


def decode(data: bytes, filename: str) -> str:
    """Text of a CSV export: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            msg("“{name}” is not in a text encoding we know (UTF-8, UTF-16 or Windows-1252); save it as “CSV UTF-8” and try again.", name=filename)
        ) from exc


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most, and most even, fields."""
    sample = text[:64_000]
    best, best_key = ",", (-1.0, 0)
    for delim in (",", ";", "\t", "|"):
        try:
            rows = [r for _, r in zip(range(30), csv.reader(io.StringIO(sample), delimiter=delim)) if r]
        except csv.Error:
            continue
        if len(rows) > 1 and len(sample) == 64_000:
            rows = rows[:-1]  # the last one may be cut off
        counts = [len(r) for r in rows]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        key = (counts.count(mode) / len(counts), mode)
        if key > best_key:
            best, best_key = delim, key
    return best


def _read_text(data: bytes, filename: str) -> Table:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(
            msg("“{name}” contains binary data, not text; export the survey again as .csv or .xlsx.", name=filename)
        )
    text = decode(data, filename)
    if not text.strip():
        raise EmptyFileError(msg("“{name}” is empty; export the survey responses again.", name=filename))
    delim = sniff_delimiter(text)
    try:
        raw = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                          na_values=["", " "], skip_blank_lines=False, engine="c")
    except pd.errors.ParserError:
        width = max(len(r) for r in csv.reader(io.StringIO(text), delimiter=delim))
        raw = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                          na_values=[""], skip_blank_lines=False, names=list(range(width)), engine="python")
    grid = [[_cell_text(v) for v in row] for row in raw.iloc[:PREVIEW_ROWS].itertuples(index=False, name=None)]
    layout = detect_header(grid)
    body_start = layout.start + layout.count
    frame = raw.iloc[body_start:, : len(layout.names)].reset_index(drop=True)
    frame.columns = layout.names[: frame.shape[1]]
    rows = np.arange(len(frame), dtype=np.int64) + body_start + 1
    notes = [msg("Read as text with “{delim}” between columns.", delim={"\t": "tab"}.get(delim, delim))]
    return Table(frame, rows, layout, None, [], notes)


# -------------------------------------------------------------------- public


def read_table(data: bytes, filename: str, sheet: str | int | None = None) -> Table:
    """Read the response table of a survey export.

    ``sheet`` picks a sheet by name or 0-based index; by default the sheet that
    looks most like response data is used. Fully empty rows and columns are dropped.
    """
    if not data:
        raise EmptyFileError(msg("“{name}” is empty (0 bytes); export the survey responses again.", name=filename))
    if file_format(data, filename) == "workbook":
        table = _read_workbook(data, filename, sheet)
    else:
        table = _read_text(data, filename)
    frame = table.frame
    if len(frame.columns):
        filled = frame.notna().to_numpy()
        keep_rows = filled.any(axis=1)
        named = np.array([not c.startswith("Column ") for c in frame.columns])
        keep_cols = filled.any(axis=0) | named
        if not keep_rows.all() or not keep_cols.all():
            table.frame = frame.loc[keep_rows, keep_cols].reset_index(drop=True)
            table.row_numbers = table.row_numbers[keep_rows]
    return table
