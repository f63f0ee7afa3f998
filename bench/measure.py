"""One measurement, run in a fresh process so its peak memory is its own.

``python -m bench.measure NAME ARGS…`` prints one JSON line:
``{"seconds": [...], "peak_mb": …, "extra": {...}}``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from collections.abc import Callable

import numpy as np
import pandas as pd


def peak_mb() -> float:
    """The process's peak resident memory (VmHWM) in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    """Seconds of each run; the previous run's result is dropped first, so peak memory is one run's."""
    import gc

    out: list[float] = []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        t = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t)
    return out, result


# ----------------------------------------------------------------- our path


def summary_path(path: Path, kind: str = "customer"):
    """The whole `summary` path: read, detect, normalise, compute."""
    from lib.summary import summarize
    from lib.survey import load_survey

    survey = load_survey(path, path.name, kind=kind)  # as the command line does
    return summarize(survey if kind == "customer" else None, survey if kind == "employee" else None)


# ---------------------------------------------------------------- baselines


def openpyxl_read(path: Path):
    return pd.read_excel(path, engine="openpyxl")


NPS_LABELS = {"10 - Extremely likely": 10, "0 - Not at all likely": 0}
AGREE = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}


def naive_summary(path: Path):
    """What a hand-written script does: read_csv, then walk the rows, mapping labels in Python."""
    df = pd.read_csv(path)
    nps_col = [c for c in df.columns if "recommend" in c][0]
    items = [c for c in df.columns if df[c].astype(str).isin(AGREE.keys()).mean() > 0.5]
    counts: dict[str, list[float]] = {}
    for row in df[["Department", nps_col, *items]].itertuples(index=False, name=None):
        dept, v, *labels = row
        v = NPS_LABELS.get(v, v)
        try:
            v = float(v)
        except (TypeError, ValueError):
            continue
        acc = counts.setdefault(dept, [0, 0, 0, 0.0, 0])
        acc[0] += 1
        acc[1] += v >= 9
        acc[2] += v <= 6
        points = [AGREE[x] for x in labels if x in AGREE]
        if points:
            acc[3] += sum(points) / len(points)
            acc[4] += 1
    return {d: (100 * (a[1] - a[2]) / a[0], a[3] / a[4] if a[4] else None) for d, a in counts.items()}


# ------------------------------------------------------------ filter change


def filter_change(customer_path: Path, employee_path: Path, repeat: int) -> dict:
    """Re-compute everything the Overview shows for several department filters."""
    from lib import breakdowns, charts
    from lib.filters import Filters
    from lib.summary import Settings, summarize
    from lib.survey import load_survey

    c = load_survey(customer_path, customer_path.name, kind="customer")
    e = load_survey(employee_path, employee_path.name, kind="employee")
    depts = c.departments
    rng = np.random.default_rng(1)
    choices = [frozenset(rng.choice(depts, size=k, replace=False)) for k in (1, 3, 8, 20)] + [None]
    times: list[float] = []
    settings = Settings()
    for _ in range(repeat):
        for chosen in choices:
            t = time.perf_counter()
            s = summarize(c, e, Filters(departments=chosen), settings)
            breakdowns.department_report(s)
            times.append(time.perf_counter() - t)
    s = summarize(c, e, Filters(), settings)
    points = breakdowns.linkage_points(s)
    specs = {
        "nps_by_department": charts.nps_by_department(breakdowns.nps_by_department(s)),
        "nps_shares": charts.nps_shares(breakdowns.nps_shares(s)),
        "score_distribution": charts.score_distribution(breakdowns.score_distribution(s)),
        "nps_trend": charts.nps_trend(breakdowns.nps_trend(s, "M")),
        "engagement": charts.engagement_by_department(breakdowns.engagement_by_department(s), 5),
        "enps": charts.enps_by_department(breakdowns.engagement_by_department(s)),
        "heatmap": charts.item_heatmap(breakdowns.item_favorability(s), "favorable_pct", 5),
        "diverging": charts.item_diverging(breakdowns.item_distribution(s)),
        "scatter": charts.linkage_scatter(points, breakdowns.fitted_line(points)),
        "drivers": charts.drivers(breakdowns.drivers(s)),
    }
    sizes = {k: charts.spec_size(v) for k, v in specs.items()}
    return {"seconds": times, "extra": {"largest_chart_kb": max(sizes.values()) / 1024, "charts": sizes,
                                        "customer_rows": len(c.frame), "employee_rows": len(e.frame)}}


def warm_up(name: str) -> None:
    """Import and run what a measurement uses once on the bundled sample, so the timings are of steady work."""
    from lib.sample import SAMPLE_DIR

    sample = SAMPLE_DIR / "customer_survey.xlsx"
    if name in ("summary", "filter"):
        summary_path(sample)
    elif name == "openpyxl":
        pd.read_excel(sample, engine="openpyxl", nrows=5)


def main(argv: list[str]) -> None:
    name, *args = argv
    repeat = int(args[-1])
    warm_up(name)
    if name == "summary":
        secs, res = timed(lambda: summary_path(Path(args[0]), args[1]), repeat)
        out = {"seconds": secs, "extra": {"rows": res.customer.total_rows if res.customer else res.employee.total_rows}}
    elif name == "openpyxl":
        secs, _ = timed(lambda: openpyxl_read(Path(args[0])), repeat)
        out = {"seconds": secs}
    elif name == "naive_csv":
        secs, _ = timed(lambda: naive_summary(Path(args[0])), repeat)
        out = {"seconds": secs}
    elif name == "filter":
        out = filter_change(Path(args[0]), Path(args[1]), repeat)
    else:
        raise SystemExit(f"unknown measurement {name}")
    out["peak_mb"] = peak_mb()
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
