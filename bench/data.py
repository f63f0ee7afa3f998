"""Big, realistic survey exports for benchmarks: a Qualtrics-like customer file of ~20 columns.

Customer files have Qualtrics's three header rows (column codes, question texts,
ImportId JSON); workbooks have a second, two-row "Notes" sheet after the responses,
as many tools add one. ``dataset(..., second_sheet=False)`` leaves it out, to show
what the second sheet costs.

Files are generated column-wise with NumPy and cached in bench/.cache/ (keyed by
size and seed), so only the first run pays for writing a million-row workbook.
Workbooks are written straight as SpreadsheetML with a shared-string table, as
Excel does; openpyxl would take minutes at Excel's row limit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from lib.read.headers import column_letter

CACHE = Path(__file__).resolve().parent / ".cache"
EXCEL_ROW_LIMIT = 1_048_573  # data rows under three header rows: the sheet is full
SEED = 7

DEPARTMENTS = [f"Clinic {c} {i}" for c in ("North", "South", "East", "West", "Central") for i in range(1, 11)]
CHANNELS = ["Visit", "Phone", "Video", "Chat"]
REGIONS = ["Stockholm", "Göteborg", "Malmö", "Helsinki", "Tampere", "Uppsala"]
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
COMMENTS = ["", "", "", "Quick and friendly", "Long wait on the phone", "Very professional staff",
            "Booking was confusing", "Great follow-up"]
COLUMNS = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
           "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage", "Department", "Channel", "Region",
           "How likely is it that you would recommend us to a friend or colleague?",
           "The staff were friendly", "It was easy to book", "I got the help I needed",
           "What is the main reason for your score?", "Visit type"]


def customer_frame(n: int, seed: int = SEED) -> pd.DataFrame:
    """n customer responses, column-wise."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01T08:00") + rng.integers(0, 365 * 24 * 60, n).astype("timedelta64[m]")
    dept = rng.integers(0, len(DEPARTMENTS), n)
    score = np.clip(np.round(rng.normal(7.2 + (dept % 7) * 0.25, 2.2, n)), 0, 10).astype(int)
    nps_text = score.astype(str).astype(object)
    nps_text[score == 10] = "10 - Extremely likely"
    nps_text[score == 0] = "0 - Not at all likely"
    agree = np.array(AGREE, dtype=object)
    return pd.DataFrame({
        "StartDate": start,
        "EndDate": start + np.timedelta64(3, "m"),
        "Status": np.where(rng.random(n) < 0.001, "Survey Preview", "IP Address"),
        "IPAddress": "",
        "Progress": 100,
        "Duration (in seconds)": rng.integers(30, 900, n),
        "Finished": "True",
        "RecordedDate": start + np.timedelta64(3, "m"),
        "ResponseId": np.char.add("R_", np.char.zfill(np.arange(n).astype(str), 15)),
        "DistributionChannel": "email",
        "UserLanguage": "EN",
        "Department": np.array(DEPARTMENTS, dtype=object)[dept],
        "Channel": np.array(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), n)],
        "Region": np.array(REGIONS, dtype=object)[rng.integers(0, len(REGIONS), n)],
        COLUMNS[14]: nps_text,
        COLUMNS[15]: agree[np.clip(score // 2, 0, 4)],
        COLUMNS[16]: agree[rng.integers(0, 5, n)],
        COLUMNS[17]: agree[np.clip((score + rng.integers(-2, 3, n)) // 2, 0, 4)],
        COLUMNS[18]: _comments(rng, n),
        "Visit type": np.where(rng.random(n) < 0.7, "First visit", "Follow-up"),
    })[COLUMNS]


def _comments(rng: np.random.Generator, n: int) -> np.ndarray:
    """Free text as people write it: blank for most, otherwise mostly different from each other."""
    base = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), n)]
    said = base != ""
    base[said] = base[said] + np.char.add(" (", np.char.add(rng.integers(0, 50_000, int(said.sum())).astype(str), ")"))
    return base


def employee_frame(n: int, seed: int = SEED + 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dept = rng.integers(0, len(DEPARTMENTS), n)
    agree = np.array(AGREE, dtype=object)
    data = {"Respondent ID": np.arange(n) + 1, "Submitted": np.datetime64("2025-09-01") + rng.integers(0, 20, n).astype("timedelta64[D]"),
            "Department": np.array(DEPARTMENTS, dtype=object)[dept]}
    base = rng.normal(3.6 + (dept % 7) * 0.1, 0.8, n)
    for j in range(10):
        data[f"Statement {j + 1} about my work"] = agree[np.clip(np.round(base + rng.normal(0, 0.7, n)), 1, 5).astype(int) - 1]
    data["How likely are you to recommend us as a place to work?"] = np.clip(np.round(base * 2 + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    return pd.DataFrame(data)


# --------------------------------------------------------------------- writers


def header_rows(df: pd.DataFrame, kind: str) -> list[list[str]]:
    """Qualtrics's three header rows for the customer file (codes, texts, ImportId); one row of names otherwise."""
    if kind != "customer":
        return [list(df.columns)]
    codes = [c if i < 14 or i == 19 else f"Q{i - 13}" for i, c in enumerate(df.columns)]
    ids = ['{"ImportId":"%s"}' % (c if not c.startswith("Q") else "QID" + c[1:]) for c in codes]
    return [codes, list(df.columns), ids]


_NOTES_SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                'Exported by</t></is></c><c r="B1" t="inlineStr"><is><t>the survey tool</t></is></c></row><row r="2"><c r="A2" '
                't="inlineStr"><is><t>Responses</t></is></c><c r="B2"><v>%d</v></c></row></sheetData></worksheet>')


def write_xlsx(df: pd.DataFrame, path: Path, header: list[list[str]] | None = None, second_sheet: bool = True) -> None:
    """A workbook: header rows, shared strings, dates as styled serial numbers; then a two-row "Notes" sheet."""
    header = header or [list(df.columns)]
    strings: dict[str, int] = {}

    def sid(value: str) -> int:
        if value not in strings:
            strings[value] = len(strings)
        return strings[value]

    n = len(df)
    top = len(header)
    rows_num = (np.arange(n) + top + 1).astype(str)
    cells_by_col = []
    for j, col in enumerate(df.columns):
        letter = column_letter(j)
        refs = np.char.add(letter, rows_num)
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            serial = (s - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
            vals = np.char.mod("%.6f", serial.to_numpy())
            cells = np.char.add(np.char.add(np.char.add('<c r="', refs), '" s="1"><v>'), np.char.add(vals, "</v></c>"))
        elif pd.api.types.is_numeric_dtype(s):
            vals = s.astype(str).to_numpy().astype(str)
            cells = np.char.add(np.char.add(np.char.add('<c r="', refs), '"><v>'), np.char.add(vals, "</v></c>"))
        else:
            text = s.astype(object).to_numpy()
            uniq, inv = np.unique(text.astype(str), return_inverse=True)
            ids = np.array([sid(u) for u in uniq])[inv].astype(str)
            empty = text == ""
            cells = np.char.add(np.char.add(np.char.add('<c r="', refs), '" t="s"><v>'), np.char.add(ids, "</v></c>"))
            cells = np.where(empty, "", cells)
        cells_by_col.append(cells)
    body = np.array(cells_by_col, dtype=object).T
    buf = io.StringIO()
    buf.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              f'<dimension ref="A1:{column_letter(len(df.columns) - 1)}{n + top}"/><sheetData>')
    for r, names in enumerate(header, start=1):
        cells = "".join(f'<c r="{column_letter(j)}{r}" t="s"><v>{sid(c)}</v></c>' for j, c in enumerate(names))
        buf.write(f'<row r="{r}">{cells}</row>')
    for i in range(n):
        buf.write(f'<row r="{i + top + 1}">{"".join(body[i])}</row>')
    buf.write("</sheetData></worksheet>")
    shared = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Responses" sheetId="1" r:id="rId1"/>' + ('<sheet name="Notes" sheetId="2" r:id="rId4"/>' if second_sheet else '') + '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": buf.getvalue(),
    }
    if second_sheet:
        files["xl/worksheets/sheet2.xml"] = _NOTES_SHEET % n
    tmp = path.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in files.items():
            z.writestr(name, text)
    tmp.replace(path)


def write_csv(df: pd.DataFrame, path: Path, header: list[list[str]] | None = None) -> None:
    import csv

    tmp = path.with_suffix(".part")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(header or [list(df.columns)])
        df.to_csv(fh, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
    tmp.replace(path)


def dataset(kind: str, n: int, fmt: str, second_sheet: bool = True) -> Path:
    """The cached file for ``kind`` (customer/employee) with ``n`` rows as ``fmt`` (xlsx/csv)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    one = "" if second_sheet or fmt != "xlsx" else "_one_sheet"
    path = CACHE / f"{kind}_{n}_v2{one}.{fmt}"
    if not path.exists():
        df = customer_frame(n) if kind == "customer" else employee_frame(n)
        if fmt == "xlsx":
            write_xlsx(df, path, header_rows(df, kind), second_sheet)
        else:
            write_csv(df, path, header_rows(df, kind))
    return path
