"""A deck as a PDF (reportlab for the pages, vl-convert for the charts, pypdf to place them): one 16:9 page per
slide with the PowerPoint file's content and geometry (:mod:`lib.deck.layout` places both), charts as vector
graphics at the body's size."""

from __future__ import annotations

import io
import json

import pandas as pd

from lib.deck import layout
from lib.deck.layout import HEIGHT, WIDTH, Block
from lib.deck.slides import Deck, Slide

BLUE, GREY, RULE = "#4575B4", "#595959", "#BFBFBF"


def _y(top: float) -> float:
    """reportlab's y (from the bottom) of a distance from the page's top."""
    return HEIGHT - top


def _block(c, block: Block, colour: str = "#000000") -> None:  # type: ignore[no-untyped-def]
    """A text block, wrapped as :mod:`lib.deck.layout` measured it, from its box's top."""
    name = layout.font(block.bold)
    c.setFillColor(colour)
    c.setFont(name, block.size)
    top = block.box.top + layout.INSET
    left = block.box.left + layout.INSET
    for lines in block.lines():
        for k, line in enumerate(lines):
            baseline = top + block.size * 0.95
            x = left + (layout.BULLET if block.bullet else 0.0)
            if block.bullet and k == 0:
                c.drawString(left, _y(baseline), "•")
            if block.align == "center":
                c.drawCentredString(block.box.left + block.box.width / 2, _y(baseline), line)
            else:
                c.drawString(x, _y(baseline), line)
            top += block.size * layout.LEADING
        top += block.gap
    c.setFillColor("#000000")


def _table(c, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    df, plan = spec.table, spec.plan
    assert df is not None and plan is not None
    rows = [[str(col) for col in df.columns]] + [
        ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in r] for r in df.itertuples(index=False)]
    top = layout.BODY.top
    for i, (row, h) in enumerate(zip(rows, plan.heights)):
        left = layout.BODY.left
        fill = BLUE if i == 0 else "#FFFFFF" if i % 2 else "#F2F2F2"
        c.setFillColor(fill)
        c.setStrokeColor(RULE)
        c.rect(left, _y(top + h), sum(plan.widths), h, stroke=1, fill=1)
        name = layout.font(i == 0)
        c.setFillColor("#FFFFFF" if i == 0 else "#000000")
        c.setFont(name, layout.TABLE_SIZE)
        for j, (text, w) in enumerate(zip(row, plan.widths)):
            numeric = j < len(spec.numeric) and spec.numeric[j]
            y = top + layout.CELL_Y + layout.TABLE_SIZE * 0.95
            for line in layout.wrap(text, layout.TABLE_SIZE, w - 2 * layout.CELL_X - 1, i == 0):
                if numeric:
                    c.drawRightString(left + w - layout.CELL_X, _y(y), line)
                else:
                    c.drawString(left + layout.CELL_X, _y(y), line)
                y += layout.TABLE_SIZE * layout.LEADING
            left += w
        top += h
    c.setFillColor("#000000")


def _page(c, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    cover = spec.kind == "title"
    _block(c, layout.title_block(spec.title, cover))
    if cover:
        _block(c, layout.subtitle_block(spec.lines))
    elif spec.kind == "text":
        _block(c, layout.body_block(spec.lines))
    elif spec.kind == "table" and spec.table is not None:
        _table(c, spec)
    elif spec.kind == "numbers":
        for block in layout.number_blocks([(n.label, n.value, n.details, n.hidden) for n in spec.numbers]):
            _block(c, block, BLUE if block.bold and block.size > 30 else "#000000")
    if spec.note:
        _block(c, layout.note_block(spec.note), GREY)


def pdf_bytes(deck: Deck) -> bytes:
    """The deck as PDF bytes: text and tables drawn here, each chart placed as vl-convert's vector PDF in the body."""
    import vl_convert as vlc
    from pypdf import PdfReader, PdfWriter, Transformation

    from lib.present.charts import drawable_spec
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT))
    c.setTitle(deck.name)
    for spec in deck.slides:
        _page(c, spec)
        c.showPage()
    c.save()
    pages = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    box = layout.BODY
    for i, spec in enumerate(deck.slides):
        if spec.kind != "chart" or spec.chart is None:
            continue
        chart = PdfReader(io.BytesIO(vlc.vegalite_to_pdf(json.dumps(drawable_spec(spec.chart))))).pages[0]
        w, h = float(chart.mediabox.width), float(chart.mediabox.height)
        scale = min(1.0, box.width / w, box.height / h)
        x = box.left + (box.width - w * scale) / 2
        y = _y(box.top) - h * scale
        pages.pages[i].merge_transformed_page(chart, Transformation().scale(scale, scale).translate(x, y))
    out = io.BytesIO()
    pages.write(out)
    return out.getvalue()
