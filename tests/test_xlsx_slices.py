"""The sliced .xlsx reader gives exactly the whole-sheet reading, slice size whatever, and steps aside when it must.

Each comparison is against fastexcel reading the same sheet whole (``load_sheet(header_row=None,
dtypes="string", whitespace_as_null=True)``), which is what the reader used before slicing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from lib.read import table as reading, xlsx_slices
from lib.errors import LayoutNotSliceable

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-exports"


def _whole(source: bytes | Path, sheet: str) -> pa.Table:
    import fastexcel

    batch = fastexcel.read_excel(reading._open(source)).load_sheet(sheet, header_row=None, dtypes="string",
                                                                    whitespace_as_null=True, eager=True)
    return pa.Table.from_batches([batch])


def _sliced(source: bytes | Path, sheet: str, slice_bytes: int) -> pa.Table:
    with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
        part = reading._sheet_part(archive, sheet)
    return xlsx_slices.load_text(source, part, sheet, reading._sheet_origin(source, sheet), slice_bytes=slice_bytes).table


def _same(a: pa.Table, b: pa.Table) -> None:
    assert a.num_rows == b.num_rows and a.column_names == b.column_names
    for name in a.column_names:
        left, right = a[name].to_pylist(), b[name].to_pylist()
        diff = [(i, x, y) for i, (x, y) in enumerate(zip(left, right)) if x != y]
        assert not diff, f"{name}: first differences {diff[:3]}"


def _awkward_workbook() -> bytes:
    """Three header rows after two blank rows, starting in column C; strings calamine must unescape; gaps; a 2nd sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.cell(3, 3, "Customer survey, March")
    ws.cell(4, 3, "Exported 2024-03-31")
    for c, name in enumerate(["Department", "Recommend 0-10", "Comment", "When", "Flag"], start=3):
        ws.cell(5, c, name)
    texts = ["Q&A desk", "a < b > c", 'said "fine"', "  ", "", "line\r\nbreak", "tab\there", "x_x000D_y",
             "émigré – Åsa", "\ue001 private use", "it's", "&amp; literal"]
    row = 6
    for i in range(3000):
        if i in (700, 701, 1500):  # blank rows inside the data, one across a slice edge with small slices
            row += 1
            continue
        ws.cell(row, 3, f"Unit {i % 7}")
        ws.cell(row, 4, i % 11)
        ws.cell(row, 5, texts[i % len(texts)] if i % 3 else None)
        ws.cell(row, 6, dt.datetime(2024, 1, 1) + dt.timedelta(hours=i))
        ws.cell(row, 7, bool(i % 2) if i % 5 else 1.5)
        if i == 2500:
            ws.cell(row, 9, "a value further right, late in the sheet")
        row += 1
    ws.cell(row + 2, 5, CellRichText(["rich ", TextBlock(InlineFont(b=True), "bold"), " text"]))
    notes = wb.create_sheet("Notes")
    notes.append(["Exported by", "the survey tool"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("slice_bytes", [1 << 10, 37 << 10, 1 << 30])
def test_slices_read_exactly_what_the_whole_sheet_gives(slice_bytes):
    data = _awkward_workbook()
    _same(_sliced(data, "Responses", slice_bytes), _whole(data, "Responses"))


def test_the_reader_uses_slices_for_a_big_sheet_and_gets_the_same_table(monkeypatch):
    data = _awkward_workbook()
    whole = reading.read_table(data, "awkward.xlsx")
    used = []
    real = xlsx_slices.load_text
    monkeypatch.setattr(xlsx_slices, "MIN_SHEET_BYTES", 0)
    monkeypatch.setattr(xlsx_slices, "SLICE_BYTES", 16 << 10)
    monkeypatch.setattr(xlsx_slices, "load_text", lambda *a, **k: used.append(1) or real(*a, **k))
    sliced = reading.read_table(data, "awkward.xlsx")
    assert used and sliced.columns == whole.columns and sliced.layout == whole.layout
    assert (sliced.row_numbers == whole.row_numbers).all()
    assert sliced.frame.equals(whole.frame)


def test_a_sheet_already_holding_the_mark_is_read_whole(monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(["Department", "How likely are you to recommend us?"])
    for i in range(50):
        ws.append([f"Unit {i % 3}" + (xlsx_slices.MARK if i == 40 else ""), i % 11])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(LayoutNotSliceable):
        _sliced(buf.getvalue(), "Sheet", 1 << 10)
    monkeypatch.setattr(xlsx_slices, "MIN_SHEET_BYTES", 0)
    table = reading.read_table(buf.getvalue(), "mark.xlsx")
    assert table.frame.iloc[40, 0] == "Unit 1" + xlsx_slices.MARK


REAL_BOOKS = sorted(p.name for p in REAL.glob("*.xlsx")) if REAL.is_dir() else ["(none)"]


@pytest.mark.parametrize("name", REAL_BOOKS)
def test_real_workbooks_read_the_same_in_slices(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"the real exports are read from {REAL}, which is missing")
    for sheet in reading.list_sheets(path.read_bytes(), name):
        try:
            whole = _whole(path, sheet)
        except Exception:  # a sheet calamine cannot read whole is not a slicing question
            continue
        try:
            sliced = _sliced(path, sheet, 8 << 10)
        except LayoutNotSliceable:
            continue  # read whole by the reader: nothing to compare
        _same(sliced, whole)


# ------------------------------------------------------------- reading only the columns the roles need


def _survey_file(fmt: str, metadata_row: bool = True) -> bytes:
    """A Qualtrics-like export: three header rows, and with ``metadata_row`` a blank row and a row with only metadata."""
    from bench.data import customer_frame

    frame = customer_frame(12_000, seed=7)
    if metadata_row:  # and a blank row
        frame.loc[100, [c for c in frame.columns if c not in ("StartDate", "EndDate", "IPAddress")]] = None
        frame.loc[200, :] = None
    header = [list(frame.columns), [f"{{\"ImportId\":\"QID{i}\"}}" for i in range(frame.shape[1])]]
    rows = header + frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    if fmt == "csv":
        import csv

        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Responses")
    for r in rows:
        ws.append(r)
    wb.create_sheet("Notes").append(["Exported by", "the survey tool"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "metadata_row"), [("csv", False), ("csv", True), ("xlsx", True)])
def test_reading_only_the_needed_columns_gives_the_same_survey(fmt, metadata_row, monkeypatch):
    """Roles decided on the first rows, only their columns read: the same survey, figures, rows left out and notes.

    A CSV row whose chosen columns are all empty (blank, or only metadata filled) makes the reader read every
    column instead: only the other columns can tell whether it is an empty row."""
    from lib.survey import frame as survey_module
    from lib.figures.summary import summarize

    data = _survey_file(fmt, metadata_row)
    name = f"export.{fmt}"
    whole = survey_module.load_survey(data, name, kind="customer")
    assert not survey_module.prepare(data, name, kind="customer")[0].selected

    monkeypatch.setattr(reading, "SELECT_MIN_BYTES", 0)
    monkeypatch.setattr(xlsx_slices, "MIN_SHEET_BYTES", 0)
    monkeypatch.setattr(xlsx_slices, "SLICE_BYTES", 64 << 10)
    monkeypatch.setattr(survey_module, "SAMPLE_ROWS", 3_000)
    monkeypatch.setattr("lib.detect.roles.SAMPLE_ROWS", 3_000)
    table, detection = survey_module.prepare(data, name, kind="customer")
    assert table.selected == (fmt == "xlsx" or not metadata_row)
    assert not table.selected or 0 < table.frame.shape[1] < len(detection.columns)
    part = survey_module.load_survey(data, name, kind="customer")
    whole_d = survey_module.prepare(data, name, kind="customer")[1]
    assert detection == whole_d
    assert part.frame.equals(whole.frame)
    assert part.skipped == whole.skipped and part.issues == whole.issues and part.notes == whole.notes
    assert summarize(part, None).as_dict() == summarize(whole, None).as_dict()
