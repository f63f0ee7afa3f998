"""Customer answers read where they live: a folder or glob of Parquet or CSV files, a DuckDB file, a PostgreSQL
table or query, or any database Ibis connects to; and a large CSV upload handed to DuckDB's own reader.

Nothing here loads every answer into Python. A :class:`Source` opens an Ibis table expression in its engine (DuckDB,
embedded, for files; the database's own for the rest) and gives two things back:

* :func:`sample`: the first :data:`lib.detect.roles.SAMPLE_ROWS` rows, as a :class:`lib.read.table.Table` the same
  detection reads as it reads a file's first rows;
* :func:`counts`: one ``GROUP BY`` over the columns asked for, computed in the engine: a table with one row per
  distinct combination of their values and ``n``, how many answers share it. A date column is cut to its day in
  the engine, so the table stays small however many answers there are.

DuckDB's extensions are never downloaded while running: every connection opened here has automatic installing
switched off. Parquet and CSV are built into the ``duckdb`` package; an extension it needs besides comes from the
package index as ``duckdb-extension-NAME`` of the same version (the benchmark's excel peer is one).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

from lib.errors import OptionError, UnreadableFileError
from lib.i18n import msg
from lib.read.headers import HeaderLayout
from lib.read.table import Table

#: The column of :func:`counts` that holds how many answers share a row.
COUNT = "__answers"
#: URI schemes read by DuckDB's own readers.
FILE_SCHEMES = ("", "file")
_ISO_DAY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
#: Seconds between two calls of the waiting callback while the engine works.
POLL_SECONDS = 0.25
#: Called with the seconds so far while an engine counts (:func:`waiting`); whatever it raises stops the count.
_WAITING: ContextVar[Callable[[float], None] | None] = ContextVar("source_waiting", default=None)


@contextlib.contextmanager
def waiting(callback: Callable[[float], None]) -> Iterator[None]:
    """While inside, every count in an engine calls ``callback(seconds so far)`` about every :data:`POLL_SECONDS`
    from the calling thread (the app shows progress there); an exception it raises (the app's Stop, a new choice)
    interrupts the engine's query and goes on to the caller."""
    token = _WAITING.set(callback)
    try:
        yield
    finally:
        _WAITING.reset(token)


def _interrupt(con: Any) -> None:
    """Ask the engine to stop the running query: DuckDB's ``interrupt()``, a PostgreSQL driver's ``cancel()``."""
    raw = getattr(con, "con", None)
    for name in ("interrupt", "cancel"):
        stop = getattr(raw, name, None)
        if callable(stop):
            with contextlib.suppress(Exception):
                stop()
            return


def cancellable(work: Callable[[], Any], con: Any) -> Any:
    """``work()`` run in a thread of its own while this thread waits, calling the :func:`waiting` callback; if that
    (or a Ctrl-C) raises, the engine is interrupted, the thread is given a moment to end, and the exception goes on.
    What ``work`` raises comes back as :class:`_EngineFailed` with it as the cause."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            result["error"] = exc

    worker = threading.Thread(target=run, name="engine-count", daemon=True)
    start = time.perf_counter()
    worker.start()
    callback = _WAITING.get()
    try:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            if worker.is_alive() and callback is not None:
                callback(time.perf_counter() - start)
    except BaseException:
        _interrupt(con)
        worker.join(5.0)
        raise
    if "error" in result:
        raise _EngineFailed from result["error"]
    return result["value"]


class _EngineFailed(Exception):
    """The engine's own error (its cause), told apart from what the waiting side raised."""


def _first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


@dataclass(frozen=True)
class Source:
    """Where customer answers live: ``uri`` (a path, folder or glob of .parquet/.csv files; ``duckdb:///file.duckdb``;
    ``postgres://user@host:5432/db``; any URI :func:`ibis.connect` takes) and, for a database, a ``table`` or a
    ``query`` (one of them). ``data`` holds an upload's bytes instead (a large CSV, counted by DuckDB in memory), with
    ``skip`` lines before the data, ``names`` the header's column names and ``keep`` the columns to read."""

    uri: str = ""
    table: str | None = None
    query: str | None = None
    data: bytes | None = None
    skip: int = 0
    names: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None
    keep: tuple[str, ...] = ()  # an upload's columns to read (none: all)

    def __post_init__(self) -> None:
        if self.table and self.query:
            raise OptionError(msg("Give a table or a query for “{source}”, not both.", source=self.name))
        if self.data is None and not self.uri.strip():
            raise OptionError(msg("The customer source is empty; give a folder, a file pattern or a database URI."))

    @property
    def name(self) -> str:
        """The source as a person reads it: the URI without its password, and the table or the query."""
        if self.data is not None:
            return "upload"
        shown = redact(self.uri)
        what = self.table or (" ".join(self.query.split())[:80] if self.query else "")
        return f"{shown} · {what}" if what else shown

    @property
    def key(self) -> str:
        """Everything that decides what the source holds, as one string (a cache key); never shown."""
        if self.data is not None:
            import hashlib

            return "upload:" + hashlib.sha256(self.data).hexdigest() + f"|{self.skip}|{self.names}|{self.keep}"
        return f"{self.uri}|{self.table}|{self.query}"


def redact(uri: str) -> str:
    """``uri`` without its password (``postgres://me:secret@db/x`` → ``postgres://me@db/x``)."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def _duckdb(path: str | None = None, read_only: bool = False):
    """An Ibis DuckDB connection that never downloads an extension."""
    import ibis

    con = ibis.duckdb.connect(path or ":memory:", read_only=read_only) if path else ibis.duckdb.connect()
    con.raw_sql("SET autoinstall_known_extensions = false")
    return con


def _files(uri: str) -> tuple[list[str], str]:
    """The files a path, folder or glob names, and their kind ("parquet" or "csv")."""
    path = uri[len("file://"):] if uri.startswith("file://") else uri
    path = os.path.expanduser(path)
    if os.path.isdir(path):
        found = sorted(glob.glob(os.path.join(path, "**", "*"), recursive=True))
    else:
        found = sorted(glob.glob(path, recursive=True))
    found = [f for f in found if os.path.isfile(f)]
    kinds = {f: "parquet" if f.lower().endswith((".parquet", ".pq")) else
             "csv" if f.lower().endswith((".csv", ".txt", ".csv.gz", ".tsv")) else "" for f in found}
    found = [f for f in found if kinds[f]]
    if not found:
        raise OptionError(msg("No .parquet or .csv file is at “{source}”; give a folder, a file or a pattern such as "
                              "exports/*.parquet.", source=uri))
    used = {kinds[f] for f in found}
    if len(used) > 1:
        raise OptionError(msg("“{source}” holds both Parquet and CSV files; give a pattern that names one kind, such as "
                              "{source}/*.parquet.", source=uri.rstrip("/")))
    return found, used.pop()


def _is_file_source(source: Source) -> bool:
    return urlsplit(source.uri).scheme in FILE_SCHEMES or re.match(r"^[A-Za-z]:[\\/]", source.uri) is not None


def open_source(source: Source):
    """(connection, Ibis table expression) of the source's answers; one sentence when it cannot be opened."""
    try:
        return _open(source)
    except OptionError:
        raise
    except Exception as exc:  # the engine's own error: its first line says what it found
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError(msg("The customer source “{source}” could not be read: {why}. Check its address, "
                                      "table or query.", source=source.name, why=first)) from exc


def _open(source: Source):
    if source.data is not None:
        return _open_upload(source)
    if _is_file_source(source):
        files, kind = _files(source.uri)
        con = _duckdb()
        if kind == "parquet":
            return con, con.read_parquet(files, union_by_name=True)
        return con, con.read_csv(files, union_by_name=True, all_varchar=True)
    if not source.table and not source.query:
        raise OptionError(msg("Name the table or give a query for “{source}” (--customer-table or --customer-query).",
                              source=source.name))
    scheme = urlsplit(source.uri).scheme.lower()
    if scheme == "duckdb":  # duckdb:///abs/path.duckdb, duckdb://relative.duckdb, duckdb://:memory:
        path = source.uri.split("://", 1)[1]
        con = _duckdb(path, read_only=True) if path.strip("/") not in ("", ":memory:") else _duckdb()
    else:
        import ibis

        con = ibis.connect(source.uri)
    if source.query:
        return con, con.sql(source.query)
    database = tuple(source.table.split(".")[:-1]) or None
    name = source.table.split(".")[-1]
    return con, con.table(name, database=database[0] if database and len(database) == 1 else database)


def _open_upload(source: Source):
    """An upload's CSV bytes streamed from memory (never written to disk) by Arrow's CSV reader into DuckDB, batch by
    batch: every value as text, as the upload's own reader gives it, from the first data line on, with the header's
    names, only the columns in ``keep``. (DuckDB's own CSV reader takes bytes in memory only through fsspec's Python
    callbacks.)"""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    con = _duckdb()
    names = list(source.names)
    keep = [n for n in names if n in source.keep] if source.keep else names
    reader = pacsv.open_csv(
        pa.BufferReader(source.data),
        read_options=pacsv.ReadOptions(skip_rows=source.skip, column_names=names, encoding=source.encoding or "utf8",
                                       block_size=8 << 20),
        parse_options=pacsv.ParseOptions(delimiter=source.delimiter or ",", newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in keep}, include_columns=keep,
                                             strings_can_be_null=True, quoted_strings_can_be_null=True))
    con.con.register("upload", pa.RecordBatchReader.from_batches(reader.schema, reader))
    return con, con.table("upload")


def sample(source: Source, rows: int) -> Table:
    """The source's first ``rows`` rows as a table the detection reads (column names as the engine gives them)."""
    _con, expr = open_source(source)
    try:
        frame = expr.limit(rows).to_pyarrow().to_pandas()
    except Exception as exc:
        raise UnreadableFileError(msg("The customer source “{source}” could not be read: {why}. Check its address, "
                                      "table or query.", source=source.name,
                                      why=str(exc).strip().splitlines()[0][:300])) from exc
    frame = as_text(frame)
    names = [str(c) for c in frame.columns]
    layout = HeaderLayout(0, 1, names, [None] * len(names), names)
    return Table(frame, np.arange(2, len(frame) + 2), layout, sheet=None, sheets=[], notes=[], header_row=1)


def as_text(frame: pd.DataFrame, keep_dates: bool = False) -> pd.DataFrame:
    """Every column as text, the way the file readers give cells: whole numbers without decimals (``10``, not
    ``10.0``), timestamps in ISO form, missing values missing; so an engine's typed columns are read as a file's are.
    Each distinct value is converted once; a column of counts (:func:`counts`) stays categorical, and with
    ``keep_dates`` its days (cut in the engine) stay dates."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        if keep_dates and pd.api.types.is_datetime64_any_dtype(col.dtype):
            out[name] = col
            continue
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        texts = [_text(v) for v in _values(uniques)]
        names = sorted({t for t in texts if t is not None})
        pos = {t: i for i, t in enumerate(names)}
        lookup = np.array([pos.get(t, -1) if t is not None else -1 for t in texts] + [-1], dtype=np.int32)
        out[name] = pd.Categorical.from_codes(lookup[codes], categories=pd.Index(names, dtype="string"))
    return pd.DataFrame(out, index=frame.index)


def _values(uniques) -> list:
    """Distinct values as Python objects; timestamps of a column that holds only midnights as dates."""
    if isinstance(uniques, pd.DatetimeIndex) or pd.api.types.is_datetime64_any_dtype(getattr(uniques, "dtype", None)):
        stamps = pd.DatetimeIndex(uniques)
        if (stamps == stamps.normalize()).all():
            return [s.date() for s in stamps]
        return [s.to_pydatetime() for s in stamps]
    return list(uniques)


def _text(value) -> str | None:
    import datetime as dt

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def day_of(column, iso_text: bool):
    """The engine's expression for a date column cut to its day: a timestamp's date; text that starts with an ISO
    date (``2025-03-01 14:02``), its first ten characters; other text as it is (read on in Python)."""
    import ibis.expr.datatypes as dt

    kind = column.type()
    if isinstance(kind, dt.Timestamp):
        return column.date()
    if isinstance(kind, dt.String) and iso_text:
        return column.strip().substr(0, 10)
    return column


def counts(source: Source, columns: list[str], day: str | None = None, iso_text: bool = False) -> pd.DataFrame:
    """One ``GROUP BY`` in the engine: one row per distinct combination of ``columns``' values (``day`` among them,
    cut to its day by :func:`day_of`), and :data:`COUNT`, the answers sharing it. Missing values form groups of
    their own, so no answer is lost."""
    con, expr = open_source(source)
    keys = {f"c{j}": (day_of(expr[c], iso_text) if c == day else expr[c]).name(f"c{j}") for j, c in enumerate(columns)}
    grouped = expr.group_by(list(keys.values())).aggregate(**{COUNT: expr.count()}) if keys else \
        expr.aggregate(**{COUNT: expr.count()})
    try:
        arrow = cancellable(grouped.to_pyarrow, con)
        frame = pd.DataFrame({name: _column(arrow[name]) for name in arrow.column_names})
    except _EngineFailed as failed:
        exc = failed.__cause__
        raise UnreadableFileError(msg("The customer source “{source}” could not be read: {why}. Check its address, "
                                      "table or query.", source=source.name, why=_first_line(exc))) from exc
    frame.columns = [*columns, COUNT] if keys else [COUNT]
    return frame


def _column(array) -> pd.Series:
    """A column of the counts: days as datetimes, everything else dictionary-encoded (few distinct values)."""
    import pyarrow as pa

    if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
        return pd.Series(array.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
    if pa.types.is_dictionary(array.type):
        return array.to_pandas()
    return array.combine_chunks().dictionary_encode().to_pandas() if array.num_chunks else array.to_pandas()


def iso_dates(values: pd.Series) -> bool:
    """Whether a text column's sample values all start with an ISO date (so the engine may cut them to the day)."""
    text = values.dropna().astype(str)
    return bool(len(text)) and bool(text.str.match(_ISO_DAY).all())


def named_sources(config: object) -> dict[str, Source]:
    """The sources an installation names in ``.streamlit/secrets.toml`` (``[sources.NAME]`` tables with ``uri`` and
    ``table`` or ``query``), by name; a table without ``uri`` is passed over."""
    out = {}
    for name, spec in dict(config or {}).items():
        spec = dict(spec) if hasattr(spec, "keys") else {}
        if str(spec.get("uri", "")).strip():
            out[str(name)] = Source(str(spec["uri"]), spec.get("table") or None, spec.get("query") or None)
    return out
