"""The whole picture for one filter: customer NPS, engagement, departments, linkage.

:func:`summarize` is what the command line prints and what the app's overview
shows; both read the same numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import metrics, stats
from .filters import FILTER_REASONS, FilterResult, Filters, apply, department_index
from .errors import OptionError
from .i18n import Msg, msg
from .linkage import DepartmentLink, Linkage, correlate, link_departments
from .survey import Survey


@dataclass(frozen=True)
class Settings:
    """Thresholds and the department mapping."""

    min_group: int = metrics.DEFAULT_MIN_GROUP
    min_customers: int = metrics.DEFAULT_MIN_CUSTOMERS
    mapping: tuple[tuple[str, str], ...] = ()
    min_comments: int = metrics.DEFAULT_MIN_COMMENTS

    def __post_init__(self) -> None:
        metrics.check_min_group(self.min_group)
        if self.min_comments < self.min_group:
            raise OptionError(msg("The comment threshold ({c}) cannot be below the anonymity threshold ({k}).",
                                  c=self.min_comments, k=self.min_group))


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

    @property
    def suppressed(self) -> bool:
        return bool(self.engagement is not None and self.engagement.suppressed)

    @property
    def suppressed_reason(self) -> str | None:
        """"small" (fewer than k responses), "protects" (hidden so a small group cannot be derived), or None."""
        if not self.suppressed:
            return None
        return "protects" if self.engagement is not None and self.engagement.protects else "small"

    def as_dict(self) -> dict[str, object]:
        e = self.engagement
        return {
            "department": self.department,
            "customer_n": self.customer_n,
            "nps": self.nps.score if self.nps else None,
            "nps_ci95": list(self.nps.ci95) if self.nps and self.nps.ci95 else None,
            "employee_n": self.employee_n,
            "engagement": e.index if e else None,
            "favorable_pct": e.favorable_pct if e else None,
            "enps": self.enps.score if self.enps else None,
            "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
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

    def as_dict(self) -> dict[str, object]:
        """The JSON form: numbers unrounded, texts translated."""
        out: dict[str, object] = {}
        if self.customer is not None:
            out["customer"] = {**_file_dict(self.customer, self.customer_filter), "nps": self.nps.as_dict() if self.nps else None}
        if self.employee is not None:
            out["employee"] = {
                **_file_dict(self.employee, self.employee_filter),
                "engagement": self.engagement.as_dict() if self.engagement else None,
                "enps": self.enps.as_dict() if self.enps else None,
                "cronbach_alpha": self.alpha.alpha if self.alpha else None,
                "alpha": {"alpha": self.alpha.alpha, "n": self.alpha.n, "items": self.alpha.items,
                          "ci95": list(self.alpha.ci95) if self.alpha.ci95 else None} if self.alpha else None,
                "items": [{"column": i.name, "scale": [i.scale.low, i.scale.high], "reverse": i.reverse,
                           "reverse_reason": str(i.reverse_reason) if i.reverse_reason else None} for i in self.employee.items],
            }
        out["departments"] = [d.as_dict() for d in self.departments]
        out["linkage"] = self.linkage.as_dict() if self.linkage else None
        out["unmatched_departments"] = {"customer_only": list(self.link.only_customer),
                                        "employee_only": list(self.link.only_employee)}
        out["settings"] = {"min_group": self.settings.min_group, "min_customers": self.settings.min_customers,
                           "mapping": dict(self.settings.mapping)}
        out["warnings"] = [str(w) for w in self.warnings]
        return out


def _file_dict(survey: Survey, filtered: FilterResult | None) -> dict[str, object]:
    return {
        "file": survey.name,
        "sheet": survey.sheet,
        "kind": survey.kind,
        "rows": survey.total_rows,
        "kept": len(survey.frame),
        "columns": [{"column": c.name, "role": c.role, "reason": str(c.reason)} for c in survey.detection.columns],
        "skipped": {s.reason: {"count": s.count, "why": str(s.message), "rows": list(s.rows[:1000])} for s in survey.skipped},
        "value_issues": [{"column": i.column, "count": i.count, "why": str(i.message), "rows": list(i.rows[:1000])}
                         for i in survey.issues],
        "filtered_out": {k: {"count": v, "why": str(msg(FILTER_REASONS[k]))} for k, v in (filtered.excluded if filtered else {}).items()},
        "notes": [str(n) for n in survey.notes],
    }


def _employee_view(employee: Survey, filters: Filters, link: DepartmentLink, k: int
                   ) -> tuple[FilterResult, bool, list[Msg], np.ndarray]:
    """The employee rows of a filtered view, made safe against differencing.

    1. A chosen department or segment value with fewer than ``k`` responses in
       the whole file is left out of the view's employee figures: otherwise
       "A and B" minus "B" would reveal A.
    2. A filtered view that leaves out between 1 and k−1 employees of the whole
       file shows no employee figure: otherwise "everyone" minus the view would
       reveal those few.
    Returns the filter result, whether the whole view is hidden, notices, and
    per department the responses left out by rule 1 (still reported as counts).
    """
    result = apply(employee, filters, link, "employee")
    dropped = np.zeros(len(link.names), dtype=np.int64)
    mask = result.mask.copy()
    excluded = dict(result.excluded)
    notices: list[Msg] = []
    small_names: list[str] = []
    frame = employee.frame
    if filters.departments is not None:
        index = department_index(employee, link, "employee")
        counts = np.bincount(index, minlength=len(link.names))
        small = (counts > 0) & (counts < k)
        drop = mask & small[index]
        if drop.any():
            small_names += [link.names[g] for g in np.unique(index[drop])]
            dropped += np.bincount(index[drop], minlength=len(link.names))
            excluded["anonymity"] = excluded.get("anonymity", 0) + int(drop.sum())
            mask &= ~drop
    for name, _values in filters.segments:
        key = next((key for col, key in employee.segments.items() if col.casefold() == name.casefold()), None)
        if key is None:
            continue
        codes = frame[key].cat.codes.to_numpy()
        counts = np.bincount(codes[codes >= 0], minlength=len(frame[key].cat.categories))
        small = np.append((counts > 0) & (counts < k), False)
        drop = mask & small[codes]
        if drop.any():
            small_names += [f"{name}: {frame[key].cat.categories[c]}" for c in np.unique(codes[drop])]
            excluded["anonymity"] = excluded.get("anonymity", 0) + int(drop.sum())
            mask &= ~drop
    if small_names:
        notices.append(msg("Left out of the employee figures of this selection, to protect anonymity: {names} "
                           "(fewer than {k} responses).", names=", ".join(small_names), k=k))
    left_out = len(frame) - int(mask.sum())
    view_hidden = filters.active and 0 < left_out < k and int(mask.sum()) > 0
    if view_hidden:
        notices.append(msg("This selection leaves out fewer than {k} employees, so comparing it with the whole "
                           "organisation would reveal their answers; no employee figure is shown. Widen or narrow "
                           "the filters.", k=k))
    return FilterResult(mask, excluded), view_hidden, notices, dropped


def make_link(customer: Survey | None, employee: Survey | None, settings: Settings) -> DepartmentLink:
    return link_departments(customer.departments if customer else [], employee.departments if employee else [],
                            dict(settings.mapping))


def summarize(customer: Survey | None, employee: Survey | None, filters: Filters | None = None,
              settings: Settings | None = None) -> Summary:
    """Every figure for the filtered responses of one or both surveys."""
    filters = filters or Filters()
    settings = settings or Settings()
    k = settings.min_group
    link = make_link(customer, employee, settings)
    n_dept = len(link.names)
    warnings: list[Msg] = []

    nps_total = None
    c_counts = np.zeros((n_dept, 3), dtype=np.int64)
    c_filter = None
    if customer is not None:
        c_filter = apply(customer, filters, link, "customer")
        group = department_index(customer, link, "customer")[c_filter.mask]
        scores = customer.frame["recommend"].to_numpy(dtype="float64")[c_filter.mask]
        c_counts = metrics.nps_counts_by_group(group, scores, n_dept)
        nps_total = metrics.nps_result(c_counts.sum(axis=0))

    e_sums = None
    e_counts = np.zeros((n_dept, 3), dtype=np.int64)
    engagement_total = enps_total = alpha = None
    e_filter = None
    hidden = protecting = np.zeros(n_dept, dtype=bool)
    dropped = np.zeros(n_dept, dtype=np.int64)
    if employee is not None:
        e_filter, view_hidden, notices, dropped = _employee_view(employee, filters, link, k)
        warnings.extend(notices)
        m = e_filter.mask
        f = employee.frame
        group = department_index(employee, link, "employee")[m]
        e_sums = metrics.engagement_sums(group, f["engagement"].to_numpy(dtype="float64")[m],
                                         f["answered"].to_numpy(dtype="float64")[m],
                                         f["favorable"].to_numpy(dtype="float64")[m], n_dept)
        engagement_total = e_sums.total().result(0, k, protect=view_hidden)
        hidden, protecting = metrics.suppression(e_sums.rows, k)
        if view_hidden:
            hidden = e_sums.rows > 0
        has_enps = employee.has_recommend
        if has_enps:
            e_counts = metrics.nps_counts_by_group(group, f["recommend"].to_numpy(dtype="float64")[m], n_dept)
        if engagement_total.suppressed:
            if not view_hidden:
                warnings.append(msg("Fewer than {k} employee responses match the filters, so no employee figure is shown.",
                                    k=k))
        else:
            if has_enps:
                enps_total = metrics.nps_result(e_counts.sum(axis=0))
            if employee.items:
                points = f[[i.key for i in employee.items]].to_numpy(dtype="float64")[m]
                rescaled = np.column_stack([stats.rescale(points[:, j], i.scale.low, i.scale.high)
                                            for j, i in enumerate(employee.items)]) if len(employee.items) else points
                alpha = stats.cronbach_alpha(rescaled)

    departments: list[DepartmentFigures] = []
    c_present = np.zeros(n_dept, dtype=bool)
    e_present = np.zeros(n_dept, dtype=bool)
    if customer is not None:
        c_present[link.index_of("customer", customer.departments)] = True
    if employee is not None:
        e_present[link.index_of("employee", employee.departments)] = True
    for g, name in enumerate(link.names):
        if filters.departments is not None and name not in filters.departments and \
                name.casefold() not in {d.casefold() for d in filters.departments}:
            continue
        c_n = int(c_counts[g].sum())
        eng = e_sums.result(g, k, protect=bool(hidden[g] or protecting[g])) if e_sums is not None else None
        if eng is not None and dropped[g]:  # left out of this view for anonymity: its count is still reported
            eng = metrics.Engagement(None, None, int(dropped[g]), 0, True)
        e_n = eng.n if eng else 0
        if c_n == 0 and e_n == 0:
            continue
        enps = None
        if employee is not None and employee.has_recommend and eng is not None and not eng.suppressed and e_n:
            enps = metrics.nps_result(e_counts[g])
        departments.append(DepartmentFigures(
            name, c_n, metrics.nps_result(c_counts[g]) if customer is not None and c_n else None, e_n, eng, enps,
            bool(c_present[g]), bool(e_present[g])))

    linkage = None
    if customer is not None and employee is not None:
        rows = [{"department": d.department, "customer_n": d.customer_n, "nps": d.nps.score if d.nps else None,
                 "employee_n": d.employee_n, "engagement": d.engagement.index if d.engagement else None,
                 "in_customer": d.in_customer, "protects": bool(d.engagement and d.engagement.protects)}
                for d in departments]
        linkage = correlate(rows, k, settings.min_customers)
        warnings.extend(linkage.warnings)
        if link.only_customer or link.only_employee:
            warnings.append(msg("Some departments appear in only one survey; map them to each other on the Data page "
                                "(or with --map) to include them."))
    return Summary(settings, filters, link, customer, employee, c_filter, e_filter, nps_total, engagement_total,
                   enps_total, alpha, departments, linkage, warnings)
