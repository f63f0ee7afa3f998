"""``python -m bench``: time the engine and the app at Excel's limits and print a table.

Every measurement runs in its own process (so peak memory is its own), several
times; the table gives median, min and max seconds, the baseline measured in the
same run, their ratio, the target, and the process's peak memory.

    python -m bench            # the full sizes (first run writes ~350 MB of files to bench/.cache/)
    python -m bench --tiny     # a few thousand rows: shows that everything works (the app table: --app --tiny)
    python -m bench --sources  # only the customer answers counted where they live (bench/sources.py)
    python -m bench --app      # only the app, action by action in Chromium, on a generated organisation (bench/app.py)
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
    side: str  # who does the work: "this project", a peer, or the floor
    seconds: list[float]
    reference: list[float] | None = None  # what the ratio is taken against, measured in the same run
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
        return self.median / statistics.median(self.reference) if self.reference else None


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
    return Row("startup: health and first page with the sample data", 0, "this project", secs, target="≤ 5 s",
               ok=statistics.median(secs) <= 5.0, note=f"health {statistics.median(health):.2f} s; first page {how}")


_PLAYWRIGHT: list = []


def app_upload(path: Path, n: int, repeat: int, limit: float | None) -> Row:
    """In Chromium: from choosing the file on the Data page until the Overview shows its NPS (a new session each time)."""
    browser = _browser()
    if browser is None:
        return Row("app: upload .xlsx until the Overview shows NPS", n, "this project", [float("nan")],
                   note="no Chromium here: not measured")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    secs: list[float] = []
    try:
        wait_health(url)
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + "/data")
            page.wait_for_selector("[data-testid='stMain'] [data-testid='stFileUploaderDropzone']", timeout=60_000)
            with page.expect_file_chooser() as chooser:
                page.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzone").first.click()
            t0 = time.perf_counter()
            chooser.value.set_files(str(path))
            page.locator("[data-testid='stSidebar']", has_text=path.name).first.wait_for(timeout=180_000)
            page.get_by_role("link", name="Overview").first.click()
            card = page.locator("[data-testid='stMetric']", has_text="Customer NPS").first
            card.get_by_test_id("stMetricValue").wait_for(timeout=180_000)
            secs.append(time.perf_counter() - t0)
            context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        browser.close()
        _PLAYWRIGHT[0].stop()
    row = Row("app: upload .xlsx until the Overview shows NPS", n, "this project", secs,
              target=f"< {limit:.0f} s" if limit else "–", note="Chromium on the same machine; the file chosen from disk")
    row.ok = None if limit is None else statistics.median(secs) < limit
    return row


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


XLSX_PEERS = (("fastexcel", "fastexcel alone"), ("polars_xlsx", "polars (calamine)"), ("duckdb_xlsx", "DuckDB read_xlsx"),
              ("inflate", "floor: inflate the sheet XML"))
CSV_PEERS = (("pyarrow_csv", "pyarrow read_csv"), ("polars_csv", "polars read_csv"), ("duckdb_csv", "DuckDB read_csv"),
             ("bytes", "floor: read the bytes"))


def interleaved(sides: dict[str, tuple], repeat: int) -> dict[str, dict]:
    """Each side's runs, taken in turn (one run of every side, then the next round), so drift hits all sides alike."""
    outs: dict[str, list[dict]] = {key: [] for key in sides}
    for _ in range(repeat):
        for key, (name, *args) in sides.items():
            outs[key].append(run(name, *args, 1))
    return {key: {"seconds": [o["seconds"][0] for o in got], "peak_mb": max(o["peak_mb"] for o in got)}
            for key, got in outs.items()}


def side_by_side(fmt: str, n: int, repeat: int, target: str, limit: float, peak_limit: float | None,
                 also: dict[str, tuple] | None = None) -> tuple[list[Row], dict[str, dict]]:
    """The project's whole summary and each peer's read of the same file, with ratios to the first peer.

    ``also`` adds more sides to the same rounds; their measurements are returned with the rows.
    """
    path = dataset("customer", n, fmt)
    peers = XLSX_PEERS if fmt == "xlsx" else CSV_PEERS
    extra = ("Responses",) if fmt == "xlsx" else ()
    sides = {"ours": ("summary", path, "customer"), **{name: (name, path, *extra) for name, _ in peers}, **(also or {})}
    measured = interleaved(sides, repeat)
    ref = measured[peers[0][0]]["seconds"]
    ours = measured["ours"]
    work = f"{fmt}: read + summarise (3 header rows{', 2 sheets' if fmt == 'xlsx' else ''})"
    mine = Row(work, n, "this project", ours["seconds"], ref, target, peak_mb=ours["peak_mb"])
    mine.ok = None if limit == float("inf") else mine.ratio <= limit and (peak_limit is None or mine.peak_mb < peak_limit)
    if peak_limit is not None:
        mine.target += f"; peak < {peak_limit:,.0f} MB"
    rows = [mine]
    for name, label in peers:
        rows.append(Row(work, n, label, measured[name]["seconds"], ref, peak_mb=measured[name]["peak_mb"]))
    return rows, measured


def measure(tiny: bool, repeat: int) -> list[Row]:
    rows: list[Row] = []
    n_mid = 2_000 if tiny else 100_000
    n_big = 5_000 if tiny else 1_000_000
    n_limit = 6_000 if tiny else EXCEL_ROW_LIMIT
    n_emp = 1_000 if tiny else 50_000

    one_sheet = ("summary", dataset("customer", n_mid, "xlsx", second_sheet=False), "customer")
    # five rounds at least here: the second sheet's cost is a few per cent at most, well inside this machine's noise
    mid, measured = side_by_side("xlsx", n_mid, max(repeat, 5), "≤ 1.25 × fastexcel", 1.25, None, {"one": one_sheet})
    rows += mid
    rows += side_by_side("xlsx", n_limit, repeat, "≤ 1.25 × fastexcel", 1.25, 1000)[0]
    r = Row("xlsx: the same responses without the second sheet", n_mid, "this project", mid[0].seconds,
            measured["one"]["seconds"], "≤ 1.05 × (nothing measurable)", peak_mb=measured["one"]["peak_mb"],
            note="ratio: with the second sheet / without, measured in the same rounds")
    r.ok = r.ratio <= 1.05
    rows.append(r)

    csv_mid = side_by_side("csv", n_mid, repeat, "–", float("inf"), None)[0]
    csv_big = side_by_side("csv", n_big, repeat, "≤ 2 × pyarrow", 2.0, 700)[0]
    rows += csv_mid + csv_big
    per_row = [csv_mid[0].median / n_mid, csv_big[0].median / n_big]
    growth = Row("csv: growth, cost per row at 1M / at 100k", n_big, "this project", csv_big[0].seconds, target="≤ 1.15",
                 note=f"{per_row[1] * 1e6:.2f} µs per row at {n_big:,}, {per_row[0] * 1e6:.2f} at {n_mid:,}: "
                      f"{per_row[1] / per_row[0]:.2f} ×")
    growth.ok = per_row[1] <= 1.15 * per_row[0] or tiny
    rows.append(growth)

    for n in (n_mid, n_limit):
        rows.append(app_upload(dataset("customer", n, "xlsx"), n, 1 if tiny else repeat,
                               limit=9.0 if n == n_limit and not tiny else None))

    x = dataset("customer", n_big, "xlsx")
    e = dataset("employee", n_emp, "xlsx")
    f = run("filter", x, e, repeat)
    kb = f["extra"]["largest_chart_kb"]
    rows.append(Row(f"filter change: Overview figures ({n_emp:,} employees too)", n_big, "this project", f["seconds"],
                    target="≤ 0.3 s", ok=max(f["seconds"]) <= 0.3, peak_mb=f["peak_mb"],
                    note=f"lib only (summary + department table); largest chart spec {kb:.1f} KB (target < 200 KB)"))
    rows[-1].ok = rows[-1].ok and kb < 200
    rows.append(themes_row(2_000 if tiny else 20_000, repeat))
    rows += source_rows(tiny, repeat)
    rows.append(startup(1 if tiny else repeat))
    if not tiny:  # the tiny app table runs on its own (--app --tiny; tests/test_bench.py), as it takes a minute
        rows += app_rows(tiny, repeat)
    if tiny:  # the targets are for the full sizes
        for r in rows:
            r.ok = None
    return rows


def source_rows(tiny: bool, repeat: int) -> list[Row]:
    """Customer answers counted where they live, and a large CSV upload by both paths (:mod:`bench.sources`)."""
    from . import sources

    return sources.rows(tiny, repeat, Row) + sources.upload_rows(tiny, repeat, Row)


def app_rows(tiny: bool, repeat: int) -> list[Row]:
    """Each user action in Chromium on 150 clinics, 500,000 customer answers and 20,000 employees (:mod:`bench.app`)."""
    from . import app

    browser = _browser()
    try:
        return app.rows(tiny, repeat, Row, browser)
    finally:
        if browser:
            browser.close()
            _PLAYWRIGHT[0].stop()


def themes_row(n: int, repeat: int) -> Row:
    """Comment themes (sv/fi/en): seconds for ``n`` comments, and the agreement with the hand-labelled corpus."""
    t = run("themes", n, repeat)
    agree = t["extra"]["agreement"]

    def pr(table: dict) -> str:
        return ", ".join(f"{k} {p:.2f}/{r:.2f}" for k, (p, r) in table.items())

    def mean(table: dict, j: int) -> float:
        return statistics.mean(v[j] for v in table.values())

    note = (f"dictionaries loaded once per process: {t['extra']['load_seconds']:.1f} s (not in the time); "
            f"codebook precision/recall per theme: {pr(agree['codebook'])}; mean {mean(agree['codebook'], 0):.2f}/"
            f"{mean(agree['codebook'], 1):.2f}; NMF alone (Hungarian-mapped) mean {mean(agree['nmf'], 0):.2f}/"
            f"{mean(agree['nmf'], 1):.2f}")
    row = Row("comment themes: language, lemmas, codebook, score by theme, keyness, NMF", n, "this project",
              t["seconds"], target="< 10 s", peak_mb=t["peak_mb"], note=note)
    row.ok = max(t["seconds"]) < 10
    return row


def render(rows: list[Row]) -> str:
    head = ["work", "rows", "who", "median s", "min–max s", "× reference", "peak MB", "target", "ok", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.figure, f"{r.rows:,}" if r.rows else "–", r.side, f"{r.median:.3f}",
                 f"{min(r.seconds):.3f}–{max(r.seconds):.3f}", f"{r.ratio:.2f}" if r.ratio is not None else "–",
                 f"{r.peak_mb:,.0f}" if r.peak_mb else "–", r.target or "–", {True: "yes", False: "NO", None: ""}[r.ok],
                 r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    from importlib.metadata import version

    with open("/proc/cpuinfo") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
    with open("/proc/meminfo") as fh:
        mem = next((int(line.split()[1]) // 1024 // 1024 for line in fh if line.startswith("MemTotal")), 0)
    libs = ", ".join(f"{p} {version(p)}" for p in ("pandas", "pyarrow", "fastexcel", "polars", "duckdb"))
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB, Python {platform.python_version()}, {platform.system()}; {libs}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a few thousand rows, to show it works")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--sources", action="store_true", help="only the customer answers counted where they live")
    parser.add_argument("--app", action="store_true", help="only the app-level table: each action in Chromium")
    args = parser.parse_args()
    if args.app:
        rows = app_rows(args.tiny, args.repeat)
    elif args.sources:
        rows = source_rows(args.tiny, args.repeat)
    else:
        rows = measure(args.tiny, args.repeat)
    if args.tiny:
        for r in rows:
            r.ok = None
    print(f"Machine: {machine()}")
    print(render(rows))
    if any(r.ok is False for r in rows):
        print("Some targets were missed (see 'ok').")


if __name__ == "__main__":
    main()
