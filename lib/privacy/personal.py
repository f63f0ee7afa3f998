"""Personal data in free text, masked before a comment is shown, downloaded or put in a deck.

:func:`mask` replaces e-mail addresses, phone numbers, Swedish personnummer and samordningsnummer, Finnish
henkilötunnus, and names with a bracketed placeholder. A name is found three ways: after a sign-off
("hälsningar", "mvh", "terveisin", "t.", "regards", "best wishes"…), after a word for a person at work ("min chef",
"kollegan", "esihenkilö", "my manager", "nurse"…), and as one of the common Swedish, Finnish and English first names
of :data:`FIRST_NAMES` (``first_names.txt``) written with a capital (with the capitalised surname after it). It is a
safety net for customer comments, which are not anonymity-restricted, and is applied to employee comments too; it is pattern
matching, so a name that is none of these (a rare first name alone, a nickname) is not found, and a comment that
describes its writer ("the only woman in IT") is not changed.

>>> mask("Ring mig på 070-123 45 67 eller anna.svensson@example.se. Med vänliga hälsningar Anna Svensson")
'Ring mig på [phone] eller [e-mail]. Med vänliga hälsningar [name]'
>>> mask("Min chef Jonna lyssnar aldrig. Kollegan Erik på avd 3 mobbar mig")
'Min chef [name] lyssnar aldrig. Kollegan [name] på avd 3 mobbar mig'
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from lib.i18n import _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
#: Swedish personnummer / samordningsnummer: (CC)YYMMDD, optional - or +, four digits.
PERSONNUMMER = re.compile(r"(?<![\d-])(?:19|20)?\d{2}[01]\d[0-9]\d[-+]?\d{4}(?![\d-])")
#: Finnish henkilötunnus: DDMMYY, a century sign (+ - A B C D E F X Y W V U), three digits and a check character.
HETU = re.compile(r"(?<![\w-])[0-3]\d[01]\d{3}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])", re.IGNORECASE)
#: Phone numbers: an optional +46/+358/00 prefix or a leading 0, then at least six more digits with spaces,
#: hyphens or brackets between them.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s\-()]{6,}\d(?!\w)")
SIGN_OFF = re.compile(
    r"(?P<lead>\b(?:(?:med\s+)?(?:vänliga\s+|bästa\s+)?hälsningar|mvh|vänligen|terveisin|ystävällisin\s+terveisin|"
    r"parhain\s+terveisin|t\.|kind\s+regards|best\s+regards|regards|best\s+wishes|sincerely|cheers)[,:]?\s+)"
    r"(?P<name>[A-ZÅÄÖÜ][\w'-]+(?:\s+[A-ZÅÄÖÜ][\w'-]+){0,2})", re.IGNORECASE)
_CAPITAL = re.compile(r"[A-ZÅÄÖÜ]")
#: Words for a person at work, after which a capitalised word is a name ("chefen Anna", "my manager Tom").
ROLE_WORDS = (
    r"chef(?:en)?|enhetschef(?:en)?|närmaste\s+chef|kollega(?:n)?|kollegor(?:na)?|arbetskamrat(?:en)?|"
    r"teamledare(?:n)?|gruppledare(?:n)?|arbetsledare(?:n)?|handläggare(?:n)?|sjuksköterska(?:n)?|undersköterska(?:n)?|"
    r"läkare(?:n)?|doktor(?:n)?|tandläkare(?:n)?|fysioterapeut(?:en)?|receptionist(?:en)?|"
    r"esihenkilö(?:ni)?|esimies|esimieheni|työkaveri(?:ni)?|kollega(?:ni)?|tiiminvetäjä(?:ni)?|lääkäri|hoitaja|"
    r"sairaanhoitaja|fysioterapeutti|vastaanottovirkailija|"
    r"manager|boss|supervisor|colleague|co-worker|coworker|team\s+leader|team\s+lead|doctor|dr\.?|nurse|"
    r"receptionist|therapist|physiotherapist|technician|advisor|adviser")
ROLE_NAME = re.compile(r"(?P<lead>\b(?:" + ROLE_WORDS + r")[,:]?\s+(?:dr\.?\s+|doktor\s+)?)"
                       r"(?P<name>[A-ZÅÄÖÜ][\w'-]+(?:\s+[A-ZÅÄÖÜ][\w'-]+){0,1})", re.IGNORECASE)
#: Common first names (Swedish, Finnish, English) that are not also everyday words ("Hans" is "his", "Per" "per",
#: "Satu" "tale", "Mark", "Will"…): such a name with a capital is masked wherever it is, with a capitalised surname.
FIRST_NAMES = frozenset(w for line in (Path(__file__).with_name("first_names.txt")).read_text(encoding="utf-8").splitlines()
                        if not line.startswith("#") for w in line.split())
FIRST_NAME = re.compile(r"\b(?P<first>[A-ZÅÄÖÜ][a-zåäöü]+(?:-[A-ZÅÄÖÜ][a-zåäöü]+)?)(?P<last>\s+[A-ZÅÄÖÜ][\w'-]+)?")


def _first_name(m: re.Match[str]) -> str:
    if m.group("first") not in FIRST_NAMES:
        return m.group(0)
    return _("[name]")


def _name(m: re.Match[str]) -> str:
    name = m.group("name")
    words = name.split()
    kept = list(itertools.takewhile(_CAPITAL.match, words))  # a name is the capitalised words first: "regards to all"
    if not kept:                                              # and "manager in Tiny2" are kept as they are
        return m.group(0)
    rest = name[len(" ".join(kept)):] if len(kept) < len(words) else ""
    return m.group("lead") + _("[name]") + rest


DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")


def _phone(m: re.Match[str]) -> str:
    text = m.group(0)
    if DATE.fullmatch(text.strip()) or sum(c.isdigit() for c in text) < 7:
        return text
    return _("[phone]")


#: What :func:`mask` puts in place of personal data, before translation.
PLACEHOLDERS = ("[e-mail]", "[id number]", "[phone]", "[name]")


def in_language(text: str) -> str:
    """A text masked in another language (a published snapshot's comments) with its placeholders in the language
    being shown.

    >>> from lib.i18n import set_language
    >>> set_language("fi"); in_language("Min chef [namn] svarar aldrig på [e-post]")
    'Min chef [nimi] svarar aldrig på [sähköposti]'
    >>> set_language("en")
    """
    from lib.i18n import LANGUAGES, translation

    shown_now = (_("[e-mail]"), _("[id number]"), _("[phone]"), _("[name]"))  # in PLACEHOLDERS' order
    for placeholder, shown in zip(PLACEHOLDERS, shown_now):
        for language in LANGUAGES:
            written = translation(placeholder, language)
            if written != shown:
                text = text.replace(written, shown)
    return text


def mask(text: object) -> str:
    """The text with personal data replaced by "[e-mail]", "[id number]", "[phone]" and "[name]", in the language
    being shown ("[namn]", "[nimi]"). Nothing is kept between calls (a process-wide cache would hold raw comments
    after their session ends); callers mask each distinct text once."""
    out = str(text)
    out = EMAIL.sub(_("[e-mail]").replace("\\", "\\\\"), out)
    out = HETU.sub(_("[id number]").replace("\\", "\\\\"), out)
    out = PERSONNUMMER.sub(_("[id number]").replace("\\", "\\\\"), out)
    out = PHONE.sub(_phone, out)
    out = SIGN_OFF.sub(_name, out)
    out = ROLE_NAME.sub(_name, out)
    return FIRST_NAME.sub(_first_name, out)
