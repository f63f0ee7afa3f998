"""Every session-state key of the app, and the typed accessors that use them.

No other module reads or writes ``st.session_state``: pages, the sidebar and
the widgets use the keys and accessors here. Uploaded bytes live here, in this
session's memory only: never on disk, never shared. Values from a shared link
are read here and checked; an invalid one is ignored with a note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st

from lib.privacy import groups as privacy
from lib.errors import OptionError
from lib.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, language_for, msg

if TYPE_CHECKING:
    from lib.setup import Setup

# --- keys -----------------------------------------------------------------
FILES = "files"                      # dict[digest, UploadedSurvey]
SAMPLE = "using_sample"              # True while the bundled sample data is shown
SAMPLE_LANGUAGE = "sample_language"  # the language of the sample files shown
MAPPING = "department_mapping"       # dict[name, name]
DEPARTMENTS = "filter_departments"   # widget: multiselect of department names
DATES = "filter_dates"               # widget: (start, end)
SEGMENTS = "filter_segments"         # dict[column, list[value]] (mirrors the segment widgets)
SEGMENT_WIDGET = "filter_segment::"  # widget key prefix, + column name
MIN_GROUP = "min_group"              # widget: anonymity threshold
MIN_COMMENTS = "min_comments"        # widget: threshold for showing employee comments
MIN_CUSTOMERS = "min_customers"      # widget: customer answers a department needs to count in the linkage
LANGUAGE = "language"                # widget: the sidebar's language choice ("en", "sv", "fi")
SEEDED = "seeded_from_link"          # query string read once per session
UPLOADER = "uploader"                # widget: file uploader
CONTEXT = "context"                  # this run's loaded surveys and summary (rebuilt every run)
PENDING_PAGE = "pending_page"        # a page asked for before the entry point had run
PENDING_QUERY = "pending_query"      # that page's link parameters (switching to the entry point drops them)
READ = "read_keys"                   # set[str]: files (with their choices) this session has read once
TREND_PERIOD = "trend_period"        # widget on the Customer NPS page
PERIOD = "period"                    # widget on the Over time page: week, month, quarter, half or year
CHANGE_FROM = "change_from"          # widgets on the Over time page: the two periods compared
CHANGE_TO = "change_to"
LAG = "lag"                          # widget on the Linkage page: 0, 1 or 2 periods
SETUP_UPLOADER = "setup_uploader"    # widget on the Data page: a saved analysis setup (JSON)
REPORT_ORGANISATION = "report_organisation"  # widget in the sidebar: the name on the deck's title slide
REPORT_TEMPLATE = "report_template"  # widget in the sidebar: a company .potx/.pptx for the deck
SETUP_ERROR = "setup_error"          # Msg: why the last setup could not be applied
CODEBOOK = "codebook"                # dict: the comment themes' codebook (lib.figures.themes.Codebook.as_dict)
COMMENT_SIDE = "comment_side"        # widget on the Comments page: "customer" or "employee"
COMMENT_THEME = "comment_theme"      # the theme whose comments the Comments page lists
COMMENT_SUGGEST = "comment_suggest"  # widget on the Comments page: suggest new themes (NMF) or not
CUSTOMER_COMMENTS_OPEN = "customer_comments_open"  # widget: the Customer NPS page's comments box is open
EMPLOYEE_COMMENTS_OPEN = "employee_comments_open"  # widget: the Engagement page's comments box is open
HEATMAP_VALUE = "heatmap_value"      # widget on the Engagement page
LINK_CUSTOMER = "link_customer"      # widget on the Linkage page: the customer measure ("nps", "nki")
LINK_EMPLOYEE = "link_employee"      # widget on the Linkage page: the employee measure ("engagement", "nmi", "hme")
MAPPING_EDITOR = "mapping_editor"    # widget on the Data page
COMMENT_SEED = "comment_seed"        # secret seed that shuffles comments, one per session
LINK_NOTES = "link_notes"            # list[Msg]: link values that were ignored, shown once
FILE_WIDGET = "{part}::{digest}"     # widgets of one uploaded file: use, sheet, encoding, roles, remove, …
TABLE_PAGE = "table_page::{table}"   # widget: the page of rows a long table shows
UNIT_SEARCH = "unit_search::{chart}"  # widget: a many-unit chart's search box
UNIT_ALL = "unit_all::{chart}"       # widget: a many-unit chart's "show all" toggle
BENCHMARK = "benchmark"              # widget on the Overview: a favourable % benchmark for the statements (0: none)
SOURCE = "customer_source"           # widget on the Data page: a customer source named in .streamlit/secrets.toml
ORGANISATION = "organisation"        # list[list[str]]: the organisation's [unit, parent(, e-mail)] rows (lib.setup)
ORGANISATION_UPLOADER = "organisation_uploader"  # widget on the Data page: an organisation file
ORGANISATION_ERROR = "organisation_error"  # Msg: why the last organisation file could not be used
ORGANISATION_NOTES = "organisation_notes"  # list[Msg]: rows of the last organisation file left out, by reason
ORGANISATION_BUILT = "organisation_built"  # (hash of the rows, Hierarchy): the organisation built once
FOCUS = "focus"                      # widget in the sidebar: "" (units as in the files), "level:N" or "unit:NAME"
STARTED = "started"                  # True once the entry point has run in this session (see through_entry)
SNAPSHOT = "snapshot"                # widget on Published results: the snapshot's id
SNAPSHOT_KEPT = "snapshot_kept"      # int: the snapshot last chosen there (the widget forgets it when its labels change)
SNAPSHOT_FOCUS = "snapshot_focus"    # widget on Published results (a lead): the organisation's view, as FOCUS
SNAPSHOT_UNITS = "snapshot_units"    # widget on Published results: the units shown (none chosen: all one may see)
SNAPSHOT_DATES = "snapshot_dates"    # widget on Published results, + "::" + the snapshot's id: (start, end)
SNAPSHOT_SEGMENT = "snapshot_segment::"  # widget key prefix on Published results, + segment column
PUBLISH_NAME = "publish_name"        # widget on Publish: the new snapshot's name
MANAGED = "managed_snapshot"         # widget on Publish: the snapshot to rename, withdraw, restore or delete
RENAME = "snapshot_rename"           # widget on Publish: its new name
DELETE_SURE = "snapshot_delete_sure"  # widget on Publish: the lead confirms a deletion
ACCESS_WHO = "access_who"            # widgets on Publish: an access line's address or group:NAME, role and units
ACCESS_ROLE = "access_role"
ACCESS_UNITS = "access_units"
ACCESS_REVOKE = "access_revoke"      # widget on Publish: the line to remove
ACCESS_UPLOADER = "access_uploader"  # widget on Publish: an access list as CSV
DONE = "done"                        # str: what the last action on the Publish page did, said once after its rerun


def file_key(part: str, digest: str) -> str:
    """The key of one of an uploaded file's widgets on the Data page."""
    return FILE_WIDGET.format(part=part, digest=digest)


def page_key(table: str) -> str:
    """The key of a long table's page chooser."""
    return TABLE_PAGE.format(table=table)


def unit_keys(chart: str) -> tuple[str, str]:
    """The keys of a many-unit chart's search box and "show all" toggle."""
    return UNIT_SEARCH.format(chart=chart), UNIT_ALL.format(chart=chart)


def widget(key: str) -> Any:
    """A widget's current value (a chart selection, an editor's edits, a select box), or None."""
    return st.session_state.get(key)


def start(key: str, value: Any) -> None:
    """A widget's first value, before the widget is drawn for the first time."""
    st.session_state.setdefault(key, value)


def start_among(key: str, options: list[Any], value: Any) -> None:
    """Like :func:`start`, and back to ``value`` when the kept value is no longer an option (the language
    changed a label, or the file changed)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = value


def sticky(key: str, kept: str, options: list[Any], default: Any) -> bool:
    """Set a select box's value before it is drawn to its last choice (kept under ``kept`` by :func:`keep_choice`),
    or ``default`` when that is no longer an option: a select box whose labels change with the language would
    otherwise forget it. False when a kept choice was dropped because it is gone."""
    chosen = st.session_state.get(kept)
    st.session_state[key] = chosen if chosen in options else default
    return chosen is None or chosen in options


def keep_choice(key: str, kept: str) -> None:
    """A select box's ``on_change``: keep its choice for :func:`sticky`."""
    st.session_state[kept] = st.session_state.get(key)


def keep_among(key: str, options: list[Any]) -> None:
    """Drop the values of a multiselect that are no longer options (another snapshot, another role)."""
    chosen = st.session_state.get(key)
    if chosen and any(c not in options for c in chosen):
        st.session_state[key] = [c for c in chosen if c in options]


def start_range(key: str, bounds: tuple[dt.date, dt.date]) -> None:
    """A date range widget's value, back to ``bounds`` when it is missing or reaches outside them."""
    current = st.session_state.get(key)
    if not (isinstance(current, tuple) and current and all(bounds[0] <= d <= bounds[1] for d in current)):
        st.session_state[key] = bounds


def language() -> str:
    value = str(st.session_state.get(LANGUAGE, DEFAULT_LANGUAGE))
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def init_language() -> str:
    """The session's language, chosen on its first run (before sign-in, whose texts it translates)."""
    if LANGUAGE not in st.session_state:
        st.session_state[LANGUAGE] = _first_language()
    return language()


def _first_language() -> str:
    """A new session's language: the link's ``lang``, else the browser's locale, else English."""
    asked = st.query_params.get("lang") or (st.session_state.get(PENDING_QUERY) or {}).get("lang", [None])[0]
    if asked in LANGUAGES:
        return str(asked)
    try:
        browser = st.context.locale
    except Exception:  # no browser behind this run (AppTest): English
        browser = None
    return language_for(browser) or DEFAULT_LANGUAGE


def link_measures() -> tuple[str, str]:
    """The linkage's customer and employee measures (NPS and the engagement index unless chosen)."""
    return str(st.session_state.get(LINK_CUSTOMER) or "nps"), str(st.session_state.get(LINK_EMPLOYEE) or "engagement")


def keep_valid_link_measures(customer: list[str], employee: list[str]) -> None:
    """Back to NPS and the engagement index when the chosen measure is not in the files (any more)."""
    ss = st.session_state
    if ss.get(LINK_CUSTOMER) not in customer:
        ss[LINK_CUSTOMER] = customer[0]
    if ss.get(LINK_EMPLOYEE) not in employee:
        ss[LINK_EMPLOYEE] = employee[0]


def set_date_range(value: tuple[dt.date, dt.date]) -> None:
    st.session_state[DATES] = value


@dataclass
class UploadedSurvey:
    """One file the user gave us, and the choices made about it."""

    name: str
    data: bytes = field(repr=False)
    digest: str
    use: str = "auto"                  # auto | customer | employee | unused
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # column -> role overrides
    scales: dict[str, str] = field(default_factory=dict)   # column -> scale overrides ("1-4")
    encoding: str | None = None                            # None: detected
    hme: dict[str, str] = field(default_factory=dict)      # HME code -> column ("": none), chosen on the Data page
    header_row: int | None = None                          # spreadsheet row of the header; None: found by the reader
    part: dict[str, str] = field(default_factory=dict)     # column -> value: only those rows are read (one question type)
    parts_offered: tuple[str, tuple[str, ...]] | None = None  # (column, its values) the reader offered to read one of

    def apply_edits(self, edits: dict, detected: dict[str, str], scales: dict[str, str]) -> None:
        """Keep the roles and scales a person changed in the Data page's column table.

        ``edits`` is the table's ``edited_rows`` ({row: {"role": …, "scale": …}}); ``detected`` and
        ``scales`` are what the reader chose, by column, in the table's row order. Setting a value
        back to the reader's choice drops the override.
        """
        names = list(detected)
        for row, change in edits.items():
            name = names[int(row)]
            if "role" in change:
                if change["role"] == detected[name]:
                    self.columns.pop(name, None)
                else:
                    self.columns[name] = change["role"]
            if "scale" in change:
                text = str(change["scale"] or "").strip()
                if not text or text == scales.get(name, ""):
                    self.scales.pop(name, None)
                else:
                    self.scales[name] = text

    @staticmethod
    def from_bytes(name: str, data: bytes) -> UploadedSurvey:
        return UploadedSurvey(name, data, hashlib.sha256(data).hexdigest())


def init(sample: bool = True) -> None:
    """Defaults for a new session, the sample data (unless ``sample`` is False: a visitor who analyses no files),
    and filters from a shared link."""
    ss = st.session_state
    ss[STARTED] = True
    ss.setdefault(FILES, {})
    ss.setdefault(MAPPING, {})
    ss.setdefault(SEGMENTS, {})
    ss.setdefault(COMMENT_SEED, privacy.new_seed())
    ss.setdefault(LINK_NOTES, [])
    if sample and not ss[FILES] and ss.get(SAMPLE) is not False:
        load_sample()
    if not ss.get(SEEDED):
        ss[SEEDED] = True
        kept = ss.pop(PENDING_QUERY, None)
        if kept and not st.query_params:  # the link of a page asked for before the entry point had run
            st.query_params.from_dict(kept)
        _seed_from_query()


def load_sample() -> None:
    """The bundled sample surveys in the session's language (the same figures in every language)."""
    from lib.sample import sample_columns, sample_files, sample_mapping

    lang = language()
    files = {}
    for path, use in zip(sample_files(lang), ("customer", "employee")):
        f = UploadedSurvey.from_bytes(path.name, path.read_bytes())
        f.use = use
        if use == "employee":
            f.columns = sample_columns(lang)
        files[f.digest] = f
    st.session_state[FILES] = files
    st.session_state[MAPPING] = sample_mapping(lang)
    st.session_state[SAMPLE] = True
    st.session_state[SAMPLE_LANGUAGE] = lang


def follow_language_with_sample() -> None:
    """Show the sample in the newly chosen language: its department names change, so the filters start over."""
    ss = st.session_state
    if ss.get(SAMPLE) and ss.get(SAMPLE_LANGUAGE) != language():
        load_sample()
        clear_filters()


def files() -> dict[str, UploadedSurvey]:
    return st.session_state[FILES]


def add_file(name: str, data: bytes) -> UploadedSurvey:
    """Keep an uploaded file; the first upload replaces the sample data."""
    ss = st.session_state
    if ss.get(SAMPLE):
        ss[FILES] = {}
        ss[MAPPING] = {}
        ss[SAMPLE] = False
        clear_filters()
    f = UploadedSurvey.from_bytes(name, data)
    ss[FILES].setdefault(f.digest, f)
    return ss[FILES][f.digest]


def add_source(name: str, source: object) -> UploadedSurvey:
    """Keep a customer source (:class:`lib.read.sources.Source`, named in the server's secrets) as the customer
    survey: it replaces the sample data and any other customer source."""
    ss = st.session_state
    if ss.get(SAMPLE):
        ss[FILES] = {}
        ss[MAPPING] = {}
        ss[SAMPLE] = False
        clear_filters()
    for digest, f in list(ss[FILES].items()):
        if not isinstance(f.data, bytes):
            ss[FILES].pop(digest)
    f = UploadedSurvey(name, source, hashlib.sha256(source.key.encode()).hexdigest(), use="customer")  # type: ignore[arg-type]
    ss[FILES].setdefault(f.digest, f)
    return ss[FILES][f.digest]


def remove_file(digest: str) -> None:
    st.session_state[FILES].pop(digest, None)
    if not st.session_state[FILES]:
        st.session_state[SAMPLE] = False


def header_row(digest: str) -> int | None:
    """The header row chosen for a file on the Data page (None: the reader finds it)."""
    f = st.session_state[FILES].get(digest)
    return f.header_row if f is not None else None


def set_header_row(digest: str, row: int | None) -> None:
    """Choose the header row of a file (None or 0: let the reader find it)."""
    f = st.session_state[FILES].get(digest)
    if f is not None:
        f.header_row = int(row) if row else None


def offer_parts(digest: str, column: str, values: tuple[str, ...]) -> None:
    """Keep the parts the reader found in a file's mixed answer column, to choose one on the Data page."""
    f = st.session_state[FILES].get(digest)
    if f is not None:
        f.parts_offered = (column, tuple(values))


def offered_parts(digest: str) -> tuple[str, tuple[str, ...]] | None:
    """(column, values) of the parts offered for a file, or None."""
    f = st.session_state[FILES].get(digest)
    return f.parts_offered if f is not None else None


def part(digest: str) -> dict[str, str]:
    """The part of a file chosen on the Data page ({column: value}; empty: every row)."""
    f = st.session_state[FILES].get(digest)
    return dict(f.part) if f is not None else {}


def set_part(digest: str, column: str, value: str | None) -> None:
    """Read only the rows of a file whose column holds ``value`` (None: every row)."""
    f = st.session_state[FILES].get(digest)
    if f is not None:
        f.part = {column: str(value)} if value is not None else {}


def using_sample() -> bool:
    return bool(st.session_state.get(SAMPLE))


def mapping() -> dict[str, str]:
    return dict(st.session_state.get(MAPPING, {}))


def set_mapping(value: dict[str, str]) -> None:
    st.session_state[MAPPING] = {k: v for k, v in value.items() if k and v and k != v}


def organisation():  # type: ignore[no-untyped-def]
    """This session's organisation (:class:`lib.survey.hierarchy.Hierarchy`), or None."""
    from lib.setup import organisation_of

    rows = st.session_state.get(ORGANISATION) or []
    kept = hash(tuple(map(tuple, rows)))
    built = st.session_state.get(ORGANISATION_BUILT)
    if built is not None and built[0] == kept:  # built once per organisation, not on every run
        return built[1]
    try:
        found = organisation_of([list(r) for r in rows])
    except OptionError:  # rows kept by this module are always valid; a stale one is dropped
        st.session_state.pop(ORGANISATION, None)
        return None
    st.session_state[ORGANISATION_BUILT] = (kept, found)
    return found


def _fresh_upload(uploader: str, error: str) -> Any:
    """An uploader's file (None when it was cleared), its last error forgotten."""
    st.session_state.pop(error, None)
    return st.session_state.get(uploader)


def read_organisation() -> None:
    """The Data page's organisation file, read into this session (its one-sentence error kept for the page)."""
    from lib.errors import SurveyError
    from lib.setup import organisation_rows
    from lib.survey.hierarchy import read_organisation as read

    ss = st.session_state
    upload = _fresh_upload(ORGANISATION_UPLOADER, ORGANISATION_ERROR)
    if upload is None:
        return
    try:
        found = read(upload.getvalue(), upload.name)
        ss[ORGANISATION], ss[ORGANISATION_NOTES] = organisation_rows(found), list(found.notes)
    except SurveyError as exc:
        ss[ORGANISATION_ERROR] = exc.message
    ss[FOCUS] = ""


def organisation_error() -> Msg | None:
    return st.session_state.get(ORGANISATION_ERROR)


def organisation_notes() -> list[Msg]:
    return list(st.session_state.get(ORGANISATION_NOTES) or [])


def forget_organisation() -> None:
    for k in (ORGANISATION, ORGANISATION_ERROR, ORGANISATION_NOTES, ORGANISATION_UPLOADER):
        st.session_state.pop(k, None)
    st.session_state[FOCUS] = ""


def focus_options(hierarchy) -> list[str]:  # type: ignore[no-untyped-def]
    """What the sidebar's view offers: the units as in the files, every level, and each unit with units below it."""
    if hierarchy is None:
        return [""]
    parents = {p for _u, p in hierarchy.edges if p}
    return ["", *(f"level:{n}" for n in range(1, hierarchy.depth + 1)),
            *(f"unit:{u}" for u, _d in hierarchy.units() if u in parents)]


def focus() -> tuple[str | None, int | None]:
    """The unit or level asked for (None, None: the units as in the files), as kept; :mod:`lib.load` checks it
    against the organisation (:func:`settle_focus`)."""
    kind, _sep, rest = str(st.session_state.get(FOCUS) or "").partition(":")
    if kind == "unit" and rest.strip():
        return rest, None
    if kind == "level" and rest.strip().isdigit():
        return None, int(rest)
    return None, None


def settle_focus(hierarchy, refused: bool) -> None:  # type: ignore[no-untyped-def]
    """After loading, before the sidebar is drawn: the view as the organisation spells its unit; one it does not
    have (``refused``: from an old link or setup, or the organisation was removed) goes back to the files' units, with
    a note."""
    value = str(st.session_state.get(FOCUS) or "")
    unit, level = focus()
    if refused or (value and unit is None and level is None):
        note(msg("The organisation has no “{value}” to show, so the units are shown as in the files.",
                 value=value.partition(":")[2] or value))
        st.session_state[FOCUS] = ""
    elif unit is not None and hierarchy is not None:
        st.session_state[FOCUS] = f"unit:{hierarchy.name(unit)}"


def floor() -> int:
    """This installation's anonymity threshold; a viewer may raise it, never lower it."""
    return privacy.floor_threshold()


def min_group() -> int:
    return max(floor(), int(st.session_state.get(MIN_GROUP, floor())))


def min_comments() -> int:
    return privacy.comment_threshold(min_group(), int(st.session_state.get(MIN_COMMENTS, privacy.DEFAULT_MIN_COMMENTS)))


def min_customers() -> int:
    from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS

    return max(1, int(st.session_state.get(MIN_CUSTOMERS, DEFAULT_MIN_CUSTOMERS)))


def min_comments_floor() -> int:
    return privacy.comment_threshold(min_group(), 0)


def comment_seed() -> int:
    return int(st.session_state[COMMENT_SEED])


def ensure_threshold_widgets() -> None:
    """Start the threshold widgets at valid values (the floor may have changed since the session began)."""
    ss = st.session_state
    ss[MIN_GROUP] = min_group()
    ss[MIN_COMMENTS] = min_comments()
    ss[MIN_CUSTOMERS] = min_customers()


def keep_valid_departments(options: list[str]) -> None:
    """Drop chosen departments that are not in the files (from an old link), with a note."""
    ss = st.session_state
    known = {privacy.key(o): o for o in options}
    chosen = list(ss.get(DEPARTMENTS, []))
    kept = [known[privacy.key(c)] for c in chosen if privacy.key(c) in known]
    if kept != chosen:
        unknown = [c for c in chosen if privacy.key(c) not in known]
        if unknown:
            note(msg("The link names departments that are not in the files, so they were ignored: {names}.",
                     names=", ".join(unknown)))
        ss[DEPARTMENTS] = list(dict.fromkeys(kept))


def keep_valid_segments(options: dict[str, list[str]]) -> None:
    """Drop chosen segment columns and values that are not in the files, with a note."""
    ss = st.session_state
    columns = {privacy.key(c): c for c in options}
    cleaned: dict[str, list[str]] = {}
    unknown: list[str] = []
    for col, values in ss.get(SEGMENTS, {}).items():
        real = columns.get(privacy.key(col))
        if real is None:
            unknown += [f"{col}: {v}" for v in values]
            continue
        known = {privacy.key(v): v for v in options[real]}
        cleaned.setdefault(real, [])
        for v in values:
            if privacy.key(v) in known:
                cleaned[real].append(known[privacy.key(v)])
            else:
                unknown.append(f"{col}: {v}")
    if unknown:
        note(msg("The link names segment values that are not in the files, so they were ignored: {names}.",
                 names=", ".join(unknown)))
    if unknown or cleaned != ss.get(SEGMENTS, {}):
        ss[SEGMENTS] = {c: list(dict.fromkeys(v)) for c, v in cleaned.items()}
        for c, v in ss[SEGMENTS].items():
            ss[SEGMENT_WIDGET + c] = v


def note(text: Msg) -> None:
    st.session_state.setdefault(LINK_NOTES, []).append(text)


def done(text: str) -> None:
    """Say ``text`` once, on the next run (an action that reruns the page to show its effect)."""
    st.session_state[DONE] = text


def take_done() -> str | None:
    return st.session_state.pop(DONE, None)


def take_notes() -> list[Msg]:
    """Notes about ignored link values, once."""
    notes = list(st.session_state.get(LINK_NOTES, []))
    st.session_state[LINK_NOTES] = []
    return notes


def selected_departments() -> list[str]:
    return list(st.session_state.get(DEPARTMENTS, []))


def select_department(name: str | None) -> None:
    """Filter every view to one department (from a chart click); None clears it."""
    st.session_state[DEPARTMENTS] = [name] if name else []


def date_range() -> tuple[dt.date, dt.date] | None:
    value = st.session_state.get(DATES)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[0], value[1]
    return None


def segment_choices() -> dict[str, list[str]]:
    return {k: list(v) for k, v in st.session_state.get(SEGMENTS, {}).items() if v}


def sync_segment(column: str) -> None:
    st.session_state[SEGMENTS][column] = list(st.session_state.get(SEGMENT_WIDGET + column, []))


def clear_departments() -> None:
    """Forget the chosen departments (the organisation's view changed, so they are other units now)."""
    st.session_state[DEPARTMENTS] = []


def clear_filters() -> None:
    ss = st.session_state
    ss[DEPARTMENTS] = []
    ss.pop(DATES, None)
    ss[SEGMENTS] = {}
    for key in [k for k in ss if str(k).startswith(SEGMENT_WIDGET)]:
        del ss[key]


def set_context(value: Any) -> None:
    st.session_state[CONTEXT] = value


def context() -> Any:
    """This run's context (a page without the entry point goes there first: :func:`through_entry`)."""
    value = st.session_state.get(CONTEXT)
    if value is None:
        _to_entry(2)
    return value


def through_entry() -> None:
    """Go to the entry point unless it has run in this session. A page run without it — Streamlit's legacy pages/
    mode, which a freshly started server uses until the first session has called st.navigation — would skip the
    sign-in and the access check; the entry point then opens this page."""
    if not st.session_state.get(STARTED):
        _to_entry(2)


def _to_entry(depth: int) -> None:
    import inspect
    from pathlib import Path

    caller = Path(inspect.stack()[depth].filename)
    st.session_state[PENDING_PAGE] = f"pages/{caller.name}"
    st.session_state[PENDING_QUERY] = {k: st.query_params.get_all(k) for k in st.query_params}
    st.switch_page("app.py")


def pending_page() -> str | None:
    """The page a visitor asked for before the entry point had run (see :func:`context`)."""
    return st.session_state.pop(PENDING_PAGE, None)


def first_read(key: str) -> bool:
    """True the first time this session reads a file with these choices (its status box is shown then)."""
    seen = st.session_state.setdefault(READ, set())
    if key in seen:
        return False
    seen.add(key)
    return True


def was_read(key: str) -> bool:
    """Whether this session has read a file with these choices before (:func:`first_read` without marking it)."""
    return key in st.session_state.get(READ, set())


def forget_read(key: str) -> None:
    """A read that did not finish (stopped, say): the next one is a first read again."""
    st.session_state.setdefault(READ, set()).discard(key)


# --- the shareable link ----------------------------------------------------


def _seed_min_customers(m: str | None) -> None:
    """The link's minimum of customer answers (``m``), or a note when it is not a whole number of at least 1."""
    if m is None:
        return
    text = str(m).strip()
    if text.isascii() and text.isdigit() and int(text) >= 1:
        st.session_state[MIN_CUSTOMERS] = int(text)
        return
    from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS

    note(msg("The link's minimum of customer answers “{m}” is not valid (a whole number, at least 1), so {default} "
             "is used.", m=m, default=DEFAULT_MIN_CUSTOMERS))


def _seed_focus(unit: str | None, level: str | None) -> None:
    """The link's unit (``u``) or level (``lv``) of the organisation; :func:`focus` checks it, with a note."""
    if unit:
        st.session_state[FOCUS] = f"unit:{unit}"
    elif level:
        st.session_state[FOCUS] = f"level:{level}"


def _seed_from_query() -> None:
    """Filters from a shared link. A value that is not valid is ignored with a note; nothing here can fail."""
    q = st.query_params
    ss = st.session_state
    if q.get("lang") and q.get("lang") not in LANGUAGES:
        note(msg("The link's language “{value}” is not one we have ({names}), so the browser's language is used.",
                 value=q.get("lang"), names=", ".join(LANGUAGES)))
    depts = [d for d in q.get_all("dept") if str(d).strip()]
    if depts:
        ss[DEPARTMENTS] = depts
    start, end = q.get("from"), q.get("to")
    if start or end:
        try:
            dates = (dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end)))
            if dates[0] > dates[1]:
                raise ValueError
            ss[DATES] = dates
        except ValueError:
            note(msg("The link's dates (“{start}” to “{end}”) are not valid, so all dates are shown.",
                     start=start or "", end=end or ""))
    k = q.get("k")
    if k is not None:
        try:
            value = privacy.check_min_group(k)
            if value < floor():
                raise OptionError(msg("below the minimum"))
            ss[MIN_GROUP] = value
        except OptionError:
            note(msg("The link's anonymity threshold “{k}” is not valid here (a whole number, at least {floor}), so "
                     "{floor} is used.", k=k, floor=floor()))
    _seed_min_customers(q.get("m"))
    _seed_focus(q.get("u"), q.get("lv"))
    for value in q.get_all("seg"):
        if ":" in value:
            col, val = value.split(":", 1)
            ss[SEGMENTS].setdefault(col, []).append(val)
        else:
            note(msg("The link's segment “{value}” is not written COLUMN:VALUE, so it was ignored.", value=value))


def write_query(full_dates: tuple[dt.date, dt.date] | None = None) -> None:
    """Mirror the filters in the address bar so a view can be shared as a link."""
    wanted: dict[str, Any] = {}
    if language() != DEFAULT_LANGUAGE or st.query_params.get("lang"):
        wanted["lang"] = language()
    if selected_departments():
        wanted["dept"] = selected_departments()
    dr = date_range()
    if dr and dr != full_dates:
        wanted["from"], wanted["to"] = dr[0].isoformat(), dr[1].isoformat()
    if min_group() != floor():
        wanted["k"] = str(min_group())
    from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS

    if min_customers() != DEFAULT_MIN_CUSTOMERS:
        wanted["m"] = str(min_customers())
    unit, level = focus()
    if unit is not None:
        wanted["u"] = unit
    elif level is not None:
        wanted["lv"] = str(level)
    segs = [f"{c}:{v}" for c, vals in segment_choices().items() for v in vals]
    if segs:
        wanted["seg"] = segs
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


# --- the saved analysis setup ------------------------------------------------


def current_setup(customer: UploadedSurvey | None, employee: UploadedSurvey | None,
                  full_dates: tuple[dt.date, dt.date] | None = None) -> Setup:
    """Everything this session decided, as a setup file holds it (:mod:`lib.setup`). Dates are kept only when
    they narrow the files' own range (``full_dates``): next quarter's files would otherwise be cut to this one's."""
    from lib.setup import FileSetup, Setup

    def part(f: UploadedSurvey | None) -> FileSetup:
        return FileSetup(dict(f.columns), dict(f.scales), f.sheet) if f is not None else FileSetup()

    dates = date_range()
    if dates is not None and full_dates is not None and tuple(dates) == tuple(full_dates):
        dates = None
    customer_measure, employee_measure = link_measures()
    unit, level = focus()
    return Setup(part(customer), part(employee), mapping(), min_group(), min_customers(), min_comments(),
                 selected_departments(),
                 dates[0].isoformat() if dates else None, dates[1].isoformat() if dates else None, segment_choices(),
                 dict(employee.hme) if employee is not None else {}, customer_measure, employee_measure,
                 st.session_state.get(PERIOD), st.session_state.get(LAG), codebook_setup(),
                 [list(r) for r in st.session_state.get(ORGANISATION) or []], unit, level)


def apply_setup(chosen: list[tuple[str, UploadedSurvey, list[str]]]) -> None:
    """Apply the uploaded setup to this session's files and filters: ``chosen`` holds each file's survey ("customer"
    or "employee"), the file and its column names; the setup applies to every file of a survey, waves included.
    A setup that does not fit one of them is refused whole, with the reason kept for the Data page."""
    from lib.setup import from_json

    ss = st.session_state
    upload = _fresh_upload(SETUP_UPLOADER, SETUP_ERROR)
    if upload is None:
        return
    try:
        setup = from_json(upload.getvalue())
        for kind, f, columns in chosen:
            setup.check_fits(kind, f.name, columns)
    except OptionError as exc:
        ss[SETUP_ERROR] = exc.message
        return
    for kind, f, _columns in chosen:
        part = setup.customer if kind == "customer" else setup.employee
        f.columns, f.scales = dict(part.columns), dict(part.scales)
        f.sheet = part.sheet or f.sheet
        if kind == "employee":
            f.hme = dict(setup.hme)
    _apply_choices(setup)


def _apply_choices(setup: Setup) -> None:
    """A setup's mapping, thresholds, filters, measures, period and lag, into this session."""
    ss = st.session_state
    set_mapping(setup.mapping)
    if setup.min_group is not None:
        ss[MIN_GROUP] = max(floor(), setup.min_group)
    if setup.min_comments is not None:
        ss[MIN_COMMENTS] = setup.min_comments
    if setup.min_customers is not None:
        ss[MIN_CUSTOMERS] = setup.min_customers
    if setup.codebook is not None:
        ss[CODEBOOK] = dict(setup.codebook)
    ss[DEPARTMENTS] = list(setup.departments)
    ss[SEGMENTS] = {c: list(v) for c, v in setup.segments.items()}
    for c, v in ss[SEGMENTS].items():
        ss[SEGMENT_WIDGET + c] = v
    if setup.since and setup.until:
        ss[DATES] = (dt.date.fromisoformat(setup.since), dt.date.fromisoformat(setup.until))
    else:
        ss.pop(DATES, None)
    ss[LINK_CUSTOMER], ss[LINK_EMPLOYEE] = setup.customer_measure, setup.employee_measure
    if setup.period:
        ss[PERIOD] = setup.period
    if setup.lag is not None:
        ss[LAG] = setup.lag
    if setup.organisation:
        ss[ORGANISATION] = [list(r) for r in setup.organisation]
    ss[FOCUS] = f"unit:{setup.unit}" if setup.unit else f"level:{setup.level}" if setup.level else ""


def setup_error() -> Msg | None:
    return st.session_state.get(SETUP_ERROR)


# --- the comment themes' codebook (Comments page) ------------------------------


def codebook():  # type: ignore[no-untyped-def]
    """This session's codebook (:class:`lib.figures.themes.Codebook`): the starter until the user edits it or a
    setup brings one."""
    from lib.figures.themes import Codebook

    data = st.session_state.get(CODEBOOK)
    return Codebook.from_dict(data) if data is not None else Codebook.starter()


def set_codebook(book) -> None:  # type: ignore[no-untyped-def]
    st.session_state[CODEBOOK] = book.as_dict()


def reset_codebook() -> None:
    st.session_state.pop(CODEBOOK, None)


def codebook_setup() -> dict | None:
    """The codebook as the saved setup holds it (None while it is the starter)."""
    data = st.session_state.get(CODEBOOK)
    return dict(data) if data is not None else None


def comment_theme() -> str | None:
    return st.session_state.get(COMMENT_THEME)


def set_comment_theme(key: str | None) -> None:
    st.session_state[COMMENT_THEME] = key
