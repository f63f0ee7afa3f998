"""The statements' favourable % (lib.present.items) counts the same points as the engagement favourable %: the top
three on a 0–10 statement."""

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lib.figures.summary import summarize
from lib.present.items import item_favorability
from lib.survey.frame import load_survey

QUESTION = "On a scale of 0 to 10, how satisfied are you with your work?"
ENPS = "How likely are you to recommend this organisation as a place to work?"


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_a_0_to_10_statement_counts_its_top_three_points(seed):
    rnd = np.random.default_rng(seed)
    answers = rnd.integers(0, 11, size=60)
    rows = [["Respondent ID", "Department", QUESTION, ENPS]]
    rows += [[f"R{i}", ("Alfa", "Beta")[i % 2], int(a), int(rnd.integers(0, 11))] for i, a in enumerate(answers)]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    e = load_survey(buf.getvalue().encode(), "staff.csv", kind="employee")
    assert [i.scale.high for i in e.items] == [10]
    s = summarize(None, e)
    got = item_favorability(s).set_index("department")["favorable_pct"]
    for k, name in enumerate(("Alfa", "Beta")):
        assert got[name] == pytest.approx(100.0 * (answers[k::2] >= 8).mean())
    assert s.engagement.favorable_pct == pytest.approx(100.0 * (answers >= 8).mean())  # the engagement figure agrees
