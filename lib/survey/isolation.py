"""Parsing in a separate process, with a time limit.

The app hands each upload to a short-lived worker process. If a crafted or
broken file makes a parser spin or exhaust memory, the worker is stopped (or
dies) and the user gets one sentence — the server and every other session carry
on. Workers are forked from a clean fork server that has already imported the
engine, so starting one costs milliseconds, not an import.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.spawn
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from lib import errors
from lib.i18n import msg
from lib.detect.roles import Detection

DEFAULT_SECONDS = 120.0
WORKER_NAME = "survey-parse"


def _preparation_data(name: str, _original=mp.spawn.get_preparation_data) -> dict:
    """multiprocessing's start data, without the "main module" for our workers.

    A worker normally re-imports the parent's ``__main__`` first. Under Streamlit
    that is the app script itself (the script runner installs it as ``__main__``),
    so every worker would re-run the whole app before parsing. Our worker needs
    nothing from ``__main__``: its target lives in this module.
    """
    data = _original(name)
    if name.startswith(WORKER_NAME):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


mp.spawn.get_preparation_data = _preparation_data  # type: ignore[assignment]


@dataclass
class Parsed:
    detection: Detection | None
    survey: object | None  # lib.survey.frame.Survey
    error: errors.SurveyError | None


def _context() -> mp.context.BaseContext:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["lib.survey.frame", "lib.detect.roles", "lib.read.table"])
    return ctx


def parse_here(data: bytes, name: str, *, kind: str | None = None, sheet: str | int | None = None,
               columns: dict[str, str] | None = None, scales: dict[str, str] | None = None,
               encoding: str | None = None, other_units: tuple[str, ...] = (), header_row: int | None = None,
               part: dict[str, str] | None = None, part_optional: bool = False) -> Parsed:
    """The same steps in this process (for the bundled sample): :func:`lib.survey.frame.prepare`, then tidy."""
    from lib.survey.frame import prepare, tidy

    columns = columns or {}
    detection = None
    try:
        if kind in (None, "customer") and not part and header_row is None and sheet is None:
            large = _large_csv(data, name, columns, scales, encoding, other_units)  # counted by DuckDB
            if large is not None:
                return Parsed(large.detection, large, None)
        table, detection = prepare(data, name, kind=kind, sheet=sheet, columns=columns, scales=scales,
                                   encoding=encoding, other_units=other_units, header_row=header_row, part=part,
                                   part_optional=part_optional)
        return Parsed(detection, tidy(table, detection, name), None)
    except errors.SurveyError as exc:
        return Parsed(detection, None, exc)
    except MemoryError:
        return Parsed(detection, None, errors.UnreadableFileError(
            msg("“{name}” needs more memory than the server allows; export fewer responses.", name=name)))


def _large_csv(data: bytes, name: str, columns: dict[str, str], scales: dict[str, str] | None, encoding: str | None,
               other_units: tuple[str, ...]):
    """A customer CSV too large for the pandas path, counted by DuckDB (:func:`lib.survey.aggregate.from_csv_upload`);
    None for any other file."""
    from pathlib import Path

    from lib.survey.aggregate import LARGE_CSV_BYTES, from_csv_upload

    if isinstance(data, Path):
        if data.stat().st_size < LARGE_CSV_BYTES:
            return None
        data = data.read_bytes()
    return from_csv_upload(data, name, columns=columns, scales=scales, encoding=encoding, other_units=other_units)


def _work(conn: Connection, data: bytes, name: str, kind: str | None, sheet: str | int | None,
          columns: dict[str, str], scales: dict[str, str], encoding: str | None, other_units: tuple[str, ...],
          header_row: int | None = None, part: dict[str, str] | None = None, part_optional: bool = False) -> None:
    try:
        conn.send(parse_here(data, name, kind=kind, sheet=sheet, columns=columns, scales=scales, encoding=encoding,
                             other_units=other_units, header_row=header_row, part=part, part_optional=part_optional))
    finally:
        conn.close()


def parse(data: bytes, name: str, *, kind: str | None = None, sheet: str | int | None = None,
          columns: dict[str, str] | None = None, scales: dict[str, str] | None = None, encoding: str | None = None,
          other_units: tuple[str, ...] = (), seconds: float = DEFAULT_SECONDS, header_row: int | None = None,
          part: dict[str, str] | None = None, part_optional: bool = False) -> Parsed:
    """Read, detect and tidy ``data`` in a worker process; never longer than ``seconds``."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_work, args=(send, data, name, kind, sheet, columns or {}, scales or {}, encoding,
                                             tuple(other_units), header_row, dict(part or {}) or None, part_optional),
                         daemon=True,
                         name=f"{WORKER_NAME}-{name[:40]}")
    worker.start()
    send.close()
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return Parsed(None, None, errors.UnreadableFileError(
                    msg("Reading “{name}” took longer than {seconds:.0f} seconds and was stopped; export fewer responses "
                        "or fewer columns and try again.", name=name, seconds=seconds)))
            if not receive.poll(min(left, 0.2)):
                if not worker.is_alive() and not receive.poll(0):
                    return Parsed(None, None, errors.UnreadableFileError(
                        msg("Reading “{name}” failed: the reader stopped unexpectedly (the file may be too large or "
                            "damaged); export it again.", name=name)))
                continue
            try:
                return receive.recv()
            except EOFError:
                return Parsed(None, None, errors.UnreadableFileError(
                    msg("Reading “{name}” failed: the reader stopped unexpectedly (the file may be too large or "
                        "damaged); export it again.", name=name)))
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
        worker.join(timeout=5)
