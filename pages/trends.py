"""Over time: each period's figures, what changed for real between two periods, and the weekly pulse."""

from __future__ import annotations

import streamlit as st

from lib.present import breakdowns, charts, model
from lib.figures import comparisons, periods
from lib.i18n import _
from ui import state, widgets
from ui.data import Context, kept

ctx: Context = state.context()
st.title(_("Over time"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None and bool(ctx.dates), _("Upload a survey with response dates to see its figures over time."))

kinds = periods.offered(ctx.customer, ctx.employee)
state.start_among(state.PERIOD, kinds, "quarter")
kind = st.segmented_control(_("Period"), kinds, key=state.PERIOD, format_func=lambda k: str(periods.PERIODS[k])) \
    or "quarter"
# the totals of each period for the table and charts; the two periods compared below in full
summaries = kept(ctx, "period_totals", periods.by_period, ctx.customer, ctx.employee, ctx.filters, ctx.settings, kind,
                 False, extra=kind)
widgets.need(len(summaries) > 0, _("No answers in any period of this selection."))
table = kept(ctx, "period_table", breakdowns.period_table, summaries, kind, extra=kind)
if table["nps"].notna().any():
    widgets.chart(charts.period_trend, (table,), "period_trend", _("nps-over-time"))
if table["engagement"].notna().any():
    widgets.chart(charts.engagement_trend, (table,), "engagement_trend", _("engagement-over-time"))
if table["incomplete"].any():
    st.caption(_("* An incomplete period: its answers cover only part of it."))
st.caption(_("Employee figures of each period use only whole groups of at least {k} people in that period; a "
             "period without such a group shows none.").format(k=ctx.settings.min_group))

if len(summaries) >= 2:
    st.markdown("### " + _("What changed"))
    labels = [p.shown(kind) for p, _s in summaries]  # an incomplete period is marked wherever it is shown
    left, right = st.columns(2)
    state.start_among(state.CHANGE_FROM, labels, labels[-2])
    state.start_among(state.CHANGE_TO, labels, labels[-1])
    before = left.selectbox(_("From"), labels, key=state.CHANGE_FROM)
    after = right.selectbox(_("To"), labels, key=state.CHANGE_TO)
    a, b = labels.index(before), labels.index(after)
    if a == b:
        st.info(_("Choose two different periods."))
    else:
        first, second = kept(ctx, "period_pair", periods.full_summaries, ctx.customer, ctx.employee, ctx.filters,
                             ctx.settings, kind, [summaries[a][0], summaries[b][0]], extra=(kind, a, b))
        tests = kept(ctx, "change", comparisons.change, first, second, extra=(kind, a, b))
        st.caption(_("▲ or ▼: a real change after Holm's correction for testing every department at once (NPS and "
                     "eNPS by the adjusted-Wald test, the engagement index by Welch's t on each person's score). "
                     "Without an arrow: no detectable change; the table gives the smallest change these answers "
                     "could have detected."))
        if tests:
            widgets.model_table(model.change_table(tests), "changes", notes=False)
        else:
            st.info(_("No figure can be compared between these two periods: each needs answers in both (customer "
                      "NPS at least {m} answers, employee figures whole groups of at least {k}). Choose two periods "
                      "that both have answers.").format(m=ctx.settings.min_customers, k=ctx.settings.min_group))
        partial = [p.shown(kind) for p, _s in (summaries[a], summaries[b]) if p.incomplete]
        if partial:
            st.warning(_("Incomplete period compared with another: {periods}. Its answers cover only part of it, so "
                         "a change may be the season or the missing days.").format(periods="; ".join(partial)))
        few = comparisons.untested(first, second)
        if few:
            st.caption(_("NPS not compared, too few customer answers (fewer than {m}): {names}.").format(
                m=ctx.settings.min_customers, names=", ".join(f"{name} (n = {n1} → {n2})" for name, n1, n2 in few)))

pulse = table[table["pulse_n"] > 0]
if not pulse.empty:
    st.markdown("### " + _("Weekly pulse"))
    if kind != "week":
        st.caption(_("Choose the week as the period to see the pulse week by week."))
    widgets.chart(charts.pulse_trend, (pulse,), "pulse_trend", _("pulse"))
