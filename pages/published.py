"""Published results: a snapshot's figures for the visitor's role, with its own filters, table and deck downloads.

The role is read from the access list on every run (:func:`ui.access.visitor`) and the figures are made for it by
:func:`lib.publish.views.view_as` on the server: a lead sees every unit, a manager their units and the units below
them and the organisation's total; nobody else reaches this page. Every figure, table cell, comment, download and
deck here comes from that view, whose numbers the privacy module released from whole protection groups.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.errors import OptionError
from lib.i18n import _, format_date
from lib.present import breakdowns, charts, model, published
from lib.present.exports import table_csv, table_xlsx
from lib.publish.views import Choice, allowed_units, offered, organisation, over_time, unit_names, view_as
from ui import access, sidebar, state, widgets

state.through_entry()
st.title(_("Published results"))
try:
    who = access.visitor()
    listed = access.store().list(include_withdrawn=False)
except OptionError as exc:
    st.error(str(exc))
    st.stop()
if who.role not in ("lead", "manager"):  # the navigation lists this page for these roles only; checked here again
    st.error(_("Published results are for the people on the access list; ask the person who runs the survey."))
    st.stop()
widgets.need(bool(listed), _("Nothing has been published yet."), data=False)

by_id = {x.id: x for x in listed}
if not state.sticky(state.SNAPSHOT, state.SNAPSHOT_KEPT, list(by_id), listed[0].id):  # else the newest
    st.info(_("The snapshot you had open has been withdrawn or deleted; this is the newest one."))
sid = st.selectbox(_("Snapshot"), options=list(by_id), key=state.SNAPSHOT,
                   on_change=state.keep_choice, args=(state.SNAPSHOT, state.SNAPSHOT_KEPT),
                   format_func=lambda i: f"{by_id[i].name} ({format_date(dt.date.fromisoformat(by_id[i].published_at[:10]))})")
try:
    snapshot = access.snapshot(by_id[sid])
except OptionError as exc:
    st.error(str(exc))
    st.stop()
choices = offered(snapshot)
h = organisation(snapshot)
unit = level = None

with st.sidebar:
    st.markdown("### " + _("Filters"))
    if h is not None and who.role == "lead":  # a manager's view is their own units (view_as)
        options = state.focus_options(h)
        state.start_among(state.SNAPSHOT_FOCUS, options, "")
        focus = st.selectbox(_("Organisation"), options=options, format_func=sidebar.focus_label(h),
                             key=state.SNAPSHOT_FOCUS)
        kind, _sep, rest = focus.partition(":")
        unit, level = (rest, None) if kind == "unit" else (None, int(rest)) if kind == "level" else (None, None)
    units = sorted(allowed_units(snapshot, who.units), key=str.casefold) if who.role == "manager" else \
        unit_names(snapshot, unit, level)
    state.keep_among(state.SNAPSHOT_UNITS, units)
    chosen = st.multiselect(_("Units"), options=units, key=state.SNAPSHOT_UNITS,
                            placeholder=_("All your units") if who.role == "manager" else _("All departments"))
    since = until = None
    if choices.first and choices.last:
        dates_key = f"{state.SNAPSHOT_DATES}::{sid}"  # each snapshot its own dates, from its whole span
        state.start_range(dates_key, (choices.first, choices.last))
        dates = st.date_input(_("Dates"), min_value=choices.first, max_value=choices.last, key=dates_key,
                              format=widgets.date_format(),
                              help=_("Employee figures use whole months and whole groups; customer figures whole weeks."))
        if isinstance(dates, tuple) and len(dates) == 2 and dates != (choices.first, choices.last):
            since, until = dates
    segments = []
    for column, values in choices.segments.items():
        picked = st.multiselect(column, options=values, key=state.SNAPSHOT_SEGMENT + column, placeholder=_("All"))
        if picked:
            segments.append((column, frozenset(picked)))

choice = Choice(frozenset(chosen) if chosen else None, unit, level, since, until, tuple(segments))
try:
    v, total = view_as(snapshot, choice, who.role, who.units)
except OptionError as exc:
    st.error(str(exc))
    st.stop()
p = published.present(v, total)
if who.role == "manager":
    st.caption(_("You see your own units ({units}) and the whole organisation's headline figures.").format(
        units=", ".join(units)))

for group, title in (("customer", _("Customers")), ("employee", _("Employees")),
                     ("organisation", _("The whole organisation"))):
    figures = [f for f in p.figures if f.group == group]
    if not figures:
        continue
    st.markdown("### " + title)
    for column, f in zip(st.columns(len(figures)), figures):
        column.metric(f.label, f.value, border=True, help=f.help or None)
        parts = [_("95% interval {interval}").format(interval=f.interval)] if f.interval else []
        column.caption(" · ".join(parts + ([_("n = {n}").format(n=f.n)] if f.n else [])))
if v.engagement is None and any(u.employee_n for u in v.units):
    st.info(_("Employee figures need whole groups of at least {k} responses inside your choices.").format(k=v.k))
for note in p.notes:
    st.caption(note)

table = p.table("units")
st.markdown("### " + table.title)
widgets.model_table(table, "published_units")
values, notes = table.values(), [*p.notes]
language = state.language()  # read here: Streamlit makes a download in a worker thread, without the session's state
widgets.download_table(_("units"), "published_units_table", lambda: table_xlsx(values, table.title, notes),
                       lambda: table_csv(values, language))

with st.spinner(_("Working out the months…")):
    months = published.over_time_table(over_time(snapshot, choice, who.role, who.units))
if len(months.rows) > 1:
    st.markdown("### " + months.title)
    widgets.model_table(months, "published_months")

points = published.linkage_points(v)
if len(points) >= 3:
    st.markdown("### " + _("Customers and employees together"))
    for line in published.linkage_text(v):
        st.caption(line)
    widgets.chart(charts.linkage_scatter, (points, breakdowns.fitted_line(points)), "published_linkage",
                  _("linkage"))

answers = published.statement_answers(v)
if not answers.empty:
    st.markdown("### " + _("Statements"))
    widgets.chart(charts.item_diverging, (answers,), "published_statements", _("answers-per-statement"))
    widgets.model_table(p.table("statements"), "published_statements_table")

comments = p.table("comments")
st.markdown("### " + comments.title)
if comments.empty:
    st.caption(_("Comments are shown for groups of at least {c} responses, and only when the view holds at least {k} "
                 "people who wrote one.").format(c=max(v.min_comments, v.k), k=v.k))
for row in comments.rows[:200]:
    st.text(row[0].text)
if len(comments.rows) > 200:
    st.caption(_("The first 200 of {n} comments are shown.").format(n=model.count(len(comments.rows))))

st.markdown("### " + _("Report"))
deck_choice = published.choice_text(choice)


def build(fmt: str) -> bytes:
    from lib.deck import files
    from lib.deck.published import deck
    from lib.i18n import set_language

    set_language(language)  # the button's callback may run outside this run's thread
    return files.render(deck(v, total, deck_choice), fmt)


widgets.deck_downloads(build, "published")
if who.role == "lead":
    def units_zip() -> bytes:
        from lib.i18n import set_language
        from lib.publish.decks import bundle

        set_language(language)
        return bundle(snapshot, choice, "pptx")

    st.download_button(_("A deck per unit (zip)"), data=units_zip, file_name=_("survey-results") + ".zip",
                       on_click="ignore", mime="application/zip", icon=":material/folder_zip:", key="published_zip",
                       help=_("Each unit's deck as its manager gets it: the unit, the units below it and the "
                              "organisation's total."))
