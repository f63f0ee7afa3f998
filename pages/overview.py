"""Overview: how are we doing, and where do we look? The headline figures with their change since the previous
period, the strengths and focus areas in plain words, departments at a glance, and the department table; the content
is :mod:`lib.present.overview`'s and the presentation model's (:func:`lib.present.model.present`)."""

from __future__ import annotations

import streamlit as st

from lib.present import model
from lib.present import overview as first_screen
from lib.present.exports import table_csv, table_xlsx
from lib.i18n import _
from ui import state, widgets
from ui.data import Context, kept

ctx: Context = state.context()
st.title(_("Overview"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None, _("Upload a customer or an employee survey to begin."))
p = kept(ctx, "present", model.present, s)
kind, previous, latest, period_notes = kept(ctx, "last_two", first_screen.last_two, ctx.customer, ctx.employee,
                                             ctx.filters, ctx.settings)
benchmark = state.widget(state.BENCHMARK)
o = kept(ctx, "overview", first_screen.build, s, previous, latest, kind or "quarter", benchmark, period_notes,
         extra=benchmark)


def card(column, headline: first_screen.Headline) -> None:  # type: ignore[no-untyped-def]
    """One headline figure: its value (a hidden one as "–", with the hidden text below), its change since the
    previous period, interval and n."""
    f = headline.figure
    c = headline.change
    delta = dict(delta=c.text, delta_arrow={1: "up", -1: "down"}.get(c.direction, "off"),
                 delta_color="normal" if c.direction else "off") if c else {}
    column.metric(f.label, model.DASH if f.hidden else f.value, border=True,
                  help=" ".join(x for x in (f.help, c.help if c else "") if x) or None, **delta)
    if f.hidden:
        column.caption(f.value)
        return
    parts = [_("95% interval {interval}").format(interval=f.interval)] if f.interval else []
    parts += [_("n = {n}").format(n=f.n)] if f.n else []
    column.caption(" · ".join(parts + ([c.reading] if c else [])))


shown = [h for h in o.headlines if h.figure.key in ("nps", "engagement", "enps", "r")]
if shown:
    for column, headline in zip(st.columns(len(shown)), shown):
        card(column, headline)
if o.compared:
    st.caption(_("Change: {compared}.").format(compared=o.compared))
for note in o.notes:
    st.caption(note)
for w in first_screen.messages(s.warnings, len(ctx.filters.departments or ())):
    st.info(w)

st.markdown("### " + _("Where to look"))
left, right = st.columns(2)
with left:
    st.markdown("#### " + _("Strengths"))
    widgets.findings(o.strengths, _("Nothing stands out above the rest."))
with right:
    st.markdown("#### " + _("Focus areas"))
    widgets.findings(o.focus, _("Nothing stands out below the rest."))
if s.employee is not None and s.employee.items:
    with st.expander(_("Compare the statements with a benchmark")):
        st.number_input(_("Benchmark: favourable % for every statement"), min_value=0.0, max_value=100.0, value=None,
                        step=1.0, key=state.BENCHMARK,
                        help=_("A figure from an earlier survey or your sector, as a favourable %. Statements below "
                               "it are named as focus areas."))

if not o.glance.empty:
    st.markdown("### " + o.glance_title)
    from lib.present import charts

    data = widgets.many_units(o.glance, "glance", "value")
    widgets.chart(charts.departments_glance, (data,), "glance", _("departments-at-a-glance"), select=True)
hidden = [(d.department, d.suppressed_reason) for d in s.departments if d.suppressed]
widgets.not_shown(hidden, s.settings.min_group)

departments = p.table("departments")
st.markdown("### " + departments.title)
widgets.model_table(departments, "departments")
notes = list(p.notes)
if ctx.filters.active:
    notes.append(_("Filtered view."))
values = departments.values()
language = state.language()  # read here: Streamlit makes a download in a worker thread, without the session's state
widgets.download_table(_("departments"), "overview_table", lambda: table_xlsx(values, departments.title, notes),
                       lambda: table_csv(values, language))
