"""ui.data.configured_sources: a secrets entry that cannot be used is one sentence on the page, never a traceback."""

import streamlit as st

from ui import data


def test_an_entry_with_a_table_and_a_query_is_a_sentence(monkeypatch):
    shown = []
    monkeypatch.setattr(st, "secrets", {"sources": {"crm": {"uri": "duckdb:///answers.duckdb", "table": "answers",
                                                            "query": "select * from answers"}}})
    monkeypatch.setattr(st, "error", lambda text, **k: shown.append(str(text)))
    assert data.configured_sources() == {}
    assert len(shown) == 1 and "\n" not in shown[0] and "table" in shown[0] and "query" in shown[0], shown


def test_a_good_entry_is_a_source(monkeypatch):
    monkeypatch.setattr(st, "secrets", {"sources": {"crm": {"uri": "duckdb:///answers.duckdb", "table": "answers"}}})
    assert list(data.configured_sources()) == ["crm"]
