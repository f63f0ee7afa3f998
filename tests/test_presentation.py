"""One presentation model, every face: the Overview page (AppTest), the command line's text (``python -m lib summary``)
and the deck (``python -m lib report``, PowerPoint read back by python-pptx and PDF by pypdf) show every figure they
share as the same string, in English and in Swedish, and that string is the figure in the language's style."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.cli import main
from lib.figures.filters import Filters
from lib.figures.summary import Settings, summarize
from lib.i18n import _, format_number, set_language
from lib.present import model
from lib.sample import sample_columns, sample_files, sample_mapping
from lib.survey.frame import load_survey

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LANGUAGES = ["en", "sv"]


def _in(lang: str, text: str) -> str:
    set_language(lang)
    try:
        return _(text)
    finally:
        set_language("en")


def _squash(text: str) -> str:
    """Whitespace as one plain space (PDF text extraction turns no-break spaces and line ends into either)."""
    return re.sub(r"\s+", " ", text).strip()


# --- each face, read back into {label: (value, interval, n)} and its department table --------------------------


def _app(lang: str) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    interval_prefix = _in(lang, "95% interval {interval}").split("{interval}")[0]
    figures = {}
    for column in at.columns:
        if not column.metric:
            continue
        m = column.metric[0]
        found = {"value": m.value}
        for part in (column.caption[0].value.split(" · ") if column.caption else []):
            if part.startswith(interval_prefix):
                found["interval"] = part[len(interval_prefix):]
            elif part.startswith("n = "):
                found["n"] = part[4:]
        figures[m.label] = found
    table = at.dataframe[0].value
    rows = [{str(c): str(v) for c, v in row.items()} for row in table.to_dict("records")]
    return figures, rows


def _cli(lang: str, capsys, labels: set[str], columns: list[str]) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    assert main(["--lang", lang, "summary", *_files(lang)]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = {}
    for line in (x.strip() for x in lines):
        label = next((x for x in labels if line.startswith(x + ": ")), None)
        if label is None:
            continue
        parts = line[len(label) + 2:].split("  ")
        found = {"value": parts[0]}
        for part in parts[1:]:
            if part.startswith("[") and part.endswith("]"):
                found["interval"] = part[1:-1]
            elif part.startswith("n = "):
                found["n"] = part[4:]
        figures[label] = found
    head = next(i for i, x in enumerate(lines) if re.split(r" {2,}", x.strip()) == columns)
    rows = []
    for line in lines[head + 1:]:
        cells = re.split(r" {2,}", line.strip())
        if len(cells) != len(columns):
            break
        rows.append(dict(zip(columns, cells)))
    return figures, rows


def _deck(lang: str, fmt: str, tmp_path: Path, capsys) -> bytes:
    assert main(["--lang", lang, "report", *_files(lang), "--format", fmt, "--out", str(tmp_path / lang)]) == 0
    return Path(capsys.readouterr().out.strip()).read_bytes()


def _pptx(data: bytes, lang: str) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    from pptx import Presentation

    figures, rows = {}, []
    headline, departments = _in(lang, "Headline figures"), _in(lang, "Departments")
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text
        table = next((s.table for s in slide.shapes if s.has_table), None)
        if table is None:
            continue
        head = [c.text for c in table.rows[0].cells]
        body = [[c.text for c in r.cells] for r in list(table.rows)[1:]]
        if title == headline:
            for label, value, ci, n in body:
                figures[label] = {"value": value, "n": n, **({"interval": ci} if ci != model.DASH else {})}
        elif title == departments or title.startswith(departments + " ("):
            rows += [dict(zip(head, r)) for r in body]
    return figures, rows


def _files(lang: str) -> list[str]:
    customer, employee = sample_files(lang)
    args = ["--customer", str(customer), "--employee", str(employee)]
    for a, b in sample_mapping(lang).items():
        args += ["--map", f"{a}={b}"]
    for column, role in sample_columns(lang).items():
        args += ["--employee-column", f"{column}={role}"]
    return args


def _summary(lang: str):  # type: ignore[no-untyped-def]
    customer, employee = sample_files(lang)
    c = load_survey(customer.read_bytes(), customer.name, kind="customer")
    e = load_survey(employee.read_bytes(), employee.name, kind="employee", columns=sample_columns(lang))
    return summarize(c, e, Filters(), Settings(mapping=tuple(sample_mapping(lang).items())))


# --- the test --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_face_shows_the_same_figures(lang, tmp_path, capsys):
    pptx_figures, pptx_rows = _pptx(_deck(lang, "pptx", tmp_path, capsys), lang)
    labels = set(pptx_figures)
    columns = list(pptx_rows[0])
    app_figures, app_rows = _app(lang)
    cli_figures, cli_rows = _cli(lang, capsys, labels, columns)
    faces = {"app": app_figures, "text": cli_figures, "deck": pptx_figures}

    # every headline figure two faces both show reads the same in both: value, interval and n
    compared = 0
    for label in labels | set(app_figures) | set(cli_figures):
        shown = {face: figures[label] for face, figures in faces.items() if label in figures}
        for part in ("value", "interval", "n"):
            texts = {face: f[part] for face, f in shown.items() if part in f}
            assert len(set(texts.values())) <= 1, (lang, label, part, texts)
            compared += len(texts) > 1
    assert compared >= 10, compared  # the app's four cards, the text's and the deck's every line
    assert set(app_figures) <= labels and set(cli_figures) == labels, (set(app_figures), set(cli_figures), labels)

    # ... and reads as the figure in the language's style, independently of the model
    s = _summary(lang)
    set_language(lang)
    try:
        nps, r = _("Customer NPS"), _("Correlation (r)")
        assert app_figures[nps]["value"] == format_number(s.nps.score, 1, lang)
        assert app_figures[r]["value"] == format_number(s.linkage.result.pearson_r, 2, lang)
        lo, hi = s.linkage.result.pearson_ci95
        assert pptx_figures[r]["interval"] == _("{lo} to {hi}").format(lo=format_number(lo, 2, lang),
                                                                      hi=format_number(hi, 2, lang))
        assert pptx_figures[_("Engagement index")]["n"] == format_number(s.engagement.n, 0, lang)
    finally:
        set_language("en")
    decimal, other = (",", ".") if lang == "sv" else (".", ",")
    for f in pptx_figures.values():  # one style per language: no "-12.5" beside "-26,4 till 1,9"
        for part in ("value", "interval"):
            assert not re.search(rf"\d\{other}\d", f.get(part, "")), (lang, f)

    # the department table: every cell the three faces share reads the same
    assert [r[columns[0]] for r in app_rows] == [r[columns[0]] for r in pptx_rows] == [r[columns[0]] for r in cli_rows]
    for app_row, cli_row, deck_row in zip(app_rows, cli_rows, pptx_rows):
        for column in columns:
            assert app_row.get(column) == cli_row[column] == deck_row[column], (lang, column, app_row, cli_row, deck_row)
    hidden = [r for r in app_rows if r[_in(lang, "Engagement")] == _in(lang, "fewer than {k} responses").format(k=5)]
    assert hidden, "the sample has a department below the threshold"
    assert any(re.search(rf"\d\{decimal}\d", v) for r in app_rows for v in r.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_says_what_the_powerpoint_says(lang, tmp_path, capsys):
    from pypdf import PdfReader

    pptx_figures, pptx_rows = _pptx(_deck(lang, "pptx", tmp_path, capsys), lang)
    pdf = PdfReader(io.BytesIO(_deck(lang, "pdf", tmp_path, capsys)))
    text = _squash(" ".join(page.extract_text() or "" for page in pdf.pages))
    for label, f in pptx_figures.items():
        for part in ("value", "interval", "n"):
            if part in f:
                assert _squash(f[part]) in text, (lang, label, part, f[part])
    for row in pptx_rows:
        for value in row.values():
            assert _squash(value) in text, (lang, value)


def test_the_formatter_decides_decimals_once_and_speaks_each_language():
    """Each kind of figure has its decimals; an interval is one function; hidden texts are the privacy module's."""
    set_language("sv")
    try:
        assert model.number(0.3249, "r") == "0,32" and model.interval((0.3249, 0.951), "r") == "0,32 till 0,95"
        assert model.number(-12.25) == "\u221212,3" and model.number(-0.04) == "0,0" and model.number(None) == model.DASH
        assert model.number(0.0004, "p") == "< 0,001" and model.number(0.0123, "p") == "0,012"
        assert model.number(61.5, "index") == "62" and model.count(3074) == "3\u00a0074"
        assert model.signed(3.21) == "+3,2" and model.signed(-3.21) == "\u22123,2" and model.signed(0.01) == "0,0"
        assert model.quote("bra") == "”bra”"
    finally:
        set_language("en")
    assert model.interval((0.3249, 0.951), "r") == "0.32 to 0.95" and model.quote("good") == "“good”"
    assert model.interval(None) == "" and model.count(3074) == "3,074"


def test_a_total_nps_whose_interval_would_not_hold_it_reads_too_few_answers():
    """An outside tester's one-answer file printed "Customer NPS: −100.0 [−98.5 to 48.5]": the total follows the
    departments' rule (the interval holds the figure, or the figure is not printed)."""
    from lib.figures.filters import Filters
    from lib.figures.summary import Settings, summarize
    from lib.present.model import present
    from lib.survey.frame import load_survey

    question = "How likely are you to recommend us to a friend? (0-10)"
    rows = f"Unit,{question}\nA,0\n"
    s = summarize(load_survey(rows.encode(), "one.csv", kind="customer", columns={question: "nps"}), None, Filters(),
                  Settings())
    figure = next(f for f in present(s).figures if f.key == "nps")
    assert (figure.value, figure.interval, figure.number) == ("too few answers (n = 1)", "", None)
    rows += "A,10\nA,9\nA,3\nA,8\n"
    s = summarize(load_survey(rows.encode(), "five.csv", kind="customer", columns={question: "nps"}), None, Filters(),
                  Settings())
    figure = next(f for f in present(s).figures if f.key == "nps")
    assert figure.value == "0.0" and figure.interval


def test_the_answers_chart_words_each_point_as_the_file_does():
    """An outside tester's Swedish app showed "Strongly disagree … Strongly agree" in the answers chart of a Swedish
    file: each point now reads as the file words it (the library's first label only where the file has none)."""
    from lib.figures.summary import summarize
    from lib.present.breakdowns import item_distribution
    from lib.sample import SAMPLE_DIR, TEXTS
    from lib.survey.frame import load_survey

    for lang in ("sv", "fi"):
        name = TEXTS[lang].files[1]
        survey = load_survey((SAMPLE_DIR / name).read_bytes(), name)
        answers = item_distribution(summarize(None, survey))
        assert list(dict.fromkeys(answers["answer"])) == list(TEXTS[lang].agree)
