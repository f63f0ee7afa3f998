"""The meeting deck: PowerPoint and PDF, per department, in every language, and never a hidden figure."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from lib.deck import files, slides as report
from lib.i18n import format_number, set_language
from tests.test_app import sample_summary

ROOT = Path(__file__).resolve().parent.parent


def _pptx(data: bytes):  # type: ignore[no-untyped-def]
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def _texts(prs) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def _figure_table(prs):  # type: ignore[no-untyped-def]
    """A department deck's table of its figures beside the organisation's."""
    return next(s.table for slide in prs.slides for s in slide.shapes if s.has_table and s.table.cell(0, 0).text == "Figure")


@pytest.fixture(scope="module")
def summary():
    return sample_summary()


def test_the_organisations_deck_has_its_slides_titles_tables_and_vector_charts(summary):
    prs = _pptx(files.render(report.organisation_deck(summary, "Northwind Care"), "pptx"))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:3] == ["Survey results", "Our customers", "Our employees"]
    assert {"Headline figures", "Engagement by department", "Engagement and customer NPS", "Method"} <= set(titles)
    for start in ("Change since the previous period", "NPS by department", "Favourable % by statement and department",
                  "Strengths and focus areas", "Key drivers of recommending the workplace", "Employee comments"):
        assert any(t.startswith(start) for t in titles), start
    parts = [next(s for s in slide.shapes if s.has_table).table for slide, t in zip(prs.slides, titles)
             if t == "Departments" or t.startswith("Departments (")]
    assert all(t.cell(0, 0).text == "Department" for t in parts)
    assert sum(len(t.rows) - 1 for t in parts) == len(summary.departments)  # split across slides, every row once
    charts = prs.slides[next(i for i, t in enumerate(titles) if t.startswith("NPS by department"))]
    pic = next(s for s in charts.shapes if s.shape_type == 13)  # a picture
    assert b"svgBlip" in pic._element.xml.encode()  # noqa: SLF001 - the vector image is there
    headline = " ".join(_texts(prs))
    assert format_number(summary.nps.score, 1, "en") in headline and "Northwind Care" in headline


def test_a_deck_per_department_and_a_note_for_those_without(summary):
    data = files.bundle(summary, "pptx", "Northwind Care")
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    assert "survey-results.pptx" in names and "survey-results-Home Care.pptx" in names
    assert not any("Pharmacy" in n for n in names) and not any("Payroll" in n for n in names)
    note = z.read("no-deck.txt").decode()
    assert "Pharmacy Services" in note and "Payroll Services" in note
    home = _pptx(z.read("survey-results-Home Care.pptx"))
    table = _figure_table(home)
    assert [table.cell(0, j).text for j in range(4)] == ["Figure", "Home Care", "95% interval", "Organisation"]
    d = next(x for x in summary.departments if x.department == "Home Care")
    assert table.cell(2, 1).text == format_number(d.engagement.index, 1, "en")
    assert table.cell(2, 3).text == format_number(summary.engagement.index, 1, "en")


def test_no_number_in_any_deck_belongs_to_a_hidden_group(summary):
    """The privacy module's promise, checked on the bundle: hidden departments get no deck; wherever a hidden
    department is named, its employee cells say why they are hidden; every department deck's employee figures are
    the ones the privacy module released; and what the organisation's figures hold beyond the departments with
    decks is nobody or at least k people."""
    k = summary.settings.min_group
    hidden = {d.department for d in summary.departments if d.suppressed}
    z = zipfile.ZipFile(io.BytesIO(files.bundle(summary, "pptx")))
    assert not any(name for name in z.namelist() if any(h in name for h in hidden))
    hidden_words = ("fewer than", "hidden")
    shown_n = 0
    for name in z.namelist():
        if not name.endswith(".pptx"):
            continue
        prs = _pptx(z.read(name))
        for slide in prs.slides:
            for shape in slide.shapes:
                if not shape.has_table:
                    continue
                head = [c.text for c in shape.table.rows[0].cells]
                for row in list(shape.table.rows)[1:]:
                    cells = dict(zip(head, (c.text for c in row.cells)))
                    if cells.get("Department") in hidden:
                        for col in ("Engagement", "Favourable %", "eNPS"):
                            assert col not in cells or any(w in cells[col] for w in hidden_words), (name, cells)
                        assert cells.get("Figure", "NPS") == "NPS", (name, cells)  # changes: customers only
        if name != "survey-results.pptx":
            department = name.removeprefix("survey-results-").removesuffix(".pptx")
            d = next(x for x in summary.departments if x.department == department)
            table = _figure_table(prs)
            rows = {r.cells[0].text: r.cells[1].text for r in list(table.rows)[1:]}
            assert rows["Engagement index"] == format_number(d.engagement.index, 1, "en")
            shown_n += d.engagement.n
    beyond = summary.engagement.n - shown_n
    assert beyond == 0 or beyond >= k


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed (apt-get install poppler-utils)")
def test_the_pdf_renders_page_by_page_with_its_text(summary, tmp_path):
    deck = report.organisation_deck(summary, "Northwind Care")
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(files.render(deck, "pdf"))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(deck.slides)
    assert all(p.stat().st_size > 2000 for p in pages)  # drawn, not blank
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Headline figures" in text and "Northwind Care" in text and "Method" in text
    assert "Pharmacy Services" in text and "fewer than 5 responses" in text


def test_the_deck_speaks_the_sessions_language(summary):
    set_language("sv")
    try:
        prs = _pptx(files.render(report.organisation_deck(summary), "pptx"))
    finally:
        set_language("en")
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:3] == ["Enkätresultat", "Våra kunder", "Våra medarbetare"]
    assert "Nyckeltal" in titles and any(t.startswith("Avdelningar") for t in titles)
    assert format_number(summary.nps.score, 1, "sv") in " ".join(_texts(prs))


def test_a_company_template_lends_its_layouts(summary, tmp_path):
    from pptx import Presentation

    template = Presentation()
    template.slide_layouts[0].name = "Title Slide"
    template.slides.add_slide(template.slide_layouts[1]).shapes.title.text = "Template's own slide"
    buf = io.BytesIO()
    template.save(buf)
    potx = buf.getvalue().replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
    prs = _pptx(files.render(report.organisation_deck(summary), "pptx", potx))
    assert prs.slides[0].shapes.title.text == "Survey results"
    assert "Template's own slide" not in _texts(prs)


def test_the_command_line_writes_decks(tmp_path, capsys):
    from lib.cli import main

    files = ["--customer", str(ROOT / "sample_data/customer_survey.xlsx"), "--employee",
             str(ROOT / "sample_data/employee_survey.xlsx"), "--map", "Homecare=Home Care"]
    assert main(["report", *files, "--format", "pptx", "--per-department", "--out", str(tmp_path)]) == 0
    zipped = Path(capsys.readouterr().out.strip())
    assert zipped.exists() and "survey-results-Home Care.pptx" in zipfile.ZipFile(zipped).namelist()
    assert main(["--lang", "fi", "report", *files, "--format", "pdf", "--out", str(tmp_path)]) == 0
    assert re.search(r"\.pdf$", capsys.readouterr().out.strip())
    assert main(["report", *files, "--template", str(tmp_path / "missing.potx")]) == 2
