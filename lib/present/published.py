"""A snapshot view as people read it: what :func:`lib.publish.views.view` gives (:class:`SnapshotView`, for a
viewer's :class:`Choice`) and its presentation model.

The app's published-results page, the command line's ``snapshot`` text and the manager's deck all show a snapshot view
through :func:`present`, so a figure of a snapshot is formatted in one place, as :func:`lib.present.model.present` does
for an analysis. Every number here is one :mod:`lib.publish.views` released; this module only formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from lib.figures import metrics
from lib.i18n import _, format_date, format_period, get_language
from lib.privacy.personal import in_language
from lib.present.model import (DASH, Cell, Figure, Presentation, Table, count, interval, nps_figure, number,
                               text_cell, unit, value_cell)

if TYPE_CHECKING:
    from lib.figures import stats
    from lib.figures.linkage import Linkage


@dataclass(frozen=True)
class Choice:
    """What a viewer of a snapshot chose: departments (shown names; None: all), a unit or a level of the
    organisation, a window of whole months, segment values."""

    departments: frozenset[str] | None = None
    unit: str | None = None
    level: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    segments: tuple[tuple[str, frozenset[str]], ...] = ()


@dataclass
class UnitFigures:
    unit: str
    employee_n: int                    # responses whose figures are shown; the whole count when hidden
    engagement: metrics.Engagement | None
    enps: stats.NpsResult | None
    nps: stats.NpsResult | None
    customer_n: int
    hidden: str | None = None          # why the unit's employee figures are not shown


@dataclass
class SnapshotView:
    name: str
    k: int
    engagement: metrics.Engagement | None
    enps: stats.NpsResult | None
    nps: stats.NpsResult | None
    units: list[UnitFigures]
    comments: list[str]
    left_out: int                      # responses of the chosen units in groups the choices cut
    notes: list[str] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)  # statement, answered, favourable %, answers per point
    min_comments: int = 0              # the responses a comment group holds at least (the snapshot's comment threshold)
    linkage: Linkage | None = None     # the units' engagement against their customer NPS (None: headline only)


def _figures(v: SnapshotView, prefix: str = "", group: str = "") -> list[Figure]:
    out = []
    if v.nps is not None and v.nps.n:
        f = nps_figure(prefix + "nps", _("Customer NPS"), v.nps, group or "customer")
        out.append(f if v.nps.score is not None else Figure(f.key, f.label, str(metrics.too_few(v.nps.n)),
                                                             n=count(v.nps.n), group=f.group))
    e = v.engagement
    if e is not None:
        out.append(Figure(prefix + "engagement", _("Engagement index"), number(e.index), interval(e.index_ci95),
                          count(e.n), group or "employee", number=e.index,
                          help=_("0–100; favourable {fav} %").format(fav=number(e.favorable_pct))))
        out.append(Figure(prefix + "favourable", _("Favourable %"), number(e.favorable_pct),
                          interval(e.favorable_ci95), count(e.n), group or "employee", number=e.favorable_pct))
    if v.enps is not None and v.enps.n:
        out.append(nps_figure(prefix + "enps", _("eNPS"), v.enps, group or "employee"))
    return out


def units_table(v: SnapshotView) -> Table:
    """One row per unit of the view: customer NPS and its n, the employee figures or why they are hidden."""
    cols = (_("Unit"), _("Customer NPS"), _("Customer answers"), _("Engagement index"), _("Favourable %"), _("eNPS"),
            _("Employee responses"))
    rows = []
    for u in v.units:
        nps = value_cell(u.nps.score if u.nps else None)
        if u.nps is not None and u.nps.n and u.nps.score is None:
            nps = text_cell(str(metrics.too_few(u.nps.n)))
        if u.hidden:
            hidden = text_cell(u.hidden)
            employee = (hidden, hidden, hidden)
        else:
            e = u.engagement
            employee = (value_cell(e.index if e else None), value_cell(e.favorable_pct if e else None),
                        value_cell(u.enps.score if u.enps else None))
        rows.append((text_cell(unit(u.unit)), nps, value_cell(u.customer_n, "count"), *employee,
                     value_cell(u.employee_n, "count")))
    return Table("units", _("Units"), cols, tuple(rows), (), (False, True, True, True, True, True, True))


def statements_table(v: SnapshotView) -> Table:
    """Each statement's favourable % and its answers."""
    rows = tuple((text_cell(x["statement"]), value_cell(x["favourable_pct"]), value_cell(x["answered"], "count"))
                 for x in sorted(v.statements, key=lambda x: -x["favourable_pct"]))
    return Table("statements", _("Statements"), (_("Statement"), _("Favourable %"), _("Answers")), rows, (),
                 (False, True, True))


def comments_table(v: SnapshotView) -> Table:
    """The view's comments, masked when published, their placeholders ("[name]") in the language shown."""
    texts = [in_language(t) for t in v.comments]
    return Table("comments", _("Comments"), (_("Comment"),), tuple((Cell(t, t),) for t in texts))


def present(v: SnapshotView, total: SnapshotView | None = None) -> Presentation:
    """The view's headline figures (and, for a manager, the organisation's total: keys ``total:…``, group
    ``organisation``), its units, statements and comments, and its notes."""
    figures = _figures(v)
    if total is not None:
        figures += [Figure(f.key, _("{figure} (whole organisation)").format(figure=f.label), f.value, f.interval, f.n,
                           "organisation", number=f.number) for f in _figures(total, "total:")]
    return Presentation(get_language(), "", "", tuple(figures), (units_table(v), statements_table(v), comments_table(v)),
                        notes=tuple(v.notes))


def choice_text(choice: Choice) -> str:
    """A viewer's choices in words, for a deck's title slide ("" when nothing is chosen)."""
    parts = []
    if choice.unit:
        parts.append(_("{unit} and its units").format(unit=choice.unit))
    elif choice.level is not None:
        parts.append(_("Every unit at level {n}").format(n=choice.level))
    if choice.departments:
        parts.append(_("Departments: {names}").format(names=", ".join(sorted(choice.departments))))
    if choice.since or choice.until:
        parts.append(_("Dates: {since} to {until}").format(since=format_date(choice.since) if choice.since else "…",
                                                          until=format_date(choice.until) if choice.until else "…"))
    parts += [f"{column}: {', '.join(sorted(values))}" for column, values in choice.segments]
    return "; ".join(parts)


def text(v: SnapshotView, total: SnapshotView | None = None) -> str:
    """The view as lines of text (the command line's ``snapshot``)."""
    p = present(v, total)
    lines = [_("Snapshot: {name}").format(name=v.name)]
    for f in p.figures:
        extra = "".join(f"  {x}" for x in ((f"[{f.interval}]" if f.interval else ""), (f"n = {f.n}" if f.n else "")) if x)
        lines.append(f"{f.label}: {f.value}{extra}")
    units = p.table("units")
    if units is not None and not units.empty:
        lines.append("")
        frame = units.texts()
        for row in frame.itertuples(index=False):
            lines.append("  " + "  ".join(f"{h} {c}" if j else f"{str(c)[:34]:<34}"
                                          for j, (h, c) in enumerate(zip(frame.columns, row)) if c != DASH or j == 0))
    statements = p.table("statements")
    if statements is not None and not statements.empty:
        lines += ["", _("Favourable % by statement:")]
        lines += [f"  {row[1]}  {row[0]}  (n = {row[2]})" for row in statements.texts().itertuples(index=False)]
    linkage = linkage_text(v)
    if linkage and v.linkage is not None and v.linkage.result.pearson_r is not None:
        lines += ["", _("Customers and employees together") + ":", *(f"  {x}" for x in linkage)]
    lines += [_("Note: {text}").format(text=n) for n in p.notes]
    return "\n".join(lines)


def over_time_table(rows: list[tuple[dt.date, SnapshotView]]) -> Table:
    """Month by month: customer NPS and its answers, the engagement index and its responses (a month's figures are
    those of whole groups inside it; "–" where it has none)."""
    out = []
    for month, v in rows:
        nps = value_cell(v.nps.score if v.nps else None)
        if v.nps is not None and v.nps.n and v.nps.score is None:
            nps = text_cell(str(metrics.too_few(v.nps.n)))
        e = v.engagement
        out.append((text_cell(format_period(month, "M")), nps, value_cell(v.nps.n if v.nps else None, "count"),
                    value_cell(e.index if e else None), value_cell(e.n if e else None, "count")))
    return Table("over_time", _("Month by month"), (_("Month"), _("Customer NPS"), _("Customer answers"),
                                                    _("Engagement index"), _("Employee responses")), tuple(out), (
        _("A month's employee figures use the groups that lie wholly inside it; customer figures its whole weeks."),),
                 (False, True, True, True, True))


def linkage_points(v: SnapshotView) -> pd.DataFrame:
    """The units of the view's linkage, with their figures, as :func:`lib.present.charts.linkage_scatter` draws them."""
    cols = ["department", "engagement", "nps", "customer_n", "employee_n", "favorable_pct", "enps"]
    if v.linkage is None:
        return pd.DataFrame(columns=cols)
    by = {u.unit: u for u in v.units}
    return pd.DataFrame([{"department": d, "engagement": x, "nps": y, "customer_n": by[d].customer_n,
                          "employee_n": by[d].employee_n,
                          "favorable_pct": by[d].engagement.favorable_pct if by[d].engagement else None,
                          "enps": by[d].enps.score if by[d].enps else None}
                         for d, x, y in zip(v.linkage.departments, v.linkage.employee_values,
                                            v.linkage.customer_values)], columns=cols)


def linkage_text(v: SnapshotView) -> list[str]:
    """The linkage in words: Pearson's r with its interval and the units it rests on, or why there is none."""
    link = v.linkage
    if link is None:
        return []
    r = link.result
    lines = [str(w) for w in link.warnings]
    if r.pearson_r is not None:
        lines.insert(0, _("Across {n} units: r = {r} (95% interval {ci}).").format(
            n=count(r.n), r=number(r.pearson_r, "r"), ci=interval(r.pearson_ci95, "r") or DASH))
    return lines


def statement_answers(v: SnapshotView) -> pd.DataFrame:
    """Each statement's answers per point, as :func:`lib.present.charts.item_diverging` draws them (statement, point,
    answer, share %, count)."""
    rows = []
    for x in v.statements:
        for point, n in x["answers"].items():
            rows.append({"statement": x["statement"], "point": int(point), "answer": str(point),
                         "share": 100.0 * n / x["answered"], "count": int(n)})
    return pd.DataFrame(rows, columns=["statement", "point", "answer", "share", "count"])
