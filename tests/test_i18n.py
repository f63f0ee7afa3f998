"""Every text a person sees goes through the translation function."""

from __future__ import annotations

import ast
from pathlib import Path

from lib.i18n import Msg, _, msg, msg_n, set_language

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
TEXT_CALLS = {"title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "write",
              "metric", "button", "download_button", "selectbox", "multiselect", "radio", "checkbox", "text_input",
              "number_input", "date_input", "file_uploader", "expander", "status", "toast", "page_link",
              "segmented_control", "Page"}


def _literal_texts(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TEXT_CALLS:
            args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in ("label", "help", "title", "placeholder")]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and any(c.isalpha() for c in arg.value) \
                        and not arg.value.startswith(("pages/", "app.py", ":material")):
                    yield node.lineno, arg.value


def test_no_bare_strings_in_the_interface():
    found = [(p.name, line, text) for p in UI_FILES for line, text in _literal_texts(p)]
    assert not found, found


def test_msg_is_translated_when_shown_not_when_made(monkeypatch):
    """A Msg made under one language reads in the language current when it is shown."""
    import gettext

    import lib.i18n as i18n

    class Swedish(gettext.NullTranslations):
        def gettext(self, message):
            return {"{n} rows": "{n} rader", "Overview": "Översikt"}.get(message, message)

    real = i18n._catalog
    monkeypatch.setattr(i18n, "_catalog", lambda lang: Swedish() if lang == "sv" else real(lang))
    m = msg("{n} rows", n=3)  # made while English is current
    assert isinstance(m, Msg) and str(m) == "3 rows"
    set_language("sv")
    try:
        assert str(m) == "3 rader" and _("Overview") == "Översikt"
    finally:
        set_language("en")
    assert str(m) == "3 rows"
    assert str(msg_n("{count} file", "{count} files", 2)) == "2 files"
