"""Linking the two surveys by department, and correlating the chosen employee measure with the chosen customer
measure (the engagement index and NPS unless chosen otherwise, see :data:`CUSTOMER_MEASURES` and
:data:`EMPLOYEE_MEASURES`).

Department names match after :func:`lib.privacy.groups.key` (case, surrounding and
repeated spaces, dash variants); an explicit mapping joins renamed units. The
correlation is over departments, so it describes departments, never people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.privacy import groups as privacy
from lib.figures import stats
from lib.i18n import Msg, msg, msg_n

MIN_DEPARTMENTS_WARNING = 8

#: The figures the linkage can compare, by code, as a person reads them; the first of each is the default.
CUSTOMER_MEASURES: dict[str, Msg] = {"nps": msg("Customer NPS"), "nki": msg("NKI (unweighted)")}
EMPLOYEE_MEASURES: dict[str, Msg] = {"engagement": msg("Engagement index"), "nmi": msg("NMI (unweighted)"),
                                     "hme": msg("HME")}


@dataclass(frozen=True)
class DepartmentLink:
    """One list of departments for both surveys.

    ``names`` are the display names (the mapping's target, else the customer
    file's spelling, else the employee file's); ``customer`` and ``employee`` map
    each file's own spelling to its display name.
    """

    names: tuple[str, ...]
    customer: dict[str, str]
    employee: dict[str, str]
    only_customer: tuple[str, ...] = ()
    only_employee: tuple[str, ...] = ()
    outside: frozenset[str] = frozenset()  # names outside a unit's view (lib.survey.hierarchy): left out by filters

    def index_of(self, side: str, categories: list[str]) -> np.ndarray:
        """For each of a file's department categories, the index into ``names``."""
        table = self.customer if side == "customer" else self.employee
        pos = {n: i for i, n in enumerate(self.names)}
        return np.array([pos[table[c]] for c in categories], dtype=np.int64)


def link_departments(customer: list[str], employee: list[str], mapping: dict[str, str] | None = None) -> DepartmentLink:
    """Match department names across the files; ``mapping`` sends a name (either file) to another."""
    alias = {privacy.key(a): b for a, b in (mapping or {}).items() if str(b).strip()}

    def canonical(name: str) -> tuple[str, str | None]:
        target = alias.get(privacy.key(name))
        return (privacy.key(target), target) if target is not None else (privacy.key(name), None)

    display: dict[str, str] = {}
    for side in (customer, employee):
        for name in side:
            k, target = canonical(name)
            if target is not None:
                display.setdefault(k, target)
    for side in (customer, employee):
        for name in side:
            k, _ = canonical(name)
            display.setdefault(k, name)
    c_map = {n: display[canonical(n)[0]] for n in customer}
    e_map = {n: display[canonical(n)[0]] for n in employee}
    names = tuple(sorted(set(display.values()), key=privacy.key))
    c_set, e_set = set(c_map.values()), set(e_map.values())
    only_c = tuple(sorted({n for n in customer if c_map[n] not in e_set}, key=privacy.key)) if employee else ()
    only_e = tuple(sorted({n for n in employee if e_map[n] not in c_set}, key=privacy.key)) if customer else ()
    return DepartmentLink(names, c_map, e_map, only_c, only_e)


@dataclass(frozen=True)
class Exclusion:
    department: str
    reason: Msg


@dataclass(frozen=True)
class Linkage:
    """The department-level correlation of the employee measure (x) with the customer measure (y).

    ``employee_measure`` and ``customer_measure`` are codes of :data:`EMPLOYEE_MEASURES` and
    :data:`CUSTOMER_MEASURES`; ``employee_values`` and ``customer_values`` are each used department's figures.
    """

    result: stats.Correlation
    departments: tuple[str, ...]
    employee_values: tuple[float, ...]
    customer_values: tuple[float, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[Msg, ...] = field(default_factory=tuple)
    customer_n: tuple[int, ...] = ()  # customer answers of each department used
    reliability: stats.GroupReliability | None = None  # ICC(1)/ICC(2) of the employee measure's department means
    customer_measure: str = "nps"
    employee_measure: str = "engagement"
    customer_reliability: float | None = None  # the customer measure's department reliability (NPS only)
    corrected: stats.Corrected | None = None  # r corrected for the unreliability of both sides (lib.figures.attenuation)

    @property
    def customer_label(self) -> Msg:
        return CUSTOMER_MEASURES[self.customer_measure]

    @property
    def employee_label(self) -> Msg:
        return EMPLOYEE_MEASURES[self.employee_measure]

    @property
    def weighted_r(self) -> float | None:
        """Pearson's r with each department weighted by its customer answers (a sensitivity check: it answers
        "across customers" where r answers "across departments")."""
        if self.result.pearson_r is None or len(self.customer_n) != len(self.customer_values):
            return None
        return stats.weighted_pearson(np.array(self.employee_values), np.array(self.customer_values),
                                      np.array(self.customer_n))

    def as_dict(self) -> dict[str, object]:
        r = self.result
        return {
            "customer_measure": self.customer_measure,
            "employee_measure": self.employee_measure,
            "customer_label": str(self.customer_label),
            "employee_label": str(self.employee_label),
            "weighted_r": self.weighted_r,
            "icc1": self.reliability.icc1 if self.reliability else None,
            "icc2": self.reliability.icc2 if self.reliability else None,
            "customer_reliability": self.customer_reliability,
            "corrected_r": self.corrected.r if self.corrected else None,
            "corrected_ci95": list(self.corrected.ci95) if self.corrected and self.corrected.ci95 else None,
            "corrected_at_bound": self.corrected.at_bound if self.corrected else None,
            "departments": r.n,
            "pearson_r": r.pearson_r,
            "pearson_ci95": list(r.pearson_ci95) if r.pearson_ci95 else None,
            "pearson_p": r.pearson_p,
            "spearman_rho": r.spearman_rho,
            "spearman_p": r.spearman_p,
            "used": list(self.departments),
            "excluded": [{"department": e.department, "reason": str(e.reason)} for e in self.excluded],
            "warnings": [str(w) for w in self.warnings],
        }


def _missing(side: str, measure: str) -> Msg:
    """Why a department without a figure of the chosen measure is left out."""
    if (side, measure) == ("employee", "engagement"):
        return msg("no answers to the engagement statements")
    label = (CUSTOMER_MEASURES if side == "customer" else EMPLOYEE_MEASURES)[measure]
    return msg("no {measure} figure (no answers to its questions)", measure=label)


def _absent(value: float | None) -> bool:
    return value is None or not np.isfinite(float(value))


def correlate(rows: list[dict], min_group: int, min_customers: int, customer_measure: str = "nps",
              employee_measure: str = "engagement") -> Linkage:
    """Correlate each department's employee measure with its customer measure.

    ``rows`` are department figures with keys department, customer_n, customer (the customer measure's value),
    employee_n, employee (the employee measure's value), and optionally in_customer and hidden. A department
    counts when it is in both surveys, has at least ``min_group`` employee responses, ``min_customers`` customer
    answers and a value of both measures; every other one is listed with its reason.
    """
    used, xs, ys, excluded, weights = [], [], [], [], []
    for row in rows:
        name, c_n, e_n = row["department"], row["customer_n"], row["employee_n"]
        if e_n == 0:
            excluded.append(Exclusion(name, msg("not in the employee survey")))
        elif c_n == 0 and row.get("in_customer") is False:
            excluded.append(Exclusion(name, msg("not in the customer survey")))
        elif e_n < min_group or row.get("hidden"):
            reason = "small" if e_n < min_group else str(row["hidden"])
            excluded.append(Exclusion(name, msg("{why} (anonymity)", why=privacy.hidden_text(reason, min_group))))
        elif _absent(row["employee"]):
            excluded.append(Exclusion(name, _missing("employee", employee_measure)))
        elif c_n < min_customers:
            excluded.append(Exclusion(name, msg("fewer than {m} customer answers", m=min_customers)))
        elif _absent(row["customer"]):
            excluded.append(Exclusion(name, _missing("customer", customer_measure)))
        else:
            used.append(name)
            xs.append(float(row["employee"]))
            ys.append(float(row["customer"]))
            weights.append(int(c_n))
    result = stats.correlation(np.array(xs), np.array(ys))
    warnings: list[Msg] = []
    if not used:
        warnings.append(msg("No department can be compared; a correlation needs at least 3."))
    elif len(used) < 3:
        warnings.append(msg_n("Only {count} department can be compared; a correlation needs at least 3.",
                              "Only {count} departments can be compared; a correlation needs at least 3.", len(used)))
    elif len(used) < MIN_DEPARTMENTS_WARNING:
        warnings.append(msg("Only {n} departments can be compared: a correlation over so few is very uncertain, "
                            "and a department-level link says nothing about individual people.", n=len(used)))
    return Linkage(result, tuple(used), tuple(xs), tuple(ys), tuple(excluded), tuple(warnings), tuple(weights),
                   customer_measure=customer_measure, employee_measure=employee_measure)
