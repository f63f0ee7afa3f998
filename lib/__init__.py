"""Survey explorer engine: read survey exports, compute NPS and engagement, link them by department.

Pure Python (no Streamlit). The public API::

    from lib import load_survey, summarize, Filters, Settings
    customer = load_survey(data, "export.xlsx", kind="customer")
    summary = summarize(customer, employee, Filters(departments=frozenset({"Sales"})), Settings(min_group=5))

The command line is ``python -m lib`` (see :mod:`lib.cli`).
"""

from .errors import ColumnError, EmptyFileError, NoResponsesError, OptionError, SurveyError, UnreadableFileError
from .filters import Filters, parse_date
from .i18n import Msg, set_language
from .linkage import DepartmentLink, Linkage, link_departments
from .reading import list_sheets, read_table
from .roles import ROLES, ColumnRole, Detection
from .stats import AlphaResult, Correlation, NpsResult, cronbach_alpha, correlation, nps, nps_from_counts, nps_interval
from .summary import DepartmentFigures, Settings, Summary, summarize
from .survey import Item, Survey, load_survey

__all__ = [
    "AlphaResult", "ColumnError", "ColumnRole", "Correlation", "DepartmentFigures", "DepartmentLink", "Detection",
    "EmptyFileError", "Filters", "Item", "Linkage", "Msg", "NoResponsesError", "NpsResult", "OptionError", "ROLES",
    "Settings", "Summary", "Survey", "SurveyError", "UnreadableFileError", "correlation", "cronbach_alpha",
    "link_departments", "list_sheets", "load_survey", "nps", "nps_from_counts", "nps_interval", "parse_date",
    "read_table", "set_language", "summarize",
]
