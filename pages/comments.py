"""Comments: themes (chart and table, a theme's comments on click), the score of those who mention a theme against
the rest, the words and themes more frequent among detractors than promoters, new themes to consider, and the
codebook editor."""

from __future__ import annotations

import json

import streamlit as st

from lib.errors import SurveyError
from lib.figures.periods import PERIODS, offered
from lib.figures.themes import LANGUAGES, Codebook, theme_breakdown
from lib.i18n import _
from lib.present import comment_views
from ui import state, widgets
from ui.data import Context, comments_of, kept

ctx: Context = state.context()
st.title(_("Comments"))
widgets.sample_note()
s = ctx.summary
sides = [side for side in ("customer", "employee")
         if s is not None and getattr(s, side) is not None and getattr(s, side).comments]
widgets.need(bool(sides), _("Upload a survey with a comment column to see what people say."))
side = st.segmented_control(_("Comments of"), sides, key=state.COMMENT_SIDE, default=sides[0],
                            format_func={"customer": _("Customers"), "employee": _("Employees")}.get) or sides[0]
book = state.codebook()
lang = state.language()
with st.spinner(_("Reading the comments (the first time loads the Swedish and Finnish dictionaries)…")):
    report = comments_of(ctx, side, book, lang)
widgets.need(report is not None, _("This survey has no comments."))
k = s.settings.min_group if side == "employee" else 5
for note in report.notes:
    st.info(str(note))
st.caption(_("{n} comments · languages: {langs} · a theme is a keyword or phrase of the codebook in the comment's "
             "language; the score is the one each writer gave, not a guess from the words.").format(
    n=widgets.count(report.comments), langs=", ".join(f"{lg} {n}" for lg, n in sorted(report.languages.items()))))

if report.themes:
    left, right = st.columns([3, 2])
    with left:
        event = st.altair_chart(comment_views.theme_chart(report), on_select="rerun", key="theme_chart",
                                width="stretch")
        points = (event or {}).get("selection", {}).get("theme") if isinstance(event, dict) else None
        if points:
            state.set_comment_theme(points[0].get("key"))
    shown_keys = [t.key for t in report.themes if not t.hidden]
    names = {t.key: t.name for t in report.themes}
    with right:
        if shown_keys:
            current = state.comment_theme()
            chosen = st.selectbox(_("Comments about"), shown_keys, format_func=names.get,
                                  index=shown_keys.index(current) if current in shown_keys else 0)
            listed = comment_views.theme_comments(report, chosen)
            st.caption(_("{n} different comments; a repeated comment is shown once with its count. Personal data "
                         "(e-mail, phone, id numbers, names after a greeting) is masked.").format(n=len(listed)))
            for text, n in listed[:100]:
                st.text(f"{text}  (×{n})" if n > 1 else text)
    st.subheader(_("Themes and the score"))
    st.caption(_("Score of those who mention a theme against those who do not (NPS points for NPS and eNPS, the "
                 "mean for a pulse question), with the 95% interval; a difference is said to hold only when its "
                 "Holm-corrected p is below 0.05."))
    table = comment_views.theme_table(report, k)
    st.dataframe(table.drop(columns=["key"]), hide_index=True, width="stretch")

st.subheader(_("What detractors say more than promoters"))
st.caption(_("Log-likelihood G² (Rayson and Garside 2000) per word and language, Benjamini–Hochberg-corrected over "
             "the words; for themes, Dunning's G² on writers, Holm-corrected. Words in one comment are not "
             "independent, so read the p-values as a ranking."))
words = comment_views.key_table(report.key_words)
themes = comment_views.key_table(report.key_themes, themes=True)
if words.empty and themes.empty:
    st.info(_("No word or theme is more frequent among detractors than among promoters here."))
else:
    left, right = st.columns(2)
    left.dataframe(words.head(30), hide_index=True, width="stretch")
    right.dataframe(themes, hide_index=True, width="stretch")

st.subheader(_("Themes over time and by department"))
st.caption(_("Each theme's share of the comments of a period or a department. Employee comments count only from "
             "whole comment groups, and a theme is shown for a group only when at least {k} writers mention it.")
           .format(k=k))
kinds = {kind: str(label) for kind, label in PERIODS.items() if kind in offered(s.customer, s.employee)}
period = st.selectbox(_("Period"), list(kinds), format_func=kinds.get, index=list(kinds).index("quarter")
                      if "quarter" in kinds else 0)
breakdown = kept(ctx, "theme_breakdown", theme_breakdown, s, side, book, lang, period, extra=(side, book, period))
if breakdown is not None:
    left, right = st.columns(2)
    left.dataframe(comment_views.breakdown_table(breakdown, "period"), hide_index=True, width="stretch")
    right.dataframe(comment_views.breakdown_table(breakdown, "department"), hide_index=True, width="stretch")

st.subheader(_("Possible new themes"))
if st.toggle(_("Suggest new themes from the comments no theme covers"), key=state.COMMENT_SUGGEST):
    with st.spinner(_("Looking for themes in the comments no theme covers…")):
        suggested = comments_of(ctx, side, book, lang, suggest=True)
    if suggested is not None and suggested.suggestions:
        st.caption(_("Found by NMF in the comments no theme covers, per language; add one to the codebook below."))
        for sug in suggested.suggestions:
            st.text(f"{sug.language}: {', '.join(sug.terms)}  ({sug.comments})")
    else:
        st.info(_("No new theme stands out among the comments no theme covers."))


def _editor(book: Codebook) -> None:
    """Rename a theme, change its keywords, merge themes, add a theme; download or upload the codebook."""
    key = st.selectbox(_("Theme"), book.keys, format_func=lambda k: book.theme(k).name(lang), key="codebook_theme")
    theme = book.theme(key)
    cols = st.columns(3)
    renamed = {lg: cols[i].text_input(_("Name ({lang})").format(lang=lg), theme.names.get(lg, ""), key=f"cb_name_{key}_{lg}")
               for i, lg in enumerate(LANGUAGES)}
    kws = {lg: cols[i].text_area(_("Keywords ({lang}), one per line; * matches compounds").format(lang=lg),
                                 "\n".join(theme.keywords.get(lg, ())), key=f"cb_kw_{key}_{lg}")
           for i, lg in enumerate(LANGUAGES)}
    if st.button(_("Save this theme"), key="cb_save"):
        for lg in LANGUAGES:
            book = book.rename(key, lg, renamed[lg]).with_keywords(key, lg, kws[lg].splitlines())
        state.set_codebook(book)
        st.rerun()
    merge = st.multiselect(_("Merge these themes into the one chosen above"), [k for k in book.keys if k != key],
                           format_func=lambda k: book.theme(k).name(lang), key="cb_merge")
    if merge and st.button(_("Merge"), key="cb_merge_go"):
        state.set_codebook(book.merge([key, *merge], key))
        st.rerun()
    new = st.text_input(_("New theme (name)"), key="cb_new")
    if new and st.button(_("Add the theme"), key="cb_add"):
        try:
            state.set_codebook(book.add(new, {lang: new}, {}, side))
            st.rerun()
        except SurveyError as e:
            st.error(str(e))
    left, right = st.columns(2)
    left.download_button(_("Download the codebook"), json.dumps(book.as_dict(), ensure_ascii=False, indent=2),
                         "codebook.json", "application/json")
    if right.button(_("Back to the starter codebook"), key="cb_reset"):
        state.reset_codebook()
        st.rerun()


with st.expander(_("Codebook: rename, merge, add themes and keywords")):
    st.caption(_("The codebook is saved with the analysis setup on the Data page, so next quarter's comments are "
                 "coded the same way."))
    _editor(book)
