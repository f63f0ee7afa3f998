"""Files with one row per answer (respondent, question, answer), turned into one row per respondent.

A long file is recognised by a question column (few distinct question texts,
each repeated) and an answer column. With a respondent id that repeats, the
answers are pivoted to one column per question, keeping the respondent's other
columns (department, role…). Without one, answers cannot be put back together
per person, and the file is refused with one sentence saying how to export it.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from lib.errors import NoResponsesError
from lib.read.headers import HeaderLayout
from lib.i18n import msg
from lib.read.table import Table
from lib.values.vocab import ID_WORDS, header_words, split_words

QUESTION = re.compile(r"^(question|question text|item|statement|fråga|påstående|kysymys|väittämä)$", re.IGNORECASE)
ANSWER = re.compile(r"^(response|answer|value|score|svar|vastaus)( text| label| value)?$", re.IGNORECASE)
RESPONDENT = re.compile(r"respondent|person|employee|participant|user|svarande|vastaaja", re.IGNORECASE)


def _column(frame: pd.DataFrame, pattern: re.Pattern[str]) -> list[str]:
    return [c for c in frame.columns if pattern.search(split_words(c))]


def find_long(frame: pd.DataFrame) -> tuple[str, list[str]] | None:
    """(question column, answer columns) when ``frame`` holds one row per answer, else None."""
    questions = _column(frame, QUESTION)
    answers = _column(frame, ANSWER)
    if not questions or not answers or len(frame) < 4:
        return None
    q = frame[questions[0]]
    distinct = q.nunique(dropna=True)
    if not 2 <= distinct <= 300 or distinct > len(frame) / 2:
        return None
    return questions[0], answers


def _respondent(frame: pd.DataFrame, question: str) -> str | None:
    """A column that names a respondent and repeats about once per question."""
    per_question = frame[question].value_counts().max()
    for c in frame.columns:
        words = header_words(c)
        if c == question or not (words in ID_WORDS or RESPONDENT.search(split_words(c))):
            continue
        ids = frame[c].dropna()
        if len(ids) and ids.nunique() <= 1.5 * per_question and ids.nunique() < len(ids):
            return c
    return None


def widen(table: Table, filename: str) -> Table:
    """One row per respondent: ``table`` itself, or its answers pivoted when it has one row per answer."""
    found = find_long(table.frame)
    if found is None:
        return table
    question, answers = found
    frame = table.frame
    who = _respondent(frame, question)
    if who is None:
        raise NoResponsesError(msg(
            "“{name}” has one row per answer (columns “{question}” and “{answer}”) and no respondent id that repeats, so "
            "the answers cannot be put together per person; export the survey with one row per respondent and one "
            "column per question.", name=filename, question=question, answer=answers[0]))
    # prefer the answer labels (they declare the scale) over their codes
    texts = [a for a in answers if frame[a].dropna().map(lambda v: isinstance(v, str) and not v.strip().isdigit()).mean() > 0.5]
    answer = (texts or answers)[0]
    first = ~frame[who].duplicated()
    keep = [c for c in frame.columns if c not in (question, *answers)
            and (frame.groupby(who, sort=False)[c].nunique(dropna=True) <= 1).all()]
    wide = frame.pivot_table(index=who, columns=question, values=answer, aggfunc="first", sort=False)
    base = frame.loc[first, keep].set_index(who)
    out = base.join(wide, how="left").reset_index()
    out.columns = [str(c) for c in out.columns]
    names = list(out.columns)
    layout = HeaderLayout(0, 1, names, [None] * len(names), names, "single", [False] * len(names))
    rows = np.asarray(table.row_numbers)[first.to_numpy()]
    notes = [*table.notes, msg("One row per answer: read as one row per respondent (by “{who}”), one column per "
                                "question (from “{question}” and “{answer}”).", who=who, question=question,
                                answer=answer)]
    return replace(table, frame=out, row_numbers=rows, layout=layout, notes=notes)
