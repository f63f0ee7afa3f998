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
