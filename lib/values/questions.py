"""The Nordic indices' questions as survey tools word them, so that detection can recognise them in headers."""

from __future__ import annotations

import re

#: The three questions by code, recognised by the stems of their usual wordings (Swedish as vendors print them,
#: e.g. "Hur nöjd är du med verksamheten i dess helhet?"; English; Finnish renderings).
QUESTIONS: dict[str, re.Pattern[str]] = {
    "overall": re.compile(r"\bnöjd\b.*\bhelhet|\bhelhet.*\bnöjd\b|\bsatisfied\b.*\boverall\b|\boverall\b.*\bsatisf|"
                          r"tyytyväinen.*kokonaisuu|kokonaisuu.*tyytyväi", re.IGNORECASE),
    "expectations": re.compile(r"förväntningar|expectations|odotuksi|odotukset", re.IGNORECASE),
    "ideal": re.compile(r"\bideal|ihanne", re.IGNORECASE),
}
CODES: tuple[str, ...] = tuple(QUESTIONS)


def looks_like_question(header: str) -> str | None:
    """The code of the NKI/NMI question ``header`` asks, or None.

    >>> looks_like_question("Hur väl uppfyller verksamheten dina förväntningar?")
    'expectations'
    """
    for code, pattern in QUESTIONS.items():
        if pattern.search(header):
            return code
    return None
