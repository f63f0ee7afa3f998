"""Fixes from a review: what an employee file's reasons, filters, dates and decks may say."""
from __future__ import annotations

import json
import random

import pandas as pd
import numpy as np
import pytest

from lib import cli
from lib.values.scale_library import library_set

AGREE = [labels[0] for labels in library_set("agree5").scale.points]


def _employee_file(tmp_path, first: str, n: int = 30, seed: int = 1, stray: str | None = None) -> str:
    """An employee file whose first respondent answers ``first`` to every statement (and ``stray`` once, when given)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        row = {"Department": rnd.choice(["Sales", "Support"]), "Date": f"2026-03-{1 + i % 28:02d}"}
        for q in range(4):
            row[f"I feel valued at work {q}" if q else "My manager supports me"] = first if i == 0 else rnd.choice(AGREE)
        rows.append(row)
    if stray is not None:
        rows[0]["My manager supports me"] = stray
    path = tmp_path / "staff.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("first", AGREE[1:4])
def test_label_reasons_quote_the_scale_never_the_first_answer(tmp_path_factory, capsys, first):
    """P1: the reason of a labelled statement quotes the set's own labels in scale order (its ends), whatever the
    first respondent answered; no output (JSON, text, --explain) carries the first answer in a reason."""
    f = _employee_file(tmp_path_factory.mktemp("p1"), first)
    assert cli.main(["summary", "--employee", f, "--json", "--explain"]) == 0
    out, err = capsys.readouterr()
    reasons = [c["reason"] for c in json.loads(out)["employee"]["columns"] if "labels" in c.get("reason", "")]
    assert reasons, "no labelled statement found"
    for r in reasons:
        assert f"“{AGREE[0]}”, “{AGREE[-1]}”" in r
        assert f"“{first}”" not in r
    assert f"“{first}”" not in err
    assert cli.main(["summary", "--employee", f]) == 0
    assert f"“{first}”" not in capsys.readouterr().out


def test_off_scale_count_is_not_said_for_an_employee_file(tmp_path, capsys):
    """P1: one off-scale answer in an employee statement is left out without saying "1"."""
    f = _employee_file(tmp_path, AGREE[2], stray="Banana")
    assert cli.main(["summary", "--employee", f, "--json"]) == 0
    reasons = [c["reason"] for c in json.loads(capsys.readouterr().out)["employee"]["columns"]]
    stray = [r for r in reasons if "not on its scale" in r]
    assert stray and not any("1 other" in r for r in stray)


def test_hme_by_gender_never_names_a_value_fewer_than_k_hold():
    """P2: a gender value fewer than k people hold is not a key of the HME breakdown (not even with a hidden
    figure): only the values the filters offer are named."""
    from lib.figures import hme
    from lib.figures.summary import summarize
    from lib.survey.frame import load_survey

    rng = random.Random(3)
    answers = ["Stämmer mycket dåligt", "2", "3", "4", "Stämmer mycket bra"]
    headers = [texts[0] + "." for texts in hme.STATEMENTS.values()]
    rows = [";".join(["Enhet", "Kön", *headers])]
    for i in range(60):
        gender = "Annat" if i < 2 else rng.choice(["Kvinna", "Man"])
        rows.append(";".join([f"Enhet {i % 3}", gender, *(rng.choice(answers) for _ in headers)]))
    e = load_survey("\n".join(rows).encode(), "hme.csv", kind="employee")
    s = summarize(None, e)
    assert set(s.nordic.hme_by_gender) == {"Kvinna", "Man"}
    assert "Annat" not in json.dumps(s.nordic.as_dict(), ensure_ascii=False)


def _dated_file(dates: list[str], employee: bool) -> bytes:
    rnd = random.Random(5)
    if employee:
        head = ["Department", "Date", "My manager supports me", "I feel valued at work"]
        rows = [[rnd.choice(["Sales", "Support"]), d, rnd.choice(AGREE), rnd.choice(AGREE)] for d in dates]
    else:
        head = ["Department", "Date", "How likely are you to recommend us to a friend?"]
        rows = [[rnd.choice(["Sales", "Support"]), d, str(rnd.randint(0, 10))] for d in dates]
    return "\n".join(";".join(r) for r in [head, *rows]).encode()


@pytest.mark.parametrize("first,last", [("2026-03-05", "2026-04-17"), ("2026-02-11", "2026-12-30"),
                                        ("2025-12-31", "2026-02-01")])
def test_employee_date_bounds_are_released_at_month_level(first, last):
    """P3: the employee file's first and last answer dates reach the sidebar and the title slide only as the first
    day of the first month and the last day of the last month; the customer file's stay exact."""
    import datetime as dt

    from lib.deck.slides import organisation_deck
    from lib.figures.filters import date_range
    from lib.figures.summary import summarize
    from lib.i18n import format_date
    from lib.survey.frame import load_survey

    days = pd.date_range(first, last, periods=30).strftime("%Y-%m-%d").tolist()
    e = load_survey(_dated_file(days, True), "staff.csv", kind="employee")
    lo, hi = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    month_end = (pd.Timestamp(hi) + pd.offsets.MonthEnd(0)).date()
    assert date_range(e) == (lo.replace(day=1), month_end)
    assert date_range(e, exact=True) == (lo, hi)
    c = load_survey(_dated_file(days, False), "customers.csv", kind="customer")
    assert date_range(c) == (lo, hi)
    title = " ".join(organisation_deck(summarize(None, e)).slides[0].lines)
    assert format_date(lo.replace(day=1)) in title and format_date(month_end) in title
    if lo.day != 1:
        assert format_date(lo) not in title
    if hi != month_end:
        assert format_date(hi) not in title


def test_department_decks_quote_no_employee_comment():
    """P4: a department's deck shows its employee themes as shares and counts only; no employee comment is quoted
    under the department's name (customer examples may stay). The organisation's deck still quotes one each."""
    from pathlib import Path

    from lib.deck import slides as S
    from lib.figures.filters import Filters
    from lib.figures.summary import Settings, summarize
    from lib.survey.frame import load_survey

    root = Path(__file__).resolve().parent.parent / "sample_data"
    c = load_survey((root / "customer_survey.xlsx").read_bytes(), "customer_survey.xlsx", kind="customer")
    e = load_survey((root / "employee_survey.xlsx").read_bytes(), "employee_survey.xlsx", kind="employee")
    s = summarize(c, e, Filters(), Settings(comment_seed=1))
    org, decks, _left = S.per_department(s)
    assert any(ln.startswith("    ") for sl in org.slides if sl.title == "What employees write about" for ln in sl.lines)
    texts = {str(t).strip() for col in e.comments.values() for t in e.frame[col].dropna() if str(t).strip()}
    employee_slides = [sl for d in decks.values() for sl in d.slides if sl.title.endswith("What employees write about")]
    assert employee_slides, "no department deck has employee themes"
    for sl in employee_slides:
        assert not [ln for ln in sl.lines if ln.startswith("    ")], sl.title
    for d in decks.values():
        said = " ".join(ln for sl in d.slides for ln in sl.lines)
        assert not [t for t in texts if len(t) > 25 and t in said and t not in
                    {str(x).strip() for col in c.comments.values() for x in c.frame[col].dropna()}]


def test_a_view_the_filters_cut_says_so_and_gives_no_n(capsys):
    """F1: filters that choose employee rows but leave no whole group hide the headline with the reason "cut"
    ("the filters split its groups") and no n, not "fewer than k responses n = 0"."""
    from pathlib import Path

    from lib.figures.filters import Filters
    from lib.figures.summary import summarize
    from lib.i18n import set_language
    from lib.survey.frame import load_survey

    set_language("en")
    root = Path(__file__).resolve().parent.parent / "sample_data"
    e = load_survey((root / "employee_survey.xlsx").read_bytes(), "employee_survey.xlsx", kind="employee")
    busiest = e.frame.groupby(e.frame["date"].dt.date).size().idxmax()  # one day chosen: no department's group whole
    dept = str(e.frame.loc[e.frame["date"].dt.date == busiest, "department"].dropna().iloc[0])
    s = summarize(None, e, Filters(departments=frozenset({dept}), since=busiest, until=busiest))
    assert s.engagement.suppressed and s.engagement.reason == "cut"
    args = ["summary", "--employee", str(root / "employee_survey.xlsx"), "--department", dept,
            "--since", busiest.isoformat(), "--until", busiest.isoformat()]
    assert cli.main(args) == 0
    head = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Engagement index:")]
    assert head == ["Engagement index: hidden: the filters split its groups"]


def test_the_cli_docstring_and_contributing_name_every_command():
    """F3: lib/cli.py's docstring and CONTRIBUTING.md's line for cli.py name every command the parser has."""
    import argparse
    from pathlib import Path

    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    commands = list(sub.choices)
    assert "comments" in commands
    line = next(ln for ln in (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text().splitlines()
                if "cli.py" in ln and "python -m lib" in ln)
    head = " ".join(cli.__doc__.split("\n\n")[0].replace("`", " ").split())
    for c in commands:
        assert f" {c} " in line.replace("`", " ") and f"python -m lib {c} " in head, c


def _contract_file(tmp_path):
    """24 staff over March 2025, two of them hourly workers; 5-point statements and eNPS."""
    import csv

    agree = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    rows = [["Respondent ID", "Submitted", "Department", "Contract", "Gender", "I enjoy my work",
             "I am proud to work here", "How likely are you to recommend this organisation as a place to work?"]]
    for i in range(24):
        rows.append([f"R{i}", f"2025-03-{1 + i:02d} 09:00", ("Alfa", "Beta")[i % 2], "Hourly" if i in (3, 8) else "Permanent",
                     ("Woman", "Man")[(i // 2) % 2], agree[i % 5], agree[(i * 3) % 5], i % 11])
    path = tmp_path / "contract.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize("segment, says", [
    ("Contract=Hourly", "is not a value of “Contract” that may be chosen"),  # two people: never a filter
    ("Age=30", "is not a segment column"),
    ("Department=Alfa", "is not a segment column"),
    ("Gender=Unknown", "is not a value of “Gender”"),
])
def test_a_segment_filter_that_may_not_be_chosen_is_refused(tmp_path, capsys, segment, says):
    from lib.cli import main

    path = _contract_file(tmp_path)
    assert main(["summary", "--employee", str(path), "--segment", segment]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert "Hourly" not in err.partition("(")[2]  # a rare value is never named among those that may be chosen


def test_filtered_out_counts_of_an_employee_file_say_fewer_than_k(tmp_path, capsys):
    """Every one-day window of the month and every allowed segment value: no count of rows left out is 1 to k − 1."""
    import json

    from lib.cli import main

    path = _contract_file(tmp_path)
    seen_hidden = False
    for day in range(1, 25):
        for segment in ([], ["--segment", "Gender=Man"], ["--segment", "Contract=Permanent"]):
            when = f"2025-03-{day:02d}"
            assert main(["summary", "--employee", str(path), "--since", when, "--until", when, *segment, "--json"]) == 0
            out = json.loads(capsys.readouterr().out)["employee"]["filtered_out"]
            for why, entry in out.items():
                assert entry["count"] is None or entry["count"] == 0 or entry["count"] >= 5, (when, segment, why)
                if entry["count"] is None:
                    assert entry["fewer_than"] == 5
                    seen_hidden = True
    assert seen_hidden  # the rule was needed: some counts were below 5


AGREE_SV = ["Instämmer inte alls", "Instämmer inte", "Varken eller", "Instämmer", "Instämmer helt"]


def _wave(tmp_path, name, people, points, month):
    """An employee wave: ``people`` rows, each statement answered with the Swedish 5-point labels at ``points``."""
    import csv

    rows = [["Avdelning", "Datum", "Jag trivs på jobbet", "Jag har tydliga mål", "Min chef lyssnar",
             "Hur troligt är det att du skulle rekommendera din arbetsplats till en vän? (0-10)"]]
    for i in range(people):
        p = points[i % len(points)]
        rows.append([("Vård", "Skola")[i % 2], f"2024-{month:02d}-{1 + i % 27:02d}", AGREE_SV[p - 1],
                     AGREE_SV[points[(i + 1) % len(points)] - 1], AGREE_SV[p - 1], i % 11])
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


def test_a_short_wave_without_the_middle_answer_joins_the_five_point_waves(tmp_path):
    """A pulse of 4 where nobody chose "Varken eller" reads on 1–4 alone; stacked with a 5-point wave it is read on
    the 5 points, its answers on the points they are there (Instämmer = 4, not 3), and a note says so."""
    from lib.survey.frame import load_survey
    from lib.survey.stacking import stack

    q1 = _wave(tmp_path, "q1.csv", 20, [1, 2, 3, 4, 5], 3)
    pulse = _wave(tmp_path, "pulse.csv", 4, [1, 2, 4, 5], 11)
    alone = load_survey(pulse.read_bytes(), "pulse.csv", kind="employee")
    assert {(i.scale.low, i.scale.high) for i in alone.items} == {(1, 4)}
    both = stack([load_survey(q1.read_bytes(), "q1.csv", kind="employee"), alone])
    assert {(i.scale.low, i.scale.high) for i in both.items} == {(1, 5)}
    late = both.frame.iloc[20:]
    first = both.items[0].key
    assert sorted(late[first].dropna().astype(int).tolist()) == [1, 2, 4, 5]
    scaled = 100 * (late[[i.key for i in both.items]].to_numpy(dtype=float) - 1) / 4
    assert late["engagement"].to_numpy() == pytest.approx(np.nanmean(scaled, axis=1))
    assert any("pulse.csv" in str(n) and "1–5" in str(n) for n in both.notes)


def test_a_four_label_reading_is_weak_and_may_be_set_to_five_points(tmp_path, capsys):
    from lib.cli import main

    pulse = _wave(tmp_path, "pulse.csv", 12, [1, 2, 4, 5], 11)
    assert main(["summary", "--employee", str(pulse), "--explain"]) == 0
    err = capsys.readouterr().err
    assert "! 3 statements read on 1–4 labels could be on the 1–5 set" in err
    assert main(["summary", "--employee", str(pulse), "--scale", "Jag trivs på jobbet=1-5", "--json"]) == 0
    import json

    items = json.loads(capsys.readouterr().out)["employee"]["items"]
    assert {i["column"]: i["scale"] for i in items}["Jag trivs på jobbet"] == [1, 5]
    assert main(["summary", "--employee", str(pulse), "--scale", "Jag trivs på jobbet=1-3"]) == 2
    assert "no 1–3 set we know holds them" in capsys.readouterr().err


def test_a_file_fewer_than_k_answered_does_not_say_what_its_answers_show(tmp_path, capsys):
    from lib.cli import main

    pulse = _wave(tmp_path, "pulse.csv", 3, [1, 3, 5], 11)
    assert main(["summary", "--employee", str(pulse), "--explain"]) == 0
    captured = capsys.readouterr()
    said = captured.err + captured.out
    assert "nobody answered" not in said and "different values" not in said
    assert "fewer than 5 responses: what the answers show is not said" in said


def test_a_deck_names_only_filter_values_that_may_be_offered(tmp_path):
    """A filter value fewer than k share (from a link typed by hand, say) is not written on the title slide."""
    from lib.deck import slides
    from lib.figures.filters import Filters
    from lib.figures.summary import summarize
    from lib.survey.frame import load_survey

    path = _contract_file(tmp_path)
    e = load_survey(path.read_bytes(), "contract.csv", kind="employee")
    for value, shown in (("Hourly", False), ("Permanent", True)):
        s = summarize(None, e, Filters(segments=(("Contract", frozenset({value})),)))
        title = slides._filters_text(s)
        assert (value in title) is shown, title
        assert shown or "Contract: a value that is not offered" in title


@pytest.mark.parametrize("extra, says", [
    (["--employee-sheet", "Answers"], "--employee-sheet names a sheet, but “contract.csv” is a text file"),
    (["--codebook", "book.json"], "--codebook and --themes shape the themes of --json"),
    (["--themes"], "--codebook and --themes shape the themes of --json"),
])
def test_an_option_that_would_do_nothing_is_refused(tmp_path, capsys, extra, says):
    from lib.cli import main

    path = _contract_file(tmp_path)
    assert main(["summary", "--employee", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
