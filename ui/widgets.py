"""Pieces several pages share: charts with click-to-filter and downloads, notes, number formats."""

from __future__ import annotations

import copy
import functools
import hashlib
from typing import TYPE_CHECKING
from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.i18n import _, set_language
from lib.privacy.groups import hidden_text

from . import state

if TYPE_CHECKING:
    import altair as alt

    from lib.figures.nki import NkiResult
    from lib.figures.summary import Summary

    from .data import Context


def count(n: int) -> str:
    """A count in the session's style (the presentation model's :func:`lib.present.model.count`)."""
    from lib.present import model

    return model.count(n)


def interval(ci: tuple[float, float] | None, n: int) -> str:
    """"95 % interval 61,2 to 66,0 · n = 364" under a figure, or just the n when there is no interval."""
    from lib.present import model

    if ci is None:
        return _("n = {n}").format(n=model.count(n))
    return " · ".join((_("95% interval {interval}").format(interval=model.interval(ci)), _("n = {n}").format(
        n=model.count(n))))


#: Below this width, columns wrap: figure tiles two to a row, charts one to a row (Streamlit stacks columns only
#: below 640 px).
NARROW = 1000
_NARROW_CSS = f"""<style>
@media (max-width: {NARROW}px) {{
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    min-width: calc(50% - 1rem) !important; }}
  [data-testid="stMain"] [data-testid="stHorizontalBlock"]:has([data-testid="stVegaLiteChart"]) > [data-testid="stColumn"],
  [data-testid="stMain"] [data-testid="stHorizontalBlock"]:has(li) > [data-testid="stColumn"] {{
    min-width: 100% !important; }}
}}
[data-testid="stMetricValue"] > div {{ overflow: visible; text-overflow: clip; }}
</style>"""


def narrow_screen_style() -> None:
    """Columns that wrap on narrow screens (:data:`NARROW`). The sidebar follows ``initial_sidebar_state="auto"``:
    Streamlit starts it collapsed below its own breakpoint (768 px), not at 800 px."""
    st.html(_NARROW_CSS)


def date_format() -> str:
    """The date picker's format: day first in Finnish (17.03.2025); ISO 8601 in Swedish, as CLDR's short Swedish
    date and Swedish usage write numeric dates, and in English."""
    return "DD.MM.YYYY" if state.language() == "fi" else "YYYY-MM-DD"


def _on_select(key: str) -> None:
    from lib.present import charts

    event = state.widget(key)
    selection = getattr(event, "selection", None) or (event or {}).get("selection", {}) if event else {}
    points = [p for name in charts.SELECTIONS for p in (selection or {}).get(name) or []]
    names = [p.get("department") for p in points if isinstance(p, dict) and p.get("department")]
    if names:
        state.select_department(names[0])


def _fingerprint(value: object) -> str:
    """What a chart's argument holds, as text: a table by the hash of its values, index, columns and types."""
    if isinstance(value, pd.DataFrame):
        digest = hashlib.sha1(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        return digest.hexdigest()
    if isinstance(value, (set, frozenset)):
        return repr(sorted(map(repr, value)))
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(_fingerprint(v) for v in value) + ")"
    return repr(value)


@st.cache_resource(scope="session", max_entries=96, show_spinner=False)
def _spec(key: str, _make: Callable[..., alt.TopLevelMixin], _args: tuple[object, ...], language: str
          ) -> tuple[dict | None, list[str]]:
    """A chart's Vega-Lite specification as Streamlit's ``st.altair_chart`` makes it (its data as Arrow), and the
    department selections it declares; None when this Streamlit has no such conversion (the chart is then drawn by
    ``st.altair_chart``)."""
    from lib.present import charts

    figure = charts.localized(_make(*_args), language)
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # pragma: no cover - a Streamlit without it draws from the chart itself
        return None, charts.selections(figure)
    # the chart functions' output is checked against Vega-Lite's schema by the tests (tests/test_charts.py); here
    # Altair's own check of every chart on every first draw would take most of the conversion's time
    unchecked = figure.copy(deep=False)
    object.__setattr__(unchecked, "to_dict", functools.partial(type(figure).to_dict, unchecked, validate=False))
    spec = _convert_altair_to_vega_lite_spec(unchecked)
    names = {p.get("name") for p in spec.get("params", [])}
    for layer in spec.get("layer", []):
        names |= {p.get("name") for p in layer.get("params", [])}
    return spec, [n for n in charts.SELECTIONS if n in names]


def localized_figure(make: Callable[..., alt.TopLevelMixin], args: tuple[object, ...], language: str
                     ) -> alt.TopLevelMixin:
    """The chart ``make(*args)`` in ``language``: its texts too, for a download works in another thread, where the
    session's language is not set."""
    from lib.present import charts

    set_language(language)
    return charts.localized(make(*args), language)


def chart(make: Callable[..., alt.TopLevelMixin], args: tuple[object, ...], key: str, filename: str,
          select: bool = False) -> None:
    """Show the Altair chart ``make(*args)`` (a function of :mod:`lib.present.charts`) in this session's language; a
    click on a department filters every view; PNG and SVG downloads. The chart's specification is made once per
    session for the same arguments and language, so a rerun that changes neither sends it without building it."""
    from lib.present import charts  # Altair is imported by the pages that chart, not on the first page

    language = state.language()
    name = f"{make.__module__}.{make.__qualname__}|{language}|{_fingerprint(args)}"
    spec, selections = _spec(name, make, args, language)

    def figure() -> alt.TopLevelMixin:
        return localized_figure(make, args, language)

    options: dict = dict(key=key, width="stretch")
    if select:
        options.update(on_select=lambda: _on_select(key), selection_mode=selections)
    if spec is None:  # pragma: no cover
        st.altair_chart(figure(), **options)
    else:
        st.vega_lite_chart(spec=copy.deepcopy(spec), **options)  # Streamlit moves the data out of the spec it is given
    row = st.container(horizontal=True)
    row.download_button(_("PNG"), data=lambda: charts.to_image(figure(), "png"), file_name=f"{filename}.png",
                         mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/download:")
    row.download_button(_("SVG"), data=lambda: charts.to_image(figure(), "svg"), file_name=f"{filename}.svg",
                          mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/download:")


def sample_note() -> None:
    if state.using_sample():
        st.info(_("You are looking at **sample data** (a made-up occupational-health provider). "
                  "Upload your own exports on the Data page."), icon=":material/science:")
        st.page_link("pages/data.py", label=_("Go to the Data page"), icon=":material/upload_file:")


def plain(text: str) -> str:
    """``text`` (a name someone typed) as itself in Streamlit's Markdown: every Markdown and LaTeX sign escaped."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+!|$^~<>:" else c for c in text)


def need(ok: bool, message: str, data: bool = True) -> None:
    """Stop the page with a note when what it needs is missing (and, with ``data``, a link to the Data page)."""
    if not ok:
        st.info(message)
        if data:
            st.page_link("pages/data.py", label=_("Go to the Data page"), icon=":material/upload_file:")
        st.stop()


#: Rows of a table shown at once; a longer table is paged.
PAGE_ROWS = 20


def _row_height(df: pd.DataFrame) -> int:
    return 35 * (min(len(df), PAGE_ROWS) + 1) + 3  # every row of the page shown: the table never scrolls inside


def show_table(df: pd.DataFrame, key: str | None = None) -> None:
    """A table of texts the presentation model wrote (every cell a formatted value or a short mark), sized to show
    every row; longer than :data:`PAGE_ROWS` rows, paged. A number or a missing value that reaches here is written
    by the model's formatter, so no cell reads "None", "nan" or "0.000000"."""
    from lib.present import model

    shown = df.copy()
    for col in shown.columns:
        if not (shown[col].dtype == object and shown[col].map(lambda v: isinstance(v, str)).all()):
            numeric = pd.api.types.is_integer_dtype(shown[col].dtype) and not pd.api.types.is_bool_dtype(shown[col].dtype)
            write = model.count if numeric else model.number
            shown[col] = shown[col].map(lambda v, write=write: v if isinstance(v, str) else write(v))
        shown[col] = shown[col].astype("string").fillna(model.DASH)
    pages = max(1, -(-len(shown) // PAGE_ROWS))
    if pages > 1 and key is not None:
        page = st.segmented_control(_("Rows"), list(range(pages)), key=state.page_key(key), default=0,
                                    format_func=lambda i: f"{i * PAGE_ROWS + 1}–{min(len(shown), (i + 1) * PAGE_ROWS)}")
        shown = shown.iloc[(page or 0) * PAGE_ROWS:((page or 0) + 1) * PAGE_ROWS]
    st.dataframe(shown, hide_index=True, width="stretch", height=_row_height(shown),
                 column_config={c: st.column_config.TextColumn(c, width="medium" if i else "large")
                                for i, c in enumerate(shown.columns)})


def model_table(table: object, key: str, notes: bool = True) -> None:
    """A :class:`lib.present.model.Table`: its texts, paged when long, and its footnotes under it."""
    show_table(table.texts(), key)  # type: ignore[attr-defined]
    if notes:
        for note in table.notes:  # type: ignore[attr-defined]
            st.caption(note)


#: More units than this, and a department chart shows the ten highest and the ten lowest, with a search.
MANY_UNITS = 25


def many_units(df: pd.DataFrame, key: str, by: str) -> pd.DataFrame:
    """The rows a department chart shows: all of them up to :data:`MANY_UNITS`; beyond, the ten highest and the ten
    lowest by ``by``, a search box and a "show all" toggle."""
    if len(df) <= MANY_UNITS:
        return df
    search_key, all_key = state.unit_keys(key)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    text = left.text_input(_("Find a department"), key=search_key)
    every = right.toggle(_("Show all"), key=all_key)
    if text:
        found = df[df["department"].astype(str).str.contains(text.strip(), case=False, regex=False)]
        if found.empty:
            st.caption(_("No department matches “{text}”.").format(text=text))
        return found
    if every:
        return df
    ordered = df.sort_values(by, ascending=False, na_position="last", kind="stable")
    st.caption(_("{n} departments: the ten highest and the ten lowest are shown. Search for one, or show all.").format(
        n=count(len(df))))
    shown = ordered.dropna(subset=[by])
    return pd.concat([shown.head(10), shown.tail(10)]).drop_duplicates(subset=["department"])


def not_shown(names: list[tuple[str, str | None]], k: int) -> None:
    """The departments a chart leaves out to protect anonymity, each with its real reason, said once."""
    if names:
        st.caption(_("Not shown, to protect anonymity: {names}.").format(
            names=", ".join(f"{name} ({hidden_text(reason, k)})" for name, reason in names)))


def download_table(name: str, key: str, xlsx: Callable[[], bytes], csv: Callable[[], bytes]) -> None:
    """Excel and CSV downloads, each built only when its button is pressed."""
    row = st.container(horizontal=True)
    row.download_button(_("Excel"), data=xlsx, file_name=f"{name}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/download:")
    row.download_button(_("CSV"), data=csv, file_name=f"{name}.csv", key=f"{key}_csv", on_click="ignore",
                      mime="text/csv", icon=":material/download:")


def hme(s: Summary) -> None:
    """SKR's HME beside the engagement index: total and sub-indices, by gender where the file has it (the
    presentation model's table), and the choices behind the figure."""
    from lib.present import model
    from lib.figures.hme import CHOICES

    table = model.hme_table(s)
    if table is None:
        return
    st.subheader(table.title)
    model_table(table, "hme")
    columns = s.nordic.hme_columns
    if columns is not None:
        st.caption(_("Statements: {found} of 9, {why}.").format(found=len(columns.codes), why=columns.reason))
        if columns.missing:
            st.caption(_("Not found: {codes}. Their wording differs from SKR's; name their columns under "
                         "“HME statements” on the Data page.").format(
                codes=", ".join(columns.missing)))
    for choice in CHOICES:
        st.caption(str(choice.using(k=s.settings.min_group)))


def satisfaction_index(label: str, result: NkiResult) -> None:
    """NKI (customers) or NMI (employees): the unweighted index, each question's n, and what it is not."""
    from lib.figures.nki import METHOD
    from lib.present import model

    st.metric(label, model.number(result.index, "index"), border=True, help=str(METHOD))
    st.caption(_("n = {n}").format(n=model.count(result.respondents)))


def findings(items: tuple | list, empty: str | None = None) -> None:  # type: ignore[type-arg]
    """Strengths or focus areas (:class:`lib.present.overview.Finding`) as a list in plain words, the test behind
    each in its help."""
    if not items and empty:
        st.caption(empty)
    for f in items:
        st.markdown("- " + f.text, help=f.help or None)


def rest_flags(ctx: Context, measures: tuple[str, ...] = ("nps", "enps", "engagement")) -> None:
    """Departments that differ from the rest of the organisation, in plain words (the test in the help)."""
    from lib.figures.comparisons import versus_rest
    from lib.present import overview

    from .data import kept

    tests = kept(ctx, "versus_rest", versus_rest, ctx.summary)
    up, down = kept(ctx, "rest_flags", overview.department_findings, ctx.summary,
                    [t for t in tests if t.measure in measures], extra=measures)
    if up or down:
        st.markdown("**" + _("Departments that differ from the rest") + "**")
        findings(up + down)


def deck_downloads(build: Callable[[str], bytes], key: str) -> None:
    """PowerPoint and PDF buttons for a deck, ``build(fmt)`` called only when one is pressed (in a worker thread:
    ``build`` reads nothing from the session)."""
    name = _("survey-results")
    row = st.container(horizontal=True)
    row.download_button(_("PowerPoint"), data=lambda: build("pptx"), file_name=f"{name}.pptx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        icon=":material/slideshow:", key=f"{key}_pptx")
    row.download_button(_("PDF"), data=lambda: build("pdf"), file_name=f"{name}.pdf", on_click="ignore",
                        mime="application/pdf", icon=":material/picture_as_pdf:", key=f"{key}_pdf")


def report_downloads(summary: Summary | None) -> None:
    """The meeting deck of the current view: PowerPoint, PDF, and a zip with one deck per department; each built only
    when its button is pressed, in this session's language, on an optional company template."""
    from lib.i18n import set_language

    if summary is None:
        return
    st.markdown("### " + _("Report"))
    lang = state.language()
    organisation = st.text_input(_("Name on the title slide"), key=state.REPORT_ORGANISATION)
    template_file = state.widget(state.REPORT_TEMPLATE)
    template = template_file.getvalue() if template_file is not None else None

    def build(fmt: str, per_department: bool) -> bytes:
        from lib.deck import files, slides as report  # the deck's chart machinery only once a deck is asked for

        set_language(lang)  # the button's callback may run outside this run's thread
        if per_department:
            return files.bundle(summary, fmt, organisation, template=template)
        return files.render(report.organisation_deck(summary, organisation), fmt, template)

    name = _("survey-results")
    deck_downloads(lambda fmt: build(fmt, False), "report")
    st.download_button(_("A deck per department (zip)"), data=lambda: build("pptx", True), file_name=f"{name}.zip",
                       on_click="ignore", mime="application/zip", icon=":material/folder_zip:", key="report_zip",
                       help=_("The organisation's deck and one for each department's workplace meeting; departments "
                              "below the anonymity threshold get none and are named in a note."))
    st.file_uploader(_("Company template (.potx or .pptx)"), type=["potx", "pptx"], key=state.REPORT_TEMPLATE)
