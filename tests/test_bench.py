"""The benchmark runs (on a tiny size: speed is measured by `python -m bench`, not by tests)."""

from __future__ import annotations

import subprocess

import pytest
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_prints_every_figure():
    p = subprocess.run([sys.executable, "-m", "bench", "--tiny", "--repeat", "1"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    for figure in ("xlsx: read + summarise (3 header rows, 2 sheets)", "without the second sheet",
                   "csv: read + summarise (3 header rows)", "csv: growth", "app: upload .xlsx until the Overview shows NPS",
                   "filter change: Overview figures", "startup: health and first page"):
        assert figure in p.stdout, figure
    for who in ("this project", "fastexcel alone", "polars (calamine)", "DuckDB read_xlsx", "floor: inflate the sheet XML",
                "pyarrow read_csv", "polars read_csv", "DuckDB read_csv", "floor: read the bytes"):
        assert f"| {who} |" in p.stdout, who
    assert "median s" in p.stdout and "min–max s" in p.stdout and "peak MB" in p.stdout and "× reference" in p.stdout


def test_the_load_test_says_what_it_saw(capsys):
    """A failed session is reported with its step and its process; steps get their median and slowest times."""
    from bench.load import report

    ok = {"ok": True, "detail": "10.0", "times": {"page": 1.0, "uploader": 2.0, "read": 5.0, "figure": 7.0}, "backend": "a"}
    bad = {"ok": False, "detail": "at step 'read' after 300 s: TimeoutError: waiting", "times": {"page": 1.5, "uploader": 3.0},
           "backend": "b"}
    report([ok, ok, bad], 300.0, {"127.0.0.1:1": 250.0}, {"a": "127.0.0.1:1", "b": "127.0.0.1:2"})
    out = capsys.readouterr().out
    assert "2/3 sessions" in out and "session 02 failed at step 'read'" in out and "(served by 127.0.0.1:2)" in out
    assert "read: reached by 2, median 5.0 s, slowest 5.0 s" in out.replace("    ", " ").replace("  ", " ")
    assert "127.0.0.1:1: 2, 127.0.0.1:2: 1" in out


def test_a_lopsided_split_is_as_common_as_the_load_test_says():
    """report()'s docstring: with 20 random sticky keys, 14 to 6 or worse happens in about one run in nine."""
    from scipy.stats import binom

    p = 2 * binom.sf(13, 20, 0.5)
    assert 1 / 9.5 < p < 1 / 8.5


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                    reason="Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
def test_bench_app_table_times_every_action():
    """`python -m bench --app --tiny`: every user action in Chromium gets a finite number of seconds, and the table prints."""
    import math

    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    from bench.app import ACTIONS

    p = subprocess.run([sys.executable, "-m", "bench", "--app", "--tiny", "--repeat", "1"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "| work | rows | who | median s | min–max s |" in p.stdout
    rows = {cells[0]: cells for cells in ([c.strip() for c in line.strip().strip("|").split("|")]
                                          for line in p.stdout.splitlines() if line.startswith("| app: "))}
    for _key, label in ACTIONS:
        cells = rows[f"app: {label}"]
        low, high = map(float, cells[4].split("–"))
        assert math.isfinite(float(cells[3])) and math.isfinite(low) and math.isfinite(high), cells
        assert 0 < low <= float(cells[3]) <= high, cells
    reference = rows["app: the same 5 files read alone (lib.load, in-process)"]
    assert math.isfinite(float(reference[3])) and reference[2] == "reference: lib alone"


def test_the_load_test_expects_the_figure_as_the_app_writes_it():
    """Half the load test's files have a negative NPS: it must expect the app's minus sign (U+2212)."""
    from bench.load import shown, survey_file

    assert shown(-24.0) == "\u221224.0" and shown(12.5) == "12.5"
    assert any(survey_file(i)[2] < 0 for i in range(20))
