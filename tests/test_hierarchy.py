"""The organisation hierarchy (issue 26): reading it, nesting the protection groups in it, and views of a level or
a unit, in the library, on the command line and in a saved setup."""

from __future__ import annotations

import contextlib
import csv
import io
import json

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from lib import cli
from lib.errors import OptionError
from lib.figures.filters import Filters
from lib.figures.summary import Settings, summarize
from lib.privacy import groups as privacy
from lib.setup import from_json, organisation_of, organisation_rows
from lib.survey.frame import load_survey
from lib.survey.hierarchy import build, focus_mapping, from_paths, read_organisation, with_hierarchy

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
STATEMENTS = ["I have the tools I need", "I feel valued at work", "My team works well together"]
#: Division X: Team 1 (3 people) and Team 2 (10); Division Y: Team 3 (20) and Team 4 (8).
SIZES = {"Team 1": 3, "Team 2": 10, "Team 3": 20, "Team 4": 8}
ORG = [("Team 1", "Division X"), ("Team 2", "Division X"), ("Team 3", "Division Y"), ("Team 4", "Division Y")]


def staff(sizes: dict[str, int], seed: int = 1) -> bytes:
    rnd = np.random.default_rng(seed)
    rows = [["Department", "Submitted", *STATEMENTS]]
    for unit, n in sizes.items():
        for i in range(n):
            rows.append([unit, f"2026-09-{1 + i % 28:02d}", *(AGREE[int(rnd.integers(0, 5))] for _ in STATEMENTS)])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def engagement_of(data: bytes, units: set[str]) -> tuple[float, int]:
    """The engagement index of some units' rows worked out here from the answers (the mean of each person's mean
    answer on 0–100)."""
    scores = []
    for row in list(csv.reader(io.StringIO(data.decode())))[1:]:
        if row[0] in units:
            scores.append(np.mean([AGREE.index(v) * 25 for v in row[2:]]))
    return float(np.mean(scores)), len(scores)


# ------------------------------------------------------------------ reading an organisation


def test_a_unit_under_two_parents_or_its_own_ancestor_is_refused_in_one_sentence():
    with pytest.raises(OptionError, match="under both “A” and “B”"):
        build([("Team", "A"), ("team ", "B")])
    with pytest.raises(OptionError, match="each other's ancestors"):
        build([("A", "B"), ("B", "C"), ("C", "A")])


def test_a_parent_not_listed_becomes_a_top_unit_and_names_compare_by_key():
    h = build([("Team 1", "Division X"), ("team 1 ", "Division X"), ("Division X", "")])
    assert h.units() == [("Division X", 0), ("Team 1", 1)]
    assert h.path("TEAM  1") == ("division x", "team 1")
    assert h.children(None) == ["Division X"] and h.children("division x") == ["Team 1"]


def test_an_organisation_file_in_swedish_csv_and_finnish_xlsx(tmp_path):
    text = "Enhet;Överordnad enhet;Chef e-post\nVård;;anna@example.se\nHemtjänst Norr;Vård;bo@example.se\n;Vård;\n"
    h = read_organisation(text.encode("utf-8-sig"), "org.csv")
    assert h.edges == (("Vård", ""), ("Hemtjänst Norr", "Vård"))
    assert h.managed_by("BO@example.se") == ["Hemtjänst Norr"]
    assert [str(n) for n in h.notes] == ["1 row of the organisation file has no unit and was left out."]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Yksikkö", "Ylempi yksikkö", "Esihenkilön sähköposti"], ["Kotihoito", "Sosiaalipalvelut", "a@b.fi"],
                ["Sosiaalipalvelut", "", ""]):
        sheet.append(row)
    book.save(tmp_path / "org.xlsx")
    h = read_organisation(tmp_path / "org.xlsx", "org.xlsx")
    assert h.units() == [("Sosiaalipalvelut", 0), ("Kotihoito", 1)]
    assert h.managers == (("Kotihoito", "a@b.fi"),)


def test_the_export_s_own_hierarchy_columns():
    h = from_paths(["Division"], [("X", "Team 1"), ("X", "Team 2"), ("Y", "Team 3")])
    assert h.units() == [("X", 0), ("Team 1", 1), ("Team 2", 1), ("Y", 0), ("Team 3", 1)]
    with pytest.raises(OptionError, match="under both"):
        from_paths(["Division"], [("X", "Team 1"), ("Y", "Team 1")])


# ------------------------------------------------------------------ nesting and views


def test_a_small_team_is_pooled_inside_its_own_division():
    """Without the organisation, Team 1 (3 people) is pooled with Team 4 of the other division, and each division's
    figure leaves part of it out; with it, Team 1 is pooled with Team 2, and Division X's figure is all 13 people."""
    data = staff(SIZES)
    survey = load_survey(data, "staff.csv")
    org = build(ORG)
    level = Settings(hierarchy=org, level=1)
    joined = Settings(mapping=tuple((unit, division) for unit, division in ORG))  # the same view without nesting
    flat = {d.department: d.employee_n for d in summarize(None, survey, Filters(), joined).departments}
    assert flat == {"Division X": 10, "Division Y": 20}  # Team 1 + Team 4 form a group across the divisions
    nested = summarize(None, survey, Filters(), level)  # summarize nests the groups in the organisation itself
    assert nested.employee.hierarchy and summarize(None, with_hierarchy(survey, org, {}), Filters(), level
                                                   ).employee is nested.employee
    got = {d.department: (round(d.engagement.index, 6), d.employee_n) for d in nested.departments}
    for division, units in (("Division X", {"Team 1", "Team 2"}), ("Division Y", {"Team 3", "Team 4"})):
        mean, n = engagement_of(data, units)
        assert got[division] == (round(mean, 6), n)


def test_a_unit_view_shows_its_children_and_counts_the_rest_as_outside():
    data = staff({**SIZES, "Team 5": 6})
    org = build([*ORG, ("Division X", "Region"), ("Division Y", "Region")])
    survey = with_hierarchy(load_survey(data, "staff.csv"), org, {})
    s = summarize(None, survey, Filters(), Settings(hierarchy=org, unit="Division Y"))
    assert {d.department: d.employee_n for d in s.departments} == {"Team 3": 20, "Team 4": 8}
    assert s.engagement.n == 28
    assert s.employee_filter.excluded == {"unit": 13 + 6}  # Division X and Team 5, which the organisation lacks
    assert any("does not have these units of the files: Team 5" in str(n) for n in s.warnings)
    top = summarize(None, survey, Filters(), Settings(hierarchy=org, unit="Region"))
    assert {d.department: d.employee_n for d in top.departments} == {"Division X": 13, "Division Y": 28}


def test_the_mapping_applies_before_the_organisation():
    org = build(ORG)
    shown, outside = focus_mapping(org, ["team one", "Team 3", "Elsewhere"], {"Team One": "Team 1"}, "Division X", None)
    assert shown == {"team one": "Team 1"}  # the others keep the names the files give them
    assert outside == {"Team 3", "Elsewhere"}
    shown, outside = focus_mapping(org, ["team one", "Team 3", "Elsewhere"], {"Team One": "Team 1"}, None, 1)
    assert shown == {"team one": "Division X", "Team 3": "Division Y"} and not outside


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 14), min_size=2, max_size=7), parents=st.lists(st.integers(0, 2), min_size=8,
                                                                                      max_size=8))
def test_every_group_lies_inside_one_parent_whenever_that_parent_can_stand_alone(sizes, parents):
    """Nesting: a division with at least k responses (every figure answered by 0 or at least k of them) never
    shares a protection group with another division, unless it is taken in whole to protect a smaller one."""
    units = {f"Team {i}": n for i, n in enumerate([*sizes, 12])}  # enough rows for the unit column to read as one
    org = build([(u, f"Division {parents[i]}") for i, u in enumerate(units)])
    data = staff(units, seed=len(sizes))
    survey = with_hierarchy(load_survey(data, "staff.csv"), org, {})
    groups = privacy.protection_groups(survey, 5)
    division = np.array([org.path(str(d))[0] for d in survey.frame["department"]])
    spans = {g for g in set(groups.of_row.tolist()) if g >= 0 and len(set(division[groups.of_row == g])) > 1}
    size = {d: int((division == d).sum()) for d in set(division)}
    for g in spans:
        inside = set(division[groups.of_row == g])
        assert any(size[d] < 5 for d in inside), f"group {g} spans {inside}, all of which could stand alone"


# ------------------------------------------------------------------ the command line and the setup


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args) or 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_shows_a_level_and_a_unit(tmp_path):
    (tmp_path / "staff.csv").write_bytes(staff(SIZES))
    (tmp_path / "org.csv").write_text("Unit,Parent\n" + "".join(f"{u},{p}\n" for u, p in ORG))
    base = ["summary", "--employee", str(tmp_path / "staff.csv"), "--org-file", str(tmp_path / "org.csv"), "--json"]
    code, out, err = run([*base, "--level", "1"])
    assert code == 0, err
    got = {d["department"]: d["employee_n"] for d in json.loads(out)["departments"]}
    assert got == {"Division X": 13, "Division Y": 28}
    code, out, err = run([*base, "--unit", "division x"])
    assert code == 0, err
    assert [d["department"] for d in json.loads(out)["departments"]] == ["Team 1", "Team 2"]
    for wrong, says in ((["--unit", "Nowhere"], "no unit “Nowhere”"), (["--level", "3"], "levels 1 to 2, not 3"),
                        (["--unit", "Team 1", "--level", "1"], "not both")):
        code, out, err = run([*base, *wrong])
        assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
    code, out, err = run(["summary", "--employee", str(tmp_path / "staff.csv"), "--unit", "Team 1"])
    assert code == 2 and "needs an organisation" in err
    code, out, err = run([*base[:3], "--org-file", str(tmp_path / "missing.csv")])
    assert code == 2 and "does not exist" in err


def test_a_setup_keeps_the_organisation_and_the_view():
    org = build(ORG, [("Team 1", "lead@example.com")])
    rows = organisation_rows(org)
    assert organisation_of(rows) == org
    text = json.dumps({"survey_explorer_setup": 1, "organisation": rows, "unit": "Division X"})
    setup = from_json(text)
    assert setup.hierarchy == org and setup.unit == "Division X"
    for wrong, says in (({"organisation": [["A"]]}, "“organisation”"), ({"organisation": rows, "unit": "Z"}, "no unit “Z”"),
                        ({"organisation": [["A", "B"], ["B", "A"]]}, "each other's ancestors")):
        with pytest.raises(OptionError, match=says):
            from_json(json.dumps({"survey_explorer_setup": 1, **wrong}))


# ------------------------------------------------------------------ the export's own hierarchy columns


def levels_file(broken: bool = False) -> bytes:
    """Region › Förvaltning › Enhet, the unit last but not the first unit column; ``broken``: one team under two
    administrations."""
    rnd = np.random.default_rng(3)
    rows = [["Submitted", "Region", "Förvaltning", "Enhet", *STATEMENTS]]
    org = {"Team 1": ("Norr", "Vård"), "Team 2": ("Norr", "Vård"), "Team 3": ("Norr", "Skola"),
           "Team 4": ("Syd", "Kultur"), "Team 5": ("Syd", "Kultur"), "Team 6": ("Syd", "Teknik")}
    for unit, (region, admin) in org.items():
        for i in range(3 if unit == "Team 2" else 12):
            moved = broken and unit == "Team 6" and i == 0
            rows.append([f"2026-09-{1 + i:02d}", region, "Kultur" if moved else admin, unit,
                         *(AGREE[int(rnd.integers(0, 5))] for _ in STATEMENTS)])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def test_an_exports_higher_unit_columns_are_read_as_levels_above_the_unit():
    """Region holds whole administrations: a level. Enhet, finer than the unit, stays a grouping (a customer file by
    administration would otherwise no longer link); the user makes it the unit, and Förvaltning a level."""
    survey = load_survey(levels_file(), "levels.csv")
    roles = {c.name: c.role for c in survey.detection.columns}
    assert (roles["Region"], roles["Förvaltning"], roles["Enhet"]) == ("level", "department", "segment")
    survey = load_survey(levels_file(), "levels.csv", columns={"Enhet": "department", "Förvaltning": "level"})
    assert survey.levels == ("Region", "Förvaltning")
    assert ("Norr", "Vård", "Team 2") in survey.unit_paths


def test_the_command_line_views_the_exports_own_levels_and_refuses_a_unit_under_two_parents(tmp_path):
    (tmp_path / "levels.csv").write_bytes(levels_file())
    code, out, err = run(["summary", "--employee", str(tmp_path / "levels.csv"), "--employee-column", "Enhet=department",
                          "--employee-column", "Förvaltning=level", "--level", "2", "--json"])
    assert code == 0, err
    got = {d["department"]: d["employee_n"] for d in json.loads(out)["departments"]}
    assert got == {"Kultur": 24, "Skola": 12, "Teknik": 12, "Vård": 15}  # Team 2 (3) inside Vård, never elsewhere
    (tmp_path / "broken.csv").write_bytes(levels_file(broken=True))
    survey = load_survey(levels_file(broken=True), "broken.csv")
    roles = {c.name: c.role for c in survey.detection.columns}
    # a team in two administrations: Enhet is no unit below Förvaltning, which stays the unit under its region
    assert (roles["Region"], roles["Förvaltning"], roles["Enhet"]) == ("level", "department", "segment")
    code, out, err = run(["summary", "--employee", str(tmp_path / "broken.csv"), "--employee-column",
                          "Förvaltning=level", "--employee-column", "Enhet=department", "--level", "1"])
    assert code == 2 and "needs an organisation" in err and len(err.strip().splitlines()) == 1, err
    code, out, err = run(["summary", "--employee", str(tmp_path / "broken.csv"), "--employee-column",
                          "Förvaltning=level", "--employee-column", "Enhet=department"])  # no view asked: figures, a note
    assert code == 0 and "“Team 6” under both “Kultur” and “Teknik”" in out and "not used as an organisation" in out


# ------------------------------------------------------------------ an outside reviewer's findings


def test_a_customer_file_never_changes_the_employee_groups(tmp_path):
    """The customer file's higher-unit columns give no organisation: with a customer file by region and store, the
    employee departments' figures are those without it (they had differed, and differenced out a team of three)."""
    (tmp_path / "staff.csv").write_bytes(staff(SIZES))
    rows = ["Store,Region,Date,How likely are you to recommend us? (0-10)"]
    rows += [f"{unit},{'North' if unit in ('Team 1', 'Team 2') else 'South'},2026-09-{1 + i % 28:02d},{i % 11}"
             for unit in SIZES for i in range(30)]
    (tmp_path / "customers.csv").write_text("\n".join(rows) + "\n")
    base = ["summary", "--employee", str(tmp_path / "staff.csv"), "--json"]
    alone = json.loads(run(base)[1])
    both = json.loads(run([*base, "--customer", str(tmp_path / "customers.csv")])[1])
    assert load_survey((tmp_path / "customers.csv").read_bytes(), "customers.csv").levels == ("Region",)
    assert both["settings"]["organisation"] is None
    def employee_side(out: dict) -> list[tuple[str, int, object]]:
        return [(d["department"], d["employee_n"], d.get("engagement")) for d in out["departments"] if d["employee_n"]]

    assert employee_side(alone) == employee_side(both) and len(employee_side(alone)) == 4


def test_the_view_is_said_in_the_text_the_json_and_the_deck(tmp_path):
    from lib.deck.slides import organisation_deck

    (tmp_path / "staff.csv").write_bytes(staff(SIZES))
    (tmp_path / "org.csv").write_text("Unit,Parent\n" + "".join(f"{u},{p}\n" for u, p in ORG))
    base = ["summary", "--employee", str(tmp_path / "staff.csv"), "--org-file", str(tmp_path / "org.csv"),
            "--unit", "Division X"]
    code, out, err = run(base)
    assert code == 0 and "View: Division X and its units" in out
    assert json.loads(run([*base, "--json"])[1])["settings"]["unit"] == "Division X"
    code, out, err = run([*base, "--department", "Team 3"])  # a unit outside the view: refused, not an empty view
    assert code == 2 and "no department “Team 3”" in err
    s = summarize(None, load_survey(staff(SIZES), "staff.csv"), Filters(), Settings(hierarchy=build(ORG), level=1))
    deck = organisation_deck(s)
    assert any("Every unit at level 1" in line for slide in deck.slides for line in (slide.title, *slide.lines))


def test_an_organisation_file_a_reader_refuses_is_named_as_one():
    for data, says in ((b"", "is empty"), (b"PK\x03\x04junk", "could not be read")):
        with pytest.raises(OptionError, match=f"The organisation file org.xlsx {says}"):
            read_organisation(data, "org.xlsx")


def test_a_deep_or_circular_organisation_is_refused_quickly():
    import time

    started = time.perf_counter()
    with pytest.raises(OptionError, match="more than 30 levels"):
        build([(f"U{i + 1}", f"U{i}") for i in range(40_000)])
    assert build([(f"U{i + 1}", f"U{i}") for i in range(29)]).depth == 30
    with pytest.raises(OptionError, match="“A” → “B” → “C” → “A”"):
        build([("A", "B"), ("B", "C"), ("C", "A"), ("D", "A")])
    assert time.perf_counter() - started < 5  # it once took minutes (a walk per unit); not a speed claim
