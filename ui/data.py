"""Loading the surveys of this session through :func:`lib.load.load`, with the parsed files and the stacked waves
kept per session (keyed on the files' content and the choices), and this run's summary."""

from __future__ import annotations

import datetime as dt
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import streamlit as st

from lib import load as loading
from lib.errors import SurveyError, UnreadableFileError
from lib.figures.filters import Filters, date_range, segment_values
from lib.figures.summary import Settings, Summary, make_link, summarize
from lib.figures.themes import Codebook, ThemeReport, comment_report
from lib.i18n import _, msg
from lib.load import Loaded, Request
from lib.read import sources
from lib.read.sources import Source, named_sources
from lib.survey import isolation
from lib.survey.frame import Survey
from lib.survey.isolation import Parsed

from . import state

__all__ = ["Context", "Loaded", "build_context"]

log = logging.getLogger(__name__)
T = TypeVar("T")


PARSE_TTL = 2 * 3600  # seconds a parsed file is kept after it was parsed (then parsed again from the upload)
MAX_PARSED = 48  # readings kept per session: 16 files, each also read with the other survey's unit names, and spares
MAX_STACKED = 8  # stacked surveys kept per session (customer and employee, with and without the other's unit names)


def source_refresh_seconds() -> float:
    """How long counts from a database stay before they are counted again: ``sources_refresh_minutes`` in
    ``.streamlit/secrets.toml`` (default 60)."""
    try:
        return 60.0 * float(st.secrets.get("sources_refresh_minutes", 60))
    except (FileNotFoundError, ValueError, TypeError):
        return 3600.0


def configured_sources() -> dict[str, Source]:
    """The customer sources named in ``.streamlit/secrets.toml`` (``[sources.NAME]``); none without the file, and none,
    with the sentence that says why on the page, when an entry cannot be used (both a table and a query, say)."""
    try:
        return named_sources(st.secrets.get("sources", {}))
    except FileNotFoundError:
        return {}
    except SurveyError as exc:
        st.error(str(exc))
        return {}


def _count(request: Request) -> Parsed:
    f = request.file
    return loading.parse_source(f.data, columns=dict(f.columns), scales=dict(f.scales),  # type: ignore[arg-type]
                                other_units=request.other_units)


@st.cache_resource(scope="session", ttl=source_refresh_seconds(), max_entries=8, show_spinner=False)
def _counted(key: str, _request: Request, _done: Parsed | None = None) -> Parsed:
    """A customer source's counts, kept in this session (every cache of the app is the session's own) until
    :func:`source_refresh_seconds` have passed or :func:`count_again` is asked for. Filters and page changes work
    from the kept counts and never go back to the engine. ``_done``: counts made outside the cache, with progress on
    the page (:func:`_count_on_page`), to keep."""
    return _done if _done is not None else _count(_request)


def _count_on_page(request: Request, box) -> Parsed:  # type: ignore[no-untyped-def]
    """Count in the engine while the status box says for how long; the app's Stop (or a new choice) interrupts the
    engine's query (:func:`lib.read.sources.waiting`)."""
    note = box.empty()

    def progress(seconds: float) -> None:
        note.caption(_("Counting for {seconds} s; press Stop at the top right to cancel.").format(
            seconds=int(seconds)))

    with sources.waiting(progress):
        done = _count(request)
    note.empty()
    return done


def count_again() -> None:
    """Drop this session's kept counts: the next run counts them again in their engines, with the status box."""
    _counted.clear()
    for f in state.files().values():
        if isinstance(f.data, Source):
            state.forget_read(Request(f, f.use if f.use in loading.KINDS else None).key)


@st.cache_resource(scope="session", ttl=PARSE_TTL, max_entries=MAX_PARSED, show_spinner=False)
def _parsed(key: str, _request: Request, trusted: bool, _done: Parsed | None = None) -> Parsed:
    """One file read with these choices, kept in this session's own cache (``key`` names content and choices).

    Uploads are parsed in a worker process with a time limit; the bundled sample is trusted and read
    in-process, so the first page is quick. Nothing here draws on the page: cached calls replay what they draw.
    ``_done``: the reading made outside the cache (:func:`read_ahead`), to keep.
    """
    if _done is not None:
        return _done
    f = _request.file
    if trusted:
        return isolation.parse_here(f.data, f.name, **_request.options())
    return isolation.parse(f.data, f.name, **_request.options())


def parse(request: Request) -> Parsed:
    """:func:`lib.load.load`'s ``parse`` in the app: once per session and set of choices; the first read of an
    upload shows a status box; an error of ours becomes a message, never a traceback."""
    key, name, trusted = request.key, request.file.name, state.using_sample()
    try:
        counting = isinstance(request.file.data, Source)  # answers where they live: counted in their engine
        if trusted or not state.first_read(key):
            return _counted(key, request) if counting else _parsed(key, request, trusted)
        with st.status((_("Counting the answers in “{name}” where they live…") if counting else _("Reading “{name}”…")
                        ).format(name=name), expanded=counting) as box:
            try:
                result = _counted(key, request, _count_on_page(request, box)) if counting else \
                    _parsed(key, request, trusted)
            except BaseException:  # stopped (or a new choice): the next run reads it again, with its status box
                state.forget_read(key)
                raise
            box.update(label=_("Read “{name}”").format(name=name), state="error" if result.error else "complete")
        return result
    except Exception:  # a bug of ours: say so plainly, keep the rest of the app working
        log.exception("failed to read %s", name)
        return Parsed(None, None, UnreadableFileError(msg(
            "“{name}” could not be read because of an error in the explorer; please report it with the file's "
            "layout.", name=name)))


@st.cache_resource(scope="session", ttl=PARSE_TTL, max_entries=MAX_STACKED, show_spinner=False)
def _stacked(key: str, _files: tuple[Loaded, ...]) -> Survey:
    """Several files of one survey as one, a wave each (kept per session: the privacy groups hang on it)."""
    return loading.stack_waves(list(_files))


def read_ahead(files: list[state.UploadedSurvey]) -> None:
    """Two or more uploads this session has not read yet are read side by side, each in its own worker process
    (:func:`lib.survey.isolation.parse`, with its time limit), as many at once as the machine has cores; the readings
    are kept as :func:`parse` keeps them, so loading then finds them. One status box says how far it is."""
    if state.using_sample():
        return
    todo = [request for request in (Request(f, f.use if f.use in loading.KINDS else None) for f in files
                                    if not isinstance(f.data, Source)) if not state.was_read(request.key)]
    if len(todo) < 2:
        return

    def read(request: Request) -> Parsed:
        try:
            return isolation.parse(request.file.data, request.file.name, **request.options())  # type: ignore[arg-type]
        except Exception:  # a bug of ours: the file is read again, one by one, where the message is made
            log.exception("failed to read %s ahead", request.file.name)
            return Parsed(None, None, None)

    with st.status(_("Reading {n} files side by side…").format(n=len(todo))) as box:
        with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
            results = list(pool.map(read, todo))
        failed = False
        for request, result in zip(todo, results):
            if result.survey is None and result.error is None:
                continue
            _parsed(request.key, request, False, result)
            state.first_read(request.key)
            failed = failed or result.error is not None
        box.update(label=_("Read {n} files").format(n=len(todo)), state="error" if failed else "complete")


def stack(files: list[Loaded]) -> Survey:
    """:func:`lib.load.load`'s ``stacker`` in the app, keyed on the files' readings (content and choices)."""
    return _stacked("||".join(item.key for item in files), tuple(files))


@dataclass
class Context:
    """What every page of this run works from."""

    loaded: list[Loaded]
    customer: Survey | None
    employee: Survey | None
    summary: Summary | None
    filters: Filters
    settings: Settings
    departments: list[str] = field(default_factory=list)
    dates: tuple[dt.date, dt.date] | None = None
    segments: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None
    key: str = ""  # names this view: the files' readings, the choices, the filters and the language (see :func:`kept`)


def _choices() -> loading.Choices:
    """This session's thresholds, mapping and linkage measures."""
    customer_measure, employee_measure = state.link_measures()
    unit, level = state.focus()
    return loading.Choices(state.min_group(), state.min_customers(), state.min_comments(), state.floor(), state.comment_seed(),
                           tuple(sorted(state.mapping().items())), customer_measure, employee_measure,
                           state.organisation(), unit, level)


def _refused(found: loading.Loading) -> str | None:
    """The choices the files do not hold, as one message; the measures go back to the defaults for the next run. A
    unit or level the organisation lacks goes back to the files' units, with a note (not this message)."""
    state.settle_focus(found.settings.hierarchy, found.focus_refused is not None)
    refused = [exc for exc in found.refused if exc is not found.focus_refused]
    if not refused:
        return None
    state.keep_valid_link_measures([found.settings.customer_measure], [found.settings.employee_measure])
    return " ".join(str(exc) for exc in refused)


MAX_KEPT = 160  # results kept per session by :func:`kept`: a page's few figures for each of several recent views


@st.cache_resource(scope="session", ttl=PARSE_TTL, max_entries=MAX_KEPT, show_spinner=False)
def _kept(key: str, _work: Callable[..., object], _args: tuple[object, ...]) -> object:
    return _work(*_args)


def kept(ctx: Context, name: str, work: Callable[..., T], *args: object, extra: object = ()) -> T:
    """``work(*args)``, worked out once per session for this view (:attr:`Context.key`: the same files, choices,
    filters and language) under ``name``; ``extra`` names whatever else the result depends on (a widget's value).
    Only what a view determines is kept this way: a page's rerun that changes none of these does no work again.
    While the release ledger records, every run works everything out again, so each release is recorded."""
    return _keep(ctx.key, name, work, args, extra)


def _keep(key: str, name: str, work: Callable[..., T], args: tuple[object, ...], extra: object = ()) -> T:
    from lib.privacy import ledger

    if ledger.active():
        return work(*args)
    return _kept("|".join((key, name, repr(extra))), work, args)  # type: ignore[return-value]


def view_key(loaded: list[Loaded], filters: Filters, settings: Settings) -> str:
    """:attr:`Context.key` for these readings (each file's content, choices and use, and the reading itself), filters
    and settings in this session's language."""
    from lib.privacy.ledger import survey_id  # one name per reading: a source counted again is a new one

    readings = [f"{item.key}|{item.file.use}|{survey_id(item.survey) if item.survey is not None else ''}"
                for item in loaded]
    return "|".join([*readings, repr(filters), repr(settings), str(settings.comment_seed), state.language()])


def comments_of(ctx: Context, side: str, book: Codebook, language: str, suggest: bool = False) -> ThemeReport | None:
    """:func:`lib.figures.themes.comment_report` of this view, worked out once per session for the same files,
    choices, filters, codebook and language (the themes of many thousand comments take seconds); with the new themes
    NMF suggests only when ``suggest`` (the topic model is most of a first visit's time)."""
    return kept(ctx, "comments", comment_report, ctx.summary, side, book, language, suggest,
                extra=(side, book, language, suggest))


def build_context() -> Context:
    """Load every file, pick the customer and employee survey, and summarise with the sidebar's filters."""
    files = list(state.files().values())
    read_ahead(files)
    try:
        found = loading.load(files, _choices(), parse=parse, stacker=stack)
    except SurveyError as exc:
        return Context([Loaded(f) for f in files], None, None, None, Filters(), Settings(), error=str(exc))
    loaded, customer, employee, settings = found.loaded, found.customer, found.employee, found.settings
    if found.error is not None:
        return Context(loaded, None, None, None, Filters(), settings, error=str(found.error))
    ranges = [r for r in (date_range(s) for s in (customer, employee) if s is not None) if r]
    dates = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
    segments: dict[str, list[str]] = {}
    for s in (customer, employee):
        if s is not None:
            for col, vals in segment_values(s).items():
                segments[col] = sorted(set(segments.get(col, [])) | set(vals))
    chosen = state.date_range()
    since = until = None
    if chosen and dates and (chosen[0] > dates[0] or chosen[1] < dates[1]):
        since, until = chosen
    try:
        filters = Filters(
            departments=frozenset(state.selected_departments()) or None,
            since=since, until=until,
            segments=tuple((c, frozenset(v)) for c, v in state.segment_choices().items() if c in segments),
        )
    except SurveyError as exc:
        return Context(loaded, customer, employee, None, Filters(), settings, error=str(exc))
    key = view_key(loaded, filters, settings)
    summary = _keep(key, "summary", summarize, (customer, employee, filters, settings)) if (customer or employee) \
        else None
    link = summary.link if summary else make_link(customer, employee, settings)  # type: ignore[union-attr]
    names = [n for n in link.names if n not in link.outside]  # a unit's view offers only its own units
    return Context(loaded, customer, employee, summary, filters, settings, names, dates, segments,  # type: ignore[arg-type]
                   error=_refused(found), key=key)
