"""The first screen (lib.present.overview) on generated files with planted strengths and weaknesses: the statements
planted high and low are named as strengths and focus areas, a benchmark moves them, the departments planted above
and below the rest are named with their figures, a planted rise in NPS between two quarters is read as a real rise,
and nothing is named on a file without planted differences (beyond the test's error rate)."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest

from lib.figures.filters import Filters
from lib.figures.summary import Settings, summarize
from lib.i18n import set_language
from lib.present import overview
from lib.survey.frame import load_survey

LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
STATEMENTS = ["I know what is expected of me", "I have the tools I need", "My manager gives useful feedback",
              "My work makes a difference", "My team works well together", "I can learn and grow",
              "Workload is manageable", "I am proud to work here"]
DEPARTMENTS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]


def _answer(rnd: random.Random, favourable: float) -> str:
    """An agreement label: favourable (4 or 5) with probability ``favourable``, else 1–3."""
    return LABELS[rnd.choice([3, 4])] if rnd.random() < favourable else LABELS[rnd.choice([0, 1, 2])]


def employee_file(seed: int, strong: int | None, weak: int | None, high: str | None, low: str | None,
                  per_department: int = 40) -> bytes:
    """Statements at 60 % favourable, ``strong`` at 92 %, ``weak`` at 22 %; department ``high`` everything +25 points,
    ``low`` −30 points."""
    rnd = random.Random(seed)
    out = io.StringIO()
    out.write(",".join(["Department", *STATEMENTS]) + "\n")
    for dept in DEPARTMENTS:
        shift = 0.25 if dept == high else -0.3 if dept == low else 0.0
        for _i in range(per_department):
            cells = [dept]
            for j in range(len(STATEMENTS)):
                base = 0.92 if j == strong else 0.22 if j == weak else 0.6
                cells.append(_answer(rnd, min(0.98, max(0.02, base + shift))))
            out.write(",".join(cells) + "\n")
    return out.getvalue().encode()


def customer_file(seed: int, rise: bool) -> bytes:
    """Two quarters of customer answers per department; with ``rise`` the second quarter's NPS is about 60 points
    higher."""
    rnd = random.Random(seed)
    out = io.StringIO()
    out.write("Date,Department,How likely are you to recommend us to a friend or colleague?\n")
    for quarter, start in enumerate((dt.date(2026, 1, 1), dt.date(2026, 4, 1))):
        for dept in DEPARTMENTS:
            for i in range(60):
                day = start + dt.timedelta(days=(i * 89) // 60)
                good = 0.3 + (0.6 if rise and quarter == 1 else 0.0)
                r = rnd.random()
                score = rnd.choice([9, 10]) if r < good else rnd.choice([7, 8]) if r < good + 0.1 else rnd.randint(0, 6)
                out.write(f"{day.isoformat()},{dept},{score}\n")
    return out.getvalue().encode()


def _summary(employee: bytes, customer: bytes | None = None):  # type: ignore[no-untyped-def]
    e = load_survey(employee, "employees.csv", kind="employee")
    c = load_survey(customer, "customers.csv", kind="customer") if customer else None
    return c, e, summarize(c, e, Filters(), Settings())


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize("seed", range(6))
def test_planted_statements_and_departments_are_named(seed):
    rnd = random.Random(seed)
    strong, weak = rnd.sample(range(len(STATEMENTS)), 2)
    high, low = rnd.sample(DEPARTMENTS, 2)
    _c, _e, s = _summary(employee_file(seed, strong, weak, high, low))
    o = overview.build(s)
    statements_up = [f.name for f in o.strengths if f.kind == "statement"]
    statements_down = [f.name for f in o.focus if f.kind == "statement"]
    assert statements_up[0] == STATEMENTS[strong], statements_up
    assert statements_down[0] == STATEMENTS[weak], statements_down
    assert STATEMENTS[weak] not in statements_up and STATEMENTS[strong] not in statements_down
    departments_up = {f.name for f in o.strengths if f.kind == "department"}
    departments_down = {f.name for f in o.focus if f.kind == "department"}
    assert high in departments_up and low in departments_down, (departments_up, departments_down)
    assert not departments_up & departments_down
    # the plain words carry the figures; the test's name is in the help only
    finding = next(f for f in o.focus if f.name == low)
    assert low in finding.text and "points below the rest" in finding.text
    assert "Benjamini" not in finding.text and "Benjamini" in finding.help
    first = next(f for f in o.strengths if f.kind == "statement")
    assert f"{first.value:.1f}" in first.text or f"{round(first.value, 1)}" in first.text
    # the glance table: every shown department, the organisation as its centre
    assert set(o.glance["department"]) == set(DEPARTMENTS)
    assert o.glance["difference"].abs().max() > 10


@pytest.mark.parametrize("seed", range(4))
def test_no_planted_difference_names_little(seed):
    """Without planted differences no statement lies 5 points from the average (40 × 6 answers each), and at most a
    false positive among the departments, now and then (the correction holds the false discovery rate at 5 %)."""
    _c, _e, s = _summary(employee_file(100 + seed, None, None, None, None))
    o = overview.build(s)
    assert not [f for f in o.strengths + o.focus if f.kind == "statement"]
    assert len([f for f in o.strengths + o.focus if f.kind == "department"]) <= 1


def test_a_benchmark_turns_a_strength_into_a_focus_area():
    _c, _e, s = _summary(employee_file(7, 0, 1, None, None))
    plain_up, _down = overview.statement_findings(s)
    assert plain_up[0].name == STATEMENTS[0]
    up, down = overview.statement_findings(s, {STATEMENTS[0]: 99.0})
    assert STATEMENTS[0] not in [f.name for f in up]
    assert STATEMENTS[0] in [f.name for f in down]
    assert "below your benchmark (99.0%)" in next(f.text for f in down if f.name == STATEMENTS[0])


def test_a_planted_rise_is_read_as_a_real_rise_and_none_as_none():
    c, e, s = _summary(employee_file(3, None, None, None, None), customer_file(3, rise=True))
    kind, previous, latest, _notes = overview.last_two(c, e, Filters(), s.settings)
    assert kind == "quarter" and previous is not None and latest is not None
    o = overview.build(s, previous, latest, kind)
    nps = next(h for h in o.headlines if h.figure.key == "nps")
    assert nps.change is not None and nps.change.direction == 1 and nps.change.text.startswith("+")
    assert "up" in nps.change.reading and "Q1 2026" in nps.change.reading
    assert "adjusted-Wald" in nps.change.help
    c, e, s = _summary(employee_file(3, None, None, None, None), customer_file(4, rise=False))
    _k, previous, latest, _notes = overview.last_two(c, e, Filters(), s.settings)
    nps = next(h for h in overview.build(s, previous, latest, kind).headlines if h.figure.key == "nps")
    assert nps.change is not None and nps.change.direction == 0 and "no detectable change" in nps.change.reading


def test_in_swedish_the_words_and_the_figures_are_swedish():
    _c, _e, s = _summary(employee_file(1, 2, 3, "Alpha", "Bravo"))
    set_language("sv")
    o = overview.build(s)
    text = " ".join(f.text for f in o.strengths + o.focus)
    assert "points" not in text and "," in text
    assert "”" in text and "“" not in text
