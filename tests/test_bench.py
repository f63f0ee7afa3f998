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
    for figure in ("xlsx: read + summarise vs pandas.read_excel(openpyxl)", "xlsx at Excel's row limit",
                   "csv: read + summarise vs read_csv + row-wise mapping", "filter change: Overview figures",
                   "startup: health and first page", "growth: csv", "growth: xlsx"):
        assert figure in p.stdout, figure
    assert "median s" in p.stdout and "peak MB" in p.stdout and "ratio" in p.stdout
