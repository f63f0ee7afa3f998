"""The reader's interpretation rules, one generated case each: declared, shown, and overridable."""

from __future__ import annotations

import csv
import io
import json
import random

import numpy as np
import pytest

from lib import cli
from lib.errors import OptionError
from lib.figures.summary import summarize
from lib.survey.frame import NOT_GIVEN, load_survey

from . import exports as ex


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def staff(statements: dict[str, list[object]], extra: dict[str, list[object]] | None = None, n: int = 40) -> bytes:
    """An employee file: an id, a unit, and the given columns (each cycled to ``n`` rows)."""
    cols = {"Respondent ID": [f"P{i}" for i in range(n)], "Team": [["North", "South"][i % 2] for i in range(n)],
            **{k: [v[i % len(v)] for i in range(n)] for k, v in (extra or {}).items()},
            **{k: [v[i % len(v)] for i in range(n)] for k, v in statements.items()}}
    return csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())])


def item(survey, name):
    return next(i for i in survey.items if i.name == name)


# ------------------------------------------------------------------ scales


@pytest.mark.parametrize("labels, key, favourable", [
    (["Strongly disagree", "Disagree", "Agree", "Strongly agree"], "agree4", {"Agree", "Strongly agree"}),
    (["Strongly disagree", "Disagree", "Slightly disagree", "Slightly agree", "Agree", "Strongly agree"], "agree6",
     {"Agree", "Strongly agree"}),
    (["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree", "Agree",
      "Strongly agree"], "agree7", {"Agree", "Strongly agree"}),
])
def test_label_sets_of_4_6_and_7_points(labels, key, favourable):
    """The label set decides the scale; "Somewhat agree" is its own point, and favourable is the top two."""
    data = staff({"I feel valued at work": labels, "My manager supports me": labels[::-1],
                  "I enjoy my work": labels[1:] + labels[:1]}, n=84)  # 84 rows: every label equally often
    s = load_survey(data, "labels.csv", kind="employee")
    sc = item(s, "I feel valued at work").scale
    assert sc.labels == key and (sc.low, sc.high) == (1, len(labels))
    fav = s.frame["favorable"].sum() / s.frame["answered"].sum() * 100
    share = sum(lab in favourable for lab in labels) / len(labels) * 100
    assert fav == pytest.approx(share)


def test_numbers_1_to_4_and_a_1_to_7_item_without_6_or_7():
    data = staff({"I feel valued at work": [1, 2, 3, 4], "My manager supports me": [4, 3, 2, 1, 2]})
    s = load_survey(data, "four.csv", kind="employee")
    assert all((i.scale.low, i.scale.high) == (1, 4) for i in s.items)
    data = staff({"I feel valued at work": [1, 2, 5, 6, 7], "My manager supports me": [1, 3, 7, 6],
                  "I enjoy my work": [1, 2, 3, 4, 5]})
    s = load_survey(data, "seven.csv", kind="employee")
    assert (item(s, "I enjoy my work").scale.low, item(s, "I enjoy my work").scale.high) == (1, 7)
    assert "like the file's other statements" in str(s.detection.by_name("I enjoy my work").reason)


def test_a_stray_answer_is_left_out_and_never_widens_the_scale():
    answers = [1, 2, 3, 4, 5] * 60 + [7]
    data = staff({"I feel valued at work": answers, "My manager supports me": [2, 3, 4, 5]}, n=301)
    s = load_survey(data, "stray.csv", kind="employee")
    assert (item(s, "I feel valued at work").scale.high) == 5
    issue = next(i for i in s.issues if i.column == "I feel valued at work")
    assert issue.count == 1 and "1–5" in str(issue.message)


def test_a_scale_set_by_the_user_in_the_library_and_on_the_command_line(tmp_path, capsys):
    data = staff({"I feel valued at work": [1, 2, 3, 4], "My manager supports me": [2, 3, 4, 1]})
    s = load_survey(data, "set.csv", kind="employee", scales={"I feel valued at work": "1-5"})
    assert (item(s, "I feel valued at work").scale.high, item(s, "My manager supports me").scale.high) == (5, 4)
    with pytest.raises(OptionError):
        load_survey(data, "set.csv", kind="employee", scales={"I feel valued at work": "five"})
    path = tmp_path / "set.csv"
    path.write_bytes(data)
    assert cli.main(["summary", "--employee", str(path), "--scale", "I feel valued at work=1-5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {i["column"]: i["scale"] for i in out["employee"]["items"]}["I feel valued at work"] == [1, 5]


def test_0_to_10_rating_statements_and_the_top_three_points():
    data = staff({"How happy are you with your salary? (0-10)": list(range(11)),
                  "How happy are you with your manager? (0-10)": list(range(10, -1, -1))}, n=44)
    s = load_survey(data, "ratings.csv", kind="employee")
    assert [(i.scale.low, i.scale.high) for i in s.items] == [(0, 10), (0, 10)]
    assert s.frame["favorable"].sum() / s.frame["answered"].sum() == pytest.approx(3 / 11)


# ------------------------------------------------------------------ which columns are statements


def test_ids_levels_flags_and_counts_are_not_statements():
    data = staff({"JobSatisfaction": [1, 2, 3, 4]},
                 extra={"EmployeeNumber": list(range(1, 41)), "JobLevel": [1, 2, 3, 4, 5], "Education": [1, 2, 3, 4, 5],
                        "Remote": [0, 1], "TrainingTimesLastYear": [0, 1, 2, 3, 4, 5, 6], "Age": [25, 31, 44, 52]})
    s = load_survey(data, "hr.csv", kind="employee")
    assert [i.name for i in s.items] == ["JobSatisfaction"]
    for col in ("EmployeeNumber", "JobLevel", "Education", "Remote", "TrainingTimesLastYear", "Age"):
        assert s.detection.by_name(col).role == "ignore", col


def test_a_decimal_engagement_column_is_a_score():
    data = staff({"EngagementSurvey": [4.6, 3.1, 2.25, 5.0, 1.0]}, n=40)
    s = load_survey(data, "score.csv", kind="employee")
    assert s.detection.by_name("EngagementSurvey").role == "score"
    assert summarize(None, s).engagement.index == pytest.approx(np.mean([(v - 1) / 4 * 100 for v in
                                                                        [4.6, 3.1, 2.25, 5.0, 1.0] * 8]))


def test_recommend_statement_on_1_to_5_stays_a_statement():
    """Few answers, 1–5: "I would recommend Acme as a great place to work" is an agree statement, not the eNPS."""
    data = staff({"I would recommend Acme as a great place to work": [1, 2, 3, 4, 5],
                  "I feel valued at work": [2, 3, 4]}, n=12)
    s = load_survey(data, "rec.csv", kind="employee")
    col = s.detection.by_name("I would recommend Acme as a great place to work")
    assert col.role == "item" and not s.has_recommend


def test_an_enps_header_and_a_pulse_question():
    data = staff({"eNPS": list(range(11)), "Where are you this week, on a scale from 1 to 10?": list(range(1, 11)),
                  "I feel valued at work": [1, 2, 3, 4, 5]}, n=44)
    s = load_survey(data, "pulse.csv", kind="employee")
    assert s.detection.by_name("eNPS").role == "enps"
    pulse = s.detection.by_name("Where are you this week, on a scale from 1 to 10?")
    assert pulse.role == "pulse" and (pulse.scale.low, pulse.scale.high) == (1, 10)
    summary = summarize(None, s)
    assert summary.pulse.mean == pytest.approx(np.mean([list(range(1, 11))[i % 10] for i in range(44)]))
    assert summary.pulse.n == 44


def test_recommend_questions_in_other_languages_and_on_1_to_10():
    for header in ("Hur troligt är det att du skulle rekommendera oss till en vän?",
                   "Kuinka todennäköisesti suosittelisit meitä?",
                   "Wie wahrscheinlich würden Sie uns weiterempfehlen?", "Recommanderiez-vous notre magasin ?",
                   "¿Qué tan probable es que nos recomiendes?"):
        rows = [["Kontor", header]] + [[["Malmö", "Lund"][i % 2], 1 + i % 10] for i in range(40)]
        s = load_survey(csv_bytes(rows), "c.csv", kind="customer")
        col = s.detection.by_name(header)
        assert col.role == "nps" and (col.scale.low, col.scale.high) == (1, 10), header
        assert any("1–6" in str(n) for n in s.notes)
        assert s.detection.by_name("Kontor").role == "department"


# ------------------------------------------------------------------ reverse wording


def test_reverse_wording_comes_from_the_words_and_random_answers_flip_nothing():
    rnd = random.Random(1)
    labels = ex.AGREE_EN
    statements = {"I am proud to work here": [], "I often think about leaving": [], "I have the tools I need": [],
                  "Jag känner mig ofta stressad på jobbet": []}
    for _ in range(200):
        for k in statements:
            statements[k].append(rnd.choice(labels))
    s = load_survey(staff(statements, n=200), "random.csv", kind="employee")
    assert not any(i.reverse for i in s.items)
    suggested = {c.name for c in s.detection.columns if c.suggestion is not None}
    assert suggested == {"I often think about leaving", "Jag känner mig ofta stressad på jobbet"}
    confirmed = load_survey(staff(statements, n=200), "random.csv", kind="employee",
                            columns={"I often think about leaving": "reverse-item"})
    assert [i.name for i in confirmed.items if i.reverse] == ["I often think about leaving"]


# ------------------------------------------------------------------ labels, encodings, dates, headers


def test_label_typos_are_matched_and_reported():
    data = staff({"I feel valued at work": ["Agree", "Aagree", "Disgree", "Strongly agree", "Strongly disagree"],
                  "My manager supports me": ["Agree", "Disagree"]})
    s = load_survey(data, "typos.csv", kind="employee")
    points = s.frame[item(s, "I feel valued at work").key].to_numpy()
    assert not np.isnan(points).any()
    notes = " ".join(str(n) for n in s.notes)
    assert "read “Aagree” as “Agree”" in notes and "read “Disgree” as “Disagree”" in notes


def test_a_typo_never_adds_or_drops_a_negation():
    """An outside tester's "Instämmer delvis inte" (partly disagree) had been read as a misspelt "Instämmer delvis"
    (agree). Edit distance alone cannot tell a typo from a negated label."""
    from lib.values.scale_library import library_set
    from lib.values.scales import typo_matches

    agree = library_set("agree5").scale
    assert typo_matches(["Instämer inte", "Instämmer delvs", "Instämmer delvis ej", "Agree not", "Dont agree",
                         "Instämmer inet alls", "Instämmer intealls", "Täysin erimieltä"], agree) \
        == {"Instämer inte": "Instämmer inte", "Instämmer delvs": "Instämmer delvis",
            "Instämmer inet alls": "Instämmer inte alls", "Instämmer intealls": "Instämmer inte alls",
            "Täysin erimieltä": "Täysin eri mieltä"}  # a misspelt negation is still one


def test_cp850_bytes_read_by_the_rule_and_by_choice():
    rows = [["Avdelning", "How likely are you to recommend us?", "Kommentar"]]
    rows += [[["Läkare", "Sjukgymnastik"][i % 2], i % 11, "Mycket bra bemötande på mottagningen"] for i in range(30)]
    data = csv_bytes(rows, "cp850")
    s = load_survey(data, "dos.csv", kind="customer")
    assert any("latin-1+cp850" in str(n) for n in s.notes) and set(s.departments) == {"Läkare", "Sjukgymnastik"}
    chosen = load_survey(data, "dos.csv", kind="customer", encoding="cp850")
    assert set(chosen.departments) == {"Läkare", "Sjukgymnastik"}
    assert not any("encoding" in str(n) for n in chosen.notes)


def test_swedish_google_forms_times_and_finnish_dates():
    rows = [["Tidstämpel", "Jag har lärt mig något nytt", "Jag trivs på jobbet"]]
    rows += [[f"2023-09-{1 + i % 28:02d} 14.5{i % 10}.27", 1 + i % 5, 1 + (i + 2) % 5] for i in range(30)]
    s = load_survey(csv_bytes(rows), "svar.csv", kind="employee")
    assert s.frame["date"].notna().all() and s.frame["date"].iloc[0].strftime("%H:%M:%S") == "14:50:27"
    rows = [["Vastausaika", "Kuinka todennäköisesti suosittelisit meitä?"]]
    rows += [[f"{1 + i % 28}.9.2023 14.{i % 60:02d}", i % 11] for i in range(30)]
    s = load_survey(csv_bytes(rows), "fi.csv", kind="customer")
    assert s.frame["date"].notna().all() and s.frame["date"].dt.month.eq(9).all()


def test_iso_weeks_are_dates():
    rows = [["Vecka", "Jag trivs på jobbet", "Jag har lärt mig något nytt", "Jag ser fram emot nästa vecka"]]
    rows += [[f"2024-W{1 + i % 10:02d}", 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5] for i in range(30)]
    s = load_survey(csv_bytes(rows), "weeks.csv", kind="employee")
    assert s.detection.by_name("Vecka").role == "date"
    assert s.frame["date"].iloc[0] == np.datetime64("2024-01-01") and s.frame["date"].iloc[10] == np.datetime64("2024-01-01")


def test_two_header_rows_with_a_blank_first_row():
    """A SurveyMonkey matrix: the question stands once in row 1 over its sub-items in row 2."""
    top = ["Respondent ID", "Team", "How do you feel about your work?", "", "",
           "How likely is it that you would recommend us to a friend?"]
    sub = ["", "Response", "I feel valued", "I have the tools I need", "I enjoy my work", "Response"]
    rows = [top, sub] + [[f"{1000 + i}", ["A", "B"][i % 2], *(ex.AGREE_EN[(i + j) % 5] for j in range(3)), i % 11]
                         for i in range(30)]
    s = load_survey(csv_bytes(rows), "monkey.csv", kind="employee")
    assert [i.label for i in s.items] == ["I feel valued", "I have the tools I need", "I enjoy my work"]
    assert all(i.name.startswith("How do you feel about your work? - ") for i in s.items)
    assert s.detection.by_name("Team").role == "department"


def test_a_shared_id_with_other_answers_is_kept_and_a_true_duplicate_is_not():
    rows = [["Response ID", "Department", "How likely are you to recommend us?"]]
    rows += [[f"R{i}", ["A", "B"][i % 2], i % 11] for i in range(20)]
    rows += [["R3", "B", 3], ["R5", "B", 9]]  # R3 repeats its answers; R5 is someone else
    s = load_survey(csv_bytes(rows), "dups.csv", kind="customer")
    assert s.skipped_counts() == {"duplicate": 1} and len(s.frame) == 21
    assert any(i.column == "Response ID" and i.count == 1 for i in s.issues)


def test_long_format_with_a_respondent_is_pivoted():
    rows = [["Respondent", "Department", "Question", "Answer"]]
    for p in range(12):
        for q, stmt in enumerate(["I feel valued", "I have the tools I need", "I enjoy my work"]):
            rows.append([f"P{p}", ["A", "B"][p % 2], stmt, ex.AGREE_EN[(p + q) % 5]])
    s = load_survey(csv_bytes(rows), "long.csv", kind="employee")
    assert len(s.frame) == 12 and [i.name for i in s.items] == ["I feel valued", "I have the tools I need",
                                                                  "I enjoy my work"]
    assert any("one row per respondent" in str(n) for n in s.notes)


# ------------------------------------------------------------------ units


def test_no_unit_needed_and_blanks_stay_in_the_headline():
    rows = [["Clinic", "How likely are you to recommend us?"]]
    rows += [[["Malmö", "Lund", ""][i % 3], i % 11] for i in range(30)]
    s = load_survey(csv_bytes(rows), "clinics.csv", kind="customer")
    summary = summarize(s, None)
    assert summary.nps.n == 30
    assert {d.department: d.customer_n for d in summary.departments}[NOT_GIVEN] == 10
    rows = [["How likely are you to recommend us?"]] + [[i % 11] for i in range(30)]
    plain = load_survey(csv_bytes(rows), "plain.csv", kind="customer")
    assert not plain.has_units and summarize(plain, None).nps.n == 30


def test_linkage_says_which_survey_has_no_unit():
    c_rows = [["How likely are you to recommend us?"]] + [[i % 11] for i in range(30)]
    customer = load_survey(csv_bytes(c_rows), "c.csv", kind="customer")
    name, data = ex.ms_forms_employee_xlsx()
    employee = load_survey(data, name)
    s = summarize(customer, employee)
    assert s.linkage is None and any("customer survey has no unit column" in str(w) for w in s.warnings)


def test_a_unit_asked_as_a_question():
    rows = [["Which of our clinics did you visit?", "How likely are you to recommend us?"]]
    rows += [[["Malmö", "Lund"][i % 2], i % 11] for i in range(30)]
    s = load_survey(csv_bytes(rows), "q.csv", kind="customer")
    assert s.detection.by_name("Which of our clinics did you visit?").role == "department"


# ------------------------------------------------------------------ the Data page offers every override


def test_the_data_page_offers_reverse_encoding_and_scale():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    data = staff({"I feel valued at work": [1, 2, 3, 4], "I often think about leaving": [4, 3, 2, 1],
                  "My manager supports me": [2, 3, 4, 1]})
    at.file_uploader(key="uploader").set_value(("staff.csv", data, "text/csv")).run()
    assert not at.exception
    digest, f = next(iter(at.session_state["files"].items()))
    assert any("negatively worded" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Score them reversed").click().run()
    assert at.session_state["files"][digest].columns == {"I often think about leaving": "reverse-item"}
    encoding = next(s for s in at.selectbox if s.label == "Text encoding")
    encoding.select("cp850").run()
    assert at.session_state["files"][digest].encoding == "cp850"
    editor = next(e for e in at.data_editor if "scale" in e.value.columns)
    assert editor.value.set_index("column").loc["I feel valued at work", "scale"] == "1–4"
    assert editor.value.set_index("column").loc["I often think about leaving", "role"] == "statement, reverse-worded"
    assert not at.exception


def test_a_unit_found_by_the_other_surveys_unit_names(tmp_path, capsys):
    """No header names the unit, but one column's values are the employee survey's departments."""
    name, data = ex.ms_forms_employee_xlsx()
    employee = load_survey(data, name)
    rows = [["Visited", "How likely are you to recommend us?"]]
    rows += [[["Sales", "Finance", "Customer Service"][i % 3], i % 11] for i in range(30)]
    alone = load_survey(csv_bytes(rows), "c.csv", kind="customer")
    assert not alone.has_units
    linked = load_survey(csv_bytes(rows), "c.csv", kind="customer", other_units=employee.unit_names)
    col = linked.detection.by_name("Visited")
    assert col.role == "department" and "other survey's units" in str(col.reason)
    c_path, e_path = tmp_path / "c.csv", tmp_path / name
    c_path.write_bytes(csv_bytes(rows))
    e_path.write_bytes(data)
    assert cli.main(["summary", "--customer", str(c_path), "--employee", str(e_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {c["column"]: c["role"] for c in out["customer"]["columns"]}["Visited"] == "department"
    assert out["linkage"] is not None


def test_a_role_and_a_scale_set_in_the_data_page_table_reach_the_reader():
    """The Data page's column table keeps what a person typed (its edited rows) as the file's overrides, which
    the reader then applies."""
    from ui.state import UploadedSurvey

    data = staff({"I feel valued at work": [1, 2, 3, 4], "My manager supports me": [2, 3, 4, 1]})
    f = UploadedSurvey.from_bytes("staff.csv", data)
    s = load_survey(data, f.name, kind="employee")
    detected = {c.name: c.role for c in s.detection.columns}
    scales = {c.name: str(c.scale) if c.scale else "" for c in s.detection.columns}
    names = list(detected)
    f.apply_edits({names.index("I feel valued at work"): {"scale": "1-5"},
                   names.index("Team"): {"role": "segment"}}, detected, scales)
    assert f.scales == {"I feel valued at work": "1-5"} and f.columns == {"Team": "segment"}
    again = load_survey(data, f.name, kind="employee", columns=f.columns, scales=f.scales)
    assert item(again, "I feel valued at work").scale.high == 5 and not again.has_units
    f.apply_edits({names.index("Team"): {"role": "department"}}, detected, scales)  # back to the reader's choice
    assert f.columns == {}


# ------------------------------------------------------------------ issue 21: rules that generalise


QUALTRICS_AGREE5 = ["Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
                    "Strongly agree"]


def test_qualtrics_five_point_somewhat_set_reads_on_five_points():
    """Five labels with "Somewhat" at points 2 and 4 are their own 5-point set, never points 1, 3, 4, 5, 7 of 7."""
    rnd = random.Random(21)
    answers = {f"I feel valued at work {k}": [rnd.choice(QUALTRICS_AGREE5) for _ in range(120)] for k in range(4)}
    s = load_survey(staff(answers, n=120), "qualtrics.csv", kind="employee")
    assert all((i.scale.labels, i.scale.low, i.scale.high) == ("agree5_somewhat", 1, 5) for i in s.items)
    flat = [a for v in answers.values() for a in v]
    points = [QUALTRICS_AGREE5.index(a) + 1 for a in flat]
    fav = s.frame["favorable"].sum() / s.frame["answered"].sum() * 100
    assert fav == pytest.approx(100 * np.mean([p >= 4 for p in points]))
    index = summarize(None, s).engagement.index
    per_person = np.mean([[(QUALTRICS_AGREE5.index(v[i]) / 4) * 100 for v in answers.values()] for i in range(120)], axis=1)
    assert index == pytest.approx(float(np.mean(per_person)))


@pytest.mark.parametrize("labels, key", [
    (["Täysin eri mieltä", "Jokseenkin eri mieltä", "Hieman eri mieltä", "Ei eri eikä samaa mieltä",
      "Hieman samaa mieltä", "Jokseenkin samaa mieltä", "Täysin samaa mieltä"], "agree7_hieman"),
    (["Not at all satisfied", "Slightly satisfied", "Somewhat satisfied", "Very satisfied", "Extremely satisfied"],
     "satisfied5_slightly"),
    (["Not at all important", "Slightly important", "Moderately important", "Very important", "Extremely important"],
     "importance5"),
    (["Extremely unlikely", "Somewhat unlikely", "Neither likely nor unlikely", "Somewhat likely", "Extremely likely"],
     "likely5"),
])
def test_library_sets_are_read_on_their_own_points(labels, key):
    data = staff({"I feel valued at work": labels, "I enjoy my work": labels[::-1], "My manager supports me": labels[1:]},
                 n=len(labels) * 6)
    s = load_survey(data, "library.csv", kind="employee")
    sc = item(s, "I feel valued at work").scale
    assert (sc.labels, sc.low, sc.high) == (key, 1, len(labels))


def test_the_library_states_its_evidence_and_sources_are_listed_in_the_docs():
    from pathlib import Path

    from lib.values.scale_library import LIBRARY

    doc = (Path(__file__).resolve().parent.parent / "docs" / "reading.md").read_text(encoding="utf-8")
    assert all(s.evidence and s.measures for s in LIBRARY)
    assert all(f"`{s.key}`" in doc for s in LIBRARY)


@pytest.mark.parametrize("style", ["Q{n} {text}", "{n}. {text}", "Q{n}_3 {text}", "{n}) {text}", "Q{n} - {text}",
                                   "({letter}) {text}", "Q{n}  {cut}"])
def test_numbered_and_cut_headers_read_their_statement(style):
    texts = ["I have the tools I need to do my job well", "I receive training that makes me effective",
             "My manager gives me useful feedback", "I know what is expected of me at work",
             "I would like to stay here for two years", "I trust the leadership of this company"]
    headers = [style.format(n=k + 1, letter="abcdef"[k], text=t, cut=t[:28] + "…") for k, t in enumerate(texts)]
    data = staff({h: [1 + (i + k) % 5 for i in range(10)] for k, h in enumerate(headers)})
    s = load_survey(data, "numbered.csv", kind="employee")
    assert len(s.items) == len(texts)
    assert all(not i.label.startswith(("Q", "1", "(")) for i in s.items)


def test_a_matrix_stem_is_not_the_statements_name():
    stem = "How much do you agree with the following?"
    data = staff({f"{stem} - {t}": ex.AGREE_EN for t in ("I feel valued", "I enjoy my work", "My team helps me")})
    s = load_survey(data, "stems.csv", kind="employee")
    assert [i.label for i in s.items] == ["I feel valued", "I enjoy my work", "My team helps me"]


@pytest.mark.parametrize("code, evidence", [(9, ""), (99, ""), (-1, ""), (0, " (0 = don't know)"),
                                            (6, " (6 = prefer not to say)")])
def test_codes_for_no_answer_are_counted_out_and_keep_the_scale(code, evidence):
    rnd = random.Random(code)
    cols = {}
    for k in range(4):
        cols[f"I feel valued at work {k}{evidence}"] = [code if rnd.random() < 0.1 else rnd.randint(1, 5) for _ in range(200)]
    s = load_survey(staff(cols, n=200), "codes.csv", kind="employee")
    assert all((i.scale.low, i.scale.high) == (1, 5) for i in s.items)
    points = np.array(list(cols.values()), dtype=float).T
    points[points == code] = np.nan
    expected = np.nanmean((points - 1) / 4 * 100, axis=1)
    assert summarize(None, s).engagement.index == pytest.approx(float(np.nanmean(expected)))
    coded = [i for i in s.issues if "read as no answer" in str(i.message)]
    assert sum(i.count for i in coded) == int(np.isnan(points).sum())


def test_no_answer_labels_in_swedish_and_finnish_and_numbered():
    labels = ex.AGREE_EN + ["Vet ej", "En osaa sanoa", "9 - Don't know", "Prefer not to say"]
    s = load_survey(staff({"I feel valued at work": labels, "I enjoy my work": ex.AGREE_EN}, n=90), "dk.csv",
                    kind="employee")
    points = s.frame[item(s, "I feel valued at work").key]
    assert points.notna().sum() == 90 * 5 // 9 and (item(s, "I feel valued at work").scale.high) == 5


def test_a_yes_no_question_coded_1_and_2_is_never_the_recommend_question():
    data = staff({"Would you recommend this workplace to a friend?": [1, 2, 2, 1, 2],
                  "I feel valued at work": [1, 2, 3, 4, 5], "I enjoy my work": [2, 3, 4, 5, 1]}, n=60)
    s = load_survey(data, "yesno.csv", kind="employee")
    assert not s.has_recommend
    assert s.detection.by_name("Would you recommend this workplace to a friend?").role not in ("enps", "nps", "item")


def test_a_byte_order_mark_inside_cells_keeps_the_zero_answers():
    rows = [["Store", "How likely are you to recommend us?"]]
    rows += [[["North", "South"][i % 2], "\ufeff0 - Not at all likely" if i % 11 == 0 else str(i % 11)] for i in range(66)]
    s = load_survey(csv_bytes(rows), "bom.csv", kind="customer")
    col = s.detection.by_name("How likely are you to recommend us?")
    assert (col.scale.low, col.scale.high) == (0, 10) and summarize(s, None).nps.n == 66


@pytest.mark.parametrize("named", [False, True])
def test_a_placeholder_text_in_the_recommend_column_is_counted_out(named):
    rows = [["Store", "How likely are you to recommend us?"]]
    rows += [[["North", "South"][i % 2], "*redacted*" if i % 3 == 0 else str(i % 11)] for i in range(90)]
    columns = {"How likely are you to recommend us?": "nps"} if named else None
    s = load_survey(csv_bytes(rows), "redacted.csv", kind="customer", columns=columns)
    kept = [i % 11 for i in range(90) if i % 3]
    assert summarize(s, None).nps.n == len(kept)
    assert s.skipped_counts() == {"coded": 30}


def test_one_rating_column_with_several_question_types_is_refused_and_one_part_is_read():
    rnd = random.Random(3)
    rows = [["Survey name", "Store", "Rating"]]
    for i in range(300):
        kind = ["NPS", "CSAT", "CES"][i % 3]
        top, low = {"NPS": (10, 0), "CSAT": (2, 0), "CES": (7, 1)}[kind]
        rows.append([kind, ["North", "South"][i % 2], rnd.randint(low, top)])
    data = csv_bytes(rows)
    from lib.errors import ColumnError

    with pytest.raises(ColumnError, match="different scales"):
        load_survey(data, "mixed.csv", kind="customer", columns={"Rating": "nps"})
    s = load_survey(data, "mixed.csv", kind="customer", columns={"Rating": "nps"}, part={"Survey name": "NPS"})
    nps = [r[2] for r in rows[1:] if r[0] == "NPS"]
    expected = 100 * (np.mean([v >= 9 for v in nps]) - np.mean([v <= 6 for v in nps]))
    got = summarize(s, None).nps
    assert got.n == 100 and got.score == pytest.approx(expected)


def test_part_on_the_command_line_reads_one_question_type(tmp_path, capsys):
    """The mixed-scales message promises --part: without it status 2 and the sentence, with it the part's NPS; a
    column no file has is one sentence too, and a file without the column is read whole."""
    from lib.cli import main

    rnd = random.Random(4)
    rows = [["Survey name", "Store", "Rating"]]
    for i in range(300):
        kind = ["NPS", "CSAT", "CES"][i % 3]
        low, top = {"NPS": (0, 10), "CSAT": (0, 2), "CES": (1, 7)}[kind]
        rows.append([kind, ["North", "South"][i % 2], rnd.randint(low, top)])
    path = tmp_path / "mixed.csv"
    path.write_bytes(csv_bytes(rows))
    base = ["summary", "--customer", str(path), "--customer-column", "Rating=nps", "--json"]
    assert main(base) == 2
    assert "different scales" in capsys.readouterr().err
    assert main([*base, "--part", "Survey name=NPS"]) == 0
    import json

    got = json.loads(capsys.readouterr().out)
    nps = [r[2] for r in rows[1:] if r[0] == "NPS"]
    expected = 100 * (np.mean([v >= 9 for v in nps]) - np.mean([v <= 6 for v in nps]))
    assert got["customer"]["nps"]["n"] == len(nps) and got["customer"]["nps"]["score"] == pytest.approx(expected)
    assert any("100 of 300" in note for note in got["customer"]["notes"])  # the rows left out are said
    assert main([*base, "--part", "Survey=NPS"]) == 2
    assert "No file has a column “Survey”" in capsys.readouterr().err
    from tests import generate as gen

    built = gen.build(gen.Case("plain", "agree5", "plain", "none", "csv", "vendor", "utf-8"))  # no "Survey name" column
    (tmp_path / built.filename).write_bytes(built.data)
    assert main([*base, "--part", "Survey name=NPS", "--employee", str(tmp_path / built.filename), "--min-group", "3"]) == 0
    assert json.loads(capsys.readouterr().out)["employee"]["rows"] == built.expected.rows


def test_the_whole_column_decides_a_late_zero_and_a_wave_sorted_file():
    n = 12_000
    rows = [["Wave", "Team", "How likely are you to recommend this workplace?", "I feel valued at work"]]
    rows += [["2025 Q1" if i < 9_000 else "2025 Q2", ["A", "B"][i % 2], (1 + i % 10) if i < 11_000 else i % 11,
              1 + i % 5] for i in range(n)]
    s = load_survey(csv_bytes(rows), "late.csv", kind="employee")
    col = s.detection.by_name("How likely are you to recommend this workplace?")
    assert col.role == "enps" and (col.scale.low, col.scale.high) == (0, 10)
    assert summarize(None, s).enps.n == n
    assert s.detection.by_name("Wave").role == "segment"


def test_a_first_data_row_of_missing_values_is_not_a_header():
    rows = [["Team", "I feel valued at work", "I enjoy my work", "My manager supports me"], ["A", "NA", "NA", "NA"]]
    rows += [[["A", "B"][i % 2], 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5] for i in range(30)]
    s = load_survey(csv_bytes(rows), "na.csv", kind="employee")
    assert s.total_rows == 31 and [i.name for i in s.items][0] == "I feel valued at work"


def test_numeric_department_codes_and_a_country_offered_as_the_unit():
    rows = [["Department", "I feel valued at work", "I enjoy my work", "My manager supports me"]]
    rows += [[99 if i % 10 == 0 else 1 + i % 14, 1 + i % 5, 1 + (i + 1) % 5, 1 + (i + 2) % 5] for i in range(140)]
    s = load_survey(csv_bytes(rows), "codes.csv", kind="employee")
    assert s.detection.by_name("Department").role == "department"
    assert NOT_GIVEN in s.departments and "99" not in s.departments
    rows = [["Country", "How likely are you to recommend us?"]] + [[["Sweden", "Finland"][i % 2], i % 11]
                                                                   for i in range(44)]
    s = load_survey(csv_bytes(rows), "country.csv", kind="customer")
    col = s.detection.by_name("Country")
    assert col.role == "segment" and "offered as the unit" in str(col.suggestion)
    assert any("offered as the unit" in str(n) for n in s.notes)
    chosen = load_survey(csv_bytes(rows), "country.csv", kind="customer", columns={"Country": "department"})
    assert set(chosen.departments) == {"Sweden", "Finland"}


@pytest.mark.parametrize("labels", [("2024 Q4", "2025 Q1", "2025 Q2"), ("2024-Q4", "2025-Q1", "2025-Q2"),
                                    ("Q4/2024", "Q1/2025", "Q2/2025"), ("kvartal 4 2024", "kvartal 1 2025", "kvartal 2 2025"),
                                    ("Q4 2024", "Q1 2025", "Q2 2025"), ("2024 H2", "2025 H1", "2025 H2")])
def test_wave_names_that_say_a_quarter_are_ordered_as_periods(labels):
    """A Wave column without dates, its names written as people write quarters: waves in time order, not in the
    order of the names' letters (Q1/2025 before Q4/2024); stacked files with such names in time order too."""
    from lib.figures.periods import _waves
    from lib.survey.stacking import in_date_order

    rnd = random.Random(5)
    rows = [["Wave", "Team", "I feel valued at work", "I trust my manager", "I enjoy my work"]]
    rows += [[labels[::-1][i % 3], ["A", "B"][i % 2], *(rnd.randint(1, 5) for _ in range(3))] for i in range(90)]
    s = load_survey(csv_bytes(rows), "waves.csv", kind="employee")
    assert [p.key for p in _waves([s])] == list(labels)
    files = [load_survey(csv_bytes(rows[:1] + rows[1:30]), f"staff {name}.csv", kind="employee") for name in
             (labels[2], labels[0], labels[1])]
    assert [f.name for f in in_date_order(files)] == [f"staff {name}.csv" for name in labels]


# ------------------------------------------------------------------ an outside tester's files (generated here)

SV_GRAD = ["Instämmer inte alls", "Instämmer i liten grad", "Instämmer delvis", "Instämmer till stor del", "Instämmer helt"]


def test_swedish_degree_set_reads_delvis_as_its_midpoint_and_a_team_statement_is_no_segment():
    """"Instämmer delvis" is 3 of 5 beside "till stor del" (never 4, never an answer off the scale), and a statement
    whose header names a team is a statement, its labels never filter values."""
    data = staff({"Jag vet vad som förväntas av mig": SV_GRAD, "Mitt team samarbetar väl": SV_GRAD[::-1] + ["Vet ej"]},
                 n=65)
    s = load_survey(data, "medarbetare.csv", kind="employee")
    for name in ("Jag vet vad som förväntas av mig", "Mitt team samarbetar väl"):
        assert item(s, name).scale.labels == "agree5_grad"
    assert "Mitt team samarbetar väl" not in s.segments and not s.issues
    assert s.frame[item(s, "Jag vet vad som förväntas av mig").key].mean() == pytest.approx(3.0)


def test_four_known_labels_of_an_unknown_five_point_set_are_never_read_on_wrong_points():
    """A set the library does not know, whose labels are mostly known ones: not read (a stray-text reading would put
    them on wrong points), not a segment, and said as a warning beside the figures."""
    labels = ["Instämmer inte alls", "Instämmer inte", "Instämmer ganska mycket", "Instämmer", "Instämmer helt"]
    s = load_survey(staff({"Jag trivs": [1, 2, 3, 4, 5], "Teamet fungerar": labels}, n=40), "x.csv", kind="employee")
    role = s.detection.by_name("Teamet fungerar")
    assert role.role == "ignore" and "Teamet fungerar" not in s.segments
    assert any(i.column == "Teamet fungerar" for i in s.issues)


def test_ambiguous_labels_are_not_read():
    """Only "inte alls", "delvis" and "helt": two five-point sets place "delvis" on different points, so no reading."""
    s = load_survey(staff({"Jag trivs på jobbet": ["Instämmer inte alls", "Instämmer delvis", "Instämmer helt"],
                           "Jag får stöd": [1, 2, 3, 4, 5]}, n=40), "x.csv", kind="employee")
    assert s.detection.by_name("Jag trivs på jobbet").role == "ignore"
    assert any(i.column == "Jag trivs på jobbet" for i in s.issues)


@pytest.mark.parametrize("header", ["What is the main reason for your score?", "Kommentar", "Mitä parantaisit?"])
def test_a_header_asking_for_a_comment_outweighs_repeated_texts(header):
    texts = ["Bra bemötande", "Lång väntetid", "Good service", "", "Dyrt"]
    cols = {"Clinic": [["North", "South", "East"][i % 3] for i in range(90)],
            "How likely is it that you would recommend us to a friend?": [i % 11 for i in range(90)],
            header: [texts[i % 5] for i in range(90)]}
    s = load_survey(csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())]), "c.csv", kind="customer")
    assert s.detection.by_name(header).role == "comment" and header in s.comments
    reason = [["Checkup", "Emergency"][i % 2] for i in range(90)]
    cols = {**cols, "Reason for visit": reason}
    s = load_survey(csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())]), "c.csv", kind="customer")
    assert s.detection.by_name("Reason for visit").role == "segment"


def test_recommend_without_zeros_is_0_to_10_when_the_layout_says_so_and_1_to_10_only_as_weak_evidence():
    from lib.detect.review import review

    scores = [1 + i % 10 for i in range(60)]
    cols = {"Office": [["A", "B"][i % 2] for i in range(60)],
            "Hur troligt är det att du skulle rekommendera oss till en vän?": scores}
    s = load_survey(csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())]), "c.csv", kind="customer")
    nps = s.detection.one("nps")
    assert (nps.scale.low, nps.scale.high) == (1, 10) and "weak evidence" in nps.reason.msgid
    assert any(line.weak and nps.name in line.columns for line in review(s.detection))
    labelled = {**cols, "Hur troligt är det att du skulle rekommendera oss till en vän?":
                [f"{v} - Extremely likely" if v == 10 else v for v in scores]}
    s = load_survey(csv_bytes([list(labelled)] + [list(r) for r in zip(*labelled.values())]), "c.csv", kind="customer")
    assert (s.detection.one("nps").scale.low, s.detection.one("nps").scale.high) == (0, 10)
    sm = [["How likely is it that you would recommend us to a friend or colleague?", "Which office?"],
          ["Response", "Response"]] + [[v, ["A", "B"][i % 2]] for i, v in enumerate(scores)]
    s = load_survey(csv_bytes(sm), "sm.csv", kind="customer")
    assert s.detection.one("nps").scale.low == 0 and "1–6" not in str(s.detection.one("nps").reason)


def test_a_numbered_question_among_numbered_statements_is_read_and_a_left_out_one_is_a_warning():
    cols = {"ID": list(range(60)), "Enhet": [["A", "B", "C"][i % 3] for i in range(60)],
            "Q1 Jag trivs på jobbet": [1 + i % 5 for i in range(60)],
            "Q2 Jag får stöd av min chef": [1 + (i * 3) % 5 for i in range(60)],
            "Q3 Arbetsbelastningen är rimlig": [9 if i % 8 == 0 else 1 + (i * 2) % 5 for i in range(60)]}
    s = load_survey(csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())]), "q.csv", kind="employee")
    assert s.detection.by_name("Q3 Arbetsbelastningen är rimlig").role == "item"
    loose = {k: v for k, v in cols.items() if k != "Q1 Jag trivs på jobbet"}
    loose["Arbetsbelastningen är rimlig"] = loose.pop("Q3 Arbetsbelastningen är rimlig")
    s = load_survey(csv_bytes([list(loose)] + [list(r) for r in zip(*loose.values())]), "q.csv", kind="employee")
    assert s.detection.by_name("Arbetsbelastningen är rimlig").role == "ignore"
    assert any(i.column == "Arbetsbelastningen är rimlig" and i.count == 60 for i in s.issues)


def test_code_kinds_are_translated_where_shown():
    from lib.detect.review import review
    from lib.i18n import get_language, set_language

    cols = {"Enhet": [["A", "B"][i % 2] for i in range(60)], "Q1 Jag trivs på jobbet": [9 if i % 8 == 0 else 1 + i % 5
                                                                                      for i in range(60)]}
    s = load_survey(csv_bytes([list(cols)] + [list(r) for r in zip(*cols.values())]), "q.csv", kind="employee")
    before = get_language()
    set_language("fi")
    try:
        texts = [str(line.text) for line in review(s.detection)]
    finally:
        set_language(before)
    assert any("9 luettiin" in t for t in texts) and not any("a code for no answer" in t for t in texts)
