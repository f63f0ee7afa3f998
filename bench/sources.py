"""Customer answers counted where they live: Parquet folders of 1 M, 10 M and 50 M answers through DuckDB, beside
DuckDB's own GROUP BY on the same files (the floor) and the upload path where it still fits; a large CSV upload by
the pandas path and by DuckDB side by side; a filter change and a period change on the largest table in the library.

``python -m bench.sources NAME ARGS… REPEAT`` runs one measurement in its own process and prints one JSON line, as
:mod:`bench.measure` does; :func:`rows` runs them all for ``python -m bench``.

The answers are generated once into ``bench/.cache/answers_N/`` (Parquet, five million answers a file): 150
clinics, two years of days, three channels, the recommend answer 0–10 (one in a hundred blank) and a status
column (one in a thousand a preview), typed as a warehouse holds them (the date a timestamp, the answer an
integer).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from .data import CACHE

CLINICS = [f"Clinic {region} {i}" for region in ("North", "South", "East", "West", "Central") for i in range(1, 31)]
CHANNELS = ["Visit", "Phone", "Video"]
SCORE = "How likely is it that you would recommend us to a friend or colleague?"
PART = 5_000_000


def answers(n: int) -> Path:
    """The folder of ``n`` answers in Parquet (written once, a part at a time, so memory stays one part's)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = CACHE / f"answers_{n}"
    done = folder / "_done"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(25)
    start = np.datetime64("2024-01-01T07:00", "s")
    for j, first in enumerate(range(0, n, PART)):
        m = min(PART, n - first)
        clinic = rng.integers(0, len(CLINICS), m)
        score = np.clip(np.round(rng.normal(7.0 + (clinic % 9) * 0.2, 2.3, m)), 0, 10).astype(np.int8)
        blank = rng.random(m) < 0.01
        table = pa.table({
            "Status": pa.array(np.where(rng.random(m) < 0.001, "Survey Preview", "IP Address")).dictionary_encode(),
            "RecordedDate": pa.array(start + rng.integers(0, 730 * 86400 - 12 * 3600, m).astype("timedelta64[s]")),
            "Clinic": pa.DictionaryArray.from_arrays(pa.array(clinic.astype(np.int16)), pa.array(CLINICS)),
            "Channel": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 3, m).astype(np.int8)),
                                                     pa.array(CHANNELS)),
            SCORE: pa.array(score, mask=blank),
        })
        pq.write_table(table, folder / f"part-{j:03d}.parquet", row_group_size=1_000_000)
    done.write_text(str(n))
    return folder


def answers_csv(n: int) -> Path:
    """The same answers as one CSV export (the dates as text, as an export writes them)."""
    import pyarrow.csv as pacsv
    import pyarrow.dataset as ds

    path = CACHE / f"answers_{n}.csv"
    if path.exists():
        return path
    table = ds.dataset(answers(n)).to_table()
    table = table.set_column(1, "RecordedDate", table["RecordedDate"].cast("string"))
    tmp = path.with_suffix(".part")
    pacsv.write_csv(table, tmp)
    tmp.rename(path)
    return path


# ------------------------------------------------------------------ measurements (each in its own process)


def overview(folder: Path):
    """Source to the Overview's figures: the counts in DuckDB, the survey tidied from them, the summary and the
    department table."""
    from lib.figures.summary import summarize
    from lib.present import breakdowns
    from lib.read.sources import Source
    from lib.survey.aggregate import load_source

    survey = load_source(Source(str(folder)))
    s = summarize(survey, None)
    breakdowns.department_report(s)
    return survey, s


def floor(folder: Path):
    """DuckDB's own GROUP BY on the same files, to an Arrow table: the floor the project can approach."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    return con.execute(f"SELECT \"Clinic\", CAST(\"RecordedDate\" AS DATE) AS day, \"Channel\", \"Status\", \"{SCORE}\", "
                       f"count(*) AS n FROM read_parquet('{folder}/*.parquet') GROUP BY ALL").fetch_arrow_table()


def upload_pandas(path: Path):
    """The upload path as it was: the file read whole into pandas, then tidied and summarised."""
    from lib.figures.summary import summarize
    from lib.survey import aggregate
    from lib.survey.isolation import parse_here

    aggregate.LARGE_CSV_BYTES = 1 << 62
    parsed = parse_here(path.read_bytes(), path.name, kind="customer")
    if parsed.error is not None:
        REFUSED.append(str(parsed.error))
    return summarize(parsed.survey, None)


def upload_duckdb(path: Path):
    """The same upload counted by DuckDB from memory (:func:`lib.survey.aggregate.from_csv_upload`)."""
    from lib.figures.summary import summarize
    from lib.survey import aggregate
    from lib.survey.isolation import parse_here

    aggregate.LARGE_CSV_BYTES, aggregate.PANDAS_ROWS = 1, 0
    parsed = parse_here(path.read_bytes(), path.name, kind="customer")
    return summarize(parsed.survey, None)


REFUSED: list[str] = []  # why the pandas path refused a file (it is too large for it)


def changes(folder: Path, repeat: int) -> dict:
    """After the Overview: a filter change (clinics and a channel) and a period change (one quarter), in the
    library, on the table of counts."""
    import datetime as dt

    from lib.figures.filters import Filters
    from lib.figures.summary import summarize
    from lib.present import breakdowns

    survey, _s = overview(folder)
    rng = np.random.default_rng(3)
    units = survey.departments
    filters = [Filters(departments=frozenset(rng.choice(units, 5, replace=False)),
                       segments=(("Channel", frozenset({"Phone"})),)), Filters(departments=frozenset(units[:30])),
               Filters()]
    quarters = [Filters(since=dt.date(2024, m, 1), until=dt.date(2024 + (m + 2) // 12, (m + 2) % 12 + 1, 1)
                        - dt.timedelta(days=1)) for m in (1, 4, 7, 10)]
    out: dict[str, list[float]] = {"filter": [], "period": []}
    for _ in range(repeat):
        for key, views in (("filter", filters), ("period", quarters)):
            for view in views:
                t = time.perf_counter()
                breakdowns.department_report(summarize(survey, None, view))
                out[key].append(time.perf_counter() - t)
    return {"seconds": out["filter"], "extra": {"period": out["period"], "counted_rows": len(survey.frame),
                                                 "answers": survey.kept}}


def _timed(fn, repeat: int) -> list[float]:
    import gc

    secs = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        secs.append(time.perf_counter() - t)
    return secs


def main(argv: list[str]) -> None:
    from .measure import peak_mb

    name, target, repeat = argv[0], Path(argv[1]), int(argv[2])
    import ibis  # noqa: F401  (imported before the clock starts, as a running app has it)

    work = {"overview": lambda: overview(target), "floor": lambda: floor(target),
            "upload_pandas": lambda: upload_pandas(target), "upload_duckdb": lambda: upload_duckdb(target)}
    out = changes(target, repeat) if name == "changes" else {"seconds": _timed(work[name], repeat)}
    out["peak_mb"] = peak_mb()
    if REFUSED:
        out["refused"] = REFUSED[0]
    sys.stdout.write(json.dumps(out) + "\n")


# ------------------------------------------------------------------ the rows of `python -m bench`


def _sub(name: str, target: Path, repeat: int) -> dict:
    import subprocess

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "bench.sources", name, str(target), str(repeat)], cwd=root,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"bench: {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rounds(sides: dict[str, tuple[str, Path]], repeat: int) -> dict[str, dict]:
    """Each side once per round, in turn, each run in a fresh process (peak memory is one run's)."""
    got: dict[str, list[dict]] = {k: [] for k in sides}
    for _ in range(repeat):
        for key, (name, target) in sides.items():
            got[key].append(_sub(name, target, 1))
    return {k: {"seconds": [o["seconds"][0] for o in v], "peak_mb": max(o["peak_mb"] for o in v),
                "refused": v[0].get("refused")} for k, v in got.items()}


def rows(tiny: bool, repeat: int, row) -> list:
    """The rows of the sources table (``row`` is :class:`bench.__main__.Row`)."""
    sizes = (20_000, 100_000) if tiny else (1_000_000, 10_000_000, 50_000_000)
    upload_up_to = sizes[0]
    out = []
    for n in sizes:
        folder = answers(n)
        sides = {"ours": ("overview", folder), "floor": ("floor", folder)}
        if n <= upload_up_to:
            sides["upload"] = ("upload_pandas", answers_csv(n))  # accepted: at most 1,100,000 rows
        rounds = 1 if n == sizes[-1] and not tiny else repeat  # the largest once: the machine is shared
        got = _rounds(sides, rounds)
        ref = got["floor"]["seconds"]
        work = "source: Parquet folder to the Overview's figures"
        mine = row(work, n, "this project (DuckDB counts)", got["ours"]["seconds"], ref,
                   "≤ 1.5 × DuckDB's GROUP BY; peak < 1,000 MB", peak_mb=got["ours"]["peak_mb"])
        mine.ok = mine.ratio <= 1.5 and mine.peak_mb < 1000
        out.append(mine)
        out.append(row(work, n, "floor: DuckDB's GROUP BY alone", ref, ref, peak_mb=got["floor"]["peak_mb"]))
        if "upload" in got:
            out.append(row(work, n, "the upload path (CSV read whole by pandas)", got["upload"]["seconds"], ref,
                           peak_mb=got["upload"]["peak_mb"], note="the same answers as one CSV file"))
    largest = answers(sizes[-1])
    c = _sub("changes", largest, 1 if not tiny else repeat)
    note = f"lib only: summary + department table on {c['extra']['counted_rows']:,} counted rows"
    r = row("source: filter change (clinics, a channel)", sizes[-1], "this project", c["seconds"], target="≤ 0.3 s",
            peak_mb=c["peak_mb"], note=note)
    r.ok = max(r.seconds) <= 0.3
    p = row("source: period change (one quarter)", sizes[-1], "this project", c["extra"]["period"], target="≤ 0.3 s",
            peak_mb=c["peak_mb"], note=note)
    p.ok = max(p.seconds) <= 0.3
    return out + [r, p]


def upload_rows(tiny: bool, repeat: int, row) -> list:
    """A customer CSV upload by the pandas path and by DuckDB, side by side, at sizes around the switch."""
    out = []
    for n in ((20_000,) if tiny else (100_000, 1_000_000, 3_000_000)):
        path = answers_csv(n)
        got = _rounds({"pandas": ("upload_pandas", path), "duckdb": ("upload_duckdb", path)}, repeat)
        ref = got["pandas"]["seconds"]
        work = f"upload: customer CSV ({path.stat().st_size / 1e6:,.0f} MB) to the summary"
        refused = got["pandas"]["refused"]
        out.append(row(work, n, "pandas path (read whole)", ref, ref, peak_mb=got["pandas"]["peak_mb"],
                       note=f"refused: {refused}" if refused else ""))
        duck = row(work, n, "DuckDB path (counted from memory)", got["duckdb"]["seconds"], ref,
                   peak_mb=got["duckdb"]["peak_mb"])
        out.append(duck)
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
