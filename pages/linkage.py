"""Linkage: do departments with more engaged staff have more loyal customers?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.present import breakdowns, charts
from lib.figures import lagged, periods
from lib.i18n import _
from lib.figures.summary import CUSTOMER_MEASURES, EMPLOYEE_MEASURES
from ui import state, widgets
from ui.data import Context

ctx: Context = state.context()
st.title(_("Linkage"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None and s.linkage is not None,
             _("Upload both a customer and an employee survey to link them by department."))
link = s.linkage
r = link.result

customer_options = ["nps", *(["nki"] if s.nordic.nki is not None else [])]
employee_options = ["engagement", *(["nmi"] if s.nordic.nmi is not None else []),
                    *(["hme"] if s.nordic.hme is not None else [])]
state.keep_valid_link_measures(customer_options, employee_options)
if len(customer_options) > 1 or len(employee_options) > 1:
    left, right = st.columns(2)
    left.segmented_control(_("Customer measure"), customer_options, key=state.LINK_CUSTOMER,
                           format_func=lambda m: str(CUSTOMER_MEASURES[m]))
    right.segmented_control(_("Employee measure"), employee_options, key=state.LINK_EMPLOYEE,
                            format_func=lambda m: str(EMPLOYEE_MEASURES[m]))
x_label, y_label = (str(EMPLOYEE_MEASURES[s.settings.employee_measure]),
                    str(CUSTOMER_MEASURES[s.settings.customer_measure]))

cards = st.columns(4)
cards[0].metric(_("Correlation (r)"), widgets.fmt(r.pearson_r, 2) if r.pearson_r is not None else "–", border=True)
if r.pearson_ci95:
    cards[0].caption(_("95% interval {lo} to {hi}").format(lo=widgets.fmt(r.pearson_ci95[0], 2),
                                                           hi=widgets.fmt(r.pearson_ci95[1], 2)))
cards[1].metric(_("p-value"), widgets.fmt(r.pearson_p, 3) if r.pearson_p is not None else "–", border=True)
cards[2].metric(_("Spearman rho"), widgets.fmt(r.spearman_rho, 2) if r.spearman_rho is not None else "–", border=True)
if r.spearman_p is not None:
    cards[2].caption(_("p = {p}").format(p=widgets.fmt(r.spearman_p, 3)))
cards[3].metric(_("Departments used"), str(r.n), border=True)
for w in link.warnings:
    st.warning(str(w))
st.caption(_("Each point is a department. A department-level correlation describes departments, not people: "
             "it does not show that engaged employees create promoters."))

points = breakdowns.linkage_points(s)
if not points.empty:
    widgets.chart(charts.linkage_scatter(points, breakdowns.fitted_line(points), x_label, y_label), "linkage_scatter",
                  _("engagement-vs-nps"), select=True)
    st.caption(_("Dashed lines: the average department. Red line: least-squares fit."))

extra = st.columns(3)
extra[0].metric(_("Weighted r (by customer answers)"), widgets.fmt(link.weighted_r, 2) if link.weighted_r is not None
                else "–", border=True, help=_("Each department weighted by its customer answers: a check on r, which "
                                               "weighs every department alike."))
if link.reliability is not None:
    extra[1].metric(_("ICC(1)"), widgets.fmt(link.reliability.icc1, 2), border=True,
                    help=_("The share of the differences in engagement that lies between departments."))
    extra[2].metric(_("ICC(2)"), widgets.fmt(link.reliability.icc2, 2), border=True,
                    help=_("How reliable the department means are (0.7 or more is usually taken as good)."))

if ctx.dates:
    st.markdown("### " + _("Does engagement lead customer NPS?"))
    kinds = periods.offered(ctx.customer, ctx.employee)
    state.start_among(state.PERIOD, kinds, "quarter")
    left, right = st.columns(2)
    kind = left.segmented_control(_("Period"), kinds, key=state.PERIOD,
                                  format_func=lambda k: str(periods.PERIODS[k])) or "quarter"
    state.start_among(state.LAG, [0, 1, 2], 1)
    chosen = right.segmented_control(_("Lag (periods)"), [0, 1, 2], key=state.LAG)
    lags = lagged.lagged_linkage(ctx.customer, ctx.employee, ctx.filters, ctx.settings, kind)
    cols = st.columns(len(lags))
    for col, x in zip(cols, lags):
        r_lag = x.linkage.result
        label = _("Lag {lag}").format(lag=x.lag) + (" ◀" if x.lag == chosen else "")
        col.metric(label, widgets.fmt(r_lag.pearson_r, 2) if r_lag.pearson_r is not None else "–", border=True)
        col.caption(_("{n} department-periods · p = {p}").format(n=r_lag.n, p=widgets.fmt(r_lag.pearson_p, 3)))
    st.caption(_("Engagement in each period against customer NPS the chosen number of periods later; each point is "
                 "one department in one pair of periods, with the exclusions above. Points of one department are "
                 "not independent, so compare the lags rather than read the p-values strictly."))

if link.excluded:
    st.markdown("##### " + _("Departments left out"))
    st.dataframe(pd.DataFrame({_("Department"): [x.department for x in link.excluded],
                               _("Why"): [str(x.reason) for x in link.excluded]}), hide_index=True, width="stretch")

drivers = breakdowns.drivers(s)
if not drivers.empty:
    st.markdown("### " + _("Drivers"))
    st.caption(_("Department level: how strongly each statement's favourable % across departments goes with "
                 "department NPS. With few departments and statements that move together, most of these are "
                 "chance; the tooltip gives p corrected for testing every statement (Holm). The Engagement page "
                 "weighs the statements at respondent level."))
    widgets.chart(charts.drivers(drivers), "drivers", _("drivers"))
