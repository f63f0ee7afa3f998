"""The presentation model: one :class:`~lib.figures.summary.Summary` as titled, labelled, locale-formatted figures,
tables and notes, which every face renders and none recomputes (datasette's way: one computation feeds every face).

:func:`present` builds a :class:`Presentation`. The command line's text (:func:`lib.cli.render_text`), the deck
(:mod:`lib.deck.slides` decides the slides from it; :mod:`lib.deck.pptx` and :mod:`lib.deck.pdf` draw them), the
Overview page and the tables of :mod:`lib.present.breakdowns` show its texts as they are, so a figure reads the same
in every one of them.

Every number a person reads is written by :func:`number` (and :func:`interval`, :func:`count`, :func:`signed`) in
the current language's style (:func:`lib.i18n.format_number`: Babel's symbols, rounded half up), with the decimals
its kind is given here, once (:data:`DECIMALS`):

======  ========  ===========================================================================
kind    decimals  figures
======  ========  ===========================================================================
score   1         NPS, eNPS, engagement index, favourable %, pulse, differences and changes
index   0         NKI, NMI, HME and its sub-indices (whole numbers, as SCB and SKR publish them)
r       2         Pearson r, Spearman rho, weighted r, Cronbach's alpha, ICC(1), ICC(2)
p       3         p-values; below 0.001 written "< 0.001"
count   0         n: responses, answers, departments, statements
======  ========  ===========================================================================

An interval is always "low to high" in the language's words ("0,32 till 0,95"), both ends with the figure's
decimals. Typography per language (the minus sign, quotation marks) is :data:`TYPOGRAPHY`'s.

Employee figures come only from the Summary's released values (:mod:`lib.privacy.groups` decided them; nothing
here reads a response row): a hidden figure or cell reads :func:`lib.privacy.groups.hidden_text` and the table or
figure carries :func:`lib.privacy.groups.hidden_explanation` as its footnote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from lib.figures import metrics, stats
from lib.figures.linkage import CUSTOMER_MEASURES, EMPLOYEE_MEASURES
from lib.figures.summary import Summary
from lib.i18n import _, format_number, get_language, round_half_up
from lib.privacy import groups as privacy, surfaces
from lib.survey.frame import NOT_GIVEN

if TYPE_CHECKING:
    from lib.figures.comparisons import Test

#: Decimals by kind of figure (see the module's table).
DECIMALS: dict[str, int] = {"score": 1, "index": 0, "r": 2, "p": 3, "count": 0}
#: What an empty cell or a figure the data cannot give reads.
DASH = "–"
ARROWS = {True: "▲", False: "▼"}


@dataclass(frozen=True)
class Typography:
    """A language's minus sign and quotation marks."""

    minus: str = "-"
    quotes: tuple[str, str] = ("“", "”")


#: Every language writes a negative number with the minus sign U+2212 (CLDR's minus for Swedish and Finnish; Babel
#: writes the hyphen-minus); Swedish and Finnish quote with ”…” (Språkrådet; Kielitoimisto). Numbers keep Babel's
#: no-break space between thousands, and a percentage is written with a no-break space before "%" in Swedish and
#: Finnish (:func:`percent`).
TYPOGRAPHY: dict[str, Typography] = {"en": Typography(minus="\u2212"),
                                     "sv": Typography(minus="\u2212", quotes=("”", "”")),
                                     "fi": Typography(minus="\u2212", quotes=("”", "”"))}


def _typography() -> Typography:
    return TYPOGRAPHY.get(get_language(), TYPOGRAPHY["en"])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, kind: str = "score") -> str:
    """A figure in the current language's style with its kind's decimals; "–" when there is none.

    >>> from lib.i18n import set_language
    >>> [number(v, k) for v, k in ((63.25, "score"), (0.3249, "r"), (0.0004, "p"), (61.5, "index"), (None, "r"))]
    ['63.3', '0.32', '< 0.001', '62', '–']
    >>> set_language("sv"); number(-12.25), number(1234, "count"); set_language("en")
    ('\u221212,3', '1\xa0234')
    """
    if _missing(value):
        return DASH
    digits = DECIMALS[kind]
    if kind == "p" and 0 <= float(value) < 0.5 * 10 ** -digits:  # type: ignore[arg-type]
        return "< " + format_number(10 ** -digits, digits)
    text = format_number(float(value), digits)  # type: ignore[arg-type]
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # -0.04 is shown as 0.0, not -0.0
    minus = _typography().minus
    return text.replace("-", minus) if minus != "-" else text


def percent(value: float | None, kind: str = "score") -> str:
    """A percentage given on 0–100: "84.0%" in English, "84,0 %" (a no-break space before the sign) in Swedish and
    Finnish; "–" when there is none."""
    text = number(value, kind)
    if text == DASH:
        return text
    return text + ("%" if get_language() == "en" else "\u00a0%")


def count(n: int | None) -> str:
    """A count: 3 074 in Swedish and Finnish, 3,074 in English."""
    return number(n, "count")


def signed(value: float | None, kind: str = "score") -> str:
    """A change: "+3.2", "−1.5", "0.0"."""
    text = number(value, kind)
    return "+" + text if not _missing(value) and text != DASH and float(value) > 0 and any(  # type: ignore[arg-type]
        c in "123456789" for c in text) else text


def interval(ci: tuple[float, float] | list[float] | None, kind: str = "score") -> str:
    """An interval, "0.32 to 0.95" ("0,32 till 0,95" in Swedish); "" when there is none."""
    if not ci or _missing(ci[0]) or _missing(ci[1]):
        return ""
    return _("{lo} to {hi}").format(lo=number(ci[0], kind), hi=number(ci[1], kind))


def unit(name: object) -> str:
    """A unit (department, clinic, office…) as a person reads it: the group of answers that name no unit
    (:data:`lib.survey.frame.NOT_GIVEN`, a data value) in the current language, every other name as the file wrote it.

    >>> from lib.i18n import set_language
    >>> set_language("fi"); unit("(not given)"), unit("Kotihoito"); set_language("en")
    ('(ei ilmoitettu)', 'Kotihoito')
    """
    text = str(name)
    return _("(not given)") if text == NOT_GIVEN else text


def quote(text: str) -> str:
    """A quotation in the language's marks: “…” in English, ”…” in Swedish and Finnish."""
    left, right = _typography().quotes
    return f"{left}{text}{right}"


# --- the model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One headline figure as people read it.

    ``value`` is the formatted figure, or the hidden text when :mod:`lib.privacy.groups` withheld it (``hidden``,
    with its explanation in ``footnote``); ``details`` are labelled side figures (("p", "0.012")); ``number`` the
    released value unrounded (for a chart), None when hidden. ``group`` is customer, employee or linkage.
    """

    key: str
    label: str
    value: str
    interval: str = ""
    n: str = ""
    group: str = "customer"
    hidden: bool = False
    footnote: str = ""
    details: tuple[tuple[str, str], ...] = ()
    help: str = ""
    number: float | None = None


@dataclass(frozen=True)
class Cell:
    """A table cell: its ``text``, and its ``value`` for a download (a number rounded as the text shows it, the
    hidden text, other text, or None when empty)."""

    text: str
    value: float | int | str | None = None


@dataclass(frozen=True)
class Table:
    """A titled table of formatted cells with its notes (footnotes for hidden cells, excluded rows)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    numeric: tuple[bool, ...] = ()  # per column: figures (right-aligned) or names

    @property
    def empty(self) -> bool:
        return not self.rows

    def texts(self) -> pd.DataFrame:
        """The cells' texts under the translated headers: what a page, a slide or a line of text shows."""
        return pd.DataFrame([[c.text for c in r] for r in self.rows], columns=list(self.columns), dtype=object)

    def values(self) -> pd.DataFrame:
        """The cells' values (numbers stay numbers, hidden cells their text): what a download holds."""
        return pd.DataFrame([[c.value for c in r] for r in self.rows], columns=list(self.columns), dtype=object
                            ).infer_objects()

    def column(self, label: str) -> list[str]:
        j = self.columns.index(label)
        return [r[j].text for r in self.rows]


@dataclass(frozen=True)
class FileNote:
    """A file as the text output and the method slide describe it: rows used, rows left out by reason, value
    issues, and every column's role with its reason."""

    label: str
    name: str
    used: str
    left_out: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    roles: tuple[tuple[str, str, str], ...] = ()  # (role, column, why)


@dataclass(frozen=True)
class Presentation:
    """Everything a face shows of one view, formatted in the language current when it was made."""

    language: str
    customer_measure: str  # the linkage's two measures, as people read them (Settings.customer_measure …)
    employee_measure: str
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]
    files: tuple[FileNote, ...] = ()
    warnings: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def value_cell(value: float | None, kind: str = "score") -> Cell:
    if _missing(value):
        return Cell(DASH, None)
    return Cell(number(value, kind), round_half_up(float(value), DECIMALS[kind]) if kind != "count"  # type: ignore[arg-type]
                else int(value))  # type: ignore[arg-type]


def _hidden(reason: str | None, k: int) -> Cell:
    text = str(privacy.hidden_text(reason, k))
    return Cell(text, text)


def text_cell(text: str) -> Cell:
    return Cell(text, text)


def _footnotes(reasons: set[str | None], k: int) -> tuple[str, ...]:
    return tuple(str(privacy.hidden_explanation(r, k)) for r in sorted({r for r in reasons if r}))


def measure_labels(s: Summary) -> tuple[str, str]:
    """The linkage's customer and employee measures as people read them (from ``Settings``)."""
    return str(CUSTOMER_MEASURES[s.settings.customer_measure]), str(EMPLOYEE_MEASURES[s.settings.employee_measure])


def _measure_kind(code: str) -> str:
    return "index" if code in ("nki", "nmi", "hme") else "score"


# --- figures -----------------------------------------------------------------------------------------------


def _customer_figures(s: Summary) -> list[Figure]:
    out = []
    if s.nps is not None and s.nps.n:
        out.append(nps_figure("nps", _("Customer NPS"), s.nps, "customer"))
    nki = s.nordic.nki
    if nki is not None and nki.index is not None:
        out.append(Figure("nki", _("NKI (unweighted)"), number(nki.index, "index"), n=count(nki.respondents),
                          number=nki.index))
    return out


def nps_figure(key: str, label: str, r: stats.NpsResult, group: str) -> Figure:
    """NPS or eNPS with its interval; "too few answers" when the interval would not hold the score (one answer of 0
    has the interval −98.5 to 48.5), as a department's cell says (:func:`lib.figures.metrics.nps_shown`)."""
    if not metrics.nps_shown(r, 1):
        return Figure(key, label, str(metrics.too_few(r.n)), group=group)
    return Figure(key, label, number(r.score), interval(r.ci95), count(r.n), group, number=r.score)


def _hidden_figure(key: str, label: str, reason: str, n: int, k: int) -> Figure:
    """A hidden employee figure; a view the filters cut ("cut") has no count of its own to give, so it shows no n."""
    return Figure(key, label, str(privacy.hidden_text(reason, k)), n="" if reason == "cut" else count(n),
                  group="employee", hidden=True,
                  footnote=str(privacy.hidden_explanation(reason, k)))


def _employee_figures(s: Summary) -> list[Figure]:
    e, k = s.engagement, s.settings.min_group
    if e is None:
        return []
    if e.suppressed:
        reason = "cut" if e.reason == "cut" else "small" if e.n < k else (e.reason or "small")
        out = [_hidden_figure("engagement", _("Engagement index"), reason, e.n, k)]
        if s.employee is not None and s.employee.has_recommend:
            out.append(_hidden_figure("enps", _("eNPS"), reason, e.n, k))
        return out
    out = [Figure("engagement", _("Engagement index"), number(e.index), interval(e.index_ci95), count(e.n), "employee",
                  help=_("0–100; favourable {fav} %").format(fav=number(e.favorable_pct)), number=e.index),
           Figure("favourable", _("Favourable %"), number(e.favorable_pct), interval(e.favorable_ci95), count(e.n),
                  "employee", number=e.favorable_pct)]
    if s.enps is not None and s.enps.n:
        out.append(nps_figure("enps", _("eNPS"), s.enps, "employee"))
    if s.pulse is not None:
        p = s.pulse
        out.append(Figure("pulse", _("Pulse ({low}–{high})").format(low=p.low, high=p.high), number(p.mean),
                          n=count(p.n), group="employee", number=p.mean))
    if s.alpha is not None and s.alpha.alpha is not None:
        a = s.alpha
        out.append(Figure("alpha", _("Cronbach's alpha"), number(a.alpha, "r"), interval(a.ci95, "r"), count(a.n),
                          "employee", details=((_("statements"), count(a.items)),), number=a.alpha))
    return out + _nordic_figures(s)


def _nordic_figures(s: Summary) -> list[Figure]:
    n, k, out = s.nordic, s.settings.min_group, []
    if n.nmi is not None:
        if n.nmi.suppressed or n.nmi.index is None:
            out.append(_hidden_figure("nmi", _("NMI (unweighted)"), "small", n.nmi.respondents, k))
        else:
            out.append(Figure("nmi", _("NMI (unweighted)"), number(n.nmi.index, "index"), n=count(n.nmi.respondents),
                              group="employee", number=n.nmi.index))
    if n.hme is not None:
        if n.hme.suppressed:
            out.append(_hidden_figure("hme", _("HME"), "small", n.hme.respondents, k))
        else:
            from lib.figures.hme import SUBINDEX_NAMES

            parts = tuple((str(SUBINDEX_NAMES[key]), number(v, "index")) for key, v in n.hme.subindices.items())
            out.append(Figure("hme", _("HME"), number(n.hme.total, "index"), n=count(n.hme.respondents),
                              group="employee", details=parts, number=n.hme.total))
    return out


def _linkage_figures(s: Summary) -> list[Figure]:
    if s.linkage is None or s.linkage.result.pearson_r is None:
        return []
    r = s.linkage.result
    customer, employee = measure_labels(s)
    about = _("Pearson r over {n} departments: {employee} (x) against {customer} (y)").format(
        employee=employee, customer=customer, n=count(r.n))
    out = [Figure("r", _("Correlation (r)"), number(r.pearson_r, "r"), interval(r.pearson_ci95, "r"), count(r.n),
                  "linkage", details=(("p", number(r.pearson_p, "p")),), help=about, number=r.pearson_r)]
    if r.spearman_rho is not None:
        out.append(Figure("rho", _("Spearman rho"), number(r.spearman_rho, "r"), n=count(r.n), group="linkage",
                          details=(("p", number(r.spearman_p, "p")),), number=r.spearman_rho))
    weighted = s.linkage.weighted_r
    if weighted is not None:
        out.append(Figure("weighted_r", _("Weighted r (by customer answers)"), number(weighted, "r"), n=count(r.n),
                          group="linkage", number=weighted))
    return out


def figures(s: Summary) -> tuple[Figure, ...]:
    """The headline figures: the customer side, the employee side (as released), then the linkage."""
    return (*_customer_figures(s), *_employee_figures(s), *_linkage_figures(s))


# --- tables ------------------------------------------------------------------------------------------------


def _department_columns(s: Summary) -> list[tuple[str, str, str]]:
    """(key, header, side) of the department table's columns, for the files and the figures the view has."""
    cols = [("department", _("Department"), "")]
    if s.customer is not None:
        cols += [("nps", _("NPS"), "customer"), ("nps_ci", _("NPS 95% CI"), "customer"),
                 ("customer_n", _("Customer n"), "customer")]
        if any(d.nki is not None for d in s.departments):
            cols.append(("nki", _("NKI (unweighted)"), "customer"))
    if s.employee is not None:
        cols += [("engagement", _("Engagement"), "employee"), ("engagement_ci", _("Engagement 95% CI"), "employee"),
                 ("favourable", _("Favourable %"), "employee")]
        if s.employee.has_recommend:
            cols.append(("enps", _("eNPS"), "employee"))
        cols.append(("employee_n", _("Employee n"), "employee"))
        if s.nordic.nmi is not None:
            cols.append(("nmi", _("NMI (unweighted)"), "employee"))
        if s.nordic.hme is not None:
            cols.append(("hme", _("HME"), "employee"))
    return cols


def _department_cells(d, k: int, min_customers: int = 1) -> dict[str, Cell]:  # type: ignore[no-untyped-def]
    e = d.engagement
    cells = {"department": text_cell(unit(d.department)), "nps": value_cell(d.nps.score if d.nps else None),
             "nps_ci": Cell(interval(d.nps.ci95 if d.nps else None) or DASH), "customer_n": value_cell(d.customer_n, "count"),
             "nki": value_cell(d.nki, "index"), "employee_n": value_cell(d.employee_n, "count")}
    if d.nps is not None and d.nps.n and not metrics.nps_shown(d.nps, min_customers):  # its n and "too few answers"
        cells.update(nps=text_cell(str(metrics.too_few(d.nps.n))), nps_ci=Cell(DASH))
    if d.suppressed:
        hidden = _hidden(d.suppressed_reason, k)
        cells.update(engagement=hidden, engagement_ci=Cell(DASH), favourable=hidden, enps=hidden, nmi=hidden,
                     hme=hidden)
        return cells
    cells.update(engagement=value_cell(e.index if e else None), engagement_ci=Cell(interval(e.index_ci95 if e else None) or DASH),
                 favourable=value_cell(e.favorable_pct if e else None), enps=value_cell(d.enps.score if d.enps else None),
                 nmi=value_cell(d.nmi, "index"), hme=value_cell(d.hme, "index"))
    for key in ("nps_ci", "engagement_ci"):
        cells[key] = Cell(cells[key].text, None if cells[key].text == DASH else cells[key].text)
    if d.partial:  # its figures rest on part of its people: said next to them
        cells["employee_n"] = Cell(_("{n} of {whole}").format(n=count(d.employee_n), whole=count(d.employee_whole)),
                                   d.employee_n)
    return cells


def partial_note(d, k: int) -> str:  # type: ignore[no-untyped-def]
    """What a department's "6 of 18" means: its shown figures rest on part of its responses."""
    return _("{department}: the figures rest on {n} of its {whole} responses; the others are in protection groups "
             "that the filters cut or that it shares with another department, and figures use only whole groups of "
             "at least {k} people.").format(department=unit(d.department), n=count(d.employee_n),
                                            whole=count(d.employee_whole), k=k)


def department_table(s: Summary) -> Table:
    """One row per department of the view; employee cells as :mod:`lib.privacy.groups` released them, a hidden cell
    spelled out ("fewer than 5 responses") with its explanation among the notes."""
    k = s.settings.min_group
    cols = _department_columns(s)
    rows = tuple(tuple(cells[key] for key, _h, _s in cols)
                 for cells in (_department_cells(d, k, s.settings.min_customers) for d in s.departments))
    return Table("departments", _("Departments"), tuple(h for _k, h, _s in cols), rows,
                 _footnotes({d.suppressed_reason for d in s.departments}, k)
                 + tuple(partial_note(d, k) for d in s.departments if d.partial),
                 tuple(key != "department" for key, _h, _s in cols))


def _linkage_pairs(s: Summary) -> list[tuple[str, float, float]]:
    """(department, employee measure, customer measure) of each department the correlation used."""
    link = s.linkage
    if link is None:
        return []
    return list(zip(link.departments, link.employee_values, link.customer_values))


def linkage_table(s: Summary) -> Table | None:
    """The departments the correlation used, with both measures and both n; the excluded ones, with their reason,
    among the notes."""
    if s.linkage is None:
        return None
    customer, employee = measure_labels(s)
    c_kind, e_kind = _measure_kind(s.settings.customer_measure), _measure_kind(s.settings.employee_measure)
    by = {d.department: d for d in s.departments}
    rows = tuple((text_cell(unit(name)), value_cell(x, e_kind), value_cell(y, c_kind),
                  value_cell(by[name].employee_n if name in by else None, "count"),
                  value_cell(by[name].customer_n if name in by else None, "count")) for name, x, y in _linkage_pairs(s))
    notes = tuple(f"{unit(x.department)}: {x.reason}" for x in s.linkage.excluded)
    if (s.settings.customer_measure, s.settings.employee_measure) == ("nps", "engagement"):
        title = _("Engagement and customer NPS")
    else:
        title = _("{employee} and {customer} by department").format(employee=employee, customer=customer)
    return Table("linkage", title, (_("Department"), employee, customer, _("Employee n"), _("Customer n")), rows,
                 notes, (False, True, True, True, True))


def hme_table(s: Summary) -> Table | None:
    """HME and its sub-indices for the selection and, when the file has a gender column, for each gender: whole
    numbers (rounded half up), hidden groups spelled out by :mod:`lib.privacy.groups`, incomplete ones "–"."""
    from lib.figures.hme import SUBINDEX_NAMES

    n = s.nordic
    if n.hme is None:
        return None
    k = s.settings.min_group
    results = [(str(_("All")), n.hme), *n.hme_by_gender.items()]

    def cell(result, value) -> Cell:  # type: ignore[no-untyped-def]
        return _hidden("small", k) if result.suppressed else value_cell(value, "index")

    columns = (n.gender_column or _("Group"), _("HME"), *(str(v) for v in SUBINDEX_NAMES.values()), _("Respondents"))
    rows = tuple((text_cell(name), cell(r, r.total), *(cell(r, r.subindices[key]) for key in SUBINDEX_NAMES),
                  value_cell(r.respondents, "count")) for name, r in results)
    hidden = {"small"} if any(r.suppressed for _n, r in results) else set()
    return Table("hme", _("HME – Sustainable employee engagement"), columns, rows, _footnotes(hidden, k),
                 (False, *([True] * (len(columns) - 1))))


def statements_table(s: Summary, department: str) -> Table | None:
    """A department's favourable % per statement and its difference from the organisation, as released."""
    from lib.present.items import item_favorability

    fav = item_favorability(s)
    mine = fav[fav["department"] == department] if not fav.empty else fav
    if mine.empty:
        return None
    k = s.settings.min_group
    rows = []
    for r in mine.itertuples(index=False):
        shown = not pd.isna(r.favorable_pct)
        rows.append((text_cell(r.statement),
                     value_cell(r.favorable_pct) if shown else _hidden(r.suppressed_reason or "few_answers", k),
                     value_cell(r.difference) if shown else Cell(DASH)))
    reasons = {r.suppressed_reason or "few_answers" for r in mine.itertuples(index=False) if pd.isna(r.favorable_pct)}
    return Table("statements", _("Statements"), (_("Statement"), _("Favourable %"),
                                                 _("Difference from the organisation (points)")),
                 tuple(rows), _footnotes(reasons, k), (False, True, True))


def organisation_statements(s: Summary) -> Table | None:
    """The organisation's favourable % per statement over the released rows, most favourable first (for the deck's
    strengths and focus areas); a statement :mod:`lib.privacy.groups` hid reads its hidden text, last. None when the
    view has no statements or its employee figures are hidden."""
    from lib.present.items import item_points

    if s.employee is None or not s.employee.items or s.employee_view is None or s.engagement is None \
            or s.engagement.suppressed:
        return None
    k = s.settings.min_group
    _group, points, fav_low = item_points(s)
    answers, favourable = metrics.item_favorable(points, fav_low)
    shown, hidden = [], []
    for j, item in enumerate(s.employee.items):
        if item.key in s.employee_view.hidden or not answers[j]:
            hidden.append((text_cell(item.label), _hidden("few_answers", k)))
        else:
            shown.append((text_cell(item.label), value_cell(100.0 * favourable[j] / answers[j])))
    shown.sort(key=lambda r: -float(r[1].value))  # type: ignore[arg-type]
    return Table("organisation_statements", _("Statements"), (_("Statement"), _("Favourable %")),
                 tuple(shown + hidden), _footnotes({"few_answers"} if hidden else set(), k), (False, True))


def department_figures(s: Summary, department: str) -> Table | None:
    """One department's figures beside the organisation's (for its own deck); None when it is not in the view."""
    d = next((x for x in s.departments if x.department == department), None)
    if d is None:
        return None
    rows = []
    if d.nps is not None and s.nps is not None and metrics.nps_shown(d.nps, s.settings.min_customers):
        rows.append((text_cell(_("Customer NPS")), value_cell(d.nps.score), Cell(interval(d.nps.ci95)), value_cell(s.nps.score),
                     value_cell(d.customer_n, "count")))
    e = d.engagement
    if e is not None and not d.suppressed and s.engagement is not None and not s.engagement.suppressed:
        rows.append((text_cell(_("Engagement index")), value_cell(e.index), Cell(interval(e.index_ci95)),
                     value_cell(s.engagement.index), value_cell(e.n, "count")))
        rows.append((text_cell(_("Favourable %")), value_cell(e.favorable_pct), Cell(interval(e.favorable_ci95)),
                     value_cell(s.engagement.favorable_pct), value_cell(e.n, "count")))
    if d.enps is not None and s.enps is not None:
        rows.append((text_cell(_("eNPS")), value_cell(d.enps.score), Cell(interval(d.enps.ci95)), value_cell(s.enps.score),
                     value_cell(d.enps.n, "count")))
    return Table("department", _("{department} and the organisation").format(department=unit(department)),
                 (_("Figure"), unit(department), _("95% interval"), _("Organisation"), _("n")), tuple(rows), (),
                 (False, True, True, True, True))


def _who(t: Test) -> str:
    """Whom a change test is about: a unit (:func:`unit`) or the whole organisation."""
    return unit(t.department) if t.department else _("Whole organisation")


def change_table(tests: list[Test]) -> Table:
    """The change tests as people read them: who, which figure, before, after, the change (the difference of the two
    printed figures) with its arrow when it is real after Holm's correction, its 95 % interval, what it supports
    ("no detectable change" with the smallest change the data could have detected), and both p-values. A change whose
    interval would not hold it reads "too few answers"."""
    names = {"nps": _("NPS"), "enps": _("eNPS"), "engagement": _("Engagement index")}
    rows = []
    for t in tests:
        digits = DECIMALS["score"]
        printed = round_half_up(t.value, digits) - round_half_up(t.other, digits)
        ci = t.ci95 and (round_half_up(t.ci95[0], digits), round_half_up(t.ci95[1], digits))
        if not stats.contains(ci, printed):
            rows.append((text_cell(_who(t)), text_cell(names[t.measure]), value_cell(t.other),
                         value_cell(t.value), text_cell(_("too few answers")), Cell(DASH), Cell(DASH), Cell(DASH), Cell(DASH)))
            continue
        change = signed(printed)
        reading = (_("real change") if t.significant else
                   _("no detectable change (could detect ±{mdc})").format(mdc=number(t.detectable)))
        rows.append((text_cell(_who(t)), text_cell(names[t.measure]), value_cell(t.other),
                     value_cell(t.value), text_cell(f"{ARROWS[printed > 0]} {change}" if t.significant else change),
                     Cell(interval(ci)), text_cell(reading), value_cell(t.p, "p"), value_cell(t.p_corrected, "p")))
    return Table("change", _("Change since the previous period"),
                 (_("Department"), _("Figure"), _("Before"), _("After"), _("Change"), _("95% interval"), _("Reading"),
                  _("p"), _("p (Holm)")),
                 tuple(rows), (_("▲ or ▼: a real change after Holm's correction."),
                               _("Change: the later figure minus the earlier, as printed. Could detect: the change the "
                                 "test finds 80% of the time.")),
                 (False, False, True, True, True, True, False, True, True))


# --- files and notes ---------------------------------------------------------------------------------------


def file_note(survey, label: str, k: int) -> FileNote:  # type: ignore[no-untyped-def]
    """A file's rows used and left out, value issues and column roles, counts formatted here (an employee file of
    fewer than ``k`` responses does not say what its answers show: :func:`lib.privacy.surfaces.column_reasons`)."""
    reversed_items = {i.name: i.reverse_reason for i in survey.items if i.reverse}
    skipped, issues = surfaces.left_out_notes(survey)  # reasons, counts and row numbers only, released there
    reasons = surfaces.column_reasons(survey, k)
    roles = []
    for c in survey.detection.columns:
        if c.role != "ignore":
            role, why = c.role, reasons[c.name]
            if c.name in reversed_items:
                role, why = "reverse-item", reversed_items[c.name] or why
            roles.append((role, c.name, str(why)))
    return FileNote(label, survey.name + (f" [{survey.sheet}]" if survey.sheet else ""),
                    _("{kept} of {rows} rows used").format(kept=count(survey.kept), rows=count(survey.total_rows)),
                    tuple(f"{count(n)} × {why}" for n, why in skipped), tuple(issues), tuple(roles))


def view_text(s: Summary) -> str | None:
    """The organisation's view a summary shows, as the sidebar words it ("Every unit at level 1", "Health and its
    units"); None for the units as in the files."""
    h, settings = s.settings.hierarchy, s.settings
    if h is None or (settings.unit is None and settings.level is None):
        return None
    if settings.unit is not None:
        return _("{unit} and its units").format(unit=h.name(settings.unit))
    name = h.level_name(int(settings.level))  # type: ignore[arg-type]
    every = _("Every unit at level {n}").format(n=settings.level)
    return f"{every}: {name}" if name else every


def present(s: Summary) -> Presentation:
    """The presentation model of one view, in the current language."""
    customer, employee = measure_labels(s)
    tables = [department_table(s), linkage_table(s), hme_table(s)]
    files = tuple(file_note(sv, label, s.settings.min_group) for sv, label in ((s.customer, _("Customer survey")),
                                                         (s.employee, _("Employee survey"))) if sv is not None)
    figs = figures(s)
    footnotes = tuple(dict.fromkeys([*tables[0].notes, *(f.footnote for f in figs if f.hidden),
                                     *(tables[2].notes if tables[2] is not None else ())]))
    notes = (_("NPS intervals: 95% adjusted Wald. Anonymity threshold: {k} employee responses.").format(
        k=s.settings.min_group),)
    return Presentation(get_language(), customer, employee, figs, tuple(t for t in tables if t is not None), files,
                        tuple(str(w) for w in s.warnings), footnotes, notes)
