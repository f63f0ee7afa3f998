"""Real exports from public repositories, read as a new user would: no overrides unless said.

The files live in ../shared/real-exports/ (not in this repository: their licences
differ); every test skips, saying why, when that folder is missing. For each file
the test states the roles a careful analyst would choose and the figures they
would report, each figure computed here a second way, straight from the file
with pandas and the scale written out, not through the reader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.errors import ColumnError, NoResponsesError
from lib.figures.summary import summarize
from lib.survey.frame import NOT_GIVEN, load_survey

FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "real-exports"
AGREE5 = {"strongly disagree": 1, "disagree": 2, "neutral": 3, "agree": 4, "strongly agree": 5}


def real(name: str) -> Path:
    path = FOLDER / name
    if not path.exists():
        pytest.skip(f"{name} is not here: the real exports are read from {FOLDER}, which is missing")
    return path


def nps_of(values: pd.Series) -> tuple[float, int]:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return 100.0 * ((v >= 9).mean() - (v <= 6).mean()), len(v)


def roles(survey) -> dict[str, str]:
    return {c.name: c.role for c in survey.detection.columns}


def engagement_of(points: pd.DataFrame, low: int, high: int) -> tuple[float, float]:
    """(engagement index, favourable %) by the README's definitions, from points on one scale."""
    scaled = (points - low) / (high - low) * 100
    index = scaled.mean(axis=1, skipna=True).dropna().mean()
    answered = points.notna().to_numpy().sum()
    fav_low = high - 2 if high - low + 1 >= 10 else high - 1
    return float(index), float((points >= fav_low).to_numpy().sum() / answered * 100)


# ------------------------------------------------------------------ customer side


def test_carpentrycon_session_feedback():
    """`nps` 0–10 is the NPS; the unit is the session (a training event); no rows are lost."""
    path = real("carpentrycon2020_feedback.csv")
    s = load_survey(path, path.name, kind="customer")
    r = roles(s)
    assert r["nps"] == "nps" and r["session"] == "department"
    score, n = nps_of(pd.read_csv(path)["nps"])
    got = summarize(s, None).nps
    assert got.n == n == 124 and got.score == pytest.approx(score)


def test_carpentries_post_training_1_to_10():
    """`LikelyToRecommend` runs 1–10: 9–10 promoters, 1–6 detractors, said in a note. `Recommend` is an agree
    statement, not the NPS. `MemberSite` (the training event) is the unit; its 51 blanks are all rows without a
    recommend answer, so every answer counts in one of the events."""
    path = real("carpentries_instructor_training_post_2018.csv")
    s = load_survey(path, path.name, kind="customer")
    r = roles(s)
    assert r["LikelyToRecommend"] == "nps" and r["Recommend"] == "item" and r["MemberSite"] == "department"
    assert s.detection.by_name("LikelyToRecommend").scale.low == 1
    assert any("1–10" in str(n) and "1–6" in str(n) for n in s.notes)
    raw = pd.read_csv(path)
    score, n = nps_of(raw["LikelyToRecommend"])
    summary = summarize(s, None)
    assert summary.nps.n == n == 889 and summary.nps.score == pytest.approx(score)
    assert s.skipped_counts() == {"no_score": 967 - 889}
    assert int(raw.loc[raw["LikelyToRecommend"].notna(), "MemberSite"].isna().sum()) == 0
    assert sum(d.customer_n for d in summary.departments) == n
    assert NOT_GIVEN not in {d.department for d in summary.departments}


def test_carpentries_long_term_0_to_10():
    path = real("carpentries_longterm_2017.csv")
    s = load_survey(path, path.name, kind="customer")
    assert roles(s)["Likely-To-Recommend"] == "nps" and not s.has_units
    score, n = nps_of(pd.read_csv(path)["Likely-To-Recommend"])
    got = summarize(s, None).nps
    assert got.n == n == 402 and got.score == pytest.approx(score)


@pytest.mark.parametrize("name, stem", [("rstudio_r_survey_2019_en.xlsx", "recommend R"),
                                        ("rstudio_r_survey_2019_es.xlsx", "recomiendes R")])
def test_r_community_survey_first_recommend_question(name, stem):
    """Two recommend questions (R, then Python) on 1–10, in English and in Spanish: the first is the NPS, the
    second is left out with its reason."""
    path = real(name)
    s = load_survey(path, path.name, kind="customer")
    raw = pd.read_excel(path)
    r_col = next(c for c in raw.columns if stem in c)
    py_col = next(c for c in raw.columns if "Python" in c and ("recommend" in c or "recomiendes" in c))
    assert roles(s)[r_col] == "nps" and roles(s)[py_col] == "ignore"
    assert "second recommend question" in str(s.detection.by_name(py_col).reason)
    score, n = nps_of(raw[r_col])
    got = summarize(s, None).nps
    assert got.n == n and got.score == pytest.approx(score)


def test_sudzilla_rating_read_as_nps_and_said_so():
    """No recommend question; three 0–10 "how would you rate" questions: the first (the event itself) is the NPS,
    and its reason says it was chosen because no recommend question exists."""
    path = real("sudzilla_googleforms.csv")
    s = load_survey(path, path.name, kind="customer")
    raw = pd.read_csv(path)
    first = raw.columns[1]
    assert roles(s)[first] == "nps" and "no recommend question" in str(s.detection.by_name(first).reason)
    score, n = nps_of(raw[first])
    got = summarize(s, None).nps
    assert got.n == n == 39 and got.score == pytest.approx(score)


def test_botanic_dos_and_latin_1_bytes():
    """Latin-1 text with DOS code-page letters: read by the documented rule, said in a note; `nps` 1–10."""
    path = real("botanic_nps_fr.csv")
    s = load_survey(path, path.name, kind="customer")
    assert any("latin-1+cp850" in str(n) for n in s.notes)
    assert roles(s)["nps"] == "nps" and roles(s)["id"] == "id"
    raw = pd.read_csv(path, encoding="latin-1")
    score, n = nps_of(raw["nps"])
    got = summarize(s, None).nps
    assert got.n == n == 13612 and got.score == pytest.approx(score)
    comments = s.frame[s.comments["explication"]].dropna()
    assert comments.str.contains("échange").any()  # 0x82 read as é, not as a control character


def test_learning_r_tsv_with_empty_submissions():
    path = real("learning_r_2018_googleforms.tsv")
    s = load_survey(path, path.name, kind="customer")
    raw = pd.read_csv(path, sep="\t")
    col = next(c for c in raw.columns if "recommend" in c.lower())
    assert roles(s)[col] == "nps"
    score, n = nps_of(raw[col])
    got = summarize(s, None).nps
    assert got.n == n and got.score == pytest.approx(score)
    assert s.skipped_counts()["no_score"] == len(raw) - n


def test_r_survey_2020_short_codes():
    """Re-headed with codes: `Qrecommend` is the NPS (1–10), `Qpython_recommend` the second question; `Qtime` is an
    ISO UTC timestamp."""
    path = real("rstudio_r_survey_2020_es.tsv")
    s = load_survey(path, path.name, kind="customer")
    r = roles(s)
    assert r["Qrecommend"] == "nps" and r["Qpython_recommend"] == "ignore" and r["Qtime"] == "date"
    score, n = nps_of(pd.read_csv(path, sep="\t")["Qrecommend"])
    got = summarize(s, None).nps
    assert got.n == n == 552 and got.score == pytest.approx(score)
    assert s.frame["date"].notna().all()


def test_typeform_without_a_recommend_question_is_refused():
    """0–10 self-ratings are no NPS: the file is refused, saying what is missing."""
    path = real("typeform_opportunite_gp_fr.csv")
    with pytest.raises(ColumnError) as info:
        load_survey(path, path.name, kind="customer")
    assert "recommend question" in str(info.value)


# ------------------------------------------------------------------ employee side


def test_churcharmy_surveymonkey_with_typos():
    """Three agree statements; labels "Aagree" and "Disgree" are read as "Agree" and "Disagree", said in notes.
    No statement has a neutral answer, so the set is the 4-point agree set (the smallest that holds the labels)."""
    path = real("churcharmy_surveymonkey.csv")
    s = load_survey(path, path.name, kind="employee")
    assert len(s.items) == 3 and all(i.scale.labels == "agree4" for i in s.items)
    notes = " ".join(str(n) for n in s.notes)
    assert "read “Aagree” as “Agree”" in notes and "read “Disgree” as “Disagree”" in notes
    raw = pd.read_csv(path, header=0, skiprows=[1])
    agree4 = {"strongly disagree": 1, "disagree": 2, "disgree": 2, "agree": 3, "aagree": 3, "strongly agree": 4}
    cols = [c for c in raw.columns if c.startswith("To what extent do you agree")]
    points = raw[cols].apply(lambda col: col.str.strip().str.lower().map(agree4))
    index, fav = engagement_of(points, 1, 4)
    e = summarize(None, s).engagement
    assert e.n == 16 and e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav)


def test_lund_swedish_pulse_with_dotted_times():
    path = real("lund_pulse_sv.csv")
    s = load_survey(path, path.name, kind="employee")
    assert roles(s)["Tidstämpel"] == "date" and s.frame["date"].notna().all()
    assert s.frame["date"].iloc[0] == pd.Timestamp("2023-09-29 14:54:27")
    assert len(s.items) == 5 and all((i.scale.low, i.scale.high) == (1, 5) for i in s.items)
    raw = pd.read_csv(path)
    index, fav = engagement_of(raw.iloc[:, 1:], 1, 5)
    e = summarize(None, s).engagement
    assert e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav) and e.n == 21


def test_pierce_long_format_without_respondent_is_refused():
    """One row per answer, and `Response ID` is unique per answer (the data dictionary says so): answers cannot be
    put together per person, so the file is refused with how to export it."""
    path = real("pierce_hr_survey_long.xlsx")
    with pytest.raises(NoResponsesError) as info:
        load_survey(path, path.name, kind="employee")
    assert "one row per answer" in str(info.value) and "one row per respondent" in str(info.value)


def test_ibm_hr_extract_statements_only_from_attitudes():
    """Five 1–4 ratings (satisfaction, involvement, balance) are the statements, read on 1–4; ids, levels,
    education, counts and money are not statements."""
    path = real("ibm_hr_attrition.csv")
    s = load_survey(path, path.name, kind="employee")
    cols = ["EnvironmentSatisfaction", "JobInvolvement", "JobSatisfaction", "RelationshipSatisfaction", "WorkLifeBalance"]
    assert sorted(i.name for i in s.items) == sorted(cols)
    assert all((i.scale.low, i.scale.high) == (1, 4) for i in s.items)
    r = roles(s)
    for fact in ("Education", "JobLevel", "StockOptionLevel", "TrainingTimesLastYear", "EmployeeNumber",
                 "PerformanceRating", "MonthlyIncome", "EmployeeCount", "YearsAtCompany"):
        assert r[fact] == "ignore", fact
    assert r["Department"] == "department"
    index, fav = engagement_of(pd.read_csv(path)[cols], 1, 4)
    e = summarize(None, s).engagement
    assert e.n == 1470 and e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav)


def test_huebner_hr_extract_with_a_decimal_engagement_score():
    """`EngagementSurvey` (decimals 1–5) is each person's engagement score; `EmpSatisfaction` the one statement;
    department names padded with spaces are trimmed; the date of birth is not a response date."""
    path = real("hrdataset_v14.csv")
    s = load_survey(path, path.name, kind="employee")
    r = roles(s)
    assert r["EngagementSurvey"] == "score" and r["EmpSatisfaction"] == "item" and r["Department"] == "department"
    assert r["DOB"] == "ignore" and r["EmpID"] != "item" and r["PerfScoreID"] == "ignore"
    raw = pd.read_csv(path)
    summary = summarize(None, s)
    assert summary.engagement.index == pytest.approx(((raw["EngagementSurvey"] - 1) / 4 * 100).mean())
    assert summary.engagement.favorable_pct == pytest.approx((raw["EmpSatisfaction"] >= 4).mean() * 100)
    sizes = {d.department: d.employee_n for d in summary.departments}
    assert sizes["Production"] == 209 and sizes["Executive Office"] == 1


def test_kubernetes_surveymonkey_matrix_headers():
    """Row 1 is mostly blank (matrix questions): names join the question and the sub-item, so every column has a
    meaningful name. The four agree statements are the statements (their header states 1–5); the two negatively
    worded ones are suggested as reverse-worded; challenge ratings are not statements."""
    path = real("k8s_contribex_2019_surveymonkey.csv")
    s = load_survey(path, path.name, kind="employee")
    assert len(s.items) == 4 and all(i.name.startswith("Do you agree with the following statements") for i in s.items)
    assert not any(c.role == "item" and c.name.startswith("Please rate any challenges") for c in s.detection.columns)
    suggested = [c.label for c in s.detection.columns if c.suggestion is not None]
    assert len(suggested) == 2 and any("severely" in x for x in suggested) and any("too many" in x for x in suggested)
    assert not any(c.startswith("Response") for c in s.frame.columns)
    raw = pd.read_csv(path, header=None, skiprows=2, dtype=str)
    header = pd.read_csv(path, header=None, nrows=2, dtype=str)
    first = header.iloc[1].tolist().index(next(x for x in header.iloc[1] if str(x).startswith('"I understand')))
    points = raw.iloc[:, first:first + 4].apply(lambda col: col.str.extract(r"^(\d)")[0].astype(float))
    index, fav = engagement_of(points, 1, 5)
    e = summarize(None, s).engagement
    assert e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav)


def test_qualtrics_pulse_with_pseudonymised_departments_and_a_shared_id():
    """`Department` holds one code per person, so it is no unit; one ResponseId is shared by two different people:
    both are kept and reported."""
    path = real("covid_pulse_qualtrics.csv")
    s = load_survey(path, path.name, kind="employee")
    assert roles(s)["Department"] == "ignore" and not s.has_units
    assert len(s.frame) == 242 and not s.skipped
    assert any("respondent id" in str(i.message) for i in s.issues)
    raw = pd.read_csv(path, header=0, skiprows=[1, 2])
    points = raw[["Q1", "Q3", "Q5", "Q7", "Q9"]].apply(lambda col: col.str.lower().map(AGREE5))
    index, fav = engagement_of(points, 1, 5)
    e = summarize(None, s).engagement
    assert e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav)


def test_data_professionals_rate_their_job_on_0_to_10():
    """Six "How happy are you … (Salary)" ratings on 0–10 are statements; favourable is the top three points."""
    path = real("data_professional_survey.xlsx")
    s = load_survey(path, path.name, kind="employee")
    assert len(s.items) == 6 and all((i.scale.low, i.scale.high) == (0, 10) for i in s.items)
    raw = pd.read_excel(path)
    cols = [c for c in raw.columns if "Happy" in c]
    index, fav = engagement_of(raw[cols], 0, 10)
    e = summarize(None, s).engagement
    assert e.n == 630 and e.index == pytest.approx(index) and e.favorable_pct == pytest.approx(fav)
    assert np.isclose(fav, 100 * (raw[cols] >= 8).to_numpy().sum() / raw[cols].notna().to_numpy().sum())


def test_every_real_file_runs_without_a_warning(recwarn):
    """A successful read prints nothing to stderr: no RuntimeWarning from the reader."""
    for path in sorted(real("README.md").parent.iterdir()):
        if path.suffix in (".csv", ".tsv", ".xlsx"):
            try:
                s = load_survey(path, path.name)
                summarize(s if s.kind == "customer" else None, s if s.kind == "employee" else None)
            except (ColumnError, NoResponsesError):
                pass
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in recwarn]


PAGES = ["pages/data.py", "pages/overview.py", "pages/customer.py", "pages/engagement.py", "pages/linkage.py"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["carpentrycon2020_feedback.csv", "botanic_nps_fr.csv", "churcharmy_surveymonkey.csv",
                                  "lund_pulse_sv.csv", "pierce_hr_survey_long.xlsx", "hrdataset_v14.csv",
                                  "k8s_contribex_2019_surveymonkey.csv", "covid_pulse_qualtrics.csv",
                                  "typeform_opportunite_gp_fr.csv", "data_professional_survey.xlsx"])
def test_every_page_of_the_app_takes_the_real_file(name):
    """Uploaded as a new user would, each file gives every page without an exception: figures, or a message."""
    from streamlit.testing.v1 import AppTest

    path = real(name)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="uploader").set_value((name, path.read_bytes(), "application/octet-stream")).run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    refusals = {"typeform_opportunite_gp_fr.csv": "recommend question", "pierce_hr_survey_long.xlsx": "one row per answer"}
    if name in refusals:  # the Data page says why in one sentence
        at.switch_page("pages/data.py").run()
        assert any(refusals[name] in e.value for e in at.error), [e.value for e in at.error]
