"""Reader edge cases: encodings, delimiters, file kinds, dates as Excel serials, other tools' layouts."""

from __future__ import annotations

import csv
import io
import zipfile
import random

import pandas as pd
import pytest

from lib.read.table import read_table, sniff_delimiter
from lib.figures.summary import summarize
from lib.survey.frame import load_survey

from . import exports as ex

EXPECTED = ex.expected_nps([s for *_, s in ex.CUSTOMER])
NPS_Q = "How likely are you to recommend us to a friend or colleague?"


def _csv(rows, delimiter=",", quoting=csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _customer_rows(date=lambda w: w.strftime("%Y-%m-%d %H:%M:%S")):
    return [["Department", "Date", NPS_Q]] + [[d, date(w), s] for d, w, s in ex.CUSTOMER]


def check(survey):
    s = summarize(survey, None)
    assert s.nps.score == pytest.approx(EXPECTED) and s.nps.n == len(ex.CUSTOMER)
    return s


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""),
                                          ("utf-16", b"")])
def test_encodings(encoding, bom):
    rows = [["Avdelning", "Datum", "Hur troligt är det att du skulle rekommendera oss till en vän eller kollega?"]]
    rows += [[d + " – Nord", w.strftime("%Y-%m-%d"), s] for d, w, s in ex.CUSTOMER]
    data = bom + _csv(rows, delimiter="\t" if encoding == "utf-16" else ";").encode(encoding)
    survey = load_survey(data, "svar.csv")
    check(survey)
    assert "Sales – Nord" in survey.departments


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(delimiter):
    text = _csv(_customer_rows(), delimiter=delimiter)
    assert sniff_delimiter(text) == delimiter
    check(load_survey(text.encode(), "export.csv"))


def test_excel_serial_dates_as_numbers_in_a_workbook_and_a_csv():
    serial = lambda w: (pd.Timestamp(w) - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)  # noqa: E731
    rows = _customer_rows(serial)
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    for name, data in (("serials.xlsx", buf.getvalue()), ("serials.csv", _csv(rows).encode())):
        survey = load_survey(data, name)
        assert survey.detection.one("date").name == "Date"
        assert survey.frame["date"].min() == pd.Timestamp(min(w for _, w, _ in ex.CUSTOMER))


def test_opendocument_and_xlsm():
    df = pd.DataFrame(_customer_rows()[1:], columns=_customer_rows()[0])
    buf = io.BytesIO()
    df.to_excel(buf, engine="odf", index=False)
    check(load_survey(buf.getvalue(), "export.ods"))
    name, data = ex.summary_first_workbook()
    check(load_survey(data, "export.xlsm"))


def test_ragged_rows_and_a_trailing_comma():
    lines = ["V1,V2,V3,", "Department,Date,How likely are you to recommend us?,"]
    lines += [f"{d},{w:%Y-%m-%d},{s}," for d, w, s in ex.CUSTOMER]
    lines[5] += "extra,fields"
    survey = load_survey("\n".join(lines).encode(), "legacy.csv")
    check(survey)


def test_title_rows_above_the_header_keep_row_numbers():
    rows = [["Customer feedback"], [], *_customer_rows()]
    table = read_table(_csv(rows).encode(), "titled.csv")
    assert table.layout.start == 2 and table.columns[:2] == ["Department", "Date"]
    assert table.row_numbers[0] == 4  # as Excel numbers the rows: title, blank, header, then data


def test_other_tools_layouts():
    rnd = random.Random(3)
    typeform = [["#", "Which team are you in?", "How likely are you to recommend working here to a friend?",
                 "I feel valued at work", "department", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"]]
    for i in range(30):
        d = rnd.choice(["Sales", "IT"])
        typeform.append([f"{i:032x}", d, rnd.randint(0, 10), rnd.randint(1, 5), d.lower(),
                         f"2024-03-14 09:05:{i:02d}", f"2024-03-14 09:06:{i:02d}", f"{i:010x}"])
    s = load_survey(_csv(typeform).encode(), "typeform.csv")
    assert s.kind == "employee" and s.detection.one("department").name == "department"
    assert s.detection.one("date").name == "Submit Date (UTC)" and s.detection.one("id").name == "#"

    alchemer = [["Response ID", "Time Started", "Date Submitted", "Status", "Department", NPS_Q]]
    for i, (d, w, sc) in enumerate(ex.CUSTOMER):
        alchemer.append([i + 1, f"{w:%Y-%m-%d %H:%M:%S}", f"{w:%Y-%m-%d %H:%M:%S}", "Complete", d, sc])
    alchemer.append([99, "2024-03-01 00:00:00", "2024-03-01 00:00:00", "Disqualified", "Sales", 10])
    s = load_survey(_csv(alchemer, quoting=csv.QUOTE_ALL).encode(), "alchemer.csv")
    check(s)
    assert s.skipped_counts() == {"status": 1}


def test_surveymonkey_position_codes_are_shifted():
    rows = [["Department", NPS_Q]] + [[d, s + 1] for d, _, s in ex.CUSTOMER] + [["Sales", 11], ["IT", 1]]
    s = load_survey(_csv(rows).encode(), "positions.csv")
    assert s.detection.one("nps").scale.high == 11
    assert s.frame["recommend"].max() == 10 and s.frame["recommend"].min() == 0


def test_row_numbers_and_letters_are_the_spreadsheets_own():
    """A sheet that starts at C3 still reports row 4 for its first answer and names a blank header by its own
    letter, "Column F"."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    rows = _customer_rows()
    rows[0].append(None)  # a blank header with answers below it
    for i, r in enumerate(rows):
        for j, v in enumerate(r + ([] if i == 0 else ["note"])):
            if v is not None:
                ws.cell(row=3 + i, column=3 + j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "offset.xlsx")
    assert table.row_numbers[0] == 4
    assert table.columns[-1] == "Column F"
    rows_csv = [["Department", NPS_Q]] + [[d, s] for d, _, s in ex.CUSTOMER] + [["Sales", 12]]
    survey = load_survey(_csv(rows_csv).encode(), "range.csv")
    assert survey.skipped[0].rows == (len(ex.CUSTOMER) + 2,)


def test_choosing_a_sheet_parses_only_the_sheet_it_reads(monkeypatch):
    """A workbook with a second, two-row sheet: the sheets are judged from the start of their XML, and calamine
    parses one sheet, once (before, every sheet was parsed whole to look at 40 rows, and the biggest twice)."""
    from openpyxl import Workbook

    from lib.read import table as reading

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    for r in _customer_rows():
        ws.append(r)
    notes = wb.create_sheet("Notes")
    notes.append(["Exported by", "the survey tool"])
    notes.append(["Date", "2024-03-31"])
    buf = io.BytesIO()
    wb.save(buf)
    parses = []
    real_reader = reading._reader

    class Counting:
        def __init__(self, reader):
            self._reader = reader
            self.sheet_names = reader.sheet_names

        def load_sheet(self, *args, **kwargs):
            parses.append((args, kwargs))
            return self._reader.load_sheet(*args, **kwargs)

    monkeypatch.setattr(reading, "_reader", lambda source, name: Counting(real_reader(source, name)))
    monkeypatch.setattr(reading, "_worksheet_names", lambda source: None)  # names from calamine too: its parses are counted
    table = read_table(buf.getvalue(), "two-sheets.xlsx")
    assert table.sheet == "Responses" and len(parses) == 1
    assert "n_rows" not in parses[0][1]


def test_serial_date_detection_decides_on_a_sample(monkeypatch):
    """ISO timestamps are not run through pd.to_numeric whole to find they are no Excel serial numbers."""
    import pandas as pd

    from lib.values import dates

    seen = []
    real = pd.to_numeric

    def counting(values, *args, **kwargs):
        seen.append(len(values))
        return real(values, *args, **kwargs)

    monkeypatch.setattr(dates.pd, "to_numeric", counting)
    iso = pd.Series([f"2024-03-{1 + i % 28:02d} 10:00:00" for i in range(10_000)])
    assert dates._serials(iso) is None and max(seen) <= 500
    serial = pd.Series([str(45000 + i % 300) for i in range(10_000)])
    assert dates._serials(serial) is not None and max(seen) == 10_000


def test_header_strings_at_the_end_of_a_big_string_table_are_found_without_parsing_it(monkeypatch):
    """Sheet choice looks up the header's shared strings by cutting the table at each item, not by parsing it whole;
    rich text is joined, phonetic runs are left out, and an empty item is an empty string."""
    from lib.read import table as reading

    items = [f"<si><t>filler {i}</t></si>" for i in range(200_000)]
    items += ['<si><r><t>Recom</t></r><r><rPr><b/></rPr><t xml:space="preserve">mend &amp; more</t></r>'
              '<rPh sb="0" eb="1"><t>ignored</t></rPh></si>', "<si/>", "<si><t>Department</t></si>"]
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "".join(items) + "</sst>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/sharedStrings.xml", sst)
    archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    from defusedxml import ElementTree

    parsed = []
    real = ElementTree.fromstring
    monkeypatch.setattr(ElementTree, "fromstring", lambda text, *a, **k: parsed.append(text) or real(text, *a, **k))
    got = reading._shared_strings(archive, {200_000, 200_001, 200_002, 5})
    assert got == {200_000: "Recommend & more", 200_001: "", 200_002: "Department", 5: "filler 5"}
    assert len(parsed) == 4  # the four items asked for, each parsed alone


def test_big_inputs_are_checked_for_utf8_as_python_checks_them():
    """Above 1 MB, Arrow's validator decides; it agrees with Python's decoder on valid text, a stray Latin-1 byte,
    a cut multi-byte letter, and an encoded surrogate."""
    from lib.read.table import _valid_utf8

    body = ("Avdelning;Stämmer helt;Mitä mieltä\n" * 40_000).encode()
    assert len(body) > 1 << 20
    for tail in (b"", b"caf\xe9", b"\xc3", b"\xed\xa0\x80", "😀".encode()):
        data = body + tail
        try:
            data.decode("utf-8")
            python = True
        except UnicodeDecodeError:
            python = False
        assert _valid_utf8(data) is python, tail


def test_a_tall_responses_sheet_beside_a_short_one_is_chosen_from_the_recorded_heights(monkeypatch):
    """Ten times taller than every other sheet: chosen without a preview of any sheet (the second sheet costs nothing);
    sheets of similar height are still judged by their first rows."""
    from openpyxl import Workbook

    from lib.read import table as reading

    def book(notes_rows: int) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = "Responses"
        for r in _customer_rows():
            ws.append(r)
        for i in range(60):
            ws.append([f"Unit {i % 3}", i % 11, "2024-03-01"])
        notes = wb.create_sheet("Notes")
        for i in range(notes_rows):
            notes.append(["Exported by", f"the survey tool {i}"])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    previews = []
    real = reading._xlsx_preview
    monkeypatch.setattr(reading, "_xlsx_preview", lambda *a: previews.append(a[1]) or real(*a))
    assert reading.read_table(book(2), "two-sheets.xlsx").sheet == "Responses" and previews == []
    assert reading.read_table(book(30), "two-sheets.xlsx").sheet == "Responses" and previews == ["Responses", "Notes"]
