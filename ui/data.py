"""Loading the surveys of this session (cached on content hashes) and this run's summary."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import streamlit as st

from lib.errors import SurveyError
from lib.filters import Filters, date_range, segment_values
from lib.i18n import _
from lib.reading import read_table
from lib.roles import Detection, apply_overrides, detect_roles
from lib.summary import Settings, Summary, make_link, summarize
from lib.survey import Survey, tidy

from . import state

log = logging.getLogger(__name__)


# Parsing is cached per session on the file's content hash and the choices made about it; entries are
# bounded in number and size and expire. Parsed surveys also stay in this session's state, so a rerun
# (every click) reuses the object instead of unpickling a copy.
CACHE = {"max_entries": 8, "max_size": "1GB", "ttl": "2h", "show_spinner": False, "scope": "session"}


@st.cache_data(**CACHE)
def _detection(digest: str, _data: bytes, name: str, sheet: str | None, kind: str | None,
               columns: tuple[tuple[str, str], ...]) -> Detection:
    table = read_table(_data, name, sheet)
    return apply_overrides(detect_roles(table, kind), table, dict(columns), kind)


@st.cache_data(**CACHE)
def _survey(digest: str, _data: bytes, name: str, sheet: str | None, kind: str | None,
            columns: tuple[tuple[str, str], ...]) -> Survey:
    table = read_table(_data, name, sheet)
    detection = apply_overrides(detect_roles(table, kind), table, dict(columns), kind)
    return tidy(table, detection, name, dict(columns))


def _survey_with_progress(f: state.UploadedSurvey, kind: str | None, cols: tuple[tuple[str, str], ...]) -> Survey:
    """The first read of a file shows its steps: reading, detecting columns, computing."""
    with st.status(_("Reading “{name}”…").format(name=f.name), expanded=False) as box:
        box.write(_("Reading the file"))
        table = read_table(f.data, f.name, f.sheet)
        box.write(_("Detecting columns"))
        detection = apply_overrides(detect_roles(table, kind), table, dict(cols), kind)
        box.write(_("Computing figures"))
        survey = tidy(table, detection, f.name, dict(cols))
        box.update(label=_("Read “{name}”").format(name=f.name), state="complete")
    return survey


@dataclass
class Loaded:
    """One file after reading: its survey, or the message saying why it could not be used."""

    file: state.UploadedSurvey
    survey: Survey | None = None
    detection: Detection | None = None
    error: str | None = None

    @property
    def kind(self) -> str | None:
        if self.file.use in ("customer", "employee"):
            return self.file.use
        if self.file.use == "unused":
            return None
        return self.detection.kind if self.detection else None


def load(f: state.UploadedSurvey) -> Loaded:
    """Read one file (progress shown the first time); errors become a message, never a traceback."""
    kind = f.use if f.use in ("customer", "employee") else None
    cols = tuple(sorted(f.columns.items()))
    key = f"{f.digest}|{f.sheet}|{kind}|{cols}"
    survey = state.parsed(key)
    try:
        if survey is None:
            if state.using_sample():
                survey = _survey(f.digest, f.data, f.name, f.sheet, kind, cols)
            else:
                survey = _survey_with_progress(f, kind, cols)
            state.keep_parsed(key, survey)
        return Loaded(f, survey, survey.detection)
    except SurveyError as exc:
        detection = None
        try:
            detection = _detection(f.digest, f.data, f.name, f.sheet, kind, cols)
        except Exception:  # the read itself failed; the message says why
            pass
        return Loaded(f, None, detection, str(exc))
    except Exception:  # a bug of ours: say so plainly, keep the rest of the app working
        log.exception("failed to read %s", f.name)
        return Loaded(f, None, None, _("“{name}” could not be read because of an error in the explorer; "
                                         "please report it with the file's layout.").format(name=f.name))


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


def _pick(loaded: list[Loaded], kind: str) -> Survey | None:
    for item in loaded:
        if item.survey is not None and item.kind == kind:
            return item.survey
    return None


def build_context() -> Context:
    """Load every file, pick the customer and employee survey, and summarise with the sidebar's filters."""
    loaded = [load(f) for f in state.files().values()]
    customer, employee = _pick(loaded, "customer"), _pick(loaded, "employee")
    try:
        settings = Settings(state.min_group(), mapping=tuple(sorted(state.mapping().items())))
    except SurveyError as exc:
        return Context(loaded, customer, employee, None, Filters(), Settings(), error=str(exc))
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
    summary = summarize(customer, employee, filters, settings) if (customer or employee) else None
    names = list(make_link(customer, employee, settings).names)
    return Context(loaded, customer, employee, summary, filters, settings, names, dates, segments)
