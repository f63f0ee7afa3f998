"""A deck as a PowerPoint file (python-pptx): titles in the title placeholders, real tables, charts as vector SVG
with a PNG fallback for older viewers, on the layouts of an optional company template (.potx or .pptx)."""

from __future__ import annotations

import io

import pandas as pd

from lib.deck.slides import Deck, Slide

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's svgBlip extension (PowerPoint 2016 and later)
_TEMPLATE = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _open(template: bytes | None):  # type: ignore[no-untyped-def]
    """A presentation on the template's masters, without the template's own slides; a .potx is read as a .pptx."""
    from pptx import Presentation
    from pptx.util import Emu

    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9
        return prs
    from lib.read.zipparts import rewrite

    as_presentation = rewrite(template, lambda name, body: body.replace(_TEMPLATE.encode(), _PRESENTATION.encode())
                              if name == "[Content_Types].xml" else body)
    prs = Presentation(io.BytesIO(as_presentation))
    ids = prs.slides._sldIdLst  # noqa: SLF001 - python-pptx has no public call to delete a slide
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs


def _layout(prs, kind: str):  # type: ignore[no-untyped-def]
    """The template's layout for a slide kind, by its usual name, else by the default template's position."""
    wanted = {"title": ("Title Slide",), "text": ("Title and Content",), "table": ("Title Only",),
              "chart": ("Title Only",)}[kind]
    for layout in prs.slide_layouts:
        if layout.name in wanted:
            return layout
    return prs.slide_layouts[{"title": 0, "text": 1, "table": 5, "chart": 5}[kind]]


def _body_box(prs):  # type: ignore[no-untyped-def]
    from pptx.util import Emu

    w, h = prs.slide_width, prs.slide_height
    return Emu(int(w * 0.05)), Emu(int(h * 0.2)), Emu(int(w * 0.9)), Emu(int(h * 0.72))


def _table(prs, slide, df: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    from pptx.util import Pt

    left, top, width, height = _body_box(prs)
    rows = min(len(df), 18)
    shape = slide.shapes.add_table(rows + 1, len(df.columns), left, top, width, height // 20 * (rows + 1))
    table = shape.table
    if len(df.columns) > 2:  # the first column names the row (a department, a figure): give it room
        first = int(width * 0.26)
        table.columns[0].width = first
        for j in range(1, len(df.columns)):
            table.columns[j].width = int((width - first) / (len(df.columns) - 1))
    for j, col in enumerate(df.columns):
        table.cell(0, j).text = str(col)
    for i, row in enumerate(df.head(rows).itertuples(index=False), start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    for cell in (table.cell(i, j) for i in range(rows + 1) for j in range(len(df.columns))):
        for paragraph in cell.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(9 if rows > 10 or len(df.columns) > 6 else 11 if len(df.columns) > 4 else 13)


def _picture(prs, slide, chart) -> None:  # type: ignore[no-untyped-def]
    """The chart as SVG (vector) with its PNG as the fallback picture."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    from lib.present.charts import to_image

    png, svg = to_image(chart, "png"), to_image(chart, "svg")
    left, top, width, height = _body_box(prs)
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(width / pic.width, height / pic.height)
    pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
    pic.left = int(left + (width - pic.width) / 2)
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


def _text(slide, lines: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    bodies = [p for p in slide.placeholders if p.placeholder_format.idx != 0]
    if not bodies:
        return
    frame = bodies[0].text_frame
    frame.text = lines[0] if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = line


def _slide(prs, spec: Slide) -> None:  # type: ignore[no-untyped-def]
    from pptx.util import Pt

    slide = prs.slides.add_slide(_layout(prs, spec.kind))
    if slide.shapes.title is not None:
        slide.shapes.title.text = spec.title
    if spec.kind in ("title", "text"):
        _text(slide, spec.lines)
    elif spec.kind == "table" and spec.table is not None:
        _table(prs, slide, spec.table)
    elif spec.kind == "chart" and spec.chart is not None:
        _picture(prs, slide, spec.chart)
    if spec.note:
        left, _top, width, _h = _body_box(prs)
        box = slide.shapes.add_textbox(left, int(prs.slide_height * 0.93), width, int(prs.slide_height * 0.05))
        box.text_frame.text = spec.note
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(10)


def pptx_bytes(deck: Deck, template: bytes | None = None) -> bytes:
    """The deck as .pptx bytes, on ``template``'s layouts when given."""
    prs = _open(template)
    for spec in deck.slides:
        _slide(prs, spec)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
