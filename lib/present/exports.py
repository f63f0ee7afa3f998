"""Files the app lets people download: tables as CSV and formatted Excel.

In CSV, every text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe, so a spreadsheet shows it as text
instead of running it (OWASP "CSV injection"). In Excel files every text is
stored as a text cell, which Excel never runs, so nothing is added to it.
Numbers stay numbers.
"""

from __future__ import annotations

import io
import re
import math

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


#: Characters XML forbids (control characters, lone surrogates, U+FFFE, U+FFFF), which a file's names and comments
#: can hold: openpyxl refuses them, python-pptx refuses some, and vl-convert's SVG parser aborts the process on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML forbids shown as U+FFFD (a workbook, a slide or an image can hold it).

    >>> xml_safe("North\x01")
    'North\ufffd'
    """
    return _NOT_XML.sub("\ufffd", text)


def neutralize(value: object) -> object:
    """A cell safe to open in a spreadsheet: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralize(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col].dtype) and not pd.api.types.is_bool_dtype(out[col].dtype):
            out[col] = out[col].map(neutralize).astype(object)
    return out


def table_csv(df: pd.DataFrame, language: str = "en") -> bytes:
    r"""UTF-8 with BOM, so Excel opens Nordic letters correctly. Swedish and Finnish files use ";" between columns and
    a decimal comma, as Excel in those locales expects (no thousands separator, so numbers stay numbers).

    A column that mixes numbers and words ("too few answers") gets the decimal comma too:

    >>> table_csv(pd.DataFrame({"NPS": [12.5]}), "sv").decode("utf-8-sig")
    'NPS\n12,5\n'
    >>> table_csv(pd.DataFrame({"NPS": [-23.3, "too few answers"]}, dtype=object), "fi").decode("utf-8-sig")
    'NPS\n-23,3\ntoo few answers\n'
    """
    nordic = language in ("sv", "fi")
    frame = safe_frame(df).copy()
    if nordic:
        for col in [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c])]:
            frame[col] = [str(v).replace(".", ",") if isinstance(v, float) else v for v in frame[col]]
    return frame.to_csv(index=False, sep=";" if nordic else ",", decimal="," if nordic else ".").encode("utf-8-sig")


def table_xlsx(df: pd.DataFrame, sheet: str = "Departments", notes: list[str] | None = None,
               formats: dict[str, str] | None = None) -> bytes:
    """A formatted workbook: bold frozen header, sized columns, number formats, notes below."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    safe = df
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([xml_safe(str(c)) for c in safe.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="4575B4")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in safe.itertuples(index=False, name=None):
        ws.append([None if isinstance(v, float) and math.isnan(v) else xml_safe(v) if isinstance(v, str) else v
                   for v in row])
    formats = formats or {}
    for j, col in enumerate(safe.columns, start=1):
        letter = get_column_letter(j)
        width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)]) + 2
        ws.column_dimensions[letter].width = min(60, max(10, width))
        fmt = formats.get(str(col))
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    if notes:
        ws.append([])
        for note in notes:
            ws.append([xml_safe(note)])
            ws.cell(ws.max_row, 1).font = Font(italic=True, color="555555")
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (openpyxl reads "=…" as one otherwise)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
