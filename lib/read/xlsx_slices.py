"""A large .xlsx worksheet read in row slices on two threads, so memory stays bounded.

calamine (under fastexcel) builds a whole sheet's cell grid before anything comes
out: at Excel's row limit that grid alone is about 1.5 GB. Here the worksheet XML is
inflated piece by piece and cut at row ends; each slice becomes a small workbook of
its own that fastexcel loads, two slices at a time (fastexcel releases the GIL while
it parses); no more than two slices wait or are parsed at once.

Shared-string cells are rewritten to carry their index as text (``t="s"><v>12`` →
``t="str"><v>`` + :data:`MARK` + ``12``), so a slice needs no string table. The
table itself is read once (plain entries in Arrow, the rest by calamine), and the
indices are looked up in Arrow. A ``choose`` callback may, after seeing the first
rows, keep only some columns of every slice.

:func:`load_text` gives exactly what ``load_sheet(header_row=None, dtypes="string",
whitespace_as_null=True)`` gives for the whole sheet (tested on generated and real
files). A layout it does not expect (rows without numbers, prefixed XML, the mark
already in the sheet, a value left of the first column) raises
:class:`~lib.errors.LayoutNotSliceable`, and the caller reads the sheet whole.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lib.errors import LayoutNotSliceable

#: A private-use character put before a shared-string index; a sheet that already holds it is read whole.
MARK = "\ue000"
_MARK = MARK.encode()
#: Inflated XML per slice (about 11,000 rows of 20 columns).
SLICE_BYTES = 8 << 20
#: Sheets whose XML is smaller than this are read whole. Slicing spends more CPU than one whole parse and wins
#: only through the second thread and the memory it saves: at 100,000 rows of 20 columns (70 MB of XML) the whole
#: read measured 1.42-1.56 s against 1.61-1.72 s sliced, and its peak (280 MB) is no concern.
MIN_SHEET_BYTES = 256 << 20
#: Slices parsed at the same time, and slices waiting beside them.
WORKERS = 2
_IN_FLIGHT = 2

_ROW_NUMBER = re.compile(rb"\s*<row\b[^>]*?\sr=\"(\d+)\"")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_EMPTY_SST = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main" count="0" uniqueCount="0"/>')
_KEEP = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


def _file(source: bytes | Path):
    return source if isinstance(source, Path) else io.BytesIO(source)


class _Package:
    """The parts every slice's workbook repeats: everything but worksheets and the string table, copied once."""

    def __init__(self, archive: zipfile.ZipFile, part: str) -> None:
        names = archive.namelist()
        self.part = part
        self.parts = {n: archive.read(n) for n in _KEEP if n in names}
        empty = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
        self.parts.update({n: empty for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml") and n != part})
        if "xl/sharedStrings.xml" in names:
            self.parts["xl/sharedStrings.xml"] = _EMPTY_SST

    def workbook(self, sheet_xml: bytes, strings: bytes | None = None) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
            for name, data in self.parts.items():
                out.writestr(name, strings if strings is not None and name == "xl/sharedStrings.xml" else data)
            out.writestr(self.part, sheet_xml)
        return buf.getvalue()


def _load(workbook: bytes, sheet: str) -> pa.RecordBatch:
    import fastexcel

    return fastexcel.read_excel(workbook).load_sheet(sheet, header_row=None, dtypes="string", whitespace_as_null=True,
                                                     eager=True)


_ENTITIES = ((b"&lt;", b"<"), (b"&gt;", b">"), (b"&quot;", b'"'), (b"&apos;", b"'"), (b"&amp;", b"&"))


def _string_table(archive: zipfile.ZipFile, package: _Package, head: bytes, sheet: str) -> pa.Array:
    """Every shared string as calamine reads it, in index order (null where calamine gives nothing).

    Plain entries (``<si><t>text</t></si>``, the five named XML entities at most) are
    taken directly, in Arrow; every other entry (rich text, character references,
    ``_xHHHH_`` escapes, carriage returns) is read by calamine itself.
    """
    if "xl/sharedStrings.xml" not in archive.namelist():
        return pa.array([], pa.string())
    sst = archive.read("xl/sharedStrings.xml")
    if b"<sst" not in sst[:1000]:
        raise LayoutNotSliceable("prefixed string table")
    pieces = sst.split(b"<si>")
    if len(pieces) - 1 != sst.count(b"<si"):
        raise LayoutNotSliceable("string items written another way")
    if len(pieces) == 1:
        return pa.array([], pa.string())
    pieces[-1] = pieces[-1][: pieces[-1].rfind(b"</si>") + 5]
    items = pa.array(pieces[1:], pa.binary())
    del pieces
    preserve, plain = pc.starts_with(items, b'<t xml:space="preserve">'), pc.starts_with(items, b"<t>")
    inner = pc.if_else(preserve, pc.binary_slice(items, 24, -9), pc.binary_slice(items, 3, -9))
    hard = pc.or_(pc.invert(pc.and_(pc.ends_with(items, b"</t></si>"), pc.or_(preserve, plain))),
                  pc.match_substring_regex(inner, rb"[<\r]|&#|_x[0-9A-Fa-f]{4}_"))
    for entity, char in _ENTITIES:
        inner = pc.replace_substring(inner, entity, char)
    try:
        text = pc.cast(inner, pa.string())
    except pa.ArrowInvalid as exc:
        raise LayoutNotSliceable("a string table not in UTF-8") from exc
    text = pc.if_else(pc.equal(pc.utf8_trim_whitespace(text), ""), None, text)  # whitespace_as_null
    hard_at = pc.indices_nonzero(hard)
    if len(hard_at):
        rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (n + 1, n + 1, i)
                        for n, i in enumerate(hard_at.to_pylist()))
        batch = _load(package.workbook(head + rows + b"</sheetData></worksheet>", sst), sheet)
        read = batch.column(0) if batch.num_columns else pa.nulls(0, pa.string())
        read = pa.concat_arrays([read, pa.nulls(len(hard_at) - len(read), pa.string())]) if len(read) < len(hard_at) else read
        positions = pc.cumulative_sum(pc.cast(hard, pa.int64()))
        text = pc.if_else(hard, pc.take(read, pc.if_else(hard, pc.subtract(positions, 1), None)), text)
    return text


def _resolve(batch: pa.RecordBatch, strings: Future) -> list[pa.Array]:
    """The slice's columns with every marked index replaced by its shared string."""
    out = []
    for column in batch.columns:
        marked = pc.starts_with(column, MARK)
        if pc.any(marked).as_py():
            table = strings.result()
            index = pc.cast(pc.utf8_slice_codeunits(pc.if_else(marked, column, None), 1), pa.int64())
            column = pc.if_else(marked, pc.take(table, index), column)
        out.append(column)
    return out


def _parse(package: _Package, head: bytes, body: bytes, sheet: str, strings: Future, first_row: int | None,
           skip_cols: int) -> tuple[int | None, list]:
    """One slice: its first sheet row (None for the first slice) and its columns, from column ``skip_cols`` on."""
    sentinel = b"" if first_row is None else b'<row r="%d"><c r="A%d"><v>0</v></c></row>' % (first_row - 1, first_row - 1)
    xml = b"".join((head, sentinel, _rewrite(body), b"</sheetData></worksheet>"))
    del body
    batch = _load(package.workbook(xml), sheet)
    del xml
    if first_row is not None:  # the sentinel row (column A, one row above the slice) comes first: drop it
        batch = batch.slice(1)
    columns = _resolve(batch, strings)
    if first_row is not None and skip_cols:
        if any(c.null_count < len(c) for c in columns[:skip_cols]):
            raise LayoutNotSliceable("a value left of the first column")
        columns = columns[skip_cols:]
    return first_row, columns


def _slices(stream, size: int):
    """(worksheet head up to <sheetData>, then each run of whole rows) from the inflated XML stream."""
    buf = b""
    while b"<sheetData>" not in buf:
        piece = stream.read(1 << 16)
        if not piece or len(buf) > (1 << 22):
            raise LayoutNotSliceable("no <sheetData> element")
        buf += piece
    cut = buf.index(b"<sheetData>") + len(b"<sheetData>")
    yield _DIMENSION.sub(b"", buf[:cut])
    buf = buf[cut:]
    while True:
        piece = stream.read(size)
        buf += piece
        if not piece:
            end = buf.find(b"</sheetData>")
            if end < 0:
                raise LayoutNotSliceable("no </sheetData>")
            if buf[:end].strip():
                yield buf[:end]
            return
        cut = buf.rfind(b"</row>")
        if cut >= 0:
            yield buf[: cut + 6]
            buf = buf[cut + 6:]


def _first_row(body: bytes) -> int:
    found = _ROW_NUMBER.match(body[:2000])
    if not found:
        raise LayoutNotSliceable("rows without numbers")
    return int(found.group(1))


def _rewrite(body: bytes) -> bytes:
    """The slice's XML with shared-string cells carrying their index."""
    if _MARK in body or re.search(rb"&#(?:57344|[xX]0*[eE]000);", body):  # raw, or as a character reference
        raise LayoutNotSliceable("the mark already present")
    body = body.replace(b' t="s"><v>', b' t="str"><v>' + _MARK)
    if b't="s"' in body:
        raise LayoutNotSliceable("a shared-string cell written another way")
    return body


#: What a ``choose`` callback returns to see more rows before it decides.
MORE = object()


@dataclass
class Sliced:
    """A sheet read in slices: text cells of the kept columns, and which rows hold a value in any column at all."""

    table: pa.Table  # kept columns, named by their position among the sheet's columns ("__UNNAMED__7")
    filled: np.ndarray  # per row: a value in one of the first ``width`` columns, kept or not (empty if all are kept)


def _keep(piece: tuple[int | None, list, np.ndarray | None], keep: tuple[list[int], int] | None
          ) -> tuple[int | None, list, np.ndarray | None]:
    """A slice trimmed to the kept positions, with its rows' "a value in one of the first ``width`` columns" flags."""
    row, columns, _ = piece
    if keep is None:
        return piece
    positions, width = keep
    height = len(columns[0]) if columns else 0
    filled = np.zeros(height, dtype=bool)
    for c in columns[:width]:
        if c.null_count < len(c):
            filled |= pc.is_valid(c).to_numpy(zero_copy_only=False)
    return row, [columns[i] if i < len(columns) else pa.nulls(height, pa.string()) for i in positions], filled


def _lean_memory_pool() -> None:
    """Arrow's jemalloc pool for this process, when it has one and no pool was chosen by ARROW_DEFAULT_MEMORY_POOL.

    jemalloc hands the slices' freed buffers back sooner than Arrow's default (mimalloc):
    measured at Excel's row limit, the read's peak was 976–978 MB against 1,083–1,130 MB.
    """
    import os

    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ or pa.default_memory_pool().backend_name == "jemalloc":
        return
    with contextlib.suppress(NotImplementedError, pa.ArrowNotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def load_text(source: bytes | Path, part: str, sheet: str, origin: tuple[int, int], slice_bytes: int = SLICE_BYTES,
              choose: Callable[[pa.Table], tuple[list[int], int] | None | object] | None = None) -> Sliced:
    """The worksheet as text cells, read in slices; ``origin`` is (empty rows, empty columns) before its first value.

    ``choose`` sees the rows read so far (every column) after each slice, and returns
    ``(positions, width)``: the columns to keep, and how many columns from the first
    count when a row is asked whether it holds any value; or ``None`` to keep every
    column, or :data:`MORE` to see more rows first. Until it decides, and without
    it, every column is kept (and ``filled`` is empty).
    """
    _lean_memory_pool()
    first_sheet_row, first_col = origin[0] + 1, origin[1]
    pieces: list[tuple[int | None, list, np.ndarray | None]] = []
    deciding, keep = choose is not None, None

    def collect(future: Future) -> None:
        nonlocal deciding, keep
        row, columns = future.result()
        pieces.append(_keep((row, columns, None), keep))
        if deciding:
            chosen = choose(_assemble(pieces, first_sheet_row).table)
            if chosen is not MORE:
                deciding, keep = False, chosen
                pieces[:] = [_keep(p, keep) for p in pieces]

    with zipfile.ZipFile(_file(source)) as archive, ThreadPoolExecutor(WORKERS) as pool:
        package = _Package(archive, part)
        with archive.open(part) as stream:
            parts = _slices(stream, slice_bytes)
            head = next(parts)
            strings: Future = Future()  # read before the slices, so its peak and theirs do not add up
            strings.set_result(_string_table(archive, package, head, sheet))
            pending: deque[Future] = deque()
            for n, body in enumerate(parts):
                row = None if n == 0 else _first_row(body)
                pending.append(pool.submit(_parse, package, head, body, sheet, strings, row, first_col))
                del body
                while len(pending) >= _IN_FLIGHT:
                    collect(pending.popleft())
            while pending:
                collect(pending.popleft())
    out = _assemble(pieces, first_sheet_row)
    if keep is not None:
        out.table = out.table.rename_columns([f"__UNNAMED__{i}" for i in keep[0]])
    return out


def _assemble(pieces: list[tuple[int | None, list, np.ndarray | None]], first_sheet_row: int) -> Sliced:
    """Slices stacked at their sheet rows: a gap between slices is blank rows, as in the whole sheet."""
    width = max((len(cols) for _, cols, _ in pieces), default=0)
    if width == 0:
        return Sliced(pa.table({}), np.zeros(0, dtype=bool))
    chunks: list[list[pa.Array]] = [[] for _ in range(width)]
    filled: list[np.ndarray] = []
    next_row = first_sheet_row
    for row, columns, rows_filled in pieces:
        height = len(columns[0]) if columns else 0
        if height == 0:
            continue
        gap = 0 if row is None else row - next_row
        if gap < 0:
            raise LayoutNotSliceable("rows out of order")
        for i in range(width):
            if gap:
                chunks[i].append(pa.nulls(gap, pa.string()))
            chunks[i].append(columns[i] if i < len(columns) else pa.nulls(height, pa.string()))
        if rows_filled is not None:
            filled.extend([np.zeros(gap, dtype=bool), rows_filled])
        next_row = (next_row if row is None else row) + height
    names = [f"__UNNAMED__{i}" for i in range(width)]
    table = pa.table([pa.chunked_array(c, pa.string()) for c in chunks], names=names)
    return Sliced(table, np.concatenate(filled) if filled else np.zeros(0, dtype=bool))
