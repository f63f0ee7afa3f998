"""Downloads are safe to open: formulas neutralised, numbers kept as numbers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from lib.present.exports import neutralize, table_csv, table_xlsx


def test_neutralize():
    for bad in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"):
        assert neutralize(bad) == "'" + bad
    assert neutralize("Sales") == "Sales" and neutralize(-5.0) == -5.0


def test_csv_and_xlsx_neutralise_text_and_keep_numbers():
    df = pd.DataFrame({"Department": ["=HYPERLINK(\"http://x\")", "Sales"], "NPS": [-12.5, 30.0],
                       "Engagement": ["fewer than 5 responses", 61.2]})
    text = table_csv(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "-12.5" in text
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(df, notes=["=evil note"]))).active
    assert ws["A2"].value == '=HYPERLINK("http://x")' and ws["A2"].data_type == "s"  # text as written, never run
    assert ws["B2"].value == -12.5 and ws["B3"].value == 30 and not isinstance(ws["B3"].value, str)
    assert ws["C2"].value == "fewer than 5 responses" and ws["C3"].value == 61.2
    assert ws["A5"].value == "=evil note" and ws["A5"].data_type == "s"
    assert ws.freeze_panes == "A2"
