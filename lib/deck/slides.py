"""The meeting deck: what a report holds, slide by slide, for the organisation or for one department.

This module decides the content only; :mod:`lib.deck.pptx` writes it as PowerPoint and :mod:`lib.deck.pdf` as PDF,
so both files say the same. Every employee figure comes from a :class:`lib.figures.summary.Summary`, that is from the
rows :mod:`lib.privacy.groups` released, and never from raw rows: hidden cells read as they do in the app, a department
below the threshold gets no deck of its own (it is listed in the organisation's deck instead), and comments appear
only in the organisation's deck, without department, as the app shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.present import breakdowns, charts
from lib.figures import comparisons
from lib.privacy import groups as privacy
from lib.i18n import LANGUAGES, _, format_date, format_number, get_language

if TYPE_CHECKING:
    from lib.figures.summary import Summary

MAX_COMMENTS = 12


@dataclass(frozen=True)
class Slide:
    """One slide: a title and one of: ``lines`` (text), ``table`` (a DataFrame), ``chart`` (Altair)."""

    title: str
    lines: tuple[str, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)
    chart: Any = field(default=None, compare=False)
    note: str = ""
    kind: str = "text"  # title | text | table | chart


@dataclass(frozen=True)
class Deck:
    name: str  # the file name, without extension
    slides: tuple[Slide, ...]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else format_number(value, digits)


def _ci(ci: tuple[float, float] | None) -> str:
    """An interval for a "95% interval" column: "-2.7 to 3.5"."""
    return "" if not ci else _("{lo} to {hi}").format(lo=_fmt(ci[0]), hi=_fmt(ci[1]))


def _filters_text(s: Summary) -> str:
    f = s.filters
    parts = []
    if f.departments:
        parts.append(_("Departments: {names}").format(names=", ".join(sorted(f.departments))))
    if f.since or f.until:
        parts.append(_("Dates: {since} to {until}").format(since=format_date(f.since) if f.since else "…",
                                                          until=format_date(f.until) if f.until else "…"))
    for column, values in f.segments:
        parts.append(f"{column}: {', '.join(sorted(values))}")
    return "; ".join(parts) or _("No filters: every response")


def _period_text(s: Summary) -> str:
    dates = [pd.Timestamp(x) for sv in (s.customer, s.employee) if sv is not None
             for x in (sv.frame["date"].min(), sv.frame["date"].max()) if pd.notna(x)]
    if not dates:
        return ""
    lo = max(min(dates).date(), s.filters.since) if s.filters.since else min(dates).date()
    hi = min(max(dates).date(), s.filters.until) if s.filters.until else max(dates).date()
    return _("Period: {since} to {until}").format(since=format_date(lo), until=format_date(hi))


def _title(s: Summary, heading: str, organisation: str) -> Slide:
    lines = [organisation, _period_text(s), _filters_text(s), _("Language: {language}").format(
        language=LANGUAGES[get_language()]), _("Made {date}").format(date=format_date(dt.date.today()))]
    return Slide(heading, tuple(x for x in lines if x), kind="title")


def _headline(s: Summary) -> Slide:
    rows = []
    if s.nps is not None and s.nps.n:
        rows.append((_("Customer NPS"), _fmt(s.nps.score), _ci(s.nps.ci95), s.nps.n))
    e = s.engagement
    if e is not None:
        if e.suppressed:
            rows.append((_("Engagement index"), str(privacy.hidden_text(e.reason, s.settings.min_group)), "", e.n))
        else:
            rows.append((_("Engagement index"), _fmt(e.index), _ci(e.index_ci95), e.n))
            rows.append((_("Favourable %"), _fmt(e.favorable_pct), _ci(e.favorable_ci95), e.n))
    if s.enps is not None and s.enps.n:
        rows.append((_("eNPS"), _fmt(s.enps.score), _ci(s.enps.ci95), s.enps.n))
    if s.nordic.nki is not None and s.nordic.nki.index is not None:
        rows.append((_("NKI (unweighted)"), _fmt(s.nordic.nki.index, 0), "", s.nordic.nki.respondents))
    if s.nordic.hme is not None and s.nordic.hme.total is not None:
        rows.append((_("HME"), _fmt(s.nordic.hme.total, 0), "", s.nordic.hme.respondents))
    r = s.linkage.result if s.linkage else None
    if r is not None and r.pearson_r is not None:
        rows.append((_("Correlation (r)"), _fmt(r.pearson_r, 2), _ci(r.pearson_ci95), r.n))
    table = pd.DataFrame(rows, columns=[_("Figure"), _("Value"), _("95% interval"), _("n")])
    table[_("n")] = table[_("n")].map(lambda n: format_number(n, 0))
    return Slide(_("Headline figures"), table=table, kind="table")


def _chart(title: str, chart: Any) -> Slide:
    return Slide(title, chart=charts.localized(chart), kind="chart")


def _method(s: Summary, left_out: list[str]) -> Slide:
    k = s.settings.min_group
    lines = [
        _("NPS: % promoters (9–10) minus % detractors (0–6); 95% adjusted-Wald interval."),
        _("Engagement index: each answer rescaled to 0–100, averaged per person, then per group; favourable % is the "
          "share of answers in the top two points."),
        _("Anonymity: employee figures use only whole groups of at least {k} responses, so no two figures differ by "
          "fewer than {k} people; comments only for groups of at least {c}.").format(
            k=k, c=s.settings.min_comments),
        _("Changes and differences count only after correction for testing many departments at once (Holm; "
          "Benjamini–Hochberg against the rest)."),
    ]
    for sv in (s.customer, s.employee):
        if sv is not None:
            lost = ", ".join(f"{sk.count} × {sk.message}" for sk in sv.skipped)
            lines.append(_("{file}: {kept} of {rows} rows used").format(file=sv.name, kept=format_number(len(sv.frame), 0),
                                                                        rows=format_number(sv.total_rows, 0))
                         + (f" ({lost})" if lost else ""))
    if left_out:
        lines.append(_("No deck of their own (fewer than {k} employee responses): {names}.").format(
            k=k, names=", ".join(left_out)))
    return Slide(_("Method"), tuple(lines))


def _change(s: Summary, period: str | None) -> Slide | None:
    """The change between the last two periods of ``period`` (waves where the files have them, else quarters)."""
    from lib.figures.periods import by_period, offered

    if period is None:
        kinds = offered(s.customer, s.employee)
        period = "wave" if "wave" in kinds else "quarter"
    summaries = by_period(s.customer, s.employee, s.filters, s.settings, period)
    if len(summaries) < 2:
        return None
    (a, before), (b, after) = summaries[-2], summaries[-1]
    return Slide(_("Change since the previous period: {before} to {after}").format(before=a.label(period),
                                                                                  after=b.label(period)),
                 table=breakdowns.change_table(comparisons.change(before, after)), kind="table",
                 note=_("▲ or ▼: a real change after Holm's correction."))


def organisation_deck(s: Summary, organisation: str = "", period: str | None = None,
                      left_out: list[str] | None = None) -> Deck:
    """The organisation's deck: title, headline figures, the department table, the charts, the change since the
    previous period (when the files span two), the drivers, the comments the rules allow, and the method."""
    slides = [_title(s, _("Survey results"), organisation), _headline(s)]
    table = breakdowns.department_report(s)
    if not table.empty:
        slides.append(Slide(_("Departments"), table=table, kind="table",
                            note=_("Hidden cells protect small groups; see the method slide.")))
    if s.nps is not None and s.nps.n:
        slides.append(_chart(_("NPS by department"), charts.nps_by_department(breakdowns.nps_by_department(s))))
    if s.employee is not None and s.engagement is not None and not s.engagement.suppressed:
        slides.append(_chart(_("Engagement by department"),
                             charts.engagement_by_department(breakdowns.engagement_by_department(s), s.settings.min_group)))
        fav = breakdowns.item_favorability(s)
        if not fav.empty:
            slides.append(_chart(_("Statements by department"),
                                 charts.item_heatmap(fav, "favorable_pct", s.settings.min_group)))
    if s.linkage is not None and s.linkage.result.pearson_r is not None:
        points = breakdowns.linkage_points(s)
        slides.append(_chart(_("Engagement and customer NPS"),
                             charts.linkage_scatter(points, breakdowns.fitted_line(points))))
    change = _change(s, period)
    if change is not None:
        slides.append(change)
    from lib.figures.drivers import relative_importance

    weights = relative_importance(s)
    if weights is not None:
        slides.append(_chart(_("Key drivers"), charts.relative_weights(weights.table)))
    texts, why = breakdowns.comments(s, "employee")
    if texts or why:
        shown = tuple(f"“{t}”" for t in texts[:MAX_COMMENTS]) if texts else (str(why),)
        slides.append(Slide(_("Employee comments"), shown))
    slides.append(_method(s, left_out or []))
    return Deck(_("survey-results"), tuple(slides))


def department_deck(s: Summary, department: str, organisation: str = "") -> Deck | None:
    """One department against the organisation, for its workplace meeting; None when the department's employee
    figures are hidden (it is then listed in the organisation's deck)."""
    d = next((x for x in s.departments if x.department == department), None)
    if d is None or d.suppressed or (s.employee is not None and d.employee_n < s.settings.min_group):
        return None
    rows = []
    if d.nps is not None and s.nps is not None:
        rows.append((_("Customer NPS"), _fmt(d.nps.score), _ci(d.nps.ci95), _fmt(s.nps.score), d.customer_n))
    if d.engagement is not None and s.engagement is not None and not s.engagement.suppressed:
        rows.append((_("Engagement index"), _fmt(d.engagement.index), _ci(d.engagement.index_ci95),
                     _fmt(s.engagement.index), d.engagement.n))
        rows.append((_("Favourable %"), _fmt(d.engagement.favorable_pct), _ci(d.engagement.favorable_ci95),
                     _fmt(s.engagement.favorable_pct), d.engagement.n))
    if d.enps is not None and s.enps is not None:
        rows.append((_("eNPS"), _fmt(d.enps.score), _ci(d.enps.ci95), _fmt(s.enps.score), d.enps.n))
    figures = pd.DataFrame(rows, columns=[_("Figure"), department, _("95% interval"), _("Organisation"), _("n")])
    figures[_("n")] = figures[_("n")].map(lambda n: format_number(n, 0))
    slides = [_title(s, _("Survey results: {department}").format(department=department), organisation),
              Slide(_("{department} and the organisation").format(department=department), table=figures, kind="table")]
    fav = breakdowns.item_favorability(s)
    if not fav.empty:
        mine = fav[fav["department"] == department][["statement", "favorable_pct", "difference", "n"]]
        if not mine.empty:
            hidden = breakdowns.hidden_texts(s.settings.min_group)
            table = pd.DataFrame({
                _("Statement"): mine["statement"],
                _("Favourable %"): [_fmt(v) if pd.notna(v) else hidden["few_answers"] for v in mine["favorable_pct"]],
                _("Difference from the organisation (points)"): [_fmt(v) for v in mine["difference"]],
            })
            slides.append(Slide(_("Statements"), table=table, kind="table"))
    slides.append(Slide(_("For the workplace meeting"), (
        _("What stands out, for better or worse?"), _("What do we want to keep doing?"),
        _("Which one or two things do we work on until the next survey?"))))
    slides.append(_method(s, []))
    return Deck(_("survey-results-{department}").format(department=department), tuple(slides))


def per_department(s: Summary, organisation: str = "", period: str | None = None
                   ) -> tuple[Deck, dict[str, Deck], list[str]]:
    """The organisation's deck, one deck per department that may have one, and the departments left out."""
    decks, left_out = {}, []
    for d in s.departments:
        deck = department_deck(s, d.department, organisation)
        if deck is None:
            left_out.append(d.department)
        else:
            decks[d.department] = deck
    return organisation_deck(s, organisation, period, left_out), decks, left_out
