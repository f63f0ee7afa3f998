"""Survey explorer: the entry point. Page config, sidebar filters, navigation; pages do the rest."""

from __future__ import annotations

import streamlit as st

from lib.errors import OptionError
from lib.i18n import _, set_language
from ui import access, data, sidebar, state, warm, widgets

set_language(state.init_language())
# "auto": the sidebar starts collapsed on narrow screens (a tablet, a projector at 800 px), open on wide ones
st.set_page_config(page_title=_("Survey explorer"), page_icon=":material/insights:", layout="wide",
                   initial_sidebar_state="auto")
widgets.narrow_screen_style()

analysis = [
    st.Page("pages/data.py", title=_("Data"), icon=":material/upload_file:", url_path="data"),
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/customer.py", title=_("Customer NPS"), icon=":material/sentiment_satisfied:", url_path="customer"),
    st.Page("pages/engagement.py", title=_("Engagement"), icon=":material/groups:", url_path="engagement"),
    st.Page("pages/linkage.py", title=_("Linkage"), icon=":material/scatter_plot:", url_path="linkage"),
    st.Page("pages/trends.py", title=_("Over time"), icon=":material/timeline:", url_path="trends"),
    st.Page("pages/comments.py", title=_("Comments"), icon=":material/forum:", url_path="comments"),
]
# who the visitor is decides which pages exist for them: a page not listed cannot run (a manager asking for /data gets
# the published results), so access holds on the server, not by hiding widgets
who, problem = None, None
if access.signed_in():
    try:
        who = access.visitor()
    except OptionError as exc:  # the store cannot be read: said after sign-in, in one sentence
        problem = exc
results = st.Page("pages/published.py", title=_("Published results"), icon=":material/verified:", url_path="results",
                  default=who is not None and who.role == "manager")
if who is not None and who.role == "lead":
    pages = [*analysis, st.Page("pages/publish.py", title=_("Publish"), icon=":material/publish:", url_path="publish"),
             results]
elif who is not None and who.role == "manager":
    pages = [results]
else:
    pages = analysis
# the pages are listed only to a visitor who may use them; before sign-in, the navigation is there but hidden (without
# it Streamlit would list its pages/ folder)
page = st.navigation(pages, position="top" if who is not None and who.role is not None else "hidden")
access.gate()
access.refuse(who, problem)
state.init(sample=who.analyses)
if not who.analyses or page is results:  # the published results have their own filters, not the files'
    sidebar.language()
    page.run()
    st.stop()
state.follow_language_with_sample()
pending = state.pending_page()
if pending:
    st.switch_page(pending)

context = data.build_context()
state.set_context(context)
sidebar.render(context)
for text in state.take_notes():
    st.toast(str(text), icon=":material/link_off:")
state.write_query(context.dates)
if context.error:
    st.error(context.error)
try:
    page.run()
finally:  # once per server process, after the first page has drawn (st.stop() ends a page early)
    warm.imports()
