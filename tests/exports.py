"""Survey exports laid out exactly as the tools write them (docs/formats.md).

Every generator returns ``(filename, bytes)`` built from the same small answer
sets below, so each test can compute the expected figures by hand from
``CUSTOMER`` and ``EMPLOYEE`` and compare them with what the engine reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from openpyxl import Workbook

# (department, when, NPS answer 0–10)
CUSTOMER: list[tuple[str, dt.datetime, int]] = []
_SCORES = {
    "Sales": [10, 9, 9, 8, 7, 6, 3, 10, 9, 9, 8, 5],
    "Finance": [0, 5, 6, 7, 9, 10, 8, 8, 6, 4, 7, 9],
    "Customer Service": [9, 9, 10, 10, 6, 7, 2, 9, 10, 8, 9, 10],
}
for d_i, (dept, scores) in enumerate(_SCORES.items()):
    for i, s in enumerate(scores):
        CUSTOMER.append((dept, dt.datetime(2024, 3, 1 + i, 9 + d_i, 5 * i, 11), s))

# (department, when, [4 statements as points 1–5, None = "don't know"], eNPS 0–10); statement 4 is reverse-worded
EMPLOYEE: list[tuple[str, dt.datetime, list[int | None], int]] = []
_EMP = {
    "Sales": [([4, 5, 4, 2], 9), ([5, 5, 4, 1], 10), ([3, 4, 4, 3], 7), ([4, 4, None, 2], 8), ([2, 3, 2, 4], 5),
              ([5, 4, 5, 1], 9)],
    "Finance": [([3, 3, 4, 3], 6), ([2, 2, 3, 4], 4), ([4, 3, 3, 2], 7), ([3, 2, 2, 5], 3), ([4, 4, 4, 2], 8)],
    "Customer Service": [([5, 5, 5, 1], 10), ([4, 5, 4, 2], 9), ([4, 4, 3, 2], 8), ([3, 4, 4, 3], 7), ([5, 4, 4, 1], 9),
                         ([4, 4, 5, 2], 10), ([None, 3, 4, 3], 6)],
    "Legal": [([3, 3, 3, 3], 6), ([4, 4, 4, 2], 8)],  # below the anonymity threshold
}
for d_i, (dept, people) in enumerate(_EMP.items()):
    for i, (pts, enps) in enumerate(people):
        EMPLOYEE.append((dept, dt.datetime(2024, 3, 14, 9 + i, 2 + d_i, 11), pts, enps))

STATEMENTS = [
    "I have the tools I need to do my job",
    "My manager gives me regular feedback",
    "I see myself working here in two years",
    "I often think about quitting",
]
REVERSE = STATEMENTS[3]
AGREE_EN = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
AGREE_EX = ["Strongly Disagree", "Disagree", "Neither Agree nor Disagree", "Agree", "Strongly Agree"]
AGREE_MS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
AGREE_SV = ["Instämmer inte alls", "Instämmer inte", "Varken eller", "Instämmer", "Instämmer helt"]
AGREE_FI = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "En samaa enkä eri mieltä", "Jokseenkin samaa mieltä",
            "Täysin samaa mieltä"]


def _label(points: int | None, labels: list[str], dont_know: str) -> str:
    return dont_know if points is None else labels[points - 1]


def _xlsx(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[object]], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


# ------------------------------------------------------------------ Qualtrics

QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
                  "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
QUALTRICS_META_TEXT = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                       "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                       "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                       "Distribution Channel", "User Language"]
QUALTRICS_META_IMPORT = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
                         "recordedDate", "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail",
                         "externalDataReference", "locationLatitude", "locationLongitude", "distributionChannel",
                         "userLanguage"]
NPS_TEXT = "How likely is it that you would recommend [INSERT COMPANY NAME HERE] to a friend or colleague?"


def _qualtrics_meta_row(i: int, when: dt.datetime, status: str = "IP Address", as_text: bool = True) -> list[object]:
    stamp = when.strftime("%Y-%m-%d %H:%M:%S") if as_text else when
    return [stamp, stamp, status, "", 100, 60 + i, "True", stamp, f"R_{i:015d}"[:17], "", "", "", "", "", "",
            "anonymous", "EN"]


def qualtrics_customer_csv() -> tuple[str, bytes]:
    """Qualtrics "Data Table" CSV: 3 header rows, NPS group column before the score, a preview row."""
    row1 = QUALTRICS_META + ["Department", "Q2_NPS_GROUP", "Q2", "Q3"]
    row2 = QUALTRICS_META_TEXT + ["Department", NPS_TEXT + " - Group", NPS_TEXT,
                                  "What is the main reason for your score?\nPlease be specific."]
    row3 = [json.dumps({"ImportId": x}) for x in QUALTRICS_META_IMPORT] + [
        json.dumps({"ImportId": "Department"}), json.dumps({"ImportId": "QID2_NPS_GROUP"}),
        json.dumps({"ImportId": "QID2"}), json.dumps({"ImportId": "QID3_TEXT"})]
    rows = [row1, row2, row3]
    group = lambda s: "Promoter" if s >= 9 else "Passive" if s >= 7 else "Detractor"  # noqa: E731
    for i, (dept, when, score) in enumerate(CUSTOMER):
        rows.append(_qualtrics_meta_row(i, when) + [dept, group(score), score, "Fine, thanks" if i % 4 == 0 else ""])
    rows.append(_qualtrics_meta_row(99, CUSTOMER[0][1], "Survey Preview") + ["Sales", "Promoter", 10, "test"])
    return "qualtrics_customer.csv", _csv(rows).encode("utf-8")


def qualtrics_employee_xlsx(import_row: bool = True) -> tuple[str, bytes]:
    """Qualtrics EX XLSX: export tags, question text, (ImportIds); `Parent Unit`; matrix statements; eNPS."""
    stem = "How much do you agree with the following statements?"
    enps_text = "How likely are you to recommend Contoso as a place to work to a friend or colleague?"
    row1 = QUALTRICS_META + ["Parent Unit", "Q1_1", "Q1_2", "Q1_3", "Q1_4", "Q2_NPS_GROUP", "Q2"]
    row2 = QUALTRICS_META_TEXT + ["Parent Unit", *[f"{stem} - {s}" for s in STATEMENTS], enps_text + " - Group", enps_text]
    row3 = [json.dumps({"ImportId": x}) for x in QUALTRICS_META_IMPORT] + [
        json.dumps({"ImportId": "Parent Unit"}), *[json.dumps({"ImportId": f"QID1_{j}"}) for j in range(1, 5)],
        json.dumps({"ImportId": "QID2_NPS_GROUP"}), json.dumps({"ImportId": "QID2"})]
    rows: list[list[object]] = [row1, row2] + ([row3] if import_row else [])
    for i, (dept, when, pts, enps) in enumerate(EMPLOYEE):
        group = "Promoter" if enps >= 9 else "Passive" if enps >= 7 else "Detractor"
        rows.append(_qualtrics_meta_row(i, when, "IP Address", as_text=False)
                    + [dept, *[_label(p, AGREE_EX, "") or None for p in pts], group, enps])
    name = "qualtrics_employee.xlsx" if import_row else "qualtrics_employee_2rows.xlsx"
    return name, _xlsx([("Sheet0", rows)])


# --------------------------------------------------------------- SurveyMonkey


def surveymonkey_employee_xlsx() -> tuple[str, bytes]:
    """SurveyMonkey XLSX: question text in row 1 (blank across its block), sub-labels in row 2."""
    enps_q = "How likely is it that you would recommend this company as a place to work to a friend or colleague?"
    row1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
            "Last Name", "Custom Data 1", "Which department do you work in?", None, enps_q,
            "Please indicate how much you agree with the following statements.", None, None, None,
            "Which benefits do you use?", None, None, "What could we do better?"]
    row2 = [None] * 9 + ["Response", "Other (please specify)", "Response", *STATEMENTS, "Gym", "Lunch", "Remote work",
                         "Open-Ended Response"]
    rows: list[list[object]] = [row1, row2]
    for i, (dept, when, pts, enps) in enumerate(EMPLOYEE):
        stamp = when.strftime("%m/%d/%Y %I:%M:%S %p")
        rows.append([114230587712 + i, 431287765, stamp, stamp, None, None, None, None, None, dept, None,
                     "10 - Extremely likely" if enps == 10 else ("0 - Not at all likely" if enps == 0 else enps),
                     *[_label(p, AGREE_EN, "N/A") for p in pts], "Gym" if i % 2 else None, None,
                     "Remote work" if i % 3 else None, "More training" if i % 5 == 0 else None])
    return "surveymonkey_employee.xlsx", _xlsx([("Sheet", rows)])


# --------------------------------------------------------------- Google Forms


def google_forms_customer_csv() -> tuple[str, bytes]:
    """Google Forms CSV: Timestamp first, every field quoted, M/D/YYYY timestamps, department as a question."""
    rows: list[list[object]] = [["Timestamp", "Email Address", "Which office did you visit?",
                                 "How likely are you to recommend us to a friend or colleague?", "Any other comments? "]]
    for i, (dept, when, score) in enumerate(CUSTOMER):
        stamp = f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}:{when.second:02d}"
        rows.append([stamp, f"person{i}@example.com", dept, score, "Great" if i % 3 == 0 else ""])
    return "Customer feedback (Responses).csv", _csv(rows, quoting=csv.QUOTE_ALL).encode("utf-8")


# ------------------------------------------------------------ Microsoft Forms


def ms_forms_employee_xlsx() -> tuple[str, bytes]:
    """Microsoft Forms XLSX: ID, times as real datetimes, one column per Likert statement, `;`-joined multi-select."""
    rows: list[list[object]] = [["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
                                 "Which department do you belong to?",
                                 "How likely are you to recommend Contoso as a place to work?", *STATEMENTS,
                                 "Which benefits do you use?"]]
    for i, (dept, when, pts, enps) in enumerate(EMPLOYEE):
        rows.append([i + 1, when - dt.timedelta(minutes=5), when, "anonymous", None, None, dept, enps,
                     *[_label(p, AGREE_MS, None) if p else None for p in pts], "Gym;Remote work;" if i % 2 else "Lunch;"])
    return "Employee pulse(1-19).xlsx", _xlsx([("Sheet1", rows)])


# -------------------------------------------------------------------- Nordic


def swedish_employee_xlsx() -> tuple[str, bytes]:
    """A Netigate-style Swedish export: Avdelning, Svarsdatum as ISO text, Swedish labels and "Vet inte"."""
    statements = ["Jag har de verktyg jag behöver", "Min chef ger mig regelbunden återkoppling",
                  "Jag ser mig själv arbeta här om två år", "Jag funderar ofta på att sluta"]
    rows: list[list[object]] = [["Respondent-ID", "Svarsdatum", "Avdelning", *statements,
                                 "Hur troligt är det att du skulle rekommendera Företaget som arbetsgivare till en vän "
                                 "eller kollega?",
                                 "Kommentar"]]
    for i, (dept, when, pts, enps) in enumerate(EMPLOYEE):
        rows.append([f"SE-{1000 + i}", when.strftime("%Y-%m-%d %H:%M"), dept, *[_label(p, AGREE_SV, "Vet inte") for p in pts],
                     enps, "Bra arbetsplats, men hög arbetsbelastning ibland" if i % 4 == 0 else None])
    return "medarbetarundersokning.xlsx", _xlsx([("Svar", rows)])


def finnish_customer_csv() -> tuple[str, bytes]:
    """A Webropol-style Finnish CSV saved from Excel: `;` delimiter, cp1252, D.M.YYYY with a dotted time."""
    rows: list[list[object]] = [["Vastaaja", "Vastausaika", "Osasto",
                                 "Kuinka todennäköisesti suosittelisit Yritystä ystävällesi tai kollegallesi?", "Miksi?"]]
    for i, (dept, when, score) in enumerate(CUSTOMER):
        rows.append([i + 1, f"{when.day}.{when.month}.{when.year} {when.hour}.{when.minute:02d}", dept, score,
                     "Hyvä palvelu" if i % 5 == 0 else "" ])
    return "asiakaskysely.csv", _csv(rows, delimiter=";").encode("cp1252")


def summary_first_workbook() -> tuple[str, bytes]:
    """A hand-made workbook: a summary sheet first, then the data under two title rows and a blank row."""
    summary = [["Customer feedback – summary"], [None], ["Department", "Responses"],
               *[[d, len(s)] for d, s in _SCORES.items()]]
    data: list[list[object]] = [["Customer feedback Q1 2024"], ["Exported 2024-04-02 by the service desk"], [None],
                                ["Date", "Unit", "Likelihood to recommend (NPS)", "Comment"]]
    for dept, when, score in CUSTOMER:
        data.append([when.date(), dept, score, None])
    data.append([None, None, None, None])
    return "feedback_report.xlsx", _xlsx([("Summary", summary), ("Data", data)])


ALL_LAYOUTS = {
    "qualtrics_csv": qualtrics_customer_csv,
    "qualtrics_xlsx_3rows": qualtrics_employee_xlsx,
    "qualtrics_xlsx_2rows": lambda: qualtrics_employee_xlsx(import_row=False),
    "surveymonkey_xlsx": surveymonkey_employee_xlsx,
    "google_forms_csv": google_forms_customer_csv,
    "ms_forms_xlsx": ms_forms_employee_xlsx,
    "swedish_xlsx": swedish_employee_xlsx,
    "finnish_csv": finnish_customer_csv,
    "summary_first_xlsx": summary_first_workbook,
}


# ----------------------------------------------------------- expected values


def expected_nps(scores: list[int]) -> float:
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100.0 * (promoters - detractors) / len(scores)


def expected_engagement(people: list[list[int | None]], reverse: int | None = 3) -> tuple[float, float]:
    """(index, favourable %) computed the long way: rescale, flip, mean per person, mean of people."""
    scores, fav, answered = [], 0, 0
    for pts in people:
        vals = []
        for j, p in enumerate(pts):
            if p is None:
                continue
            q = 6 - p if j == reverse else p
            vals.append(100.0 * (q - 1) / 4)
            answered += 1
            fav += q >= 4
        if vals:
            scores.append(sum(vals) / len(vals))
    return sum(scores) / len(scores), 100.0 * fav / answered


# ------------------------------------------------------------- anonymity attacks

#: The staff survey the anonymity attacks run on: small departments, one manager in each, answers spread over
#: ten days, and one department spelled two ways ("Field – North" and "field - north ").
SMALL_TEAMS = {"Sales": 14, "Support": 11, "Legal": 2, "Finance": 7, "Field – North": 9, "IT": 12}
SMALL_TEAMS_ENPS = "How likely are you to recommend Acme as a place to work?"
SMALL_TEAMS_COMMENT = "Anything else you want to tell us?"


def small_teams_employee_csv(seed: int = 7) -> tuple[str, bytes]:
    """A staff survey with one manager per department; every comment names its writer ("comment from person 12")."""
    import random

    rnd = random.Random(seed)
    header = ["Respondent ID", "Submitted", "Department", "Role", "Tenure", *STATEMENTS, SMALL_TEAMS_ENPS,
              SMALL_TEAMS_COMMENT]
    rows: list[list[object]] = [header]
    person = 0
    for dept, size in SMALL_TEAMS.items():
        for i in range(size):
            person += 1
            role = "Manager" if i == 0 else ("Specialist" if i % 3 == 0 else "Staff")
            spelled = "field - north " if dept == "Field – North" and i % 2 else dept
            when = dt.datetime(2026, 9, 1 + (person * 7) % 10, 8 + person % 9, person % 60)
            points = [rnd.randint(1, 5) for _ in STATEMENTS]
            rows.append([f"R{person:03d}", when.isoformat(sep=" "), spelled, role, "< 2 years" if i % 2 else "2+ years",
                         *[AGREE_EN[p - 1] for p in points], rnd.randint(0, 10),
                         f"comment from person {person}" if person % 4 else ""])
    return "staff_survey.csv", _csv(rows).encode()
