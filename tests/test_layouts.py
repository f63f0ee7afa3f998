"""One test per export layout: roles detected and figures exact (docs/formats.md)."""

from __future__ import annotations

import pytest

from lib.figures import stats
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey

from . import exports as ex

CUSTOMER_SCORES = [s for _, _, s in ex.CUSTOMER]


def role_of(survey, role):
    col = survey.detection.one(role)
    return col.name if col else None


def check_customer(survey, department_col, date_col):
    assert survey.kind == "customer"
    assert role_of(survey, "department") == department_col
    assert role_of(survey, "date") == date_col
    assert survey.frame["date"].notna().all()
    s = summarize(survey, None)
    assert s.nps.n == len(CUSTOMER_SCORES)
    assert s.nps.score == pytest.approx(ex.expected_nps(CUSTOMER_SCORES), abs=1e-12)
    d = sum(x <= 6 for x in CUSTOMER_SCORES)
    a = sum(7 <= x <= 8 for x in CUSTOMER_SCORES)
    p = sum(x >= 9 for x in CUSTOMER_SCORES)
    assert (s.nps.detractors, s.nps.passives, s.nps.promoters) == (d, a, p)
    assert s.nps.ci95 == pytest.approx(stats.nps_interval(d, a, p))
    by_dept = {row.department: row for row in s.departments}
    for dept, scores in ex._SCORES.items():
        assert by_dept[dept].nps.score == pytest.approx(ex.expected_nps(scores))
        assert by_dept[dept].customer_n == len(scores)
    return s


def check_employee(survey, department_col, n_items=4, reversed_item=ex.REVERSE):
    assert survey.kind == "employee"
    assert role_of(survey, "department") == department_col
    assert len(survey.items) == n_items
    rev = [i for i in survey.items if i.reverse]
    assert [i.name for i in rev] == [reversed_item]
    s = summarize(None, survey, settings=Settings(min_group=5))
    people = [pts for _, _, pts, _ in ex.EMPLOYEE]
    index, fav = ex.expected_engagement(people)
    assert s.engagement.n == len(ex.EMPLOYEE)
    assert s.engagement.index == pytest.approx(index, abs=1e-9)
    assert s.engagement.favorable_pct == pytest.approx(fav, abs=1e-9)
    enps = [e for *_, e in ex.EMPLOYEE]
    assert s.enps.score == pytest.approx(ex.expected_nps(enps))
    by_dept = {row.department: row for row in s.departments}
    assert by_dept["Legal"].suppressed and by_dept["Legal"].engagement.index is None and by_dept["Legal"].enps is None
    assert by_dept["Legal"].employee_n == 2
    # Finance, the smallest other team, is hidden too, so Legal cannot be worked out from the totals
    assert by_dept["Finance"].suppressed_reason == "protects" and by_dept["Finance"].employee_n == 5
    for dept in ("Sales", "Customer Service"):
        team = [pts for d, _, pts, _ in ex.EMPLOYEE if d == dept]
        assert by_dept[dept].engagement.index == pytest.approx(ex.expected_engagement(team)[0], abs=1e-9)
    return s


def test_qualtrics_csv_three_header_rows():
    name, data = ex.qualtrics_customer_csv()
    survey = load_survey(data, name)
    check_customer(survey, "Department", "Recorded Date")
    assert role_of(survey, "nps") == ex.NPS_TEXT
    group = survey.detection.by_name(ex.NPS_TEXT + " - Group")
    assert group.role == "ignore" and "group" in group.reason.msgid.lower()
    assert role_of(survey, "status") == "Response Type"
    assert survey.skipped_counts() == {"status": 1}
    assert role_of(survey, "id") == "Response ID"
    assert [c.name for c in survey.detection.all("comment")] == ["What is the main reason for your score? Please be specific."]


@pytest.mark.parametrize("maker", [ex.qualtrics_employee_xlsx, lambda: ex.qualtrics_employee_xlsx(import_row=False)],
                         ids=["3rows", "2rows"])
def test_qualtrics_xlsx(maker):
    name, data = maker()
    survey = load_survey(data, name, columns={"Q1_4": "reverse-item"})
    stem = "How much do you agree with the following statements? - "
    check_employee(survey, "Parent Unit", reversed_item=stem + ex.REVERSE)
    assert survey.detection.one("enps").code == "Q2"
    assert survey.frame["date"].notna().all()


def test_surveymonkey_two_header_rows():
    name, data = ex.surveymonkey_employee_xlsx()
    survey = load_survey(data, name, columns={ex.REVERSE: "reverse-item"})
    stem = "Please indicate how much you agree with the following statements. - "
    check_employee(survey, "Which department do you work in?", reversed_item=stem + ex.REVERSE)
    assert survey.detection.one("enps").name.startswith("How likely is it that you would recommend this company")
    assert survey.frame["date"].min().strftime("%Y-%m-%d %H:%M:%S") == "2024-03-14 09:02:11"
    assert [c.name for c in survey.detection.all("comment")] == ["What could we do better?"]


def test_google_forms_csv():
    name, data = ex.google_forms_customer_csv()
    survey = load_survey(data, name)
    check_customer(survey, "Which office did you visit?", "Timestamp")
    assert survey.frame["date"].min().strftime("%Y-%m-%d %H:%M") == "2024-03-01 09:00"
    assert role_of(survey, "id") is None


def test_ms_forms_xlsx():
    name, data = ex.ms_forms_employee_xlsx()
    survey = load_survey(data, name, columns={ex.REVERSE: "reverse-item"})
    check_employee(survey, "Which department do you belong to?")
    assert role_of(survey, "date") == "Completion time"
    assert role_of(survey, "id") == "ID"


def test_swedish_xlsx():
    name, data = ex.swedish_employee_xlsx()
    survey = load_survey(data, name, columns={"Jag funderar ofta på att sluta": "reverse-item"})
    check_employee(survey, "Avdelning", reversed_item="Jag funderar ofta på att sluta")
    assert role_of(survey, "date") == "Svarsdatum"
    # "Vet inte" is no answer, never a zero
    assert survey.frame[survey.items[0].key].isna().sum() == 1


def test_finnish_semicolon_cp1252_csv():
    name, data = ex.finnish_customer_csv()
    survey = load_survey(data, name)
    check_customer(survey, "Osasto", "Vastausaika")
    assert survey.frame["date"].min().strftime("%Y-%m-%d %H:%M") == "2024-03-01 09:00"
    assert role_of(survey, "nps").startswith("Kuinka todennäköisesti suosittelisit")


def test_workbook_with_summary_sheet_and_title_rows():
    name, data = ex.summary_first_workbook()
    survey = load_survey(data, name)
    assert survey.sheet == "Data" and survey.sheets == ("Summary", "Data")
    check_customer(survey, "Unit", "Date")
    assert survey.frame["row"].min() == 5  # header on spreadsheet row 4, data from row 5


def test_reverse_wording_is_suggested_and_scored_reversed_only_when_confirmed():
    """The wording suggests the reverse-worded statement; the answers running against the rest only raise a
    question; neither flips a statement until the user says so."""
    from lib.sample import SAMPLE_COLUMNS, make_sample

    data = make_sample()["employee_survey.xlsx"]
    survey = load_survey(data, "employee_survey.xlsx")
    leaving = "I often think about leaving this organisation"
    assert not any(i.reverse for i in survey.items)
    assert survey.detection.by_name(leaving).suggestion is not None
    notes = " ".join(str(n) for n in survey.notes)
    assert "runs against the other statements" in notes and "“leaving”" in notes
    confirmed = load_survey(data, "employee_survey.xlsx", columns=SAMPLE_COLUMNS)
    assert [i.name for i in confirmed.items if i.reverse] == [leaving]
