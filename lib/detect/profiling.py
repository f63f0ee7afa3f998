"""What each column of an employee file holds, without showing anyone's answers.

The Data page shows this instead of raw rows for the employee survey: per
column its role, how many cells are filled and how many distinct values there
are, the group sizes of grouping columns (departments and segments, which the
app shows as counts anyway) and the answer labels of question columns. Ids,
dates, comments and ignored columns show no values at all.
"""

from __future__ import annotations

import pandas as pd

from lib.i18n import msg
from lib.detect.roles import Detection

#: Roles whose values are group names: shown with their counts.
GROUP_ROLES = ("department", "segment")
#: Roles whose values are answer labels: shown as a set, without counts.
ANSWER_ROLES = ("item", "reverse-item", "enps", "nps")
MAX_VALUES = 12


def column_profile(raw: pd.DataFrame, detection: Detection) -> pd.DataFrame:
    """One row per column: ``column``, ``role``, ``filled``, ``distinct`` and ``values`` (a short text).

    >>> from lib.detect.roles import ColumnRole
    >>> from lib.i18n import msg
    >>> raw = pd.DataFrame({"Team": ["A", "A", "B"], "Q1": ["Agree", "Disagree", "Agree"], "Why": ["x", None, "y"]})
    >>> d = Detection("employee", msg("test"), tuple(ColumnRole(c, r, msg(""), c)
    ...     for c, r in (("Team", "department"), ("Q1", "item"), ("Why", "comment"))))
    >>> for row in column_profile(raw, d).itertuples():
    ...     print(row.column, row.filled, row.distinct, repr(row.values))
    Team 3 2 'A (2) · B (1)'
    Q1 3 2 'Agree · Disagree'
    Why 2 2 ''
    """
    rows = []
    for col in detection.columns:
        if col.name not in raw.columns:
            continue
        values = raw[col.name]
        text = values.astype("string").str.strip()
        text = text[text.notna() & (text != "")]
        counts = text.value_counts(sort=True)
        shown = ""
        if col.role in GROUP_ROLES:
            shown = " · ".join(f"{v} ({n})" for v, n in counts.head(MAX_VALUES).items())
        elif col.role in ANSWER_ROLES:
            shown = " · ".join(sorted(str(v) for v in counts.index[:MAX_VALUES]))
        if shown and len(counts) > MAX_VALUES:
            shown += " · " + str(msg("… and {n} more", n=len(counts) - MAX_VALUES))
        rows.append({"column": col.name, "role": col.role, "filled": int(len(text)), "distinct": int(len(counts)),
                     "values": shown})
    return pd.DataFrame(rows, columns=["column", "role", "filled", "distinct", "values"])
