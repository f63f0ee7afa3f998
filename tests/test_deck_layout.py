"""The deck reads on a projector as it is: every text inside the slide and inside its box, at least 14 pt (footnotes
apart), nothing below the footer line but footnotes, in PowerPoint's geometry (python-pptx), in LibreOffice Impress
(the .pptx converted headless, each character's position read back with pdfplumber) and in the PDF (its characters,
and its pages rendered with pdftoppm and looked at for ink beyond the margins); in English, Swedish and Finnish, for
the organisation and a department, and for a view of 30 departments and 24 long statements whose tables, charts and
heatmap must split across slides.

Text fit is checked with Liberation Sans metrics through Pillow, independently of the deck's own measuring (DejaVu
through reportlab), and then by LibreOffice itself."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from functools import lru_cache, cache
from pathlib import Path

import pytest

from lib.deck import files, layout, slides
from lib.present import breakdowns
from lib.figures.filters import Filters
from lib.figures.summary import Settings, summarize
from lib.i18n import set_language
from lib.sample import sample_columns, sample_files, sample_mapping, workbook_bytes
from lib.survey.frame import load_survey

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is not installed (pip install -r requirements-dev.txt)")

EMU = 12700
LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
LIBERATION_BOLD = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Impress is not installed "
                                                         "(apt-get install libreoffice-impress)")
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm is not installed (apt-get install poppler-utils)")


# --- the views ---------------------------------------------------------------------------------------------


def _sample(lang: str):  # type: ignore[no-untyped-def]
    customer, employee = sample_files(lang)
    c = load_survey(customer.read_bytes(), customer.name, kind="customer")
    e = load_survey(employee.read_bytes(), employee.name, kind="employee", columns=sample_columns(lang))
    return summarize(c, e, Filters(), Settings(mapping=tuple(sample_mapping(lang).items())))


WORDS = ("regularly", "colleagues", "information", "responsibilities", "development", "recognition", "workload",
         "opportunities", "management", "collaboration", "wellbeing", "customers", "priorities")
AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")


def _many():  # type: ignore[no-untyped-def]
    """30 departments (two below the threshold, long and long-worded names), 24 long statements, two waves."""
    rnd = random.Random(23)
    departments = [f"Työterveyshuolto {i:02d} " + " ".join(rnd.sample(WORDS, 2)).title() for i in range(30)]
    statements = [f"S{i:02d} In my team we " + " ".join(rnd.sample(WORDS, 5)) + " every week" for i in range(24)]
    e_head = ["Respondent ID", "Submitted", "Department", *statements,
              "How likely are you to recommend this organisation as a place to work?",
              "What would make this a better place to work?"]
    e_rows, c_rows, rid = [], [], 0
    for j, d in enumerate(departments):
        size = 2 if j in (4, 17) else rnd.randint(7, 14)  # two waves of 2: below the threshold
        bias = rnd.uniform(-1.2, 1.2)
        for wave in ("2026-03-10 09:00", "2026-09-10 09:00"):
            for _i in range(size):
                rid += 1
                answers = [AGREE[max(0, min(4, round(rnd.gauss(2.6 + bias, 1.0))))] for _s in statements]
                e_rows.append([rid, wave, d, *answers, rnd.randint(0, 10), rnd.choice(["", "More time", "More time"])])
            for _i in range(rnd.randint(25, 45)):
                rid += 1
                c_rows.append([f"R{rid}", wave.replace("10 09", "12 10"), d, max(0, min(10, round(rnd.gauss(7.5 + bias, 2))))])
    c_head = ["Response ID", "Completion time", "Department", "How likely is it that you would recommend us to a friend?"]
    c = load_survey(workbook_bytes(c_head, c_rows), "customers.xlsx", kind="customer")
    e = load_survey(workbook_bytes(e_head, e_rows), "employees.xlsx", kind="employee")
    return summarize(c, e, Filters(), Settings())


@cache
def _deck(view: str, lang: str, fmt: str) -> tuple[slides.Deck, bytes]:
    """(the deck, its file) of a view: "org" and "dept" on the sample, "many" on :func:`_many`."""
    set_language(lang)
    try:
        if view == "many":
            s = _summary_many()
            deck = slides.organisation_deck(s, "Many")
        elif view == "many-dept":
            s = _summary_many()
            name = next(d.department for d in s.departments if not d.suppressed)
            deck = slides.department_deck(s, name, "Many")
        else:
            s = _summary(lang)
            deck = (slides.organisation_deck(s, "Northwind Care") if view == "org"
                    else slides.department_deck(s, s.departments[3].department, "Northwind Care"))
        assert deck is not None
        return deck, files.render(deck, fmt)
    finally:
        set_language("en")


@cache
def _summary(lang: str):  # type: ignore[no-untyped-def]
    return _sample(lang)


@lru_cache(maxsize=1)
def _summary_many():  # type: ignore[no-untyped-def]
    return _many()


CASES = [("org", "en"), ("org", "sv"), ("org", "fi"), ("dept", "fi"), ("many", "en"), ("many-dept", "sv")]


# --- measuring, independently of lib.deck.layout -----------------------------------------------------------


@lru_cache(maxsize=64)
def _font(size: float, bold: bool):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(str(LIBERATION_BOLD if bold else LIBERATION), size=int(round(size * 10)))


def _lines(text: str, size: float, room: float, bold: bool = False) -> int:
    """Lines a paragraph takes in Liberation Sans (Arial's metrics), breaking at spaces."""
    f = _font(size, bold)
    wide = lambda t: f.getlength(t) / 10  # noqa: E731 - measured at ten times the size for precision
    n, line = 0, ""
    for word in text.split():
        assert wide(word) <= room + 0.5, f"“{word}” is wider than its box ({wide(word):.0f} > {room:.0f} pt)"
        trial = f"{line} {word}".strip()
        if line and wide(trial) > room:
            n, line = n + 1, word
        else:
            line = trial
    return n + 1


def _box(shape) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    return shape.left / EMU, shape.top / EMU, (shape.left + shape.width) / EMU, (shape.top + shape.height) / EMU


def _runs_of(frame):  # type: ignore[no-untyped-def]
    for p in frame.paragraphs:
        for r in p.runs:
            yield p, r


# --- PowerPoint's geometry ----------------------------------------------------------------------------------


def _check_text_shape(shape, where: str) -> None:  # type: ignore[no-untyped-def]
    left, top, right, bottom = _box(shape)
    frame = shape.text_frame
    note = top >= layout.FOOTER_LINE
    room = right - left - (frame.margin_left + frame.margin_right) / EMU
    used = (frame.margin_top + frame.margin_bottom) / EMU
    for p in frame.paragraphs:
        if not p.runs:
            continue
        size = max(r.font.size.pt for r in p.runs)
        bold = bool(p.runs[0].font.bold)
        indent = int(p._p.pPr.get("marL", "0")) / EMU if p._p.pPr is not None else 0  # noqa: SLF001
        assert note or size >= layout.MIN_SIZE, (where, p.text, size)
        used += _lines(p.text, size, room - indent, bold) * size * 1.2 + (p.space_after.pt if p.space_after else 0)
    assert used <= bottom - top + 1, (where, frame.text[:80], used, bottom - top)
    assert note or bottom <= layout.FOOTER_LINE + 0.5, (where, frame.text[:80], bottom)


def _check_table(shape, where: str) -> None:  # type: ignore[no-untyped-def]
    table = shape.table
    widths = [c.width / EMU for c in table.columns]
    left, top = shape.left / EMU, shape.top / EMU
    assert left + sum(widths) <= layout.WIDTH - layout.MARGIN + 0.5, (where, sum(widths))
    y = top
    for row in table.rows:
        need = 0.0
        for j, cell in enumerate(row.cells):
            room = widths[j] - (cell.margin_left + cell.margin_right) / EMU
            for p, r in _runs_of(cell.text_frame):
                assert r.font.size.pt >= layout.MIN_SIZE, (where, r.text, r.font.size.pt)
                need = max(need, _lines(p.text, r.font.size.pt, room, bool(r.font.bold)) * r.font.size.pt * 1.2
                           + (cell.margin_top + cell.margin_bottom) / EMU)
        assert need <= row.height / EMU + 0.5, (where, [c.text for c in row.cells], need, row.height / EMU)
        y += row.height / EMU
    assert y <= layout.FOOTER_LINE, (where, y)


def _check_pptx(data: bytes, name: str) -> list[list[tuple[float, float, float, float, bool]]]:
    """Every slide's shapes checked; their boxes (and whether each is a footnote) returned per slide."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width / EMU, prs.slide_height / EMU) == (layout.WIDTH, layout.HEIGHT)  # 16:9
    boxes = []
    for i, slide in enumerate(prs.slides, start=1):
        where = f"{name} slide {i} “{slide.shapes.title.text if slide.shapes.title else ''}”"
        mine = []
        for shape in slide.shapes:
            left, top, right, bottom = _box(shape)
            assert left >= 0 and top >= 0 and right <= layout.WIDTH and bottom <= layout.HEIGHT, (where, shape.name)
            if shape.has_text_frame and shape.text_frame.text:
                _check_text_shape(shape, where)
            if shape.has_table:
                _check_table(shape, where)
            if shape.is_placeholder:
                assert shape.has_text_frame and shape.text_frame.text, (where, "an empty placeholder", shape.name)
            mine.append((left, top, right, bottom, top >= layout.FOOTER_LINE))
        boxes.append(mine)
    return boxes


# --- characters in a PDF ------------------------------------------------------------------------------------


def _chars(pdf: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert all((round(p.width), round(p.height)) == (layout.WIDTH, layout.HEIGHT) for p in doc.pages)
        return [[c for c in page.chars if c["text"].strip()] for page in doc.pages]


def _check_chars(pages: list[list[dict]], name: str, boxes: list | None = None) -> None:
    """Every character on the page, inside the margins, at least 14 pt above the footer line and a footnote below
    it; with ``boxes`` (the .pptx's shapes), inside one of its slide's shapes."""
    for i, chars in enumerate(pages, start=1):
        for c in chars:
            where = (name, i, c["text"], round(c["x0"]), round(c["top"]), round(c["size"], 1))
            assert c["x0"] >= 0 and c["x1"] <= layout.WIDTH and c["top"] >= 0 and c["bottom"] <= layout.HEIGHT, where
            assert c["x0"] >= layout.MARGIN - 2 and c["x1"] <= layout.WIDTH - layout.MARGIN + 2, where
            if c["top"] >= layout.FOOTER_LINE - 1:
                assert c["size"] < layout.MIN_SIZE, where  # only footnotes below the line
            else:  # a turned character (an axis title) has no upright size to read
                assert c["bottom"] <= layout.FOOTER_LINE + 1, where
                assert not c["upright"] or c["size"] >= layout.MIN_SIZE - 0.2, where
            if boxes is not None:
                x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                assert any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes[i - 1]), where


def _impress(data: bytes, tmp_path: Path) -> bytes:
    source = tmp_path / "deck.pptx"
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    return (tmp_path / "deck.pdf").read_bytes()


# --- the tests ------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("view,lang", CASES)
def test_every_powerpoint_text_fits_its_box_at_14_pt_or_more(view, lang):
    deck, data = _deck(view, lang, "pptx")
    boxes = _check_pptx(data, f"{view}-{lang}")
    assert len(boxes) == len(deck.slides)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("view,lang", [("org", "en"), ("org", "fi"), ("dept", "fi"), ("many", "en")])
def test_libreoffice_impress_draws_every_character_inside_its_box(view, lang, tmp_path):
    deck, data = _deck(view, lang, "pptx")
    boxes = _check_pptx(data, f"{view}-{lang}")
    pages = _chars(_impress(data, tmp_path))
    assert len(pages) == len(deck.slides)
    assert sum(len(p) for p in pages) > 100 * len(pages) // 4  # the text is there
    _check_chars(pages, f"impress {view}-{lang}", boxes)


@pytest.mark.slow
@needs_pdftoppm
@pytest.mark.parametrize("view,lang", CASES)
def test_the_pdf_draws_nothing_off_the_page_below_the_footer_or_under_14_pt(view, lang, tmp_path):
    from PIL import Image

    deck, data = _deck(view, lang, "pdf")
    pages = _chars(data)
    assert len(pages) == len(deck.slides)
    _check_chars(pages, f"pdf {view}-{lang}")
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "36", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(deck.slides)
    for image in images:  # 36 dpi: half a pixel a point
        im = Image.open(image).convert("L")
        w, h = im.size
        edge = int((layout.MARGIN - 6) * w / layout.WIDTH)
        for box in ((0, 0, edge, h), (w - edge, 0, w, h)):  # the side margins are blank: nothing runs off
            assert im.crop(box).getextrema()[0] > 200, (view, lang, image.name, box)
        assert im.getextrema()[0] < 100, (view, lang, image.name)  # and the page is not


@pytest.mark.slow
def test_long_tables_and_the_heatmap_split_across_slides_and_keep_every_row():
    deck, _data = _deck("many", "en", "pptx")
    s = _summary_many()
    department_parts = [x for x in deck.slides if x.title.startswith("Departments (")]
    assert len(department_parts) >= 3
    named = [n for x in department_parts for n in x.table["Department"]]
    assert named == [d.department for d in s.departments]  # every department once, in order
    heat = [x for x in deck.slides if x.title.startswith("Favourable % by statement and department")]
    cells = {(r["statement"], r["department"]) for x in heat for r in next(iter(x.chart.to_dict()["datasets"].values()))}
    # more departments than a meeting reads (28 shown): the ten with the highest and the ten with the lowest engagement
    # index, on the 3 strongest and 3 weakest statements; every department stays in the Departments table
    index = breakdowns.engagement_by_department(s).dropna(subset=["engagement"])
    index = index.sort_values("engagement", ascending=False, kind="stable")["department"].tolist()
    assert len(index) == 28
    ends = set(index[:10]) | set(index[-10:])
    assert len(cells) == 6 * len(ends) and len(heat) >= 2
    assert {d.replace("\n", " ") for _s, d in cells} == ends  # names wrapped into lines, none cut
    bars = [x for x in deck.slides if x.title.startswith("NPS by department: the ten highest and the ten lowest")]
    names = [n for x in bars for n in (r["name"] for r in next(iter(x.chart.to_dict()["datasets"].values())))]
    assert len(names) == len(set(names)) == 20 and all("30 departments" in x.note for x in bars)
    change = [x for x in deck.slides if x.title.startswith("Change since the previous period")]
    assert change and "without a detectable change are not listed" in change[-1].note
    for x in deck.slides:
        if x.kind == "chart":
            rows = next(iter(x.chart.to_dict()["datasets"].values()))
            assert len(rows) <= 10 * 24 and x.chart.to_dict()["autosize"]["type"] == "fit"


def test_repeated_comments_are_shown_once_with_their_count():
    deck, _data = _deck("org", "en", "pptx")
    lines = [line for x in deck.slides if x.title.startswith("Employee comments") for line in x.lines]
    assert lines and len(lines) == len(set(lines))
    assert any("(×" in line for line in lines)
    texts = [line.split("” (×")[0] for line in lines]
    assert len(texts) == len(set(t.casefold() for t in texts))


@pytest.mark.slow
def test_a_department_below_the_threshold_gets_no_deck():
    s = _summary_many()
    hidden = [d.department for d in s.departments if d.suppressed]
    assert hidden and all(slides.department_deck(s, name) is None for name in hidden)


def test_the_ten_lowest_are_departments_with_the_figure():
    """With many departments, the deck's "ten highest and ten lowest" are taken among those that have the figure, as
    the app's pages take them; a department with too few answers is neither."""
    import pandas as pd

    values = [float(v) for v in range(30, 0, -1)] + [None] * 6
    frame = pd.DataFrame({"name": [f"Unit {i:02d}" for i in range(36)], "value": values,
                          "text": ["x"] * 36})
    shown, title, note = slides._ends(frame, "NPS by department", "")
    assert shown["value"].notna().all() and len(shown) == 20
    assert shown["name"].tolist() == [f"Unit {i:02d}" for i in list(range(10)) + list(range(20, 30))]
    assert "36 departments" in note and "ten lowest" in title
