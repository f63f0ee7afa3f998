"""The Nordic indices of a filtered survey: HME and NMI for employees (through :mod:`lib.privacy.groups`), NKI for
customers. The formulas are :mod:`lib.figures.hme`'s and :mod:`lib.figures.nki`'s; this module finds the columns and the rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from lib.figures import hme, nki
from lib.errors import OptionError
from lib.i18n import Msg, msg
from lib.privacy import surfaces

if TYPE_CHECKING:
    from collections.abc import Callable

    from lib.figures.filters import Filters
    from lib.privacy.groups import EmployeeView
    from lib.figures.summary import Settings
    from lib.survey.frame import Survey

#: Headers of a gender column, for HME by gender (Kolada reports HME for women, men and in total).
GENDER = re.compile(r"^\s*(kön|gender|sex|sukupuoli|kjønn|køn)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Columns:
    """Which columns an index uses, {code: column}, and why (the reason is shown with the figure)."""

    codes: dict[str, str]
    reason: Msg
    missing: tuple[str, ...] = ()


def hme_columns(survey: Survey, chosen: dict[str, str] | None = None) -> Columns | None:
    """The nine HME statements among the survey's 1–5 statements: recognised by wording, or as chosen
    ({code: column}, which wins; an empty column means none). None when none is found."""
    five = {i.name: i for i in survey.items if (i.scale.low, i.scale.high) == (hme.LOW, hme.HIGH)}
    found = hme.recognise(list(five))
    reason = msg("recognised by their wording (SKR's nine statements)")
    for code, column in (chosen or {}).items():
        if code in hme.CODES and not column:  # "none of the columns": a recognised one is not used either
            found.pop(code, None)
            reason = msg("chosen by you")
            continue
        if code not in hme.CODES:
            raise OptionError(msg("“{code}” is not an HME statement; use one of: {codes}.", code=code,
                                  codes=", ".join(hme.CODES)))
        if column not in five:
            raise OptionError(msg("“{column}” is not a statement answered on 1–5 in “{name}”, so it cannot be HME's "
                                  "{code}; check the column's name and scale.", column=column, name=survey.name, code=code))
        found[code] = column
        reason = msg("chosen by you")
    if not found:
        return None
    return Columns(found, reason, tuple(c for c in hme.CODES if c not in found))


def nki_columns(survey: Survey) -> Columns | None:
    """SCB's three questions among the survey's 1–10 statements, by the stems of their wording; None unless all
    three are there."""
    ten = [i.name for i in survey.items if (i.scale.low, i.scale.high) == (nki.LOW, nki.HIGH)]
    found = nki.recognise(ten)
    return Columns(found, msg("recognised by their wording (SCB's three questions)")) if found else None


def _points(survey: Survey, columns: Columns, codes: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
    keys = {i.name: i.key for i in survey.items}
    frame = survey.frame
    out = np.full((int(rows.sum()), len(codes)), np.nan)
    for j, code in enumerate(codes):
        if code in columns.codes:
            out[:, j] = frame[keys[columns.codes[code]]].to_numpy(dtype="float64")[rows]
    return out


def gender_column(survey: Survey) -> str | None:
    return next((name for name in survey.segments if GENDER.match(name)), None)


@dataclass(frozen=True)
class Nordic:
    """HME (with a breakdown by gender), NMI and NKI of one view; None where the file lacks the questions."""

    hme: hme.HmeResult | None = None
    hme_columns: Columns | None = None
    hme_by_gender: dict[str, hme.HmeResult] = field(default_factory=dict)
    gender_column: str | None = None
    nmi: nki.NkiResult | None = None
    nki: nki.NkiResult | None = None

    def as_dict(self) -> dict[str, object]:
        return {"hme": None if self.hme is None else {
                    **self.hme.as_dict(), "columns": self.hme_columns.codes if self.hme_columns else {},
                    "by_gender": {g: r.as_dict() for g, r in self.hme_by_gender.items()}},
                "nmi": self.nmi.as_dict() if self.nmi else None, "nki": self.nki.as_dict() if self.nki else None}


def employee_indices(employee: Survey, mask: np.ndarray, k: int, filters: Filters,
                     view_of: Callable[[Filters], EmployeeView], settings: Settings) -> Nordic:
    """HME and NMI over the employee rows ``mask`` (the view's rows, released by :mod:`lib.privacy.groups`), and HME for
    each gender, each over the rows ``view_of`` (the summary's release through :mod:`lib.privacy.groups`) gives for
    the view narrowed to that gender."""
    out = Nordic()
    columns = hme_columns(employee, dict(settings.hme))
    if columns is not None:
        out = replace(out, hme=hme.hme_index(_points(employee, columns, hme.CODES, mask), k), hme_columns=columns)
        gender = gender_column(employee)
        if gender is not None and out.hme.total is not None:
            # only the values the filters may offer (held by at least k people): a rarer one would name them
            values = sorted(surfaces.filter_values(employee, k).get(gender, []))
            by: dict[str, hme.HmeResult] = {}
            for value in values:
                narrowed = replace(filters, segments=(*filters.segments, (gender, frozenset({value}))))
                rows = view_of(narrowed).mask
                by[value] = hme.hme_index(_points(employee, columns, hme.CODES, rows), k)
                keys = {i.name: i.key for i in employee.items}  # released through lib.privacy with its rows
                surfaces.figure(employee, by[value].as_dict(), "hme", f"{gender}: {value}", rows, k,
                                {c: keys[c] for c in columns.codes.values() if c in keys})
            out = replace(out, hme_by_gender=by, gender_column=gender)
    q = nki_columns(employee)
    if q is not None:
        out = replace(out, nmi=nki.nki_index(_points(employee, q, nki.CODES, mask), k))
    return out


def customer_index(customer: Survey, mask: np.ndarray) -> nki.NkiResult | None:
    """NKI over the filtered customer rows (customer answers carry no anonymity threshold: k = 1)."""
    q = nki_columns(customer)
    return None if q is None else nki.nki_index(_points(customer, q, nki.CODES, mask), 1)


def by_department(customer: Survey | None, employee: Survey | None, customer_rows: np.ndarray | None,
                  customer_department: np.ndarray | None, view: EmployeeView | None, k: int,
                  hme_chosen: dict[str, str]) -> Callable[[int, bool], tuple[float | None, float | None, float | None]]:
    """A function giving a department's (NKI, NMI, HME) by its index: NKI over its filtered customer rows; NMI and
    HME only when its employee figures are shown, over the rows :mod:`lib.privacy.groups` released for it (its whole
    groups), with the same threshold as every other employee figure."""
    c_cols = nki_columns(customer) if customer is not None else None
    n_cols = nki_columns(employee) if employee is not None else None
    h_cols = hme_columns(employee, hme_chosen) if employee is not None else None

    def of(g: int, shown: bool) -> tuple[float | None, float | None, float | None]:
        nki_value = nmi_value = hme_value = None
        if c_cols is not None and customer_rows is not None and customer_department is not None:
            rows = customer_rows & (customer_department == g)
            nki_value = nki.nki_index(_points(customer, c_cols, nki.CODES, rows), 1).index if rows.any() else None
        if shown and view is not None and employee is not None:
            rows = view.mask & (view.group == g)
            if n_cols is not None:
                nmi_value = nki.nki_index(_points(employee, n_cols, nki.CODES, rows), k).index
            if h_cols is not None:
                hme_value = hme.hme_index(_points(employee, h_cols, hme.CODES, rows), k).total
        return nki_value, nmi_value, hme_value

    return of
