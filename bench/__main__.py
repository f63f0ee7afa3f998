"""``python -m bench``: time the engine and the app at Excel's limits and print a table.

Every measurement runs in its own process (so peak memory is its own), several
times; the table gives median, min and max seconds, the baseline measured in the
same run, their ratio, the target, and the process's peak memory.

    python -m bench            # the full sizes (first run writes ~350 MB of files to bench/.cache/)
    python -m bench --tiny     # a few thousand rows: shows that everything works
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .data import EXCEL_ROW_LIMIT, dataset
from .load import free_port, wait_health

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    figure: str
    rows: int
    seconds: list[float]
    baseline: list[float] | None = None
    target: str = ""
    ok: bool | None = None
    peak_mb: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def ratio(self) -> float | None:
        return self.median / statistics.median(self.baseline) if self.baseline else None


def run(name: str, *args: object) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.measure", name, *map(str, args)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"bench: {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(repeat: int) -> Row:
    """`streamlit run app.py`: seconds until /_stcore/health answers and until the first page shows figures.

    The browser is started first, so its own start-up is not counted.
    """
    health, render = [], []
    browser = _browser()
    try:
        for _ in range(repeat):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            page = browser.new_page() if browser else None
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                     "--server.port", str(port), "--server.address", "127.0.0.1"],
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_health(url, poll=0.05)
                health.append(time.perf_counter() - t0)
                if page is not None:
                    page.goto(url)
                    page.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
                    render.append(time.perf_counter() - t0)
                    page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    finally:
        if browser:
            browser.close()
            _PLAYWRIGHT[0].stop()
    how = "in Chromium" if render else "health only (no Chromium)"
    secs = render or health
    return Row("startup: health and first page with the sample data", 0, secs, target="≤ 5 s",
               ok=max(secs) <= 5.0, note=f"health {statistics.median(health):.2f} s; first page {how}")


_PLAYWRIGHT: list = []


def _browser():
    if not Path("/usr/bin/chromium").exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    _PLAYWRIGHT[:] = [sync_playwright().start()]
    return _PLAYWRIGHT[0].chromium.launch(executable_path="/usr/bin/chromium", args=flags)


def measure(tiny: bool, repeat: int) -> list[Row]:
    rows: list[Row] = []
    n_mid = 2_000 if tiny else 100_000
    n_big = 5_000 if tiny else 1_000_000
    n_limit = 6_000 if tiny else EXCEL_ROW_LIMIT
    n_emp = 1_000 if tiny else 50_000
    base_repeat = 1 if tiny else max(1, repeat - 1)

    x = dataset("customer", n_mid, "xlsx")
    ours = run("summary", x, "customer", repeat)
    base = run("openpyxl", x, base_repeat)
    r = Row("xlsx: read + summarise vs pandas.read_excel(openpyxl)", n_mid, ours["seconds"], base["seconds"], "≤ 0.2 ×",
            peak_mb=ours["peak_mb"])
    r.ok = r.ratio <= 0.2
    rows.append(r)

    x = dataset("customer", n_limit, "xlsx")
    ours = run("summary", x, "customer", max(1, repeat - 1))
    rows.append(Row("xlsx at Excel's row limit: read + summarise", n_limit, ours["seconds"], target="peak < 2 GB",
                    ok=ours["peak_mb"] < 2048, peak_mb=ours["peak_mb"]))

    c = dataset("customer", n_big, "csv")
    ours = run("summary", c, "customer", repeat)
    base = run("naive_csv", c, 1)
    r = Row("csv: read + summarise vs read_csv + row-wise mapping", n_big, ours["seconds"], base["seconds"], "≤ 0.5 ×",
            peak_mb=ours["peak_mb"])
    r.ok = r.ratio <= 0.5
    rows.append(r)

    x = dataset("customer", n_big, "xlsx")
    e = dataset("employee", n_emp, "xlsx")
    f = run("filter", x, e, repeat)
    kb = f["extra"]["largest_chart_kb"]
    rows.append(Row(f"filter change: Overview figures ({n_emp:,} employees too)", n_big, f["seconds"], target="≤ 0.3 s",
                    ok=max(f["seconds"]) <= 0.3, peak_mb=f["peak_mb"], note=f"largest chart spec {kb:.1f} KB (target < 200 KB)"))
    rows[-1].ok = rows[-1].ok and kb < 200

    rows.append(startup(1 if tiny else repeat))

    sizes = (1_000, 2_000, 4_000) if tiny else (10_000, 100_000, 1_000_000)
    for fmt in ("csv", "xlsx"):
        medians = []
        for n in sizes:
            out = run("summary", dataset("customer", n, fmt), "customer", 1 if n == sizes[-1] else repeat)
            row = Row(f"growth: {fmt} read + summarise", n, out["seconds"], peak_mb=out["peak_mb"])
            medians.append(row.median)
            row.note = f"{row.median / n * 1e6:.2f} µs per row"
            if len(medians) > 1:
                slope = (medians[-1] - medians[-2]) / (sizes[len(medians) - 1] - sizes[len(medians) - 2]) * 1e6
                row.note += f"; {slope:.2f} µs per added row"
            rows.append(row)
        # linear (or better): the cost per row at the top size is at most 1.5× the cost per row at the size below
        per_row = [m / n for m, n in zip(medians, sizes)]
        rows[-1].target = "linear"
        rows[-1].ok = per_row[-1] <= 1.5 * per_row[-2] or tiny
    return rows


def render(rows: list[Row]) -> str:
    head = ["figure", "rows", "median s", "min s", "max s", "baseline s", "ratio", "target", "peak MB", "ok", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.figure, f"{r.rows:,}" if r.rows else "–", f"{r.median:.3f}", f"{min(r.seconds):.3f}",
                 f"{max(r.seconds):.3f}", f"{statistics.median(r.baseline):.2f}" if r.baseline else "–",
                 f"{r.ratio:.3f}" if r.ratio is not None else "–", r.target or "–",
                 f"{r.peak_mb:,.0f}" if r.peak_mb else "–", {True: "yes", False: "NO", None: ""}[r.ok], r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    with open("/proc/cpuinfo") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    with open("/proc/meminfo") as fh:
        mem = next((int(line.split()[1]) // 1024 // 1024 for line in fh if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a few thousand rows, to show it works")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    args = parser.parse_args()
    rows = measure(args.tiny, args.repeat)
    print(f"Machine: {machine()}")
    print(render(rows))
    if any(r.ok is False for r in rows):
        print("Some targets were missed (see 'ok').")


if __name__ == "__main__":
    main()
