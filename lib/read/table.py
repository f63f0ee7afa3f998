"""Reading a survey export from bytes: workbooks through fastexcel, text through Arrow's CSV reader.

Input is the file's bytes and its name, so an upload never touches disk. The
format is recognised from the bytes (a workbook named ``.csv`` is still read as a
workbook; text named ``.xlsx`` is read as text, with a note). Workbooks (.xlsx, .xlsm, .xls, .ods) go
through fastexcel (Rust calamine); CSV and text exports have their delimiter
(``,`` ``;`` tab ``|``) and encoding detected by :func:`detect_encoding`, or the
encoding is the user's choice. The header is found by :mod:`lib.read.headers`.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import csv
import io
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from lib.errors import EmptyFileError, LayoutNotSliceable, OptionError, SurveyError, UnreadableFileError
from lib.read.guard import check_bytes, check_shape, head_bytes
from lib.read.headers import Grid, HeaderLayout, detect_header
from lib.i18n import Msg, msg, msg_n

PREVIEW_ROWS = 40
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")

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
    selected: bool = False  # only the columns a ``select`` chose were read; empty rows are already gone
    header_row: int | None = None  # spreadsheet row (1-based) of the first header row
    codebook: tuple = ()  # codes for no answer from the workbook's data-dictionary sheet (lib.read.codebook)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def _looks_binary(data: bytes) -> bool:
    """Bytes that are no text export: NUL bytes, or not decodable as UTF-8 with many control characters."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def file_format(data: bytes) -> str:
    """"workbook" or "text", from the first bytes alone (a zip or OLE signature means a workbook): a workbook
    named ``.csv`` is still a workbook; :func:`read_table` uses the name only to word its messages.
    """
    if data.startswith(_ZIP) or data.startswith(_OLE):
        return "workbook"
    return "text"


# ----------------------------------------------------------------- workbooks




def _open(source: bytes | Path):
    """What zipfile and fastexcel take: a path as text, or the bytes in a buffer (zipfile) / as is (fastexcel)."""
    return str(source) if isinstance(source, Path) else source


def _reader(source: bytes | Path, filename: str):  # -> fastexcel.ExcelReader
    import fastexcel

    try:
        return fastexcel.read_excel(_open(source))
    except Exception as exc:  # calamine's errors are many and untyped for us
        data = source.read_bytes() if isinstance(source, Path) else source
        if data.startswith(_OLE) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise UnreadableFileError(
                msg("“{name}” is password-protected; save it again without a password and upload that copy.", name=filename)
            ) from exc
        if data.startswith(_ZIP) and not _is_spreadsheet_zip(data):
            raise UnreadableFileError(
                msg("“{name}” is a zip archive but not a spreadsheet; export the survey as .xlsx or .csv.", name=filename)
            ) from exc
        raise UnreadableFileError(
            msg("“{name}” could not be read as a workbook (it may be damaged); open it in Excel, save it as .xlsx and try "
                "again.", name=filename)
        ) from exc


_FORMULA_NO_VALUE = re.compile(rb"<f(?:\s[^>]*)?>[^<]*</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _formulas_without_values(source: bytes | Path) -> bool:
    """True when a worksheet has formula cells with no saved result (written by a program, never opened in Excel)."""
    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
        parts = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        for info in parts:
            with archive.open(info) as part:
                if _FORMULA_NO_VALUE.search(part.read(1 << 20)):
                    return True
    except Exception:  # not a readable package: the workbook reader gives the message
        return False
    return False


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


def _load_text(reader, sheet: int | str) -> pd.DataFrame:
    """A sheet as text cells: one parse, numbers and dates arrive as their text.

    Loaded eagerly, so calamine's cell grid is freed as soon as the Arrow batch exists.
    """
    batch = reader.load_sheet(sheet, header_row=None, dtypes="string", whitespace_as_null=True, eager=True)
    return batch.to_pandas()


def _grid(raw: pd.DataFrame) -> Grid:
    return [[_cell_text(v) for v in row] for row in raw.iloc[:PREVIEW_ROWS].itertuples(index=False, name=None)]


def _sheet_score(grid: Grid, total: int) -> float:
    """How much a sheet looks like response data: rows × header width."""
    if not grid:
        return 0.0
    layout = detect_header(grid)
    width = sum(1 for n in layout.names if not n.startswith("Column "))
    return float(max(0, total - layout.start - layout.count)) * width + width * 0.01


def list_sheets(data: bytes, filename: str) -> list[str]:
    """Sheet names of a workbook; a text file has none."""
    if file_format(data) != "workbook":
        return []
    return list(_reader(data, filename).sheet_names)


#: A sheet this many times taller than every other (by the heights the workbook records) is the responses.
DOMINANT = 10
_DIMENSION_REF = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref=\"[A-Z]*(\d*):?[A-Z]*(\d*)\"")


def _dominant_sheet(source: bytes | Path, names: list[str]) -> str | None:
    """The sheet whose recorded height is :data:`DOMINANT` times every other's and more than a preview, if there is one.

    Only each sheet's ``<dimension>`` is read, from the first bytes of its XML: a short
    second sheet (notes, a legend) then costs nothing. None when a height is not recorded.
    """
    heights = []
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            for name in names:
                with archive.open(_sheet_part(archive, name)) as part:
                    found = _DIMENSION_REF.search(part.read(4096))
                if not found:
                    return None
                first, last = int(found.group(1) or 1), int(found.group(2) or found.group(1) or 1)
                heights.append(last - first + 1)
    except Exception:  # noqa: BLE001 - the previews judge instead
        return None
    top = max(range(len(names)), key=lambda i: heights[i])
    others = [h for i, h in enumerate(heights) if i != top]
    if heights[top] > PREVIEW_ROWS and all(heights[top] >= DOMINANT * h for h in others):
        return names[top]
    return None


def _is_xlsx(data: bytes | Path) -> bool:
    """An .xlsx/.xlsm package (an .ods is a zip too, without ``xl/workbook.xml``)."""
    try:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _choose_sheet(reader: Callable, data: bytes | Path, filename: str, names: list[str], sheet: str | int | None,
                  zipped: bool) -> str:
    """The sheet asked for, or else the one that looks most like response data (judged from its first rows)."""
    if sheet is None and len(names) == 1:
        return names[0]
    if sheet is None and zipped and (tallest := _dominant_sheet(data, names)) is not None:
        return tallest
    if sheet is None:
        scored = {}
        for i, name in enumerate(names):
            try:
                preview = _xlsx_preview(data, name) if zipped and _is_xlsx(data) else None
                if preview is None:  # .xls, .ods, or no dimension recorded: calamine parses the sheet
                    s = reader().load_sheet(i, header_row=None, n_rows=PREVIEW_ROWS, dtypes="string",
                                          whitespace_as_null=True)
                    preview = _grid(s.to_pandas()), int(s.total_height)
                scored[name] = _sheet_score(*preview)
            except Exception:  # an unreadable sheet is simply not chosen
                continue
        if not scored or max(scored.values()) < 1:
            raise EmptyFileError(msg("Every sheet in “{name}” is empty; check that you exported the responses.", name=filename))
        return max(scored, key=lambda n: (scored[n], -names.index(n)))
    chosen = sheet if isinstance(sheet, str) else names[sheet] if 0 <= sheet < len(names) else str(sheet)
    if chosen not in names:
        raise UnreadableFileError(
            msg("“{name}” has no sheet called “{sheet}”; its sheets are: {sheets}.", name=filename, sheet=chosen,
                sheets=", ".join(names))
        )
    return chosen


def _worksheet_names(source: bytes | Path) -> list[str] | None:
    """The worksheets of an .xlsx/.xlsm package, in order, from workbook.xml; None for any other file or a damaged one.

    This spares opening the workbook with calamine, which reads the whole string table at once.
    """
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                return None
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - calamine then opens it, and says what is wrong
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS['rel']}}}Relationship")}
    return [s.get("name", "") for s in book.iter(f"{{{_NS['m']}}}sheet")
            if "worksheets/" in targets.get(s.get(f"{{{_NS['r']}}}id"), "")]


def _read_workbook(data: bytes | Path, filename: str, sheet: str | int | None, zipped: bool,
                   select: Select | None = None, head_rows: int = 0, header_row: int | None = None) -> Table:
    """The response sheet's table, with the codes for no answer the workbook's other sheets list."""
    table = _read_response_sheet(data, filename, sheet, zipped, select, head_rows, header_row)
    from lib.read.codebook import SHEET_NAMES

    others = [n for n in table.sheets if n != table.sheet and SHEET_NAMES.search(n)]
    if others:
        table.codebook = _codebook(data, filename, others)
    return table


#: A data-dictionary sheet is read for its first rows only.
CODEBOOK_ROWS = 2000


def _codebook(data: bytes | Path, filename: str, sheets: list[str]) -> tuple:
    """Codes for no answer listed in the data-dictionary sheets ("9 = Don't know"); a sheet that cannot be read lists
    none."""
    from lib.read.codebook import codes_from_grid

    found: list = []
    try:
        reader = _reader(data, filename)
    except Exception:  # noqa: BLE001 - the response sheet was read; a dictionary is only a help
        return ()
    for name in sheets:
        try:
            s = reader.load_sheet(name, header_row=None, n_rows=CODEBOOK_ROWS, dtypes="string", whitespace_as_null=True)
            frame = s.to_pandas()
        except Exception:  # noqa: BLE001
            continue
        if frame.shape[1] > 12:  # a dictionary is a few columns wide; a wide sheet is data
            continue
        found += codes_from_grid([[_cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)], name)
    return tuple(found)


def _read_response_sheet(data: bytes | Path, filename: str, sheet: str | int | None, zipped: bool,
                         select: Select | None = None, head_rows: int = 0, header_row: int | None = None) -> Table:
    opened: list = []

    def reader():  # calamine opens the workbook only when a sheet is read whole (or the package is not plain .xlsx)
        if not opened:
            opened.append(_reader(data, filename))
        return opened[0]

    if zipped and _formulas_without_values(data):
        raise UnreadableFileError(msg("“{name}” has formulas whose results were never saved (a program wrote it, Excel never "
                                      "opened it); open it in Excel, save it, and upload it again.", name=filename))
    names = (_worksheet_names(data) if zipped else None) or list(reader().sheet_names)
    if not names:
        raise EmptyFileError(msg("“{name}” has no sheets; export the survey responses again.", name=filename))
    chosen = _choose_sheet(reader, data, filename, names, sheet, zipped)
    first_row, first_col = _sheet_origin(data, chosen) if zipped else (0, 0)
    selection = _Selection(select, head_rows, first_col, first_row) if select and header_row is None else None
    try:
        raw = _sliced_text(data, chosen, (first_row, first_col), selection) if zipped else None
        if isinstance(raw, Table):
            return replace(raw, sheet=chosen, sheets=names)
        if raw is None:
            raw = _load_text(reader(), chosen)
    except SurveyError:
        raise
    except Exception as exc:
        raise UnreadableFileError(msg("The sheet “{sheet}” in “{name}” could not be read; open the file in Excel, save it again "
                                      "and retry.", sheet=chosen, name=filename)) from exc
    if raw.empty:
        raise EmptyFileError(msg("The sheet “{sheet}” in “{name}” is empty; choose the sheet with the responses.",
                                 sheet=chosen, name=filename))
    return _table(raw, first_col, chosen, names, [], first_row, header_row)


def _sliced_text(source: bytes | Path, sheet: str, origin: tuple[int, int], selection: _Selection | None
                 ) -> pd.DataFrame | Table | None:
    """A big .xlsx sheet read in row slices (:mod:`lib.read.xlsx_slices`); None when it is small or not sliceable.

    With a ``selection`` that decides, the result is already the :class:`Table` of the chosen columns.

    None also when slicing fails in any other way: the whole-sheet reading is the
    reference, and it gives the user the message if the file itself is at fault.
    """
    from lib.read import xlsx_slices

    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            if "xl/workbook.xml" not in archive.namelist():  # .ods, .xlsb
                return None
            part = _sheet_part(archive, sheet)
            if archive.getinfo(part).file_size < xlsx_slices.MIN_SHEET_BYTES:
                return None
        choose = (lambda head: selection.decide(head, complete=False)) if selection else None
        sliced = xlsx_slices.load_text(source, part, sheet, origin, choose=choose)
        if selection is not None and selection.layout is not None:
            return selection.table(sliced.table, sliced.filled)
        return sliced.table.to_pandas()
    except LayoutNotSliceable:
        return None
    except SurveyError:  # from ``select``: the user's to fix
        raise
    except Exception:  # noqa: BLE001 - the whole-sheet path decides what is wrong with the file
        return None


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The worksheet part of a sheet, from workbook.xml and its relationships (parsed with defusedxml)."""
    from defusedxml import ElementTree

    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next(s.get(f"{{{_NS['r']}}}id") for s in book.iter(f"{{{_NS['m']}}}sheet") if s.get("name") == sheet)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target", "") for r in rels.iter(f"{{{_NS['rel']}}}Relationship") if r.get("Id") == rid)
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings with these indices.

    The table's bytes are cut at each ``<si`` (text cannot hold a raw ``<``), and only the
    wanted items are parsed, with defusedxml: a header whose strings sit at the end of a
    million-entry table costs a split, not a parse of the table. Tables written with a
    namespace prefix are streamed with iterparse instead.
    """
    from defusedxml import ElementTree

    out: dict[int, str] = {}
    if not wanted or "xl/sharedStrings.xml" not in archive.namelist():
        return out
    pieces = archive.read("xl/sharedStrings.xml").split(b"<si")[1:]
    if not pieces:
        return _shared_strings_streamed(archive, wanted)
    for i in sorted(wanted):
        if i >= len(pieces):
            continue
        piece = pieces[i]
        end = piece.find(b"</si>")
        item = ElementTree.fromstring(b"<si" + (piece[: end + 5] if end >= 0 else piece[: piece.index(b"/>") + 2]))
        phonetic = {id(t) for r in item.iter("rPh") for t in r.iter("t")}
        out[i] = "".join(t.text or "" for t in item.iter("t") if id(t) not in phonetic)
    return out


def _shared_strings_streamed(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """:func:`_shared_strings` for a table written with a namespace prefix: streamed from its start."""
    from defusedxml.ElementTree import iterparse

    out: dict[int, str] = {}
    index = 0
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, el in iterparse(part, events=("end",)):
            if el.tag != f"{{{_NS['m']}}}si":
                continue
            if index in wanted:
                out[index] = "".join(t.text or "" for t in el.iter(f"{{{_NS['m']}}}t"))
                if len(out) == len(wanted):
                    break
            index += 1
            el.clear()
    return out


def _sheet_head(source: bytes | Path, sheet: str) -> tuple[zipfile.ZipFile, int | None, list[tuple[int, dict]]]:
    """A worksheet's recorded height and its first filled rows, streamed from the start of its XML with defusedxml.

    Each row is (row number, {column number: (cell type, raw value)}); the sheet is never parsed whole.
    """
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

    archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    m = f"{{{_NS['m']}}}"
    height = None
    rows: list[tuple[int, dict]] = []
    with archive.open(_sheet_part(archive, sheet)) as part:
        for _event, el in iterparse(part, events=("end",)):
            if el.tag == m + "dimension":
                _c1, r1, _c2, r2 = range_boundaries(el.get("ref", "A1"))
                height = (r2 or r1 or 1) - (r1 or 1) + 1
            elif el.tag == m + "row":
                cells = {}
                for c in el.iter(m + "c"):
                    v, inline = c.find(m + "v"), c.find(m + "is")
                    text = v.text if v is not None else "".join(t.text or "" for t in inline.iter(m + "t")) \
                        if inline is not None else None
                    if c.get("r") and text is not None:
                        cells[column_index_from_string(coordinate_from_string(c.get("r"))[0])] = (c.get("t", "n"), text)
                if cells:
                    rows.append((int(el.get("r", "0")), cells))
                el.clear()
                if len(rows) >= PREVIEW_ROWS:
                    break
    return archive, height, rows


def _number_text(v: str) -> str:
    try:
        return _cell_text(float(v)) or v
    except ValueError:
        return v


def _xlsx_preview(source: bytes | Path, sheet: str) -> tuple[Grid, int] | None:
    """A worksheet's first rows as text, and its height, without parsing the whole sheet.

    None when the sheet records no dimension (its height is then unknown without a full parse).
    """
    archive, height, rows = _sheet_head(source, sheet)
    if height is None:
        return None
    strings = _shared_strings(archive, {int(v) for _, r in rows for t, v in r.values() if t == "s"})
    first = min((c for _, r in rows for c in r), default=1)
    width = max((c for _, r in rows for c in r), default=first) - first + 1
    grid: Grid = []
    for _, r in rows:
        line: list[str | None] = [None] * width
        for c, (t, v) in r.items():
            line[c - first] = strings.get(int(v)) if t == "s" else _number_text(v) if t == "n" else v
        grid.append(line)
    return grid, height


def _sheet_origin(source: bytes | Path, sheet: str) -> tuple[int, int]:
    """(empty rows, empty columns) before a worksheet's first value.

    calamine starts a sheet at its first non-empty cell; the spreadsheet's own row
    numbers and column letters need the offset, read from the first rows of the
    sheet's XML (streamed, never the whole sheet).
    """
    try:
        _archive, _height, rows = _sheet_head(source, sheet)
    except Exception:  # no offset rather than a failed read
        return 0, 0
    if not rows:
        return 0, 0
    return rows[0][0] - 1, min(c for _, r in rows for c in r) - 1


def _table(raw: pd.DataFrame, first_col: int, sheet: str | None, sheets: list[str], notes: list[Msg],
           first_row: int = 0, header_row: int | None = None) -> Table:
    """Header found in the first rows of an all-text frame; the rest is the data.

    ``first_row``/``first_col`` are the empty rows and columns before the frame's
    first cell, so row numbers and column letters are the spreadsheet's own.
    """
    if header_row is not None and header_row > len(raw) + first_row:
        raise OptionError(msg_n("The header row cannot be row {row}: the sheet has only {count} row; choose a row from 1 "
                                "to {count}.", "The header row cannot be row {row}: the sheet has only {count} rows; "
                                "choose a row from 1 to {count}.", len(raw) + first_row, row=header_row))
    layout = detect_header(_grid(raw), first_col, None if header_row is None else header_row - 1 - first_row)
    body_start = layout.start + layout.count
    frame = raw.iloc[body_start:, : len(layout.names)].reset_index(drop=True)
    frame.columns = layout.names[: frame.shape[1]]
    rows = np.arange(len(frame), dtype=np.int64) + body_start + 1 + first_row
    return Table(frame, rows, layout, sheet, sheets, notes, header_row=layout.start + 1 + first_row)


#: ``select(head)``: the names of the columns to read, given a :class:`Table` of the first rows (every column);
#: ``None`` reads them all. See :func:`read_table`.
Select = Callable[[Table], "Collection[str] | None"]


class _Selection:
    """One decision on which columns to read, taken on the first rows (:func:`read_table`'s ``select``)."""

    def __init__(self, select: Select, head_rows: int, first_col: int, first_row: int) -> None:
        self.select, self.head_rows, self.first_col, self.first_row = select, head_rows, first_col, first_row
        self.layout: HeaderLayout | None = None
        self.positions: list[int] = []

    def decide(self, raw_head, complete: bool):  # raw_head: pyarrow.Table of every column
        """The kept positions and the header's width; None for every column; MORE to see more rows."""
        from lib.read.xlsx_slices import MORE

        head = _drop_empty(_table(raw_head.to_pandas(), self.first_col, None, [], [], self.first_row))
        if len(head.frame) < self.head_rows and not complete:
            return MORE
        names = self.select(head)
        index = {n: i for i, n in enumerate(head.layout.names)}
        positions = sorted(index[n] for n in (names or ()) if n in index and n in head.frame.columns)
        if names is None or not positions:
            return None
        self.layout, self.positions = head.layout, positions
        return positions, len(head.layout.names)

    def table(self, raw, filled: np.ndarray, sheet: str | None = None, sheets: list[str] | None = None,
              notes: list[Msg] | None = None) -> Table:
        """The full :class:`Table` of the chosen columns (``raw``: their text cells, every row; ``filled``: rows with a value)."""
        assert self.layout is not None
        start = self.layout.start + self.layout.count
        frame = raw.slice(start).to_pandas()
        frame.columns = [self.layout.names[p] for p in self.positions]
        rows = np.arange(len(frame), dtype=np.int64) + start + 1 + self.first_row
        keep = np.asarray(filled[start: start + len(frame)], dtype=bool)
        if not keep.all():
            frame, rows = frame.loc[keep].reset_index(drop=True), rows[keep]
        return Table(frame, rows, self.layout, sheet, sheets or [], notes or [], selected=True,
                     header_row=self.layout.start + 1 + self.first_row)


# ---------------------------------------------------------------------- text


#: The encodings a user can choose for a text export; "latin-1+cp850" is :data:`DOS_MIXED`.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-16", "cp1252", "latin-1", "cp850", "latin-1+cp850")
#: Latin-1 leaves bytes 0x80–0x9F as control characters, never text; files written partly on DOS hold
#: accented letters there (0x82 é, 0x8A è, 0x85 à, 0x87 ç). This reading takes Latin-1 for every
#: byte but those, and code page 850 for those.
DOS_MIXED = "latin-1+cp850"
_C1_AS_CP850 = {0x80 + i: ch for i, ch in enumerate(bytes(range(0x80, 0xA0)).decode("cp850"))}


def _decode_as(data: bytes, encoding: str) -> str:
    if encoding == DOS_MIXED:
        return data.decode("latin-1").translate(_C1_AS_CP850)
    return data.decode(encoding)


def _dos_letters(data: bytes) -> bool:
    """Bytes 0x80–0x9F standing inside words (letters on both sides), other than the apostrophe 0x92:
    code page 850 letters (ä 0x84, å 0x86, ö 0x94, é 0x82), not Windows-1252 punctuation."""
    inside = re.findall(rb"(?<=[A-Za-z])[\x80-\x91\x93-\x9f](?=[A-Za-z])", data[:1 << 20])
    c1 = re.findall(rb"[\x80-\x9f]", data[:1 << 20])
    return bool(inside) and len(inside) >= 0.5 * len(c1)


def _valid_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8; big inputs are checked by Arrow's validator, in place (no decoded copy)."""
    if len(data) < (1 << 20):
        try:
            data.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        array.cast(pa.large_string())
        return True
    except pa.ArrowInvalid:
        return False


def detect_encoding(data: bytes) -> tuple[str, int]:
    """(encoding, bytes to skip), by a fixed rule.

    A byte-order mark decides (UTF-8, UTF-16). Otherwise: UTF-8 when the bytes
    are valid UTF-8; else, when bytes 0x80–0x9F mostly stand inside words (DOS
    letters such as ä, å, ö), or when some byte is not defined in Windows-1252,
    Latin-1 with code page 850 for the bytes 0x80–0x9F (:data:`DOS_MIXED`),
    which reads every byte; else Windows-1252. The user can choose another
    encoding.

    >>> detect_encoding("Avdelning;Stämmer".encode("utf-8"))
    ('utf-8', 0)
    >>> detect_encoding("Stämmer – helt".encode("cp1252"))
    ('cp1252', 0)
    >>> detect_encoding(bytes([0x72, 0xE9, 0x20, 0x82, 0x90]))  # Latin-1 é, then DOS é and É
    ('latin-1+cp850', 0)
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    if _valid_utf8(data):
        return "utf-8", 0
    if _dos_letters(data):
        return DOS_MIXED, 0
    try:
        data.decode("cp1252")
        return "cp1252", 0
    except UnicodeDecodeError:
        return DOS_MIXED, 0


def _looks_like_text(head: bytes, encoding: str, sample: str) -> bool:
    """Whether a chosen encoding fits the bytes: no NUL characters (UTF-16 read as one byte a letter), few bytes that
    are not text in it, and mostly characters of European scripts and punctuation (UTF-8 read as UTF-16 gives CJK)."""
    if not sample or "\x00" in sample:
        return False
    replaced = head.decode(encoding, errors="replace").count("\ufffd")
    far = sum(1 for ch in sample if ord(ch) > 0x2FFF)
    return replaced <= 0.01 * len(sample) and far <= 0.3 * len(sample)


def _skip_bom(data: bytes, encoding: str) -> tuple[str, int]:
    detected, skip = detect_encoding(data[:4])
    if encoding == "utf-16":
        return (detected if detected.startswith("utf-16") else "utf-16-le"), skip
    return encoding, skip if detected.startswith(encoding[:5]) else 0


def decode(data: bytes, filename: str, encoding: str | None = None) -> str:
    """Text of a CSV export, in ``encoding`` or the one :func:`detect_encoding` finds."""
    enc, skip = _skip_bom(data, encoding) if encoding else detect_encoding(data)
    try:
        return _decode_as(data[skip:], enc)
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFileError(
            msg("“{name}” cannot be read as {encoding}; choose another encoding, or save it as “CSV UTF-8” and try "
                "again.", name=filename, encoding=enc)) from None


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


def _csv_options(encoding: str, delim: str, width: int, block_size: int = 1 << 24,
                 columns: list[int] | None = None) -> dict:
    """Arrow's CSV options for every cell as text (quoted newlines allowed); ``columns`` limits what is converted."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    kept = names if columns is None else [names[i] for i in columns]
    return {
        "read_options": pacsv.ReadOptions(column_names=names, encoding="utf8" if encoding == "utf-8" else encoding,
                                          block_size=block_size),
        "parse_options": pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
        "convert_options": pacsv.ConvertOptions(column_types={n: pa.string() for n in kept}, strings_can_be_null=True,
                                                quoted_strings_can_be_null=True, null_values=[""],
                                                include_columns=None if columns is None else kept),
    }


def _arrow_csv(data: bytes, skip: int, encoding: str, delim: str, width: int):  # -> pyarrow.Table
    """Every cell as text, read by Arrow's multithreaded CSV reader."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(pa.BufferReader(pa.py_buffer(memoryview(data)[skip:])),
                          **_csv_options(encoding, delim, width))


#: Text exports smaller than this are read whole: choosing columns would only add work.
SELECT_MIN_BYTES = 8 << 20


def _selected_csv(data: bytes, skip: int, encoding: str, delim: str, width: int, select: Select, head_rows: int,
                  notes: list[Msg]) -> Table | None:
    """The chosen columns of a big text export, or None to read every column.

    The first rows are streamed (every column, as text) until ``select`` decides; then
    Arrow reads the whole file converting only the chosen columns. A row with every
    chosen column empty would need the other columns to tell whether it is an empty
    row; when there is one, every column is read instead (None).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from lib.read.xlsx_slices import MORE

    selection = _Selection(select, head_rows, 0, 0)
    source = pa.py_buffer(memoryview(data)[skip:])
    stream = pacsv.open_csv(pa.BufferReader(source), **_csv_options(encoding, delim, width, 1 << 20))
    batches, decided = [], MORE
    for batch in stream:
        batches.append(batch)
        decided = selection.decide(pa.Table.from_batches(batches), complete=False)
        if decided is not MORE:
            break
    del batches, stream
    if decided is MORE or decided is None:
        return None
    positions, _width = decided
    table = pacsv.read_csv(pa.BufferReader(source), **_csv_options(encoding, delim, width, columns=positions))
    empty = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        empty &= pc.is_null(column).to_numpy(zero_copy_only=False)
    start = selection.layout.start + selection.layout.count
    if empty[start:].any():
        return None
    return selection.table(table, ~empty, None, [], notes)


def _read_text(data: bytes, filename: str, encoding: str | None = None, select: Select | None = None,
               head_rows: int = 0, header_row: int | None = None) -> Table:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and \
            not (encoding or "").startswith("utf-16"):
        raise UnreadableFileError(
            msg("“{name}” contains binary data, not text; export the survey again as .csv or .xlsx.", name=filename)
        )
    if encoding is not None and encoding not in ENCODINGS:
        raise UnreadableFileError(msg("“{encoding}” is not an encoding we read; choose one of {names}.",
                                      encoding=encoding, names=", ".join(ENCODINGS)))
    chosen = encoding
    encoding, skip = _skip_bom(data, encoding) if encoding else detect_encoding(data)
    detected = encoding
    if encoding in (DOS_MIXED, "cp850", "latin-1"):  # Arrow does not know these: hand it UTF-8
        data, skip, encoding = _decode_as(data[skip:], encoding).encode("utf-8"), 0, "utf-8"
    try:
        sample = data[skip: skip + 65536].decode(encoding, errors="ignore")
    except LookupError:
        raise UnreadableFileError(msg("“{encoding}” is not an encoding we read; choose one of {names}.",
                                      encoding=encoding, names=", ".join(ENCODINGS))) from None
    if not sample.strip():
        raise EmptyFileError(msg("“{name}” is empty; export the survey responses again.", name=filename))
    if chosen is not None and not _looks_like_text(data[skip: skip + 65536], encoding, sample):
        raise UnreadableFileError(msg("The encoding {encoding} does not fit the bytes of “{name}” (they read as {found}); "
                                      "choose {found}, or leave the encoding to be detected.", encoding=chosen,
                                      name=filename, found=detect_encoding(data)[0].removesuffix("-le").removesuffix("-be")))
    delim = sniff_delimiter(sample)
    records = [r for _, r in zip(range(50), csv.reader(io.StringIO(sample), delimiter=delim))]
    width = max((len(r) for r in records), default=1)
    raw = None
    import pyarrow as pa

    notes = [msg("Read as text with “{delim}” between columns.", delim={"\t": "tab"}.get(delim, delim))]
    if chosen is None and detected not in ("utf-8", "utf-16-le", "utf-16-be"):
        notes.append(msg("Read in the {encoding} encoding (the file is not UTF-8); choose another encoding if letters "
                         "look wrong.", encoding=detected))
    if select is not None and header_row is None and len(data) >= SELECT_MIN_BYTES:
        with contextlib.suppress(pa.ArrowInvalid, UnicodeDecodeError, LookupError, ValueError):
            table = _selected_csv(data, skip, encoding, delim, width, select, head_rows, notes)
            if table is not None:
                return table
    with contextlib.suppress(pa.ArrowInvalid, UnicodeDecodeError, LookupError, ValueError):
        raw = _arrow_csv(data, skip, encoding, delim, width)
    if raw is not None:
        raw = raw.to_pandas()
        raw.columns = range(raw.shape[1])
    else:  # ragged rows or an odd encoding: the slow, forgiving way
        text = decode(data, filename, encoding)
        width = max(len(r) for r in csv.reader(io.StringIO(text), delimiter=delim))
        raw = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                          na_values=[""], skip_blank_lines=False, names=list(range(width)), engine="python")
    return _table(raw, 0, None, [], notes, header_row=header_row)


# -------------------------------------------------------------------- public


def _drop_empty(table: Table) -> Table:
    """Fully empty rows, and empty columns without a header, left out (row numbers kept)."""
    frame = table.frame
    if len(frame.columns) and not table.selected:
        filled = frame.notna().to_numpy()
        keep_rows = filled.any(axis=1)
        named = np.array([not c.startswith("Column ") for c in frame.columns])
        keep_cols = filled.any(axis=0) | named
        if not keep_rows.all() or not keep_cols.all():
            table.frame = frame.loc[keep_rows, keep_cols].reset_index(drop=True)
            table.row_numbers = table.row_numbers[keep_rows]
    return table


def read_table(data: bytes | Path, filename: str, sheet: str | int | None = None, encoding: str | None = None,
               select: Select | None = None, head_rows: int = 0, header_row: int | None = None) -> Table:
    """Read the response table of a survey export, given as bytes (an upload) or a path (the command line).

    ``sheet`` picks a sheet by name or 0-based index; by default the sheet that
    looks most like response data is used. Fully empty rows and columns are dropped.
    A workbook given by path is read from the file, which spares a copy of it in memory.
    ``encoding`` (one of :data:`ENCODINGS`) overrides the detected encoding of a text export.

    ``select`` lets a big file be read for only the columns it needs: it is called
    at most once, with a :class:`Table` of the first ``head_rows`` rows (or more)
    and every column, and returns the names of the columns to read. When it was
    called, the result's ``selected`` is true and its frame holds those columns
    only; a row counts as empty only when every column of the header is empty.
    Small files are read whole and ``select`` is not called. ``header_row`` is the spreadsheet row (1-based) of
    the header the user chose instead of the one found; a file read with it is read whole.
    """
    head = head_bytes(data, 8)
    if not head:
        raise EmptyFileError(msg("“{name}” is empty (0 bytes); export the survey responses again.", name=filename))
    if isinstance(data, Path) and file_format(head) != "workbook":
        data = data.read_bytes()  # text exports are parsed from memory
    check_bytes(data, filename)
    if file_format(head) == "workbook":
        table = _read_workbook(data, filename, sheet, head.startswith(_ZIP), select, head_rows, header_row)
    else:
        if filename.lower().endswith(WORKBOOK_SUFFIXES) and _looks_binary(data):
            raise UnreadableFileError(msg("“{name}” is not a spreadsheet (it may be damaged, or another kind of file named "
                                          ".xlsx); export the survey again.", name=filename))
        table = _read_text(data, filename, encoding, select, head_rows, header_row)
        if filename.lower().endswith(WORKBOOK_SUFFIXES):
            table.notes.append(msg("“{name}” is named like a workbook but holds text; it was read as CSV.", name=filename))
    table = _drop_empty(table)
    check_shape(len(table.frame), table.frame.shape[1], filename)
    return table
