"""The one loading path (lib.load) of the app and the command line: waves, the second read with the other survey's
unit names, setups on every wave, measures the files lack, and the app's caches (eight files, each parsed once)."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lib import load as loading
from lib.errors import OptionError
from lib.figures.summary import summarize
from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING
from lib.setup import FileSetup, Setup, from_json
from lib.survey import isolation
from lib.survey.frame import load_survey

from . import exports as ex

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CUSTOMER, EMPLOYEE = SAMPLE_DIR / "customer_survey.xlsx", SAMPLE_DIR / "employee_survey.xlsx"
REVERSED = "I often think about leaving this organisation"


def _csv(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_csv(buf, index=False)
    return buf.getvalue()


def quarterly_exports() -> list[tuple[str, bytes, str]]:
    """The sample as four quarterly exports per survey: the customer answers by quarter (the last, short quarter
    joins the one before), the employee answers in four parts dated three months apart."""
    c = pd.read_excel(CUSTOMER)
    when = pd.to_datetime(c["Completion time"])
    quarter = when.dt.to_period("Q").astype(str)
    first = sorted(quarter.unique())[:4]
    quarter = quarter.where(quarter.isin(first), first[-1])
    e = pd.read_excel(EMPLOYEE)
    out = [(f"customers_{q}.csv", _csv(c[quarter == q]), "text/csv") for q in first]
    for part in range(4):
        rows = e.iloc[part::4].copy()
        rows["Submitted"] = pd.to_datetime(rows["Submitted"]) - pd.DateOffset(months=3 * (3 - part))
        out.append((f"staff_Q{part + 1}.csv", _csv(rows), "text/csv"))
    return out


def _sample_files() -> list[loading.File]:
    return [loading.File(CUSTOMER.name, CUSTOMER, "customer"),
            loading.File(EMPLOYEE.name, EMPLOYEE, "employee", columns=dict(SAMPLE_COLUMNS))]


def test_the_loading_path_gives_the_engines_figures():
    found = loading.load(_sample_files(), loading.Choices(mapping=tuple(SAMPLE_MAPPING.items())))
    found.check()
    c = load_survey(CUSTOMER, CUSTOMER.name, kind="customer")
    e = load_survey(EMPLOYEE, EMPLOYEE.name, kind="employee", columns=SAMPLE_COLUMNS)
    plain = summarize(c, e, settings=found.settings)
    s = summarize(found.customer, found.employee, settings=found.settings)
    assert s.nps.score == plain.nps.score and s.engagement.index == plain.engagement.index
    assert s.linkage.result.pearson_r == plain.linkage.result.pearson_r
    assert dict(found.settings.mapping) == SAMPLE_MAPPING and found.refused == [] and found.error is None


def test_waves_are_stacked_in_date_order_and_the_stacker_can_be_given():
    files = [loading.File(name, data, "customer" if name.startswith("customers") else "employee")
             for name, data, _mime in reversed(quarterly_exports())]
    calls = []

    def stacker(items):
        calls.append([i.key for i in items])
        return loading.stack_waves(items)

    found = loading.load(files, stacker=stacker)
    found.check()
    assert found.customer.name.count("+") == 3 and found.employee.name.count("+") == 3
    assert found.customer.name.startswith("customers_2025Q4") and found.employee.name.startswith("staff_Q1")
    assert len(calls) == 2 and all(len(keys) == 4 and len(set(keys)) == 4 for keys in calls)


def test_a_survey_without_a_unit_column_is_read_again_with_the_other_surveys_units_every_wave():
    name, data = ex.ms_forms_employee_xlsx()
    rows = pd.DataFrame({"Visited": [["Sales", "Finance", "Customer Service"][i % 3] for i in range(30)],
                         "How likely are you to recommend us?": [i % 11 for i in range(30)]})
    files = [loading.File("c1.csv", _csv(rows), "customer"), loading.File("c2.csv", _csv(rows.iloc[::-1]), "customer"),
             loading.File(name, data, "employee")]
    seen = []

    def parse(request):
        seen.append((request.file.name, bool(request.other_units)))
        return loading.read_here(request)

    found = loading.load(files, parse=parse)
    found.check()
    assert found.customer.has_units and found.customer.name.count("+") == 1
    assert Counter(seen) == {("c1.csv", False): 1, ("c2.csv", False): 1, ("c1.csv", True): 1, ("c2.csv", True): 1,
                             (name, False): 1}
    assert summarize(found.customer, found.employee, settings=found.settings).linkage is not None


@pytest.mark.parametrize("choices, words", [
    (loading.Choices(customer_measure="nki"), "NKI"),
    (loading.Choices(employee_measure="nmi"), "NMI"),
    (loading.Choices(employee_measure="hme"), "HME"),
])
def test_a_measure_the_files_lack_is_refused_and_the_default_used(choices, words):
    found = loading.load(_sample_files(), choices)
    assert len(found.refused) == 1 and words in str(found.refused[0])
    assert (found.settings.customer_measure, found.settings.employee_measure) == ("nps", "engagement")
    with pytest.raises(OptionError, match=words):
        found.check()
    s = summarize(found.customer, found.employee, settings=found.settings)
    assert s.linkage.result.n >= 3 and s.linkage.employee_label.msgid == "Engagement index"


def test_an_hme_column_that_cannot_be_hme_is_refused_and_left_out():
    files = _sample_files()
    files[1].hme = {"M1": "Department", "M2": "Role", "S3": REVERSED}
    found = loading.load(files)
    assert len(found.refused) == 2 and found.settings.hme == (("S3", REVERSED),)
    assert all("cannot be HME" in str(exc) for exc in found.refused)


def test_a_threshold_that_is_not_valid_is_refused_before_reading():
    def parse(request):
        raise AssertionError("read")

    with pytest.raises(OptionError):
        loading.load(_sample_files(), loading.Choices(min_group=2), parse=parse)


def test_a_setup_names_the_columns_a_file_lacks():
    files = [loading.File(CUSTOMER.name, CUSTOMER, "customer", columns={"Nope": "segment", "Neither": "date"})]
    found = loading.load(files, setup=Setup(customer=FileSetup({"Nope": "segment", "Neither": "date"})))
    assert "“Nope”, “Neither”" in str(found.loaded[0].problem)


@pytest.mark.parametrize("fields, words", [
    *[({"employee_measure": "nmi", "employee": {"columns": {"Role": role}}},
       "“employee › columns › Role” is .* a column role, one of: department") for role in ["boss", "", "item=1"]],
    ({"customer_measure": "nki", "since": "2026-01-01", "until": "2025-01-01"},
     "“until” is “2025-01-01”, but it should be a date on or after the start date, 2026-01-01"),
    ({"customer_measure": "nki", "min_customers": 0}, "“min_customers” is “0”, but it should be a whole number of at least 1"),
    ({"since": "2026-03-01", "until": "20260201"}, "“until” is “2026-02-01”, but it should be a date on or after"),
])
def test_a_setup_the_explorer_cannot_follow_is_refused_when_read(fields, words):
    # found by the setup property below: read as given, these refused the files or the filters instead, and the
    # setup's other choices (a measure the files lack) then went unchecked
    with pytest.raises(OptionError, match=words):
        from_json(json.dumps({"survey_explorer_setup": 1, **fields}))


def test_choices_over_a_setup():
    setup = Setup(mapping={"A": "B", "C": "D"}, min_group=7, customer_measure="nki")
    mine = loading.Choices(min_customers=3, mapping=(("A", "E"),)).over(setup)
    assert (mine.min_group, mine.min_customers, mine.customer_measure) == (7, 3, "nki")
    assert dict(mine.mapping) == {"A": "E", "C": "D"}
    assert loading.Choices(min_group=12).settings().min_comments == 12  # never below the threshold


# --- the app ----------------------------------------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """Every parse of an upload and every stacking, counted (uploads parsed in-process, for speed)."""
    parses: Counter = Counter()
    stacks: Counter = Counter()
    stack = loading.stack_waves

    def parse(data, name, **options):
        parses[name] += 1
        return isolation.parse_here(data, name, **options)

    def stacked(items):
        stacks[len(items)] += 1
        return stack(items)

    monkeypatch.setattr(isolation, "parse", parse)
    monkeypatch.setattr(loading, "stack_waves", stacked)
    return parses, stacks


def test_eight_files_are_parsed_once_across_reruns_and_a_setup_applies_to_every_wave(counted):
    parses, stacks = counted
    uploads = quarterly_exports()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="uploader").set_value(uploads).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    for page in ["pages/overview.py", "pages/engagement.py", "pages/linkage.py", "pages/trends.py", "pages/data.py"]:
        at.switch_page(page).run()
        assert not at.exception, page
    at.sidebar.number_input[0].set_value(7).run()
    at.run()
    ctx = at.session_state["context"]
    assert ctx.customer.name.count("+") == 3 and ctx.employee.name.count("+") == 3
    assert parses == {name: 1 for name, _data, _mime in uploads}, parses
    assert stacks == {4: 2}, stacks  # each survey stacked once

    setup = Setup(employee=FileSetup({REVERSED: "reverse-item"}), min_group=6)
    at.file_uploader(key="setup_uploader").set_value(("setup.json", setup.to_json().encode(), "application/json")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    staff = [f for f in at.session_state["files"].values() if f.name.startswith("staff")]
    assert len(staff) == 4 and all(f.columns == {REVERSED: "reverse-item"} for f in staff)
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/engagement.py").run()
    employee = at.session_state["context"].employee
    assert next(i for i in employee.items if i.name == REVERSED).reverse
    assert all(parses[f.name] == 2 for f in staff), parses  # read again once, with the setup's roles
    assert all(n == 1 for name, n in parses.items() if name.startswith("customers")), parses


SETUP_VALUES = {
    "customer_measure": st.sampled_from(["nps", "nki", "csat", None, 3]),
    "employee_measure": st.sampled_from(["engagement", "nmi", "hme", "enps", None]),
    "min_group": st.sampled_from([None, 2, 3, 5, 7, 40, 400, "five", -1, True]),
    "min_comments": st.sampled_from([None, 0, 5, 12, 10_000]),
    "min_customers": st.sampled_from([None, 0, 10, 100]),
    "since": st.sampled_from([None, "2026-01-01", "2026-13-01", "yesterday", "2030-01-01"]),
    "until": st.sampled_from([None, "2025-01-01", "2026-06-30"]),
    "departments": st.sampled_from([[], ["Home Care"], ["Nowhere"], "Home Care"]),
    "segments": st.sampled_from([{}, {"Channel": ["Phone"]}, {"Nope": ["x"]}, {"Channel": "Phone"}, []]),
    "hme": st.sampled_from([{}, {"M1": REVERSED}, {"M1": "Department"}, {"X9": "Role"}, {"M2": "Nope"}]),
    "mapping": st.sampled_from([{}, {"Homecare": "Home Care"}, {"Homecare": 3}]),
    "period": st.sampled_from([None, "quarter", "wave", "fortnight", 5]),
    "lag": st.sampled_from([None, 0, 1, 2, 7]),
    "employee": st.sampled_from([{}, {"columns": {REVERSED: "reverse-item"}}, {"columns": {"Q7": "item"}},
                                 {"columns": {"Role": "boss"}}, {"scales": {REVERSED: "1-4"}},
                                 {"scales": {REVERSED: "x"}}, {"sheet": "Nope"}, {"columns": "Role"}]),
    "customer": st.sampled_from([{}, {"columns": {"Channel": "segment"}}, {"columns": {"Nope": "date"}},
                                 {"columns": {"Department": "comment"}}]),
}


@st.composite
def setup_files(draw) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from([b"", b"{", b"[]", b'{"survey_explorer_setup": 2}', "{\"å\": 1}".encode()]))
    chosen = draw(st.lists(st.sampled_from(sorted(SETUP_VALUES)), unique=True, max_size=5))
    data = {"survey_explorer_setup": 1, **{key: draw(SETUP_VALUES[key]) for key in chosen}}
    return json.dumps(data).encode()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=setup_files())
@example(raw=b'{"survey_explorer_setup": 1, "employee_measure": "nmi", "employee": {"columns": {"Role": "boss"}}}')
@example(raw=b'{"survey_explorer_setup": 1, "since": "2026-01-01", "until": "2025-01-01", "customer_measure": "nki"}')
def test_no_setup_breaks_a_page(raw):
    """Any setup, loaded on the Data page: no page raises, and a setup the files or the explorer cannot use gets a
    message (the session goes on with the choices it had, or with the default measure)."""
    # a new session for every setup: one loaded before (a 1–4 scale for a statement, say) would otherwise decide which
    # message this one gets
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="setup_uploader").set_value(("setup.json", raw, "application/json")).run()
    assert not at.exception, (raw, at.exception)
    messages = [e.value for e in at.error]
    try:
        setup = from_json(raw)
    except OptionError:
        assert messages, raw
        setup = None
    if setup is not None and (setup.customer_measure, setup.employee_measure) != ("nps", "engagement") \
            and not any("setup does not fit" in m for m in messages):
        assert any("cannot be linked" in m for m in messages), (raw, messages)
    for page in ["pages/overview.py", "pages/linkage.py", "pages/engagement.py"]:
        at.switch_page(page).run()
        assert not at.exception, (raw, page, at.exception)


def test_a_setup_naming_nki_on_files_without_it_gets_a_message_and_breaks_no_page():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    raw = Setup(customer_measure="nki", employee_measure="hme", min_group=150, min_customers=200_000,
                min_comments=900).to_json().encode()
    at.file_uploader(key="setup_uploader").set_value(("setup.json", raw, "application/json")).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "NKI" in shown and "HME" in shown and "cannot be linked" in shown
    # the rest applies, however large (a widget's maximum once reset them without a word)
    assert (at.session_state["min_group"], at.session_state["min_customers"], at.session_state["min_comments"]) \
        == (150, 200_000, 900)
    for page in ["pages/overview.py", "pages/customer.py", "pages/engagement.py", "pages/linkage.py", "pages/trends.py"]:
        at.switch_page(page).run()
        assert not at.exception and not at.error, (page, [e.value for e in at.error])
    assert at.session_state["link_customer"] == "nps" and at.session_state["link_employee"] == "engagement"
    assert (at.session_state["min_group"], at.session_state["min_customers"], at.session_state["min_comments"]) \
        == (150, 200_000, 900)  # still, after every page's sidebar
