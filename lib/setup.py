"""A saved analysis setup: one JSON file with everything a person decided about a pair of exports, so next
quarter's exports give comparable figures with one upload.

It holds, per survey, the column roles (reverse-worded statements included), the statements' scales and the sheet;
the department mapping; the thresholds; the filters; the HME columns; the linkage's measures; the period, the lag,
the comment themes' codebook, the organisation (units, parents, managers' e-mail addresses) and the unit or level
viewed. Columns are named as the export names them; the choices of a survey apply to
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
from lib.i18n import Msg, msg
from lib.survey.hierarchy import Hierarchy, build, check_focus

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
    organisation: list[list[str]] = field(default_factory=list)  # [unit, parent, manager e-mail] rows (lib.survey.hierarchy)
    unit: str | None = None  # the view: this unit and its children …
    level: int | None = None  # … or every unit at this level (1: the top)

    @property
    def hierarchy(self) -> Hierarchy | None:
        """The organisation as a :class:`lib.survey.hierarchy.Hierarchy` (None when the setup has none)."""
        return organisation_of(self.organisation)

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


class _Wrong(Exception):
    """A field of a setup that is not what it should be: its name, what it should be, and the value found."""

    def __init__(self, name: str, expected: Msg, value: Any) -> None:
        super().__init__(name)
        self.name, self.expected, self.value = name, expected, value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:39] + "…"


def _strings(value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise _Wrong(name, msg("a table of names, each to a text, such as {example}", example='{"Homecare": "Home Care"}'),
                     value)
    return dict(value)


def _scales(value: Any, name: str) -> dict[str, str]:
    """A survey's scales, each written LOW-HIGH ("1-5")."""
    from lib.values.scales import parse_scale

    expected = msg("a table of columns, each to a scale written LOW-HIGH, such as {example}",
                   example='{"Q1": "1-5"}')
    if not isinstance(value, dict) and value is not None:
        raise _Wrong(name, expected, value)
    for column, text in (value or {}).items():
        try:
            parse_scale(text) if isinstance(text, str) else None
        except ValueError:
            text = None
        if not isinstance(text, str):
            raise _Wrong(f"{name} › {column}", msg("a scale written LOW-HIGH, such as “1-5” or “0-10”"),
                         value[column])
    return _strings(value, name)


def _file_setup(data: dict, kind: str) -> FileSetup:
    part = data.get(kind) or {}
    if not isinstance(part, dict):
        raise _Wrong(kind, msg("a table with “columns”, “scales” and “sheet”"), part)
    from lib.detect.roles import ROLES

    sheet = part.get("sheet")
    columns = _strings(part.get("columns"), f"{kind} › columns")
    for column, role in columns.items():
        if role not in ROLES:
            raise _Wrong(f"{kind} › columns › {column}", msg("a column role, one of: {roles}", roles=", ".join(ROLES)),
                         role)
    return FileSetup(columns, _scales(part.get("scales"), f"{kind} › scales"), sheet if isinstance(sheet, str) else None)


def _date(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()  # "20260201" is read too, and kept as 2026-02-01
    except ValueError:
        raise _Wrong(name, msg("a date written YYYY-MM-DD, such as 2025-03-31"), value) from None


def _marker(data: Any) -> None:
    """The setup's marker and format; one sentence for a file that is no setup or a newer format."""
    if not isinstance(data, dict) or "survey_explorer_setup" not in data:
        raise ValueError("marker")
    version = data["survey_explorer_setup"]
    if version != VERSION:
        raise OptionError(msg("This setup's format, “survey_explorer_setup”: {version}, is not one this explorer "
                              "reads (it reads {known}); save the setup again from the Data page.",
                              version=_shown(version), known=VERSION))


def organisation_of(rows: list[list[str]]) -> Hierarchy | None:
    """A hierarchy from a setup's organisation rows, [unit, parent] or [unit, parent, manager e-mail]."""
    if not rows:
        return None
    return build([(r[0], r[1]) for r in rows], [(r[0], r[2]) for r in rows if len(r) > 2])


def organisation_rows(hierarchy: Hierarchy | None) -> list[list[str]]:
    """A hierarchy as a setup's organisation rows."""
    if hierarchy is None:
        return []
    managers: dict[str, list[str]] = {}
    for unit, address in hierarchy.managers:
        managers.setdefault(unit, []).append(address)
    rows = []
    for unit, parent in hierarchy.edges:
        rows += [[unit, parent, a] for a in managers[unit]] if unit in managers else [[unit, parent]]
    return rows


def _organisation(value: Any) -> list[list[str]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(r, list) and 2 <= len(r) <= 3
                                              and all(isinstance(v, str) for v in r) for r in value):
        raise _Wrong("organisation", msg("a list of units, each [unit, parent] or [unit, parent, manager e-mail], "
                                         "such as {example}", example='[["Team 1", "Home care"]]'), value)
    return [list(r) for r in value]


def _parse(data: dict) -> Setup:
    files = {kind: _file_setup(data, kind) for kind in ("customer", "employee")}
    segments = data.get("segments") or {}
    if not isinstance(segments, dict) or not all(isinstance(v, list) for v in segments.values()):
        raise _Wrong("segments", msg("a table of columns, each to a list of values, such as {example}",
                                     example='{"Channel": ["Phone"]}'), segments)
    departments = data.get("departments") or []
    if not isinstance(departments, list):
        raise _Wrong("departments", msg("a list of department names"), departments)
    min_customers = _int(data, "min_customers")
    if min_customers is not None and min_customers < 1:
        raise _Wrong("min_customers", msg("a whole number of at least 1"), min_customers)
    since, until = _date(data, "since"), _date(data, "until")
    if since and until and since > until:
        raise _Wrong("until", msg("a date on or after the start date, {since}", since=since), until)
    return Setup(files["customer"], files["employee"], _strings(data.get("mapping"), "mapping"),
                 _int(data, "min_group"), min_customers, _int(data, "min_comments"),
                 [str(d) for d in departments], since, until,
                 {str(c): [str(v) for v in vals] for c, vals in segments.items()},
                 _strings(data.get("hme"), "hme"), str(data.get("customer_measure") or "nps"),
                 str(data.get("employee_measure") or "engagement"),
                 str(data["period"]) if data.get("period") is not None else None, _int(data, "lag"), None,
                 _organisation(data.get("organisation")),
                 str(data["unit"]) if data.get("unit") is not None else None, _int(data, "level"))


def from_json(text: str | bytes) -> Setup:
    """A setup from its JSON; one sentence saying what is wrong when it is not one: the field and what it should be
    when one field is wrong."""
    try:
        data = json.loads(text)
        _marker(data)
        setup = _parse(data)
        if data.get("codebook") is not None:
            from lib.figures.themes import Codebook

            setup = replace(setup, codebook=Codebook.from_dict(data["codebook"]).as_dict())
    except _Wrong as wrong:
        raise OptionError(msg("The setup's “{field}” is “{value}”, but it should be {expected}; correct it, or save the "
                              "setup again from the Data page.", field=wrong.name, value=_shown(wrong.value),
                              expected=wrong.expected)) from None
    except (ValueError, TypeError, AttributeError, RecursionError):
        raise OptionError(msg("This is not a setup file saved by the survey explorer; save the setup again from the "
                              "Data page, or choose the right file.")) from None
    _check_choices(setup)
    check_focus(setup.hierarchy, setup.unit, setup.level)
    return setup


def _check_choices(setup: Setup) -> None:
    """One sentence, naming the field, for a measure, period or lag the explorer does not know."""
    for name, value, known in (("customer_measure", setup.customer_measure, CUSTOMER_MEASURES),
                               ("employee_measure", setup.employee_measure, EMPLOYEE_MEASURES),
                               ("period", setup.period, PERIODS), ("lag", setup.lag, LAGS)):
        if value is not None and value not in known:
            raise OptionError(msg("The setup's “{field}” is “{value}”, which the explorer does not know; use one of: "
                                  "{known}, or save the setup again from the Data page.", field=name, value=value,
                                  known=", ".join(str(k) for k in known)))


def _int(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Wrong(name, msg("a whole number, such as 5"), value)
    return value
