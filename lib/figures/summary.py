"""The whole picture for one filter: customer NPS, engagement, departments, linkage.

:func:`summarize` is what the command line prints and what the app's overview
shows; both read the same numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from lib.figures import metrics, stats
from lib.privacy import groups as privacy
from lib.privacy import surfaces
from lib.privacy.surfaces import release_summary
from lib.figures.filters import FILTER_REASONS, FilterResult, Filters, apply, department_index
from lib.errors import OptionError
from lib.i18n import Msg, msg
from lib.figures.attenuation import with_reliability
from lib.figures.linkage import (CUSTOMER_MEASURES, EMPLOYEE_MEASURES, DepartmentLink, Linkage, correlate,
                                  link_departments)
from lib.figures.nordic import Nordic, by_department, customer_index, employee_indices, hme_columns, nki_columns
from lib.survey.frame import Survey, remembered
from lib.survey.hierarchy import Hierarchy, check_focus, focus_mapping, from_paths, with_hierarchy




@dataclass(frozen=True)
class Settings:
    """Thresholds, the department mapping, the comment shuffle, the HME columns and the linkage's two measures.

    ``min_group`` is the anonymity threshold of this view; ``floor`` the
    deployment's threshold it was raised from (None: the same), see
    :mod:`lib.privacy.groups`. ``comment_seed`` shuffles comments (None: a fresh secret
    seed every time). The measures are codes of ``CUSTOMER_MEASURES`` and ``EMPLOYEE_MEASURES``; whether the
    files hold them is checked by :func:`check_measures` (called by :mod:`lib.load`).
    """

    min_group: int = privacy.DEFAULT_MIN_GROUP
    min_customers: int = metrics.DEFAULT_MIN_CUSTOMERS
    mapping: tuple[tuple[str, str], ...] = ()
    min_comments: int = privacy.DEFAULT_MIN_COMMENTS
    floor: int | None = None
    comment_seed: int | None = field(default=None, repr=False)
    hme: tuple[tuple[str, str], ...] = ()  # (HME code, column) chosen by the user; recognised by wording otherwise
    customer_measure: str = "nps"          # the linkage's customer side: "nps" or "nki"
    employee_measure: str = "engagement"   # the linkage's employee side: "engagement", "nmi" or "hme"
    hierarchy: Hierarchy | None = None  # the organisation (lib.survey.hierarchy); in the repr, which keys the app's caches
    unit: str | None = None    # the view: this unit and its children (needs ``hierarchy``) …
    level: int | None = None   # … or every unit at this level (1: the top); neither: the units as in the files

    def __post_init__(self) -> None:
        check_focus(self.hierarchy, self.unit, self.level)
        privacy.check_min_group(self.min_group)
        if self.floor is not None and (privacy.check_min_group(self.floor) > self.min_group):
            raise OptionError(msg("The anonymity threshold ({k}) cannot be below this installation's minimum ({floor}).",
                                  k=self.min_group, floor=self.floor))
        if self.customer_measure not in CUSTOMER_MEASURES or self.employee_measure not in EMPLOYEE_MEASURES:
            raise OptionError(msg("The linkage compares {customer} with {employee}; choose the customer side from {cs} "
                                  "and the employee side from {es}.", customer=self.customer_measure,
                                  employee=self.employee_measure, cs=", ".join(CUSTOMER_MEASURES),
                                  es=", ".join(EMPLOYEE_MEASURES)))
        if self.min_comments < self.min_group:
            raise OptionError(msg("The comment threshold ({c}) cannot be below the anonymity threshold ({k}).",
                                  c=self.min_comments, k=self.min_group))


def offered_measures(customer: Survey | None, employee: Survey | None, hme: tuple[tuple[str, str], ...] = ()
                     ) -> tuple[list[str], list[str]]:
    """The linkage measures the files hold, customer side and employee side, defaults first: NKI when the customer
    file asks SCB's three questions, NMI when the employee file does, HME when its statements are found (or chosen in
    ``hme``). NPS and the engagement index are always offered: a department without them is left out with the reason.
    """
    customer_side, employee_side = ["nps"], ["engagement"]
    if customer is not None and nki_columns(customer) is not None:
        customer_side.append("nki")
    if employee is not None:
        if nki_columns(employee) is not None:
            employee_side.append("nmi")
        if hme_columns(employee, dict(hme)) is not None:
            employee_side.append("hme")
    return customer_side, employee_side


def check_measures(customer: Survey | None, employee: Survey | None, settings: Settings) -> None:
    """Refuse, in one sentence, a linkage measure the files do not hold (a side whose file is not given is not
    checked). Raises :class:`lib.errors.OptionError`, also for an HME column that cannot be HME's."""
    customer_side, employee_side = offered_measures(customer, employee, settings.hme)
    for given, code, offered, labels, which in (
            (customer, settings.customer_measure, customer_side, CUSTOMER_MEASURES, msg("the customer survey")),
            (employee, settings.employee_measure, employee_side, EMPLOYEE_MEASURES, msg("the employee survey"))):
        if given is not None and code not in offered:
            raise OptionError(msg("{measure} cannot be linked: {which} does not ask its questions; choose one of: "
                                  "{offered}.", measure=labels[code], which=which,
                                  offered=", ".join(f"{c} ({labels[c]})" for c in offered)))


@dataclass(frozen=True)
class Pulse:
    """The mean answer to a pulse question, on its own scale (0–10 or 1–10)."""

    mean: float
    n: int
    low: int
    high: int


@dataclass(frozen=True)
class DepartmentFigures:
    department: str
    customer_n: int
    nps: stats.NpsResult | None
    employee_n: int
    engagement: metrics.Engagement | None
    enps: stats.NpsResult | None
    in_customer: bool
    in_employee: bool
    nki: float | None = None  # the department's NKI, NMI and HME (None: not in the file, or hidden)
    nmi: float | None = None
    hme: float | None = None
    employee_whole: int | None = None  # the department's whole count when its shown figures rest on part of it

    @property
    def partial(self) -> bool:
        """Whether the shown employee figures rest on part of the department's responses (``employee_whole``)."""
        return self.employee_whole is not None and not self.suppressed and self.employee_whole > self.employee_n

    def value(self, measure: str) -> float | None:
        """The department's figure of a linkage measure (a code of ``CUSTOMER_MEASURES`` or ``EMPLOYEE_MEASURES``)."""
        if measure == "nps":
            return self.nps.score if self.nps else None
        if measure == "engagement":
            return self.engagement.index if self.engagement else None
        return {"nki": self.nki, "nmi": self.nmi, "hme": self.hme}[measure]

    @property
    def suppressed(self) -> bool:
        return bool(self.engagement is not None and self.engagement.suppressed)

    @property
    def suppressed_reason(self) -> str | None:
        """Why the employee figures are hidden (a key of :data:`lib.privacy.groups.HIDDEN_REASONS`), or None."""
        if not self.suppressed or self.engagement is None:
            return None
        return self.engagement.reason or "small"

    def as_dict(self) -> dict[str, object]:
        e = self.engagement
        return {
            "department": self.department,
            "customer_n": self.customer_n,
            "nps": self.nps.score if self.nps else None,
            "nps_ci95": list(self.nps.ci95) if self.nps and self.nps.ci95 else None,
            "employee_n": self.employee_n,
            "employee_whole_n": self.employee_whole if self.partial else None,
            "engagement": e.index if e else None,
            "favorable_pct": e.favorable_pct if e else None,
            "enps": self.enps.score if self.enps else None,
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
            "nki": self.nki, "nmi": self.nmi, "hme": self.hme,
        }


@dataclass
class Summary:
    settings: Settings
    filters: Filters
    link: DepartmentLink
    customer: Survey | None
    employee: Survey | None
    customer_filter: FilterResult | None
    employee_filter: FilterResult | None
    nps: stats.NpsResult | None
    engagement: metrics.Engagement | None
    enps: stats.NpsResult | None
    alpha: stats.AlphaResult | None
    departments: list[DepartmentFigures]
    linkage: Linkage | None
    warnings: list[Msg] = field(default_factory=list)
    employee_view: privacy.EmployeeView | None = field(default=None, repr=False)
    pulse: Pulse | None = None
    nordic: Nordic = field(default_factory=Nordic)
    detailed: bool = True  # False: the totals only (no departments, linkage or Nordic indices; see summarize)

    def as_dict(self) -> dict[str, object]:
        """The JSON form: numbers unrounded, texts translated."""
        out: dict[str, object] = {}
        k = self.settings.min_group
        if self.customer is not None:
            out["customer"] = {**_file_dict(self.customer, self.customer_filter, k),
                               "nps": self.nps.as_dict() if self.nps else None}
        if self.employee is not None:
            out["employee"] = {
                **_file_dict(self.employee, self.employee_filter, k),
                "engagement": self.engagement.as_dict() if self.engagement else None,
                "enps": self.enps.as_dict() if self.enps else None,
                "cronbach_alpha": self.alpha.alpha if self.alpha else None,
                "pulse": {"mean": self.pulse.mean, "n": self.pulse.n, "scale": [self.pulse.low, self.pulse.high]}
                if self.pulse else None,
                "alpha": {"alpha": self.alpha.alpha, "n": self.alpha.n, "items": self.alpha.items,
                          "ci95": list(self.alpha.ci95) if self.alpha.ci95 else None} if self.alpha else None,
                "items": [{"column": i.name, "scale": [i.scale.low, i.scale.high], "reverse": i.reverse,
                           "reverse_reason": str(i.reverse_reason) if i.reverse_reason else None} for i in self.employee.items],
            }
        out["nordic"] = self.nordic.as_dict()
        out["departments"] = [d.as_dict() for d in self.departments]
        out["linkage"] = self.linkage.as_dict() if self.linkage else None
        out["unmatched_departments"] = {"customer_only": list(self.link.only_customer),
                                        "employee_only": list(self.link.only_employee)}
        out["settings"] = {"min_group": self.settings.min_group, "min_customers": self.settings.min_customers,
                           "mapping": dict(self.settings.mapping), "customer_measure": self.settings.customer_measure,
                           "employee_measure": self.settings.employee_measure,
                           "organisation": [list(e) for e in self.settings.hierarchy.edges]
                           if self.settings.hierarchy is not None else None,
                           "unit": self.settings.unit, "level": self.settings.level}
        out["warnings"] = [str(w) for w in self.warnings]
        return out


def _file_dict(survey: Survey, filtered: FilterResult | None, k: int) -> dict[str, object]:
    surfaces.left_out(survey)  # the rows left out, as lib.privacy.surfaces releases them: reasons, counts, row numbers
    return {
        "file": survey.name,
        "sheet": survey.sheet,
        "kind": survey.kind,
        "rows": survey.total_rows,
        "kept": survey.kept,
        "columns": [{"column": c.name, "role": c.role, "reason": str(c.reason)} for c in survey.detection.columns],
        "skipped": {s.reason: {"count": s.count, "why": str(s.message), "rows": list(s.rows[:1000])} for s in survey.skipped},
        "value_issues": [{"column": i.column, "count": i.count, "why": str(i.message), "rows": list(i.rows[:1000])}
                         for i in survey.issues],
        "filtered_out": {why: {"count": n, "why": str(FILTER_REASONS[why]), **({"fewer_than": k} if n is None else {})}
                         for why, n in surfaces.filtered_out(survey, filtered.excluded if filtered else {}, k).items()},
        "notes": [str(n) for n in survey.notes],
    }


def employee_view_of(employee: Survey, filters: Filters, link: DepartmentLink, settings: Settings
                   ) -> tuple[FilterResult, privacy.EmployeeView]:
    """The filters' rows, narrowed by :func:`lib.privacy.groups.employee_view` to whole protection groups."""
    chosen = apply(employee, filters, link, "employee")
    view = privacy.employee_view(employee, chosen.mask, department_index(employee, link, "employee"), len(link.names),
                                 settings.min_group, settings.floor)
    excluded = dict(chosen.excluded)
    if view.left_out:
        excluded["anonymity"] = view.left_out
    return FilterResult(view.mask, excluded), view


def make_link(customer: Survey | None, employee: Survey | None, settings: Settings) -> DepartmentLink:
    """The two files' departments matched (kept with the customer or employee survey for the same other survey's
    departments and mapping: every period and view of an analysis asks for the same link). With a unit or level
    view (``settings.unit``, ``settings.level``), the units are shown as that view shows them
    (:func:`lib.survey.hierarchy.focus_mapping`), and the link's ``outside`` names those outside the unit."""
    customer_names = customer.departments if customer else []
    employee_names = employee.departments if employee else []
    host = customer if customer is not None else employee

    def make() -> DepartmentLink:
        mapping = dict(settings.mapping)
        if settings.hierarchy is None or (settings.unit is None and settings.level is None):
            return link_departments(customer_names, employee_names, mapping)
        shown, outside = focus_mapping(settings.hierarchy, [*customer_names, *employee_names], mapping,
                                       settings.unit, settings.level)
        link = link_departments(customer_names, employee_names, shown)
        display = {**link.customer, **link.employee}  # each file's name as the link shows it
        return replace(link, outside=frozenset(display[n] for n in outside if n in display))

    if host is None:
        return make()
    return remembered(host, "links", (tuple(customer_names), tuple(employee_names), settings.mapping,
                                      settings.hierarchy, settings.unit, settings.level), make)


@dataclass
class _Customer:
    """The customer side of a summary: its filter and NPS counts per department."""

    result: FilterResult | None
    counts: np.ndarray
    nps: stats.NpsResult | None
    department: np.ndarray | None = None  # each row's department index


def _customer_part(customer: Survey | None, filters: Filters, link: DepartmentLink) -> _Customer:
    n_dept = len(link.names)
    if customer is None:
        return _Customer(None, np.zeros((n_dept, 3), dtype=np.int64), None)
    result = apply(customer, filters, link, "customer")
    department = department_index(customer, link, "customer")
    scores = customer.frame["recommend"].to_numpy(dtype="float64")[result.mask]
    counts = metrics.nps_counts_by_group(department[result.mask], scores, n_dept, customer.weights[result.mask])
    return _Customer(result, counts, metrics.nps_result(counts.sum(axis=0)), department)


@dataclass
class _Employee:
    """The employee side: the released rows (:mod:`lib.privacy.groups`) and the figures computed over them."""

    result: FilterResult | None = None
    view: privacy.EmployeeView | None = None
    sums: metrics.EngagementSums | None = None
    counts: np.ndarray | None = None  # (departments + 1) × 3 eNPS counts; the last row counts in totals only
    engagement: metrics.Engagement | None = None
    enps: stats.NpsResult | None = None
    alpha: stats.AlphaResult | None = None
    pulse: Pulse | None = None
    warnings: list[Msg] = field(default_factory=list)

    def has_enps(self, employee: Survey) -> bool:
        return employee.has_recommend and self.view is not None and "recommend" not in self.view.hidden


def _alpha(employee: Survey, m: np.ndarray, hidden: frozenset[str] = frozenset()) -> stats.AlphaResult:
    items = [i for i in employee.items if i.key not in hidden]  # a statement too few answered is used by nothing
    points = employee.frame[[i.key for i in items]].to_numpy(dtype="float64")[m]
    rescaled = np.column_stack([stats.rescale(points[:, j], i.scale.low, i.scale.high)
                                for j, i in enumerate(items)])
    return stats.cronbach_alpha(rescaled)


def _pulse(employee: Survey, m: np.ndarray) -> Pulse | None:
    col = employee.detection.one("pulse")
    if col is None or col.scale is None:
        return None
    values = employee.frame["pulse"].to_numpy(dtype="float64")[m]
    answered = values[~np.isnan(values)]
    return Pulse(float(answered.mean()), int(answered.size), col.scale.low, col.scale.high) if answered.size else None


def _employee_part(employee: Survey | None, filters: Filters, link: DepartmentLink, settings: Settings) -> _Employee:
    if employee is None:
        return _Employee()
    n_dept = len(link.names)
    result, view = employee_view_of(employee, filters, link, settings)
    out = _Employee(result, view, warnings=list(view.notices))
    m = view.mask
    f = employee.frame
    group = view.group[m]  # n_dept: counts in the totals only
    out.sums = metrics.engagement_sums(group, f["engagement"].to_numpy(dtype="float64")[m],
                                       f["answered"].to_numpy(dtype="float64")[m],
                                       f["favorable"].to_numpy(dtype="float64")[m], n_dept + 1)
    out.counts = metrics.nps_counts_by_group(group, f["recommend"].to_numpy(dtype="float64")[m], n_dept + 1)
    if not view.shown:  # no count of what the filters chose: a hidden selection says only that it is hidden
        # the filters chose rows but left no whole group ("cut"); "small" only when nothing or a small file was chosen
        cut = bool(view.chosen.any()) and len(employee.frame) >= settings.min_group
        out.engagement = metrics.Engagement.hidden(0, "cut" if cut else "small")
        return out
    out.engagement = out.sums.total().result(0)
    if out.has_enps(employee):
        out.enps = metrics.nps_result(out.counts.sum(axis=0))
    if employee.items and "complete" not in view.hidden:  # complete answers of groups with 0 or >= k of them only
        out.alpha = _alpha(employee, m if view.complete is None else view.complete, view.hidden)
    if "pulse" not in view.hidden:
        out.pulse = _pulse(employee, m)
    return out


def _departments(customer: Survey | None, employee: Survey | None, filters: Filters, link: DepartmentLink,
                 c: _Customer, e: _Employee, k: int, hme_columns: tuple[tuple[str, str], ...] = ()
                 ) -> list[DepartmentFigures]:
    """One row per department in the view, employee cells as :mod:`lib.privacy.groups` released them."""
    n_dept = len(link.names)
    c_present = np.zeros(n_dept, dtype=bool)
    e_present = np.zeros(n_dept, dtype=bool)
    if customer is not None:
        c_present[link.index_of("customer", customer.departments)] = True
    if employee is not None:
        e_present[link.index_of("employee", employee.departments)] = True
    whole_n = chosen_n = shown_n = np.zeros(n_dept, dtype=np.int64)
    if e.view is not None:
        whole_n, chosen_n, shown_n = e.view.department_counts(n_dept)
    wanted = None if filters.departments is None else {privacy.key(d) for d in filters.departments}
    indices = by_department(customer, employee, c.result.mask if c.result else None, c.department, e.view, k,
                            dict(hme_columns))
    out = []
    for g, name in enumerate(link.names):
        if (wanted is not None and privacy.key(name) not in wanted) or name in link.outside:
            continue
        c_n = int(c.counts[g].sum())
        eng = enps = None
        if shown_n[g] and e.sums is not None:
            eng = e.sums.result(g)
            if employee is not None and e.counts is not None and e.has_enps(employee):
                enps = metrics.nps_result(e.counts[g])
        elif chosen_n[g] and e.view is not None:  # a hidden department's count is its whole count, never the chosen one
            eng = metrics.Engagement.hidden(int(whole_n[g]), e.view.hidden_reason(
                g, int(whole_n[g]), bool(chosen_n[g] == whole_n[g]), k))
        e_n = eng.n if eng else 0
        partial = int(whole_n[g]) if shown_n[g] and shown_n[g] < chosen_n[g] else None  # its whole count, as if hidden
        if c_n or e_n:
            out.append(DepartmentFigures(name, c_n, metrics.nps_result(c.counts[g]) if customer is not None and c_n
                                         else None, e_n, eng, enps, bool(c_present[g]), bool(e_present[g]),
                                         *indices(g, bool(shown_n[g])), employee_whole=partial))
    return out


def _link(customer: Survey | None, employee: Survey | None, link: DepartmentLink, departments: list[DepartmentFigures],
          settings: Settings, view: privacy.EmployeeView | None = None) -> tuple[Linkage | None, list[Msg]]:
    """The department-level correlation, or why there is none."""
    if customer is None or employee is None:
        return None, []
    missing = [label for survey, label in ((customer, msg("the customer survey")), (employee, msg("the employee survey")))
               if not survey.has_units]
    if missing:
        return None, [msg("The surveys cannot be linked: {which} has no unit column (department, clinic, office…). "
                          "Choose its unit column on the Data page, or with --customer-column/--employee-column "
                          "COLUMN=department.", which=missing[0])]
    rows = [{"department": d.department, "customer_n": d.customer_n, "customer": d.value(settings.customer_measure),
             "employee_n": d.employee_n, "employee": d.value(settings.employee_measure),
             "in_customer": d.in_customer, "hidden": d.suppressed_reason} for d in departments]
    linkage = correlate(rows, settings.min_group, settings.min_customers, settings.customer_measure,
                        settings.employee_measure)
    if settings.employee_measure == "engagement" and view is not None and linkage.departments:
        used = [list(link.names).index(d) for d in linkage.departments]
        rows_used = view.mask & np.isin(view.group, used)
        scores = employee.frame["engagement"].to_numpy(dtype="float64")[rows_used]
        linkage = replace(linkage, reliability=stats.group_reliability(scores, view.group[rows_used]))
    linkage = with_reliability(linkage, departments)
    warnings = list(linkage.warnings)
    if link.only_customer or link.only_employee:
        warnings.append(msg("Some departments appear in only one survey; map them to each other on the Data page "
                            "(or with --map) to include them."))
    return linkage, warnings


def unreversed(employee: Survey | None) -> list[Msg]:
    """A statement that reads as negatively worded but is scored as worded: said with the way to reverse it."""
    if employee is None:
        return []
    return [msg("“{column}” is scored as worded, though it {suggestion} (on the Data page, or with --reverse "
                "“{column}”).", column=c.name, suggestion=c.suggestion)
            for c in employee.detection.columns if c.role == "item" and c.suggestion is not None]


def level_conflict(employee: Survey | None, settings: Settings) -> list[Msg]:
    """The employee file's higher-unit columns, when they put a unit under two parents (a team that moved between
    waves, say): why they give no organisation, and what to do."""
    if employee is None or not employee.levels or settings.hierarchy is not None:
        return []
    try:
        from_paths(employee.levels, employee.unit_paths, dict(settings.mapping))
    except OptionError as exc:
        return [msg("{why} The higher-unit columns ({columns}) are not used as an organisation; make them segments, "
                    "or give an organisation file.", why=exc.message, columns=", ".join(employee.levels))]
    return []


def not_in_organisation(customer: Survey | None, employee: Survey | None, settings: Settings) -> list[Msg]:
    """A unit of the files that the organisation does not have, said with how to join it (a unit view leaves it
    out, a level view shows it as it is)."""
    h = settings.hierarchy
    if h is None:
        return []
    alias = {privacy.key(a): b for a, b in settings.mapping if str(b).strip()}
    names = dict.fromkeys(n for s in (customer, employee) if s is not None for n in s.unit_names)
    unknown = [n for n in names if not h.knows(alias.get(privacy.key(n), n))]
    if not unknown:
        return []
    return [msg("The organisation does not have these units of the files: {names}. Add them to the organisation file, "
                "or map them to its units on the Data page (or with --map).", names=", ".join(unknown[:10])
                + (" …" if len(unknown) > 10 else ""))]


def summarize(customer: Survey | None, employee: Survey | None, filters: Filters | None = None,
              settings: Settings | None = None, detailed: bool = True) -> Summary:
    """Every figure for the filtered responses of one or both surveys; with ``detailed`` False only the totals (NPS,
    engagement, eNPS, alpha, pulse), for a table of many periods: no departments, linkage or Nordic indices."""
    filters = filters or Filters()
    settings = settings or Settings()
    if employee is not None:  # what figures may use: statements too few answered are blanked (lib.privacy.groups),
        # in groups nested in the organisation (lib.survey.hierarchy; lib.load has done it for the app and the CLI)
        employee = with_hierarchy(employee, settings.hierarchy, dict(settings.mapping))  # type: ignore[assignment]
        employee = privacy.released_survey(employee, settings.min_group)  # type: ignore[assignment]
    link = make_link(customer, employee, settings)
    c = _customer_part(customer, filters, link)
    e = _employee_part(employee, filters, link, settings)
    if not detailed:
        summary = Summary(settings, filters, link, customer, employee, c.result, e.result, c.nps, e.engagement, e.enps,
                          e.alpha, [], None, list(e.warnings), e.view, e.pulse, Nordic(), detailed=False)
        release_summary(summary)
        return summary
    departments = _departments(customer, employee, filters, link, c, e, settings.min_group, settings.hme)
    linkage, link_warnings = _link(customer, employee, link, departments, settings, e.view)
    nordic = Nordic()
    if employee is not None and e.view is not None and e.view.shown:
        nordic = employee_indices(employee, e.view.mask, settings.min_group, filters,
                                  lambda narrowed: employee_view_of(employee, narrowed, link, settings)[1], settings)
    if customer is not None and c.result is not None:
        nordic = replace(nordic, nki=customer_index(customer, c.result.mask))
    notes = [*e.warnings, *link_warnings, *unreversed(employee), *not_in_organisation(customer, employee, settings),
             *level_conflict(employee, settings)]
    summary = Summary(settings, filters, link, customer, employee, c.result, e.result, c.nps, e.engagement, e.enps,
                      e.alpha, departments, linkage, notes, e.view, e.pulse, nordic)
    release_summary(summary)
    return summary
