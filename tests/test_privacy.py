"""Anonymity holds in every view, filter combination and download; one session never sees another's data."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lib import breakdowns, metrics
from lib.exports import table_xlsx
from lib.filters import Filters, department_index
from lib.summary import Settings, summarize
from lib.survey import load_survey

from . import exports as ex

ROOT = Path(__file__).resolve().parent.parent
K = 5


@pytest.fixture(scope="module")
def employee():
    name, data = ex.ms_forms_employee_xlsx()
    return load_survey(data, name, columns={ex.REVERSE: "reverse-item"})


def test_complementary_suppression():
    hidden, protecting = metrics.suppression(np.array([3, 18, 40, 0, 25]), 5)
    assert hidden.tolist() == [True, False, False, False, False]
    assert protecting.tolist() == [False, True, False, False, False]  # the smallest other group
    hidden, protecting = metrics.suppression(np.array([3, 4, 40]), 5)
    assert hidden.tolist() == [True, True, False] and not protecting.any()  # 3 + 4 >= 5 already
    hidden, protecting = metrics.suppression(np.array([8, 9]), 5)
    assert not hidden.any() and not protecting.any()


def _views(survey):
    depts = survey.departments
    for r in range(len(depts) + 1):
        for chosen in itertools.combinations(depts, r):
            yield Filters(departments=frozenset(chosen) if chosen else None)


def test_no_two_views_differ_by_fewer_than_k_employees(employee):
    """Every pair of views whose figures are shown differs by 0 or at least k employees, and
    within a view the hidden departments hold 0 or at least k responses together."""
    shown = []
    full = len(employee.frame)
    for f in _views(employee):
        s = summarize(None, employee, f, Settings(min_group=K))
        if s.engagement.n == 0:
            assert s.engagement.index is None
            continue
        if s.engagement.suppressed:
            assert s.engagement.index is None and s.enps is None and s.alpha is None
            assert breakdowns.item_distribution(s).empty
            assert breakdowns.item_favorability(s)["favorable_pct"].isna().all()
            continue
        rows = frozenset(np.flatnonzero(s.employee_filter.mask))
        shown.append(rows)
        assert len(rows) >= K and (full - len(rows) == 0 or full - len(rows) >= K)
        in_view = np.bincount(department_index(employee, s.link, "employee")[s.employee_filter.mask],
                              minlength=len(s.link.names))
        hidden_n = sum(in_view[s.link.names.index(d.department)] for d in s.departments if d.suppressed)
        assert hidden_n == 0 or hidden_n >= K
        for d in s.departments:
            if d.employee_n and d.employee_n < K:
                assert d.suppressed and d.engagement.index is None and d.enps is None
    for a, b in itertools.combinations(shown, 2):
        diff = len(a ^ b)
        if a <= b or b <= a:
            assert diff == 0 or diff >= K, (len(a), len(b))


def test_everyone_but_a_small_team_is_not_shown(employee):
    others = frozenset(d for d in employee.departments if d != "Legal")
    s = summarize(None, employee, Filters(departments=others), Settings(min_group=K))
    # Legal (2 people) is what separates this view from everyone: no employee figure here
    assert s.engagement.suppressed and any("leaves out fewer than" in str(w) for w in s.warnings)


def test_a_small_team_never_enters_a_filtered_total(employee):
    a = summarize(None, employee, Filters(departments=frozenset({"Legal", "Sales"})), Settings(min_group=K))
    b = summarize(None, employee, Filters(departments=frozenset({"Sales"})), Settings(min_group=K))
    assert a.engagement.index == b.engagement.index and a.engagement.n == b.engagement.n
    legal = next(d for d in a.departments if d.department == "Legal")
    assert legal.employee_n == 2 and legal.suppressed


def test_segment_values_below_k_are_left_out():
    rows = ["Department,Role,How likely are you to recommend us as a place to work?,I feel valued at work"]
    roles = ["Manager"] * 2 + ["Nurse"] * 20 + ["Doctor"] * 12
    for i, role in enumerate(roles):
        rows.append(f"{['Ward A', 'Ward B'][i % 2]},{role},{i % 11},{1 + i % 5}")
    e = load_survey("\n".join(rows).encode(), "roles.csv", kind="employee")
    both = summarize(None, e, Filters(segments=(("Role", frozenset({"Manager", "Nurse"})),)), Settings(min_group=K))
    one = summarize(None, e, Filters(segments=(("Role", frozenset({"Nurse"})),)), Settings(min_group=K))
    assert both.engagement.n == one.engagement.n == 20 and both.engagement.index == one.engagement.index
    assert any("Role: Manager" in str(w) for w in both.warnings)


def test_downloads_carry_no_hidden_figure():
    from lib.sample import SAMPLE_MAPPING, make_sample

    files = make_sample()
    c = load_survey(files["customer_survey.xlsx"], "c.xlsx")
    e = load_survey(files["employee_survey.xlsx"], "e.xlsx")
    s = summarize(c, e, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items())))
    report = breakdowns.department_report(s)
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(report))).active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] in ("Pharmacy Services", "Payroll Services"):
            for col in ("Engagement", "Favourable %", "eNPS"):
                assert isinstance(row[header.index(col)], str)


def test_employee_comments_need_the_higher_threshold(employee):
    s = summarize(None, employee, Filters(departments=frozenset({"Sales", "Customer Service"})),
                  Settings(min_group=K, min_comments=10))
    shown, why = breakdowns.comments(s, "employee")
    assert shown == [] and why is None  # this layout has no comment column
    from lib.sample import make_sample

    e = load_survey(make_sample()["employee_survey.xlsx"], "e.xlsx")
    small = summarize(None, e, Filters(departments=frozenset({"Field Service North"})), Settings(min_comments=30))
    texts, why = breakdowns.comments(small, "employee")
    assert texts == [] and "at least 30" in why
    big = summarize(None, e, Filters(), Settings())
    texts, why = breakdowns.comments(big, "employee")
    assert why is None and len(texts) > 10


def test_one_session_never_sees_another_sessions_upload():
    app = str(ROOT / "app.py")
    a, b = AppTest.from_file(app, default_timeout=120), AppTest.from_file(app, default_timeout=120)
    a.run()
    b.run()
    a.switch_page("pages/data.py").run()
    name, data = ex.google_forms_customer_csv()
    a.file_uploader(key="uploader").set_value((name, data, "text/csv")).run()
    a.switch_page("pages/overview.py").run()
    b.switch_page("pages/overview.py").run()
    nps_a = next(m.value for m in a.metric if m.label == "Customer NPS")
    nps_b = next(m.value for m in b.metric if m.label == "Customer NPS")
    assert nps_a == f"{ex.expected_nps([s for *_, s in ex.CUSTOMER]):.1f}"
    assert nps_b != nps_a and any("sample data" in i.value for i in b.info)
    assert all(getattr(f, "name", "") != name for f in b.session_state["files"].values())


def test_no_shared_cache_holds_user_data():
    """Uploads are parsed into session state only: no process-wide cache in the app's code."""
    for path in [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        text = path.read_text()
        assert "cache_resource" not in text and "cache_data" not in text, path
