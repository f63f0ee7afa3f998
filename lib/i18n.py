"""One translation function for every text a person sees.

``_("text")`` translates now, in the language of the current session or command.
``msg("text {x}", x=1)`` makes a :class:`Msg`: it is translated when it is shown,
not when it is made. The engine returns ``Msg`` objects (reasons, warnings,
errors) because its results are cached and shared: a reason computed for a
Swedish user must still read in Finnish for a Finnish one.

Catalogues are gettext ``.po`` files under ``lib/locales/<lang>/LC_MESSAGES``, kept in
step with the code by :mod:`lib.catalogues`; they are compiled in memory when first used.
"""

from __future__ import annotations

import contextvars
import functools
import gettext as _gettext
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).with_name("locales")
DOMAIN = "messages"
LANGUAGES: dict[str, str] = {"en": "English", "sv": "Svenska", "fi": "Suomi"}
DEFAULT_LANGUAGE = "en"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


#: Messages asked for in a translated language that its catalogue lacks (the tests read this).
MISSING: set[str] = set()


class _Catalogue(_gettext.GNUTranslations):
    """A compiled catalogue that notes the messages it lacks."""

    def gettext(self, message: str) -> str:
        if message not in self._catalog:  # type: ignore[attr-defined]
            MISSING.add(message)
        return super().gettext(message)


@functools.cache
def _catalog(language: str) -> _gettext.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return _gettext.NullTranslations()
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _Catalogue(buf)


def set_language(language: str) -> None:
    """Use ``language`` for every text translated from now on in this thread or task."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    return _language.get()


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _catalog(_language.get()).gettext(message)


def translation(message: str, language: str) -> str:
    """``message`` in ``language``, whatever the current language."""
    return _catalog(language if language in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form that fits ``n``."""
    return _catalog(_language.get()).ngettext(singular, plural, n)


@dataclass(frozen=True)
class Msg:
    """A user-facing text kept untranslated until it is shown.

    ``msgid`` is the English source text with ``{name}`` placeholders; ``params``
    fills them. With ``plural`` set, ``count`` picks the plural form.
    """

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        if self.plural is not None and self.count is not None:
            template = ngettext(self.msgid, self.plural, self.count)
        else:
            template = _(self.msgid)
        values = {k: (str(v) if isinstance(v, Msg) else v) for k, v in self.params}
        return template.format(**values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def using(self, **params: Any) -> Msg:
        """The same text with (more) values filled in: tables of messages are written as ``msg("…")``
        literals, so that extraction finds them, and get their values where they are used."""
        return Msg(self.msgid, tuple({**dict(self.params), **params}.items()), self.plural, self.count)


#: The Babel locale behind each language: territory locales, so that weeks follow ISO 8601 as in
#: Sweden and Finland (the bare ``sv`` and ``fi`` carry CLDR's world default of one day in week 1).
BABEL_LOCALES: dict[str, str] = {"en": "en_GB", "sv": "sv_SE", "fi": "fi_FI"}


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES.get(language or _language.get(), BABEL_LOCALES[DEFAULT_LANGUAGE])


def language_for(tag: object) -> str | None:
    """The app's language for a browser or system locale tag ("sv-SE", "fi_FI", "sv-FI", "en-US"), or None.

    >>> [language_for(t) for t in ("sv-SE", "fi_FI", "sv-FI", "en-US", "de-DE", None)]
    ['sv', 'fi', 'sv', 'en', None, None]
    """
    if not isinstance(tag, str) or not tag.strip():
        return None
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def _half_up(value: float, digits: int) -> Decimal:
    """``value`` rounded half away from zero, as Swedish and Finnish readers expect (Babel rounds half to even);
    from its shortest decimal form, so that 65.45 becomes 65.5, not 65.4."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def round_half_up(value: float, digits: int) -> float:
    """``value`` rounded as :func:`format_number` shows it (half away from zero), for a download's number cells.

    >>> round_half_up(65.45, 1), round_half_up(-2.5, 0)
    (65.5, -3.0)
    """
    return float(_half_up(value, digits))


def format_number(value: float, digits: int = 1, language: str | None = None) -> str:
    """A number in the language's style, via Babel: ``1 234,5`` in Swedish and Finnish (no-break space), ``1,234.5``
    in English. Rounded half up.

    >>> format_number(1234.55, 1, "sv"), format_number(2.5, 0, "fi"), format_number(-12.25, 1, "en")
    ('1\xa0234,6', '3', '-12.3')
    """
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(_half_up(value, digits), format=pattern, locale=babel_locale(language))


def format_percent(value: float, digits: int = 0, language: str | None = None) -> str:
    """A percentage given on 0–100: ``42 %`` in Swedish and Finnish (with a no-break space), ``42%`` in English.

    >>> format_percent(42, 0, "sv"), format_percent(57.6923, 1, "fi"), format_percent(42, 0, "en")
    ('42\xa0%', '57,7\xa0%', '42%')
    """
    from babel.numbers import format_percent as _percent

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    locale = babel_locale(language)
    text = _percent(_half_up(value, digits + 2) / 100, format=pattern, locale=locale)
    return text.replace("%", "\u00a0%") if (language or _language.get()) in ("sv", "fi") else text


def format_date(value: object, language: str | None = None) -> str:
    """A date, day first: ``17 mars 2025`` (sv), ``17.3.2025`` (fi), ``17 Mar 2025`` (en).

    >>> import datetime as dt
    >>> [format_date(dt.date(2025, 3, 17), lang) for lang in ("sv", "fi", "en")]
    ['17 mars 2025', '17.3.2025', '17 Mar 2025']
    """
    from babel.dates import format_date as _date

    return _date(value, "medium", locale=babel_locale(language))


def format_period(start: object, period: str, language: str | None = None) -> str:
    """A month ("M") or quarter ("Q") by its first day, in the language's words: ``mars 2025`` / ``K1 2025`` (sv),
    ``maaliskuu 2025`` / ``1. nelj. 2025`` (fi), ``March 2025`` / ``Q1 2025`` (en). Months use the stand-alone form
    (Finnish inflects a month inside a date).

    >>> import datetime as dt
    >>> [format_period(dt.date(2025, 3, 1), p, lang) for lang in ("sv", "fi", "en") for p in ("M", "Q")]
    ['mars 2025', 'K1 2025', 'maaliskuu 2025', '1. nelj. 2025', 'March 2025', 'Q1 2025']
    """
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM" if period == "M" else "yQQQ", start, locale=babel_locale(language))


def vega_locale(language: str | None = None) -> dict[str, Any]:
    """Number and time formats for Vega (charts) in the language's style, taken from Babel's locale data."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    loc = Locale.parse(babel_locale(language))
    symbols = loc.number_symbols["latn"]
    months = get_month_names("wide", context="stand-alone", locale=loc)
    short = get_month_names("abbreviated", context="stand-alone", locale=loc)
    days = get_day_names("wide", context="stand-alone", locale=loc)
    sdays = get_day_names("abbreviated", context="stand-alone", locale=loc)
    order = [6, 0, 1, 2, 3, 4, 5]  # d3 starts the week list on Sunday; Babel numbers Monday 0
    percent = "\u00a0%" if (language or _language.get()) in ("sv", "fi") else "%"
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                   "currency": ["", ""], "percent": percent, "minus": "\u2212"},
        "time": {"dateTime": "%x %X", "date": "%d.%m.%Y" if loc.language == "fi" else "%Y-%m-%d" if loc.language == "sv"
                 else "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                 "days": [days[i] for i in order], "shortDays": [sdays[i] for i in order],
                 "months": [months[i] for i in range(1, 13)], "shortMonths": [short[i] for i in range(1, 13)]},
    }


def msg(msgid: str, /, **params: Any) -> Msg:
    """A translatable text with named values, translated when shown."""
    return Msg(msgid, tuple(params.items()))


def msg_n(singular: str, plural: str, count: int, /, **params: Any) -> Msg:
    """Like :func:`msg`, with a plural form chosen by ``count`` (also given as ``{count}``)."""
    return Msg(singular, tuple({"count": count, **params}.items()), plural, count)
