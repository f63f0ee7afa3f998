"""One measurement, run in a fresh process so its peak memory is its own (one run per process in ``python -m bench``).

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
    from lib.figures.summary import summarize
    from lib.survey.frame import load_survey

    survey = load_survey(path, path.name, kind=kind)  # as the command line does
    return summarize(survey if kind == "customer" else None, survey if kind == "employee" else None)


# ------------------------------------------------------------- peers and floor
#
# Each reads the same file as the project does, the way its documentation shows,
# into an Arrow table or DataFrame; nothing more.


def fastexcel_read(path: Path, sheet: str):
    import fastexcel

    return fastexcel.read_excel(str(path)).load_sheet(sheet, eager=True)


def polars_xlsx(path: Path, sheet: str):
    import polars as pl

    return pl.read_excel(path, sheet_name=sheet, engine="calamine")


def _duckdb():
    import glob
    import os

    import duckdb
    import duckdb_extension_excel

    con = duckdb.connect()
    folder = os.path.dirname(duckdb_extension_excel.__file__)
    con.execute(f"LOAD '{glob.glob(folder + '/extensions/*/excel.duckdb_extension')[0]}'")
    return con


def duckdb_xlsx(path: Path, sheet: str):
    return _duckdb().execute("SELECT * FROM read_xlsx(?, sheet = ?, header = false, all_varchar = true)",
                             [str(path), sheet]).fetch_arrow_table()


def inflate(path: Path, sheet: str):
    """The floor for a workbook: inflating the sheet's XML, and nothing else."""
    import zipfile

    n = 0
    with zipfile.ZipFile(path) as z, z.open("xl/worksheets/sheet1.xml") as part:
        while chunk := part.read(1 << 24):
            n += len(chunk)
    return n


def pyarrow_csv(path: Path):
    import pyarrow.csv as pacsv

    return pacsv.read_csv(path)


def polars_csv(path: Path):
    import polars as pl

    return pl.read_csv(path, infer_schema_length=10_000)


def duckdb_csv(path: Path):
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        width = len(next(csv.reader(fh)))
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return _duckdb().execute(f"SELECT * FROM read_csv(?, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                             f"header = false, columns = {columns})", [str(path)]).fetch_arrow_table()


def read_bytes(path: Path):
    """The floor for a text export: reading its bytes."""
    return len(path.read_bytes())


PEERS = {"fastexcel": fastexcel_read, "polars_xlsx": polars_xlsx, "duckdb_xlsx": duckdb_xlsx, "inflate": inflate,
         "pyarrow_csv": pyarrow_csv, "polars_csv": polars_csv, "duckdb_csv": duckdb_csv, "bytes": read_bytes}


# ------------------------------------------------------------ filter change


def filter_change(customer_path: Path, employee_path: Path, repeat: int) -> dict:
    """Re-compute everything the Overview shows for several department filters."""
    from lib.present import breakdowns, charts
    from lib.figures.filters import Filters
    from lib.figures.summary import Settings, summarize
    from lib.survey.frame import load_survey

    c = load_survey(customer_path, customer_path.name, kind="customer")
    e = load_survey(employee_path, employee_path.name, kind="employee")
    depts = c.departments
    rng = np.random.default_rng(1)
    choices = [frozenset(rng.choice(depts, size=k, replace=False)) for k in (1, 3, 8, 20)] + [None]
    times: list[float] = []
    settings = Settings()
    summarize(c, e, Filters(), settings)  # the Overview as it first shows, before any filter is changed
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


CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "comments_corpus.csv"


def themes_corpus() -> list[dict[str, str]]:
    import csv

    with open(CORPUS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def themes_agreement(rows: list[dict[str, str]]) -> dict[str, object]:
    """The codebook's and NMF's agreement with the corpus's hand labels, per theme (precision, recall)."""
    from lib.figures import themes as T

    book = T.Codebook.starter()
    truth = [[t for t in r["themes"].split(";") if t] for r in rows]
    predicted: list[list[str]] = [[] for _ in rows]
    for side in ("customer", "employee"):
        idx = [i for i, r in enumerate(rows) if r["side"] == side]
        coded = T.code([rows[i]["text"] for i in idx], book.for_side(side))
        for j, i in enumerate(idx):
            predicted[i] = coded.themes_of(j)
    together = T.code([r["text"] for r in rows], book)
    return {"codebook": {a.theme: [a.precision, a.recall] for a in T.agreement(predicted, truth, book.keys)},
            "nmf": {a.theme: [a.precision, a.recall] for a in T.nmf_agreement(together, truth, book.keys)}}


def themes_speed(n: int, repeat: int) -> dict:
    """Comment themes for ``n`` comments made from the corpus (one or two of its sentences in one language):
    language, lemmas, codebook themes, the NPS of each theme's writers against the rest, keyness and NMF
    suggestions. The dictionaries are loaded (and timed) first: once per process."""
    from lib.figures import themes as T

    rows = themes_corpus()
    t = time.perf_counter()
    T.code([r["text"] for r in rows], T.Codebook.starter())
    load = time.perf_counter() - t
    rng = np.random.default_rng(7)
    texts, scores = [], []
    for _ in range(n):
        a, b = rng.integers(len(rows), size=2)
        if rows[a]["lang"] != rows[b]["lang"] or rows[a]["side"] != rows[b]["side"] or rng.random() < 0.5:
            b = a
        texts.append(rows[a]["text"] if a == b else f"{rows[a]['text']} {rows[b]['text']}")
        scores.append(float(rows[a]["score"]))
    book = T.Codebook.starter()
    secs, report = timed(lambda: T.analyse(texts, book, "en", 5, np.array(scores), "nps", side="both"), repeat)
    return {"seconds": secs, "extra": {"load_seconds": load, "themes": len(report.themes),
                                       "agreement": themes_agreement(rows)}}


def warm_up(name: str) -> None:
    """Import what a measurement uses (and run ours once on the bundled sample), so each side times its own work only."""
    from lib.sample import SAMPLE_DIR

    if name in ("summary", "filter"):
        summary_path(SAMPLE_DIR / "customer_survey.xlsx")
    elif name.endswith("xlsx") or name == "fastexcel":
        __import__("polars" if name.startswith("polars") else "duckdb" if name.startswith("duckdb") else "fastexcel")
    elif name.endswith("csv"):
        __import__({"pyarrow_csv": "pyarrow.csv", "polars_csv": "polars", "duckdb_csv": "duckdb"}[name])


def main(argv: list[str]) -> None:
    name, *args = argv
    repeat = int(args[-1])
    warm_up(name)
    if name == "summary":
        secs, res = timed(lambda: summary_path(Path(args[0]), args[1]), repeat)
        out = {"seconds": secs, "extra": {"rows": res.customer.total_rows if res.customer else res.employee.total_rows}}
    elif name in PEERS:
        secs, _ = timed(lambda: PEERS[name](Path(args[0]), *args[1:-1]), repeat)
        out = {"seconds": secs}
    elif name == "filter":
        out = filter_change(Path(args[0]), Path(args[1]), repeat)
    elif name == "themes":
        out = themes_speed(int(args[0]), repeat)
    else:
        raise SystemExit(f"unknown measurement {name}")
    out["peak_mb"] = peak_mb()
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
