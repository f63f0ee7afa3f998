"""What a person reads of comment themes (:mod:`lib.figures.themes`): the theme table, its chart, the words and
themes more frequent among detractors, a theme's comments (masked, repeated ones once with their count)."""

from __future__ import annotations


import altair as alt
import numpy as np
import pandas as pd

from lib.figures.themes import Key, ThemeReport, counted_masked
from lib.i18n import msg
from lib.present import model


def theme_table(report: ThemeReport, k: int) -> pd.DataFrame:
    """One row per theme: mentions, share, the score of those who mention it and of the rest, the difference with
    its 95 % interval and Holm-adjusted p, and whether the difference holds after the correction."""
    rows = []
    for t in report.themes:
        hidden = str(msg("fewer than {k} comments", k=k)) if t.hidden else None
        rows.append({"key": t.key, str(msg("Theme")): t.name,
                     str(msg("Comments")): hidden if hidden else model.count(t.mentions),
                     str(msg("Share %")): None if t.hidden else _number(100 * t.share),
                     str(msg("Score, mentioning")): _number(t.score_with), str(msg("Score, others")): _number(t.score_without),
                     str(msg("Difference")): _number(t.difference),
                     str(msg("95% interval")): model.interval(t.ci95) or None,
                     str(msg("p (Holm)")): _number(t.p_holm, "p"),
                     str(msg("Holds after correction")): str(msg("yes")) if t.holds else "" if t.p_holm is None
                     else str(msg("no"))})
    return pd.DataFrame(rows)


def _number(v: float | None, kind: str = "score") -> str | None:
    """A figure in the presentation model's format (the language's decimal sign and minus); None when there is none."""
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else model.number(float(v), kind)


def key_table(keys: list[Key], themes: bool = False) -> pd.DataFrame:
    """Words (or themes) more frequent among detractors: counts, G², Log Ratio, adjusted p, holds."""
    rows = [{str(msg("Theme") if themes else msg("Word")): k.term, str(msg("Language")): k.language,
             str(msg("Detractors")): model.count(k.first), str(msg("Promoters")): model.count(k.second),
             "G²": model.number(k.g2, "r"), str(msg("Log ratio")): model.number(k.log_ratio, "r"),
             str(msg("p (adjusted)")): model.number(k.p_adjusted, "p"),
             str(msg("Holds after correction")): str(msg("yes")) if k.holds else str(msg("no"))}
            for k in keys if k.log_ratio > 0]
    return pd.DataFrame(rows)


def theme_chart(report: ThemeReport) -> alt.Chart:
    """Themes as bars (share of comments), coloured by the score difference of those who mention them; a click
    selects a theme (parameter "theme")."""
    data = pd.DataFrame([{"key": t.key, "theme": t.name, "share": 100 * t.share, "mentions": t.mentions,
                          "difference": t.difference if t.difference is not None else 0.0,
                          "holds": bool(t.holds)} for t in report.themes if not t.hidden])
    pick = alt.selection_point(name="theme", fields=["key"])
    return (alt.Chart(data).mark_bar().encode(
        x=alt.X("share:Q", title=str(msg("Share of comments (%)"))),
        y=alt.Y("theme:N", sort="-x", title=None),
        color=alt.Color("difference:Q", scale=alt.Scale(scheme="redblue", domainMid=0),
                        title=str(msg("Score difference"))),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.5)),
        tooltip=[alt.Tooltip("theme:N", title=str(msg("Theme"))), alt.Tooltip("mentions:Q", title=str(msg("Comments"))),
                 alt.Tooltip("share:Q", format=".1f", title=str(msg("Share %"))),
                 alt.Tooltip("difference:Q", format="+.1f", title=str(msg("Score difference")))])
            .add_params(pick).properties(height=max(120, 28 * len(data))))


def theme_comments(report: ThemeReport, key: str) -> list[tuple[str, int]]:
    """The comments that mention a theme, personal data masked, each text once with its count."""
    coded = report.coded
    if coded is None or key not in coded.keys:
        return []
    j = coded.keys.index(key)
    if any(t.key == key and t.hidden for t in report.themes):
        return []
    return counted_masked(coded.texts[i] for i in np.flatnonzero(coded.mentions[:, j]))


def breakdown_table(breakdown: dict, by: str) -> pd.DataFrame:
    """A theme's share of the comments (%) per period or department (``by``), one row per group: the group, its
    comments, and a column per theme; empty where the anonymity rules (or too few mentions) leave it out."""
    names = {t["theme"]: t["name"] for t in breakdown["themes"]}
    rows = []
    for r in breakdown["rows"]:
        if r["by"] != by:
            continue
        row = {str(msg("Period") if by == "period" else msg("Department")): r["group"],
               str(msg("Comments")): str(msg("not shown")) if r["comments"] is None else model.count(r["comments"])}
        row.update({names[k]: (model.number(100 * r["shares"][k]) if k in r["shares"] else None) for k in names})
        rows.append(row)
    return pd.DataFrame(rows)


def theme_lines(report: ThemeReport, top: int = 5, examples: bool = True) -> list[str]:
    """The top themes for a slide: each with its share and count, then (unless ``examples`` is False) one example
    (personal data masked, a repeated comment once with its count), in the presentation model's formats
    (:mod:`lib.present.model`). The examples are the report's own, so employee ones are those the comment rule
    releases."""
    from lib.i18n import _

    out = []
    for t in [t for t in report.themes if not t.hidden][:top]:
        out.append(_("{theme}: {share} of the comments ({n})").format(theme=t.name, share=model.percent(100 * t.share),
                                                                   n=model.count(t.mentions)))
        if examples and t.examples:
            text, n = t.examples[0]
            out.append("    " + model.quote(text) + (f" (×{n})" if n > 1 else ""))
    return out
