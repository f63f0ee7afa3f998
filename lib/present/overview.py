"""The first screen's content: "how are we doing, and where do we look?", in plain words.

:func:`build` turns a :class:`~lib.figures.summary.Summary` (and, when the files have dates, the last two periods'
summaries) into an :class:`Overview`:

* **headlines**: the presentation model's headline figures (:func:`lib.present.model.figures`), each with its change
  from the previous period to the latest one when both have it: the change as printed (later minus earlier), its
  direction when the test finds it real, otherwise "no detectable change" (:func:`lib.figures.comparisons.change`);
* **strengths** and **focus areas**: the statements whose favourable % lies furthest above and below the
  organisation's own average over its statements (and above or below a benchmark the user gave), and the
  departments that differ from the rest of the organisation (:func:`lib.figures.comparisons.versus_rest`), with
  their figures;
* **glance**: one row per department for a small chart: the department's figure against the organisation's.

The reading path says what a finding means; the test behind it (its name, its p) is in each finding's ``help``.
Employee figures come only from what :mod:`lib.privacy.groups` released for the view: the statements are counted
over the released rows (:func:`lib.present.items.item_points`), hidden statements and departments are left out.
Every figure is written by the presentation model's formatters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lib.figures import metrics
from lib.figures.comparisons import Test, change, versus_rest
from lib.figures.summary import Summary
from lib.i18n import _, round_half_up
from lib.present import model
from lib.present.items import item_points
from lib.privacy import surfaces

if TYPE_CHECKING:
    from lib.figures.filters import Filters
    from lib.figures.periods import Period
    from lib.figures.summary import Settings
    from lib.survey.frame import Survey

#: How many statements each list names at most.
TOP = 3
#: A statement counts as a strength or a focus area when it lies at least this many points from the average.
MARGIN = 5.0
#: Headline figures that carry a change, by the test's measure.
CHANGED = {"nps": "nps", "engagement": "engagement", "enps": "enps"}


@dataclass(frozen=True)
class Change:
    """A headline figure's change from the previous period to the latest one."""

    text: str  # "+5.1" (as printed: later minus earlier)
    direction: int  # 1 up, -1 down (a real change), 0 no detectable change
    reading: str  # "up 5.1 points since K3 2026" / "no detectable change since K3 2026"
    help: str  # the test behind it


@dataclass(frozen=True)
class Headline:
    figure: model.Figure
    change: Change | None = None


@dataclass(frozen=True)
class Finding:
    """One strength or focus area: ``text`` in plain words with its figures; the test in ``help``."""

    kind: str  # "statement" or "department"
    name: str
    text: str
    value: float
    difference: float
    help: str = ""


@dataclass(frozen=True)
class Overview:
    headlines: tuple[Headline, ...]
    strengths: tuple[Finding, ...]
    focus: tuple[Finding, ...]
    glance: pd.DataFrame = field(default_factory=pd.DataFrame)
    glance_title: str = ""
    compared: str = ""  # "K3 2026 with K2 2026", or "" without periods
    notes: tuple[str, ...] = ()


# --- statements ------------------------------------------------------------------------------------------------


def statement_scores(s: Summary) -> pd.DataFrame:
    """The organisation's favourable % per statement over the released rows (hidden statements left out), with the
    statement's answers: columns statement, favorable_pct, answered."""
    cols = ["statement", "favorable_pct", "answered"]
    if s.employee is None or not s.employee.items or s.employee_view is None or s.engagement is None \
            or s.engagement.suppressed:
        return pd.DataFrame(columns=cols)
    _group, points, fav_low = item_points(s)
    answered, favourable = metrics.item_favorable(points, fav_low)
    rows = []
    for j, item in enumerate(s.employee.items):
        if item.key not in s.employee_view.hidden and answered[j] >= s.settings.min_group:
            pct, n = surfaces.figure(s.employee, (100.0 * favourable[j] / answered[j], int(answered[j])),  # released
                                     f"item:{item.name}", "total", s.employee_view.mask, s.settings.min_group)
            rows.append({"statement": item.label, "favorable_pct": pct, "answered": n})
    return pd.DataFrame(rows, columns=cols)


def _statement_finding(row: pd.Series, average: float, benchmark: float | None) -> Finding:
    difference = float(row.favorable_pct) - average
    words = (_("{points} points above the organisation's average ({average})") if difference > 0 else
             _("{points} points below the organisation's average ({average})")).format(
        points=model.number(abs(difference)), average=model.percent(average))
    if benchmark is not None:
        gap = float(row.favorable_pct) - benchmark
        words += "; " + (_("{points} points above your benchmark ({benchmark})") if gap > 0 else
                         _("{points} points below your benchmark ({benchmark})")).format(
            points=model.number(abs(gap)), benchmark=model.percent(benchmark))
    text = _("{statement}: {value} favourable, {words}").format(
        statement=model.quote(str(row.statement)), value=model.percent(float(row.favorable_pct)), words=words)
    return Finding("statement", str(row.statement), text, float(row.favorable_pct), difference,
                   _("Favourable: the share of answers in the scale's top two points, over {n} answers. Named when it lies "
                     "further from the average than chance explains (95% margin, Bonferroni-corrected for the number "
                     "of statements) and at least 5 points.").format(
                       n=model.count(int(row.answered))))


def statement_findings(s: Summary, benchmark: dict[str, float] | float | None = None, top: int = TOP
                       ) -> tuple[list[Finding], list[Finding]]:
    """Strengths and focus areas among the statements: at most ``top`` each, furthest above and below the average of
    the organisation's statements by at least :data:`MARGIN` points and by more than chance explains (the 95 % margin
    of the statement's favourable %, Bonferroni-corrected for the number of statements). ``benchmark`` is a favourable % for every
    statement or per statement; a statement above the average but below its benchmark is no strength, and one below
    its benchmark by the margin is a focus area even near the average."""
    scores = statement_scores(s)
    if len(scores) < 2:
        return [], []
    average = float(scores["favorable_pct"].mean())

    def mark(name: str) -> float | None:
        if isinstance(benchmark, dict):
            return benchmark.get(name)
        return benchmark

    # further from the average than chance explains: its 95 % margin with Bonferroni's correction for every statement
    z = NormalDist().inv_cdf(1 - 0.025 / len(scores))
    p = scores["favorable_pct"] / 100
    noise = 100 * z * np.sqrt(p * (1 - p) / scores["answered"].clip(lower=1))
    scores = scores.assign(diff=scores["favorable_pct"] - average, noise=np.maximum(noise, MARGIN),
                           gap=[row.favorable_pct - b if (b := mark(row.statement)) is not None else np.nan
                                for row in scores.itertuples()])
    up = scores[(scores["diff"] >= scores["noise"]) & ~(scores["gap"] < 0)].sort_values("diff", ascending=False)
    down = scores[(scores["diff"] <= -scores["noise"]) | (scores["gap"] <= -scores["noise"])]
    down = down.assign(key=down[["diff", "gap"]].min(axis=1)).sort_values("key")
    return ([_statement_finding(r, average, mark(r.statement)) for r in up.head(top).itertuples()],
            [_statement_finding(r, average, mark(r.statement)) for r in down.head(top).itertuples()])


# --- departments -----------------------------------------------------------------------------------------------


def _measure_names() -> dict[str, str]:
    return {"nps": _("customer NPS"), "enps": _("eNPS"), "engagement": _("engagement index")}


def _printed(t: Test) -> float:
    """The difference as people read it: the printed figure minus the printed rest (as the change table does)."""
    digits = model.DECIMALS["score"]
    return round_half_up(t.value, digits) - round_half_up(t.other, digits)


def department_findings(s: Summary, tests: list[Test] | None = None, top: int = 5) -> tuple[list[Finding], list[Finding]]:
    """Departments whose NPS, eNPS or engagement index differs from the rest of the organisation (a real difference
    after the correction for testing every department): one finding per department and direction, naming each of
    its figures that differs; those that differ on more figures first, then by the largest difference; at most
    ``top`` each way."""
    names = _measure_names()
    order = {"nps": 0, "engagement": 1, "enps": 2}
    grouped: dict[tuple[str, bool], list[Test]] = {}
    for t in tests if tests is not None else versus_rest(s):
        if t.significant and t.department is not None and t.shown:  # a difference its interval does not hold is not shown
            grouped.setdefault((t.department, t.difference > 0), []).append(t)
    up, down = [], []
    for (department, above), found in grouped.items():
        found.sort(key=lambda t: order[t.measure])
        parts = [(_("{measure} {value}, {points} points above the rest ({rest})") if above else
                  _("{measure} {value}, {points} points below the rest ({rest})")).format(
            measure=names[t.measure], value=model.number(t.value), points=model.number(abs(_printed(t))),
            rest=model.number(t.other)) for t in found]
        text = _("{department}: {figures}").format(department=model.unit(department), figures="; ".join(parts))
        p_values = ", ".join(f"{names[t.measure]} p = {model.number(t.p_corrected, 'p')}" for t in found)
        finding = Finding("department", str(department), text, found[0].value, max((t.difference for t in found),
                                                                                   key=abs),
                          _("Each figure tested against the rest of the organisation (NPS and eNPS: adjusted-Wald "
                            "test; engagement index: Welch's t), with the Benjamini–Hochberg correction for testing "
                            "every department: {p}.").format(p=p_values))
        (up if above else down).append((len(found), abs(finding.difference), finding))
    up.sort(key=lambda x: (-x[0], -x[1]))
    down.sort(key=lambda x: (-x[0], -x[1]))
    return [f for *_k, f in up[:top]], [f for *_k, f in down[:top]]


# --- change since the previous period -----------------------------------------------------------------------------


def last_two(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings,
             kind: str | None = None) -> tuple[str, tuple[Period, Summary] | None, tuple[Period, Summary] | None,
                                            tuple[str, ...]]:
    """The period kind used and the previous and latest periods' summaries: quarters when the files span them,
    otherwise months, weeks or waves; the latest complete period against the one before it (an incomplete last
    period is named in the notes, not compared)."""
    from lib.figures import periods

    offered = periods.offered(customer, employee)
    if not offered:
        return "", None, None, ()
    if kind not in offered:
        kind = next((k for k in ("quarter", "month", "week", "wave", "half", "year") if k in offered), offered[0])
    found = periods.by_period(customer, employee, filters, settings, kind)
    notes: tuple[str, ...] = ()
    if found and found[-1][0].incomplete and len(found) >= 3:
        notes = (_("{period} is not complete yet, so the change is that of the two periods before it.").format(
            period=found[-1][0].shown(kind)),)
        found = found[:-1]
    if len(found) < 2:
        return kind, None, None, ()
    return kind, found[-2], found[-1], notes


def _change(t: Test, since: str) -> Change:
    digits = model.DECIMALS["score"]
    from lib.i18n import round_half_up

    printed = round_half_up(t.value, digits) - round_half_up(t.other, digits)
    text = model.signed(printed)
    if t.significant and printed != 0:
        direction = 1 if printed > 0 else -1
        reading = (_("up {points} points since {period}") if direction > 0 else
                   _("down {points} points since {period}")).format(points=model.number(abs(printed)), period=since)
    else:
        direction = 0
        reading = _("no detectable change since {period}").format(period=since)
    method = _("adjusted-Wald test") if t.measure in ("nps", "enps") else _("Welch's t-test")
    detect = (" " + _("These answers could detect a change of ±{mdc}.").format(mdc=model.number(t.detectable))
              if not direction and t.detectable is not None else "")
    help_text = _("{before} → {after}; 95% interval of the change {interval}; {method}, p = {p}.").format(
        before=model.number(t.other), after=model.number(t.value), interval=model.interval(t.ci95) or model.DASH,
        method=method, p=model.number(t.p, "p")) + detect
    return Change(text, direction, reading, help_text)


def changes(before: Summary, after: Summary, since: str) -> dict[str, Change]:
    """The organisation's NPS, eNPS and engagement index changes, by figure key (a change whose interval would not
    hold the printed figure is left out, as the change table does)."""
    out = {}
    for t in change(before, after):
        if t.department is None and t.shown:
            out[t.measure] = _change(t, since)
    return out


# --- the glance chart's table -------------------------------------------------------------------------------------


def glance(s: Summary) -> tuple[pd.DataFrame, str]:
    """One row per department with a shown figure: department, value, the organisation's, difference and the label
    printed on its bar. Engagement index when the view has it, customer NPS otherwise; hidden departments and those
    below the minimum of customer answers are left out (the page says how many)."""
    cols = ["department", "value", "organisation", "difference", "label", "n"]
    rows = []
    if s.engagement is not None and not s.engagement.suppressed and s.engagement.index is not None:
        org, title = s.engagement.index, _("Engagement index by department, against the organisation ({value})")
        for d in s.departments:
            e = d.engagement
            if not d.suppressed and e is not None and e.index is not None:
                rows.append((d.department, e.index, e.n))
    elif s.nps is not None and s.nps.score is not None:
        org, title = s.nps.score, _("Customer NPS by department, against the organisation ({value})")
        for d in s.departments:
            if d.nps is not None and metrics.nps_shown(d.nps, s.settings.min_customers):
                rows.append((d.department, d.nps.score, d.nps.n))
    else:
        return pd.DataFrame(columns=cols), ""
    df = pd.DataFrame([{"department": name, "value": v, "organisation": org, "difference": v - org,
                        "label": model.number(v), "n": n} for name, v, n in rows], columns=cols)
    return df.sort_values("value", ascending=False, kind="stable").reset_index(drop=True), \
        title.format(value=model.number(org))


# --- messages -------------------------------------------------------------------------------------------------

_TOO_FEW = ("No department can be compared; a correlation needs at least 3.",
            "Only {count} department can be compared; a correlation needs at least 3.",
            "Only {n} departments can be compared: a correlation over so few is very uncertain, and a ")


def messages(warnings: list | tuple, selected: int = 0) -> list[str]:  # type: ignore[type-arg]
    """The view's warnings as a page shows them: each once; with fewer than three departments chosen in the filter
    (``selected``), the linkage's "only n departments" warnings become one message saying what to do."""
    out: list[str] = []
    for w in warnings:
        msgid = getattr(w, "msgid", "")
        if 0 < selected < 3 and any(msgid.startswith(x[:40]) for x in _TOO_FEW):
            text = _("With {n} department(s) selected there is no correlation between departments: select three or "
                     "more, or clear the department filter, to see how the two surveys go together.").format(n=selected)
        else:
            text = str(w)
        if text not in out:
            out.append(text)
    return out


# --- everything ---------------------------------------------------------------------------------------------------


def build(s: Summary, previous: tuple[Period, Summary] | None = None, latest: tuple[Period, Summary] | None = None,
          kind: str = "quarter", benchmark: dict[str, float] | float | None = None, notes: tuple[str, ...] = ()
          ) -> Overview:
    """The first screen of the view ``s``; ``previous`` and ``latest`` (from :func:`last_two`) give the changes."""
    found: dict[str, Change] = {}
    compared = ""
    if previous is not None and latest is not None:
        since = previous[0].shown(kind)
        found = changes(previous[1], latest[1], since)
        compared = _("{latest} compared with {previous}").format(latest=latest[0].shown(kind), previous=since)
    headlines = tuple(Headline(f, found.get(CHANGED.get(f.key, ""))) for f in model.figures(s)
                      if f.key in ("nps", "engagement", "favourable", "enps", "nki", "hme", "nmi", "r"))
    strong, weak = statement_findings(s, benchmark)
    up, down = department_findings(s)
    table, title = glance(s)
    return Overview(headlines, tuple(strong + up), tuple(weak + down), table, title, compared, notes)
