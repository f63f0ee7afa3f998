"""Overview: the four headline figures and the department table, with downloads."""

from __future__ import annotations

import streamlit as st

from lib.present import breakdowns
from lib.privacy import groups as privacy
from lib.present.exports import table_csv, table_xlsx
from lib.i18n import _
from ui import state, widgets
from ui.data import Context

ctx: Context = state.context()
st.title(_("Overview"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None, _("Upload a customer or an employee survey to begin."))
k = s.settings.min_group

cards = st.columns(4)
if s.nps is not None and s.nps.score is not None:
    lo, hi = s.nps.ci95
    cards[0].metric(_("Customer NPS"), widgets.fmt(s.nps.score), border=True,
                    help=_("95% interval {lo} to {hi} (adjusted Wald)").format(lo=widgets.fmt(lo), hi=widgets.fmt(hi)))
    cards[0].caption(_("± {margin} · n = {n}").format(margin=widgets.fmt((hi - lo) / 2), n=widgets.count(s.nps.n)))
else:
    cards[0].metric(_("Customer NPS"), "–", border=True)
    cards[0].caption(_("no customer answers"))
e = s.engagement
hidden = privacy.hidden_text(e.reason, s.settings.min_group) if e is not None and e.suppressed else None
if e is not None and not e.suppressed and e.index is not None:
    cards[1].metric(_("Engagement index"), widgets.fmt(e.index), border=True,
                    help=_("0–100; favourable {fav} %").format(fav=widgets.fmt(e.favorable_pct)))
    cards[1].caption(widgets.interval(e.index_ci95, e.n))
else:
    cards[1].metric(_("Engagement index"), "–", border=True)
    cards[1].caption(str(hidden) if hidden else _("no employee survey"))
if s.enps is not None and s.enps.score is not None:
    lo, hi = s.enps.ci95
    cards[2].metric(_("eNPS"), widgets.fmt(s.enps.score), border=True)
    cards[2].caption(_("± {margin} · n = {n}").format(margin=widgets.fmt((hi - lo) / 2), n=widgets.count(s.enps.n)))
else:
    cards[2].metric(_("eNPS"), "–", border=True)
    cards[2].caption(str(hidden) if hidden else _("no eNPS question"))
r = s.linkage.result if s.linkage else None
if r is not None and r.pearson_r is not None:
    cards[3].metric(_("Correlation (r)"), widgets.fmt(r.pearson_r, 2), border=True,
                    help=_("Pearson r of department engagement with department NPS"))
    cards[3].caption(_("n = {n} departments · p = {p}").format(n=r.n, p=widgets.fmt(r.pearson_p, 3)))
else:
    cards[3].metric(_("Correlation (r)"), "–", border=True)
    cards[3].caption(_("needs both surveys and 3+ departments"))

for w in s.warnings:
    st.warning(str(w))

st.markdown("### " + _("Departments"))
table = breakdowns.department_report(s)
widgets.show_table(table)
widgets.rest_flags(s)
for reason in sorted({d.suppressed_reason for d in s.departments if d.suppressed_reason}):
    st.caption(str(privacy.hidden_explanation(reason, k)))
notes = [_("NPS intervals: 95% adjusted Wald. Anonymity threshold: {k} employee responses.").format(k=k)]
if ctx.filters.active:
    notes.append(_("Filtered view."))
widgets.download_table(_("departments"), "overview_table", lambda: table_xlsx(table, _("Departments"), notes),
                       lambda: table_csv(table, state.language()))
