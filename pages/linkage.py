"""Linkage: do departments with more engaged staff have more loyal customers?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.present import breakdowns, charts, model
from lib.present import overview as first_screen
from lib.figures import lagged, periods
from lib.i18n import _
from lib.figures.summary import CUSTOMER_MEASURES, EMPLOYEE_MEASURES, offered_measures
from ui import state, widgets
from ui.data import Context, kept

ctx: Context = state.context()
st.title(_("Linkage"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None and s.linkage is not None,
             _("Upload both a customer and an employee survey to link them by department."))
link = s.linkage
r = link.result

customer_options, employee_options = offered_measures(ctx.customer, ctx.employee, ctx.settings.hme)
state.keep_valid_link_measures(customer_options, employee_options)
if len(customer_options) > 1 or len(employee_options) > 1:
    left, right = st.columns(2)
    left.segmented_control(_("Customer measure"), customer_options, key=state.LINK_CUSTOMER,
                           format_func=lambda m: str(CUSTOMER_MEASURES[m]))
    right.segmented_control(_("Employee measure"), employee_options, key=state.LINK_EMPLOYEE,
                            format_func=lambda m: str(EMPLOYEE_MEASURES[m]))
x_label, y_label = str(link.employee_label), str(link.customer_label)

cards = st.columns(3)
cards[0].metric(_("Correlation (r)"), model.number(r.pearson_r, "r"), border=True,
                help=_("Pearson's r across departments; p = {p} (the chance of an r this far from zero if there were "
                       "no relation).").format(p=model.number(r.pearson_p, "p")))
if r.pearson_ci95:
    cards[0].caption(_("95% interval {interval}").format(interval=model.interval(r.pearson_ci95, "r")))
cards[1].metric(_("Spearman rho"), model.number(r.spearman_rho, "r"), border=True,
                help=_("p = {p}").format(p=model.number(r.spearman_p, "p")) if r.spearman_p is not None else None)
cards[2].metric(_("Departments used"), model.count(r.n), border=True)
for w in first_screen.messages(link.warnings, len(ctx.filters.departments or ())):
    st.info(w)
st.caption(_("Each point is a department. A department-level correlation describes departments, not people: "
             "it does not show that engaged employees create promoters."))

points = kept(ctx, "linkage_points", breakdowns.linkage_points, s)
if not points.empty:
    widgets.chart(charts.linkage_scatter, (points, breakdowns.fitted_line(points), x_label, y_label), "linkage_scatter",
                  _("engagement-vs-nps"), select=True)
    st.caption(_("Dashed lines: the average department. Red line: least-squares fit."))

extra = st.columns(3)
extra[0].metric(_("Weighted r (by customer answers)"), model.number(link.weighted_r, "r"), border=True,
                help=_("Each department weighted by its customer answers: a check on r, which weighs every department "
                       "alike."))
if link.reliability is not None:
    extra[1].metric(_("ICC(1)"), model.number(link.reliability.icc1, 'r'), border=True,
                    help=_("The share of the differences in engagement that lies between departments."))
    extra[2].metric(_("ICC(2)"), model.number(link.reliability.icc2, 'r'), border=True,
                    help=_("How reliable the department means are (0.7 or more is usually taken as good)."))
both = st.columns(3)
if link.customer_reliability is not None:
    both[0].metric(_("Reliability of department NPS"), model.number(link.customer_reliability, 'r'), border=True,
                   help=_("The share of the spread of department NPS that is not sampling noise: 1 − mean squared "
                          "standard error ÷ variance across departments."))
if link.corrected is not None:
    both[1].metric(_("r corrected for unreliability"), model.number(link.corrected.r, 'r'), border=True,
                   help=_("Spearman's correction: r ÷ √(reliability of both sides). An estimate of the correlation "
                          "of the departments' true figures; the observed r above is what the data show."))
    if link.corrected.ci95:
        both[1].caption(_("95% interval {lo} to {hi}").format(lo=model.number(link.corrected.ci95[0], 'r'),
                                                              hi=model.number(link.corrected.ci95[1], 'r')))
    if link.corrected.at_bound:
        both[1].caption(_("The correction goes past ±1 and is shown at the bound: the reliabilities are too low to "
                          "say more than the interval does."))
st.caption(str(breakdowns.minimum_note(ctx.settings.min_customers, "linkage")))

if ctx.dates:
    st.markdown("### " + _("Does {employee} lead {customer}?").format(employee=x_label, customer=y_label))
    kinds = periods.offered(ctx.customer, ctx.employee)
    state.start_among(state.PERIOD, kinds, "quarter")
    left, right = st.columns(2)
    kind = left.segmented_control(_("Period"), kinds, key=state.PERIOD,
                                  format_func=lambda k: str(periods.PERIODS[k])) or "quarter"
    state.start_among(state.LAG, [0, 1, 2], 1)
    chosen = right.segmented_control(_("Lag (periods)"), [0, 1, 2], key=state.LAG)
    lags = kept(ctx, "lagged", lagged.lagged_linkage, ctx.customer, ctx.employee, ctx.filters, ctx.settings, kind,
                extra=kind)
    cols = st.columns(len(lags))
    for col, x in zip(cols, lags):
        r_lag = x.linkage.result
        label = _("Lag {lag}").format(lag=x.lag) + (" ◀" if x.lag == chosen else "")
        col.metric(label, model.number(r_lag.pearson_r, 'r') if r_lag.pearson_r is not None else "–", border=True,
                   help=_("Level-to-level correlation of department-periods (no p-value: the points are not "
                          "independent)."))
        col.caption(_("{n} department-periods").format(n=model.count(r_lag.n)))
        slope = x.lead.slope if x.lead else None
        if slope is not None:
            col.caption(_("Within departments: {b} per point (95% interval {lo} to {hi}), p = {p}").format(
                b=model.number(slope.estimate, 'r'), lo=model.number(slope.ci95[0], 'r'), hi=model.number(slope.ci95[1], 'r'),
                p=model.number(slope.p, 'p')))
        elif x.lead is not None and x.lead.reason is not None:
            col.caption(str(x.lead.reason))
    pick = next((x for x in lags if x.lag == chosen), None)
    if pick is not None and pick.lead is not None and pick.lead.slope is not None:
        b = pick.lead.slope
        words = dict(employee=x_label, customer=y_label, lag=pick.lag, b=model.number(b.estimate, 'r'),
                     lo=model.number(b.ci95[0], 'r'), hi=model.number(b.ci95[1], 'r'), p=model.number(b.p, 'p'))
        if pick.lead.leads:
            st.success(_("{employee} leads {customer}: within departments, a 1-point rise in {employee} was followed "
                         "{lag} period(s) later by a change of {b} points in {customer} (95% interval {lo} to {hi}, "
                         "p = {p}), and not the other way round.").format(**words))
        else:
            st.info(_("No lead shown: within departments, a 1-point change in {employee} went with a change of {b} "
                      "points in {customer} {lag} period(s) later (95% interval {lo} to {hi}, p = {p}).").format(**words))
    st.caption(_("The numbers under each lag: {employee} in each period against {customer} the chosen number of periods "
                 "later, level to level (each point one department in one pair of periods). A department's lasting "
                 "level makes every lag look alike, so only the within-department test can show a lead: each "
                 "department's change in {customer} against its earlier change in {employee}, with an effect per "
                 "period and errors clustered by department (wild cluster bootstrap).").format(
        employee=x_label, customer=y_label))

if link.excluded:
    st.markdown("##### " + _("Departments left out"))
    widgets.show_table(pd.DataFrame({_("Department"): [x.department for x in link.excluded],
                                     _("Why"): [str(x.reason) for x in link.excluded]}), "excluded")

drivers = kept(ctx, "drivers", breakdowns.drivers, s)
if not drivers.empty:
    st.markdown("### " + _("Drivers"))
    st.caption(_("Department level: how strongly each statement's favourable % across departments goes with "
                 "department NPS. With few departments and statements that move together, most of these are "
                 "chance; the tooltip gives p corrected for testing every statement (Holm). The Engagement page "
                 "weighs the statements at respondent level."))
    widgets.chart(charts.drivers, (drivers,), "drivers", _("drivers"))
