"""Publishing (issue 26): a snapshot holds only what the privacy module released, per protection group, and the
store keeps it in SQLite or PostgreSQL, with migrations; the store is read directly to check that no raw row is in it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
from dataclasses import replace

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

from lib.errors import OptionError
from lib.figures.summary import Settings, summarize
from lib.load import Choices, File, load
from lib.publish.snapshot import build
from lib.publish.store import Grant, Store
from lib.sample import sample_columns, sample_files, sample_mapping
from lib.survey import hierarchy
from lib.survey.frame import load_survey

from .test_privacy_checker import COMMENT, FLOOR, RAW, customer_file, employee_files


def sample_analysis():
    c, e = sample_files("en")
    found = load([File(c.name, c, "customer"), File(e.name, e, "employee", columns=sample_columns("en"))],
                 Choices(mapping=tuple(sample_mapping("en").items())))
    return found.customer, found.employee, found.settings


def exercise(store: Store) -> None:
    """Publish, list, load, rename, withdraw, restore and delete; grant and revoke access."""
    assert store.revision() == "0002"
    customer, employee, settings = sample_analysis()
    snap = build("Spring 2026", customer, employee, settings, seed=7)
    first = store.publish(snap, by="lead@example.com")
    second = store.publish(build("Autumn 2026", customer, employee, settings, seed=8))
    assert [s.name for s in store.list()] == ["Autumn 2026", "Spring 2026"]
    got = store.load(first)
    assert got.meta == snap.meta and got.customers.equals(snap.customers)
    for name in ("groups", "comments"):
        mine, theirs = getattr(got, name), getattr(snap, name)
        assert list(mine.columns) == list(theirs.columns)
        assert mine.astype(str).equals(theirs.astype(str)), name
    store.rename(first, "Spring 2026, all units")
    store.withdraw(second)
    with pytest.raises(OptionError, match="no published snapshot"):
        store.load(second)
    assert [s.status for s in store.list()] == ["withdrawn", "published"]
    store.restore(second)
    store.delete(second)
    assert [(s.id, s.name) for s in store.list()] == [(first, "Spring 2026, all units")]
    with pytest.raises(OptionError, match="no snapshot"):
        store.delete(second)
    store.grant(Grant("hr-leads", "group", "lead"))
    store.grant(Grant("Anna.Lind@Example.com", "email", "manager", ("Home Care",)))
    store.grant(Grant("anna.lind@example.com", "email", "manager", ("Home Care", "Rehabilitation")))
    assert store.access() == [Grant("anna.lind@example.com", "email", "manager", ("Home Care", "Rehabilitation")),
                              Grant("hr-leads", "group", "lead")]
    with pytest.raises(OptionError, match="not a role"):
        store.grant(Grant("x@example.com", "email", "owner"))
    store.revoke("ANNA.LIND@example.com")
    assert [g.principal for g in store.access()] == ["hr-leads"]
    Store.open(store.url)  # opening again migrates nothing and keeps everything
    assert [s.id for s in Store.open(store.url).list()] == [first]


def test_the_sqlite_store(tmp_path):
    (tmp_path / "nested").mkdir()
    exercise(Store.open(f"sqlite:///{tmp_path / 'nested' / 'snapshots.db'}"))


def test_the_postgresql_store(postgres):
    exercise(Store.open(postgres))


def test_a_store_that_cannot_be_opened_is_one_sentence(tmp_path):
    (tmp_path / "file").write_text("x")
    for url in (f"sqlite:///{tmp_path / 'file' / 'x.db'}", "postgres://me:secret@127.0.0.1:1/db", "nosuch://x"):
        with pytest.raises(OptionError) as caught:
            Store.open(url)
        assert "secret" not in str(caught.value) and len(str(caught.value).splitlines()) == 1


def test_the_sums_give_the_apps_figures_for_whole_groups():
    customer, employee, settings = sample_analysis()
    snap = build("Q", customer, employee, settings, seed=1)
    s = summarize(customer, employee, None, settings)
    from lib.publish.views import Choice, view

    whole = view(snap).engagement
    assert whole.index == pytest.approx(s.engagement.index, abs=1e-9)
    assert whole.index_ci95 == pytest.approx(s.engagement.index_ci95, abs=1e-9)
    assert whole.favorable_pct == pytest.approx(s.engagement.favorable_pct, abs=1e-9)
    shown = [d for d in s.departments if d.engagement is not None and not d.suppressed and not d.partial]
    assert len(shown) >= 8
    for d in shown:
        one = view(snap, Choice(frozenset({d.department}))).engagement
        assert one.index == pytest.approx(d.engagement.index, abs=1e-9), d.department
    enps = snap.groups[[f"enps:{i}" for i in range(11)]].sum().to_numpy()
    assert (int(enps[9:].sum()) - int(enps[:7].sum())) * 100 / enps.sum() == pytest.approx(s.enps.score)
    assert int(snap.customers["answers"].sum()) == s.nps.n


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(file=employee_files())
def test_the_store_holds_no_raw_row_id_date_or_unreleased_text(tmp_path_factory, file):
    """The store's bytes, read directly with sqlite3: no respondent id, no answer day, no stray text, and no comment
    but those of comment groups of at least k commenters; every group has at least k responses."""
    name, data = file
    survey = load_survey(data, name)
    if survey.kind != "employee":
        return
    customers = load_survey(customer_file([str(d) for d in survey.departments]), "customers.csv", kind="customer")
    snap = build("t", customers, survey, Settings(min_group=FLOOR, floor=FLOOR), seed=3)
    path = tmp_path_factory.mktemp("store") / "s.db"
    Store.open(f"sqlite:///{path}").publish(snap)
    with sqlite3.connect(path) as con:
        bodies = dict(con.execute("SELECT part, body FROM snapshot_parts").fetchall())
        names = " ".join(r[0] for r in con.execute("SELECT name FROM snapshots"))
        names += " ".join(f" {c} {m} {n}" for c, m, n in con.execute("SELECT cell, month, responses FROM snapshot_cells"))
    assert set(bodies) == {"meta", "groups", "comments", "customers"}
    meta = json.loads(bodies.pop("meta"))
    meta.pop("published")  # when it was published, not when anyone answered (it once failed the check below on a Tuesday)
    text = json.dumps(meta, ensure_ascii=False) + names  # every table decoded from its Parquet bytes, every cell as text
    for body in bodies.values():
        table = pq.read_table(io.BytesIO(body)).to_pandas()
        text += " ".join(table.columns) + " " + table.to_json(force_ascii=False)
    assert RAW not in text
    assert not re.search(r"R\d{3}", text)  # respondent ids
    days = set(re.findall(r"20\d\d-\d\d-\d\d", text))  # answer days: none; customer weeks by their Monday only
    assert all(dt.date.fromisoformat(d).weekday() == 0 for d in days), days
    groups = snap.groups
    assert groups.empty or (groups["sum:rows"] >= FLOOR).all()
    released = {t for texts in snap.comments.get("texts", []) for t in texts}
    for texts, commenters in zip(snap.comments.get("texts", []), snap.comments.get("commenters", [])):
        assert not len(texts) or commenters >= FLOOR
    written = {int(m) for m in re.findall(COMMENT + r"(\d+)", text)}
    assert written == {int(m) for t in released for m in re.findall(COMMENT + r"(\d+)", t)}
    assert np.all(groups.filter(like="item:").to_numpy() >= 0)


def test_the_command_line_publishes_lists_and_changes_snapshots(tmp_path, capsys):
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 's.db'}"
    files = ["--customer", str(SAMPLE_DIR / "customer_survey.xlsx"), "--employee", str(SAMPLE_DIR / "employee_survey.xlsx"),
             "--map", "Homecare=Home Care"]
    assert main(["publish", *files, "--name", "Spring 2026", "--store", store]) == 0
    assert "Published snapshot 1: Spring 2026" in capsys.readouterr().out
    assert main(["snapshots", "--store", store, "--rename", "1", "Vår 2026", "--withdraw", "1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["snapshots"]
    assert [(x["id"], x["name"], x["status"]) for x in listed] == [(1, "Vår 2026", "withdrawn")]
    for argv, says in ((["snapshots", "--store", store, "--delete", "7"], "no snapshot 7"),
                       (["snapshots", "--store", store, "--rename", "x", "y"], "not a snapshot id"),
                       (["snapshots", "--store", "postgres://me:secret@127.0.0.1:1/x"], "could not be used"),
                       (["publish", "--name", "x", "--store", store], "Give at least one survey file")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert says in err and "secret" not in err and len(err.strip().splitlines()) == 1, err
    assert main(["snapshots", "--store", store, "--delete", "1"]) == 0
    assert "No snapshot has been published." in capsys.readouterr().out


def test_a_view_of_a_snapshot_gives_the_apps_figures_for_whole_groups():
    """Departments, an organisation level and a unit, from the snapshot's groups, equal what the app shows for the
    same choices (the sample's groups are whole departments)."""
    from lib.figures.filters import Filters
    from lib.publish.views import Choice, view
    from lib.survey.hierarchy import build as organisation

    customer, employee, settings = sample_analysis()
    org = organisation([("Home Care", "Care"), ("Rehabilitation", "Health"), ("Pharmacy Services", "Health"),
                        ("Customer Support", "Services"), ("IT Service Desk", "Services")])
    settings = replace(settings, hierarchy=org)
    snap = build("Q", customer, employee, settings, seed=1)
    for choice, filters, focus in ((Choice(), Filters(), {}),
                                   (Choice(frozenset({"Home Care", "Customer Support"})),
                                    Filters(departments=frozenset({"Home Care", "Customer Support"})), {}),
                                   (Choice(unit="Services"), Filters(), {"unit": "Services"}),
                                   (Choice(level=1), Filters(), {"level": 1})):
        v = view(snap, choice)
        s = summarize(customer, employee, filters, replace(settings, **focus))
        assert v.engagement.index == pytest.approx(s.engagement.index, abs=1e-9)
        assert v.enps.score == pytest.approx(s.enps.score, abs=1e-9) and v.nps.score == pytest.approx(s.nps.score)
        from lib.present.overview import statement_scores

        live_items = {r.statement: r.favorable_pct for r in statement_scores(s).itertuples()}
        assert {x["statement"]: pytest.approx(x["favourable_pct"]) for x in v.statements} == live_items
        live = {d.department: d for d in s.departments}
        for u in v.units:
            d = live[u.unit]
            if u.engagement is None:
                assert d.engagement is None or d.suppressed
            else:
                assert u.engagement.index == pytest.approx(d.engagement.index, abs=1e-9), u.unit
            assert u.customer_n == d.customer_n


def test_the_command_line_shows_a_snapshot(tmp_path, capsys):
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["publish", "--customer", str(SAMPLE_DIR / "customer_survey.xlsx"), "--employee",
                 str(SAMPLE_DIR / "employee_survey.xlsx"), "--map", "Homecare=Home Care", "--name", "Q",
                 "--store", store]) == 0
    capsys.readouterr()
    assert main(["snapshot", "1", "--store", store, "--department", "Home Care", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [u["unit"] for u in out["units"]] == ["Home Care"] and out["engagement"]["n"] == 36
    for argv, says in ((["snapshot", "2", "--store", store], "no published snapshot 2"),
                       (["snapshot", "1", "--store", store, "--unit", "Health"], "needs an organisation"),
                       (["snapshot", "1", "--store", store, "--since", "2026-13-01"], "is not a date")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert says in err and len(err.strip().splitlines()) == 1, err


def test_an_outside_reviewers_attacks_on_publishing_are_refused(tmp_path, capsys, monkeypatch):
    """A threshold below the installation's floor, a second snapshot of the same file split another way, filters given
    to publish, and a viewer's filters the snapshot lacks: each refused in one sentence; a segment takes several
    values; a too-small customer count shows its n only."""
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 's.db'}"
    files = ["--customer", str(SAMPLE_DIR / "customer_survey.xlsx"), "--employee", str(SAMPLE_DIR / "employee_survey.xlsx"),
             "--map", "Homecare=Home Care"]
    (tmp_path / "org.csv").write_text("Unit,Parent\nPharmacy Services,Health\nRehabilitation,Health\n")
    monkeypatch.setenv("SURVEY_EXPLORER_MIN_GROUP", "5")
    assert main(["publish", *files, "--min-group", "3", "--name", "low", "--store", store]) == 0
    capsys.readouterr()
    assert Store.open(store).load(1).meta["k"] == 5  # never below the installation's floor
    assert (Store.open(store).load(1).groups["sum:rows"] >= 5).all()
    for argv, says in (
            (["publish", *files, "--org-file", str(tmp_path / "org.csv"), "--name", "other"], "split into other groups"),
            (["publish", *files, "--department", "Home Care", "--name", "x"], "keeps the whole analysis"),
            (["publish", *files, "--name", " "], "needs a name"),
            (["snapshot", "1", "--department", "Nowhere"], "no department “Nowhere”"),
            (["snapshot", "1", "--segment", "Channel=Fax"], "no value “Fax”"),
            (["snapshot", "1", "--segment", "Nope=X"], "no segment column “Nope”"),
            (["snapshot", "1", "--since", "2026-03-01", "--until", "2026-02-01"], "swap them"),
            (["snapshot", "99999999999999999999999"], "not a snapshot id"),
            (["snapshots", "--withdraw", "١"], "not a snapshot id"),
            (["snapshots", "--store", f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}"], "does not exist"),
            (["snapshots", "--store", "sqlite:///:memory:"], "keeps nothing"),
            (["snapshots", "--store", "mysql://x@db/survey"], "neither sqlite:///FILE nor postgresql"),
            (["snapshot", "1", "--as", ""], "no access")):
        argv = argv if "--store" in argv else [*argv, "--store", store]
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert says in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "no").exists()
    assert main(["snapshot", "1", "--store", store, "--segment", "Channel=Phone", "--segment", "Channel=Video",
                 "--json"]) == 0
    both = json.loads(capsys.readouterr().out)["nps"]["n"]
    assert main(["snapshot", "1", "--store", store, "--segment", "Channel=Phone", "--json"]) == 0
    assert both > json.loads(capsys.readouterr().out)["nps"]["n"] > 0
    assert main(["snapshot", "1", "--store", store, "--since", "2025-01-02", "--until", "2025-01-02", "--json"]) == 0
    units = json.loads(capsys.readouterr().out)["units"]
    assert all(u["nps"] is None or u["nps"]["value"] is None for u in units)  # a day's few answers: n only


def test_the_access_list_from_the_command_line_and_a_file(tmp_path, capsys):
    from lib.cli import main

    store = f"sqlite:///{tmp_path / 's.db'}"
    (tmp_path / "access.csv").write_text("who;role;units\nanna@example.se;manager;Home Care;Rehabilitation\n"
                                         "group:hr-leads;lead;\n")
    assert main(["access", "--store", store, "--load", str(tmp_path / "access.csv")]) == 0
    assert main(["access", "--store", store, "--grant", "Bo@Example.se", "--role", "manager", "--unit", "IT Service Desk",
                 "--revoke", "anna@example.se", "--json"]) == 0
    got = json.loads(capsys.readouterr().out.splitlines()[-1])["access"]
    assert got == [{"principal": "bo@example.se", "kind": "email", "role": "manager", "units": ["IT Service Desk"]},
                   {"principal": "hr-leads", "kind": "group", "role": "lead", "units": []}]
    (tmp_path / "bad.csv").write_text("who,role\nx@example.se,owner\n")
    for argv, says in ((["--grant", "bo", "--role", "lead"], "neither an e-mail address"),
                       (["--grant", "x@y.se", "--role", "manager"], "at least one unit"), (["--grant", "x@y.se"], "needs --role"),
                       (["--load", str(tmp_path / "bad.csv")], "Row 2 of the access file"),
                       (["--grant", "x@y.se", "--role", "lead", "--unit", "Legal"], "A lead sees every unit"),
                       (["--revoke", "nobody@example.se"], "no line for nobody@example.se")):
        assert main(["access", "--store", store, *argv]) == 2
        err = capsys.readouterr().err
        assert says in err and len(err.strip().splitlines()) == 1, err


def test_a_manager_sees_their_units_and_the_total_and_others_nothing(tmp_path, capsys):
    """By the access list: a lead sees everything, a manager their units, the units below them and the organisation's
    total, anyone else nothing; checked when the view is made, whatever is asked for."""
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 's.db'}"
    (tmp_path / "org.csv").write_text("Unit,Parent\nRehabilitation,Health\nPharmacy Services,Health\nHome Care,Care\n")
    assert main(["publish", "--customer", str(SAMPLE_DIR / "customer_survey.xlsx"), "--employee",
                 str(SAMPLE_DIR / "employee_survey.xlsx"), "--map", "Homecare=Home Care", "--org-file",
                 str(tmp_path / "org.csv"), "--name", "Q", "--store", store]) == 0
    assert main(["access", "--store", store, "--grant", "lena@example.se", "--role", "lead"]) == 0
    assert main(["access", "--store", store, "--grant", "anna@example.se", "--role", "manager", "--unit", "Health"]) == 0
    capsys.readouterr()
    assert main(["snapshot", "1", "--store", store, "--as", "ANNA@example.se", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [u["unit"] for u in out["units"]] == ["Pharmacy Services", "Rehabilitation"]
    assert out["engagement"]["n"] == 24 and out["organisation_total"]["engagement"]["n"] == 364 and not out["comments"]
    assert main(["snapshot", "1", "--store", store, "--as", "anna@example.se", "--department", "Home Care"]) == 2
    assert "only your own units" in capsys.readouterr().err
    assert main(["snapshot", "1", "--store", store, "--as", "bo@example.se"]) == 2
    assert "no access" in capsys.readouterr().err
    assert main(["access", "--store", store, "--grant", "group:hr-leads", "--role", "lead"]) == 0
    capsys.readouterr()
    assert main(["snapshot", "1", "--store", store, "--as", "bo@example.se", "--group", "hr-leads", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["units"]) > 2


def _deck_text(path) -> str:
    from pptx import Presentation

    deck = Presentation(path if isinstance(path, io.BytesIO) else str(path))
    return "\n".join([shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
                     + [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
                        for row in shape.table.rows for cell in row.cells])


def test_a_managers_deck_and_text_hold_their_units_and_the_total_only(tmp_path, capsys):
    """``snapshot ID --as EMAIL --deck FILE``: the deck and the text say the manager's units and the organisation's
    headline figures, in the same words (one presentation model), and no other unit; a deck file that is neither
    .pptx nor .pdf is refused in one sentence."""
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["publish", "--customer", str(SAMPLE_DIR / "customer_survey.xlsx"), "--employee",
                 str(SAMPLE_DIR / "employee_survey.xlsx"), "--map", "Homecare=Home Care", "--name", "Q",
                 "--store", store]) == 0
    assert main(["access", "--store", store, "--grant", "lena@example.se", "--role", "lead"]) == 0
    assert main(["access", "--store", store, "--grant", "anna@example.se", "--role", "manager", "--unit",
                 "Rehabilitation"]) == 0
    capsys.readouterr()
    deck = tmp_path / "anna.pptx"
    assert main(["snapshot", "1", "--store", store, "--as", "anna@example.se", "--deck", str(deck)]) == 0
    text = capsys.readouterr().out
    slides = _deck_text(deck)
    from lib.publish.store import Store

    others = set(Store.open(store).load(1).meta["units"]) - {"Rehabilitation"}
    assert len(others) >= 10
    for shown in (text, slides):
        assert "Rehabilitation" in shown and "(whole organisation)" in shown
        assert not [o for o in others if o in shown]
    total = next(line for line in text.splitlines() if line.startswith("Engagement index (whole organisation)"))
    figure = total.split(": ")[1].split()[0]
    assert figure in slides.splitlines()  # the same figure, formatted once: a whole line (a big number) of the deck
    assert main(["snapshot", "1", "--store", store, "--as", "anna@example.se", "--deck", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["snapshot", "1", "--store", store, "--deck", str(tmp_path / "a.docx")]) == 2
    err = capsys.readouterr().err
    assert "neither .pptx nor .pdf" in err and len(err.strip().splitlines()) == 1


def test_a_segment_value_fewer_than_k_share_is_not_kept_nor_offered():
    """A segment value held by fewer than k people would name them as a filter value: the app never offers it, and a
    snapshot keeps it as none, so its viewers cannot choose it either."""
    from lib.publish.views import offered
    from lib.survey.frame import load_survey

    rows = ["Department,Role,I am proud to work here,Date"]
    for d in ("A", "B"):
        rows += [f"{d},Nurse,{1 + i % 5},2026-03-0{1 + i % 5}" for i in range(8)]
    rows.append("A,Chief physician,5,2026-03-02")
    e = load_survey("\n".join(rows).encode(), "e.csv", kind="employee")
    snap = build("Q", None, e, Settings(min_group=5), seed=1)
    kept = {v for vs in snap.groups["segment:Role"] for v in vs}
    assert "Chief physician" not in kept and "Nurse" in kept
    assert offered(snap).segments["Role"] == ["Nurse"]
    assert "Chief physician" not in json.dumps(snap.meta) + snap.groups.to_json() + snap.comments.to_json()


def test_access_lines_from_an_uploaded_file():
    from lib.publish.store import grants_from_bytes

    lines = grants_from_bytes("who;role;units\nanna@example.se;manager;Home Care|Rehabilitation\ngroup:hr;lead\n"
                              .encode("utf-8-sig"), "access.csv")
    assert [(g.principal, g.kind, g.role, g.units) for g in lines] == [
        ("anna@example.se", "email", "manager", ("Home Care", "Rehabilitation")), ("hr", "group", "lead", ())]
    with pytest.raises(OptionError, match="Row 1 of the access file access.csv"):
        grants_from_bytes(b"anna@example.se;boss;X\n", "access.csv")
    with pytest.raises(OptionError, match="could not be read"):
        grants_from_bytes(b"\xff\xfe\x00bad", "access.csv")


def test_month_by_month_is_a_view_per_month_for_each_role():
    """Each month's row is the view of that month alone (whole groups inside it, whole customer weeks), for a lead and
    for a manager (their units only), and the months with answers are all there."""
    from lib.publish.views import Choice, months, over_time, view

    customer, employee, settings = sample_analysis()
    snap = build("Q", customer, employee, settings, seed=1)
    lead = over_time(snap, Choice(), "lead", ())
    spans = dict(months(snap, Choice()))
    assert len(lead) >= 10
    for first, v in lead:
        alone = view(snap, Choice(since=first, until=spans[first]))
        assert (v.nps.n, v.nps.score) == (alone.nps.n, alone.nps.score)
        assert (v.engagement is None) == (alone.engagement is None)
    mine = over_time(snap, Choice(), "manager", ("Rehabilitation",))
    for first, v in mine:
        alone = view(snap, Choice(frozenset({"Rehabilitation"}), since=first, until=spans[first]))
        assert v.nps.n == alone.nps.n and not v.units
    assert sum(v.nps.n for _m, v in mine) < sum(v.nps.n for _m, v in lead)
    assert [m for m, _v in over_time(snap, Choice(since=dt.date(2026, 3, 1), until=dt.date(2026, 4, 30)), "lead", ())] \
        == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]



def test_the_access_list_always_keeps_a_lead(tmp_path):
    """Whatever removes or demotes the last lead (their own line, a group's line, a new role, a loaded file) is refused
    in one sentence and changes nothing; an empty list may stay empty, and its first line must be a lead's."""
    from lib.publish.store import grant_of, grants_from_bytes

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    with pytest.raises(OptionError, match="no lead"):
        store.grant(grant_of("anna@example.se", "manager", ["Home Care"]))
    assert store.access() == []
    store.grant(grant_of("group:hr-leads", "lead", []))
    store.grant(grant_of("anna@example.se", "manager", ["Home Care"]))
    before = store.access()
    for change in (lambda: store.revoke("group:hr-leads".removeprefix("group:")),
                   lambda: store.grant(grant_of("group:hr-leads", "manager", ["Care"])),
                   lambda: store.grant_all(grants_from_bytes(b"group:hr-leads,manager,Care\nbo@example.se,manager,X\n",
                                                             "a.csv"))):
        with pytest.raises(OptionError, match="no lead"):
            change()
        assert store.access() == before
    store.grant(grant_of("lena@example.se", "lead", []))
    store.revoke("hr-leads")
    assert {g.principal for g in store.access()} == {"lena@example.se", "anna@example.se"}


def test_access_lines_with_commas_and_several_units_separated_by_semicolons():
    from lib.publish.store import grants_from_bytes

    [line] = grants_from_bytes(b"anna@x.se,manager,A;B;C;D\n", "a.csv")
    assert line.units == ("A", "B", "C", "D")
    # a Swedish file: its header, roles in Swedish and in any case
    lines = grants_from_bytes(b"vem,roll,enheter\nanna@x.se,Chef,A|B\nlena@x.se,ANSVARIG\n", "a.csv")
    assert [(g.principal, g.role, g.units) for g in lines] == [("anna@x.se", "manager", ("A", "B")),
                                                               ("lena@x.se", "lead", ())]


def test_a_renamed_snapshot_is_shown_by_its_new_name(tmp_path):
    from lib.publish.views import view

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    customer, employee, settings = sample_analysis()
    sid = store.publish(build("Q", customer, employee, settings, seed=1))
    store.rename(sid, "Spring 2026 final")
    assert view(store.load(sid)).name == "Spring 2026 final"


def test_a_manager_is_refused_what_is_not_theirs_and_their_total_ignores_their_filters():
    from lib.publish.views import Choice, view, view_as

    customer, employee, settings = sample_analysis()
    snap = build("Q", customer, employee, settings, seed=1)
    for asked in (Choice(frozenset({"Rehabilitation", "Payroll Services"})), Choice(unit="Payroll Services"),
                  Choice(level=1)):
        with pytest.raises(OptionError, match="only your own units: Rehabilitation"):
            view_as(snap, asked, "manager", ("Rehabilitation",))
    whole = view(snap, Choice(), headline=True)
    _mine, total = view_as(snap, Choice(since=dt.date(2026, 9, 1), until=dt.date(2026, 9, 30),
                                        segments=(("Channel", frozenset({"Phone"})),)), "manager", ("Rehabilitation",))
    assert (total.nps.n, total.engagement.n) == (whole.nps.n, whole.engagement.n)


def test_an_interim_and_a_final_snapshot_that_differ_by_fewer_than_k_are_refused(tmp_path):
    """The outsider's attack: the same file with one person fewer, published twice, showed that person's answers by
    the difference. Within the months both hold, a difference of 1 to k − 1 responses in the whole or in one unit is
    refused, naming the earlier snapshot; the same file twice (no difference) and a later round of other months are
    published."""
    rows = ["Department,I am proud to work here,Workload is manageable,Date"]
    for d in ("A", "B", "C"):
        rows += [f"{d},{1 + i % 5},{1 + (i * 3) % 5},2026-03-{1 + i % 20:02d}" for i in range(12)]
    full = load_survey("\n".join(rows).encode(), "e.csv", kind="employee")
    less = load_survey("\n".join(rows[:-1]).encode(), "e.csv", kind="employee")
    later = load_survey("\n".join(r.replace("2026-03-", "2026-06-") for r in rows[:-1]).encode(), "e.csv",
                        kind="employee")
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    store.publish(build("interim", None, less, Settings(), seed=1))
    store.publish(build("again", None, less, Settings(), seed=1))
    with pytest.raises(OptionError, match=r"Snapshot \d \(“(again|interim)”\) holds answers of the same months, and "
                                          r"C \(2026-03\) differs from it by 1 response"):
        store.publish(build("final", None, full, Settings(), seed=1))
    # the whole differs by k, one unit by 1: that unit is named
    trimmed = load_survey("\n".join(rows[:-2] + [f"A,3,3,2026-03-0{i}" for i in range(1, 7)]).encode(), "e.csv",
                          kind="employee")
    assert len(trimmed.frame) - len(less.frame) == 5
    with pytest.raises(OptionError, match=r"and C \(2026-03\) differs from it by 1 response"):
        store.publish(build("trimmed", None, trimmed, Settings(), seed=1))
    # a snapshot kept before the store kept cells is compared in the whole and per unit
    with sqlite3.connect(tmp_path / "s.db") as con:
        con.execute("DELETE FROM snapshot_cells")
    with pytest.raises(OptionError, match=r"and (C|the whole organisation) differs from it by 1 response"):
        store.publish(build("final", None, full, Settings(), seed=1))
    store.publish(build("June", None, later, Settings(), seed=1))
    assert [x.name for x in store.list()] == ["June", "again", "interim"]


def test_a_visitors_role_by_address_group_and_verification():
    from lib.publish.store import grant_of
    from lib.publish.views import visitor_role

    grants = [grant_of("lena@example.se", "lead", []), grant_of("group:managers", "manager", ["Care"]),
              grant_of("anna@example.se", "manager", ["Health"])]
    assert visitor_role([], "anyone@example.se") == ("open", ())
    assert visitor_role(grants, "Lena@Example.SE".lower()) == ("lead", ())
    assert visitor_role(grants, "anna@example.se", ["managers"]) == ("manager", ("Care", "Health"))
    assert visitor_role(grants, "bo@example.se", "managers") == ("manager", ("Care",))  # one group, not a list
    assert visitor_role(grants, "bo@example.se", None) == (None, ())
    assert visitor_role(grants, "lena@example.se", verified=False) == (None, ())
    assert visitor_role(grants, "lena@example.se", verified=True) == ("lead", ())


def test_a_deck_per_unit_is_each_managers_deck():
    import zipfile

    from lib.publish.decks import bundle
    from lib.publish.views import Choice

    customer, employee, settings = sample_analysis()
    snap = build("Q", customer, employee, settings, seed=1)
    data = bundle(snap, Choice(frozenset({"Rehabilitation", "Home Care"})), "pptx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == ["Home Care.pptx", "Rehabilitation.pptx"]
        for name in z.namelist():
            unit = name.removesuffix(".pptx")
            text = _deck_text(io.BytesIO(z.read(name)))
            assert unit in text and "(whole organisation)" in text
            assert not [u for u in snap.meta["units"] if u != unit and u in text]



def test_a_few_people_more_in_one_segment_of_a_unit_are_refused_though_the_unit_differs_by_k(tmp_path):
    """Six more people in unit A, five nurses and one doctor: A differs by six, but a view of A's doctors would differ
    by one; every cell (unit, month, segment values) is compared."""
    head = "Department,Role,I am proud to work here,Date"
    rows = [f"{d},{r},{1 + i % 5},2026-03-{1 + i % 20:02d}" for d in ("A", "B") for r in ("Nurse", "Doctor")
            for i in range(8)]
    more = rows + [f"A,Nurse,4,2026-03-2{i}" for i in range(5)] + ["A,Doctor,2,2026-03-25"]
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    store.publish(build("before", None, load_survey("\n".join([head, *rows]).encode(), "e.csv", kind="employee"),
                        Settings(), seed=1))
    with pytest.raises(OptionError, match=r"A \(2026-03; Role: Doctor\) differs from it by 1 response"):
        store.publish(build("after", None, load_survey("\n".join([head, *more]).encode(), "e.csv", kind="employee"),
                            Settings(), seed=1))
    # five more doctors as well: every cell differs by 0 or at least k
    enough = more + [f"A,Doctor,3,2026-03-1{i}" for i in range(4)]
    store.publish(build("after", None, load_survey("\n".join([head, *enough]).encode(), "e.csv", kind="employee"),
                        Settings(), seed=1))


def test_a_snapshots_linkage_is_the_apps_on_the_sample():
    """The units' engagement against their customer NPS from a snapshot's groups: the app's Linkage figure on the
    sample (the same units, the same r), and for a manager of three units their three alone."""
    from lib.figures.filters import Filters
    from lib.publish.views import Choice, view, view_as

    customer, employee, settings = sample_analysis()
    snap = build("Q", customer, employee, settings, seed=1)
    mine, app = view(snap).linkage, summarize(customer, employee, Filters(), settings).linkage
    assert mine.departments == app.departments and len(mine.departments) >= 8
    assert mine.result.pearson_r == pytest.approx(app.result.pearson_r, abs=1e-12)
    units = ("Rehabilitation", "Home Care", "Customer Support")
    v, _total = view_as(snap, Choice(), "manager", units)
    assert set(v.linkage.departments) <= set(units)


@pytest.mark.parametrize("change, says", [
    ("new month", r"A \(2026-04\) differs from it by 3 responses"),
    ("swap", r"same number of answers in A, but not the same answers"),
    ("one answer", r"same number of answers in B, but not the same answers"),
    ("one comment", r"same number of answers in B, but not the same answers"),
])
def test_a_later_file_with_a_new_month_swapped_people_or_a_changed_answer_is_refused(tmp_path, change, says):
    """Found by a second outside tester: three people in a month the earlier snapshot did not hold, three people
    swapped for three others, and one changed answer were published, and the difference showed their answers. A
    snapshot sharing a month with a kept one is compared in every cell, and a group of the same place and size must
    hold the same answers and comments."""
    head = "Department,I am proud to work here,Workload is manageable,Comment,Date"
    rows = [f"{d},{1 + i % 5},{1 + (i * 3) % 5},{'Fine ' + str(i) if i % 2 else ''},2026-03-{1 + i % 20:02d}"
            for d in ("A", "B") for i in range(12)]
    if change == "new month":
        later = rows + [f"A,5,5,,2026-04-0{i}" for i in range(1, 4)]
    elif change == "swap":
        later = rows[3:] + ["A,5,5,,2026-03-01", "A,5,4,,2026-03-02", "A,4,5,,2026-03-03"]
    elif change == "one answer":
        assert rows[-1] == "B,2,4,Fine 11,2026-03-12"
        later = [*rows[:-1], "B,5,5,Fine 11,2026-03-12"]
    else:
        later = rows[:-1] + [rows[-1].replace("Fine 11", "My manager never listens")]
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    store.publish(build("before", None, load_survey("\n".join([head, *rows]).encode(), "e.csv", kind="employee"),
                        Settings(), seed=1))
    with pytest.raises(OptionError, match=says):
        store.publish(build("after", None, load_survey("\n".join([head, *later]).encode(), "e.csv", kind="employee"),
                            Settings(), seed=1))


def test_an_access_file_from_swedish_excel_and_an_error_on_its_own_row():
    from lib.publish.store import grants_from_bytes

    [line] = grants_from_bytes("vem;roll;enheter\nåsa.öberg@kommun.se;chef;Hemtjänst Söder\n".encode("cp1252"),
                               "a.csv")
    assert (line.principal, line.units) == ("åsa.öberg@kommun.se", ("Hemtjänst Söder",))
    with pytest.raises(OptionError, match="Row 3 of the access file a.csv"):
        grants_from_bytes(b"Vem;Roll;Enheter\nanna@x.se;chef;A\nbo@example.se;ledare;\n", "a.csv")
    with pytest.raises(OptionError, match="could not be read"):
        grants_from_bytes(b"\x00\x01\x02\xff\xfe", "a.csv")


def _rows(units=("A", "B"), n=12, dated=True):
    out = []
    for d in units:
        for i in range(n):
            out.append(f"{d},{1 + i % 5},{1 + (i * 3) % 5},{'Fine ' + str(i) if i % 2 else ''}"
                       + (f",2026-03-{1 + i % 20:02d}" if dated else ""))
    return out


@pytest.mark.parametrize("case", ["undated, one fewer", "a changed answer moved to a new week",
                                  "the same answers, reordered, another organisation"])
def test_what_a_reviewer_got_past_the_check_is_refused(tmp_path, case):
    """A reviewer published, after a first snapshot: a file without dates with one person fewer (no month in common,
    so never compared); a changed answer whose date moved to a week its group did not hold; the same answers in
    another order (another file digest) with an organisation that splits them into other groups."""
    head = "Department,I am proud to work here,Workload is manageable,Comment,Date"
    first, then, org = _rows(), _rows(), None
    if case.startswith("undated"):
        head = head.removesuffix(",Date")
        first, then = _rows(dated=False), _rows(dated=False)[:-1]
        says = "B differs from it by 1 response"
    elif case.startswith("a changed"):
        then = [*then[:-1], "B,5,5,My manager never listens,2026-03-30"]
        says = "same number of answers in B, but not the same answers"
    else:
        first = [f"{d},{1 + i % 5},{1 + i % 3},,2026-03-0{1 + i % 9}" for d, n in (("X", 3), ("Y", 6), ("Z", 7))
                 for i in range(n)]
        then = first[::-1]
        (tmp_path / "org.csv").write_text("unit,parent\nP,\nQ,\nX,P\nZ,P\nY,Q\n")
        org = hierarchy.read_organisation((tmp_path / "org.csv").read_bytes(), "org.csv")
        says = "split into other groups"
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    store.publish(build("first", None, load_survey("\n".join([head, *first]).encode(), "e.csv", kind="employee"),
                        Settings(), seed=1))
    later = load_survey("\n".join([head, *then]).encode(), "e2.csv", kind="employee")
    with pytest.raises(OptionError, match=says):
        store.publish(build("then", None, later, Settings(hierarchy=org), seed=1))


def test_a_re_export_and_a_new_statement_are_published(tmp_path):
    """No false refusal: the same answers in another row order and date format, and five more people in a unit
    whose answers bring a new statement to k (compared only on what both snapshots keep)."""
    head = "Department,I am proud to work here,Workload is manageable,Comment,Date"
    rows = _rows()
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    store.publish(build("first", None, load_survey("\n".join([head, *rows]).encode(), "e.csv", kind="employee"),
                        Settings(), seed=1))
    dmy = [r.rsplit(",", 1)[0] + "," + ".".join(reversed(r.rsplit(",", 1)[1].split("-"))) for r in rows[::-1]]
    store.publish(build("re-export", None, load_survey("\n".join([head, *dmy]).encode(), "e2.csv", kind="employee"),
                        Settings(), seed=1))
    more = [f"{r},{3}" for r in rows] + [f"A,4,4,,2026-03-0{i},{4}" for i in range(1, 6)]
    store.publish(build("more", None, load_survey("\n".join([head + ",My team works well together", *more]).encode(),
                                                  "e3.csv", kind="employee"), Settings(), seed=1))
    assert [x.name for x in store.list()] == ["more", "re-export", "first"]
