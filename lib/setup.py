"""A saved analysis setup: one JSON file with everything a person decided about a pair of exports, so next
quarter's exports give comparable figures with one upload.

It holds, per survey, the column roles (reverse-worded statements included), the statements' scales and the
sheet; the department mapping; the thresholds; the filters; the HME columns; the linkage's measures; the period
and the lag. Columns are named as the export names them. Applied to a file that lacks a named column, it says
which columns are missing, all at once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from lib.errors import OptionError
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
        if not isinstance(segments, dict):
            raise ValueError("segments")
        return Setup(files["customer"], files["employee"], _strings(data.get("mapping", {}), "mapping"),
                     _int(data.get("min_group")), _int(data.get("min_customers")), _int(data.get("min_comments")),
                     [str(d) for d in data.get("departments") or []], data.get("since"), data.get("until"),
                     {str(c): [str(v) for v in vals] for c, vals in segments.items()},
                     _strings(data.get("hme", {}), "hme"), str(data.get("customer_measure") or "nps"),
                     str(data.get("employee_measure") or "engagement"), data.get("period"), _int(data.get("lag")))
    except (ValueError, TypeError, AttributeError):
        raise OptionError(msg("This is not a setup file saved by the survey explorer; save the setup again from the "
                              "Data page, or choose the right file.")) from None


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a threshold is not a whole number")
    return value
