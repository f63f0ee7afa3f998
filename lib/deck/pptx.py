"""A deck as a PowerPoint file (python-pptx), 16:9: titles and texts in the layouts' placeholders placed and sized by
:mod:`lib.deck.layout` (so they fit in PowerPoint and in LibreOffice Impress alike, whatever the template's own
geometry), real tables with the planned column widths and row heights, charts at the body's size as vector SVG with
a PNG fallback for older viewers, on the layouts of an optional company template (.potx or .pptx)."""

from __future__ import annotations

import copy
import io

import pandas as pd

from lib.deck import layout
from lib.deck.layout import Block
from lib.deck.slides import Deck, Slide
from lib.present.exports import xml_safe

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's svgBlip extension (PowerPoint 2016 and later)
_TEMPLATE = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
EMU_PER_PT = 12700
HEADER_FILL, RULE = "4575B4", "BFBFBF"


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _open(template: bytes | None):  # type: ignore[no-untyped-def]
    """A 16:9 presentation on the template's masters, without the template's own slides; a .potx is read as a
    .pptx."""
    from pptx import Presentation

    if template is None:
        prs = Presentation()
    else:
        from lib.read.zipparts import rewrite

        as_presentation = rewrite(template, lambda name, body: body.replace(_TEMPLATE.encode(), _PRESENTATION.encode())
                                  if name == "[Content_Types].xml" else body)
        prs = Presentation(io.BytesIO(as_presentation))
        ids = prs.slides._sldIdLst  # noqa: SLF001 - python-pptx has no public call to delete a slide
        for sld in list(ids):
            prs.part.drop_rel(sld.rId)
            ids.remove(sld)
    prs.slide_width, prs.slide_height = _emu(layout.WIDTH), _emu(layout.HEIGHT)
    return prs


def _layout(prs, kind: str):  # type: ignore[no-untyped-def]
    """The template's layout for a slide kind, by its usual name, else by the default template's position."""
    wanted = {"title": ("Title Slide",), "text": ("Title and Content",)}.get(kind, ("Title Only",))
    for layout_ in prs.slide_layouts:
        if layout_.name in wanted:
            return layout_
    return prs.slide_layouts[{"title": 0, "text": 1}.get(kind, 5)]


def _place(shape, box: layout.Box) -> None:  # type: ignore[no-untyped-def]
    shape.left, shape.top, shape.width, shape.height = _emu(box.left), _emu(box.top), _emu(box.width), _emu(box.height)


def _frame(frame, inset: float = layout.INSET, anchor: str = "t") -> None:  # type: ignore[no-untyped-def]
    """A text frame that wraps, never grows or shrinks its text, with the planned insets."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = _emu(inset)
    frame.vertical_anchor = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE}[anchor]


def _runs(paragraph, text: str, size: float, bold: bool = False, colour: str | None = None) -> None:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    paragraph.text = ""
    run = paragraph.add_run()
    run.text = xml_safe(text)  # python-pptx refuses U+FFFE, U+FFFF, lone surrogates
    run.font.size = Pt(size)
    run.font.name = layout.FONT_NAME
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _bullet(paragraph, on: bool) -> None:  # type: ignore[no-untyped-def]
    from lxml import etree

    p_pr = paragraph._p.get_or_add_pPr()  # noqa: SLF001 - bullets and indents have no python-pptx API
    ns = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for child in list(p_pr):
        if child.tag in (f"{{{ns}}}buNone", f"{{{ns}}}buChar", f"{{{ns}}}buAutoNum"):
            p_pr.remove(child)
    if on:
        p_pr.set("marL", str(_emu(layout.BULLET)))
        p_pr.set("indent", str(-_emu(layout.BULLET)))
        etree.SubElement(p_pr, f"{{{ns}}}buChar", char="•")
    else:
        p_pr.set("marL", "0")
        p_pr.set("indent", "0")
        etree.SubElement(p_pr, f"{{{ns}}}buNone")


def _fill(frame, block: Block, colour: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """The block's paragraphs into a text frame, at the block's size, alignment and bullets."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    _frame(frame)
    frame.text = ""
    for i, text in enumerate(block.paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _runs(paragraph, text, block.size, block.bold, colour)
        paragraph.alignment = PP_ALIGN.CENTER if block.align == "center" else PP_ALIGN.LEFT
        paragraph.line_spacing = 1.0
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(block.gap)
        _bullet(paragraph, block.bullet)


def _placeholder(slide, idx_types: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The slide's first placeholder of one of the types (by python-pptx's names: TITLE, CENTER_TITLE, BODY…)."""
    for shape in slide.placeholders:
        if shape.placeholder_format.type is not None and shape.placeholder_format.type.name in idx_types:
            return shape
    return None


def _textbox(slide, block: Block, colour: str | None = None) -> None:  # type: ignore[no-untyped-def]
    box = block.box
    shape = slide.shapes.add_textbox(_emu(box.left), _emu(box.top), _emu(box.width), _emu(box.height))
    _fill(shape.text_frame, block, colour)


def _into(slide, types: tuple[str, ...], block: Block) -> None:  # type: ignore[no-untyped-def]
    """The block in the slide's placeholder of that type, moved to the block's box; a text box when the layout has
    none."""
    shape = _placeholder(slide, types)
    if shape is None:
        _textbox(slide, block)
        return
    _place(shape, block.box)
    _fill(shape.text_frame, block)


def _table(slide, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    df, plan = spec.table, spec.plan
    assert df is not None and plan is not None
    box = layout.BODY
    shape = slide.shapes.add_table(len(df) + 1, len(df.columns), _emu(box.left), _emu(box.top),
                                   _emu(sum(plan.widths)), _emu(plan.height))
    table = shape.table
    for j, w in enumerate(plan.widths):
        table.columns[j].width = _emu(w)
    for i, h in enumerate(plan.heights):
        table.rows[i].height = _emu(h)
    texts = [[str(c) for c in df.columns]] + [["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                                                for v in r] for r in df.itertuples(index=False)]
    # each kind of cell (header or body, its shade, its alignment) is styled once through python-pptx; every cell of
    # that kind is a copy of it with its own text (the same XML, in a fraction of the time of styling each cell)
    styled: dict[tuple[bool, int, bool], object] = {}
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            numeric = j < len(spec.numeric) and spec.numeric[j]
            kind = (i == 0, i % 2, numeric)
            cell = table.cell(i, j)
            if kind not in styled:
                _style_cell(cell, i, numeric)
                styled[kind] = copy.deepcopy(cell._tc)  # noqa: SLF001 - a cell's XML has no python-pptx API
            tc = copy.deepcopy(styled[kind])
            tc.xpath("./a:txBody/a:p/a:r")[0].text = xml_safe(text)  # python-pptx's run: control characters escaped
            cell._tc.getparent().replace(cell._tc, tc)  # noqa: SLF001


def _style_cell(cell, i: int, numeric: bool) -> None:  # type: ignore[no-untyped-def]
    """A table cell's margins, wrapping, font and fill (row ``i``: 0 the header, then shaded by turns), empty."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    cell.margin_left = cell.margin_right = _emu(layout.CELL_X)
    cell.margin_top = cell.margin_bottom = _emu(layout.CELL_Y)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    paragraph = cell.text_frame.paragraphs[0]
    cell.text_frame.word_wrap = True
    _runs(paragraph, "", layout.TABLE_SIZE, bold=i == 0, colour="FFFFFF" if i == 0 else "000000")
    paragraph.alignment = PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(HEADER_FILL if i == 0 else "FFFFFF" if i % 2 else "F2F2F2")


def _picture(slide, chart) -> None:  # type: ignore[no-untyped-def]
    """The chart as SVG (vector) with its PNG as the fallback picture, filling the body."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    from lib.present.charts import images

    png, svg = images(chart)
    box = layout.BODY
    pic = slide.shapes.add_picture(io.BytesIO(png), _emu(box.left), _emu(box.top), _emu(box.width), _emu(box.height))
    package = slide.part.package
    partname = package.next_partname("/ppt/media/image%d.svg")
    svg_part = Part(PackURI(str(partname)), "image/svg+xml", package, svg)
    rid = slide.part.relate_to(svg_part, RT.IMAGE)
    blip = pic._element.blipFill.blip  # noqa: SLF001 - the svgBlip extension has no python-pptx API
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    ext_list = etree.SubElement(blip, f"{{{ns['a']}}}extLst")
    ext = etree.SubElement(ext_list, f"{{{ns['a']}}}ext", uri=SVG_EXTENSION)
    etree.SubElement(ext, f"{{{ns['asvg']}}}svgBlip", {f"{{{ns['r']}}}embed": rid}, nsmap={"asvg": ns["asvg"]})


def _drop_empty_placeholders(slide) -> None:  # type: ignore[no-untyped-def]
    """Placeholders the slide does not use ("Click to add text" would show in an editor, and their template geometry
    may lie off a 16:9 page)."""
    for shape in list(slide.placeholders):
        if not shape.has_text_frame or not shape.text_frame.text:
            shape._element.getparent().remove(shape._element)  # noqa: SLF001 - no python-pptx API to delete a shape


def _slide(prs, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    slide = prs.slides.add_slide(_layout(prs, spec.kind))
    cover = spec.kind == "title"
    _into(slide, ("CENTER_TITLE", "TITLE"), layout.title_block(spec.title, cover))
    if cover:
        _into(slide, ("SUBTITLE", "BODY"), layout.subtitle_block(spec.lines))
    elif spec.kind == "text":
        _into(slide, ("BODY", "OBJECT"), layout.body_block(spec.lines))
    elif spec.kind == "table" and spec.table is not None:
        _table(slide, spec)
    elif spec.kind == "chart" and spec.chart is not None:
        _picture(slide, spec.chart)
    elif spec.kind == "numbers":
        for block in layout.number_blocks([(n.label, n.value, n.details, n.hidden) for n in spec.numbers]):
            _textbox(slide, block, "4575B4" if block.bold and block.size > 30 else None)
    if spec.note:
        _textbox(slide, layout.note_block(spec.note), "595959")
    _drop_empty_placeholders(slide)


def pptx_bytes(deck: Deck, template: bytes | None = None) -> bytes:
    """The deck as .pptx bytes, on ``template``'s layouts when given."""
    prs = _open(template)
    for spec in deck.slides:
        _slide(prs, spec)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
