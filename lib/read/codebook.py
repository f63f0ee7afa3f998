"""Codes for no answer from a data-dictionary sheet: a workbook's other sheet that lists values and their labels
("9 = Don't know"), as SPSS-style exports and some Nordic tools ship them.

Only a sheet whose name says it is one is read ("Codes", "Codebook", "Data dictionary", "Variables", "Value labels",
"Kodbok", "Koodit", "Muuttujat"…). Two layouts are read: a value cell followed by its label cell
(``Variable | Value | Label`` with the variable carried down its block, or ``Value | Label`` for every column), and
one cell "9 = Don't know" / "99: Vet ej" (after the variable's cell, when there is one). Only the labels that mean no
answer ("don't know", "not applicable", "prefer not to say", "no answer" in English, Swedish and Finnish) are kept:
the rest of a dictionary (1 = Strongly disagree…) says nothing the answers do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lib.values.vocab import missing_kind

#: Names of a data-dictionary sheet (only such sheets are read, so a workbook's other sheets cost nothing).
SHEET_NAMES = re.compile(r"code|dictionar|variab|value|label|meta|kod|variabl|värde|koodi|muuttuj|arvo|selite",
                         re.IGNORECASE)
_CELL_CODE = re.compile(r"^\s*(-?\d{1,4})\s*(?:=|:|-|–)\s*(\S.{0,60})$")
_INTEGER = re.compile(r"^\s*-?\d{1,4}(?:\.0+)?\s*$")


@dataclass(frozen=True)
class DictionaryCode:
    """One code for no answer: ``variable`` (a column's name or code as the dictionary writes it; None: every
    column), the number and why it is no answer ("don't know")."""

    variable: str | None
    value: float
    kind: str
    sheet: str


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def codes_from_grid(grid: list[list[object]], sheet: str) -> list[DictionaryCode]:
    """The codes for no answer a sheet lists (empty when it is no data dictionary)."""
    out: list[DictionaryCode] = []
    carried: str | None = None
    for row in grid:
        cells = [_text(v) for v in row]
        found = _row_codes(cells)
        lead = next((c for c in cells if c and not _INTEGER.match(c) and not _CELL_CODE.match(c)), "")
        if found and lead and cells.index(lead) < found[0][0]:
            carried = lead
        elif not found and lead and cells[0]:
            carried = lead  # a variable's own row above its values
        for position, value, kind in found:  # a code in the first column names no variable: every column's
            out.append(DictionaryCode(carried if position > 0 else None, value, kind, sheet))
    return out


def _row_codes(cells: list[str]) -> list[tuple[int, float, str]]:
    """(position, value, why) of each code for no answer in one row."""
    found = []
    for j, c in enumerate(cells):
        m = _CELL_CODE.match(c)
        if m and (kind := missing_kind(m.group(2).strip(" .)"))):
            found.append((j, float(m.group(1)), kind))
        elif _INTEGER.match(c) and j + 1 < len(cells) and (kind := missing_kind(cells[j + 1])):
            found.append((j, float(c), kind))
    return found
