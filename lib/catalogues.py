"""The translation catalogues: extracting the messages from the code, and keeping the ``.po`` files in step.

The source of truth is the code: every text a person sees is a literal in ``_()``,
``msg()``, ``msg_n()`` or ``ngettext()`` in app.py, pages/, ui/ or lib/. Babel
extracts them into ``lib/locales/messages.pot``; each language's
``lib/locales/<lang>/LC_MESSAGES/messages.po`` holds its translations, with the
source of each established term in a translator comment. The app reads the
``.po`` files directly (:func:`lib.i18n` compiles them in memory), so there is no
compiled ``.mo`` to forget.

``python -m lib.catalogues`` re-extracts and updates the ``.po`` files (new
messages arrive empty, for a translator to fill); ``--check`` exits 1 when the
template is out of date or a translation is missing.
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = Path(__file__).with_name("locales")
TEMPLATE = LOCALE_DIR / "messages.pot"
#: Where the texts a person sees are written.
SOURCES = ("app.py", "pages", "ui", "lib")
#: The translation functions, as Babel's extractor needs them (argument positions of the texts).
KEYWORDS = {"_": None, "msg": None, "msg_n": (1, 2), "ngettext": (1, 2)}
TRANSLATED = ("sv", "fi")


def source_files() -> Iterator[Path]:
    for name in SOURCES:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def extract() -> Catalog:
    """Every message the code uses, as a Babel catalogue (the template)."""
    catalog = Catalog(project="survey-explorer", charset="utf-8")
    for path in source_files():
        for lineno, message, comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS,
                                                                      comment_tags=("TRANSLATORS:",)):
            catalog.add(message, locations=[(str(path.relative_to(ROOT)), lineno)], auto_comments=comments)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    with po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, no_location=True, omit_header=False, sort_output=True)
    path.write_bytes(buf.getvalue())


def update() -> None:
    """Write the template from the code, and bring every language's catalogue in step with it."""
    template = extract()
    _write(template, TEMPLATE)
    for language in TRANSLATED:
        path = po_path(language)
        catalog = load(language) if path.exists() else Catalog(locale=language, project="survey-explorer")
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.language_team = {"sv": "Svenska", "fi": "Suomi"}[language]
        _write(catalog, path)


def problems() -> list[str]:
    """What is out of step: messages the template lacks or no longer has, and missing or fuzzy translations."""
    found: list[str] = []
    code = {m.id for m in extract() if m.id}
    with TEMPLATE.open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    found += [f"messages.pot lacks {mid!r} (run python -m lib.catalogues)" for mid in sorted(code - template, key=str)]
    found += [f"messages.pot still has {mid!r}" for mid in sorted(template - code, key=str)]
    for language in TRANSLATED:
        catalog = load(language)
        for mid in sorted(code, key=str):
            m = catalog.get(mid)
            strings = m.string if m is not None and isinstance(m.string, tuple) else ((m.string,) if m else ())
            if m is None or m.fuzzy or not all(strings):
                found.append(f"{language}: no translation for {mid!r}")
            elif any(fields(t) != fields(mid if isinstance(mid, str) else mid[0]) for t in strings):
                found.append(f"{language}: the translation of {mid!r} has other {{placeholders}}")
    return found


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a message, with their format specs (``{seconds:.0f}``)."""
    return {f"{name}:{spec}" for _lit, name, spec, _conv in string.Formatter().parse(text) if name is not None}


def main(argv: list[str]) -> int:
    if "--check" in argv:
        issues = problems()
        print("\n".join(issues) or "catalogues complete")
        return 1 if issues else 0
    update()
    print(f"updated {TEMPLATE.relative_to(ROOT)} and {', '.join(TRANSLATED)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
