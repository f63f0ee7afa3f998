"""Personal data in free text, masked before a comment is shown, downloaded or put in a deck.

:func:`mask` replaces e-mail addresses, phone numbers, Swedish personnummer and samordningsnummer, Finnish
henkilötunnus and the name that follows a sign-off ("hälsningar", "mvh", "terveisin", "t.", "regards",
"best wishes"…) with a bracketed placeholder. It is a safety net for customer comments, which are not
anonymity-restricted, and is applied to employee comments too; it is pattern matching, so a name written
anywhere else in a sentence is not found.

>>> mask("Ring mig på 070-123 45 67 eller anna.svensson@example.se. Med vänliga hälsningar Anna Svensson")
'Ring mig på [phone] eller [e-mail]. Med vänliga hälsningar [name]'
"""

from __future__ import annotations

import re

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


def _name(m: re.Match[str]) -> str:
    name = m.group("name")
    words = name.split()
    kept = [w for w in words if _CAPITAL.match(w)]  # only capitalised words are a name: "regards to all" is kept
    if not kept or len(kept) != len(words):
        if not kept:
            return m.group(0)
        rest = name[len(" ".join(kept)):]
        return m.group("lead") + "[name]" + rest
    return m.group("lead") + "[name]"


DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")


def _phone(m: re.Match[str]) -> str:
    text = m.group(0)
    if DATE.fullmatch(text.strip()) or sum(c.isdigit() for c in text) < 7:
        return text
    return "[phone]"


def mask(text: object) -> str:
    """The text with personal data replaced by "[e-mail]", "[id number]", "[phone]" and "[name]"."""
    out = str(text)
    out = EMAIL.sub("[e-mail]", out)
    out = HETU.sub("[id number]", out)
    out = PERSONNUMMER.sub("[id number]", out)
    out = PHONE.sub(_phone, out)
    return SIGN_OFF.sub(_name, out)
