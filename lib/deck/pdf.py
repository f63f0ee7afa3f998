"""A deck as a PDF (reportlab for the pages, vl-convert for the charts, pypdf to place them): one 16:9 page per
slide, the same content as the PowerPoint file, charts as vector graphics."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from lib.deck.slides import Deck, Slide

WIDTH, HEIGHT = 960.0, 540.0  # points: a 16:9 page
MARGIN = 48.0
_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)


def _font() -> str:
    """DejaVu Sans where the system has it (every glyph the decks use), else reportlab's own Vera."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DeckSans" in pdfmetrics.getRegisteredFontNames():
        return "DeckSans"
    path = next((p for p in _FONTS if p.exists()), Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    pdfmetrics.registerFont(TTFont("DeckSans", str(path)))
    return "DeckSans"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for word in str(text).split():
        trial = f"{line} {word}".strip()
        if stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


def _title(c, font: str, text: str, big: bool = False) -> None:  # type: ignore[no-untyped-def]
    size = 30 if big else 22
    c.setFont(font, size)
    c.drawString(MARGIN, HEIGHT - MARGIN - size, text)


def _lines(c, font: str, lines: tuple[str, ...], top: float) -> None:  # type: ignore[no-untyped-def]
    y = top
    for text in lines:
        for part in _wrap(text, font, 14, WIDTH - 2 * MARGIN):
            c.setFont(font, 14)
            c.drawString(MARGIN, y, part)
            y -= 20
        y -= 6


def _table(c, font: str, df: pd.DataFrame, top: float) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    rows = [[str(col) for col in df.columns]] + [
        ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in r]
        for r in df.head(18).itertuples(index=False)]
    size = 9 if len(df.columns) > 5 else 11
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, size),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#4575B4")),
                               ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999"))]))
    w, h = table.wrapOn(c, WIDTH - 2 * MARGIN, top - MARGIN)
    scale = min(1.0, (WIDTH - 2 * MARGIN) / w, (top - MARGIN) / h)
    c.saveState()
    c.translate(MARGIN, top - h * scale)
    c.scale(scale, scale)
    table.drawOn(c, 0, 0)
    c.restoreState()


def _page(c, font: str, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    _title(c, font, spec.title, big=spec.kind == "title")
    top = HEIGHT - MARGIN - 60
    if spec.kind in ("title", "text"):
        _lines(c, font, spec.lines, top - (20 if spec.kind == "title" else 0))
    elif spec.kind == "table" and spec.table is not None:
        _table(c, font, spec.table, top)
    if spec.note:
        c.setFont(font, 9)
        c.drawString(MARGIN, MARGIN / 2, spec.note)


def pdf_bytes(deck: Deck) -> bytes:
    """The deck as PDF bytes: text and tables drawn here, each chart placed as vl-convert's vector PDF."""
    import vl_convert as vlc
    from pypdf import PdfReader, PdfWriter, Transformation
    from reportlab.pdfgen import canvas

    font = _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT))
    c.setTitle(deck.name)
    for spec in deck.slides:
        _page(c, font, spec)
        c.showPage()
    c.save()
    pages = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    for i, spec in enumerate(deck.slides):
        if spec.kind != "chart" or spec.chart is None:
            continue
        chart = PdfReader(io.BytesIO(vlc.vegalite_to_pdf(json.dumps(spec.chart.to_dict())))).pages[0]
        w, h = float(chart.mediabox.width), float(chart.mediabox.height)
        box_w, box_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - 60
        scale = min(box_w / w, box_h / h)
        x = MARGIN + (box_w - w * scale) / 2
        pages.pages[i].merge_transformed_page(chart, Transformation().scale(scale, scale).translate(x, MARGIN))
    out = io.BytesIO()
    pages.write(out)
    return out.getvalue()
