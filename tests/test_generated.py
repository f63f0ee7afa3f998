"""Generated exports (tests/generate.py) read right without help: roles, scales, codes and figures exact.

The default run reads a seeded sample of the layout space; ``-m slow`` reads several thousand cases. A failing
case prints its id; ``python -m tests.generate "<id>"`` writes its file. Patterns the reader does not read right
yet are listed in KNOWN (strict xfail: a fixed pattern shows up as XPASS and its entry must go).
"""

from __future__ import annotations

import math

import pytest

from lib.errors import SurveyError
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey

from . import generate as gen

DEFAULT_CASES = 90
SLOW_CASES = 3000
TOLERANCE = 1e-6

#: Patterns the reader does not read right yet, as ({dimension: values}, reason): a case matching every dimension
#: of an entry is expected to fail (strict: an entry whose pattern reads right must go). None is left.
KNOWN: list[tuple[dict[str, tuple[str, ...]], str]] = []


def known_failure(case: gen.Case) -> str | None:
    for pattern, reason in KNOWN:
        if all(getattr(case, dim) in values for dim, values in pattern.items()):
            return reason
    return None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=TOLERANCE)


def _units(survey) -> list[str]:
    return sorted(str(d) for d in survey.departments)


def read_and_compare(built: gen.Built) -> list[str]:
    """What the reader got wrong in one generated file, as "what: read … expected …" lines (empty: all right)."""
    e = built.expected
    try:
        survey = load_survey(built.data, built.filename)
    except SurveyError as exc:
        return [f"refused: {exc}"]
    wrong: list[str] = []

    def check(what: str, read: object, want: object, ok: bool | None = None) -> None:
        if not (ok if ok is not None else read == want):
            wrong.append(f"{what}: read {read!r}, expected {want!r}")

    check("kind", survey.kind, e.kind)
    if survey.kind != e.kind:
        return wrong
    s = summarize(survey, None) if e.kind == "customer" else summarize(None, survey, settings=Settings(min_group=3))
    rec = s.nps if e.kind == "customer" else s.enps
    check("recommend score", rec.score if rec else None, e.recommend, _close(rec.score if rec else None, e.recommend))
    check("recommend n", rec.n if rec else 0, e.recommend_n)
    check("rows left out", survey.skipped_counts(), e.skipped)
    check("units", _units(survey), e.units)
    dates = survey.frame["date"].dropna()
    if len(dates):  # every date read is an answer's own day, and every kept row has one
        days = {d.date().isoformat() for d in dates}
        check("dates", sorted(days - e.days)[:3], [], days <= e.days)
        check("undated rows", int(survey.frame["date"].isna().sum()), 0)
    if e.first_row is not None:
        check("first data row", int(survey.frame["row"].min()) if len(survey.frame) else None, e.first_row)
    if e.rows is not None:
        check("data rows", survey.total_rows, e.rows)
    if e.kind == "employee":
        check("statements", [f"{i.name} ({i.scale})" for i in survey.items], f"{e.statements} statements",
              len(survey.items) == e.statements)
        means = [float(survey.frame[i.key].mean()) for i in survey.items]
        check("statement means", [round(m, 4) for m in means], [round(m, 4) for m in e.means],
              len(means) == len(e.means) and all(_close(a, b) for a, b in zip(means, e.means)))
        eng = s.engagement
        check("engagement index", eng.index if eng else None, e.engagement, _close(eng.index if eng else None, e.engagement))
        check("favourable %", eng.favorable_pct if eng else None, e.favourable,
              _close(eng.favorable_pct if eng else None, e.favourable))
    return wrong


def _params(cases: list[gen.Case], slow: bool = False) -> list:
    out = []
    for case in cases:
        marks = [pytest.mark.slow] if slow else []
        reason = known_failure(case)
        if reason:
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def _run(case: gen.Case) -> None:
    built = gen.build(case)
    wrong = read_and_compare(built)
    assert not wrong, f"case {case.id} (python -m tests.generate \"{case.id}\"):\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("case", _params(gen.sample(DEFAULT_CASES, seed=21)))
def test_generated_sample(case):
    _run(case)


_DEFAULT_IDS = {c.id for c in gen.sample(DEFAULT_CASES, seed=21)}


@pytest.mark.parametrize("case", _params([c for c in gen.sample(SLOW_CASES, seed=2121) if c.id not in _DEFAULT_IDS],
                                         slow=True))
def test_generated_full(case):
    _run(case)


def test_every_dimension_value_is_in_the_default_sample():
    cases = gen.sample(DEFAULT_CASES, seed=21)
    for dim, values in gen.VALUES.items():
        assert {getattr(c, dim) for c in cases} == set(values), dim


def test_expected_figures_are_the_answers_written():
    """The generator's expectations, checked on a case worked by hand: a 1–5 file where 9 means "don't know"."""
    built = gen.build(gen.Case("plain", "n1-5", "plain", "dk9", "csv", "vendor", "utf-8"))
    text = built.data.decode()
    assert ",9," in text or text.rstrip().endswith(",9") or "\r\n9," in text
    e = built.expected
    assert e.kind == "employee" and 4 <= e.statements <= 6
    assert all(1 <= m <= 5 for m in e.means)
    assert 0 <= e.engagement <= 100 and 0 <= e.favourable <= 100
    assert e.skipped == {"no_answers": 1}


def test_explain_prints_the_reading_and_header_row_chooses_the_header(tmp_path, capsys):
    """``--explain`` lists the reading on stderr (header row, statements, codes read as no answer); ``--header-row``
    takes the header from the row given, and a row that is not a number ends with status 2."""
    from lib.cli import main

    built = gen.build(gen.Case("plain", "n1-7", "plain", "dk9", "csv", "vendor", "utf-8"))
    path = tmp_path / built.filename
    path.write_bytes(built.data)
    assert main(["summary", "--employee", str(path), "--explain", "--min-group", "3"]) == 0
    err = capsys.readouterr().err
    assert "Header taken from row 1" in err and "statements on the 1–7 scale" in err
    assert main(["summary", "--employee", str(path), "--header-row", "2", "--explain", "--min-group", "3"]) in (0, 2)
    assert "“2025-03-03 08:00:00”" in capsys.readouterr().err  # row 2 (the first answers) gave the column names
    with pytest.raises(SystemExit) as stop:
        main(["summary", "--employee", str(path), "--header-row", "zero"])
    assert stop.value.code == 2


def test_review_marks_thin_evidence():
    """A unit column named only by a code, and a statement with unused points, are weak lines; a clear file has none
    of its roles marked weak."""
    from lib.detect.review import survey_review, thin

    built = gen.build(gen.Case("plain", "agree5", "plain", "none", "xlsx", "vendor", "-"))
    survey = load_survey(built.data, built.filename)
    lines = survey_review(survey)
    assert not any(line.weak for line in lines if line.role in ("department", "enps", "item"))
    # the same reading with the unit column headed by a code only
    survey.detection = type(survey.detection)(survey.detection.kind, survey.detection.kind_reason, tuple(
        c if c.role != "department" else type(c)("Q74", c.role, c.reason, "Q74", None) for c in survey.detection.columns))
    assert thin(survey_review(survey))


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_data_dictionary_sheet_names_the_code_that_the_answers_cannot(fmt):
    """5 on a 1–4 statement is "don't know" only because the workbook's "Codes" sheet says so: with the sheet the
    statements stay on 1–4 and the 5s are counted out as "don't know"; without it they would widen the scale."""
    case = gen.Case("plain", "n1-4", "plain", "dictsheet", fmt, "vendor", "-")
    built = gen.build(case)
    survey = load_survey(built.data, built.filename)
    assert [(i.scale.low, i.scale.high) for i in survey.items] == [(1, 4)] * built.expected.statements
    assert not read_and_compare(built)
    detection = survey.detection
    coded = [c for c in detection.columns if c.scale is not None and any(v == 5 for v, _ in c.scale.codes)]
    assert coded and all(dict(c.scale.codes)[5.0] == "don't know" for c in coded)
    # the same answers without the dictionary sheet: 5 reads as an answer
    bare = gen.write(built.rows, fmt, "-")
    assert any(i.scale.high == 5 for i in load_survey(bare, built.filename).items)
