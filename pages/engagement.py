"""Engagement: index by department, the statement heatmap, answer distributions, eNPS and alpha."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.present import breakdowns, charts, model
from lib.figures import drivers
from lib.figures.themes import counted_masked
from lib.i18n import _
from ui import state, widgets
from ui.data import Context, kept

ctx: Context = state.context()
st.title(_("Engagement"))
widgets.sample_note()
s = ctx.summary
widgets.need(s is not None and s.employee is not None, _("Upload an employee survey to see engagement."))
k = s.settings.min_group
e = s.engagement
if e is None or e.suppressed:
    st.info(_("No employee figure is shown for this selection, to protect anonymity. Widen the filters to see "
              "figures."), icon=":material/lock:")
    for w in s.warnings:
        st.caption(str(w))
    st.stop()
for w in s.employee_view.notices if s.employee_view else ():
    st.caption(str(w))

cards = st.columns(4)
cards[0].metric(_("Engagement index"), model.number(e.index), border=True)
cards[0].caption(widgets.interval(e.index_ci95, e.n))
cards[1].metric(_("Favourable %"), model.number(e.favorable_pct), border=True,
                help=_("Interval with the person as the unit: one person gives several answers, so the answers are "
                       "not independent (ratio estimator, respondents as clusters)."))
cards[1].caption(widgets.interval(e.favorable_ci95, e.n))
cards[2].metric(_("eNPS"), model.number(s.enps.score) if s.enps else "–", border=True)
if s.enps and s.enps.ci95:
    cards[2].caption(_("95% interval {interval}").format(interval=model.interval(s.enps.ci95)))
alpha = s.alpha
cards[3].metric(_("Cronbach's alpha"), model.number(alpha.alpha, 'r') if alpha and alpha.alpha is not None else "–",
                border=True, help=_("Internal consistency of the statements (listwise); 0.7 or more is usually taken as good."))
if alpha and alpha.alpha is not None:
    cards[3].caption(_("{items} statements · n = {n}").format(items=alpha.items, n=alpha.n))
if s.pulse is not None:
    st.caption(_("Pulse: {mean} on its {low}–{high} scale · n = {n}").format(
        mean=model.number(s.pulse.mean), low=s.pulse.low, high=s.pulse.high, n=s.pulse.n))
widgets.rest_flags(ctx, ("enps", "engagement"))
if s.nordic.hme is not None:
    widgets.hme(s)
if s.nordic.nmi is not None:
    widgets.satisfaction_index(_("NMI (unweighted)"), s.nordic.nmi)
reversed_items = [i for i in s.employee.items if i.reverse]
if reversed_items:
    st.caption(_("Scored reversed: {names}.").format(names="; ".join(model.quote(i.label) for i in reversed_items)))

by_dept = widgets.many_units(kept(ctx, "engagement_by_department", breakdowns.engagement_by_department, s), "engagement",
                             "engagement")
left, right = st.columns(2)
with left:
    widgets.chart(charts.engagement_by_department, (by_dept, k), "engagement_by_department", _("engagement-by-department"),
                  select=True)
with right:
    if s.employee.has_recommend and by_dept["enps"].notna().any():
        widgets.chart(charts.enps_by_department, (by_dept,), "enps_by_department", _("enps-by-department"))


def heatmap() -> None:
    """Department × statement; a click on a department filters every view, so this reruns the whole app."""
    value = st.segmented_control(_("Show"), ["favorable_pct", "difference"], key=state.HEATMAP_VALUE,
                                 default="favorable_pct",
                                 format_func={"favorable_pct": _("Favourable %"),
                                              "difference": _("Difference from the organisation")}.get)
    data = kept(ctx, "item_favorability", breakdowns.item_favorability, s)
    if len(data) and data["department"].nunique() > widgets.MANY_UNITS:
        shown = widgets.many_units(by_dept, "heatmap", "engagement")["department"]
        data = data[data["department"].isin(shown)]
    if data.empty:
        st.info(_("No statements to show."))
        return
    widgets.chart(charts.item_heatmap, (data, value or "favorable_pct", k), "item_heatmap", _("statements-by-department"),
                  select=True)
    st.caption(_("Grey cells with “–” are hidden to protect anonymity; point at one to see why. Reverse-worded "
                 "statements are scored turned round, so that a high favourable % is good for every statement."))


heatmap()
dist = kept(ctx, "item_distribution", breakdowns.item_distribution, s)
if not dist.empty:
    widgets.chart(charts.item_diverging, (dist, {i.label for i in s.employee.items if i.reverse}), "item_distribution",
                  _("answers-per-statement"))

weights = kept(ctx, "relative_importance", drivers.relative_importance, s)
if weights is not None:
    st.markdown("### " + _("Key drivers"))
    st.caption(_("Relative weights (Johnson 2000) over {n} employees who answered the recommend question (a "
                 "“don't know” leaves out that answer only): how the variance the statements explain together "
                 "(R² = {r2}) divides among them, fairly where they overlap. Lines: 95% intervals from {b} bootstrap "
                 "resamples.").format(n=model.count(weights.n), r2=model.number(weights.r_squared, 'r'),
                                      b=model.count(weights.resamples)))
    widgets.chart(charts.relative_weights, (weights.table,), "relative_weights", _("key-drivers"))
    t = weights.table
    widgets.show_table(pd.DataFrame({
        _("Rank"): t["rank"], _("Statement"): t["statement"],
        _("Ahead of the next?"): [_("tied") if tied else (_("yes") if i < len(t) - 1 else "")
                                  for i, tied in enumerate(t["tied_with_next"])],
        _("Above random noise?"): [_("yes") if b else _("no") for b in t["beats_random"]],
        _("Answered"): t["answered"]}))
    st.caption(_("Statements share a rank where the data cannot tell their weights apart (the 95% interval of the "
                 "difference holds zero: Tonidandel, LeBreton & Johnson 2009). “Above random noise”: the statement's "
                 "weight beats that of a column of random numbers put in the model beside it."))

# the comments (their groups under the comment rule, the shuffle, the count) are worked out once the box is opened
box = st.expander(_("Comments"), key=state.EMPLOYEE_COMMENTS_OPEN, on_change="rerun")
if box.open:
    shown, why = kept(ctx, "employee_comments", breakdowns.comments, s, "employee")
    if why:
        box.info(str(why), icon=":material/lock:")
    elif not shown:
        box.caption(_("No comments in this selection."))
    else:
        box.caption(_("{n} comments, shown in random order, without department or date.").format(
            n=widgets.count(len(shown))))
        # repeated comments once, with their count
        for text, n in kept(ctx, "employee_comment_lines", lambda: counted_masked(shown)[:200]):
            box.text(f"{text}  (×{n})" if n > 1 else text)
