"""One translation function for every text a person sees.

``_("text")`` translates now, in the language of the current session or command.
``msg("text {x}", x=1)`` makes a :class:`Msg`: it is translated when it is shown,
not when it is made. The engine returns ``Msg`` objects (reasons, warnings,
errors) because its results are cached and shared: a reason computed for a
Swedish user must still read in Finnish for a Finnish one.

Catalogues are standard gettext ``.mo`` files under ``lib/locales/<lang>/LC_MESSAGES``;
extract and compile them with Babel (see README, "Translations").
"""

from __future__ import annotations

import contextvars
import functools
import gettext as _gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).with_name("locales")
DOMAIN = "messages"
LANGUAGES: dict[str, str] = {"en": "English", "sv": "Svenska", "fi": "Suomi"}
DEFAULT_LANGUAGE = "en"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


@functools.cache
def _catalog(language: str) -> _gettext.NullTranslations:
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def set_language(language: str) -> None:
    """Use ``language`` for every text translated from now on in this thread or task."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    return _language.get()


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _catalog(_language.get()).gettext(message)


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


def format_number(value: float, digits: int = 1) -> str:
    """A number in the current language's style (1 234,5 in Swedish and Finnish), via Babel."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_language.get())


def msg(msgid: str, /, **params: Any) -> Msg:
    """A translatable text with named values, translated when shown."""
    return Msg(msgid, tuple(params.items()))


def msg_n(singular: str, plural: str, count: int, /, **params: Any) -> Msg:
    """Like :func:`msg`, with a plural form chosen by ``count`` (also given as ``{count}``)."""
    return Msg(singular, tuple({"count": count, **params}.items()), plural, count)
