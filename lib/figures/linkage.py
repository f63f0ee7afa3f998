"""Linking the two surveys by department, and correlating engagement with NPS.

Department names match after :func:`lib.privacy.groups.key` (case, surrounding and
repeated spaces, dash variants); an explicit mapping joins renamed units. The
correlation is over departments, so it describes departments, never people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.privacy import groups as privacy
from lib.figures import stats
from lib.i18n import Msg, msg

MIN_DEPARTMENTS_WARNING = 8


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
    """The department-level correlation of engagement (x) with customer NPS (y)."""

    result: stats.Correlation
    departments: tuple[str, ...]
    engagement: tuple[float, ...]
    nps: tuple[float, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[Msg, ...] = field(default_factory=tuple)
    customer_n: tuple[int, ...] = ()  # customer answers of each department used
    reliability: stats.GroupReliability | None = None  # ICC(1)/ICC(2) of the employee measure's department means

    @property
    def weighted_r(self) -> float | None:
        """Pearson's r with each department weighted by its customer answers (a sensitivity check: it answers
        "across customers" where r answers "across departments")."""
        if self.result.pearson_r is None or len(self.customer_n) != len(self.nps):
            return None
        return stats.weighted_pearson(np.array(self.engagement), np.array(self.nps), np.array(self.customer_n))

    def as_dict(self) -> dict[str, object]:
        r = self.result
        return {
            "weighted_r": self.weighted_r,
            "icc1": self.reliability.icc1 if self.reliability else None,
            "icc2": self.reliability.icc2 if self.reliability else None,
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


def correlate(rows: list[dict], min_group: int, min_customers: int) -> Linkage:
    """Correlate department engagement with department NPS.

    ``rows`` are department figures with keys department, customer_n, nps,
    employee_n, engagement. A department counts when it is in both surveys, has
    at least ``min_group`` employee responses and ``min_customers`` customer
    answers; every other one is listed with its reason.
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
        elif row["engagement"] is None:
            excluded.append(Exclusion(name, msg("no answers to the engagement statements")))
        elif c_n < min_customers:
            excluded.append(Exclusion(name, msg("fewer than {m} customer answers", m=min_customers)))
        else:
            used.append(name)
            xs.append(float(row["engagement"]))
            ys.append(float(row["nps"]))
            weights.append(int(c_n))
    result = stats.correlation(np.array(xs), np.array(ys))
    warnings: list[Msg] = []
    if len(used) < 3:
        warnings.append(msg("Only {n} departments can be compared; a correlation needs at least 3.", n=len(used)))
    elif len(used) < MIN_DEPARTMENTS_WARNING:
        warnings.append(msg("Only {n} departments can be compared: a correlation over so few is very uncertain, "
                            "and a department-level link says nothing about individual people.", n=len(used)))
    return Linkage(result, tuple(used), tuple(xs), tuple(ys), tuple(excluded), tuple(warnings), tuple(weights))
