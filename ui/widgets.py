"""Pieces several pages share: charts with click-to-filter and downloads, notes, number formats."""

from __future__ import annotations

from typing import TYPE_CHECKING
from collections.abc import Callable

import math

import pandas as pd
import streamlit as st

from lib.i18n import _, format_number

from . import state

if TYPE_CHECKING:
    import altair as alt

    from lib.figures.nki import NkiResult
    from lib.figures.summary import Summary


def fmt(value: float | None, digits: int = 1, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = format_number(value, digits)
    return ("+" + text) if signed and value > 0 else text


def count(n: int) -> str:
    """A count in the session's style: 3 074 in Swedish and Finnish, 3,074 in English."""
    return fmt(n, 0)


def interval(ci: tuple[float, float] | None, n: int) -> str:
    """"95 % interval 61,2 to 66,0 · n = 364" under a figure, or just the n when there is no interval."""
    if ci is None:
        return _("n = {n}").format(n=count(n))
    return _("95% interval {lo} to {hi} · n = {n}").format(lo=fmt(ci[0]), hi=fmt(ci[1]), n=count(n))


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


def chart(figure: alt.TopLevelMixin, key: str, filename: str, select: bool = False) -> None:
    """Show an Altair chart; a click on a department filters every view; PNG and SVG downloads."""
    from lib.present import charts  # Altair is imported by the pages that chart, not on the first page

    figure = charts.localized(figure, state.language())
    if select:
        st.altair_chart(figure, key=key, on_select=lambda: _on_select(key), selection_mode=charts.selections(figure),
                        width="stretch")
    else:
        st.altair_chart(figure, key=key, width="stretch")
    row = st.container(horizontal=True)
    row.download_button(_("PNG"), data=lambda: charts.to_image(figure, "png"), file_name=f"{filename}.png",
                         mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/download:")
    row.download_button(_("SVG"), data=lambda: charts.to_image(figure, "svg"), file_name=f"{filename}.svg",
                          mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/download:")


def sample_note() -> None:
    if state.using_sample():
        st.info(_("You are looking at **sample data** (a made-up occupational-health provider). "
                  "Upload your own exports on the Data page."), icon=":material/science:")
        st.page_link("pages/data.py", label=_("Go to the Data page"), icon=":material/upload_file:")


def need(ok: bool, message: str) -> None:
    """Stop the page with a note when what it needs is missing."""
    if not ok:
        st.info(message)
        st.page_link("pages/data.py", label=_("Go to the Data page"), icon=":material/upload_file:")
        st.stop()


def show_table(df: pd.DataFrame) -> None:
    """A table whose mixed number/text columns (hidden cells) are shown as text in the session's number style."""
    shown = df.copy()
    local = state.language() != "en"  # Streamlit formats numbers in English; Swedish and Finnish get Babel's text
    for col in shown.columns:
        if shown[col].dtype == object and shown[col].map(lambda v: isinstance(v, str)).any():
            shown[col] = shown[col].map(lambda v: v if isinstance(v, str) else fmt(v)).astype("string")
        elif local and pd.api.types.is_float_dtype(shown[col].dtype):
            shown[col] = shown[col].map(fmt).astype("string")
        elif local and pd.api.types.is_integer_dtype(shown[col].dtype) and not pd.api.types.is_bool_dtype(shown[col].dtype):
            shown[col] = shown[col].map(lambda v: fmt(v, 0)).astype("string")
    config = {c: st.column_config.NumberColumn(format="%.1f") for c in shown.columns
              if pd.api.types.is_float_dtype(shown[c].dtype)}
    st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 1) + 12, 900),
                 column_config=config)


def download_table(name: str, key: str, xlsx: Callable[[], bytes], csv: Callable[[], bytes]) -> None:
    """Excel and CSV downloads, each built only when its button is pressed."""
    row = st.container(horizontal=True)
    row.download_button(_("Excel"), data=xlsx, file_name=f"{name}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      icon=":material/download:")
    row.download_button(_("CSV"), data=csv, file_name=f"{name}.csv", key=f"{key}_csv", on_click="ignore",
                      mime="text/csv", icon=":material/download:")


def hme(s: Summary) -> None:
    """SKR's HME beside the engagement index: total and sub-indices, by gender where the file has it, and the
    choices behind the figure."""
    from lib.present import breakdowns
    from lib.figures.hme import CHOICES

    st.subheader(_("HME – Sustainable employee engagement"))
    columns = s.nordic.hme_columns
    table = breakdowns.hme_table(s)
    for col in table.columns[1:-1]:
        table[col] = table[col].map(lambda v: fmt(v, 0) if isinstance(v, float) else v)
    st.dataframe(table, hide_index=True, width="stretch")
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

    value = fmt(result.index, 0) if result.index is not None else "–"
    st.metric(label, value, border=True, help=str(METHOD))
    st.caption(_("n = {n}").format(n=count(result.respondents)))


def rest_flags(s: Summary, measures: tuple[str, ...] = ("nps", "enps", "engagement")) -> None:
    """Departments that differ from the rest of the organisation after Benjamini–Hochberg, as one caption."""
    from lib.present import breakdowns

    names = {"nps": _("NPS"), "enps": _("eNPS"), "engagement": _("Engagement index")}
    flags = {key: arrow for key, arrow in breakdowns.rest_flags(s).items() if key[1] in measures}
    if flags:
        st.caption(_("Against the rest of the organisation (Benjamini–Hochberg, 5 %): {flags}.").format(
            flags="; ".join(f"{dept} {names[m]} {arrow}" for (dept, m), arrow in sorted(flags.items()))))


def report_downloads(summary: Summary | None) -> None:
    """The meeting deck of the current view: PowerPoint, PDF, and a zip with one deck per department; each built only
    when its button is pressed, in this session's language, on an optional company template."""
    from lib.deck import files, slides as report
    from lib.i18n import set_language

    if summary is None:
        return
    st.markdown("### " + _("Report"))
    lang = state.language()
    organisation = st.text_input(_("Name on the title slide"), key=state.REPORT_ORGANISATION)
    template_file = state.widget(state.REPORT_TEMPLATE)
    template = template_file.getvalue() if template_file is not None else None

    def build(fmt: str, per_department: bool) -> bytes:
        set_language(lang)  # the button's callback may run outside this run's thread
        if per_department:
            return files.bundle(summary, fmt, organisation, template=template)
        return files.render(report.organisation_deck(summary, organisation), fmt, template)

    name = _("survey-results")
    row = st.container(horizontal=True)
    row.download_button(_("PowerPoint"), data=lambda: build("pptx", False), file_name=f"{name}.pptx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        icon=":material/slideshow:", key="report_pptx")
    row.download_button(_("PDF"), data=lambda: build("pdf", False), file_name=f"{name}.pdf", on_click="ignore",
                        mime="application/pdf", icon=":material/picture_as_pdf:", key="report_pdf")
    st.download_button(_("A deck per department (zip)"), data=lambda: build("pptx", True), file_name=f"{name}.zip",
                       on_click="ignore", mime="application/zip", icon=":material/folder_zip:", key="report_zip",
                       help=_("The organisation's deck and one for each department's workplace meeting; departments "
                              "below the anonymity threshold get none and are named in a note."))
    st.file_uploader(_("Company template (.potx or .pptx)"), type=["potx", "pptx"], key=state.REPORT_TEMPLATE)
