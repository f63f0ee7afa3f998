"""The sidebar: what data is loaded, the filters every page obeys, and the anonymity threshold."""

from __future__ import annotations

import streamlit as st

from lib.i18n import LANGUAGES, _

from . import state, widgets
from .data import Context


def language() -> None:
    """The language choice, at the sidebar's top."""
    with st.sidebar:
        st.selectbox(_("Language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key=state.LANGUAGE)


def render(ctx: Context) -> None:
    language()
    with st.sidebar:
        st.markdown("### " + _("Data"))
        if state.using_sample():
            st.caption(_("Sample data"))
        for label, survey in ((_("Customer survey"), ctx.customer), (_("Employee survey"), ctx.employee)):
            if survey is None:
                st.markdown(f"**{label}:** " + _("none"))
            else:
                responses = _("{n} responses").format(n=widgets.count(len(survey.frame)))
                st.markdown(f"**{label}:** {survey.name}  \n{responses}")
        failed = [item for item in ctx.loaded if item.error]
        if failed:
            st.warning(_("{n} file(s) could not be used; see the Data page.").format(n=len(failed)))

        st.markdown("### " + _("Filters"))
        _focus(ctx.settings.hierarchy)
        state.keep_valid_departments(ctx.departments)
        state.keep_valid_segments(ctx.segments)
        st.multiselect(_("Departments"), options=ctx.departments, key=state.DEPARTMENTS,
                       placeholder=_("All departments"))
        if ctx.dates:
            lo, hi = ctx.dates
            current = state.date_range()
            if current is None or current[0] < lo or current[1] > hi:
                state.set_date_range((lo, hi))
            st.date_input(_("Dates"), min_value=lo, max_value=hi, key=state.DATES, format=widgets.date_format(),
                          help=_("Employee figures use whole groups of at least the anonymity threshold: dates that "
                                 "cut a group leave it out, so in practice they follow whole survey waves."))
        if ctx.segments:
            with st.expander(_("Segments"), expanded=bool(state.segment_choices())):
                for col, values in ctx.segments.items():
                    key = state.SEGMENT_WIDGET + col
                    state.start(key, [v for v in state.segment_choices().get(col, []) if v in values])
                    st.multiselect(col, options=values, key=key, on_change=state.sync_segment, args=(col,),
                                   placeholder=_("All"))
        if ctx.filters.active:
            st.button(_("Clear filters"), on_click=state.clear_filters, icon=":material/filter_alt_off:")

        st.markdown("### " + _("Privacy"))
        state.ensure_threshold_widgets()
        # no upper bounds: a setup or link asking for more than a widget's maximum would be reset without a word
        st.number_input(_("Anonymity threshold (employee responses)"), min_value=state.floor(), max_value=None,
                        step=1, key=state.MIN_GROUP,
                        help=_("Employee figures use only whole groups of at least this many responses, so no two "
                               "views differ by fewer people. This installation's minimum is {k}.").format(
                            k=state.floor()))
        st.number_input(_("Comments threshold (employee responses)"), min_value=state.min_comments_floor(),
                        max_value=None, step=1, key=state.MIN_COMMENTS,
                        help=_("Employee comments are shown only for whole groups at least this large."))
        st.number_input(_("Customer answers a department's NPS needs"), min_value=1, max_value=None,
                        step=1, key=state.MIN_CUSTOMERS,
                        help=_("Departments with fewer customer answers show “too few answers” and are left out of the linkage."))
        widgets.report_downloads(ctx.summary)


def _focus(h) -> None:  # type: ignore[no-untyped-def]
    """The organisation's view (its file's, or the files' own higher-unit columns): the units as in the files, every
    unit at a level, or one unit and its units."""
    if h is None:
        return
    options = state.focus_options(h)
    current = state.widget(state.FOCUS) or ""
    if current not in options:
        options.append(current)
    st.selectbox(_("Organisation"), options=options, format_func=focus_label(h), key=state.FOCUS,
                 on_change=state.clear_departments,
                 help=_("Show every unit at one level of the organisation, or one unit and the units below it. Small "
                        "teams are protected inside their own unit."))


def focus_label(h):  # type: ignore[no-untyped-def]
    """How the organisation's views read in a select box ("" for the units as in the files, "level:N", "unit:NAME")."""
    depth = dict(h.units())

    def label(value: str) -> str:
        kind, _sep, rest = value.partition(":")
        if kind == "level":
            name = h.level_name(int(rest))
            every = _("Every unit at level {n}").format(n=rest)
            return f"{every}: {name}" if name else every
        if kind == "unit":
            return "\u2003" * depth.get(rest, 0) + _("{unit} and its units").format(unit=rest)
        return _("Units as in the files")

    return label
