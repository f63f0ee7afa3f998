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


# --- catalogues --------------------------------------------------------------

TRANSLATION_CALLS = {"_", "msg", "msg_n", "ngettext"}


def test_every_translation_call_has_a_literal_text_so_extraction_finds_it():
    """A text passed as a variable would be missed by `pybabel extract`: every call spells its message out."""
    from lib import catalogues

    found = []
    for path in catalogues.source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATION_CALLS:
                texts = node.args[:2] if node.func.id in ("msg_n", "ngettext") else node.args[:1]
                if path.name == "i18n.py" and node.func.id in ("_", "ngettext"):
                    continue  # Msg.__str__ translates the msgid it holds: the literal is where the Msg was made
                if not texts or not all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_the_catalogues_hold_every_message_in_swedish_and_finnish():
    from lib import catalogues

    assert catalogues.problems() == []


def test_a_missing_translation_or_a_stale_template_is_reported(monkeypatch):
    """The check above can fail: a new message in the code shows up in both ways."""
    from babel.messages.catalog import Catalog

    from lib import catalogues

    real = catalogues.extract()

    def extract() -> Catalog:
        real.add("A message nobody has translated yet")
        return real

    monkeypatch.setattr(catalogues, "extract", extract)
    problems = catalogues.problems()
    assert any("messages.pot lacks" in p for p in problems)
    assert any(p.startswith("sv: no translation") for p in problems)
    assert any(p.startswith("fi: no translation") for p in problems)


def test_a_translation_with_other_placeholders_is_reported():
    from lib.catalogues import fields

    assert fields("{n} svar") == fields("{n} responses")
    assert fields("{seconds:.0f} s") != fields("{seconds} s")


def test_translations_are_used_and_a_missing_one_is_noted():
    import lib.i18n as i18n

    set_language("sv")
    try:
        assert _("Overview") == "Översikt"
        assert str(msg_n("{count} score is outside {scale}", "{count} scores are outside {scale}", 2, scale="1–5")) \
            == "2 värden ligger utanför 1–5"
        i18n.MISSING.discard("Not in any catalogue")
        assert _("Not in any catalogue") == "Not in any catalogue" and "Not in any catalogue" in i18n.MISSING
    finally:
        set_language("en")
    set_language("fi")
    try:
        assert _("Overview") == "Yleiskatsaus"
    finally:
        set_language("en")


# --- locale formats (Babel) ----------------------------------------------------


def test_numbers_percent_and_dates_follow_each_language():
    import datetime as dt

    from lib.i18n import format_date, format_number, format_percent

    nbsp = "\u00a0"
    assert format_number(1234567.891, 3, "sv") == f"1{nbsp}234{nbsp}567,891"
    assert format_number(1234567.891, 3, "fi") == f"1{nbsp}234{nbsp}567,891"
    assert format_number(1234567.891, 3, "en") == "1,234,567.891"
    assert format_number(65.939153, 0, "sv") == "66"
    # half up, not Babel's half to even; from the shortest decimal form (65.45 is 65.4499… in binary)
    assert [format_number(v, 0, "sv") for v in (2.5, 3.5)] == ["3", "4"]
    assert format_number(65.45, 1, "fi") == "65,5" and format_number(78.25, 1, "sv") == "78,3"
    assert format_percent(42, 0, "sv") == f"42{nbsp}%" and format_percent(42, 0, "fi") == f"42{nbsp}%"
    assert format_percent(42, 0, "en") == "42%"
    d = dt.date(2025, 3, 17)
    assert (format_date(d, "sv"), format_date(d, "fi"), format_date(d, "en")) == ("17 mars 2025", "17.3.2025", "17 Mar 2025")


def test_territory_locales_give_iso_weeks():
    """sv_SE and fi_FI, not bare sv/fi: 1 January 2027 is in week 53 of 2026, as ISO 8601 counts."""
    import datetime as dt

    from babel.dates import format_skeleton

    from lib.i18n import babel_locale

    assert format_skeleton("yw", dt.date(2027, 1, 1), locale=babel_locale("sv")) == "vecka 53, 2026"
    assert format_skeleton("yw", dt.date(2027, 1, 1), locale=babel_locale("fi")) == "vuoden 2026 viikko 53"


def test_charts_use_the_languages_number_style():
    import json

    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    from lib.present.charts import localized

    chart = alt.Chart(pd.DataFrame({"x": [1234.5]})).mark_bar().encode(x=alt.X("x:Q", axis=alt.Axis(format=",.1f")))
    sv = vlc.vegalite_to_svg(json.dumps(localized(chart, "sv").to_dict()))
    en = vlc.vegalite_to_svg(json.dumps(localized(chart, "en").to_dict()))
    assert "1\u00a0000,0" in sv and "1,000.0" in en


def test_the_command_line_speaks_the_language_asked_for(capsys):
    from lib.cli import main

    root = ROOT / "sample_data"
    assert main(["--lang", "sv", "summary", "--customer", str(root / "customer_survey.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Kund-NPS: 0,4  [\u22122,7 till 3,5]" in out  # the interval as lib.present.model writes it
    assert main(["--lang", "fi", "summary", "--customer", str(root / "customer_survey.xlsx")]) == 0
    assert "Asiakas-NPS: 0,4" in capsys.readouterr().out


def test_trend_periods_are_named_in_the_language():
    from lib.present import breakdowns
    from tests.test_app import sample_summary

    s = sample_summary()
    set_language("sv")
    assert breakdowns.nps_trend(s, "M")["label"].iloc[0] == "november 2025"
    assert breakdowns.nps_trend(s, "Q")["label"].iloc[0] == "K4 2025"
    set_language("fi")
    assert breakdowns.nps_trend(s, "M")["label"].iloc[0] == "marraskuu 2025"


# --- wording and typography of the Swedish and Finnish catalogues (issue 23) -----------------------------------------

#: Word-for-word renderings the catalogues replaced with established HR, CX and statistics wording; none may return.
AWKWARD = {"sv": ("Går engagemanget före", "Går {employee} före", "minsta kvadrat-anpassning", "avdelningsperiod",
                  "Behandla ett namn som ett annat"),
           "fi": ("vientisi", "luottamusvyö", "Alkaen", "Asti", "Ryhmittelyt")}
#: Quotation marks that are not the Swedish and Finnish ”…”.
ENGLISH_QUOTES = ("“", "\"", "„", "«", "»")


def _catalogue(lang: str):
    from babel.messages.pofile import read_po

    with open(ROOT / "lib" / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return [m for m in read_po(f) if m.id]


def _texts(m) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(msgid, msgstr) of an entry, plural forms joined."""
    ids = m.id if isinstance(m.id, str) else " | ".join(m.id)
    strings = m.string if isinstance(m.string, str) else " | ".join(m.string)
    return ids, strings


def test_swedish_and_finnish_avoid_the_awkward_terms_and_quote_with_their_own_marks():
    """No replaced term comes back (as a word, in its case: Finnish "asti" inside a sentence is fine, the label "Asti"
    is not), and Swedish and Finnish quote with ”…” only."""
    import re

    for lang, terms in AWKWARD.items():
        for m in _catalogue(lang):
            msgid, text = _texts(m)
            assert not [t for t in terms if re.search(rf"(?<!\w){re.escape(t)}", text)], (lang, msgid, text)
            assert not any(q in text for q in ENGLISH_QUOTES), (lang, msgid, text)


def test_finnish_says_tuo_for_upload_and_lataa_only_for_download():
    """Upload is "tuoda", download "ladata"; a text about uploading never says "lataa" (issue 23)."""
    import re

    upload, download = [], []
    for m in _catalogue("fi"):
        msgid, text = _texts(m)
        if re.search(r"\b(upload|Upload)", msgid) or msgid in ("Load a setup",) or "Load it with" in msgid:
            upload.append((msgid, text))
        elif re.match(r"Download\b", msgid):
            download.append((msgid, text))
    assert len(upload) >= 10 and len(download) >= 3
    assert not [(i, t) for i, t in upload if re.search(r"\b[Ll]ata", t)], upload
    assert all(re.search(r"\b[Tt]uo", t) for _i, t in upload), upload
    assert all(t.startswith("Lataa") for _i, t in download), download


def test_replaced_terms_carry_their_source_or_say_not_verified():
    """Every entry whose wording replaced an awkward term says where the term comes from, or NOT VERIFIED."""
    replaced = {"sv": ("Does {employee} lead {customer}?", "Dashed lines: the average department. Red line: least-squares fit.",
                       "{n} department-periods", "Treat as"),
                "fi": ("From", "To", "Segments", "NPS over time, with 95% interval band", "Load a setup", "(not given)")}
    for lang, ids in replaced.items():
        by_id = {_texts(m)[0]: m for m in _catalogue(lang)}
        for msgid in ids:
            note = " ".join(by_id[msgid].user_comments + by_id[msgid].auto_comments)
            assert "http" in note or "NOT VERIFIED" in note, (lang, msgid, note)


def test_a_unit_not_given_is_named_in_the_language_wherever_it_is_shown():
    """Answers without a unit form the data value NOT_GIVEN; tables, downloads, findings and charts name it in the
    session's language (lib.present.model.unit), while the data keep the value a click selects."""
    import numpy as np
    import pandas as pd

    from lib.figures.summary import summarize
    from lib.present import breakdowns, charts, model
    from lib.survey.frame import NOT_GIVEN, load_survey

    rng = np.random.default_rng(23)
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    statements = ["I enjoy my work", "My manager supports me", "I see a future for me here", "My team works well"]
    frame = pd.DataFrame({s: [labels[i] for i in rng.integers(0, 5, 40)] for s in statements})
    survey = load_survey(frame.to_csv(index=False).encode(), "no-units.csv")
    assert survey.departments == [NOT_GIVEN]
    s = summarize(None, survey)
    for lang, name in (("en", "(not given)"), ("sv", "(uppgift saknas)"), ("fi", "(ei ilmoitettu)")):
        set_language(lang)
        try:
            table = model.department_table(s)
            assert table.column(table.columns[0]) == [name], lang
            assert table.values().iloc[0, 0] == name  # the download
            chart = charts.engagement_by_department(breakdowns.engagement_by_department(s), s.settings.min_group)
            spec = chart.to_dict()
            text = str(spec)
            assert name in text and charts.unit_label() in text, lang  # the axis names it, the tooltip too
            data = next(iter(spec["datasets"].values()))
            assert data[0]["department"] == NOT_GIVEN and data[0]["unit"] == name  # a click selects the data value
        finally:
            set_language("en")
