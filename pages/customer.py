"""Customer NPS: by department with intervals, the P/P/D split, the 0–10 distribution and the trend."""

from __future__ import annotations

import streamlit as st

from lib.present import breakdowns, charts, model
from lib.figures.themes import counted
from lib.i18n import _
from lib.privacy.personal import mask
from ui import state, widgets
from ui.data import Context, kept

ctx: Context = state.context()
st.title(_("Customer NPS"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None and s.customer is not None, _("Upload a customer survey to see its NPS."))
widgets.need(s.nps is not None and s.nps.n > 0, _("No customer answers match the filters."))

lo, hi = s.nps.ci95
st.metric(_("Customer NPS"), model.number(s.nps.score), border=True)
st.caption(_("95% interval {interval} · {p} promoters, {a} passives, {d} detractors · n = {n}").format(
    interval=model.interval((lo, hi)), p=model.count(s.nps.promoters), a=model.count(s.nps.passives),
    d=model.count(s.nps.detractors), n=model.count(s.nps.n)))

if s.nordic.nki is not None:
    widgets.satisfaction_index(_("NKI (unweighted)"), s.nordic.nki)

by_dept = kept(ctx, "nps_by_department", breakdowns.nps_by_department, s)
small = [f"{r.department} (n = {r.n})" for r in by_dept[by_dept["small"]].itertuples()]
if small:
    st.warning(_("Too few customer answers for an NPS (fewer than {m}) in: {names}.").format(
        m=s.settings.min_customers, names=", ".join(small)))
st.caption(str(breakdowns.minimum_note(s.settings.min_customers, "customer")))
widgets.rest_flags(ctx, ("nps",))
chosen = widgets.many_units(by_dept, "nps", "nps")
shares = kept(ctx, "nps_shares", breakdowns.nps_shares, s)
left, right = st.columns(2)
with left:
    widgets.chart(charts.nps_by_department, (chosen,), "nps_by_department", _("nps-by-department"), select=True)
with right:
    widgets.chart(charts.nps_shares, (shares[shares["department"].isin(chosen["department"])],), "nps_shares",
                  _("nps-shares"), select=True)

left, right = st.columns(2)
with left:
    distribution = kept(ctx, "score_distribution", breakdowns.score_distribution, s)
    widgets.chart(charts.score_distribution, (distribution,), "nps_distribution", _("nps-distribution"))


@st.fragment
def trend() -> None:
    period = st.segmented_control(_("Period"), ["M", "Q"], key=state.TREND_PERIOD, default="M",
                                  format_func={"M": _("Month"), "Q": _("Quarter")}.get)
    data = kept(ctx, "nps_trend", breakdowns.nps_trend, s, period or "M", extra=period or "M")
    if data.empty:
        st.info(_("The customer survey has no usable dates, so there is no trend."))
    else:
        widgets.chart(charts.nps_trend, (data,), "nps_trend", _("nps-trend"))


with right:
    trend()

if s.customer is not None and s.customer.comments:
    # the comments are read, shuffled and counted only once the expander is opened
    box = st.expander(_("Customer comments"), key=state.CUSTOMER_COMMENTS_OPEN, on_change="rerun")
    if box.open:
        shown, _why = kept(ctx, "customer_comments", breakdowns.comments, s, "customer")
        if not shown:
            box.caption(_("No comments in this selection."))
        else:
            box.caption(_("{n} comments, shown in random order, without date.").format(n=widgets.count(len(shown))))
            # repeated comments once, with their count; masked as shown
            for text, n in kept(ctx, "customer_comment_lines", lambda: counted(shown)[:200]):
                box.text(f"{mask(text)}  (×{n})" if n > 1 else mask(text))
