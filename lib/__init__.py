"""Survey explorer engine: read survey exports, compute NPS and engagement, link them by department.

Pure Python (no Streamlit). The public API::

    from lib import load_survey, summarize, Filters, Settings
    customer = load_survey(data, "export.xlsx", kind="customer")
    summary = summarize(customer, employee, Filters(departments=frozenset({"Sales"})), Settings(min_group=5))

The command line is ``python -m lib`` (see :mod:`lib.cli`).
"""

from __future__ import annotations

import importlib

#: Where each public name lives; a name's module is imported when the name is first used, so
#: importing ``lib`` (as ``python -m lib`` does) loads none of them by itself.
_WHERE = {
    "AlphaResult": ".stats",
    "ColumnError": ".errors",
    "ColumnRole": ".roles",
    "Correlation": ".stats",
    "DepartmentFigures": ".summary",
    "DepartmentLink": ".linkage",
    "Detection": ".roles",
    "EmptyFileError": ".errors",
    "Filters": ".filters",
    "Item": ".survey",
    "Linkage": ".linkage",
    "Msg": ".i18n",
    "NoResponsesError": ".errors",
    "NpsResult": ".stats",
    "OptionError": ".errors",
    "ROLES": ".roles",
    "Settings": ".summary",
    "Summary": ".summary",
    "Survey": ".survey",
    "SurveyError": ".errors",
    "UnreadableFileError": ".errors",
    "correlation": ".stats",
    "cronbach_alpha": ".stats",
    "link_departments": ".linkage",
    "list_sheets": ".reading",
    "load_survey": ".survey",
    "nps": ".stats",
    "nps_from_counts": ".stats",
    "nps_interval": ".stats",
    "parse_date": ".filters",
    "read_table": ".reading",
    "set_language": ".i18n",
    "summarize": ".summary",
}


__all__ = [
    "AlphaResult", "ColumnError", "ColumnRole", "Correlation", "DepartmentFigures", "DepartmentLink", "Detection",
    "EmptyFileError", "Filters", "Item", "Linkage", "Msg", "NoResponsesError", "NpsResult", "OptionError", "ROLES",
    "Settings", "Summary", "Survey", "SurveyError", "UnreadableFileError", "correlation", "cronbach_alpha",
    "link_departments", "list_sheets", "load_survey", "nps", "nps_from_counts", "nps_interval", "parse_date",
    "read_table", "set_language", "summarize",
]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
