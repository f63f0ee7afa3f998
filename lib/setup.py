"""A saved analysis setup: one JSON file with everything a person decided about a pair of exports, so next
quarter's exports give comparable figures with one upload.

It holds, per survey, the column roles (reverse-worded statements included), the statements' scales and the sheet;
the department mapping; the thresholds; the filters; the HME columns; the linkage's measures; the period, the lag
and the comment themes' codebook. Columns are named as the export names them; the choices of a survey apply to
every file of it (one per wave). Applied to a file that lacks a named column, it says which columns are missing,
all at once. A setup whose measure, period or lag is not one the explorer knows is refused when read; a measure the
files lack is refused when the files are loaded (:mod:`lib.load`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from lib.errors import OptionError
from lib.figures.linkage import CUSTOMER_MEASURES, EMPLOYEE_MEASURES
from lib.figures.periods import PERIODS
from lib.figures.lagged import LAGS
from lib.i18n import msg

VERSION = 1


@dataclass(frozen=True)
class FileSetup:
    columns: dict[str, str] = field(default_factory=dict)  # column -> role
    scales: dict[str, str] = field(default_factory=dict)   # column -> "1-4"
    sheet: str | None = None

    def named(self) -> list[str]:
        return list(dict.fromkeys([*self.columns, *self.scales]))


@dataclass(frozen=True)
class Setup:
    customer: FileSetup = field(default_factory=FileSetup)
    employee: FileSetup = field(default_factory=FileSetup)
    mapping: dict[str, str] = field(default_factory=dict)
    min_group: int | None = None
    min_customers: int | None = None
    min_comments: int | None = None
    departments: list[str] = field(default_factory=list)
    since: str | None = None  # YYYY-MM-DD
    until: str | None = None
    segments: dict[str, list[str]] = field(default_factory=dict)
    hme: dict[str, str] = field(default_factory=dict)
    customer_measure: str = "nps"
    employee_measure: str = "engagement"
    period: str | None = None
    lag: int | None = None
    codebook: dict | None = None  # the comment themes' codebook (lib.figures.themes.Codebook.as_dict); None: the starter

    def to_json(self) -> str:
        return json.dumps({"survey_explorer_setup": VERSION, **asdict(self)}, ensure_ascii=False, indent=2)

    def check_fits(self, kind: str, name: str, columns: list[str]) -> None:
        """Refuse, naming every missing column, when the setup names columns the file ``name`` does not have."""
        part = self.customer if kind == "customer" else self.employee
        have = set(columns)
        missing = [c for c in part.named() if c not in have]
        if kind == "employee":
            missing += [c for c in self.hme.values() if c and c not in have and c not in missing]
        if missing:
            raise OptionError(msg("The setup does not fit “{name}”: it names columns the file does not have: {missing}. "
                                  "Use the setup made for this survey, or export the file with those columns.",
                                  name=name, missing=", ".join(f"“{c}”" for c in missing)))


def _strings(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError(what)
    return dict(value)


def from_json(text: str | bytes) -> Setup:
    """A setup from its JSON; one sentence saying what is wrong when it is not one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("survey_explorer_setup") != VERSION:
            raise ValueError("marker")
        files = {}
        for kind in ("customer", "employee"):
            part = data.get(kind) or {}
            files[kind] = FileSetup(_strings(part.get("columns", {}), "columns"), _strings(part.get("scales", {}), "scales"),
                                    part.get("sheet") if isinstance(part.get("sheet"), str) else None)
        for key in ("since", "until"):
            if data.get(key) is not None:
                dt.date.fromisoformat(str(data[key]))
        segments = data.get("segments") or {}
        if not isinstance(segments, dict) or not all(isinstance(v, list) for v in segments.values()):
            raise ValueError("segments")
        if not isinstance(data.get("departments") or [], list):
            raise ValueError("departments")
        setup = Setup(files["customer"], files["employee"], _strings(data.get("mapping", {}), "mapping"),
                     _int(data.get("min_group")), _int(data.get("min_customers")), _int(data.get("min_comments")),
                     [str(d) for d in data.get("departments") or []], data.get("since"), data.get("until"),
                     {str(c): [str(v) for v in vals] for c, vals in segments.items()},
                     _strings(data.get("hme", {}), "hme"), str(data.get("customer_measure") or "nps"),
                     str(data.get("employee_measure") or "engagement"),
                      str(data["period"]) if data.get("period") is not None else None, _int(data.get("lag")))
        if data.get("codebook") is not None:
            from lib.figures.themes import Codebook

            setup = replace(setup, codebook=Codebook.from_dict(data["codebook"]).as_dict())
    except (ValueError, TypeError, AttributeError, RecursionError):
        raise OptionError(msg("This is not a setup file saved by the survey explorer; save the setup again from the "
                              "Data page, or choose the right file.")) from None
    _check_choices(setup)
    return setup


def _check_choices(setup: Setup) -> None:
    """One sentence for a measure, period or lag the explorer does not know."""
    for value, known in ((setup.customer_measure, CUSTOMER_MEASURES), (setup.employee_measure, EMPLOYEE_MEASURES),
                         (setup.period, PERIODS), (setup.lag, LAGS)):
        if value is not None and value not in known:
            raise OptionError(msg("The setup names “{value}”, which the explorer does not know; use one of: {known}, "
                                  "or save the setup again from the Data page.", value=value,
                                  known=", ".join(str(k) for k in known)))


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a threshold is not a whole number")
    return value
