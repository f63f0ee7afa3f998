"""Customer answers read where they live (lib/read/sources.py, lib/survey/aggregate.py): a folder of CSV or Parquet
files, a DuckDB file and a real PostgreSQL server give every customer figure of the Summary exactly as an upload of
the same rows does: overall and per department, under filters, per period, the changes, the departments against the
rest, the score distribution, the trend and the linkage with the employee sample.

The PostgreSQL server is Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``), started in a temporary
folder on a loopback port by a fixture and stopped after; the tests that need it skip, saying why, when it is not
installed or cannot be started.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lib.figures import comparisons
from lib.figures.filters import Filters
from lib.figures.periods import by_period
from lib.figures.summary import Settings, summarize
from lib.load import File, load
from lib.present import breakdowns
from lib.read.sources import Source, redact
from lib.sample import TEXTS, customer_rows, sample_columns, sample_files, sample_mapping
from lib.survey.aggregate import load_source
from lib.survey.frame import load_survey

SCORE = "How likely is it that you would recommend us to a friend or colleague?"


def messy_answers(seed: int, n: int) -> pd.DataFrame:
    """Customer answers as an export holds them, every kind of value the reader treats specially: units spelt with
    stray spaces and case, blank units, timestamps with and without a time, blank and unreadable dates, preview and
    spam rows, blank, coded (99), labelled ("10 - Extremely likely") and out-of-scale answers, a segment with blanks."""
    rng = np.random.default_rng(seed)
    units = np.array(["North", "north ", "South", "  East  Side", "", "West", "Head Office"], dtype=object)
    start = np.datetime64("2024-01-01T00:00")
    minutes = rng.integers(0, 600 * 24 * 60, n)
    stamps = pd.Series(start + minutes.astype("timedelta64[m]")).dt.strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object)
    plain = rng.random(n) < 0.3
    stamps[plain] = [s[:10] for s in stamps[plain]]
    stamps[rng.random(n) < 0.02] = None
    stamps[rng.random(n) < 0.01] = "not a date"
    scores = rng.integers(0, 11, n).astype(object).astype(str)
    odd = rng.random(n)
    scores[odd < 0.04] = ""
    scores[(odd >= 0.04) & (odd < 0.06)] = "99"
    scores[(odd >= 0.06) & (odd < 0.08)] = "10 - Extremely likely"
    scores[(odd >= 0.08) & (odd < 0.09)] = "0 - Not at all likely"
    scores[(odd >= 0.09) & (odd < 0.095)] = "12"
    status = rng.choice(np.array(["IP Address", "IP Address", "IP Address", "Survey Preview", "Spam"], dtype=object), n)
    channel = rng.choice(np.array(["Phone", "Web", "Visit", None], dtype=object), n)
    return pd.DataFrame({"Response ID": [f"R_{seed}_{i:06d}" for i in range(n)], "Status": status,
                         "Recorded Date": stamps, "Clinic": rng.choice(units, n), "Channel": channel, SCORE: scores})


def sample_answers(seed: int = 7) -> pd.DataFrame:
    """The bundled sample's customer answers (the employee sample's departments), regenerated."""
    header, rows = customer_rows(np.random.default_rng(seed), TEXTS["en"])
    frame = pd.DataFrame(rows, columns=header)
    frame[header[5]] = frame[header[5]].map(lambda v: None if v is None else str(v))
    return frame


def as_upload(frame: pd.DataFrame, name: str = "answers.csv"):
    return load_survey(frame.to_csv(index=False).encode(), name, kind="customer")


def write_folders(frame: pd.DataFrame, root: Path, parts: int = 3) -> tuple[Path, Path]:
    """The answers as ``parts`` CSV files and as ``parts`` Parquet files (dates as timestamps there)."""
    csv_dir, pq_dir = root / "csv", root / "parquet"
    csv_dir.mkdir(parents=True, exist_ok=True)
    pq_dir.mkdir(parents=True, exist_ok=True)
    for j in range(parts):
        part = frame.iloc[j::parts]
        part.to_csv(csv_dir / f"part-{j}.csv", index=False)
        typed = part.copy()
        for col in typed.columns:
            parsed = pd.to_datetime(typed[col], errors="coerce", format="mixed") if "Date" in col or "time" in col \
                else None
            if parsed is not None and parsed.notna().sum() == typed[col].notna().sum():
                typed[col] = parsed  # a real timestamp column, as a warehouse holds it
        typed.to_parquet(pq_dir / f"part-{j}.parquet", index=False)
    return csv_dir, pq_dir


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, default=str, allow_nan=True)


def _customer_part(d: dict) -> dict:
    """The customer block of ``Summary.as_dict`` with what the source cannot carry taken out: its name, the row
    numbers and the notes (counts and reasons stay)."""
    c = dict(d["customer"])
    for key in ("file", "columns", "notes", "rows_read"):
        c.pop(key, None)
    c["skipped"] = {k: v["count"] for k, v in c["skipped"].items()}
    c["value_issues"] = sorted((i["column"], i["count"], i["why"]) for i in c["value_issues"])
    return c


def figures(customer, employee=None, filters: Filters | None = None, settings: Settings | None = None) -> dict:
    """Every customer figure the app and the command line show, for one filter."""
    s = summarize(customer, employee, filters or Filters(), settings or Settings(comment_seed=1))
    d = s.as_dict()
    out = {"customer": _customer_part(d), "departments": d["departments"], "linkage": d["linkage"],
           "distribution": breakdowns.score_distribution(s).to_dict("records"),
           "trend": breakdowns.nps_trend(s).to_dict("records"),
           "rest": [t.as_dict() for t in comparisons.versus_rest(s)]}
    months = by_period(customer, employee, filters or Filters(), settings or Settings(comment_seed=1), "quarter")
    out["periods"] = [(p.key, q.nps.as_dict() if q.nps else None, [x.as_dict() for x in q.departments]) for p, q in months]
    if len(months) >= 2:
        out["change"] = [t.as_dict() for t in comparisons.change(months[0][1], months[-1][1])]
    return out


def same_figures(upload, counted, employee=None, settings: Settings | None = None) -> None:
    """Every customer figure alike, unfiltered and under a department, a date and a segment filter."""
    units = [d for d in upload.departments][:2]
    dates = upload.frame["date"].dropna()
    middle = (dates.min() + (dates.max() - dates.min()) / 3).date()
    views = [Filters(), Filters(departments=frozenset(units)), Filters(since=middle),
             Filters(until=middle, segments=(("Channel", frozenset({"Phone", "Web"})),))]
    assert counted.kept == upload.kept and counted.total_rows == upload.total_rows
    assert len(counted.frame) <= len(upload.frame)
    for view in views:
        assert _canonical(figures(counted, employee, view, settings)) == _canonical(figures(upload, employee, view,
                                                                                            settings)), view


def test_folders_of_csv_and_parquet_give_the_uploads_figures_on_the_sample(tmp_path):
    """The sample's customer answers with the sample's employee survey: the linkage's customer side too."""
    answers = sample_answers()
    upload = as_upload(answers)
    language = "en"
    employee_path = sample_files(language)[1]
    settings = Settings(mapping=tuple(sample_mapping(language).items()), comment_seed=1)
    employee = load_survey(employee_path, employee_path.name, kind="employee", columns=sample_columns(language))
    csv_dir, pq_dir = write_folders(answers, tmp_path)
    for source in (Source(str(csv_dir)), Source(str(pq_dir / "*.parquet"))):
        counted = load_source(source)
        assert "weight" in counted.frame and len(counted.frame) < len(upload.frame)
        same_figures(upload, counted, employee, settings)
        assert figures(counted, employee, settings=settings)["linkage"]["departments"] >= 3


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(300, 3000), parts=st.integers(1, 4))
def test_messy_answers_read_where_they_live_give_the_uploads_figures(tmp_path_factory, seed, n, parts):
    answers = messy_answers(seed, n)
    upload = as_upload(answers)
    csv_dir, pq_dir = write_folders(answers, tmp_path_factory.mktemp("answers"), parts)
    for source in (Source(str(csv_dir)), Source(str(pq_dir))):
        counted = load_source(source)
        assert counted.skipped_counts() == upload.skipped_counts()
        same_figures(upload, counted)


def test_a_duckdb_file_by_table_and_by_query(tmp_path):
    import duckdb

    answers = messy_answers(3, 2500)
    path = tmp_path / "answers.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", answers)
        con.execute("CREATE TABLE answers AS SELECT * FROM frame")
    upload = as_upload(answers)
    same_figures(upload, load_source(Source(f"duckdb://{path}", table="answers")))
    query = "SELECT * FROM answers WHERE \"Channel\" = 'Phone'"
    narrowed = load_source(Source(f"duckdb://{path}", query=query))
    assert narrowed.kept == as_upload(answers[answers["Channel"] == "Phone"]).kept


def test_the_command_line_reads_a_source_as_it_reads_the_file(tmp_path, capsys):
    from lib.cli import main

    answers = sample_answers(3)
    path = tmp_path / "answers.csv"
    answers.to_csv(path, index=False)
    _csv_dir, pq_dir = write_folders(answers, tmp_path)
    assert main(["summary", "--customer", str(path), "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["summary", "--customer-source", str(pq_dir), "--json"]) == 0
    from_source = json.loads(capsys.readouterr().out)
    assert _customer_part(from_source) == _customer_part(from_file)
    assert from_source["departments"] == from_file["departments"]


@pytest.mark.parametrize("argv, says", [
    (["--customer-source", "/nowhere/at/all/*.parquet"], "No .parquet or .csv file"),
    (["--customer-table", "answers"], "need --customer-source"),
    (["--customer-source", "duckdb:///:memory:"], "Name the table or give a query"),
    (["--customer-source", "duckdb:///:memory:", "--customer-table", "nothing_here"], "could not be read"),
    (["--customer-source", "postgres://me:secret@127.0.0.1:1/db", "--customer-table", "t"], "could not be read"),
])
def test_a_source_that_cannot_be_read_is_one_sentence_and_status_2(argv, says, capsys):
    from lib.cli import main

    assert main(["summary", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "secret" not in err  # a password in the URI is never printed


def test_mixed_folders_and_both_table_and_query_are_refused(tmp_path):
    from lib.errors import OptionError

    (tmp_path / "a.csv").write_text("x\n1\n")
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(OptionError, match="both Parquet and CSV"):
        load_source(Source(str(tmp_path)))
    with pytest.raises(OptionError, match="not both"):
        Source("duckdb:///x.duckdb", table="t", query="select 1")
    assert redact("postgres://me:secret@db:5432/x") == "postgres://me@db:5432/x"


def test_roles_are_overridden_for_a_source_as_for_a_file(tmp_path):
    answers = messy_answers(5, 1500)
    _csv, pq_dir = write_folders(answers, tmp_path)
    counted = load_source(Source(str(pq_dir)), columns={"Channel": "department", "Clinic": "segment"})
    upload = load_survey(answers.to_csv(index=False).encode(), "a.csv", kind="customer",
                         columns={"Channel": "department", "Clinic": "segment"})
    assert counted.departments == upload.departments
    same_figures(upload, counted)


def test_the_loading_path_takes_a_source_beside_an_employee_file():
    language = "en"
    employee_path = sample_files(language)[1]
    with tempfile.TemporaryDirectory() as folder:
        _csv, pq_dir = write_folders(sample_answers(), Path(folder))
        found = load([File("answers", Source(str(pq_dir)), "customer"),
                      File(employee_path.name, employee_path, "employee", columns=sample_columns(language))])
        found.check()
    assert found.customer is not None and "weight" in found.customer.frame and found.employee is not None


# ------------------------------------------------------------------ a real PostgreSQL server


def _fill(uri: str, name: str, frame: pd.DataFrame) -> None:
    import ibis

    con = ibis.connect(uri)
    con.create_table(name, frame)
    con.disconnect()


def test_a_postgresql_table_and_query_give_the_uploads_figures(postgres):
    answers = messy_answers(11, 4000)
    _fill(postgres, "answers", answers)
    upload = as_upload(answers)
    same_figures(upload, load_source(Source(postgres, table="answers")))
    phone = load_source(Source(postgres, query="SELECT * FROM answers WHERE \"Channel\" = 'Phone'"))
    assert phone.kept == as_upload(answers[answers["Channel"] == "Phone"]).kept


def test_a_postgresql_table_with_typed_columns(postgres):
    """A warehouse's types: the date a timestamp, the answer an integer; the same figures as the text export."""
    answers = sample_answers(5)
    typed = answers.copy()
    typed["Completion time"] = pd.to_datetime(typed["Completion time"])
    score = typed[answers.columns[5]]
    numbers = pd.to_numeric(score.str.extract(r"^(\d+)")[0], errors="coerce").astype("Int64")
    typed[answers.columns[5]] = numbers
    _fill(postgres, "typed_answers", typed)
    as_text = typed.copy()
    as_text[answers.columns[5]] = numbers.astype("string")
    upload = as_upload(as_text)
    same_figures(upload, load_source(Source(postgres, table="typed_answers")))


def test_a_date_range_in_the_engine_is_cut_to_days():
    """The counts hold days: an answer at 23:59 and one at 00:01 the next day land in their own days."""
    frame = pd.DataFrame({"Clinic": ["A"] * 4, "Date": ["2025-01-01 23:59", "2025-01-02 00:01", "2025-01-02 12:00",
                                                          "2025-01-03"], SCORE: ["10", "0", "9", "5"]})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        frame.to_csv(path, index=False)
        counted = load_source(Source(str(path)))
    days = counted.frame.groupby(counted.frame["date"].dt.date)["weight"].sum()
    assert dict(days) == {dt.date(2025, 1, 1): 1, dt.date(2025, 1, 2): 2, dt.date(2025, 1, 3): 1}


@pytest.mark.parametrize("layout", ["qualtrics", "semicolon", "plain"])
def test_a_large_csv_upload_counted_by_duckdb_gives_the_pandas_paths_figures(monkeypatch, tmp_path, layout):
    """A customer CSV too large for the pandas path is counted by DuckDB; here the limits are lowered so that a
    small file takes that path: three header rows (Qualtrics), ';' between columns, or a plain export."""
    from lib.survey import aggregate
    from lib.survey.isolation import parse_here

    if layout == "qualtrics":
        from bench.data import dataset

        data = dataset("customer", 3000, "csv").read_bytes()  # the benchmark's export, cached in bench/.cache
    else:
        data = messy_answers(21, 3000).to_csv(index=False, sep=";" if layout == "semicolon" else ",").encode()
    ordinary = parse_here(data, "answers.csv", kind="customer")
    monkeypatch.setattr(aggregate, "LARGE_CSV_BYTES", 1)
    monkeypatch.setattr(aggregate, "PANDAS_ROWS", 10)
    counted = parse_here(data, "answers.csv", kind="customer")
    assert counted.error is None and "weight" in counted.survey.frame
    assert "weight" not in ordinary.survey.frame
    same_figures(ordinary.survey, counted.survey)
    employee = parse_here(sample_files("en")[1].read_bytes(), "employee.xlsx")
    assert "weight" not in employee.survey.frame  # a workbook, and an employee survey, are never counted


def test_the_app_reads_a_source_named_in_its_secrets(tmp_path):
    """The Data page offers the sources of .streamlit/secrets.toml; one chosen becomes the customer survey, with the
    same NPS as the upload of the same answers; the Overview does not count again on a filter change."""
    from streamlit.testing.v1 import AppTest

    answers = sample_answers(9)
    _csv, pq_dir = write_folders(answers, tmp_path)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.secrets["sources"] = {"Visits": {"uri": str(pq_dir)}}
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    at.selectbox(key="customer_source").set_value("Visits").run()
    assert not at.exception, at.exception
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    expected = summarize(as_upload(answers), None).nps.score
    assert next(m.value for m in at.metric if m.label == "Customer NPS") == f"{expected:.1f}"


def test_a_source_and_a_file_of_the_same_survey_stack_as_waves(tmp_path):
    """A wave counted where it lives beside a wave uploaded: the answers add up, rows left out by reason too."""
    first, second = messy_answers(31, 1200), messy_answers(32, 1500)
    _csv, pq_dir = write_folders(second, tmp_path)
    path = tmp_path / "first.csv"
    first.to_csv(path, index=False)
    found = load([File(path.name, path, "customer"), File("second", Source(str(pq_dir)), "customer")])
    found.check()
    one, two = as_upload(first), as_upload(second)
    assert found.customer.kept == one.kept + two.kept
    both = {k: one.skipped_counts().get(k, 0) + two.skipped_counts().get(k, 0)
            for k in {*one.skipped_counts(), *two.skipped_counts()}}
    assert found.customer.skipped_counts() == both
    s = summarize(found.customer, None)
    assert s.nps.n == one.kept + two.kept


class _Stopped(Exception):
    """What the app's Stop raises in the waiting thread (Streamlit's StopException, in the test our own)."""


@pytest.mark.parametrize("stop", [_Stopped, KeyboardInterrupt])  # the app's Stop; Ctrl-C on the command line
def test_a_long_count_is_interrupted_when_the_waiting_side_stops(tmp_path, stop):
    """A GROUP BY over five billion generated rows runs for minutes; the waiting callback sees the seconds go by, and
    when it raises, DuckDB's query is interrupted and the count ends within a few seconds, with the callback's
    exception."""
    import time

    import duckdb

    from lib.read import sources

    path = tmp_path / "huge.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE VIEW answers AS SELECT CAST(i % 11 AS VARCHAR) AS score, CAST(i % 997 AS VARCHAR) AS unit, "
                    "CAST(i % 7919 AS VARCHAR) AS extra FROM range(5000000000) t(i)")
    seen: list[float] = []

    def impatient(seconds: float) -> None:
        seen.append(seconds)
        if seconds > 0.6:
            raise stop

    start = time.perf_counter()
    with pytest.raises(stop), sources.waiting(impatient):
        sources.counts(Source(f"duckdb:///{path}", table="answers"), ["score", "unit", "extra"])
    assert time.perf_counter() - start < 8
    assert len(seen) >= 2 and seen == sorted(seen)


def test_a_count_without_a_waiting_side_returns_its_table(tmp_path):
    import duckdb

    from lib.read import sources

    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE answers AS SELECT CAST(i % 3 AS VARCHAR) AS score FROM range(30) t(i)")
    table = sources.counts(Source(f"duckdb:///{path}", table="answers"), ["score"])
    assert sorted(table[sources.COUNT].tolist()) == [10, 10, 10]
