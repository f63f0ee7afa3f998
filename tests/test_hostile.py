"""Broken and hostile files: one clear sentence everywhere — engine, command line, app — never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.read import guard
from lib.survey import isolation
from lib.cli import main as cli_main
from lib.errors import SurveyError
from lib.figures.summary import summarize
from lib.survey.frame import load_survey

from . import broken
from . import exports as ex

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EXPECTED_NPS = ex.expected_nps([s for *_, s in ex.CUSTOMER])


GROWTH = """
import sys
from tests import broken
from lib.errors import SurveyError
from lib.survey.frame import load_survey

def hwm():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))

name, data, kind = broken.CORPUS[sys.argv[1]]()
before = hwm()
try:
    load_survey(data, name, kind=kind)
except SurveyError:
    pass
print(hwm() - before)
"""


@pytest.mark.parametrize("case", sorted(broken.CORPUS))
def test_engine_gives_one_sentence(case):
    name, data, kind = broken.CORPUS[case]()
    with pytest.raises(SurveyError) as info:
        load_survey(data, name, kind=kind)
    text = str(info.value)
    assert "\n" not in text and name in text and text.endswith("."), text


@pytest.mark.parametrize("case", ["zip_bomb_declared", "zip_bomb_real", "billion_laughs", "external_entity"])
def test_hostile_files_are_refused_before_they_expand(case):
    """Peak resident memory (VmHWM, which sees the Rust reader's allocations too) grows by less than 50 MB."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc (Linux) to read the process's peak resident memory")
    p = subprocess.run([sys.executable, "-c", GROWTH, case], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert int(p.stdout.strip()) < 50 * 1024, p.stdout  # kB


@pytest.mark.parametrize("case", sorted(broken.READABLE))
def test_odd_but_valid_files_are_read(case):
    name, data, kind = broken.READABLE[case]()
    s = summarize(load_survey(data, name, kind=kind), None)
    assert s.nps.score == pytest.approx(EXPECTED_NPS)


@pytest.mark.parametrize("case", sorted(broken.READABLE))
def test_odd_but_valid_files_make_decks_and_chart_images(case):
    """Whatever an odd file's names and comments hold, its deck is written as PowerPoint and PDF, its charts as
    images and its tables as workbooks (in a child process: a renderer that aborts would take the test run with it)."""
    code = (f"from tests import broken; from lib.survey.frame import load_survey; from lib.figures.summary import "
            f"summarize; from lib.deck import files, slides; from lib.present import charts, breakdowns\n"
            f"name, data, kind = broken.READABLE[{case!r}]()\n"
            f"s = summarize(load_survey(data, name, kind=kind), None)\n"
            f"deck = slides.organisation_deck(s, 'Org')\n"
            f"assert files.render(deck, 'pptx')[:2] == b'PK' and files.render(deck, 'pdf')[:4] == b'%PDF'\n"
            f"png, svg = charts.images(charts.nps_by_department(breakdowns.nps_by_department(s)))\n"
            f"assert png[:4] == bytes([137, 80, 78, 71]) and svg.startswith(b'<svg')\n"
            f"from lib.present.exports import table_xlsx\n"
            f"assert table_xlsx(breakdowns.nps_by_department(s))[:2] == b'PK'\n"
            f"print('ok')")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.strip().endswith("ok"), p.stderr[-2000:]


@pytest.mark.parametrize("case", sorted(broken.CORPUS))
def test_command_line_exits_2_with_one_line(case, tmp_path, capsys):
    name, data, kind = broken.CORPUS[case]()
    path = tmp_path / name
    path.write_bytes(data)
    assert cli_main(["summary", f"--{kind}", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_command_line_never_prints_a_traceback(tmp_path):
    for case in ("random_bytes_named_xlsx", "zip_bomb_declared", "password_protected"):
        name, data, kind = broken.CORPUS[case]()
        path = tmp_path / name
        path.write_bytes(data)
        p = subprocess.run([sys.executable, "-m", "lib", "summary", f"--{kind}", str(path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 2 and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_app_shows_a_message_per_file_and_keeps_working():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    files, seen = [], set()
    for case in sorted(broken.CORPUS):  # files with the same bytes are one file to the app
        name, data, kind = broken.CORPUS[case]()
        if data not in seen:
            seen.add(data)
            files.append((name, data, kind))
    good_name, good = ex.google_forms_customer_csv()
    uploads = [(n, d, "application/octet-stream") for n, d, _ in files] + [(good_name, good, "text/csv")]
    at.file_uploader(key="uploader").set_value(uploads).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    for name, _, _ in files:
        assert name in errors, name
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    nps = next(m.value for m in at.metric if m.label == "Customer NPS")
    assert nps == f"{EXPECTED_NPS:.1f}"


def test_parsing_has_a_time_limit():
    name, data = ex.summary_first_workbook()
    result = isolation.parse(data, name, seconds=0.0001)
    assert result.survey is None and "longer than" in str(result.error)
    ok = isolation.parse(data, name)
    assert ok.error is None and len(ok.survey.frame) == len(ex.CUSTOMER)


def test_limits_on_size_rows_and_columns(monkeypatch):
    name, data = ex.summary_first_workbook()
    monkeypatch.setattr(guard, "DEFAULT_LIMITS", guard.Limits(max_bytes=1000))
    with pytest.raises(SurveyError, match="more than the"):
        load_survey(data, name)
    monkeypatch.setattr(guard, "DEFAULT_LIMITS", guard.Limits(max_rows=10))
    with pytest.raises(SurveyError, match="rows, more than the 10 allowed"):
        load_survey(data, name)


def test_server_upload_limit_matches_the_engines():
    """Streamlit refuses uploads above maxUploadSize; the engine's own limit is the same, so the CLI agrees."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024**2 == guard.DEFAULT_LIMITS.max_bytes


def test_worker_does_not_rerun_the_parents_main_script(tmp_path, monkeypatch):
    """Under Streamlit, __main__ is the app script; a parse worker must not execute it again."""
    import types

    script = tmp_path / "app_like.py"
    script.write_text("raise SystemExit('the worker ran the main script')\n")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    name, data = ex.summary_first_workbook()
    result = isolation.parse(data, name, seconds=60)
    assert result.error is None and len(result.survey.frame) == len(ex.CUSTOMER)
