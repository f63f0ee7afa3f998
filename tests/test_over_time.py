"""Issue 13's figures: intervals on every employee figure, changes between periods, departments against the rest,
relative weights, lagged linkage and the saved setup."""

from __future__ import annotations

import numpy as np
import pytest

from lib.figures import stats
from tests.test_app import sample_summary


def test_engagement_and_favourable_carry_their_intervals():
    s = sample_summary()
    e = s.engagement
    scores = s.employee.frame["engagement"].to_numpy(dtype=float)[s.employee_view.mask]
    assert e.index_ci95 == pytest.approx(stats.mean_interval(scores))
    f = s.employee.frame.loc[s.employee_view.mask]
    # favourable %: the person is the cluster (issue 22), the same interval as the direct computation
    assert e.favorable_ci95 == pytest.approx(stats.cluster_ratio(f["favorable"], f["answered"]).ci95)
    shown = [d for d in s.departments if d.engagement and not d.suppressed and d.engagement.respondents >= 2]
    assert shown and all(d.engagement.index_ci95[0] < d.engagement.index < d.engagement.index_ci95[1] for d in shown)
    assert all(d.engagement.index_ci95 is None for d in s.departments if d.suppressed)


def _quarterly_employee(n_per_quarter: int = 60, seed: int = 7, drop: str = "Ward B") -> bytes:
    """Four quarterly waves of an employee survey; one ward's engagement drops sharply in the last wave."""
    import datetime as dt
    import io

    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = []
    for q, month in enumerate((1, 4, 7, 10)):
        for i in range(n_per_quarter):
            ward = ["Ward A", "Ward B", "Ward C"][i % 3]
            level = 3.9 - (1.6 if (ward == drop and q == 3) else 0)
            answers = np.clip(np.round(rng.normal(level, 0.7, 3)), 1, 5).astype(int)
            rows.append({"Department": ward, "Submitted": dt.datetime(2025, month, 3 + i % 20, 9),
                         "I feel valued at work": answers[0], "I enjoy my work": answers[1],
                         "I am proud of where I work": answers[2]})
    buf = io.BytesIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue()


def test_a_real_drop_is_flagged_after_holm_and_noise_is_not():
    from lib.figures.comparisons import change
    from lib.figures.filters import Filters
    from lib.figures.periods import by_period
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey

    e = load_survey(_quarterly_employee(), "staff.csv", kind="employee")
    quarters = by_period(None, e, Filters(), Settings(), "quarter")
    assert [p.key for p, _s in quarters] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    tests = {(t.measure, t.department): t for t in change(quarters[2][1], quarters[3][1])}
    drop = tests[("engagement", "Ward B")]
    assert drop.difference < -25 and drop.significant and drop.p_corrected >= drop.p
    assert not tests[("engagement", "Ward A")].significant and not tests[("engagement", "Ward C")].significant
    steady = {(t.measure, t.department): t for t in change(quarters[0][1], quarters[1][1])}
    assert not any(t.significant for t in steady.values() if t.department)


def test_departments_against_the_rest_use_benjamini_hochberg():
    from lib.figures.comparisons import versus_rest

    s = sample_summary()
    tests = versus_rest(s)
    nps = [t for t in tests if t.measure == "nps"]
    assert [t.p_corrected for t in nps] == pytest.approx(stats.benjamini_hochberg([t.p for t in nps]))
    worst = min(nps, key=lambda t: t.difference)
    assert worst.department == "IT Service Desk" and worst.significant and worst.difference < 0
    assert not any(t.department == "Pharmacy Services" and t.measure != "nps" for t in tests)  # hidden: not tested


def test_periods_never_reveal_a_person_by_difference():
    """Any two periods (weeks, months, quarters, narrowed by date filters) release rows that differ, within each
    department and in total, by nobody or by at least k people."""
    import datetime as dt
    import itertools

    from lib.figures.filters import Filters
    from lib.figures.periods import by_period
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey

    e = load_survey(_quarterly_employee(n_per_quarter=45), "staff.csv", kind="employee")
    k = 5
    released = []
    cuts = (Filters(), Filters(since=dt.date(2025, 1, 10)), Filters(until=dt.date(2025, 7, 12)))
    for kind, choices in (("week", cuts[:1]), ("month", cuts), ("quarter", cuts), ("year", cuts)):
        for filters in choices:
            for _p, s in by_period(None, e, filters, Settings(min_group=k), kind):
                v = s.employee_view
                released.append([(v.mask & (v.group == g)) for g in range(len(s.link.names))] + [v.mask])
    assert len(released) > 30
    for a, b in itertools.combinations(released, 2):
        for ma, mb in zip(a, b):
            differ = int((ma ^ mb).sum())
            assert differ == 0 or differ >= k


def _waves_with_a_lagged_link(seed: int = 3) -> tuple[bytes, bytes]:
    """Twelve departments over four quarters: each quarter's engagement is drawn anew, and customer NPS in the next
    quarter follows it (NPS in the same quarter does not)."""
    import datetime as dt
    import io

    import pandas as pd

    rng = np.random.default_rng(seed)
    depts = [f"Unit {i:02d}" for i in range(12)]
    level = rng.uniform(2.2, 4.6, size=(4, 12))  # engagement level per quarter and unit, on 1–5
    staff, customers = [], []
    for q in range(4):
        month = 1 + 3 * q
        for j, d in enumerate(depts):
            for i in range(12):
                a = np.clip(np.round(rng.normal(level[q, j], 0.6, 3)), 1, 5).astype(int)
                staff.append({"Department": d, "Submitted": dt.datetime(2025, month, 2 + i, 9),
                              "I feel valued at work": a[0], "I enjoy my work": a[1], "I am proud of where I work": a[2]})
            lead = level[q - 1, j] if q > 0 else rng.uniform(2.2, 4.6)
            promoter = np.clip(0.1 + 0.2 * (lead - 2.2), 0.05, 0.9)
            for i in range(70):  # above the default minimum of customer answers (62)
                score = rng.choice([3, 8, 10], p=[max(0.0, 0.6 - promoter), 0.4, promoter])
                customers.append({"Department": d, "Date": dt.datetime(2025, month, 1 + i % 27, 12),
                                  "How likely is it that you would recommend us to a friend or colleague?": score})
    out = []
    for rows in (customers, staff):
        buf = io.BytesIO()
        pd.DataFrame(rows).to_csv(buf, index=False)
        out.append(buf.getvalue())
    return out[0], out[1]


def test_a_lagged_link_shows_at_lag_one_and_not_at_lag_zero():
    from lib.figures.filters import Filters
    from lib.figures.lagged import lagged_linkage
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey

    c_bytes, e_bytes = _waves_with_a_lagged_link()
    c = load_survey(c_bytes, "customers.csv", kind="customer")
    e = load_survey(e_bytes, "staff.csv", kind="employee")
    lags = {x.lag: x for x in lagged_linkage(c, e, Filters(), Settings(), "quarter")}
    assert lags[0].pairs == 4 and lags[1].pairs == 3 and lags[2].pairs == 2
    r0, r1 = lags[0].linkage.result.pearson_r, lags[1].linkage.result.pearson_r
    assert r1 > 0.5 and r1 > r0 + 0.3
    assert lags[1].linkage.result.n == 36  # 12 units × 3 pairs of quarters


def test_the_setup_round_trips_through_the_command_line_and_names_missing_columns(tmp_path, capsys):
    import json

    from lib.cli import main
    from lib.setup import FileSetup, Setup, from_json

    root = __import__("pathlib").Path(__file__).resolve().parent.parent / "sample_data"
    setup = Setup(employee=FileSetup({"I often think about leaving this organisation": "reverse-item"}),
                  mapping={"Homecare": "Home Care"}, min_group=6, departments=["Home Care", "IT Service Desk"],
                  period="quarter", lag=1)
    assert from_json(setup.to_json()) == setup
    path = tmp_path / "setup.json"
    path.write_text(setup.to_json(), encoding="utf-8")
    files = ["--customer", str(root / "customer_survey.xlsx"), "--employee", str(root / "employee_survey.xlsx")]
    assert main(["summary", *files, "--setup", str(path), "--json"]) == 0
    with_setup = json.loads(capsys.readouterr().out)
    assert main(["summary", *files, "--reverse", "I often think about leaving this organisation", "--map",
                 "Homecare=Home Care", "--min-group", "6", "--department", "Home Care", "--department",
                 "IT Service Desk", "--period", "quarter", "--lag", "1", "--json"]) == 0
    by_hand = json.loads(capsys.readouterr().out)

    def chosen_examples(out: dict) -> list[int]:  # which comments illustrate a theme is drawn at random each run
        return [len(t.pop("examples", [])) for side in out["themes"].values() for t in side["themes"]]

    assert chosen_examples(with_setup) == chosen_examples(by_hand)
    assert with_setup == by_hand
    assert with_setup["settings"]["min_group"] == 6 and [x["lag"] for x in with_setup["over_time"]["lagged"]] == [1]
    other = Setup(employee=FileSetup({"Q7": "reverse-item", "Q9": "item"}))
    path.write_text(other.to_json(), encoding="utf-8")
    assert main(["summary", *files, "--setup", str(path)]) == 2
    err = capsys.readouterr().err
    assert "“Q7”, “Q9”" in err and "employee_survey.xlsx" in err and "Traceback" not in err
    path.write_text("{\"hello\": 1}", encoding="utf-8")
    assert main(["summary", *files, "--setup", str(path)]) == 2
    assert "not a setup file" in capsys.readouterr().err


def test_the_over_time_page_shows_periods_changes_and_the_pulse():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.test_over_time import _quarterly_employee

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="uploader").set_value(("staff.csv", _quarterly_employee(), "text/csv")).run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Over time"
    changes = next(d.value for d in at.dataframe if "p (Holm)" in d.value.columns)
    ward_b = changes[(changes["Department"] == "Ward B") & (changes["Figure"] == "Engagement index")].iloc[0]
    assert ward_b["Change"].startswith("▼")
    at.selectbox(key="change_from").select("Q1 2025").run()
    at.selectbox(key="change_to").select("Q2 2025").run()
    changes = next(d.value for d in at.dataframe if "p (Holm)" in d.value.columns)
    assert not changes["Change"].astype(str).str.contains("▲|▼").any()
    at.segmented_control(key="period").set_value("month").run()
    assert not at.exception


def _weekly_pulse() -> bytes:
    import datetime as dt
    import io

    import pandas as pd

    rng = np.random.default_rng(5)
    rows = []
    for w in range(8):
        for i in range(30):
            rows.append({"Team": ["Support", "Sales", "Ops"][i % 3],
                         "Date": dt.date(2026, 1, 5) + dt.timedelta(days=7 * w + i % 5),
                         "Where are you on a scale from 1 to 10 this week?":
                             int(np.clip(round(rng.normal(6 + 0.3 * w, 1.5)), 1, 10))})
    buf = io.BytesIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue()


def test_a_weekly_pulse_gets_its_own_trend_week_by_week():
    from lib.present import breakdowns
    from lib.figures.filters import Filters
    from lib.figures.periods import by_period
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey

    e = load_survey(_weekly_pulse(), "pulse.csv", kind="employee")
    assert e.detection.one("pulse") is not None
    table = breakdowns.period_table(by_period(None, e, Filters(), Settings(), "week"), "week")
    assert list(table["label"]) == [f"week {w}, 2026" for w in range(2, 10)]
    assert (table["pulse_n"] == 30).all()
    first = e.frame.loc[e.frame["date"] < "2026-01-12", "pulse"].mean()
    assert table["pulse"].iloc[0] == pytest.approx(first)
    assert table["pulse"].iloc[-1] > table["pulse"].iloc[0] + 1.5


def test_the_setup_round_trips_through_the_app():
    """Saved from one session, loaded into a fresh one with the same files: the same choices, the same figures; a
    setup for other columns is refused with the missing columns named."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from lib.setup import FileSetup, Setup, from_json

    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.run()
    at.sidebar.number_input[0].set_value(7).run()
    at.sidebar.number_input(key="min_customers").set_value(40).run()
    at.sidebar.multiselect[0].set_value(["IT Service Desk", "Home Care"]).run()
    files = at.session_state["files"]
    customer = next(f for f in files.values() if f.use == "customer")
    employee = next(f for f in files.values() if f.use == "employee")
    import ui.state as state

    saved = None

    def capture():  # the download's bytes, built by the same function the button calls
        nonlocal saved
        saved = state.current_setup(customer, employee)

    from unittest import mock

    with mock.patch.object(state, "st") as fake:
        fake.session_state = at.session_state
        capture()
        full = at.session_state["context"].dates
        assert state.current_setup(customer, employee, full).since is None  # the whole range: not saved
    assert saved.min_group == 7 and saved.min_customers == 40
    assert sorted(saved.departments) == ["Home Care", "IT Service Desk"]
    assert saved.employee.columns == {"I often think about leaving this organisation": "reverse-item"}
    assert from_json(saved.to_json()) == saved

    fresh = AppTest.from_file(app, default_timeout=120)
    fresh.run()
    fresh.switch_page("pages/data.py").run()
    fresh.file_uploader(key="setup_uploader").set_value(("setup.json", saved.to_json().encode(), "application/json")).run()
    assert not fresh.exception and not fresh.error
    assert fresh.session_state["min_group"] == 7 and fresh.session_state["min_customers"] == 40
    assert sorted(fresh.session_state["filter_departments"]) == ["Home Care", "IT Service Desk"]

    wrong = Setup(employee=FileSetup({"Q7": "reverse-item"}))
    fresh.file_uploader(key="setup_uploader").set_value(("wrong.json", wrong.to_json().encode(), "application/json")).run()
    assert any("“Q7”" in e.value and "employee_survey.xlsx" in e.value for e in fresh.error)
    assert fresh.session_state["min_group"] == 7  # refused whole: nothing changed


def _per_quarter(data: bytes, date_column: str, stem: str) -> list[tuple[str, bytes, str]]:
    import io

    import pandas as pd

    frame = pd.read_csv(io.BytesIO(data), parse_dates=[date_column])
    files = []
    for q, (_key, part) in enumerate(frame.groupby(frame[date_column].dt.quarter)):
        buf = io.BytesIO()
        part.to_csv(buf, index=False)
        files.append((f"{stem}_Q{q + 1}.csv", buf.getvalue(), "text/csv"))
    return files


def test_four_quarterly_exports_of_each_survey_are_stacked_as_waves_in_the_app():
    """The manager's day: eight files, stacked per survey in date order; waves as a period; the lagged link."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    c_bytes, e_bytes = _waves_with_a_lagged_link()
    uploads = _per_quarter(c_bytes, "Date", "customers")[::-1] + _per_quarter(e_bytes, "Submitted", "staff")
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="uploader").set_value(uploads).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    ctx = at.session_state["context"]
    assert ctx.customer.name.count("+") == 3 and ctx.employee.name.count("+") == 3
    assert list(ctx.employee.frame["segment_wave"].cat.categories) == ["1", "2", "3", "4"]
    at.switch_page("pages/trends.py").run()
    at.segmented_control(key="period").set_value("wave").run()
    assert not at.exception
    periods_shown = next(d.value for d in at.dataframe if "p (Holm)" in d.value.columns)
    assert len(periods_shown) > 0
    at.switch_page("pages/linkage.py").run()
    assert not at.exception
    lag1 = next(m for m in at.metric if m.label.startswith("Lag 1"))
    lag0 = next(m for m in at.metric if m.label.startswith("Lag 0"))
    assert float(lag1.value) > float(lag0.value) + 0.3


def test_one_statement_on_two_scales_cannot_be_stacked():
    import io

    import pandas as pd

    from lib.errors import ColumnError
    from lib.survey.stacking import stack
    from lib.survey.frame import load_survey

    def file(high: int) -> bytes:
        buf = io.BytesIO()
        pd.DataFrame({"Department": ["A", "B"] * 10, "I enjoy my work": [1, high] * 10}).to_csv(buf, index=False)
        return buf.getvalue()

    a = load_survey(file(5), "a.csv", kind="employee", scales={"I enjoy my work": "1-5"})
    b = load_survey(file(4), "b.csv", kind="employee", scales={"I enjoy my work": "1-4"})
    with pytest.raises(ColumnError, match="same scale"):
        stack([a, b])


def test_a_wave_column_in_one_file_gives_the_waves():
    import io

    import pandas as pd

    from lib.figures.filters import Filters
    from lib.figures.periods import by_period, offered
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey

    frame = pd.read_csv(io.BytesIO(_quarterly_employee()), parse_dates=["Submitted"])
    frame["Omgång"] = "Omgång " + frame["Submitted"].dt.quarter.astype(str)
    buf = io.BytesIO()
    frame.to_csv(buf, index=False)
    e = load_survey(buf.getvalue(), "staff.csv", kind="employee")
    assert "wave" in offered(None, e)
    waves = by_period(None, e, Filters(), Settings(), "wave")
    assert [p.key for p, _s in waves] == ["Omgång 1", "Omgång 2", "Omgång 3", "Omgång 4"]
    quarters = by_period(None, e, Filters(), Settings(), "quarter")
    assert [s.engagement.index for _p, s in waves] == pytest.approx([s.engagement.index for _p, s in quarters])


def test_a_customer_file_without_waves_counts_each_answer_in_the_wave_current_then():
    """Customers answer all year; staff in three waves (files). By wave, the customer NPS is that of the answers from
    the wave's first staff answer to the day before the next wave's (the last wave: on to the end), never the whole
    year's figure in every wave."""
    import csv
    import datetime as dt
    import io

    from lib.figures.filters import Filters
    from lib.figures.periods import by_period
    from lib.figures.summary import Settings
    from lib.survey.frame import load_survey
    from lib.survey.stacking import stack

    def data(rows):
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        return buf.getvalue().encode()

    start = dt.date(2024, 1, 1)
    customers = [["Date", "Unit", "How likely are you to recommend us to a friend?"]]
    for day in range(270):
        when = start + dt.timedelta(days=day)
        customers.append([when.isoformat(), ("North", "South")[day % 2], (10, 0, 8)[day // 90]])  # one score a quarter
    c = load_survey(data(customers), "customers.csv", kind="customer")
    agree = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    waves = []
    for w, month in enumerate((2, 5, 8)):
        staff = [["Date", "Unit", "I enjoy my work", "I am proud to work here", "I have the tools I need",
                  "How likely are you to recommend this organisation as a place to work?"]]
        for i in range(12):
            staff.append([dt.date(2024, month, 10 + i).isoformat(), ("North", "South")[i % 2], agree[i % 5],
                          agree[(i + 1) % 5], agree[(i + 2) % 5], i % 11])
        waves.append(load_survey(data(staff), f"staff wave {w + 1}.csv", kind="employee"))
    e = stack(waves)
    got = [(p.key, s.nps.score) for p, s in by_period(c, e, Filters(), Settings(), "wave")]
    dates = c.frame["date"].dt.date
    scores = c.frame["recommend"]

    def nps(lo, hi):
        chosen = scores[(dates >= lo) & (dates <= hi)]
        return 100 * ((chosen >= 9).mean() - (chosen <= 6).mean())

    expected = [nps(dt.date(2024, 2, 10), dt.date(2024, 5, 9)), nps(dt.date(2024, 5, 10), dt.date(2024, 8, 9)),
                nps(dt.date(2024, 8, 10), dt.date(2024, 12, 31))]
    assert [k for k, _ in got] == ["1", "2", "3"]
    assert [v for _, v in got] == pytest.approx(expected)
    assert len({round(v, 6) for _, v in got}) == 3


def test_each_periods_summaries_are_kept_per_view_and_not_while_the_ledger_records():
    """The same surveys, filters, settings and kind give the periods' summaries once (the pages and the decks share
    them); another filter or kind works them out again; with the ledger on, every call makes (and records) its own."""
    import datetime as dt

    from lib.figures.filters import Filters
    from lib.figures.periods import by_period
    from lib.figures.summary import Settings
    from lib.privacy import ledger
    from lib.survey.frame import load_survey

    e = load_survey(_quarterly_employee(), "staff.csv", kind="employee")
    settings = Settings(comment_seed=3)
    first = by_period(None, e, Filters(), settings, "quarter")
    again = by_period(None, e, Filters(), settings, "quarter")
    assert [s for _p, s in again] == [s for _p, s in first] and all(a is b for (_p, a), (_q, b) in zip(first, again))
    later = by_period(None, e, Filters(since=dt.date(2025, 4, 1)), settings, "quarter")
    assert [p.key for p, _s in later] == ["2025Q2", "2025Q3", "2025Q4"] and later[0][1] is not first[1][1]
    assert by_period(None, e, Filters(), settings, "month")[0][1] is not first[0][1]
    fresh = by_period(None, e, Filters(), Settings(), "quarter")  # no seed: a fresh comment shuffle each time
    assert fresh[0][1] is not by_period(None, e, Filters(), Settings(), "quarter")[0][1]
    with ledger.recording() as log:
        recorded = by_period(None, e, Filters(), settings, "quarter")
    assert recorded[0][1] is not first[0][1] and log


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_each_periods_totals_are_those_of_its_full_summary(kind):
    """The Over time page's table reads each period's totals (no departments worked out for a hundred weeks); the two
    periods it compares are summarised in full. Both agree with the full summaries of every period."""
    from lib.figures.filters import Filters
    from lib.figures.periods import by_period, full_summaries
    from lib.figures.summary import Settings
    from lib.present.breakdowns import period_table

    s = sample_summary()
    settings = Settings(comment_seed=3)
    full = by_period(s.customer, s.employee, Filters(), settings, kind)
    totals = by_period(s.customer, s.employee, Filters(), settings, kind, False)
    assert len(full) >= 2 and [p for p, _s in totals] == [p for p, _s in full]
    assert all(not t.departments and t.linkage is None and not t.detailed for _p, t in totals)
    assert period_table(totals, kind).equals(period_table(full, kind))
    pair = full_summaries(s.customer, s.employee, Filters(), settings, kind, [full[0][0], full[-1][0]])
    assert [x.as_dict() for x in pair] == [full[0][1].as_dict(), full[-1][1].as_dict()]
