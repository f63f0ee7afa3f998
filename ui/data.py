"""Loading the surveys of this session (cached on content hashes) and this run's summary."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import streamlit as st

from lib.survey import isolation
from lib.errors import SurveyError
from lib.figures.filters import Filters, date_range, segment_values
from lib.i18n import _
from lib.survey.isolation import Parsed
from lib.detect.roles import Detection
from lib.survey.stacking import in_date_order, stack
from lib.figures.summary import Settings, Summary, make_link, summarize
from lib.survey.frame import Survey

from . import state

log = logging.getLogger(__name__)


PARSE_TTL = 2 * 3600  # seconds a parsed file is kept after it was parsed (then parsed again from the upload)
MAX_PARSED = 6  # parsed files kept per session


@st.cache_resource(scope="session", ttl=PARSE_TTL, max_entries=MAX_PARSED, show_spinner=False)
def _parsed(key: str, _f: state.UploadedSurvey, kind: str | None, cols: tuple[tuple[str, str], ...],
            other_units: tuple[str, ...], trusted: bool) -> Parsed:
    """One file parsed with these choices, kept in this session's own cache (``key`` names file and choices).

    Uploads are parsed in a worker process with a time limit; the bundled sample is trusted and read
    in-process, so the first page is quick. Nothing here draws on the page: cached calls replay what they draw.
    """
    options = {"kind": kind, "sheet": _f.sheet, "columns": dict(cols), "scales": dict(_f.scales),
               "encoding": _f.encoding, "other_units": other_units}
    if trusted:
        return isolation.parse_here(_f.data, _f.name, **options)
    return isolation.parse(_f.data, _f.name, **options)


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


def load(f: state.UploadedSurvey, other_units: tuple[str, ...] = ()) -> Loaded:
    """Read one file, once per session and set of choices; errors become a message, never a traceback.

    Parsed files live in Streamlit's session-scoped cache (keyed by the content hash and the choices),
    so no other session can reach them and they go when the session ends. The first read of an upload
    shows a status box.
    """
    kind = f.use if f.use in ("customer", "employee") else None
    cols = tuple(sorted(f.columns.items()))
    key = f"{f.digest}|{f.sheet}|{kind}|{cols}|{sorted(f.scales.items())}|{f.encoding}|{other_units}"
    trusted = state.using_sample()
    try:
        if trusted or not state.first_read(key):
            result = _parsed(key, f, kind, cols, other_units, trusted)
        else:
            with st.status(_("Reading “{name}”…").format(name=f.name), expanded=False) as box:
                result = _parsed(key, f, kind, cols, other_units, trusted)
                box.update(label=_("Read “{name}”").format(name=f.name), state="error" if result.error else "complete")
    except Exception:  # a bug of ours: say so plainly, keep the rest of the app working
        log.exception("failed to read %s", f.name)
        return Loaded(f, None, None, _("“{name}” could not be read because of an error in the explorer; "
                                         "please report it with the file's layout.").format(name=f.name))
    return Loaded(f, result.survey, result.detection, str(result.error) if result.error else None)


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


@st.cache_resource(scope="session", max_entries=4, show_spinner=False)
def _stacked(key: str, _surveys: tuple[Survey, ...]) -> Survey:
    """Several files of one survey as one, a wave each (kept per session: the privacy groups hang on it)."""
    return stack(in_date_order(list(_surveys)))


def _pick(loaded: list[Loaded], kind: str) -> Survey | None:
    """The survey of this kind: one file, or every file of it stacked as waves (:mod:`lib.survey.stacking`)."""
    surveys = tuple(item.survey for item in loaded if item.survey is not None and item.kind == kind)
    if len(surveys) <= 1:
        return surveys[0] if surveys else None
    return _stacked("|".join(str(id(s)) for s in surveys), surveys)


def build_context() -> Context:
    """Load every file, pick the customer and employee survey, and summarise with the sidebar's filters."""
    loaded = [load(f) for f in state.files().values()]
    try:
        customer, employee = _pick(loaded, "customer"), _pick(loaded, "employee")
    except SurveyError as exc:
        return Context(loaded, None, None, None, Filters(), Settings(), error=str(exc))
    if customer is not None and employee is not None and customer.has_units != employee.has_units:
        # the survey without a unit column: look for one by the other survey's unit names
        lacking, other = (customer, employee) if employee.has_units else (employee, customer)
        loaded = [load(item.file, other.unit_names) if item.survey is lacking else item for item in loaded]
        try:
            customer, employee = _pick(loaded, "customer"), _pick(loaded, "employee")
        except SurveyError as exc:
            return Context(loaded, None, None, None, Filters(), Settings(), error=str(exc))
    hme = next((item.file.hme for item in loaded if item.survey is not None and item.kind == "employee"), {})
    statements = {i.name for i in employee.items} if employee is not None else set()
    try:
        settings = Settings(state.min_group(), mapping=tuple(sorted(state.mapping().items())),
                            min_comments=state.min_comments(), floor=state.floor(), comment_seed=state.comment_seed(),
                            hme=tuple(sorted((c, col) for c, col in hme.items() if not col or col in statements)),
                            customer_measure=state.link_measures()[0], employee_measure=state.link_measures()[1])
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
    names = list((summary.link if summary else make_link(customer, employee, settings)).names)
    return Context(loaded, customer, employee, summary, filters, settings, names, dates, segments)
