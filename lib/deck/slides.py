"""The meeting deck: what a report holds, slide by slide, for the organisation or for one department.

This module decides the slides from the presentation model (:func:`lib.present.model.present`): every figure, interval
and table cell on a slide is the model's text, so the deck reads as the command line and the Overview page do.
:mod:`lib.deck.pptx` writes the slides as PowerPoint and :mod:`lib.deck.pdf` as PDF, so both files say the same.
Every employee figure comes from a :class:`lib.figures.summary.Summary`, that is from the rows
:mod:`lib.privacy.groups` released, and never from raw rows: hidden cells read as they do in the app, a department
below the threshold gets no deck of its own (it is listed in the organisation's deck instead), and comments appear
only in the organisation's deck, without department, as the app shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.present import breakdowns, charts, model
from lib.figures import comparisons
from lib.i18n import LANGUAGES, _, format_date, get_language

if TYPE_CHECKING:
    from lib.figures.summary import Summary

MAX_COMMENTS = 12
MAX_ROWS = 18  # table rows a slide holds; a longer table continues on the next slide


@dataclass(frozen=True)
class Slide:
    """One slide: a title and one of: ``lines`` (text), ``table`` (a DataFrame of texts), ``chart`` (Altair)."""

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


def _table_slides(title: str, table: model.Table, note: str = "") -> list[Slide]:
    """A table of the model on as many slides as its rows need (:data:`MAX_ROWS` each), the note on every one."""
    frame = table.texts()
    parts = [frame.iloc[i:i + MAX_ROWS] for i in range(0, len(frame), MAX_ROWS)] or [frame]
    if len(parts) == 1:
        return [Slide(title, table=parts[0], kind="table", note=note)]
    return [Slide(f"{title} ({i}/{len(parts)})", table=part.reset_index(drop=True), kind="table", note=note)
            for i, part in enumerate(parts, start=1)]


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


def _headline(p: model.Presentation) -> Slide:
    """Every headline figure of the model (customer, employee, Nordic indices, linkage) with its interval and n."""
    rows = [(f.label, f.value, f.interval or model.DASH, f.n or model.DASH) for f in p.figures]
    table = pd.DataFrame(rows, columns=[_("Figure"), _("Value"), _("95% interval"), _("n")], dtype=object)
    notes = [f.footnote for f in p.figures if f.hidden]
    return Slide(_("Headline figures"), table=table, kind="table", note=" ".join(dict.fromkeys(notes)))


def _chart(title: str, chart: Any) -> Slide:
    return Slide(title, chart=charts.localized(chart), kind="chart")


def _method(s: Summary, p: model.Presentation, left_out: list[str]) -> Slide:
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
        *p.footnotes,
    ]
    for note in p.files:
        lines.append(f"{note.name}: {note.used}" + (f" ({', '.join(note.left_out)})" if note.left_out else ""))
    if left_out:
        lines.append(_("No deck of their own (fewer than {k} employee responses): {names}.").format(
            k=k, names=", ".join(left_out)))
    return Slide(_("Method"), tuple(lines))


def _change(s: Summary, period: str | None) -> list[Slide]:
    """The change between the last two periods of ``period`` (waves where the files have them, else quarters)."""
    from lib.figures.periods import by_period, offered

    if period is None:
        kinds = offered(s.customer, s.employee)
        period = "wave" if "wave" in kinds else "quarter"
    summaries = by_period(s.customer, s.employee, s.filters, s.settings, period)
    if len(summaries) < 2:
        return []
    (a, before), (b, after) = summaries[-2], summaries[-1]
    table = model.change_table(comparisons.change(before, after))
    return _table_slides(_("Change since the previous period: {before} to {after}").format(
        before=a.label(period), after=b.label(period)), table, " ".join(table.notes))


def _charts(s: Summary, p: model.Presentation) -> list[Slide]:
    """The charts of the Overview's pages: NPS, engagement and statements by department, and the linkage."""
    out = []
    if s.nps is not None and s.nps.n:
        out.append(_chart(_("NPS by department"), charts.nps_by_department(breakdowns.nps_by_department(s))))
    if s.employee is not None and s.engagement is not None and not s.engagement.suppressed:
        out.append(_chart(_("Engagement by department"),
                          charts.engagement_by_department(breakdowns.engagement_by_department(s), s.settings.min_group)))
        fav = breakdowns.item_favorability(s)
        if not fav.empty:
            out.append(_chart(_("Statements by department"),
                              charts.item_heatmap(fav, "favorable_pct", s.settings.min_group)))
    linkage = p.table("linkage")
    if linkage is not None and p.figure("r") is not None:
        points = breakdowns.linkage_points(s)
        out.append(_chart(linkage.title, charts.linkage_scatter(points, breakdowns.fitted_line(points),
                                                                p.employee_measure, p.customer_measure)))
    return out


def organisation_deck(s: Summary, organisation: str = "", period: str | None = None,
                      left_out: list[str] | None = None) -> Deck:
    """The organisation's deck: title, headline figures, the department table, HME, the charts, the change since the
    previous period (when the files span two), the drivers, the comments the rules allow, and the method."""
    p = model.present(s)
    slides = [_title(s, _("Survey results"), organisation), _headline(p)]
    departments = p.table("departments")
    if departments is not None and not departments.empty:
        slides += _table_slides(_("Departments"), departments,
                                _("Hidden cells protect small groups; see the method slide."))
    hme = p.table("hme")
    if hme is not None:
        slides += _table_slides(hme.title, hme, " ".join(hme.notes))
    slides += _charts(s, p)
    slides += _change(s, period)
    from lib.figures.drivers import relative_importance

    weights = relative_importance(s)
    if weights is not None:
        slides.append(_chart(_("Key drivers"), charts.relative_weights(weights.table)))
    texts, why = breakdowns.comments(s, "employee")
    if texts or why:
        from lib.figures.themes import counted
        from lib.privacy.personal import mask

        shown = tuple(model.quote(mask(t)) + (f" (×{n})" if n > 1 else "")  # repeated comments once, with their count
                      for t, n in counted(texts)[:MAX_COMMENTS]) if texts else (str(why),)
        slides.append(Slide(_("Employee comments"), shown))
    slides.append(_method(s, p, left_out or []))
    return Deck(_("survey-results"), tuple(slides))


def department_deck(s: Summary, department: str, organisation: str = "") -> Deck | None:
    """One department against the organisation, for its workplace meeting; None when the department's employee
    figures are hidden (it is then listed in the organisation's deck)."""
    d = next((x for x in s.departments if x.department == department), None)
    if d is None or d.suppressed or (s.employee is not None and d.employee_n < s.settings.min_group):
        return None
    p = model.present(s)
    figures = model.department_figures(s, department)
    slides = [_title(s, _("Survey results: {department}").format(department=department), organisation)]
    if figures is not None:
        slides += _table_slides(figures.title, figures)
    statements = model.statements_table(s, department)
    if statements is not None:
        slides += _table_slides(statements.title, statements, " ".join(statements.notes))
    slides.append(Slide(_("For the workplace meeting"), (
        _("What stands out, for better or worse?"), _("What do we want to keep doing?"),
        _("Which one or two things do we work on until the next survey?"))))
    slides.append(_method(s, p, []))
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
