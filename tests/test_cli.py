"""The command line: JSON shape, readable table, exit status 2 with one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib.sample import SAMPLE_DIR

from . import exports as ex

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER = SAMPLE_DIR / "customer_survey.xlsx"
EMPLOYEE = SAMPLE_DIR / "employee_survey.xlsx"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_json_shape():
    p = run("summary", "--customer", str(CUSTOMER), "--employee", str(EMPLOYEE), "--json", "--map", "Homecare=Home Care")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    nps = out["customer"]["nps"]
    assert set(nps) >= {"score", "n", "promoters", "passives", "detractors", "ci95"}
    assert nps["promoters"] + nps["passives"] + nps["detractors"] == nps["n"]
    assert len(nps["ci95"]) == 2 and nps["ci95"][0] <= nps["score"] <= nps["ci95"][1]
    emp = out["employee"]
    assert set(emp["engagement"]) >= {"index", "favorable_pct", "n"}
    assert set(emp["enps"]) >= {"score", "n", "promoters", "passives", "detractors", "ci95"}
    assert 0 < emp["cronbach_alpha"] < 1
    dept = out["departments"][0]
    assert set(dept) >= {"department", "customer_n", "nps", "nps_ci95", "employee_n", "engagement", "favorable_pct",
                         "enps", "suppressed"}
    link = out["linkage"]
    assert set(link) >= {"departments", "pearson_r", "pearson_ci95", "pearson_p", "spearman_rho", "spearman_p", "excluded"}
    # the mapping joins Home Care; Pharmacy Services (3 employees) stays out, and so does Payroll Services,
    # the smallest other department, so that Pharmacy cannot be worked out from the totals
    assert link["departments"] == 10
    assert [e["department"] for e in link["excluded"]] == ["Payroll Services", "Pharmacy Services"]
    assert out["customer"]["skipped"]["status"]["count"] == 3
    pharmacy = next(d for d in out["departments"] if d["department"] == "Pharmacy Services")
    assert pharmacy["suppressed"] and pharmacy["engagement"] is None and pharmacy["enps"] is None
    assert pharmacy["employee_n"] == 3 and pharmacy["suppressed_reason"] == "small"
    payroll = next(d for d in out["departments"] if d["department"] == "Payroll Services")
    assert payroll["suppressed_reason"] == "protects" and payroll["engagement"] is None


def test_json_is_the_only_stdout_and_matches_the_engine():
    from lib.figures.summary import summarize
    from lib.survey.frame import load_survey

    p = run("summary", "--customer", str(CUSTOMER), "--json", "--department", "IT Service Desk", "--since", "2026-01-01")
    out = json.loads(p.stdout)  # raises if anything else was printed
    survey = load_survey(CUSTOMER.read_bytes(), CUSTOMER.name)
    from lib.figures.filters import Filters, parse_date

    s = summarize(survey, None, Filters(frozenset({"IT Service Desk"}), parse_date("2026-01-01")))
    assert out["customer"]["nps"]["score"] == s.nps.score
    assert out["customer"]["nps"]["n"] == s.nps.n < 260
    assert [d["department"] for d in out["departments"]] == ["IT Service Desk"]
    assert "employee" not in out and out["linkage"] is None


def test_readable_table():
    p = run("summary", "--customer", str(CUSTOMER), "--employee", str(EMPLOYEE))
    assert p.returncode == 0
    assert "Customer NPS" in p.stdout and "Pearson r" in p.stdout and "Pharmacy Services" in p.stdout


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 20)
    p = run("summary", "--customer", str(bad))
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert "broken.xlsx" in p.stderr


@pytest.mark.parametrize("args", [
    ["summary"],
    ["summary", "--customer", "no/such/file.csv"],
    ["summary", "--customer", str(CUSTOMER), "--min-group", "2"],
    ["summary", "--customer", str(CUSTOMER), "--since", "31.12.2024"],
    ["summary", "--customer", str(CUSTOMER), "--customer-column", "Nope=department"],
    ["summary", "--customer", str(CUSTOMER), "--customer-column", "Department=boss"],
    ["summary", "--bogus"],
])
def test_bad_options_exit_2_with_one_line(args):
    p = run(*args)
    assert p.returncode == 2, p.stdout
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_column_override_from_the_command_line(tmp_path):
    name, data = ex.summary_first_workbook()
    f = tmp_path / name
    f.write_bytes(data)
    p = run("summary", "--customer", str(f), "--customer-sheet", "Data", "--customer-column", "Comment=ignore", "--json")
    cols = {c["column"]: c["role"] for c in json.loads(p.stdout)["customer"]["columns"]}
    assert cols["Comment"] == "ignore" and cols["Unit"] == "department"
    p = run("summary", "--customer", str(f), "--customer-sheet", "Summary")
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_imports_follow_the_path():
    """Importing lib loads none of its modules by itself, and a customer-only summary never imports SciPy
    (NPS intervals use the constant Z95; SciPy is for correlations and alpha intervals)."""
    code = ("import sys, lib; assert not [m for m in sys.modules if m.startswith('lib.')], sorted(sys.modules); "
            "from lib.cli import main; main(['summary', '--customer', 'sample_data/customer_survey.xlsx', '--json']); "
            "assert 'scipy' not in sys.modules")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]


@pytest.mark.parametrize("measure", [["--link-customer", "nki"], ["--link-employee", "nmi"]])
def test_a_linkage_measure_the_files_lack_is_one_line_and_status_2(measure):
    """Once a traceback (NKI) and once every department left out as lacking engagement answers (NMI)."""
    p = run("summary", "--customer", str(CUSTOMER), "--employee", str(EMPLOYEE), *measure)
    assert p.returncode == 2 and not p.stdout
    assert len(p.stderr.strip().splitlines()) == 1 and "cannot be linked" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr


def test_the_linkage_names_its_measures_in_the_json():
    p = run("summary", "--customer", str(CUSTOMER), "--employee", str(EMPLOYEE), "--json", "--link-employee", "engagement")
    link = json.loads(p.stdout)["linkage"]
    assert (link["customer_measure"], link["employee_measure"]) == ("nps", "engagement")
    assert (link["customer_label"], link["employee_label"]) == ("Customer NPS", "Engagement index")


# --- the outside tester's command-line findings -------------------------------------------------------------------


def _csv(tmp_path, departments: dict[str, int], dates: bool = False) -> Path:
    """A small employee export: three statements (one negatively worded), an eNPS, the given department sizes."""
    import random

    rng = random.Random(len(departments))
    lines = ["ID,Department,I enjoy my work,My manager supports me,I often think about leaving,Recommend (0-10)"
             + (",Submitted" if dates else "")]
    i = 0
    for name, n in departments.items():
        for _ in range(n):
            i += 1
            row = f"{i},{name},{rng.randint(1, 5)},{rng.randint(1, 5)},{rng.randint(1, 5)},{rng.randint(0, 10)}"
            lines.append(row + (f",2025-0{1 + i % 6}-1{i % 9}" if dates else ""))
    path = tmp_path / "employees.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one_line(p: subprocess.CompletedProcess, *words: str) -> None:
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert all(w in p.stderr for w in words), p.stderr


def test_a_mapping_loses_nobody(tmp_path):
    """Every employee response of a mapped department is in its n or counted by reason, never dropped silently."""
    f = _csv(tmp_path, {"Team A": 15, "Team B": 14, "Team C": 14, "Team E": 3})
    for target in ("Team A", "Team B"):
        out = json.loads(run("summary", "--employee", str(f), "--map", f"Team E={target}", "--json").stdout)
        rows = {d["department"]: d for d in out["departments"]}
        counted = sum(d.get("employee_whole_n") or d["employee_n"] for d in rows.values())  # shown, or in totals only
        assert "Team E" not in rows and counted == 46, rows
        text = run("summary", "--employee", str(f), "--map", f"Team E={target}").stdout
        assert "Team E" not in text


def test_a_negatively_worded_statement_scored_as_worded_is_said(tmp_path):
    f = _csv(tmp_path, {"Team A": 20})
    p = run("summary", "--employee", str(f), "--json")
    warned = [w for w in json.loads(p.stdout)["warnings"] if "--reverse" in w]
    assert len(warned) == 1 and "I often think about leaving" in warned[0]
    assert "--reverse “I often think about leaving”" in run("summary", "--employee", str(f)).stdout
    p = run("summary", "--employee", str(f), "--json", "--reverse", "I often think about leaving")
    assert not [w for w in json.loads(p.stdout)["warnings"] if "--reverse" in w]


def test_the_method_slide_says_a_statement_is_scored_as_worded(tmp_path):
    from lib.deck.slides import organisation_deck
    from lib.figures.summary import summarize
    from lib.survey.frame import load_survey

    f = _csv(tmp_path, {"Team A": 20})
    deck = organisation_deck(summarize(None, load_survey(f.read_bytes(), f.name)))
    assert "--reverse “I often think about leaving”" in repr(deck)


def test_min_customers_help_and_floor():
    from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS

    help_text = " ".join(run("summary", "--help").stdout.split())
    assert f"default {DEFAULT_MIN_CUSTOMERS}" in help_text and "too few answers" in help_text
    for value in ("0", "-3"):
        _one_line(run("summary", "--customer", str(CUSTOMER), "--min-customers", value), "at least 1")
    assert run("summary", "--customer", str(CUSTOMER), "--min-customers", "1").returncode == 0


def test_an_unknown_department_is_refused_naming_those_there_are(tmp_path):
    _one_line(run("summary", "--customer", str(CUSTOMER), "--department", "TeamX"), "TeamX", "Home Care", "…")
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"survey_explorer_setup": 1, "departments": ["Nowhere"]}))
    _one_line(run("summary", "--employee", str(EMPLOYEE), "--setup", str(setup)), "Nowhere", "Customer Support")
    _one_line(run("report", "--employee", str(EMPLOYEE), "--department", "Nowhere", "--out", str(tmp_path)), "Nowhere")


@pytest.mark.parametrize("field, value, words", [
    ("min_group", "fem", ["min_group", "whole number"]),
    ("since", "2025-99-01", ["since", "YYYY-MM-DD"]),
    ("employee", {"scales": {"I enjoy my work": [5, 1]}}, ["scales", "LOW-HIGH"]),
    ("employee", {"scales": {"I enjoy my work": "5-1"}}, ["scales", "LOW-HIGH"]),
    ("survey_explorer_setup", 2, ["survey_explorer_setup", "2"]),
    ("lag", 9, ["lag", "0, 1, 2"]),
    ("period", "decade", ["period", "quarter"]),
    ("mapping", ["x"], ["mapping"]),
])
def test_a_wrong_setup_field_is_named(tmp_path, field, value, words):
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"survey_explorer_setup": 1, field: value}))
    _one_line(run("summary", "--customer", str(CUSTOMER), "--setup", str(setup)), *words)


def test_read_errors_say_what_is_wrong(tmp_path):
    f = _csv(tmp_path, {"Team A": 20})
    _one_line(run("summary", "--employee", str(f), "--encoding", "utf-16"), "utf-16", "does not fit", "utf-8")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(f.read_text(encoding="utf-8").encode("utf-16"))
    _one_line(run("summary", "--employee", str(utf16), "--encoding", "cp1252"), "cp1252", "does not fit", "utf-16")
    assert run("summary", "--employee", str(utf16), "--encoding", "utf-16").returncode == 0
    _one_line(run("summary", "--employee", str(f), "--header-row", "99"), "only 21 rows")
    _one_line(run("summary", "--employee", str(f), "--setup", str(tmp_path)), "folder")
    _one_line(run("summary", "--employee", str(f), "--min-group", "-1"), "at least 3", "-1")


def test_options_that_would_be_ignored_are_refused_or_said(tmp_path):
    for flag, value in (("--link-customer", "nki"), ("--link-customer", "nps"), ("--link-employee", "nmi")):
        _one_line(run("summary", "--employee", str(EMPLOYEE), flag, value), flag)
        _one_line(run("summary", "--customer", str(CUSTOMER), flag, value), flag)
    _one_line(run("summary", "--customer", str(CUSTOMER), "--lag", "1"), "--period")
    _one_line(run("summary", "--customer", str(CUSTOMER), "--period", "quarter", "--lag", "3"), "0, 1 or 2")
    undated = _csv(tmp_path, {"Team A": 20})
    p = run("summary", "--employee", str(undated), "--period", "quarter")
    assert p.returncode == 0 and "no dates" in p.stdout
    out = json.loads(run("summary", "--employee", str(undated), "--period", "quarter", "--json").stdout)
    assert out["over_time"]["periods"] == [] and "no dates" in out["over_time"]["note"]


def test_plurals_and_one_message_per_empty_state():
    from lib.figures.linkage import correlate
    from lib.i18n import set_language

    set_language("en")
    for used, expected in ((0, "No department can be compared"), (1, "Only 1 department can be compared"),
                           (2, "Only 2 departments can be compared")):
        rows = [{"department": f"D{i}", "customer_n": 100, "customer": 10.0 * i, "employee_n": 20,
                 "employee": 50.0 + i, "in_customer": True, "hidden": None} for i in range(used)]
        warnings = [str(w) for w in correlate(rows, 5, 10).warnings]
        assert len(warnings) == 1 and warnings[0].startswith(expected), warnings


def test_the_comments_table_never_prints_nan(tmp_path):
    lines = ["ID,Department,I enjoy my work,My manager supports me,Recommend (0-10),What could be better?"]
    texts = ["More staff on the ward please", "Better pay and more staff", "The parking is terrible",
             "Nothing, it is fine", "More training would help"]
    for i in range(60):
        lines.append(f"{i},Team {'AB'[i % 2]},{1 + i % 5},{1 + (i * 3) % 5},{i % 11},{texts[i % 5]} {i}")
    f = tmp_path / "comments.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = run("comments", "--employee", str(f))
    assert p.returncode == 0, p.stderr
    assert "NaN" not in p.stdout and "None" not in p.stdout
