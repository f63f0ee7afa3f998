"""Broken and hostile files, generated here (nothing large is committed).

``CORPUS`` maps a case name to a function returning ``(filename, bytes, kind)``;
every case must end in one clear sentence (a ``SurveyError``), never a traceback,
a hang or a crash. ``READABLE`` holds odd-but-valid files that must simply work.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile

from openpyxl import Workbook

from . import exports as ex


def _xlsx(rows: list[list[object]], sheets: int = 1) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for i in range(1, sheets):
        wb.create_sheet(f"Sheet{i + 1}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _customer_rows(n: int = 30, score=lambda i: i % 11) -> list[list[object]]:
    rows: list[list[object]] = [["Department", "How likely are you to recommend us to a friend or colleague?"]]
    rows += [[["Sales", "Finance", "IT"][i % 3], score(i)] for i in range(n)]
    return rows


def _replace_in_zip(data: bytes, name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == name else src.read(info.filename))
    return out.getvalue()


def empty():
    return "empty.csv", b"", "customer"


def zero_byte_xlsx():
    return "empty.xlsx", b"", "customer"


def random_bytes_named_xlsx():
    return "survey.xlsx", random.Random(1).randbytes(20_000), "customer"


def truncated_zip():
    data = _xlsx(_customer_rows())
    return "truncated.xlsx", data[: len(data) // 2], "customer"


def password_protected():
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_xlsx(_customer_rows()))).encrypt("secret", out)
    return "protected.xlsx", out.getvalue(), "customer"


def no_sheets():
    data = _xlsx(_customer_rows())
    src = zipfile.ZipFile(io.BytesIO(data))
    book = src.read("xl/workbook.xml").decode()
    import re

    book = re.sub(r"<sheets>.*</sheets>", "<sheets/>", book, flags=re.S)
    return "nosheets.xlsx", _replace_in_zip(data, "xl/workbook.xml", book.encode()), "customer"


def only_empty_sheets():
    return "blank.xlsx", _xlsx([], sheets=3), "customer"


def headers_no_rows():
    return "headers.xlsx", _xlsx(_customer_rows(0)), "customer"


def no_department():
    rows = [["When", "How likely are you to recommend us to a friend or colleague?"]]
    rows += [["2024-01-01", i % 11] for i in range(20)]
    return "nodept.xlsx", _xlsx(rows), "customer"


def no_nps_column():
    rows = [["Department", "Comment"]] + [[["Sales", "IT"][i % 2], f"text {i}"] for i in range(20)]
    return "nonps.csv", "\n".join(",".join(map(str, r)) for r in rows).encode(), "customer"


def no_likert_or_enps():
    rows = [["Department", "Comment"]] + [[["Sales", "IT"][i % 2], f"text {i}"] for i in range(20)]
    return "noitems.xlsx", _xlsx(rows), "employee"


def all_scores_out_of_range():
    return "range.xlsx", _xlsx(_customer_rows(score=lambda i: 11 + i % 5) + [["Sales", 0]]), "customer"


def csv_with_nul_bytes():
    return "nul.csv", b"Department,Score\x00\nSales,\x009\n", "customer"


def unknown_encoding():
    return "odd.csv", b"Department;Score\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50 + b";9\n", "customer"


def sixteen_thousand_columns():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([f"Q{i}" for i in range(16_384)])
    for r in range(3):
        ws.append([r] * 16_384)
    buf = io.BytesIO()
    wb.save(buf)
    return "wide.xlsx", buf.getvalue(), "customer"


def formulas_without_values():
    rows = _customer_rows(20)
    for i, r in enumerate(rows[1:], start=2):
        r[1] = f"=MOD({i},11)"
    return "formulas.xlsx", _xlsx(rows), "customer"


def zip_bomb_declared():
    """A small .xlsx whose sheet claims to expand to 4 GB."""
    data = bytearray(_xlsx(_customer_rows()))
    target = b"xl/worksheets/sheet1.xml"
    # patch the uncompressed size in the central directory entry of the sheet
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_len] == target:
            struct.pack_into("<I", data, pos + 24, 0xFFFFFFF0)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return "bomb.xlsx", bytes(data), "customer"


def zip_bomb_real():
    """A sheet of 200 MB of repeated rows that compresses to well under a megabyte."""
    data = _xlsx(_customer_rows())
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    filler = b"<row></row>" * (200 * 1024**2 // 11)
    return "bomb2.xlsx", _replace_in_zip(data, "xl/worksheets/sheet1.xml", head + filler + b"</sheetData>" + tail), "customer"


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                             for i in range(1, 10))
                  + b']>')


def _without_declaration(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def billion_laughs():
    data = _xlsx(_customer_rows())
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    body = BILLION_LAUGHS + _without_declaration(sheet).replace(b"<t>Sales</t>", b"<t>&lol9;</t>", 1)
    return "laughs.xlsx", _replace_in_zip(data, "xl/worksheets/sheet1.xml", body), "customer"


def external_entity():
    data = _xlsx(_customer_rows())
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    doctype = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = doctype + _without_declaration(sheet).replace(b"<t>Sales</t>", b"<t>&xxe;</t>", 1)
    return "xxe.xlsx", _replace_in_zip(data, "xl/worksheets/sheet1.xml", body), "customer"


CORPUS = {f.__name__: f for f in (
    empty, zero_byte_xlsx, random_bytes_named_xlsx, truncated_zip, password_protected, no_sheets, only_empty_sheets,
    headers_no_rows, no_nps_column, no_likert_or_enps, all_scores_out_of_range, csv_with_nul_bytes,
    unknown_encoding, sixteen_thousand_columns, formulas_without_values, zip_bomb_declared, zip_bomb_real,
    billion_laughs, external_entity,
)}


# ----------------------------------------------------------- odd but valid


def workbook_named_csv():
    name, data = ex.summary_first_workbook()
    return "feedback.csv", data, "customer"


def csv_named_xlsx():
    name, data = ex.google_forms_customer_csv()
    return "feedback.xlsx", data, "customer"


def old_excel_xls():
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Responses")
    for r, (dept, when, score) in enumerate([("Department", "Date", "How likely are you to recommend us?")]
                                            + [(d, w.strftime("%Y-%m-%d"), s) for d, w, s in ex.CUSTOMER]):
        for c, v in enumerate((dept, when, score)):
            sheet.write(r, c, v)
    buf = io.BytesIO()
    book.save(buf)
    return "old.xls", buf.getvalue(), "customer"


def duplicate_headers():
    rows = [["Department", "Department", "How likely are you to recommend us?"]]
    rows += [[d, "x", s] for d, _, s in ex.CUSTOMER]
    return "dups.xlsx", _xlsx(rows), "customer"


def merged_header_cells():
    wb = Workbook()
    ws = wb.active
    ws.append(["Customer survey", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["Department", "Date", "How likely are you to recommend us?"])
    for d, w, s in ex.CUSTOMER:
        ws.append([d, w, s])
    buf = io.BytesIO()
    wb.save(buf)
    return "merged.xlsx", buf.getvalue(), "customer"


def huge_cells():
    rows = [["Department", "How likely are you to recommend us?", "Comment"]]
    rows += [[d, s, "x" * 32_767] for d, _, s in ex.CUSTOMER]
    return "long.xlsx", _xlsx(rows), "customer"


def characters_xml_forbids():
    """Department names and comments holding characters XML forbids (control characters, U+FFFE, U+FFFF), as a CSV
    can: an image renderer that parses its SVG once aborted the whole process on one."""
    import csv
    import io

    odd = ["\x01", "\x1f", "\ufffe", "\uffff", "\x0b"]
    rows = [["Department", "How likely are you to recommend us?", "Comment"]]
    rows += [[d + odd[i % len(odd)] * (i % 2), s, f"fine{odd[i % len(odd)]}"] for i, (d, _, s) in enumerate(ex.CUSTOMER)]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return "odd characters.csv", buf.getvalue().encode("utf-8"), "customer"


READABLE = {f.__name__: f for f in (workbook_named_csv, csv_named_xlsx, old_excel_xls, duplicate_headers,
                                    merged_header_cells, huge_cells, characters_xml_forbids)}
