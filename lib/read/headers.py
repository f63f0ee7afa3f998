"""Finding the header of a response table and folding multi-row headers into names.

Works on a small grid of cells (the first rows of a sheet, as text) and never
assumes the header is on row 1:

* title rows above the header (a hand-made workbook) are skipped: the header is
  the first row that is about as wide as the table and mostly text;
* Qualtrics writes three header rows (export tag, question text, ``{"ImportId": …}``),
  or two in some XLSX exports and in the legacy format: the names come from the
  question-text row, the export tags are kept as codes;
* SurveyMonkey writes the question in row 1 (blank across the rest of its block)
  and "Response", "Open-Ended Response", an option or a matrix statement in row 2:
  row 1 is carried across the block and joined with row 2 as "Question - Statement".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.values.scales import parse_number
from lib.values.vocab import MISSING_ANSWERS, SURVEYMONKEY_OPEN, SURVEYMONKEY_SUBHEADERS, normalize, visible

Grid = list[list[str | None]]

_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:', re.IGNORECASE)
_CODE = re.compile(r"^[\w#.\[\]()/-]+$")
_DATEISH = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


@dataclass
class HeaderLayout:
    """Where the header is and what the columns are called.

    ``start`` is the index (0-based, within the grid) of the first header row and
    ``count`` the number of header rows; data begins at ``start + count``.
    """

    start: int
    count: int
    names: list[str]
    codes: list[str | None]
    labels: list[str]
    kind: str = "single"  # single | qualtrics | surveymonkey
    open_ended: list[bool] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index, by openpyxl.

    >>> column_letter(0), column_letter(26)
    ('A', 'AA')
    """
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _blank(v: str | None) -> bool:
    return v is None or str(v).strip() == ""


def _is_value(v: str | None) -> bool:
    """A cell that looks like data rather than a header: a number or a date."""
    if _blank(v):
        return False
    s = str(v).strip()
    return parse_number(s) is not None and not re.search(r"[A-Za-zÅÄÖåäö]{4,}", s) or bool(_DATEISH.match(s))


def _filled(row: list[str | None]) -> int:
    return sum(not _blank(v) for v in row)


def _question_row_above(row: list[str | None], below: list[str | None], widest: int) -> bool:
    """``row`` is a question row and ``below`` its statements: both text, ``below`` filled (two cells or more) mostly
    where ``row`` is blank (a question stands over the first column of its block only, "Please tell us about your
    work" over the statement columns), and together about as wide as the table."""
    top = [not _blank(v) for v in row]
    under = [not _blank(v) for v in below]
    both = sum(a and b for a, b in zip(top, under))
    carried = sum(b and not a for a, b in zip(top, under))
    if sum(top) < 2 or sum(under) < 2 or carried < max(1, both) or 2 * both > sum(under):
        return False
    if any(_is_value(v) for v in [*row, *below] if not _blank(v)):
        return False
    first = next(i for i, b in enumerate(under) if b)
    return any(top[:first + 1]) and sum(a or b for a, b in zip(top, under)) >= 0.6 * widest


def find_header_row(grid: Grid) -> int:
    """Index of the first row that is as wide as the table and mostly text."""
    widths = [_filled(r) for r in grid]
    if not widths or max(widths) == 0:
        return 0
    widest = max(widths)
    for i, row in enumerate(grid):
        w = widths[i]
        below = grid[i + 1] if i + 1 < len(grid) else []
        if below and _question_row_above(row, list(below) + [None] * (len(row) - len(below)), widest):
            return i
        if w >= 2 and any(normalize(v) in SURVEYMONKEY_SUBHEADERS for v in below if not _blank(v)):
            # a SurveyMonkey top row: matrix questions leave most of it blank, the row below fills it
            union = sum(1 for a, b in zip(row, below) if not _blank(a) or not _blank(b))
            if union >= 0.6 * widest and not any(_is_value(v) for v in row if not _blank(v)):
                return i
        if w < max(2, 0.6 * widest) and not (widest == 1 and w == 1):
            continue
        texts = sum(1 for v in row if not _blank(v) and not _is_value(v))
        if texts >= 0.6 * w:
            return i
    return 0


def _numeric_columns(grid: Grid, body_start: int) -> list[int]:
    """Columns whose cells below ``body_start`` are mostly numbers or dates."""
    body = grid[body_start : body_start + 40]
    cols = []
    for c in range(max((len(r) for r in grid), default=0)):
        cells = [r[c] for r in body if c < len(r) and not _blank(r[c])]
        if len(cells) >= 1 and sum(_is_value(v) for v in cells) >= 0.8 * len(cells):
            cols.append(c)
    return cols


def _is_extra_header(row: list[str | None], numeric_cols: list[int]) -> bool:
    cells = [v for v in row if not _blank(v)]
    if not cells:
        return False
    if all(_IMPORT_ID.match(str(v)) for v in cells):
        return True
    if any(normalize(v) in SURVEYMONKEY_SUBHEADERS for v in cells):
        return True
    # "NA", "-", "n/a" under number columns are missing answers of a first respondent, never header text
    checked = [row[c] for c in numeric_cols if c < len(row) and not _blank(row[c]) and normalize(row[c]) not in MISSING_ANSWERS]
    if len(checked) < 1:
        return False
    # numbered answers ("0 - Not at all likely", "5 = Strongly agree") are values too; a numbered question ("1. I have
    # the tools I need to do my job well": six words or more after its number) is header text
    return sum(not _is_value(v) and (parse_number(v) is None or _numbered_question(v)) for v in checked) >= 0.6 * len(checked)


def _numbered_question(v: str | None) -> bool:
    """A question number before a sentence ("1. I have the tools I need to do my job well"), not a numbered answer."""
    m = re.match(r"^\s*\d{1,3}\s*[.):=–-]?\s*(.*)$", str(v or ""))
    return bool(m) and len(re.findall(r"[^\W\d_]{2,}", m.group(1))) >= 6


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            new = f"{name} ({seen[key]})"
            while new.casefold() in seen:
                seen[key] += 1
                new = f"{name} ({seen[key]})"
            seen[new.casefold()] = 1
            out.append(new)
        else:
            seen[key] = 1
            out.append(name)
    return out


def _clean(v: str | None) -> str:
    return "" if _blank(v) else re.sub(r"\s+", " ", visible(str(v))).strip()


def _without_question(sub: str, question: str) -> str:
    """A sub-item that repeats its question before the statement ("Please rate - I feel valued" under "Please rate",
    as some SurveyMonkey matrix exports write it): the statement alone, so the name does not double the question."""
    if not question or not sub:
        return sub
    m = re.match(r"^(.+?)\s+[-–—:]\s+(.+)$", sub)
    return m.group(2).strip() if m and normalize(m.group(1)) == normalize(question) else sub


def detect_header(grid: Grid, first_column: int = 0, header_row: int | None = None) -> HeaderLayout:
    """Find the header rows in ``grid`` and build one unique name per column.

    ``first_column`` is the absolute index of the grid's first column, used to
    name blank headers by their spreadsheet letter ("Column K"); ``header_row``, the
    0-based index in ``grid`` of the header row the user chose (found when None).
    """
    width = max((len(r) for r in grid), default=0)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    start = find_header_row(grid) if header_row is None else max(0, min(header_row, len(grid) - 1))
    numeric = _numeric_columns(grid, start + 3)
    extra: list[list[str | None]] = []
    for row in grid[start + 1 : start + 3]:
        if _is_extra_header(row, numeric) or (not extra and _question_row_above(grid[start], row, width)):
            extra.append(row)
        else:
            break
    top = [_clean(v) for v in grid[start]] if grid else []
    rows = [top] + [[_clean(v) for v in r] for r in extra]
    # An ImportId row adds nothing to the names.
    text_rows = [r for r in rows[1:] if not all(_IMPORT_ID.match(v) for v in r if v)]
    names, codes, labels, opens = [], [], [], []
    kind = "single"
    if text_rows:
        sub = text_rows[0]
        filled_top = [v for v in top if v]
        code_like = sum(bool(_CODE.match(v)) for v in filled_top) >= 0.7 * max(1, len(filled_top))
        if code_like and sum(bool(v) for v in top) >= sum(bool(v) for v in sub):
            kind = "qualtrics"
            for t, s in zip(top, sub):
                names.append(s or t)
                codes.append(t or None)
                labels.append(s or t)
                opens.append(False)
        else:
            kind = "surveymonkey"
            carried = ""
            for t, s in zip(top, sub):
                if t:
                    carried = t
                question = t or (carried if s else "")
                key = normalize(s)
                opens.append(key in SURVEYMONKEY_OPEN)
                s = _without_question(s, question)
                if not s or key in SURVEYMONKEY_SUBHEADERS:
                    names.append(question)
                    labels.append(question)
                elif question:
                    names.append(f"{question} - {s}")
                    labels.append(s)
                else:
                    names.append(s)
                    labels.append(s)
                codes.append(None)
    elif len(rows) > 1:  # only an ImportId row below the names (Qualtrics XLSX with 2 rows of IDs)
        kind = "qualtrics"
        names, labels = list(top), list(top)
        codes = [v or None for v in top]
        opens = [False] * width
    else:
        names, labels = list(top), list(top)
        codes = [None] * width
        opens = [False] * width
    names = [n or f"Column {column_letter(first_column + i)}" for i, n in enumerate(names)]
    labels = [lab or names[i] for i, lab in enumerate(labels)]
    return HeaderLayout(start, 1 + len(extra), _unique(names), codes, labels, kind, opens)
