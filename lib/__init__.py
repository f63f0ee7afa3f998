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
    "AlphaResult": "lib.figures.stats",
    "ColumnError": "lib.errors",
    "ColumnRole": "lib.detect.roles",
    "Correlation": "lib.figures.stats",
    "DepartmentFigures": "lib.figures.summary",
    "DepartmentLink": "lib.figures.linkage",
    "Detection": "lib.detect.roles",
    "EmptyFileError": "lib.errors",
    "Filters": "lib.figures.filters",
    "Item": "lib.survey.frame",
    "Linkage": "lib.figures.linkage",
    "Msg": "lib.i18n",
    "NoResponsesError": "lib.errors",
    "NpsResult": "lib.figures.stats",
    "OptionError": "lib.errors",
    "ROLES": "lib.detect.roles",
    "Settings": "lib.figures.summary",
    "Summary": "lib.figures.summary",
    "Survey": "lib.survey.frame",
    "SurveyError": "lib.errors",
    "UnreadableFileError": "lib.errors",
    "correlation": "lib.figures.stats",
    "cronbach_alpha": "lib.figures.stats",
    "link_departments": "lib.figures.linkage",
    "list_sheets": "lib.read.table",
    "load_survey": "lib.survey.frame",
    "nps": "lib.figures.stats",
    "nps_from_counts": "lib.figures.stats",
    "nps_interval": "lib.figures.stats",
    "parse_date": "lib.figures.filters",
    "read_table": "lib.read.table",
    "set_language": "lib.i18n",
    "summarize": "lib.figures.summary",
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
