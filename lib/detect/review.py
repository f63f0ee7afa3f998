"""The reading of a file as one compact list, for a person to check before the figures.

"Header on row 1; 12 statements on the 1–5 scale; “Q74” read as the department; 3 columns not used, because …".
Each line says what was read and, where it is about columns, which ones, so the Data page can offer one click to
change each and the command line (``--explain``) can print the same list. A line is *weak* when the reading rests on
thin evidence: a header that does not say, a code that might be an answer, a scale with points nobody used. Built
from a :class:`~lib.detect.roles.Detection` and plain facts about the read file (no answers, no personal data).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from lib.detect.roles import ROLE_NAMES, ColumnRole, Detection, left_out_statement, missing_reason
from lib.i18n import Msg, msg, msg_n
from lib.values.scale_library import LABEL_FAMILIES, LABEL_SCALES, LabelScale, points_into

#: Roles the list names one by one (one column each).
NAMED_ROLES = ("department", "date", "id", "nps", "enps", "score", "pulse", "status")
#: A header that is only a question code ("Q74", "v12", "Q5_3"): it says nothing about the column.
CODE_ONLY = re.compile(r"^\s*[A-Za-z]{0,4}[-_ .]?\d+([-_.]\d+)*\s*$")
#: How many column names a line spells out before "…".
NAMES_SHOWN = 4


@dataclass(frozen=True)
class ReviewLine:
    """One line of the reading: its text, whether the evidence is thin, and the columns it is about."""

    text: Msg
    weak: bool = False
    columns: tuple[str, ...] = ()
    role: str | None = None  # the role these columns have now


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(f"“{n}”" for n in names[:NAMES_SHOWN])
    return shown + (" …" if len(names) > NAMES_SHOWN else "")


def _header_line(header_row: int | None, header_rows: int) -> list[ReviewLine]:
    if header_row is None:
        return []
    if header_rows > 1:
        return [ReviewLine(msg("Header taken from rows {first}–{last}; choose another header row if that is wrong",
                               first=header_row, last=header_row + header_rows - 1))]
    return [ReviewLine(msg("Header taken from row {row}; choose another header row if that is wrong", row=header_row))]


def _scale_key(c: ColumnRole) -> tuple[int, int, bool]:
    assert c.scale is not None
    return c.scale.low, c.scale.high, c.scale.labels is not None


def _statement_lines(items: list[ColumnRole], points_used: Mapping[str, Collection[int]]) -> list[ReviewLine]:
    groups: dict[tuple[int, int, bool], list[ColumnRole]] = {}
    for c in items:
        if c.scale is not None:
            groups.setdefault(_scale_key(c), []).append(c)
    lines = []
    for (low, high, labelled), cols in groups.items():
        scale = f"{low}–{high}"
        text = (msg_n("{count} statement on the {scale} scale, answered with labels",
                      "{count} statements on the {scale} scale, answered with labels", len(cols), scale=scale)
                if labelled else
                msg_n("{count} statement on the {scale} scale, answered with numbers",
                      "{count} statements on the {scale} scale, answered with numbers", len(cols), scale=scale))
        lines.append(ReviewLine(text, columns=tuple(c.name for c in cols), role="item"))
        larger = [c for c in cols if not c.overridden and c.scale is not None and _larger_set(c.scale.labels)]
        if larger:  # four agreement labels are also four points of the five-point set: the middle may not be used
            bigger = _larger_set(larger[0].scale.labels)  # type: ignore[union-attr]
            lines.append(ReviewLine(msg_n("{count} statement read on {scale} labels could be on the {other} set with "
                                          "a middle answer nobody chose; give it the {other} scale if the survey "
                                          "offered one", "{count} statements read on {scale} labels could be on the "
                                          "{other} set with a middle answer nobody chose; give them the {other} scale "
                                          "if the survey offered one", len(larger), scale=scale,
                                          other=f"{bigger.low}–{bigger.high}"),  # type: ignore[union-attr]
                                    weak=True, columns=tuple(c.name for c in larger), role="item"))
        for c in cols:
            unused = sorted(set(range(low, high + 1)) - set(points_used.get(c.name, range(low, high + 1))))
            if unused and not c.overridden:
                lines.append(ReviewLine(msg("“{column}”: nobody answered {points} of its {scale} scale; give it its "
                                            "scale if it is another", column=c.name,
                                            points=", ".join(map(str, unused)), scale=scale),
                                        weak=True, columns=(c.name,), role=c.role))
    return lines


def _larger_set(key: str | None) -> LabelScale | None:
    """The label set of the same family with one more point, its middle, that holds every point of the even set
    ``key`` (agree4 → agree5: four labels answered are also the five-point set with nobody in the middle)."""
    small = next((x for x in LABEL_SCALES if x.key == key), None)
    if small is None or len(small.points) % 2:
        return None
    family = LABEL_FAMILIES.get(small.key)
    for x in LABEL_SCALES:
        moved = points_into(small, x) if LABEL_FAMILIES.get(x.key) == family and len(x.points) == len(small.points) + 1 \
            else None
        if moved is not None and set(range(x.low, x.high + 1)) - set(moved.values()) == {(x.low + x.high) // 2}:
            return x
    return None


def _weak_role(c: ColumnRole) -> bool:
    """A role read from weak evidence: a header that is only a code, a unit found by its values, 1–10 without a 0."""
    if c.overridden:
        return False
    if CODE_ONLY.match(c.label or c.name) and (c.code is None or CODE_ONLY.match(c.name)):
        return True
    if c.role == "department":
        return "names a department" not in c.reason.msgid
    return c.role in ("nps", "enps") and c.scale is not None and c.scale.low == 1


def _role_lines(detection: Detection) -> list[ReviewLine]:
    lines = []
    for role in NAMED_ROLES:
        c = detection.one(role)
        if c is not None:
            lines.append(ReviewLine(msg("“{column}” read as the {role}: {why}", column=c.name, role=ROLE_NAMES[role],
                                        why=c.reason), weak=_weak_role(c), columns=(c.name,), role=role))
    if detection.one("department") is None:
        lines.append(ReviewLine(msg("No column read as the department or unit: every answer is in one group; choose "
                                    "the unit column if the file has one"), weak=True))
    return lines


def _code_lines(detection: Detection) -> list[ReviewLine]:
    """Numbers and texts read as no answer (9 = "don't know", "*redacted*", 99 = unit not given): a code might
    be an answer, so each is a weak line naming its columns."""
    found: dict[tuple[str, str], list[str]] = {}
    for c in detection.columns:
        codes = tuple(getattr(c.scale, "codes", ()) or ()) + tuple(getattr(c, "codes", ()) or ())
        for code, why in codes:
            text = f"{code:g}" if isinstance(code, float) else str(code)
            found.setdefault((text, str(why)), []).append(c.name)
    return [ReviewLine(msg("{code} read as {what}, not as an answer, in {names}", code=code, what=missing_reason(what),
                           names=_names(names)),
                       weak=True, columns=tuple(names)) for (code, what), names in found.items()]


def _unused_lines(detection: Detection) -> list[ReviewLine]:
    """Columns not used: one compact line; a separate, weak line for each column of numbers that might be answers."""
    ignored = detection.all("ignore")
    if not ignored:
        return []
    lines = [ReviewLine(msg_n("{count} column not used: {names}", "{count} columns not used: {names}", len(ignored),
                              names=_names([c.name for c in ignored])), columns=tuple(c.name for c in ignored),
                        role="ignore")]
    for c in ignored:
        if ("numbers whose header" in c.reason.msgid and not c.overridden) or left_out_statement(c):
            lines.append(ReviewLine(msg("“{column}” not used: {why}", column=c.name, why=c.reason), weak=True,
                                    columns=(c.name,), role="ignore"))
    return lines


def review(detection: Detection, *, points_used: Mapping[str, Collection[int]] | None = None,
           header_row: int | None = None, header_rows: int = 1,
           issues: Iterable[tuple[str, Msg]] = ()) -> list[ReviewLine]:
    """The reading of one file, line by line: the header row, the kind, the statements by scale (and any with
    unused points), the single roles, answers counted out, and the columns not used.

    ``points_used`` maps a statement to the scale points someone answered; ``header_row`` is the spreadsheet row
    of the (first) header row and ``header_rows`` how many there are; ``issues`` are (column, what) pairs of
    answers that could not be used (a code that may be an answer).
    """
    lines = _header_line(header_row, header_rows)
    kind = msg("a customer survey") if detection.kind == "customer" else msg("an employee survey")
    lines.append(ReviewLine(msg("Read as {kind}: {why}", kind=kind, why=detection.kind_reason)))
    lines += _statement_lines(detection.all("item", "reverse-item"), points_used or {})
    lines += _role_lines(detection)
    lines += _code_lines(detection)
    lines += [ReviewLine(msg("“{column}”: {what}", column=column, what=what), weak=True, columns=(column,))
              for column, what in issues]
    return lines + _unused_lines(detection)


def survey_review(survey: object, withheld: Msg | None = None) -> list[ReviewLine]:
    """:func:`review` of a read :class:`lib.survey.frame.Survey` (taken by its attributes: this stage comes first).
    With ``withheld`` (an employee file fewer than k answered, :func:`lib.privacy.surfaces.reading_withheld`), that
    sentence stands for every reason the user did not give, and no line says which points nobody answered."""
    if withheld is not None:
        detection = survey.detection  # type: ignore[attr-defined]
        columns = tuple(c if c.overridden else replace(c, reason=withheld) for c in detection.columns)
        return review(replace(detection, kind_reason=withheld, columns=columns),
                      header_row=getattr(survey, "header_row", None), header_rows=getattr(survey, "header_rows", 1))
    frame = survey.frame  # type: ignore[attr-defined]
    used = {}
    for item in survey.items:  # type: ignore[attr-defined]
        values = frame[item.key].dropna().unique()
        points = {int(round(v)) for v in values}
        if item.reverse:  # stored reversed: the points answered are the mirror images
            points = {item.scale.low + item.scale.high - p for p in points}
        used[item.name] = points
    return review(survey.detection, points_used=used,  # type: ignore[attr-defined]
                  header_row=getattr(survey, "header_row", None), header_rows=getattr(survey, "header_rows", 1),
                  issues=[(i.column, i.message) for i in survey.issues])  # type: ignore[attr-defined]


def thin(lines: Iterable[ReviewLine]) -> bool:
    """Whether any line rests on weak evidence (the Data page then shows the list before the figures)."""
    return any(line.weak for line in lines)


def as_text(lines: Iterable[ReviewLine]) -> list[str]:
    """The lines as the command line prints them: "!" before a weak one."""
    return [("! " if line.weak else "  ") + str(line.text) for line in lines]
