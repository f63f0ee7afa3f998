"""The app in Streamlit's headless test harness (AppTest), on the sample data and on uploads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.figures.filters import Filters
from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey

from . import exports as ex

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/data.py", "pages/overview.py", "pages/customer.py", "pages/engagement.py", "pages/linkage.py",
         "pages/trends.py", "pages/comments.py"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sample_summary(departments=None):
    c = load_survey((SAMPLE_DIR / "customer_survey.xlsx").read_bytes(), "customer_survey.xlsx", kind="customer")
    e = load_survey((SAMPLE_DIR / "employee_survey.xlsx").read_bytes(), "employee_survey.xlsx", kind="employee",
                    columns=SAMPLE_COLUMNS)
    return summarize(c, e, Filters(departments=frozenset(departments) if departments else None),
                     Settings(mapping=tuple(SAMPLE_MAPPING.items())))


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_every_page_runs_on_the_sample(app):
    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, page
        assert not app.error, [e.value for e in app.error]
    app.switch_page("pages/overview.py").run()
    assert any("sample data" in i.value for i in app.info)


def test_overview_shows_what_lib_computes(app):
    s = sample_summary()
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{s.nps.score:.1f}"
    assert metric(app, "Engagement index") == f"{s.engagement.index:.1f}"
    assert metric(app, "eNPS") == f"{s.enps.score:.1f}"
    assert metric(app, "Correlation (r)") == f"{s.linkage.result.pearson_r:.2f}"
    table = app.dataframe[0].value
    row = table[table["Department"] == "Pharmacy Services"].iloc[0]
    assert row["Engagement"] == "fewer than 5 responses" and row["eNPS"] == "fewer than 5 responses"


def test_pages_show_lib_figures(app):
    s = sample_summary()
    app.switch_page("pages/engagement.py").run()
    assert metric(app, "Cronbach's alpha") == f"{s.alpha.alpha:.2f}"
    assert metric(app, "Favourable %") == f"{s.engagement.favorable_pct:.1f}"
    app.switch_page("pages/linkage.py").run()
    assert metric(app, "Departments used") == str(s.linkage.result.n)
    assert metric(app, "Spearman rho") == f"{s.linkage.result.spearman_rho:.2f}"
    app.switch_page("pages/customer.py").run()
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{s.nps.score:.1f}"


def test_department_filter_changes_every_page_and_survives_a_switch(app):
    dept = ["IT Service Desk", "Rehabilitation", "Customer Support", "Field Service South"]
    app.sidebar.multiselect[0].set_value(dept).run()
    s = sample_summary(dept)
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{s.nps.score:.1f}" != f"{sample_summary().nps.score:.1f}"
    app.switch_page("pages/engagement.py").run()
    assert app.sidebar.multiselect[0].value == dept
    assert metric(app, "Engagement index") == f"{s.engagement.index:.1f}"
    app.switch_page("pages/customer.py").run()
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{s.nps.score:.1f}"
    app.switch_page("pages/linkage.py").run()
    assert metric(app, "Departments used") == "4"
    assert app.query_params["dept"] == dept


def test_filter_from_a_shared_link():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dept"] = "Rehabilitation"
    at.run()
    s = sample_summary(["Rehabilitation"])
    assert metric(at, "Customer NPS") == f"{s.nps.score:.1f}"


def test_upload_changes_the_figures(app):
    app.switch_page("pages/data.py").run()
    c_name, c_data = ex.qualtrics_customer_csv()
    e_name, e_data = ex.ms_forms_employee_xlsx()
    app.file_uploader(key="uploader").set_value([(c_name, c_data, "text/csv"), (e_name, e_data, XLSX)]).run()
    assert not app.exception
    app.switch_page("pages/overview.py").run()
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{ex.expected_nps([s for *_, s in ex.CUSTOMER]):.1f}"
    assert not any("sample data" in i.value for i in app.info)


def test_broken_upload_gets_a_message_and_the_rest_keeps_working(app):
    app.switch_page("pages/data.py").run()
    c_name, c_data = ex.google_forms_customer_csv()
    app.file_uploader(key="uploader").set_value([(c_name, c_data, "text/csv"), ("broken.xlsx", b"PK\x03\x04junk", XLSX)]).run()
    assert not app.exception
    assert any("broken.xlsx" in e.value for e in app.error)
    app.switch_page("pages/overview.py").run()
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{ex.expected_nps([s for *_, s in ex.CUSTOMER]):.1f}"


def test_many_uploads_open_only_the_panels_that_need_a_look(app):
    """Of three or more uploads, a panel opens at first only for a file that could not be read or whose reading rests
    on thin evidence; a closed panel draws none of its widgets until opened (two uploads: both open)."""
    app.switch_page("pages/data.py").run()
    uploads = [ex.qualtrics_customer_csv(), ex.google_forms_customer_csv(), ex.small_teams_employee_csv()]
    app.file_uploader(key="uploader").set_value([*((n, d, "text/csv") for n, d in uploads),
                                                 ("broken.xlsx", b"PK\x03\x04junk", XLSX)]).run()
    assert not app.exception
    assert any("broken.xlsx" in e.value for e in app.error)  # its panel is open, with why
    panels = {e.label.split("**")[1]: e for e in app.expander if e.label.startswith("**")}
    assert set(panels) == {n for n, _d in uploads} | {"broken.xlsx"}
    shut = [name for name, e in panels.items() if not e.children]
    assert shut, "every panel drew its widgets"
    before = len(app.data_editor)
    app.session_state[f"panel::{_digest_of(app, shut[0])}"] = True
    app.run()
    assert not app.exception and len(app.data_editor) > before  # opened: its roles editor is drawn


def _digest_of(app, name: str) -> str:
    return next(f.digest for f in app.session_state["files"].values() if f.name == name)


@pytest.mark.parametrize("lang, overview, engagement", [("en", "Overview", "Engagement index"),
                                                        ("sv", "Översikt", "Engagemangsindex"),
                                                        ("fi", "Yleiskatsaus", "Sitoutumisindeksi")])
def test_every_page_runs_in_each_language_with_every_message_translated(lang, overview, engagement):
    """The link's lang (or the browser's locale) picks the language; no page shows a message its catalogue lacks."""
    import lib.i18n as i18n

    i18n.MISSING.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (lang, page, at.exception)
        assert not at.error, [e.value for e in at.error]
    at.switch_page("pages/overview.py").run()
    assert at.title[0].value == overview
    assert any(m.label == engagement for m in at.metric)
    assert not i18n.MISSING, sorted(i18n.MISSING)
    s = sample_summary()
    shown = metric(at, engagement)
    assert shown == i18n.format_number(s.engagement.index, 1, lang)


def test_the_language_can_be_switched_in_the_sidebar_and_is_kept_in_the_link(app):
    app.sidebar.selectbox[0].select("fi").run()
    assert app.title[0].value == "Yleiskatsaus"
    assert app.query_params.get("lang") == ["fi"] or app.query_params.get("lang") == "fi"


def test_the_sample_follows_the_language():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run()
    assert "Hemtjänst" in at.sidebar.multiselect[0].options
    at.sidebar.selectbox[0].select("fi").run()
    assert "Kotihoito" in at.sidebar.multiselect[0].options and "Hemtjänst" not in at.sidebar.multiselect[0].options


def _mixed_ratings_csv() -> bytes:
    """A customer export whose recommend column also holds a 0–2 and a 1–7 question, told apart by "Survey"."""
    import csv
    import io
    import random

    rnd = random.Random(3)
    rows = [["Survey", "Store", "How likely are you to recommend us to a friend?"]]
    for i in range(300):
        kind = ["NPS", "CSAT", "CES"][i % 3]
        low, top = {"NPS": (0, 10), "CSAT": (0, 2), "CES": (1, 7)}[kind]
        rows.append([kind, ["North", "South"][i % 2], rnd.randint(low, top)])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def test_a_column_mixing_question_types_offers_one_part_to_read(app):
    """The mixed-scales message promises a part to read: the Data page offers the parts, and choosing one gives the
    NPS of that part's rows only."""
    import numpy as np

    from lib.figures.stats import nps

    data = _mixed_ratings_csv()
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="uploader").set_value([("mixed.csv", data, "text/csv")]).run()
    assert not app.exception
    assert any("different scales" in e.value for e in app.error)
    choice = next(s for s in app.selectbox if "Survey" in s.label)
    assert "NPS" in choice.options and "CES" in choice.options
    choice.set_value("NPS").run()
    assert not app.exception
    assert not any("different scales" in e.value for e in app.error)
    app.switch_page("pages/overview.py").run()
    import csv
    import io

    answers = [int(r[2]) for r in list(csv.reader(io.StringIO(data.decode())))[1:] if r[0] == "NPS"]
    assert metric(app, "Customer NPS").replace("\u2212", "-") == f"{nps(np.array(answers)).score:.1f}"


def test_a_source_named_in_the_secrets_is_counted_on_the_data_page(tmp_path):
    """A DuckDB file named in the secrets, chosen on the Data page: counted in its engine (with the status box that
    says for how long and that Stop cancels), and the Overview shows the NPS lib computes from the same source."""
    import duckdb
    import pandas as pd

    from lib.read.sources import Source
    from lib.survey.aggregate import load_source

    rows = pd.read_excel(SAMPLE_DIR / "customer_survey.xlsx", dtype=str)
    rows = rows.iloc[: len(rows) // 3]  # not the sample's NPS, so the figure shows which answers were counted
    path = tmp_path / "answers.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", rows)
        con.execute("CREATE TABLE answers AS SELECT * FROM frame")
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["sources"] = {"crm": {"uri": f"duckdb:///{path}", "table": "answers"}}
    at.run()
    at.switch_page("pages/data.py").run()
    box = next(s for s in at.selectbox if s.label == "Customer answers from a database")
    box.select("crm").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    expected = summarize(load_source(Source(f"duckdb:///{path}", table="answers")), None).nps.score
    assert f"{expected:.1f}" != f"{sample_summary().nps.score:.1f}"
    assert metric(at, "Customer NPS").replace("\u2212", "-") == f"{expected:.1f}"


def test_the_comments_themes_are_worked_out_once_per_view(monkeypatch):
    """Rerunning the Comments page, or coming back to it, does not work out the themes again (each session has its
    own cache, so a new AppTest starts empty)."""
    import ui.data

    calls = []
    real = ui.data.comment_report

    def counting(*args, **kwargs):
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.data, "comment_report", counting)
    at = AppTest.from_file(APP, default_timeout=120)
    # a view no other test asks for (AppTest's sessions may share caches), so the first visit works the themes out
    at.query_params["dept"] = ["Homecare", "Customer Support"]
    at.run()
    at.switch_page("pages/comments.py").run()
    assert not at.exception
    assert len(calls) == 1, calls
    at.run()
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/comments.py").run()
    assert not at.exception
    assert len(calls) == 1 and calls[0][-1] is False, calls  # no topic model until asked for
    at.toggle(key="comment_suggest").set_value(True).run()  # the new themes NMF suggests, on request
    assert not at.exception and len(calls) == 2 and calls[1][-1] is True, calls
    assert any(": " in t.value and t.value.endswith(")") for t in at.text) or \
        any("No new theme stands out" in i.value for i in at.info)
    at.run()
    assert len(calls) == 2, calls


def test_every_pages_figures_are_worked_out_once_per_view(monkeypatch):
    """A rerun, a page switch and coming back do no figure work again; a new filter does it once more."""
    import ui.data
    from lib.figures import drivers, lagged, periods, themes
    from lib.present import overview

    calls: dict[str, int] = {}

    def counted(owner, name):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)
        monkeypatch.setattr(owner, name, wrapper)

    for owner, name in ((ui.data, "summarize"), (overview, "last_two"), (drivers, "relative_importance"),
                        (lagged, "lagged_linkage"), (periods, "by_period"), (themes, "theme_breakdown")):
        counted(owner, name)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["dept"] = ["Rehabilitation", "Field Service South"]  # a view no other test asks for
    at.run()
    pages = ["overview", "engagement", "linkage", "trends", "comments"]
    for _round in range(2):
        for page in pages:
            at.switch_page(f"pages/{page}.py").run()
            at.run()
            assert not at.exception, (page, [e.value for e in at.exception])
    once = dict(calls)
    assert {k: once.get(k) for k in ("summarize", "last_two", "relative_importance", "lagged_linkage",
                                     "theme_breakdown")} == dict.fromkeys(
        ("summarize", "last_two", "relative_importance", "lagged_linkage", "theme_breakdown"), 1), once
    by_period = once["by_period"]  # the Overview's two last periods, Over time's table and the linkage's lags
    at.switch_page("pages/overview.py").run()
    at.sidebar.multiselect[0].set_value(["Rehabilitation"]).run()
    assert not at.exception
    assert calls["summarize"] == 2 and calls["last_two"] == 2 and calls["by_period"] > by_period


def test_the_sidebar_leaves_the_deck_unimported_and_the_first_run_imports_ahead():
    """The deck's modules are imported when a deck is asked for, not by the sidebar on every run; the first run of
    the process imports the heavier modules later pages need, after its page has drawn (a fresh process)."""
    import subprocess
    import sys

    script = f"""
import sys
from streamlit.runtime import pages_manager
from streamlit.testing.v1 import AppTest, app_test
import ui.warm


class NavigationPagesManager(pages_manager.PagesManager):  # as tests/conftest.py does
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pages_manager.PagesManager.uses_pages_directory = False


app_test.PagesManager = NavigationPagesManager
ui.warm._done = True  # nothing imported ahead
at = AppTest.from_file({APP!r}, default_timeout=120)
at.run()
assert not at.exception, at.exception
print("deck", "lib.deck.slides" in sys.modules, "sklearn", "sklearn.decomposition" in sys.modules)
ui.warm._done = False
at.run()
print("deck", "lib.deck.slides" in sys.modules, "sklearn", "sklearn.decomposition" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         cwd=Path(APP).parent)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split("\n")[:2] == ["deck False sklearn False", "deck True sklearn True"], out.stdout


def test_a_file_set_to_not_used_leaves_every_page(app):
    """A file's use is part of the view: set to "Not used", its figures leave the Overview (nothing kept stays)."""
    app.switch_page("pages/data.py").run()
    c_name, c_data = ex.qualtrics_customer_csv()
    e_name, e_data = ex.ms_forms_employee_xlsx()
    app.file_uploader(key="uploader").set_value([(c_name, c_data, "text/csv"), (e_name, e_data, XLSX)]).run()
    app.switch_page("pages/overview.py").run()
    assert {"Customer NPS", "Engagement index"} <= {m.label for m in app.metric}
    app.switch_page("pages/data.py").run()
    import hashlib

    from ui import state

    app.selectbox(key=state.file_key("use", hashlib.sha256(e_data).hexdigest())).select("unused").run()
    assert not app.exception
    app.switch_page("pages/overview.py").run()
    assert "Customer NPS" in {m.label for m in app.metric} and "Engagement index" not in {m.label for m in app.metric}


def test_with_the_ledger_on_every_run_records_its_releases():
    """Kept figures are not kept while the release ledger records: a rerun of the same view releases again."""
    from lib.privacy import ledger

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/engagement.py").run()
    at.run()  # the view's figures are kept by now
    with ledger.recording() as log:
        at.run()
    # the figures the page keeps are released (and recorded) again: the drivers, the department against the rest
    assert not at.exception and {"drivers", "engagement:rest", "alpha", "engagement"} <= {r.measure for r in log}


def test_count_again_counts_the_source_again(tmp_path):
    """"Count again" on the Data page goes back to the database: a changed table gives the new figures."""
    import duckdb
    import pandas as pd

    rows = pd.read_excel(SAMPLE_DIR / "customer_survey.xlsx", dtype=str)
    path = tmp_path / "answers.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", rows.iloc[: len(rows) // 2])
        con.execute("CREATE TABLE answers AS SELECT * FROM frame")
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["sources"] = {"crm": {"uri": f"duckdb:///{path}", "table": "answers"}}
    at.run()
    at.switch_page("pages/data.py").run()
    next(s for s in at.selectbox if s.label == "Customer answers from a database").select("crm").run()
    at.switch_page("pages/overview.py").run()
    before = metric(at, "Customer NPS")
    with duckdb.connect(str(path)) as con:
        con.register("frame", rows.iloc[len(rows) // 2:])
        con.execute("DELETE FROM answers")
        con.execute("INSERT INTO answers SELECT * FROM frame")
    at.run()
    assert metric(at, "Customer NPS") == before  # kept until asked
    at.switch_page("pages/data.py").run()
    next(b for b in at.button if b.label == "Count again").click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/overview.py").run()
    assert metric(at, "Customer NPS") != before


def test_a_chart_download_is_in_the_sessions_language_from_another_thread():
    """Streamlit makes a download in a worker thread, where no language is set: the chart keeps the session's."""
    import threading

    from lib.i18n import set_language
    from lib.present import breakdowns, charts
    from ui.widgets import localized_figure

    made = []
    s = sample_summary()
    thread = threading.Thread(target=lambda: made.append(
        localized_figure(charts.nps_by_department, (breakdowns.nps_by_department(s),), "sv")))
    set_language("en")
    thread.start()
    thread.join()
    assert "NPS (−100 till 100)" in str(made[0].to_dict())


def test_the_margin_the_pages_promise_follows_the_minimum_of_customer_answers():
    """The Customer NPS and Linkage pages state the widest 95 % margin of a department NPS at the chosen minimum
    (±25 points at the default 62, ±36 at 30: lib.figures.metrics.nps_margin_bound)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    for m, margin in ((None, 25), (30, 36)):
        if m is not None:
            at.sidebar.number_input(key="min_customers").set_value(m).run()
        for page in ("pages/customer.py", "pages/linkage.py"):
            at.switch_page(page).run()
            assert not at.exception
            said = " ".join(c.value for c in at.caption)
            assert f"at most ±{margin} points" in said and f"at most ±{25 if margin == 36 else 36}" not in said, said


SAMPLE_ORG = ("Unit;Parent;Manager e-mail\nHealth;;anna@example.com\n"
              + "".join(f"{u};Health;\n" for u in ("Occupational Health Stockholm", "Occupational Health Gothenburg",
                                                   "Occupational Health Helsinki", "Physiotherapy – Central",
                                                   "Rehabilitation", "Pharmacy Services"))
              + "Home Care;Care;\n"
              + "".join(f"{u};Services;\n" for u in ("IT Service Desk", "Payroll Services", "Customer Support",
                                                     "Field Service North", "Field Service South")))


def test_an_organisation_file_gives_the_sidebar_its_levels_and_units(app):
    """The Data page reads the organisation (a bad one gets one sentence); the sidebar then shows every division,
    or one division's units, on every page, in the link and in the saved setup."""
    app.switch_page("pages/data.py").run()
    app.file_uploader(key="organisation_uploader").set_value(("org.csv", b"just one column\nx\n", "text/csv")).run()
    assert [e.value for e in app.error] == ["The organisation file org.csv needs two columns, the unit and its parent; "
                                            "it has 1."]
    app.file_uploader(key="organisation_uploader").set_value(("org.csv", SAMPLE_ORG.encode(), "text/csv")).run()
    assert not app.exception and not app.error
    tree = next(df.value for df in app.dataframe if "unit" in df.value.columns)
    assert len(tree) == 15 and int(tree["in_files"].sum()) == 12  # every unit of the files; the divisions are not
    focus = app.sidebar.selectbox(key="focus")
    assert focus.options[:3] == ["Units as in the files", "Every unit at level 1", "Every unit at level 2"]
    focus.set_value("level:1").run()
    app.switch_page("pages/overview.py").run()
    table = app.dataframe[0].value
    assert sorted(table["Department"]) == ["Care", "Health", "Services"]
    health = sample_summary()  # Health's employee count: its six units' responses, Pharmacy's three included
    assert int(table[table["Department"] == "Health"].iloc[0]["Employee n"]) == sum(
        d.employee_n if not d.suppressed else d.engagement.n for d in health.departments
        if d.department in SAMPLE_ORG.split("Home Care")[0])
    assert app.query_params["lv"] == "1"
    app.sidebar.selectbox(key="focus").set_value("unit:Services").run()
    assert sorted(app.dataframe[0].value["Department"]) == ["Customer Support", "Field Service North",
                                                             "Field Service South", "IT Service Desk", "Payroll Services"]
    assert app.query_params["u"] == "Services"
    setup = app.session_state["organisation"]
    assert ["Home Care", "Care"] in setup
    app.switch_page("pages/data.py").run()  # the organisation file put where the surveys go: said where it belongs
    app.file_uploader(key="uploader").set_value([("org.csv", SAMPLE_ORG.encode(), "text/csv")]).run()
    assert any("looks like an organisation file" in i.value for i in app.info), [i.value for i in app.info]
