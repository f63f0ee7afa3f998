"""The bundled sample data: reproducible, and showing what the demo promises."""

from __future__ import annotations

from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING, make_sample
from lib.summary import Settings, summarize
from lib.survey import load_survey


def test_sample_is_reproducible_and_committed():
    fresh = make_sample()
    assert fresh == make_sample()
    for name, data in fresh.items():
        assert (SAMPLE_DIR / name).read_bytes() == data, f"sample_data/{name} is stale: run python -m lib make-sample"


def test_sample_tells_the_story():
    files = make_sample()
    customer = load_survey(files["customer_survey.xlsx"], "customer_survey.xlsx")
    employee = load_survey(files["employee_survey.xlsx"], "employee_survey.xlsx", columns=SAMPLE_COLUMNS)
    assert customer.kind == "customer" and employee.kind == "employee"
    assert 2500 <= customer.total_rows <= 5000 and 300 <= employee.total_rows <= 900
    assert 8 <= len(employee.items) <= 12 and sum(i.reverse for i in employee.items) == 1
    assert employee.detection.one("enps") is not None and employee.comments
    dates = customer.frame["date"]
    assert (dates.max() - dates.min()).days > 300
    plain = summarize(customer, employee)
    assert plain.link.only_customer == ("Home Care",) and plain.link.only_employee == ("Homecare",)
    s = summarize(customer, employee, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items())))
    assert len(s.link.names) == 12
    assert [(d.department, d.suppressed_reason) for d in s.departments if d.suppressed] == [
        ("Payroll Services", "protects"), ("Pharmacy Services", "small")]
    r = s.linkage.result.pearson_r
    assert 0.4 < r < 0.95, r  # clear but imperfect
