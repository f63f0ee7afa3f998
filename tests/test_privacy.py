"""Anonymity: the attacks a curious manager can try, and the model's promise as a property.

The promise (README, "Privacy"): no two employee figures that the library, the
command line or the app can release are for groups that differ by 1 to k−1
people, and no set of released department figures leaves a remainder of 1 to
k−1. Every attack below collects the groups behind the figures it gets and
checks that promise on them, for every figure (rows, respondents, eNPS answers,
each statement's answers).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import random
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from streamlit.testing.v1 import AppTest

from lib.present import breakdowns
from lib import cli
from lib.privacy import groups as privacy
from lib.errors import OptionError
from lib.present.exports import table_xlsx
from lib.figures.filters import Filters
from lib.figures.summary import Settings, Summary, summarize
from lib.survey.frame import load_survey

from . import exports as ex

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
K = 5


@pytest.fixture(scope="module")
def staff():
    name, data = ex.small_teams_employee_csv()
    return load_survey(data, name, kind="employee")


@pytest.fixture(scope="module")
def staff_file(tmp_path_factory):
    name, data = ex.small_teams_employee_csv()
    path = tmp_path_factory.mktemp("staff") / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ what a summary releases


def _measures(survey) -> dict[str, np.ndarray]:
    """Per figure, which rows take part in it."""
    f = survey.frame
    out = {"rows": np.ones(len(f), bool), "respondents": f["answered"].to_numpy() > 0,
           "enps": ~np.isnan(f["recommend"].to_numpy(dtype=float))}
    for item in survey.items:
        out[item.key] = ~np.isnan(f[item.key].to_numpy(dtype=float))
    return out


def released(s: Summary) -> list[tuple[str, np.ndarray]]:
    """Every employee group a summary shows a figure for, as a row mask: the view's total and each department.

    Also checks that the figures are really computed over these rows (their n).
    """
    v = s.employee_view
    out = []
    if s.engagement is not None and not s.engagement.suppressed:
        assert s.engagement.n == int(v.mask.sum())
        out.append(("total", v.mask))
    else:
        assert s.engagement is None or (s.engagement.index is None and s.enps is None and s.alpha is None)
        assert breakdowns.item_distribution(s).empty
    for d in s.departments:
        if d.engagement is None:
            continue
        if d.suppressed:
            assert d.engagement.index is None and d.engagement.favorable_pct is None and d.enps is None
            continue
        rows = v.mask & (v.group == s.link.names.index(d.department))
        assert d.employee_n == int(rows.sum())
        out.append((d.department, rows))
    return out


def assert_no_leak(survey, views: list[Summary], k: int = K) -> None:
    """No two released groups differ by 1..k−1 people in any figure; no view leaves a remainder of 1..k−1."""
    measures = _measures(survey)
    groups = [rows for s in views for _name, rows in released(s)]
    for s in views:
        parts = released(s)
        total = next((rows for name, rows in parts if name == "total"), None)
        if total is not None:
            shown = np.zeros_like(total)
            for name, rows in parts:
                if name != "total":
                    shown |= rows
            for m, has in measures.items():
                rest = int((total & ~shown & has).sum())
                assert rest == 0 or rest >= k, (m, rest)
    for a, b in itertools.combinations(groups, 2):
        for m, has in measures.items():
            for diff in (int((a & ~b & has).sum()), int((b & ~a & has).sum())):
                assert diff == 0 or diff >= k, (m, diff)


def view(survey, k=K, mapping=(), **filters) -> Summary:
    return summarize(None, survey, Filters(**filters), Settings(min_group=k, mapping=tuple(mapping), floor=K))


ROLES = ("Manager", "Staff", "Specialist")


# ------------------------------------------------------------------ the attacks, through the library


def test_filter_steps_never_isolate_a_manager(staff):
    views = [view(staff)]
    for dept in ex.SMALL_TEAMS:
        views.append(view(staff, departments=frozenset({dept})))
        views.append(view(staff, departments=frozenset({dept}), segments=(("Role", frozenset({"Staff", "Specialist"})),)))
        views.append(view(staff, departments=frozenset({dept}), segments=(("Role", frozenset({"Manager"})),)))
    views.append(view(staff, segments=(("Role", frozenset({"Staff", "Specialist"})),)))
    assert_no_leak(staff, views)
    # the attack needs both figures of a department: at most one of them is shown, or they differ by >= k
    shown = [v for v in views if v.engagement is not None and not v.engagement.suppressed]
    assert len(shown) >= 4


def test_date_windows_a_day_apart_never_isolate_a_day(staff):
    views = []
    for day in range(1, 11):
        since = dt.date(2026, 9, day)
        views.append(view(staff, since=since))
        views.append(view(staff, departments=frozenset({"Sales"}), since=since))
        views.append(view(staff, segments=(("Role", frozenset({"Staff"})),), since=since))
        views.append(view(staff, until=since))
    assert_no_leak(staff, views)


def test_the_pooled_department_stays_hidden_in_every_view(staff):
    whole = view(staff)
    pooled = {d.department: d.suppressed_reason for d in whole.departments if d.suppressed}
    assert pooled == {"Legal": "small", "Finance": "protects"}  # Legal (2) is pooled with the smallest other
    views = [whole] + [view(staff, departments=frozenset({d})) for d in ex.SMALL_TEAMS]
    views += [view(staff, departments=frozenset(pair)) for pair in itertools.combinations(ex.SMALL_TEAMS, 2)]
    for s in views:
        for d in s.departments:
            if d.department in pooled:
                assert d.suppressed and d.enps is None, (s.filters, d.department)
    assert_no_leak(staff, views)
    # the whole file minus every department shown anywhere is whole groups, never 1..k−1
    union = np.zeros(len(staff.frame), bool)
    for s in views:
        for name, rows in released(s):
            if name != "total":
                union |= rows
    rest = int((~union).sum())
    assert rest == 0 or rest >= K


def test_a_mapping_cannot_split_a_protection_group(staff):
    plain = [view(staff), view(staff, departments=frozenset({"Finance"})), view(staff, departments=frozenset({"Sales"}))]
    to_sales, to_finance = [("Legal", "Sales")], [("Legal", "Finance")]
    mapped = [view(staff, mapping=to_sales), view(staff, mapping=to_sales, departments=frozenset({"Sales"})),
              view(staff, mapping=to_finance), view(staff, mapping=to_finance, departments=frozenset({"Finance"}))]
    assert_no_leak(staff, plain + mapped)
    # Legal mapped onto Finance: the pooled group lies inside the merged department, so it is shown whole
    finance = next(d for d in mapped[2].departments if d.department == "Finance")
    assert not finance.suppressed and finance.employee_n == 9
    # Legal mapped onto Sales: Sales shows only its own groups; Legal's two people stay out
    sales = next(d for d in mapped[0].departments if d.department == "Sales")
    assert sales.employee_n == 14


def test_names_in_other_spellings_meet_the_same_rule(staff):
    canonical = view(staff, departments=frozenset({"Field – North"}), segments=(("Role", frozenset({"Staff"})),))
    variant = view(staff, departments=frozenset({" field - NORTH "}), segments=(("role ", frozenset({"STAFF "})),))
    assert canonical.employee_view.chosen.sum() == variant.employee_view.chosen.sum() > 0
    assert (canonical.employee_view.mask == variant.employee_view.mask).all()
    # both spellings in the file are one department for every rule
    assert [d.department for d in view(staff).departments].count("Field – North") == 1
    assert privacy.key("Field – North") == privacy.key(" field - north ")
    assert_no_leak(staff, [canonical, variant, view(staff)])


def test_comments_keep_no_order_and_follow_whole_groups(staff):
    s = summarize(None, staff, Filters(), Settings(min_group=K, min_comments=10, comment_seed=1))
    texts, why = breakdowns.comments(s, "employee")
    assert why is None and len(texts) > 10
    # the order does not depend on the order the answers came in
    name, data = ex.small_teams_employee_csv()
    lines = data.decode().splitlines()
    body = lines[1:]
    random.Random(3).shuffle(body)
    shuffled = load_survey("\n".join([lines[0], *body]).encode(), name, kind="employee")
    again, _ = breakdowns.comments(summarize(None, shuffled, Filters(), Settings(comment_seed=1)), "employee")
    assert again == texts
    # without a seed the order is a secret: two runs differ
    one, _ = breakdowns.comments(summarize(None, staff, Filters(), Settings()), "employee")
    two, _ = breakdowns.comments(summarize(None, staff, Filters(), Settings()), "employee")
    assert sorted(one) == sorted(two) and one != two
    # a window that grows by one day shows the same comments or at least k more
    seen = []
    for day in range(1, 11):
        s = summarize(None, staff, Filters(until=dt.date(2026, 9, day)), Settings(comment_seed=1))
        seen.append(set(breakdowns.comments(s, "employee")[0]))
    for a, b in itertools.combinations(seen, 2):
        assert len(a ^ b) == 0 or (len(a - b) in (0,) or len(a - b) >= K) and (len(b - a) == 0 or len(b - a) >= K)


def test_the_comment_threshold_never_goes_below_five():
    assert privacy.comment_threshold(3, 3) == 5
    assert privacy.comment_threshold(8, 3) == 8
    assert privacy.comment_threshold(5, 12) == 12
    rows = ["Department,I feel valued at work,Comment"] + [f"Ward,{a},note {i}" for i, a in
                                                            enumerate(["Agree", "Disagree", "Strongly agree", "Agree"])]
    e = load_survey("\n".join(rows).encode(), "tiny.csv", kind="employee",
                    columns={"I feel valued at work": "item", "Comment": "comment"})
    s = summarize(None, e, Filters(), Settings(min_group=3, min_comments=3))
    texts, why = breakdowns.comments(s, "employee")
    assert texts == [] and "at least 5" in str(why)


def test_downloads_carry_no_hidden_figure():
    from lib.sample import SAMPLE_COLUMNS, SAMPLE_MAPPING, make_sample

    files = make_sample()
    c = load_survey(files["customer_survey.xlsx"], "c.xlsx")
    e = load_survey(files["employee_survey.xlsx"], "e.xlsx", columns=SAMPLE_COLUMNS)
    s = summarize(c, e, settings=Settings(mapping=tuple(SAMPLE_MAPPING.items())))
    report = breakdowns.department_report(s)
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(report))).active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] in ("Pharmacy Services", "Payroll Services"):
            for col in ("Engagement", "Favourable %", "eNPS"):
                assert isinstance(row[header.index(col)], str)


def test_an_employee_file_keeps_no_raw_rows(staff):
    assert staff.preview is None
    profile = staff.profile
    assert list(profile["column"]) == [c.name for c in staff.detection.columns]
    shown = " ".join(profile["values"])
    assert "R001" not in shown and "comment from person" not in shown and "2026-09" not in shown
    assert "Legal (2)" in shown and "Agree" in shown


# ------------------------------------------------------------------ the property


def _spell(rnd: random.Random, name: str) -> str:
    variants = [name, name.upper(), name.lower(), f" {name}  ", name.replace("–", "-"), name.replace("–", "—")]
    return rnd.choice(variants)


@st.composite
def views_and_refinement(draw):
    rnd = random.Random(draw(st.integers(0, 10_000)))
    depts = list(ex.SMALL_TEAMS) + ["field - north"]
    mapping = ()
    if draw(st.booleans()):
        a, b = draw(st.sampled_from(list(itertools.permutations(ex.SMALL_TEAMS, 2))))
        mapping = ((_spell(rnd, a), b),)
    chosen = draw(st.one_of(st.none(), st.sets(st.sampled_from(depts), min_size=1, max_size=4)))
    roles = draw(st.one_of(st.none(), st.sets(st.sampled_from(ROLES), min_size=1, max_size=3)))
    days = sorted(draw(st.lists(st.integers(1, 10), min_size=2, max_size=2)))
    dated = draw(st.booleans())
    k = draw(st.sampled_from([5, 5, 6, 8]))
    base = {"departments": frozenset(_spell(rnd, d) for d in chosen) if chosen else None,
            "segments": (("Role", frozenset(_spell(rnd, r) for r in roles)),) if roles else (),
            "since": dt.date(2026, 9, days[0]) if dated else None,
            "until": dt.date(2026, 9, days[1]) if dated else None}
    finer = dict(base)
    step = draw(st.sampled_from(["department", "role", "tenure", "since", "until"]))
    if step == "department":
        finer["departments"] = frozenset([_spell(rnd, draw(st.sampled_from(sorted(chosen or depts))))])
    elif step == "role":
        finer["segments"] = (("role ", frozenset([_spell(rnd, draw(st.sampled_from(sorted(roles or ROLES))))])),)
    elif step == "tenure":
        finer["segments"] = base["segments"] + (("TENURE", frozenset({draw(st.sampled_from(["< 2 years", "2+ years"]))})),)
    elif step == "since":
        finer["since"] = dt.date(2026, 9, min(days[1], days[0] + 1)) if dated else dt.date(2026, 9, 2)
    else:
        finer["until"] = dt.date(2026, 9, max(days[0], days[1] - 1)) if dated else dt.date(2026, 9, 9)
    return mapping, k, base, finer


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(views_and_refinement(), views_and_refinement())
def test_no_two_released_figures_differ_by_fewer_than_k(staff, first, second):
    """Random filters (departments, roles and tenure in varied spellings, dates, a mapping, a raised threshold)
    and a refinement of each: the groups behind any two released figures never differ by 1..k−1 (k = the floor,
    5), and no view leaves a remainder of 1..k−1."""
    views = []
    for mapping, k, base, finer in (first, second):
        views.append(view(staff, k=k, mapping=mapping, **base))
        views.append(view(staff, k=k, mapping=mapping, **finer))
    assert_no_leak(staff, views)


def test_every_figure_is_computed_over_the_released_rows(staff):
    s = view(staff, segments=(("Role", frozenset({"Staff"})),))
    rows = s.employee_view.mask
    assert rows.any()
    eng = staff.frame["engagement"].to_numpy()[rows]
    assert s.engagement.index == pytest.approx(np.nanmean(eng))
    for d in s.departments:
        if not d.suppressed:
            mine = rows & (s.employee_view.group == s.link.names.index(d.department))
            assert d.engagement.index == pytest.approx(np.nanmean(staff.frame["engagement"].to_numpy()[mine]))


# ------------------------------------------------------------------ the command line


def _cli_json(capsys, *args: str) -> dict:
    assert cli.main(["summary", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _figures(out: dict) -> dict[str, int]:
    """What an attacker reads off the JSON: n of every employee figure shown, by group."""
    emp = out["employee"]["engagement"]
    figs = {"total": emp["n"]} if emp and emp["index"] is not None else {}
    figs.update({d["department"]: d["employee_n"] for d in out["departments"] if d["engagement"] is not None})
    return figs


def test_the_command_line_gives_no_difference_of_one(capsys, staff_file):
    """The filter-step and date-window attacks through ``python -m lib summary --json``: each pair is a view
    and a narrower one; a figure shown in both must cover the same people or at least k more."""
    f = str(staff_file)
    pairs = []
    for dept in ex.SMALL_TEAMS:
        wide = _cli_json(capsys, "--employee", f, "--department", dept)
        narrow = _cli_json(capsys, "--employee", f, "--department", dept, "--segment", "Role=Staff",
                           "--segment", "Role=Specialist")
        pairs.append((wide, narrow))
    windows = [_cli_json(capsys, "--employee", f, "--department", "Sales", "--since", f"2026-09-{day:02d}")
               for day in range(1, 11)]
    pairs += list(itertools.combinations(windows, 2))
    compared = 0
    for wide, narrow in pairs:
        a, b = _figures(wide), _figures(narrow)
        for group in set(a) & set(b):
            compared += 1
            assert a[group] == b[group] or abs(a[group] - b[group]) >= K, group
    assert compared >= 4
    with pytest.raises(SystemExit) as stop:
        cli.main(["summary", "--employee", f, "--min-group", "²"])
    assert stop.value.code == 2 and "--min-group" in capsys.readouterr().err
    assert cli.main(["summary", "--employee", f, "--min-group", "2"]) == 2
    assert "at least 3" in capsys.readouterr().err


# ------------------------------------------------------------------ the app and its links


def _engagement(at) -> tuple[str, str]:
    card = next(m for m in at.metric if m.label == "Engagement index")
    return card.value, " ".join(c.value for c in at.caption)


def test_links_with_bad_values_never_crash():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"k": "²", "from": "yesterday", "to": "2026-13-01", "dept": ["Nowhere", "Rehabilitation"],
                            "seg": ["nocolon", "Role:Nobody", "Colour:Red"], "m": "0"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = " ".join(t.value for t in at.toast)
    assert "anonymity threshold" in notes and "dates" in notes and "Nowhere" in notes and "nocolon" in notes
    assert "minimum of customer answers" in notes and at.session_state["min_customers"] == 62
    assert at.session_state["filter_departments"] == ["Rehabilitation"]
    for k in ("2", "-1", "1e9", "٣", "5.5"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["k"] = k
        at.run()
        assert not at.exception, k
        assert at.session_state["min_group"] == 5


def test_the_installation_sets_the_floor_and_a_link_cannot_go_below_it(monkeypatch):
    monkeypatch.setenv(privacy.FLOOR_VARIABLE, "7")
    assert privacy.floor_threshold() == 7
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["k"] = "5"
    at.run()
    assert not at.exception
    assert at.session_state["min_group"] == 7 and any("at least 7" in t.value for t in at.toast)
    threshold = next(n for n in at.number_input if n.key == "min_group")
    assert threshold.min == 7
    monkeypatch.setenv(privacy.FLOOR_VARIABLE, "2")  # below 3: the default floor is used
    assert privacy.floor_threshold() == privacy.DEFAULT_MIN_GROUP
    with pytest.raises(OptionError):
        Settings(min_group=5, floor=7)


def test_a_link_cannot_take_a_manager_out_of_a_department():
    """dept=X and dept=X with every role but Manager, as two shared links on the sample data."""
    def open_link(**params):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(params)
        at.run()
        assert not at.exception
        return at

    whole = open_link(dept="IT Service Desk")
    cut = open_link(dept="IT Service Desk", seg=["Role:Clinician", "Role:Administrator", "Role:Technician"])
    (v1, c1), (v2, c2) = _engagement(whole), _engagement(cut)
    if v1 != "–" and v2 != "–":
        n1 = int(c1.split("n = ")[1].split()[0])
        n2 = int(c2.split("n = ")[1].split()[0])
        assert n1 == n2 or abs(n1 - n2) >= K


def test_the_data_page_shows_no_employee_row():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    name, data = ex.small_teams_employee_csv()
    at.file_uploader(key="uploader").set_value((name, data, "text/csv")).run()
    assert not at.exception
    text = " ".join(df.value.to_csv() for df in at.dataframe)
    assert "Department" in text and "segment" in text  # the column summary is there: roles and scales
    for raw in ("R001", "comment from person", "2026-09-0", "Legal (2)", "Manager"):  # never a value seen
        assert raw not in text, raw


# ------------------------------------------------------------------ sessions


def test_one_session_never_sees_another_sessions_upload():
    a, b = AppTest.from_file(APP, default_timeout=120), AppTest.from_file(APP, default_timeout=120)
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


def test_every_cache_of_the_app_is_scoped_to_its_session():
    """Parsed uploads live in Streamlit's session-scoped cache: every cache decorator in the app says scope="session"."""
    import ast

    caches = 0
    for path in [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("cache_data", "cache_resource"):
                caches += 1
                scope = {k.arg: k.value for k in node.keywords}.get("scope")
                assert isinstance(scope, ast.Constant) and scope.value == "session", path
    assert caches >= 1


@hsettings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=6), max_size=30),
       seed=st.integers(0, 2**32 - 1), dtype=st.sampled_from(["object", "str", "string[pyarrow]"]))
def test_comments_shuffled_from_a_column_come_in_the_order_a_list_gives(texts, seed, dtype):
    """The customer comments are sorted by pandas (the column's own sort) before the shuffle; the order is the one
    Python's sort of the same texts gives, whatever the column's string type."""
    import pandas as pd

    assert privacy.shuffled(pd.Series(texts, dtype=dtype), seed) == privacy.shuffled(list(texts), seed)


def test_a_link_carries_the_minimum_of_customer_answers():
    """A minimum of customer answers other than the default is written into the address and read back from it, so a
    shared view shows the same departments and margins."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.number_input(key="min_customers").set_value(30).run()
    assert at.query_params["m"] in ("30", ["30"])
    shared = AppTest.from_file(APP, default_timeout=120)
    shared.query_params["m"] = "30"
    shared.run()
    assert not shared.exception and shared.session_state["min_customers"] == 30
    assert next(n for n in shared.number_input if n.key == "min_customers").value == 30
