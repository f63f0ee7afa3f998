"""Sample data for demos: a customer NPS survey and an employee engagement survey.

``python -m lib make-sample`` writes ``sample_data/customer_survey.xlsx`` and
``sample_data/employee_survey.xlsx``. Everything comes from a fixed seed and the
workbooks carry fixed timestamps, so the bytes are the same on every run.

What the demo shows: 12 departments of an occupational-health provider; a year
of customer answers with a few preview responses and blanks (rows left out);
one employee survey wave with 10 statements (one reverse-worded), an eNPS
question and comments; "Pharmacy Services" has only 3 employee responses (below
the anonymity threshold); "Home Care" is called "Homecare" in the employee file
(map them on the Data page); and departments with more engaged staff tend to
have more loyal customers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np

SEED = 20261122
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

DEPARTMENTS: tuple[tuple[str, str, float, int, int], ...] = (
    # customer name, employee name, engagement level (0–100), customers, employees
    ("Occupational Health Stockholm", "Occupational Health Stockholm", 74, 420, 58),
    ("Occupational Health Gothenburg", "Occupational health Gothenburg", 66, 360, 44),
    ("Occupational Health Helsinki", "Occupational Health Helsinki", 71, 330, 40),
    ("Physiotherapy – Central", "physiotherapy - central", 62, 280, 31),
    ("Home Care", "Homecare", 55, 300, 36),
    ("IT Service Desk", "IT Service Desk", 49, 260, 27),
    ("Payroll Services", "Payroll Services", 58, 150, 18),
    ("Customer Support", "Customer Support", 52, 310, 39),
    ("Field Service North", "Field Service North", 60, 190, 22),
    ("Field Service South", "Field Service South", 68, 210, 25),
    ("Rehabilitation", "Rehabilitation", 77, 170, 21),
    ("Pharmacy Services", "Pharmacy Services", 63, 140, 3),
)

STATEMENTS: tuple[tuple[str, bool], ...] = (
    ("I know what is expected of me at work", False),
    ("I have the tools and equipment I need to do my job well", False),
    ("My manager gives me regular, useful feedback", False),
    ("I feel my work makes a difference for our clients", False),
    ("I would like to be working here in two years' time", False),
    ("I often think about leaving this organisation", True),
    ("My team works well together", False),
    ("I have opportunities to learn and grow", False),
    ("Workload in my team is manageable", False),
    ("I am proud to work here", False),
)
AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
CUSTOMER_REASONS = (
    "Quick appointment and friendly staff", "Had to wait too long on the phone", "Very professional",
    "The booking system was confusing", "Great follow-up after my visit", "Nobody called me back",
    "Clear advice, thank you", "Felt rushed during the appointment",
)
EMPLOYEE_COMMENTS = (
    "More time for each client would help", "Better scheduling tools", "I like my colleagues",
    "Clearer priorities from management", "Training budget is too small", "Flexible hours are great",
)

NPS_QUESTION = "How likely is it that you would recommend us to a friend or colleague?"
ENPS_QUESTION = "How likely are you to recommend Northwind Care as a place to work to a friend?"


def _nps_target(engagement: float, rng: np.random.Generator) -> float:
    return float(np.clip(-20 + 1.3 * (engagement - 45) + rng.normal(0, 8), -60, 80))


def _scores(target_nps: float, n: int, rng: np.random.Generator) -> np.ndarray:
    p_det = float(np.clip(0.38 - target_nps / 260, 0.04, 0.9))
    p_pro = float(np.clip(p_det + target_nps / 100, 0.03, 0.95))
    p_pas = max(0.02, 1 - p_det - p_pro)
    total = p_det + p_pas + p_pro
    group = rng.choice(3, size=n, p=[p_det / total, p_pas / total, p_pro / total])
    det = rng.choice(7, size=n, p=[0.04, 0.04, 0.07, 0.1, 0.15, 0.25, 0.35])
    pas = rng.choice([7, 8], size=n, p=[0.45, 0.55])
    pro = rng.choice([9, 10], size=n, p=[0.5, 0.5])
    return np.where(group == 0, det, np.where(group == 1, pas, pro))


def customer_rows(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    header = ["Response ID", "Status", "Completion time", "Department", "Channel", NPS_QUESTION,
              "What is the main reason for your score?"]
    rows: list[list[object]] = []
    start = dt.datetime(2025, 11, 1, 8, 0)
    for name, _, engagement, n, _ in DEPARTMENTS:
        target = _nps_target(engagement, rng)
        scores = _scores(target, n, rng)
        days = rng.integers(0, 365, size=n)
        minutes = rng.integers(0, 9 * 60, size=n)
        channels = rng.choice(["Visit", "Phone", "Video"], size=n, p=[0.6, 0.25, 0.15])
        for i in range(n):
            score: object = int(scores[i])
            if score == 10:
                score = "10 - Extremely likely"
            elif score == 0:
                score = "0 - Not at all likely"
            if rng.random() < 0.01:
                score = None
            comment = CUSTOMER_REASONS[int(rng.integers(len(CUSTOMER_REASONS)))] if rng.random() < 0.3 else None
            when = start + dt.timedelta(days=int(days[i]), minutes=int(minutes[i]))
            rows.append([None, "IP Address", when, name, str(channels[i]), score, comment])
    order = np.argsort([r[2] for r in rows], kind="stable")
    rows = [rows[i] for i in order]
    for i in (5, 17, 40):
        rows[i][1] = "Survey Preview"
    for i, r in enumerate(rows):
        r[0] = f"R_{i + 1:06d}"
    return header, rows


def employee_rows(rng: np.random.Generator) -> tuple[list[str], list[list[object]]]:
    header = ["Respondent ID", "Submitted", "Department", "Role", "Tenure",
              *[s for s, _ in STATEMENTS], ENPS_QUESTION, "What would make this a better place to work?"]
    rows: list[list[object]] = []
    start = dt.datetime(2026, 9, 7, 8, 0)
    rid = 5001
    for _, name, engagement, _, n in DEPARTMENTS:
        for _ in range(n):
            person = rng.normal(engagement, 12)
            answers: list[object] = []
            for _, rev in STATEMENTS:
                latent = (person - 50) / 25 + rng.normal(0, 0.8)
                if rev:
                    latent = -latent
                point = int(np.clip(np.round(3 + 1.3 * latent), 1, 5))
                answers.append("Don't know" if rng.random() < 0.02 else AGREE[point - 1])
            enps = int(np.clip(np.round(rng.normal((person - 20) / 5.5, 1.8)), 0, 10))
            when = start + dt.timedelta(days=int(rng.integers(0, 14)), minutes=int(rng.integers(0, 600)))
            comment = EMPLOYEE_COMMENTS[int(rng.integers(len(EMPLOYEE_COMMENTS)))] if rng.random() < 0.25 else None
            rows.append([rid, when, name, str(rng.choice(["Clinician", "Administrator", "Manager", "Technician"],
                                                        p=[0.5, 0.25, 0.1, 0.15])),
                         str(rng.choice(["< 1 year", "1-3 years", "3-10 years", "> 10 years"])), *answers, enps, comment])
            rid += 1
    order = np.argsort([r[1] for r in rows], kind="stable")
    return header, [rows[i] for i in order]


def workbook_bytes(header: list[str], rows: list[list[object]], sheet: str = "Responses") -> bytes:
    """An .xlsx of one sheet, with fixed timestamps so the bytes are reproducible."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.number_format = "@"
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible_zip(buf.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`FIXED_TIME` and core.xml's dates fixed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def make_sample() -> dict[str, bytes]:
    """The two sample workbooks by file name."""
    rng = np.random.default_rng(SEED)
    c_header, c_rows = customer_rows(rng)
    e_header, e_rows = employee_rows(rng)
    return {
        "customer_survey.xlsx": workbook_bytes(c_header, c_rows),
        "employee_survey.xlsx": workbook_bytes(e_header, e_rows),
    }


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_MAPPING: dict[str, str] = {"Homecare": "Home Care"}
#: The sample's employee statement that is reverse-worded, confirmed as the app and the README's command do.
SAMPLE_COLUMNS: dict[str, str] = {"I often think about leaving this organisation": "reverse-item"}


def write_sample(folder: Path = SAMPLE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in make_sample().items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
