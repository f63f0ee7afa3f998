"""Publish (leads only): the current analysis as a named snapshot, the snapshots in the store, and the access list.

A snapshot holds only what the privacy module released (:mod:`lib.publish.snapshot`); the people on the access list
see it on the Published results page, a manager their own units only. The role is checked here on every run, as the
navigation lists this page for a lead alone.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from lib.errors import OptionError
from lib.i18n import _
from lib.publish.snapshot import build, employee_digest, threshold
from lib.publish.store import grant_of, grants_from_bytes
from ui import access, state, widgets
from ui.data import Context

ctx: Context = state.context()
st.title(_("Publish"))
try:
    who = access.visitor()
    store = access.store()
except OptionError as exc:
    st.error(str(exc))
    st.stop()
if who.role != "lead":
    st.error(_("Only a lead publishes; ask the person who runs the survey."))
    st.stop()
done = state.take_done()
if done:
    st.success(widgets.plain(done))
ROLES = {"lead": _("lead: publishes and sees everything"), "manager": _("manager: sees their units and those below")}


def act(work, said: str) -> None:  # type: ignore[no-untyped-def]
    """Do ``work()``; then show the page again with ``said``, or the one sentence of what went wrong."""
    try:
        work()
    except OptionError as exc:
        st.error(str(exc))
        return
    state.done(said)
    st.rerun()


st.markdown("### " + _("Publish this analysis"))
st.caption(_("A snapshot keeps only what the anonymity rules release: per protection group of at least {k} people, "
             "the sums every figure needs, and the comments the comment rule allows; never a row, id, date or other "
             "text. Its viewers choose their own units, dates and segments; the filters here are not kept.").format(
    k=threshold(ctx.settings)))
if ctx.customer is None and ctx.employee is None:
    st.info(_("Upload a customer or an employee survey to publish it."))
else:
    if state.using_sample():
        st.warning(_("These are the bundled sample data, not your organisation's; upload your own files on the Data "
                     "page to publish them."))
    name = st.text_input(_("Snapshot name"), key=state.PUBLISH_NAME, placeholder=_("Spring 2026"))
    if st.button(_("Publish"), icon=":material/publish:", disabled=not name.strip(), type="primary"):
        def publish() -> None:
            snapshot = build(name.strip(), ctx.customer, ctx.employee, replace(ctx.settings, unit=None, level=None),
                             digest=employee_digest(ctx.loaded))
            store.publish(snapshot, by=who.email)

        act(publish, _("Published: {name}.").format(name=name.strip()))

st.markdown("### " + _("Snapshots"))
listed = store.list()
if not listed:
    st.caption(_("Nothing has been published yet."))
else:
    status = {"published": _("published"), "withdrawn": _("withdrawn")}
    st.dataframe(pd.DataFrame([(x.id, x.name, x.published_at[:16].replace("T", " "), x.published_by,
                                status.get(x.status, x.status)) for x in listed],
                              columns=[_("Id"), _("Name"), _("Published (UTC)"), _("By"), _("Status")]),
                 hide_index=True, width="stretch")
    by_id = {x.id: x for x in listed}
    state.start_among(state.MANAGED, list(by_id), listed[0].id)
    sid = st.selectbox(_("Snapshot to change"), options=list(by_id), key=state.MANAGED,
                       format_func=lambda i: f"{i}: {by_id[i].name}")
    chosen = by_id[sid]
    row = st.container(horizontal=True, vertical_alignment="bottom")
    new_name = row.text_input(_("New name"), key=f"{state.RENAME}::{sid}")
    if row.button(_("Rename"), disabled=not new_name.strip()):
        act(lambda: store.rename(sid, new_name.strip()), _("Renamed."))
    if chosen.status == "published":
        if row.button(_("Withdraw"), help=_("Kept, but nobody sees it until it is published again.")):
            act(lambda: store.withdraw(sid), _("Withdrawn: {name}.").format(name=chosen.name))
    elif row.button(_("Publish again")):
        act(lambda: store.restore(sid), _("Published again: {name}.").format(name=chosen.name))
    sure = row.checkbox(_("Yes, delete it"), key=f"{state.DELETE_SURE}::{sid}")  # asked again for every snapshot
    if row.button(_("Delete"), disabled=not sure, icon=":material/delete:"):
        act(lambda: store.delete(sid), _("Deleted: {name}.").format(name=chosen.name))

st.markdown("### " + _("Access list"))
st.caption(_("Who sees the published results when they sign in: an e-mail address, or group:NAME for a group of the "
             "identity provider. A manager sees their units, the units below them and the organisation's total."))
grants = store.access()
if grants:
    st.dataframe(pd.DataFrame([(x.who, {"lead": _("lead"), "manager": _("manager")}.get(x.role, x.role),
                                ", ".join(x.units))
                               for x in grants], columns=[_("Who"), _("Role"), _("Units")]),
                 hide_index=True, width="stretch")
published_units = store.newest_units()
units = published_units | (set() if state.using_sample() else set(ctx.departments))
if ctx.settings.hierarchy is not None:
    units |= {u for u, _depth in ctx.settings.hierarchy.units()}
with st.form("grant", border=True):  # kept after a submit: an error names what was typed
    who_text = st.text_input(_("E-mail address or group:NAME"), key=state.ACCESS_WHO)
    role = st.selectbox(_("Role"), options=list(ROLES), format_func=ROLES.__getitem__, key=state.ACCESS_ROLE,
                        index=None, placeholder=_("Choose a role"))  # no role by default: a lead sees everything
    chosen_units = st.multiselect(_("Units (for a manager)"), options=sorted(units, key=str.casefold),
                                  key=state.ACCESS_UNITS, accept_new_options=True)
    if st.form_submit_button(_("Grant"), icon=":material/person_add:"):
        unknown = [u for u in chosen_units if u not in published_units] if published_units else []
        said = _("Granted: {who}.").format(who=who_text.strip())
        if unknown:
            said += " " + _("Not in the newest snapshot: {units}; check the spelling.").format(units=", ".join(unknown))
        if role is None:
            st.error(_("Choose a role: lead or manager."))
        else:
            act(lambda: store.grant(grant_of(who_text, role, chosen_units)), said)
if grants:
    row = st.container(horizontal=True, vertical_alignment="bottom")
    gone = row.selectbox(_("Remove a line"), options=[x.who for x in grants], key=state.ACCESS_REVOKE)
    if row.button(_("Remove"), icon=":material/person_remove:"):  # the store refuses to remove the last lead
        act(lambda: store.revoke(gone.removeprefix("group:")), _("Removed: {who}.").format(who=gone))
upload = st.file_uploader(_("Load lines from a CSV file (who, role, units separated by | or ;)"), type=["csv", "txt"],
                          key=state.ACCESS_UPLOADER)
if upload is not None and st.button(_("Load the file's lines")):
    act(lambda: store.grant_all(grants_from_bytes(upload.getvalue(), upload.name)),
        _("Loaded the lines of {file}.").format(file=upload.name))
