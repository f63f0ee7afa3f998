"""The meeting deck: what a report holds, slide by slide, for the organisation or for one department.

This module decides the slides from the presentation model (:func:`lib.present.model.present`): every figure, interval
and table cell on a slide is the model's text, so the deck reads as the command line and the Overview page do.
:mod:`lib.deck.pptx` writes the slides as PowerPoint and :mod:`lib.deck.pdf` as PDF, so both files say the same.
Every employee figure comes from a :class:`lib.figures.summary.Summary`, that is from the rows
:mod:`lib.privacy.groups` released, and never from raw rows: hidden cells read as they do in the app, a department
below the threshold gets no deck of its own (it is listed in the organisation's deck instead), and comments appear
only in the organisation's deck, without department, as the app shows them. The top comment themes, one example
each, are in the organisation's deck; a department's deck has its themes where the comment rule releases its
comments, the customer ones with one example each and the employee ones as shares and counts only.

A slide says one thing: the headline figures as big numbers, a chart that fills the body (:mod:`lib.deck.charts`),
a table part, or a page of text. What does not fit one slide continues on the next, measured by
:mod:`lib.deck.layout`: a table's rows (and, when even its narrowest columns are too wide, its columns), long bar
charts, the statement heatmap (a slide per group of statements and departments), the comments, the method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.deck import charts as deck_charts
from lib.deck import layout
from lib.figures import comparisons
from lib.figures.filters import date_range
from lib.figures.summary import unreversed
from lib.i18n import LANGUAGES, _, format_date, get_language
from lib.present import breakdowns, model
from lib.privacy import groups as privacy
from lib.privacy import surfaces
from lib.privacy.groups import floor_threshold, key

if TYPE_CHECKING:
    from lib.figures.comparisons import Test
    from lib.figures.summary import Summary

#: Comment slides at most; the last one says how many comments it leaves out.
MAX_COMMENT_SLIDES = 4
#: Statements and departments on one heatmap slide.
HEATMAP_ROWS = 8
#: With more departments than this, the heatmap shows the strongest and weakest statements only.
MANY_DEPARTMENTS = 12
#: With more departments than this, the organisation's department charts and heatmap show the ten highest and the
#: ten lowest (as the app's pages do), and its change table the changes that hold: every department is in the
#: Departments table and has its own deck.
MANY_UNITS = 25
ENDS = 10
#: Big numbers on one slide.
MAX_NUMBERS = 4


@dataclass(frozen=True)
class Number:
    """A big number: its label, the figure (or the hidden text) and the lines under it."""

    label: str
    value: str
    details: tuple[str, ...] = ()
    hidden: bool = False


@dataclass(frozen=True)
class Slide:
    """One slide: a title and one of: ``lines`` (text), ``table`` (a DataFrame of texts, laid out by ``plan``),
    ``chart`` (Altair, at the body's size) or ``numbers`` (big numbers); ``note`` is its footnote."""

    title: str
    lines: tuple[str, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)
    chart: Any = field(default=None, compare=False)
    note: str = ""
    kind: str = "text"  # title | text | table | chart | numbers
    numbers: tuple[Number, ...] = ()
    plan: layout.TablePlan | None = field(default=None, compare=False)
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Deck:
    name: str  # the file name, without extension
    slides: tuple[Slide, ...]


def numbered(title: str, i: int, n: int) -> str:
    return title if n == 1 else f"{title} ({i}/{n})"


def _frame_slides(title: str, frame: pd.DataFrame, note: str = "", numeric: tuple[bool, ...] = ()) -> list[Slide]:
    """A table on as many slides as it needs: columns in groups that fit the width beside the first one (rarely more
    than one), rows in pages that fit the height, every part with its header and the note."""
    header = [str(c) for c in frame.columns]
    rows = [["" if v is None else str(v) for v in r] for r in frame.itertuples(index=False)]
    numeric = numeric or tuple(j > 0 for j in range(len(header)))
    parts = []
    for group in layout.column_groups(header, rows):
        head = [header[j] for j in group]
        body = [[r[j] for j in group] for r in rows]
        widths = layout.column_widths(head, body) or [layout.BODY_WIDTH / len(head)] * len(head)
        for page in layout.row_pages(head, body, widths):
            part = [body[i] for i in page]
            parts.append((frame.iloc[page, group].reset_index(drop=True), layout.plan(head, part, widths),
                          tuple(numeric[j] for j in group)))
    return [Slide(numbered(title, i, len(parts)), table=table, kind="table", note=note, plan=plan, numeric=num)
            for i, (table, plan, num) in enumerate(parts, start=1)]


def table_slides(title: str, table: model.Table, note: str = "") -> list[Slide]:
    """A table of the model on as many slides as it needs."""
    return _frame_slides(title, table.texts(), note, table.numeric)


def text_slides(title: str, lines: list[str], note: str = "") -> list[Slide]:
    """Paragraphs on one slide when they fit it at 16 pt, else on as many slides as they need at 18 pt."""
    pages = layout.text_pages(lines, 16.0)
    pages = pages if len(pages) == 1 else layout.text_pages(lines)
    return [Slide(numbered(title, i, len(pages)), tuple(page), note=note) for i, page in enumerate(pages, start=1)]


def _filters_text(s: Summary) -> str:
    f = s.filters
    view = model.view_text(s)
    parts = [view] if view else []
    if f.departments:
        parts.append(_("Departments: {names}").format(names=", ".join(sorted(f.departments))))
    if f.since or f.until:
        parts.append(_("Dates: {since} to {until}").format(since=format_date(f.since) if f.since else "…",
                                                          until=format_date(f.until) if f.until else "…"))
    offered = _offered(s)
    for column, values in f.segments:
        shown = sorted(v for v in values if key(v) in offered.get(column, set()))
        parts.append(f"{column}: {', '.join(shown)}" if shown else
                     _("{column}: a value that is not offered").format(column=column))
    return "; ".join(parts) or _("No filters: every response")


def _offered(s: Summary) -> dict[str, set[str]]:
    """The segment values a filter may name: an employee value only if the privacy module offers it (at least the
    floor share it), a customer value if the file holds it."""
    out: dict[str, set[str]] = {}
    if s.employee is not None:
        for column, values in surfaces.filter_values(s.employee, s.settings.floor or floor_threshold()).items():
            out.setdefault(column, set()).update(key(v) for v in values)
    if s.customer is not None:
        for column, col in s.customer.segments.items():
            out.setdefault(column, set()).update(key(v) for v in s.customer.frame[col].cat.categories)
    return out


def _period_text(s: Summary) -> str:
    ranges = [r for r in (date_range(sv) for sv in (s.customer, s.employee) if sv is not None) if r]
    if not ranges:  # an employee file's bounds are released at month level (lib.privacy.surfaces.date_bounds)
        return ""
    first, last = min(r[0] for r in ranges), max(r[1] for r in ranges)
    lo = max(first, s.filters.since) if s.filters.since else first
    hi = min(last, s.filters.until) if s.filters.until else last
    return _("Period: {since} to {until}").format(since=format_date(lo), until=format_date(hi))


def _title(s: Summary, heading: str, organisation: str) -> Slide:
    lines = [organisation, _period_text(s), _filters_text(s), _("Language: {language}").format(
        language=LANGUAGES[get_language()]), _("Made {date}").format(date=format_date(dt.date.today()))]
    return Slide(heading, tuple(x for x in lines if x), kind="title")


# --- big numbers -------------------------------------------------------------------------------------------


def _details(f: model.Figure) -> list[str]:
    out = []
    if f.interval:
        out.append(_("95% interval {interval}").format(interval=f.interval))
    if f.n:
        out.append(f"n = {f.n}")
    return out


def _change_line(test: Test | None, label: str) -> list[str]:
    """The change since the previous period as the model reads it: "+3.2 since Q1 2026: real change"."""
    if test is None:
        return []
    row = model.change_table([test]).rows[0]
    change, reading = row[4].text, row[6].text
    if change == _("too few answers"):
        return []
    return [_("{change} since {period}").format(change=change, period=label), reading]


def number_slides(title: str, items: list[Number], note: str = "") -> list[Slide]:
    parts = [items[i:i + MAX_NUMBERS] for i in range(0, len(items), MAX_NUMBERS)]
    return [Slide(numbered(title, i, len(parts)), kind="numbers", numbers=tuple(part), note=note)
            for i, part in enumerate(parts, start=1) if part]


BIG_GROUPS = (("customer", ("nps", "nki")), ("employee", ("engagement", "favourable", "enps")),
              ("nordic", ("hme", "nmi", "pulse")), ("linkage", ("r",)))


def _big_numbers(p: model.Presentation, changes: dict[str, Test], since: str) -> list[Slide]:
    """The headline figures as big numbers, a slide per side: customers, employees, the Nordic indices, both."""
    titles = {"customer": _("Our customers"), "employee": _("Our employees"), "nordic": _("Nordic indices"),
              "linkage": _("Customers and employees together")}
    out = []
    for group, keys in BIG_GROUPS:
        figs = [f for f in (p.figure(k) for k in keys) if f is not None]
        items = [Number(f.label, f.value, tuple(_details(f) + _change_line(changes.get(f.key), since)
                                                + ([f.help] if f.key == "r" and f.help else [])), f.hidden)
                 for f in figs]
        notes = " ".join(dict.fromkeys(f.footnote for f in figs if f.hidden))
        out += number_slides(titles[group], items, notes)
    return out


def headline(p: model.Presentation) -> list[Slide]:
    """Every headline figure of the model (customer, employee, Nordic indices, linkage) with its interval and n."""
    rows = [(f.label, f.value, f.interval or model.DASH, f.n or model.DASH) for f in p.figures]
    table = pd.DataFrame(rows, columns=[_("Figure"), _("Value"), _("95% interval"), _("n")], dtype=object)
    notes = [f.footnote for f in p.figures if f.hidden]
    return _frame_slides(_("Headline figures"), table, " ".join(dict.fromkeys(notes)), (False, True, True, True))


# --- charts ------------------------------------------------------------------------------------------------


def _even(n: int, most: int) -> list[range]:
    """``range(n)`` in as few parts of at most ``most`` as it takes, of sizes that differ by one at most."""
    parts = max(1, -(-n // most))
    size, extra = divmod(n, parts)
    starts = [i * size + min(i, extra) for i in range(parts + 1)]
    return [range(a, b) for a, b in zip(starts, starts[1:])]


def _ends(frame: pd.DataFrame, title: str, note: str) -> tuple[pd.DataFrame, str, str]:
    """With more than :data:`MANY_UNITS` departments (rows, best first), the :data:`ENDS` highest and lowest, the
    title saying so and the note where the rest are."""
    if len(frame) <= MANY_UNITS:
        return frame, title, note
    valued = frame[frame["value"].notna()]  # a department without the figure is neither high nor low
    shown = pd.concat([valued.head(ENDS), valued.tail(ENDS)]).drop_duplicates("name")
    more = _("{n} departments: the ten highest and the ten lowest are shown; the Departments table lists them all and "
             "each department has its own deck.").format(n=model.count(len(frame)))
    return shown, _("{title}: the ten highest and the ten lowest").format(title=title), " ".join(x for x in (more, note)
                                                                                               if x)


def _chart_slides(title: str, frame: pd.DataFrame, draw, note: str = "", rows: int = deck_charts.MAX_BARS
                  ) -> list[Slide]:  # type: ignore[no-untyped-def]
    """A bar chart of the frame's rows, at most ``rows`` a slide and as many as their names leave room for, in the
    frame's order."""
    even = _even(len(frame), rows)
    pages = deck_charts.row_pages([str(n) for n in frame["name"]], layout.BODY_HEIGHT - 70, rows)
    chosen = [list(r) for r in even] if len(pages) <= len(even) else pages
    parts = [frame.iloc[r].reset_index(drop=True) for r in chosen]
    return [Slide(numbered(title, i, len(parts)), chart=draw(part), kind="chart", note=note)
            for i, part in enumerate(parts, start=1)]


def _nps_colour(v: float | None) -> str:
    return deck_charts.SOFT if v is None or pd.isna(v) else deck_charts.GOOD if v >= 0 else deck_charts.BAD


def _nps_slides(p: model.Presentation) -> list[Slide]:
    table = p.table("departments")
    if table is None or _("NPS") not in table.columns:
        return []
    j = table.columns.index(_("NPS"))
    rows = [(r[0].text, r[j].value if isinstance(r[j].value, (int, float)) else None, r[j].text) for r in table.rows
            if r[j].text != model.DASH]
    frame = pd.DataFrame(rows, columns=["name", "value", "text"])
    frame = frame.assign(key=frame["value"].fillna(-1e9)).sort_values("key", ascending=False, kind="stable")
    frame = frame.assign(colour=[_nps_colour(v) for v in frame["value"]]).drop(columns="key")
    axis = _("NPS (−100 to 100)")
    frame, title, note = _ends(frame, _("NPS by department"), "")
    return _chart_slides(title, frame, lambda part: deck_charts.bars(part, axis, (-20, 20)), note)


def _engagement_slides(p: model.Presentation) -> list[Slide]:
    table = p.table("departments")
    if table is None or _("Engagement") not in table.columns:
        return []
    j = table.columns.index(_("Engagement"))
    rows = [(r[0].text, r[j].value if isinstance(r[j].value, (int, float)) else None, r[j].text) for r in table.rows
            if r[j].text != model.DASH]
    frame = pd.DataFrame(rows, columns=["name", "value", "text"])
    hidden = frame.loc[frame["value"].isna(), "name"].tolist()
    frame = frame[frame["value"].notna()].sort_values("value", ascending=False, kind="stable")
    frame = frame.assign(colour=deck_charts.MAIN)
    note = " ".join(([_("Not shown, to protect anonymity: {names}.").format(names=", ".join(hidden))] if hidden else [])
                    + list(table.notes))
    frame, title, note = _ends(frame, _("Engagement by department"), note)
    return _chart_slides(title, frame, lambda part: deck_charts.bars(part, _("Engagement index (0–100)"), (0, 100)),
                         note)


def _statement_slides(s: Summary) -> list[Slide]:
    """The organisation's statements, most favourable first: the strongest three green, the weakest three red;
    with more than a slide's worth, the strongest and weakest five."""
    table = model.organisation_statements(s)
    if table is None or table.empty:
        return []
    return statement_chart(table)


def statement_chart(table: model.Table) -> list[Slide]:
    """A table of statements (name, favourable %) as bars, most favourable first as given."""
    rows = [(r[0].text, r[1].value if isinstance(r[1].value, (int, float)) else None, r[1].text) for r in table.rows]
    frame = pd.DataFrame(rows, columns=["name", "value", "text"])
    shown = frame["value"].notna()
    n = int(shown.sum())
    top = 3 if n >= 8 else 1
    colour = [deck_charts.SOFT] * len(frame)
    for i in range(n):
        colour[i] = deck_charts.GOOD if i < top else deck_charts.BAD if i >= n - top else deck_charts.MAIN
    frame = frame.assign(colour=colour)
    title = _("Strengths and focus areas: favourable % by statement")
    if len(frame) > deck_charts.MAX_BARS:
        frame = pd.concat([frame[shown].head(5), frame[shown].tail(5)]).drop_duplicates("name")
        title = _("The five strongest and five weakest statements (favourable %)")
    return _chart_slides(title, frame, lambda part: deck_charts.bars(part, _("Favourable %"), (0, 100)),
                         " ".join(table.notes))


def _heatmap_slides(s: Summary) -> list[Slide]:
    """Statements by department: a slide per group of statements and of departments, each cell the department's
    favourable %, coloured by its difference from the organisation."""
    fav = breakdowns.item_favorability(s)
    if fav.empty:
        return []
    k = s.settings.min_group
    hidden = sorted({d for d, sup in zip(fav["department"], fav["suppressed"]) if sup}
                    - set(fav.loc[~fav["suppressed"], "department"]))
    fav = fav[~fav["department"].isin(hidden)]
    if fav.empty:
        return []
    statements = list(dict.fromkeys(fav["statement"]))
    departments = list(dict.fromkeys(fav["department"]))
    ends = len(departments) > MANY_UNITS
    if ends:  # the ten highest and ten lowest by the engagement index, as on the engagement slides
        index = breakdowns.engagement_by_department(s).set_index("department")["engagement"]
        ranked_units = sorted((d for d in departments if d in index and not pd.isna(index[d])), key=lambda d: -index[d])
        departments = list(dict.fromkeys(ranked_units[:ENDS] + ranked_units[-ENDS:]))
    org = model.organisation_statements(s)
    ranked = [r[0].text for r in org.rows if isinstance(r[1].value, (int, float))] if org is not None else []
    few = len(departments) > MANY_DEPARTMENTS and len(ranked) > 6
    if few:  # many departments: the organisation's three strongest and three weakest statements
        statements = [x for x in statements if x in ranked[:3] + ranked[-3:]]
    widest = max(layout.longest_word(d, deck_charts.LABEL) for d in departments) + 16
    per = max(2, min(6, int((layout.BODY_WIDTH - deck_charts.NAME_ROOM) // max(widest, 100))))
    note_parts = []
    if hidden:
        note_parts.append(_("Not shown, to protect anonymity: {names}.").format(names=", ".join(hidden)))
    if fav["suppressed"].any():
        note_parts.append(str(privacy.hidden_explanation("few_answers", k)))
    if few:
        note_parts.insert(0, _("The organisation's three strongest and three weakest statements; each department's deck "
                               "shows all of its statements."))
    if ends:
        note_parts.insert(0, _("The ten departments with the highest and the ten with the lowest engagement index."))
    note = " ".join(note_parts)
    frame = fav.assign(text=[model.number(v) if not pd.isna(v) else model.DASH for v in fav["favorable_pct"]],
                       difference=fav["difference"].astype(float))
    even = [list(r) for r in _even(len(statements), HEATMAP_ROWS)]
    pages = deck_charts.row_pages(statements, layout.BODY_HEIGHT - 120, HEATMAP_ROWS, lines=2)
    groups = [([statements[i] for i in rows], [departments[j] for j in cols])
              for rows in (even if len(pages) <= len(even) else pages) for cols in _even(len(departments), per)]
    out = []
    for n, (rows, cols) in enumerate(groups, start=1):
        part = frame[frame["statement"].isin(rows) & frame["department"].isin(cols)]
        part = part.assign(o=part["statement"].map(rows.index)).sort_values("o", kind="stable")
        out.append(Slide(numbered(_("Favourable % by statement and department"), n, len(groups)),
                         chart=deck_charts.heatmap(part, _("Difference from the organisation (points)")), kind="chart",
                         note=note))
    return out


def _linkage_slides(s: Summary, p: model.Presentation) -> list[Slide]:
    linkage = p.table("linkage")
    if linkage is None or p.figure("r") is None:
        return []
    points = breakdowns.linkage_points(s)
    line = breakdowns.fitted_line(points)
    frame = pd.DataFrame({"name": points["department"], "x": points["engagement"], "y": points["nps"]})
    fit = pd.DataFrame({"x": line["engagement"], "y": line["nps"]})
    r = p.figure("r")
    note = f"{r.label} {r.value}" + (f" ({_('95% interval {interval}').format(interval=r.interval)})"
                                    if r.interval else "") + f". {r.help}"
    return [Slide(linkage.title, chart=deck_charts.scatter(frame, fit, p.employee_measure, p.customer_measure),
                  kind="chart", note=note)]


def _drivers_slides(s: Summary) -> list[Slide]:
    from lib.figures.drivers import relative_importance

    weights = relative_importance(s)
    if weights is None:
        return []
    t = weights.table
    frame = pd.DataFrame({"name": t["statement"], "value": t["share"].astype(float),
                          "text": [model.number(v) for v in t["share"]], "colour": deck_charts.MAIN})
    return _chart_slides(_("Key drivers of recommending the workplace"), frame,
                         lambda part: deck_charts.bars(part, _("Share of R² (%)"), (0, 10)))


# --- change, comments, method --------------------------------------------------------------------------------


def _periods(s: Summary, period: str | None) -> tuple[str, list]:
    from lib.figures.periods import by_period, offered

    if period is None:
        kinds = offered(s.customer, s.employee)
        period = "wave" if "wave" in kinds else "quarter"
    return period, by_period(s.customer, s.employee, s.filters, s.settings, period)


def _change_tests(summaries: list, period: str) -> tuple[list[Test], str, str]:
    if len(summaries) < 2:
        return [], "", ""
    (a, before), (b, after) = summaries[-2], summaries[-1]
    return comparisons.change(before, after), a.label(period), b.label(period)


def _change(tests: list[Test], before: str, after: str, department: str | None = None) -> list[Slide]:
    """The change between the last two periods (waves where the files have them, else quarters); in the
    organisation's deck with more than :data:`MANY_UNITS` departments, the organisation's and the departments' changes
    that hold after the correction, with how many others show no detectable change."""
    if department is not None:
        tests = [t for t in tests if t.department == department]
    left = [t for t in tests if t.department is not None and not t.significant]
    if department is None and len({t.department for t in tests if t.department is not None}) > MANY_UNITS:
        tests = [t for t in tests if t not in left]
    else:
        left = []
    if not tests:
        return []
    table = model.change_table(tests)
    notes = ([_("{n} department figures without a detectable change are not listed; the app's Over time page lists "
                "them all.").format(n=model.count(len(left)))] if left else []) + list(table.notes)
    return table_slides(_("Change since the previous period: {before} to {after}").format(before=before, after=after),
                         table, " ".join(notes))


def _comment_slides(s: Summary) -> list[Slide]:
    texts, why = breakdowns.comments(s, "employee")
    if not texts and not why:
        return []
    if not texts:
        return [Slide(_("Employee comments"), (str(why),))]
    from lib.figures.themes import counted_masked

    return comment_slides([model.quote(t) + (f" (×{n})" if n > 1 else "")  # repeated comments once, with their count
                           for t, n in counted_masked(texts)])


def comment_slides(shown: list[str]) -> list[Slide]:
    """Quoted comments on at most :data:`MAX_COMMENT_SLIDES` slides, the last saying how many are left out."""
    pages = layout.text_pages(shown)
    kept = pages[:MAX_COMMENT_SLIDES]
    left = sum(len(p) for p in pages[MAX_COMMENT_SLIDES:])
    note = _("{n} more comments are not shown here; the app lists them all.").format(n=model.count(left)) if left else ""
    title = _("Employee comments")
    return [Slide(numbered(title, i, len(kept)), tuple(page), note=note if i == len(kept) else "")
            for i, page in enumerate(kept, start=1)]


def _theme_slides(s: Summary, department: str | None = None) -> list[Slide]:
    """Each side's top comment themes with one example each (:func:`lib.present.comment_views.theme_lines`);
    for a department only what the comment rule releases there (:func:`lib.figures.themes.department_report`), and
    its employee themes as shares and counts only: employee comments are quoted only in the organisation's deck,
    without department."""
    from lib.figures.themes import Codebook, comment_report, department_report
    from lib.present.comment_views import theme_lines

    out = []
    for side, title in (("customer", _("What customers write about")), ("employee", _("What employees write about"))):
        book, lang = Codebook.starter(), get_language()
        report = (comment_report(s, side, book, lang, suggest=False) if department is None
                  else department_report(s, side, book, lang, department))
        quoted = department is None or side == "customer"
        lines = theme_lines(report, examples=quoted) if report is not None else []
        if lines:
            out += text_slides(title if department is None else f"{department}: {title}", lines,
                                _("Share of the comments that mention each theme; a repeated comment is quoted once "
                                  "with its count, and personal data is masked.") if quoted else
                                _("Share of the comments that mention each theme; employee comments are quoted only in "
                                  "the organisation's deck, without department."))
    return out


def _method(s: Summary, p: model.Presentation, left_out: list[str]) -> list[Slide]:
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
        *(str(w) for w in unreversed(s.employee)),  # a negatively worded statement scored as worded
    ]
    for note in p.files:
        lines.append(f"{note.name}: {note.used}" + (f" ({', '.join(note.left_out)})" if note.left_out else ""))
    if left_out:
        lines.append(_("No deck of their own (fewer than {k} employee responses): {names}.").format(
            k=k, names=", ".join(left_out)))
    return text_slides(_("Method"), lines)


def organisation_deck(s: Summary, organisation: str = "", period: str | None = None,
                      left_out: list[str] | None = None) -> Deck:
    """The organisation's deck: title, the headline figures as big numbers and as a table, the department table,
    HME, the department charts, strengths and focus areas, the statement heatmap, the linkage, the change since the
    previous period (when the files span two), the drivers, the comments the rules allow, and the method."""
    p = model.present(s)
    kind, summaries = _periods(s, period)
    tests, before, after = _change_tests(summaries, kind)
    overall = {t.measure: t for t in tests if t.department is None}
    slides = [_title(s, _("Survey results"), organisation), *_big_numbers(p, overall, before), *headline(p)]
    departments = p.table("departments")
    if departments is not None and not departments.empty:
        slides += table_slides(_("Departments"), departments,
                                _("Hidden cells protect small groups; see the method slide."))
    hme = p.table("hme")
    if hme is not None:
        slides += table_slides(hme.title, hme, " ".join(hme.notes))
    if s.nps is not None and s.nps.n:
        slides += _nps_slides(p)
    if s.employee is not None and s.engagement is not None and not s.engagement.suppressed:
        slides += _engagement_slides(p) + _statement_slides(s) + _heatmap_slides(s)
    slides += _linkage_slides(s, p)
    slides += _change(tests, before, after)
    slides += _drivers_slides(s)
    slides += _theme_slides(s)
    slides += _comment_slides(s)
    slides += _method(s, p, left_out or [])
    return Deck(_("survey-results"), tuple(slides))


# --- a department's deck -----------------------------------------------------------------------------------


def _versus_slides(s: Summary, department: str) -> list[Slide]:
    """The department's favourable % per statement (bars) against the organisation's (a tick), the statements where
    it is furthest below the organisation first."""
    mine, org = model.statements_table(s, department), model.organisation_statements(s)
    if mine is None or org is None:
        return []
    org_by = {r[0].text: r[1].value for r in org.rows if isinstance(r[1].value, (int, float))}
    rows = []
    for r in mine.rows:
        value = r[1].value if isinstance(r[1].value, (int, float)) else None
        diff = r[2].value if isinstance(r[2].value, (int, float)) else None
        colour = deck_charts.SOFT if diff is None else deck_charts.GOOD if diff >= 5 else deck_charts.BAD \
            if diff <= -5 else deck_charts.MAIN
        text = r[1].text if diff is None else f"{r[1].text} ({r[2].text if diff <= 0 else model.signed(diff)})"
        rows.append((r[0].text, value, text, org_by.get(r[0].text), colour, diff if diff is not None else 1e9))
    frame = pd.DataFrame(rows, columns=["name", "value", "text", "org", "colour", "key"]).sort_values(
        "key", kind="stable").drop(columns="key")
    title = _("{department}: statements against the organisation").format(department=department)
    note = " ".join([_("Bars: favourable % in {department}, with its difference from the organisation in points; "
                       "black mark: the organisation.").format(department=department), *mine.notes])
    return _chart_slides(title, frame, lambda part: deck_charts.versus(part, _("Favourable %"), _("Organisation")),
                         note, rows=8)


def _over_time_slides(summaries: list, period: str, department: str) -> list[Slide]:
    """The department's customer NPS and engagement index per period, as each period's Summary released them."""
    names = {_("Customer NPS"): (_("NPS (−100 to 100)"), (-20.0, 20.0)),
             _("Engagement index"): (_("Engagement index (0–100)"), (0.0, 100.0))}
    series: dict[str, list[tuple[str, float, str]]] = {name: [] for name in names}
    for p, ps in summaries:
        table = model.department_figures(ps, department)
        for row in table.rows if table is not None else ():
            if row[0].text in series and isinstance(row[1].value, (int, float)):
                series[row[0].text].append((p.label(period), float(row[1].value), row[1].text))
    out = []
    for name, points in series.items():
        if len(points) < 2:
            continue
        axis, fixed = names[name]
        frame = pd.DataFrame(points, columns=["period", "value", "text"])
        out.append(Slide(_("{department}: {figure} over time").format(department=department, figure=name),
                         chart=deck_charts.trend(frame, axis, fixed), kind="chart",
                         note=_("Periods where the figure is hidden or has too few answers are left out.")))
    return out


def department_deck(s: Summary, department: str, organisation: str = "", period: str | None = None,
                    history: tuple[str, list] | None = None) -> Deck | None:
    """One department against the organisation, for its workplace meeting; None when the department's employee
    figures are hidden (it is then listed in the organisation's deck). ``history`` is :func:`_periods`'s answer when
    the caller has it already."""
    d = next((x for x in s.departments if x.department == department), None)
    if d is None or d.suppressed or (s.employee is not None and d.employee_n < s.settings.min_group):
        return None
    p = model.present(s)
    figures = model.department_figures(s, department)
    kind, summaries = history or _periods(s, period)
    tests, before, after = _change_tests(summaries, kind)
    slides = [_title(s, _("Survey results: {department}").format(department=department), organisation)]
    if figures is not None and not figures.empty:
        numbers = [Number(r[0].text, r[1].text, tuple(x for x in (
            _("95% interval {interval}").format(interval=r[2].text) if r[2].text else "",
            _("Organisation: {value}").format(value=r[3].text), f"n = {r[4].text}") if x)) for r in figures.rows]
        slides += number_slides(department, numbers)
        slides += table_slides(figures.title, figures)
    slides += _versus_slides(s, department)
    statements = model.statements_table(s, department)
    if statements is not None:
        slides += table_slides(statements.title, statements, " ".join(statements.notes))
    slides += _over_time_slides(summaries, kind, department)
    slides += _theme_slides(s, department)
    slides += _change(tests, before, after, department)
    slides += text_slides(_("For the workplace meeting"), [
        _("What stands out, for better or worse?"), _("What do we want to keep doing?"),
        _("Which one or two things do we work on until the next survey?")])
    slides += _method(s, p, [])
    return Deck(_("survey-results-{department}").format(department=department), tuple(slides))


def per_department(s: Summary, organisation: str = "", period: str | None = None
                   ) -> tuple[Deck, dict[str, Deck], list[str]]:
    """The organisation's deck, one deck per department that may have one, and the departments left out."""
    decks, left_out = {}, []
    history = _periods(s, period)
    for d in s.departments:
        deck = department_deck(s, d.department, organisation, period, history)
        if deck is None:
            left_out.append(d.department)
        else:
            decks[d.department] = deck
    return organisation_deck(s, organisation, period, left_out), decks, left_out
