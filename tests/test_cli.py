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
