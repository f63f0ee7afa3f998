"""The deck's page geometry and text measurement, shared by the slide planner (:mod:`lib.deck.slides`) and both
writers (:mod:`lib.deck.pptx`, :mod:`lib.deck.pdf`), so a table is split, a text wrapped and a box sized once.

Every length is in points on a 16:9 page of 960 × 540 pt (13.33 × 7.5 in, PowerPoint's widescreen size). A page has
a title box, a body box and, under the footer line, a footnote box; nothing but footnotes goes below the line.
Texts are measured with DejaVu Sans (:data:`FONTS`; reportlab's Vera, the same shapes, where it is missing), which
is wider than Arial and Liberation Sans, the font the PowerPoint file names: a text measured to fit fits in
PowerPoint and in LibreOffice Impress too. Every text a person reads from a slide is at least :data:`MIN_SIZE` pt;
only footnotes are smaller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 960.0, 540.0
MARGIN = 40.0
TITLE_TOP, TITLE_HEIGHT = 22.0, 70.0
BODY_TOP = 104.0
FOOTER_LINE = 490.0  # nothing but footnotes below this line
BODY_HEIGHT = FOOTER_LINE - 6.0 - BODY_TOP
NOTE_TOP, NOTE_HEIGHT = FOOTER_LINE + 4.0, HEIGHT - FOOTER_LINE - 14.0
BODY_WIDTH = WIDTH - 2 * MARGIN

MIN_SIZE = 14.0  # the smallest text on a slide, footnotes apart
TITLE_SIZES = (28.0, 24.0, 20.0)
TEXT_SIZE = 18.0
TABLE_SIZE = 14.0
NOTE_SIZES = (10.0, 9.0, 8.0)
LEADING = 1.25  # line height as a multiple of the font size (PowerPoint's single spacing is about 1.2 for Arial)
INSET = 4.0  # a text box's inner margin on every side
CELL_X, CELL_Y = 7.2, 3.6  # a table cell's inner margins (PowerPoint's defaults, 0.1 and 0.05 in)
BULLET = 27.0  # the indent of a body placeholder's bulleted paragraph

FONT_NAME = "Arial"  # what the PowerPoint file names; LibreOffice shows it as Liberation Sans
FONTS = {False: (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), "Vera.ttf"),
         True: (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"), "VeraBd.ttf")}


@dataclass(frozen=True)
class Box:
    """A rectangle from the page's top-left corner, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


TITLE = Box(MARGIN, TITLE_TOP, BODY_WIDTH, TITLE_HEIGHT)
BODY = Box(MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT)
NOTE = Box(MARGIN, NOTE_TOP, BODY_WIDTH, NOTE_HEIGHT)


@lru_cache(maxsize=2)
def font(bold: bool = False) -> str:
    """The registered reportlab name of the deck's font (regular or bold), registering it on first use."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "DeckSans-Bold" if bold else "DeckSans"
    if name not in pdfmetrics.getRegisteredFontNames():
        system, vera = FONTS[bold]
        path = system if system.exists() else Path(reportlab.__file__).parent / "fonts" / vera
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def width(text: str, size: float, bold: bool = False) -> float:
    """The text's width in points at ``size``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(str(text), font(bold), size)


def wrap(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """The text broken into lines no wider than ``room`` at its spaces (a word wider than ``room`` stays whole on
    its own line: :func:`longest_word` says whether that happens); line breaks in the text are kept."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if not line or width(trial, size, bold) <= room:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def longest_word(text: str, size: float, bold: bool = False) -> float:
    return max((width(w, size, bold) for w in str(text).split()), default=0.0)


def text_height(lines: int, size: float) -> float:
    return lines * size * LEADING


def fits(text: str, size: float, box_width: float, box_height: float, bold: bool = False) -> bool:
    """Whether the text, wrapped inside a box's insets, fits the box."""
    room = box_width - 2 * INSET
    return (longest_word(text, size, bold) <= room
            and text_height(len(wrap(text, size, room, bold)), size) <= box_height - 2 * INSET)


# --- tables ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TablePlan:
    """A table part as a slide shows it: column widths, each row's height (the header first) at :data:`TABLE_SIZE`."""

    widths: tuple[float, ...]
    heights: tuple[float, ...]

    @property
    def height(self) -> float:
        return sum(self.heights)


def _cell_need(text: str, bold: bool) -> tuple[float, float]:
    """(narrowest, widest) width a cell's text needs: its longest word, and the whole text on one line."""
    return (longest_word(text, TABLE_SIZE, bold) + 2 * CELL_X + 1, width(text, TABLE_SIZE, bold) + 2 * CELL_X + 1)


def column_widths(header: list[str], rows: list[list[str]], room: float = BODY_WIDTH) -> list[float] | None:
    """Widths that give every column its longest word and share the rest by what each needs to stay on one line;
    None when the longest words alone do not fit ``room``."""
    needs = [[_cell_need(h, True)] + [_cell_need(r[j], False) for r in rows] for j, h in enumerate(header)]
    low = [max(n[0] for n in col) for col in needs]
    high = [max(max(n[1] for n in col), lo) for col, lo in zip(needs, low)]
    if sum(low) > room:
        return None
    if sum(high) <= room:
        spare = (room - sum(high)) / len(high)
        return [h + spare for h in high]
    extra = room - sum(low)
    want = [h - lo for h, lo in zip(high, low)]
    return [lo + extra * w / sum(want) for lo, w in zip(low, want)]


def row_height(cells: list[str], widths: list[float] | tuple[float, ...], bold: bool = False) -> float:
    lines = max(len(wrap(c, TABLE_SIZE, w - 2 * CELL_X - 1, bold)) for c, w in zip(cells, widths))
    return text_height(lines, TABLE_SIZE) + 2 * CELL_Y + 2


def column_groups(header: list[str], rows: list[list[str]]) -> list[list[int]]:
    """The table's columns in groups that each fit a slide's width beside the first (naming) column: one group
    when the whole table fits."""
    if column_widths(header, rows) is not None:
        return [list(range(len(header)))]
    groups: list[list[int]] = []
    group = [0]
    for j in range(1, len(header)):
        trial = group + [j]
        if len(group) > 1 and column_widths([header[i] for i in trial], [[r[i] for i in trial] for r in rows]) is None:
            groups.append(group)
            group = [0, j]
        else:
            group = trial
    return groups + [group]


def row_pages(header: list[str], rows: list[list[str]], widths: list[float], room: float = BODY_HEIGHT
              ) -> list[list[int]]:
    """The rows in pages whose heights, under the header, fit ``room``."""
    head = row_height(header, widths, bold=True)
    pages: list[list[int]] = [[]]
    used = head
    for i, r in enumerate(rows):
        h = row_height(r, widths)
        if pages[-1] and used + h > room:
            pages.append([])
            used = head
        pages[-1].append(i)
        used += h
    return pages


def plan(header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> TablePlan:
    """Column widths (``widths``, else planned for these rows) and row heights of a table part that fits the body
    (the caller has split it)."""
    widths = widths or column_widths(header, rows) or [BODY_WIDTH / len(header)] * len(header)
    heights = (row_height(header, widths, bold=True), *(row_height(r, widths) for r in rows))
    return TablePlan(tuple(widths), heights)


# --- text pages --------------------------------------------------------------------------------------------


def paragraph_height(text: str, size: float = TEXT_SIZE, room: float = BODY_WIDTH - BULLET - 2 * INSET) -> float:
    """A bulleted paragraph's height with the space after it."""
    return text_height(len(wrap(text, size, room)), size) + size * 0.5


def text_pages(lines: list[str], size: float = TEXT_SIZE, room: float = BODY_HEIGHT - 2 * INSET) -> list[list[str]]:
    """Paragraphs in pages that fit the body."""
    pages: list[list[str]] = [[]]
    used = 0.0
    for line in lines:
        h = paragraph_height(line, size)
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0.0
        pages[-1].append(line)
        used += h
    return pages


# --- text blocks: what both writers draw -------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A text box: its box, paragraphs and size; ``role`` is title, subtitle, body (a placeholder in PowerPoint),
    number or note (text boxes); ``bullet`` paragraphs are indented by :data:`BULLET` after a bullet."""

    box: Box
    paragraphs: tuple[str, ...]
    size: float
    role: str = "body"
    bold: bool = False
    align: str = "left"
    bullet: bool = False

    @property
    def room(self) -> float:
        return self.box.width - 2 * INSET - (BULLET if self.bullet else 0.0)

    def lines(self) -> list[list[str]]:
        return [wrap(p, self.size, self.room, self.bold) for p in self.paragraphs]

    @property
    def gap(self) -> float:
        """Space after a paragraph."""
        return self.size * 0.4 if len(self.paragraphs) > 1 else 0.0

    def height(self) -> float:
        return sum(text_height(len(x), self.size) for x in self.lines()) + self.gap * len(self.paragraphs) + 2 * INSET

    def fits(self) -> bool:
        return (all(longest_word(p, self.size, self.bold) <= self.room for p in self.paragraphs)
                and self.height() <= self.box.height + 0.01)


def _largest(make, sizes: tuple[float, ...]) -> Block:  # type: ignore[no-untyped-def]
    """The block at the largest of ``sizes`` that fits, else at the smallest."""
    for size in sizes:
        block = make(size)
        if block.fits():
            return block
    return make(sizes[-1])


def title_block(text: str, cover: bool = False) -> Block:
    if cover:
        return _largest(lambda s: Block(Box(MARGIN, 120.0, BODY_WIDTH, 130.0), (text,), s, "title", True), (40.0, 32.0, 28.0))
    return _largest(lambda s: Block(TITLE, (text,), s, "title", True), TITLE_SIZES)


def subtitle_block(lines: tuple[str, ...]) -> Block:
    return _largest(lambda s: Block(Box(MARGIN, 270.0, BODY_WIDTH, FOOTER_LINE - 280.0), lines, s, "subtitle"),
                    (20.0, 18.0, 16.0, MIN_SIZE))


def body_block(lines: tuple[str, ...]) -> Block:
    return _largest(lambda s: Block(BODY, lines, s, "body", bullet=True), (TEXT_SIZE, 16.0, MIN_SIZE))


def note_block(text: str) -> Block:
    """The footnote at the largest of :data:`NOTE_SIZES` that fits under the footer line."""
    return _largest(lambda s: Block(NOTE, (text,), s, "note"), NOTE_SIZES)


def _number_column(left: float, width_: float, label: str, value: str, details: tuple[str, ...], hidden: bool
                   ) -> list[Block]:
    top = BODY_TOP + 20.0

    def head(s: float) -> Block:
        return Block(Box(left, top, width_, 2 * 22 * LEADING + 2 * INSET), (label,), s, "number", True)

    first = _largest(head, (22.0, 20.0, 18.0, 16.0))
    below = first.box.bottom + 6

    def big(s: float) -> Block:
        return Block(Box(left, below, width_, (3 if hidden else 1) * s * LEADING + 2 * INSET), (value,), s, "number",
                     not hidden)

    figure = _largest(big, (28.0, 24.0, 20.0, 18.0) if hidden else (64.0, 54.0, 44.0, 36.0))
    under = figure.box.bottom + 10

    def rest(s: float) -> Block:
        return Block(Box(left, under, width_, FOOTER_LINE - 8 - under), details, s, "number")

    return [first, figure] + ([_largest(rest, (18.0, 16.0, MIN_SIZE))] if details else [])


def number_blocks(numbers: list[tuple[str, str, tuple[str, ...], bool]]) -> list[Block]:
    """Big numbers side by side: each its label, its figure (64 pt; the hidden text smaller) and its details."""
    n = max(len(numbers), 1)
    gutter = 24.0
    col = (BODY_WIDTH - gutter * (n - 1)) / n
    out = []
    for i, (label, value, details, hidden) in enumerate(numbers):
        out += _number_column(MARGIN + i * (col + gutter), col, label, value, details, hidden)
    return out
