"""Overview: the four headline figures and the department table, with downloads, as the presentation model
(:func:`lib.present.model.present`) writes them."""

from __future__ import annotations

import streamlit as st

from lib.present import model
from lib.present.exports import table_csv, table_xlsx
from lib.i18n import _
from ui import state, widgets
from ui.data import Context

ctx: Context = state.context()
st.title(_("Overview"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None, _("Upload a customer or an employee survey to begin."))
p = model.present(s)


def card(column, key: str, label: str, absent: str) -> None:  # type: ignore[no-untyped-def]
    """One headline figure: its value (a hidden one as "–", with the hidden text below), interval, n and p."""
    f = p.figure(key)
    if f is None:
        column.metric(label, model.DASH, border=True)
        column.caption(absent)
        return
    column.metric(f.label, model.DASH if f.hidden else f.value, border=True, help=f.help or None)
    if f.hidden:
        column.caption(f.value)
        return
    parts = [_("95% interval {interval}").format(interval=f.interval)] if f.interval else []
    parts += [f"n = {f.n}"] + [f"{name} = {value}" for name, value in f.details]
    column.caption(" · ".join(parts))


cards = st.columns(4)
card(cards[0], "nps", _("Customer NPS"), _("no customer answers"))
card(cards[1], "engagement", _("Engagement index"), _("no employee survey"))
card(cards[2], "enps", _("eNPS"), _("no eNPS question"))
card(cards[3], "r", _("Correlation (r)"), _("needs both surveys and 3+ departments"))

for w in p.warnings:
    st.warning(w)

departments = p.table("departments")
st.markdown("### " + departments.title)
widgets.show_table(departments.texts())
widgets.rest_flags(s)
for note in departments.notes:
    st.caption(note)
notes = list(p.notes)
if ctx.filters.active:
    notes.append(_("Filtered view."))
values = departments.values()
widgets.download_table(_("departments"), "overview_table", lambda: table_xlsx(values, departments.title, notes),
                       lambda: table_csv(values, state.language()))
