"""Shared test set-up."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _navigation_not_pages_directory(monkeypatch):
    """Make AppTest treat the app as an st.navigation app.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and a
    folder called ``pages/`` next to app.py makes Streamlit guess the legacy
    pages-directory mode, which on reruns executes the page script without the
    entry point. A real server makes that guess only until the first
    ``st.navigation`` call; here it would be made on every run.
    """
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class NavigationPagesManager(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that switches the language (the command line's --lang, a Swedish app run) leaves English behind."""
    yield
    from lib.i18n import set_language

    set_language("en")
