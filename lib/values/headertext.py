"""Header text before any rule reads it: question numbers and codes, matrix stems, invisible characters.

A header such as "Q1  I have the tools I need" or "How much do you agree? - I feel valued" is read by the rules
as its statement ("I have the tools I need", "I feel valued"), and that statement is the column's display name;
the header itself stays the column's name. Headers cut short by a tool ("I receive training…effec") are read as
far as they go.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from lib.values.vocab import visible

# "Q1", "Q1.", "Q1_3", "Q12a", "Question 4:", "Fråga 3", "Kysymys 2", "QID5"; "1.", "1)", "1 -", "1:", "2.3";
# "(a)", "a)", "(iv)"; each followed by a separator or a space, then the text.
_NUMBER = re.compile(
    r"^\s*(?:"
    r"(?:q|qid|question|fråga|kysymys|k)\s*\d+[a-z]?(?:[_.]\d+[a-z]?)*\s*(?:[-–—:.)]\s*|\s+)"
    r"|\d{1,3}(?:[._]\d{1,3})*[a-z]?\s*(?:[-–—:.)]\s*)"
    r"|\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,3})\s*\)\s*"
    r"|[a-z]\)\s*"
    r")(?=\S)",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_STEM = re.compile(r"^(.{3,}?)\s+[-–—]\s+(.+)$")


def clean(text: str) -> str:
    """Invisible characters removed, whitespace collapsed."""
    return _SPACES.sub(" ", visible(str(text))).strip()


def without_number(text: str) -> str:
    """``text`` without a leading question number or code; the text itself when nothing would be left.

    >>> [without_number(t) for t in ("Q1 I have the tools I need", "1. I feel valued", "Q1_3 My manager", "1) Trust",
    ...                              "(a) I enjoy my work", "Q5 - I am proud", "Q74", "10 minutes", "2025 Q1")]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['I have the tools I need', 'I feel valued', 'My manager', 'Trust', 'I enjoy my work', 'I am proud', 'Q74',
     '10 minutes', '2025 Q1']
    """
    s = clean(text)
    m = _NUMBER.match(s)
    if not m:
        return s
    rest = s[m.end():].strip()
    return rest if len(re.findall(r"[^\W\d_]", rest)) >= 2 else s


def stems(headers: Sequence[str]) -> set[str]:
    """Matrix stems: the text before " - " that two or more headers share ("How much do you agree? - …")."""
    found: Counter[str] = Counter()
    for h in headers:
        m = _STEM.match(without_number(h))
        if m:
            found[m.group(1).casefold()] += 1
    return {s for s, n in found.items() if n >= 2}


def statement(header: str, shared: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """The statement a header asks: its text without a question number and without a matrix stem in ``shared``.

    >>> statement("Q3 How much do you agree? - I feel valued", {"how much do you agree?"})
    'I feel valued'
    >>> statement("\\ufeffQ1  I receive training…effec")
    'I receive training…effec'
    """
    s = without_number(header)
    m = _STEM.match(s)
    if m and m.group(1).casefold() in shared:
        s = without_number(m.group(2))
    return s
