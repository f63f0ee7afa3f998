"""Comment themes in Swedish, Finnish and English: found, named, coded by a codebook the user keeps, tied to the score.

The pipeline, per comment:

1. **Sentences** are split at ``.``, ``!``, ``?`` and line breaks; a phrase never runs across two sentences.
2. **Language** (:func:`detect_language`): Swedish, Finnish or English, by the share of the comment's words
   simplemma's dictionaries know in each language plus a short list of unambiguous function words
   (:data:`MARKERS`). A comment of fewer than three words, or one two languages claim alike, takes the
   writer's language (their other comments) or else the file's (the language most of its long comments are in):
   detectors get two-word comments wrong ("Bra service" reads as English or Italian). A comment no language
   claims is counted as "other" and left as it is (coded by nothing).
3. **Lemmas** by simplemma (dictionary lookup; English 0.96, Swedish 0.94, Finnish 0.91 on UD per its authors),
   cached per word form, over its dictionaries decoded once per machine into sorted arrays (:func:`dictionary`).
4. **Stop words** (stopwordsiso) are left out of the terms, except negations (:data:`NEGATIONS`: "inte", "ei",
   "not"…) and every word a codebook names.
5. **Themes**: a comment mentions a theme when any of its words or phrases matches one of the theme's keywords
   in the comment's language (:class:`Codebook`). Keywords are lemmas or word forms; ``*`` at either end matches
   compounds ("*bokning*" finds "tidsbokning" and "bokningssystem"); a keyword of several words is a phrase.
   Themes are kept per language and joined across languages only through the codebook's three-language entries:
   TF-IDF with NMF across three languages links topics only through shared words (0.58 agreement on a trial).
6. **New themes** (:func:`suggest_themes`): TF-IDF (words and two-word phrases) with NMF (``nndsvda``, fixed
   seed), fitted per language on the comments no codebook theme covers, each topic named by its top terms; a
   suggestion is something to add to the codebook, not a finding.

The sentiment of a comment is the score its writer gave (:func:`score_by_theme`, :func:`keyness`); there is no
word-list sentiment. Everything here is deterministic for the same texts and codebook.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from lib.errors import OptionError
from lib.i18n import msg, msg_n

LANGUAGES = ("sv", "fi", "en")
OTHER = "other"
SIDES = ("customer", "employee", "both")
STARTER_PATH = Path(__file__).with_name("starter_codebook.json")
CODEBOOK_MARK = "survey_explorer_codebook"

#: Negations, kept although stop-word lists hold them: "inte bra" and "bra" are not the same comment.
NEGATIONS: dict[str, frozenset[str]] = {
    "sv": frozenset({"inte", "ej", "aldrig", "ingen", "inget", "inga", "icke"}),
    "fi": frozenset({"ei", "en", "et", "emme", "ette", "eivät", "eikä", "älä", "ilman"}),
    "en": frozenset({"not", "no", "never", "nobody", "nothing", "none", "cannot", "without", "n't"}),
}
#: Function words only one of the three languages has: they decide a comment the dictionaries claim alike.
MARKERS: dict[str, frozenset[str]] = {
    "sv": frozenset({"och", "är", "var", "inte", "för", "med", "att", "det", "jag", "vi", "men", "bra", "tack", "mycket",
                     "på", "av", "som", "har", "ingen", "inget", "alla", "mer", "mig", "min", "vår", "dålig"}),
    "fi": frozenset({"ja", "ei", "on", "oli", "ole", "mutta", "hyvä", "kiitos", "todella", "liian", "eikä", "olen",
                     "kaikki", "minä", "meidän", "huono", "erittäin", "vähän", "aina"}),
    "en": frozenset({"the", "and", "is", "was", "not", "to", "of", "we", "my", "good", "very", "with", "were", "thanks",
                     "thank", "you", "too", "no", "it", "are", "i", "our", "bad", "poor", "great", "nice"}),
}
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|[\r\n]+")
CLAIM = 0.7  # a language claims a comment when its dictionary and marker words cover this share of the words
SEED = 20240  # NMF's seed: the same file gives the same suggestions


# --------------------------------------------------------------------------- the dictionaries

#: Where simplemma's dictionaries are kept as sorted arrays: ``SURVEY_EXPLORER_CACHE``, else the user's cache folder.
CACHE_VARIABLE = "SURVEY_EXPLORER_CACHE"


def cache_folder() -> Path:
    """The folder the sorted dictionaries are written to (``$SURVEY_EXPLORER_CACHE``, else
    ``$XDG_CACHE_HOME/survey-explorer``, else ``~/.cache/survey-explorer``)."""
    import os

    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "survey-explorer"


class _Shifted:
    """A part of a mapped file, sliced as if it began at ``start``."""

    def __init__(self, data: object, start: int) -> None:
        self.data, self.start = data, start

    def __getitem__(self, part: slice) -> bytes:
        return self.data[self.start + int(part.start):self.start + int(part.stop)]  # type: ignore[index]


class SortedDictionary:
    """One language's simplemma dictionary as two sorted byte blobs with offsets, looked up by bisection.

    simplemma ships each dictionary front-coded and lzma-compressed, and decoding it into a Python dict takes
    most of the time (Finnish: 3.5 million entries, 13 s on a shared two-core machine). Decoded once, the keys
    and values are written to :func:`cache_folder` as blobs and offsets; later processes read them in a few
    hundredths of a second and look a word up in about 22 comparisons. Where the folder cannot be written, the
    arrays are kept in memory for the process."""

    def __init__(self, keys: bytes, key_at: np.ndarray, values: bytes, value_at: np.ndarray) -> None:
        self.keys, self.key_at, self.values, self.value_at = keys, key_at, values, value_at
        self.size = len(key_at) - 1

    def _key(self, i: int) -> bytes:
        return self.keys[self.key_at[i]:self.key_at[i + 1]]

    def get(self, key: str, default: str | None = None) -> str | None:
        target, lo, hi = key.encode(), 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.size and self._key(lo) == target:
            return self.values[self.value_at[lo]:self.value_at[lo + 1]].decode()
        return default

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> SortedDictionary:
        pairs = sorted((k.encode(), v.encode()) for k, v in items)
        key_at = np.zeros(len(pairs) + 1, np.int64)
        value_at = np.zeros(len(pairs) + 1, np.int64)
        key_at[1:] = np.cumsum([len(k) for k, _ in pairs])
        value_at[1:] = np.cumsum([len(v) for _, v in pairs])
        return cls(b"".join(k for k, _ in pairs), key_at, b"".join(v for _, v in pairs), value_at)

    def save(self, path: Path) -> None:
        """Written to a temporary file and renamed, so a process never reads a half-written one."""
        import os
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        head = np.array([len(self.keys), len(self.values), self.size], np.int64)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as fh:
            for part in (head.tobytes(), self.key_at.tobytes(), self.value_at.tobytes(), self.keys, self.values):
                fh.write(part)
        os.replace(fh.name, path)

    @classmethod
    def load(cls, path: Path) -> SortedDictionary:
        """Mapped, not read: pages are read as lookups touch them and shared by every process on the machine."""
        import mmap

        with open(path, "rb") as fh:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        nk, nv, size = (int(x) for x in np.frombuffer(data, np.int64, 3))
        start = 24 + 16 * (size + 1)
        if len(data) != start + nk + nv:
            raise ValueError("truncated")
        key_at = np.frombuffer(data, np.int64, size + 1, 24)
        value_at = np.frombuffer(data, np.int64, size + 1, 24 + 8 * (size + 1))
        return cls(_Shifted(data, start), key_at, _Shifted(data, start + nk), value_at)


@lru_cache(maxsize=8)
def dictionary(lang: str) -> SortedDictionary:
    """simplemma's dictionary for ``lang`` (one of :data:`LANGUAGES`), read from the cache folder, else decoded
    once and written there; once per process."""
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    path = cache_folder() / f"simplemma-{simplemma.__version__}-{lang}.dict"
    try:
        return SortedDictionary.load(path)
    except (OSError, ValueError):
        pass
    built = SortedDictionary.build(DefaultDictionaryFactory(cache_max_size=1).get_dictionary(lang).items())
    import contextlib

    with contextlib.suppress(OSError):  # a read-only home: kept in memory for this process
        built.save(path)
    return built


@lru_cache(maxsize=1)
def _lemmatizer() -> object:
    """simplemma's lemmatiser (its default strategies) over :func:`dictionary`."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import DictionaryFactory

    class Sorted(DictionaryFactory):
        def get_dictionary(self, lang: str) -> SortedDictionary:  # type: ignore[override]
            return dictionary(lang)

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=Sorted()))


# --------------------------------------------------------------------------- words


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """simplemma's lemma of a lower-case word form in ``lang`` (the form itself when simplemma knows none)."""
    return _lemmatizer().lemmatize(word, lang=lang).lower()  # type: ignore[attr-defined]


@lru_cache(maxsize=200_000)
def _known(word: str) -> tuple[bool, bool, bool]:
    """Whether each language's dictionary holds the word (as written, or with its first letter's case turned)."""
    flipped = word.lower() if word[:1].isupper() else word.capitalize()
    return tuple(dictionary(lang).get(word) is not None or dictionary(lang).get(flipped) is not None  # type: ignore[return-value]
                 for lang in LANGUAGES)


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    """stopwordsiso's list for ``lang`` without the negations."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords(lang)) - NEGATIONS[lang]


def words(text: str) -> list[str]:
    """The lower-case words of a text (letters, inner hyphens and apostrophes)."""
    return WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """A comment split into sentences."""
    return [s for s in (p.strip() for p in SENTENCE.split(text)) if s]


def language_scores(tokens: Sequence[str]) -> dict[str, float]:
    """Per language, the share of the words its dictionary knows plus the share that are its marker words."""
    n = len(tokens)
    if not n:
        return {lang: 0.0 for lang in LANGUAGES}
    known = [_known(t) for t in tokens]
    return {lang: (sum(k[j] for k in known) + sum(t in MARKERS[lang] for t in tokens)) / n
            for j, lang in enumerate(LANGUAGES)}


def detect_language(tokens: Sequence[str], fallback: str | None) -> str:
    """A comment's language: the best-scoring one when it is clear (ahead by 0.25 with three words or more, by
    0.5 with fewer, or the only language that claims the words); otherwise ``fallback`` (the writer's or the file's language) when
    one is known and claims the words at all; "other" when no language covers at least :data:`CLAIM` of the words
    and the fallback language not half of them (French and Spanish read as "other", not as Swedish)."""
    scores = language_scores(tokens)
    for lang in LANGUAGES:  # a language none of whose marker words appear must know nearly every word
        if scores[lang] < 0.9 and not any(t in MARKERS[lang] for t in tokens):
            scores[lang] = min(scores[lang], CLAIM - 0.01)
    ranked = sorted(LANGUAGES, key=lambda lang: (-scores[lang], LANGUAGES.index(lang)))
    best, second = scores[ranked[0]], scores[ranked[1]]
    if best < CLAIM:  # a compound or a typo the dictionaries lack: the writer's or file's language if it half-claims
        return fallback if fallback in LANGUAGES and scores[fallback] >= 0.5 else OTHER
    if best - second >= (0.25 if len(tokens) >= 3 else 0.5) or second == 0:
        return ranked[0]
    if fallback in LANGUAGES and scores[fallback] > 0:
        return fallback
    return ranked[0]


# --------------------------------------------------------------------------- the codebook


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook: its key, its name and keywords in each language, and which comments it codes
    ("customer", "employee" or "both")."""

    key: str
    names: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    side: str = "both"

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), self.key)

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "side": self.side, "names": dict(self.names),
                "keywords": {lang: list(k) for lang, k in self.keywords.items()}}


def _clean_keywords(values: Iterable[str]) -> tuple[str, ...]:
    out = []
    for v in values:
        text = " ".join(str(v).lower().split())
        if text and text.strip("*") and text not in out:
            out.append(text)
    return tuple(out)


@dataclass(frozen=True)
class Codebook:
    """The themes a person keeps: renamed, merged, split and given keywords in three languages, saved with the
    analysis setup (:mod:`lib.setup`) so next quarter's comments are coded the same way."""

    themes: tuple[Theme, ...] = ()

    @classmethod
    def starter(cls) -> Codebook:
        """The codebook that ships with the explorer: customer service (waiting times, staff attitude, information,
        booking) and workplace (workload, manager, colleagues, pay, tools, development) in three languages."""
        return cls.from_dict(json.loads(STARTER_PATH.read_text(encoding="utf-8")))

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.themes]

    def theme(self, key: str) -> Theme:
        for t in self.themes:
            if t.key == key:
                return t
        raise OptionError(msg("The codebook has no theme “{theme}”; choose one of: {known}.", theme=key,
                              known=", ".join(self.keys)))

    def for_side(self, side: str) -> Codebook:
        """The themes that code ``side``'s comments ("both": every theme)."""
        if side == "both":
            return self
        return Codebook(tuple(t for t in self.themes if t.side in (side, "both")))

    def _put(self, key: str, theme: Theme | None) -> Codebook:
        self.theme(key)
        return Codebook(tuple((theme if t.key == key else t) for t in self.themes if t.key != key or theme))

    def rename(self, key: str, lang: str, name: str) -> Codebook:
        t = self.theme(key)
        return self._put(key, replace(t, names={**t.names, lang: " ".join(name.split()) or t.name(lang)}))

    def with_keywords(self, key: str, lang: str, keywords: Iterable[str]) -> Codebook:
        """The theme's keywords in ``lang`` replaced by ``keywords``."""
        t = self.theme(key)
        return self._put(key, replace(t, keywords={**t.keywords, lang: _clean_keywords(keywords)}))

    def merge(self, keys: Sequence[str], into: str) -> Codebook:
        """Themes ``keys`` joined into the theme ``into`` (one of them): its name, everyone's keywords."""
        if into not in keys:
            raise OptionError(msg("Merge themes into one of the themes merged."))
        merged = self.theme(into)
        kw = {lang: tuple(merged.keywords.get(lang, ())) for lang in LANGUAGES}
        for key in keys:
            for lang, values in self.theme(key).keywords.items():
                kw[lang] = _clean_keywords([*kw.get(lang, ()), *values])
        sides = {self.theme(k).side for k in keys}
        merged = replace(merged, keywords=kw, side=sides.pop() if len(sides) == 1 else "both")
        return Codebook(tuple(merged if t.key == into else t for t in self.themes if t.key == into or t.key not in keys))

    def split(self, key: str, new_key: str, names: dict[str, str], keywords: dict[str, Iterable[str]]) -> Codebook:
        """A new theme ``new_key`` made of some of ``key``'s keywords (they leave ``key``)."""
        t = self.theme(key)
        new_key = _theme_key(new_key)
        if new_key in self.keys:
            raise OptionError(msg("The codebook already has a theme “{theme}”; choose another name.", theme=new_key))
        moved = {lang: _clean_keywords(v) for lang, v in keywords.items()}
        kept = {lang: tuple(w for w in t.keywords.get(lang, ()) if w not in moved.get(lang, ())) for lang in LANGUAGES}
        new = Theme(new_key, {lang: n for lang, n in names.items() if n} or {"en": new_key}, moved, t.side)
        out = list(self._put(key, replace(t, keywords=kept)).themes)
        out.insert(self.keys.index(key) + 1, new)
        return Codebook(tuple(out))

    def add(self, key: str, names: dict[str, str], keywords: dict[str, Iterable[str]], side: str = "both") -> Codebook:
        key = _theme_key(key)
        if key in self.keys:
            raise OptionError(msg("The codebook already has a theme “{theme}”; choose another name.", theme=key))
        return Codebook((*self.themes, Theme(key, {lang: n for lang, n in names.items() if n} or {"en": key},
                                             {lang: _clean_keywords(v) for lang, v in keywords.items()}, side)))

    def remove(self, key: str) -> Codebook:
        return self._put(key, None)

    def as_dict(self) -> dict[str, object]:
        return {CODEBOOK_MARK: 1, "themes": [t.as_dict() for t in self.themes]}

    @classmethod
    def from_dict(cls, data: object) -> Codebook:
        """A codebook from its JSON form; one sentence when it is not one."""
        try:
            if not isinstance(data, dict) or data.get(CODEBOOK_MARK) != 1 or not isinstance(data.get("themes"), list):
                raise ValueError("marker")
            themes = []
            for t in data["themes"]:
                names = {str(lang): str(n) for lang, n in dict(t.get("names") or {}).items()}
                kw = {str(lang): _clean_keywords(v) for lang, v in dict(t.get("keywords") or {}).items()
                      if isinstance(v, list)}
                side = str(t.get("side") or "both")
                if side not in SIDES:
                    raise ValueError("side")
                themes.append(Theme(_theme_key(str(t["key"])), names, kw, side))
            if len({t.key for t in themes}) != len(themes):
                raise ValueError("duplicate")
        except (ValueError, TypeError, KeyError, AttributeError):
            raise OptionError(msg("This is not a theme codebook saved by the survey explorer; save it again from the "
                                  "Comments page.")) from None
        return cls(tuple(themes))


def _theme_key(text: str) -> str:
    key = re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-")
    if not key:
        raise OptionError(msg("A theme needs a name."))
    return key


# --------------------------------------------------------------------------- coding comments


def _pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as a regular expression over " lemma lemma … " (and " form form … ")."""
    parts = []
    for w in keyword.split():
        core = re.escape(w.strip("*"))
        parts.append(("\\S*" if w.startswith("*") else "") + core + ("\\S*" if w.endswith("*") else ""))
    return re.compile("(?<= )" + " ".join(parts) + "(?= )")


@dataclass
class _Matcher:
    """A codebook's keywords compiled per language: single words looked up once per word (cached), phrases as one
    alternation per theme over the sentence's " lemma lemma … form form … " line."""

    keys: tuple[str, ...]
    single: dict[str, tuple[re.Pattern[str] | None, ...]]
    phrases: dict[str, tuple[re.Pattern[str] | None, ...]]
    vocabulary: dict[str, frozenset[str]]
    stops: dict[str, frozenset[str]]
    seen: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)

    def word_themes(self, word: str, lang: str) -> tuple[int, ...]:
        """The themes (indices) a single word or lemma matches in ``lang``."""
        got = self.seen.get((lang, word))
        if got is None:
            line = f" {word} "
            got = tuple(j for j, p in enumerate(self.single[lang]) if p is not None and p.search(line))
            self.seen[(lang, word)] = got
        return got


def _alternation(keywords: Iterable[str]) -> re.Pattern[str] | None:
    kws = list(keywords)
    return re.compile("|".join(_pattern(k).pattern for k in kws)) if kws else None


@lru_cache(maxsize=32)
def _matcher(book_json: str) -> _Matcher:
    book = Codebook.from_dict(json.loads(book_json))
    single: dict[str, tuple[re.Pattern[str] | None, ...]] = {}
    phrases: dict[str, tuple[re.Pattern[str] | None, ...]] = {}
    vocabulary: dict[str, frozenset[str]] = {}
    for lang in LANGUAGES:
        vocab: set[str] = set()
        for t in book.themes:
            vocab.update(k.strip("*") for k in t.keywords.get(lang, ()) if " " not in k)
        single[lang] = tuple(_alternation(k for k in t.keywords.get(lang, ()) if " " not in k) for t in book.themes)
        phrases[lang] = tuple(_alternation(k for k in t.keywords.get(lang, ()) if " " in k) for t in book.themes)
        vocabulary[lang] = frozenset(vocab)
    return _Matcher(tuple(book.keys), single, phrases, vocabulary, {})


def matcher(book: Codebook) -> _Matcher:
    return _matcher(json.dumps(book.as_dict(), sort_keys=True, ensure_ascii=False))


@dataclass
class Coded:
    """Comments read and coded: per comment its language, its terms (lemmas, stop words out, negations kept)
    and, per theme of the codebook, whether it mentions it (``mentions``: comments × themes)."""

    texts: list[str]
    languages: list[str]
    terms: list[list[str]]
    keys: tuple[str, ...]
    mentions: np.ndarray
    file_language: str | None = None

    def themes_of(self, i: int) -> list[str]:
        return [k for j, k in enumerate(self.keys) if self.mentions[i, j]]

    @property
    def language_counts(self) -> dict[str, int]:
        return dict(Counter(self.languages))


def _read(text: str, tokens: list[str], fallback: str | None, m: _Matcher) -> tuple[str, list[str], tuple[int, ...]]:
    """One comment: its language, its terms and the themes (indices) it mentions."""
    lang = detect_language(tokens, fallback)
    if lang == OTHER:
        return lang, [], ()
    stops = m.stops.get(lang)
    if stops is None:
        stops = m.stops[lang] = stop_words(lang) - m.vocabulary[lang]
    found: list[str] = []
    hit: set[int] = set()
    for sentence in sentences(text) or [text]:
        forms = words(sentence)
        lemmas = [lemma(w, lang) for w in forms]
        for w in (*forms, *lemmas):
            hit.update(m.word_themes(w, lang))
        if len(forms) > 1:
            line = " " + " ".join(lemmas) + " " + " ".join(forms) + " "
            hit.update(j for j, p in enumerate(m.phrases[lang]) if p is not None and j not in hit and p.search(line))
        found += [x for x in lemmas if x not in stops and len(x) > 1]
    return lang, found, tuple(sorted(hit))


def file_language(token_lists: Sequence[Sequence[str]]) -> str | None:
    """The language at least half of the comments of three words or more are clearly in (None: no such
    language, as in a file written in another language)."""
    votes = Counter(detect_language(t, None) for t in token_lists if len(t) >= 3)
    total = sum(votes.values())
    votes.pop(OTHER, None)
    best = max(LANGUAGES, key=lambda lang: (votes[lang], -LANGUAGES.index(lang))) if votes else None
    return best if best is not None and 2 * votes[best] >= total else None


def code(texts: Sequence[str], book: Codebook, writers: Sequence[object] | None = None,
         language: str | None = None) -> Coded:
    """Read and code comments: sentences, language, lemmas, terms and themes (see the module's docstring).

    ``writers`` (one per text) lets a short comment take the language of the same writer's longer ones;
    ``language`` is the file's language when known (else the language most long comments are in).
    """
    tokens = [words(t) for t in texts]
    return _code(texts, tokens, book, language or file_language(tokens), writers)


def _code(texts: Sequence[str], tokens: Sequence[list[str]], book: Codebook, main: str | None,
          writers: Sequence[object] | None = None) -> Coded:
    """:func:`code` with the texts' words and the file's language (None: none) already known."""
    m = matcher(book)
    own: dict[object, str] = {}
    if writers is not None:
        for w, tok in zip(writers, tokens):
            if len(tok) >= 3 and w not in own:
                guess = detect_language(tok, main)
                if guess != OTHER:
                    own[w] = guess
    # each text is read once per fallback language, however often it repeats
    done: dict[tuple[str, str | None], int] = {}
    read: list[tuple[str, list[str], tuple[int, ...]]] = []
    which = np.empty(len(texts), dtype=np.int64)
    for i, (text, tok) in enumerate(zip(texts, tokens)):
        fallback = own.get(writers[i], main) if writers is not None else main
        j = done.get((text, fallback))
        if j is None:
            j = done[(text, fallback)] = len(read)
            read.append(_read(text, tok, fallback, m))
        which[i] = j
    distinct = np.zeros((len(read), len(m.keys)), dtype=bool)
    for j, got in enumerate(read):
        distinct[j, list(got[2])] = True
    ids = which.tolist()
    return Coded(list(texts), [read[j][0] for j in ids], [read[j][1] for j in ids], m.keys, distinct[which], main)


_SHORT, _UNCLAIMED = -2, -1  # a comment's vote for the file's language: fewer than three words, or no language


@dataclass
class CommentIndex:
    """A survey's comments read once (one text per writer, the survey's comment columns joined): the rows that
    have one, the texts, each text's words and its vote for the file's language (:func:`file_language`), and the
    codings of all of them per codebook and file language. Any set of rows is then coded by taking its rows from
    the coding under the language that set's own comments give, which is exactly what :func:`code` gives on that
    set's texts, without reading a comment twice."""

    rows: np.ndarray
    texts: list[str]
    tokens: list[list[str]]
    votes: np.ndarray
    codings: dict[tuple[str, str | None], Coded] = field(default_factory=dict, repr=False)

    def positions(self, chosen: np.ndarray) -> np.ndarray:
        """The comments (positions in :attr:`texts`) of the ``chosen`` rows (a boolean mask over the frame)."""
        return np.flatnonzero(chosen[self.rows])

    def language(self, at: np.ndarray) -> str | None:
        """:func:`file_language` of the comments at ``at``."""
        votes = self.votes[at]
        total = int((votes != _SHORT).sum())
        counts = np.bincount(votes[votes >= 0], minlength=len(LANGUAGES))
        if not counts.any():
            return None
        best = int(np.argmax(counts))  # the first of equals: the order of LANGUAGES decides a tie
        return LANGUAGES[best] if 2 * counts[best] >= total else None

    def mentions(self, book: Codebook, at: np.ndarray) -> tuple[str | None, np.ndarray]:
        """The comments at ``at``: their file language and which themes of ``book`` each mentions."""
        main = self.language(at)
        return main, self._coding(book, main).mentions[at]

    def coded(self, book: Codebook, at: np.ndarray) -> Coded:
        """:func:`code` of the comments at ``at``."""
        main = self.language(at)
        whole = self._coding(book, main)
        return Coded([self.texts[i] for i in at], [whole.languages[i] for i in at], [whole.terms[i] for i in at],
                     whole.keys, whole.mentions[at], main)

    def _coding(self, book: Codebook, main: str | None) -> Coded:
        key = (json.dumps(book.as_dict(), sort_keys=True, ensure_ascii=False), main)
        if key not in self.codings:
            if len(self.codings) >= 4:  # a few codebooks at a time (each edit of the codebook is a new one)
                self.codings.pop(next(iter(self.codings)))
            self.codings[key] = _code(self.texts, self.tokens, book, main)
        return self.codings[key]


def comment_index(survey: object) -> CommentIndex:
    """The survey's :class:`CommentIndex`, made once per survey (kept in its ``cache``)."""
    cache = survey.cache  # type: ignore[attr-defined]
    if "comment_index" not in cache:
        frame = survey.frame  # type: ignore[attr-defined]
        cols = [frame[c].astype("string").str.strip().fillna("").to_numpy(dtype=object)
                for c in survey.comments.values()]  # type: ignore[attr-defined]
        has = np.zeros(len(frame), dtype=bool)
        for c in cols:
            has |= c != ""
        rows = np.flatnonzero(has)
        texts = [str(t) for t in cols[0][rows]] if len(cols) == 1 else [
            "\n".join(str(c[i]) for c in cols if c[i]) for i in rows]
        read: dict[str, tuple[list[str], int]] = {}
        for t in texts:
            if t not in read:
                tok = words(t)
                vote = _SHORT if len(tok) < 3 else _vote(detect_language(tok, None))
                read[t] = (tok, vote)
        tokens = [read[t][0] for t in texts]
        votes = np.array([read[t][1] for t in texts], dtype=np.int8)
        cache["comment_index"] = CommentIndex(rows, texts, tokens, votes)
    return cache["comment_index"]


def _vote(lang: str) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else _UNCLAIMED


# --------------------------------------------------------------------------- suggestions (NMF)


@dataclass(frozen=True)
class Suggestion:
    """A theme NMF found in comments no codebook theme covers: its language, top terms and how many comments."""

    language: str
    terms: tuple[str, ...]
    comments: int

    @property
    def name(self) -> str:
        return ", ".join(self.terms[:3])


def _doc(terms: list[str]) -> str:
    return " ".join(t.replace(" ", "_") for t in terms)


def topics(docs: Sequence[str], k: int, top: int = 6, min_df: int = 2) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """TF-IDF (words and two-word phrases, in at least ``min_df`` comments) and NMF with ``k`` topics (nndsvda, fixed
    seed): each comment's strongest topic (−1: none) and each topic's top terms."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(docs) < 2:
        return np.full(len(docs), -1), []
    try:
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=min(min_df, len(docs)), token_pattern=r"\S+", sublinear_tf=True)
        x = vec.fit_transform(docs)
    except ValueError:  # nothing in two comments
        return np.full(len(docs), -1), []
    k = max(1, min(k, x.shape[0] - 1, x.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=200)
    with warnings.catch_warnings():  # a convergence note or a 0/0 in its loss says nothing the terms do not
        warnings.simplefilter("ignore")
        w = model.fit_transform(x)
    vocab = np.array(vec.get_feature_names_out())
    names = [tuple(v.replace("_", " ") for v in vocab[np.argsort(-row, kind="stable")[:top]]) for row in model.components_]
    best = np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1)
    return best, names


def suggest_themes(coded: Coded, k: int = 5, minimum: int = 5) -> list[Suggestion]:
    """New themes to consider, found per language in the comments that no codebook theme covers; a topic is
    offered when at least ``minimum`` comments have it as their strongest, and its terms are words and phrases at
    least ``minimum`` comments use."""
    out: list[Suggestion] = []
    uncovered = ~coded.mentions.any(axis=1) if coded.mentions.size else np.ones(len(coded.texts), bool)
    for lang in LANGUAGES:
        idx = [i for i in range(len(coded.texts)) if uncovered[i] and coded.languages[i] == lang and coded.terms[i]]
        if len(idx) < minimum:
            continue
        best, names = topics([_doc(coded.terms[i]) for i in idx], k, min_df=minimum)
        counts = np.bincount(best[best >= 0], minlength=len(names))
        out += [Suggestion(lang, names[j], int(counts[j])) for j in np.argsort(-counts, kind="stable")
                if counts[j] >= minimum]
    return out


# --------------------------------------------------------------------------- agreement with hand labels


@dataclass(frozen=True)
class Agreement:
    """Per theme: precision, recall and the number of comments the hand labels give it."""

    theme: str
    precision: float
    recall: float
    support: int


def agreement(predicted: Sequence[Iterable[str]], truth: Sequence[Iterable[str]], themes: Sequence[str]
              ) -> list[Agreement]:
    """Precision = TP/(TP+FP) and recall = TP/(TP+FN) per theme (NaN where undefined)."""
    out = []
    for t in themes:
        p = np.array([t in set(x) for x in predicted])
        y = np.array([t in set(x) for x in truth])
        tp = int((p & y).sum())
        prec = tp / int(p.sum()) if p.any() else float("nan")
        rec = tp / int(y.sum()) if y.any() else float("nan")
        out.append(Agreement(t, prec, rec, int(y.sum())))
    return out


def nmf_agreement(coded: Coded, truth: Sequence[Iterable[str]], themes: Sequence[str]) -> list[Agreement]:
    """NMF alone, measured: per language, as many topics as themes, each topic mapped to one hand theme by the
    Hungarian assignment on the topic × theme counts (``scipy.optimize.linear_sum_assignment``)."""
    from scipy.optimize import linear_sum_assignment

    predicted: list[set[str]] = [set() for _ in coded.texts]
    for lang in LANGUAGES:
        idx = [i for i in range(len(coded.texts)) if coded.languages[i] == lang and coded.terms[i]]
        wanted = sorted({t for i in idx for t in truth[i]})
        if len(idx) < 2 or not wanted:
            continue
        best, names = topics([_doc(coded.terms[i]) for i in idx], len(wanted))
        table = np.zeros((len(names), len(wanted)))
        for i, b in zip(idx, best):
            for t in truth[i]:
                if b >= 0:
                    table[b, wanted.index(t)] += 1
        rows, cols = linear_sum_assignment(-table)
        label = {int(r): wanted[c] for r, c in zip(rows, cols)}
        for i, b in zip(idx, best):
            if int(b) in label:
                predicted[i].add(label[int(b)])
    return agreement(predicted, truth, themes)


# --------------------------------------------------------------------------- keyness (G²)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Rayson & Garside's log-likelihood G² of a word with ``a`` of ``c`` tokens in corpus 1 and ``b`` of ``d``.

    E₁ = c(a+b)/(c+d), E₂ = d(a+b)/(c+d), G² = 2[a·ln(a/E₁) + b·ln(b/E₂)] (a term with a zero count is 0).
    Rayson, P. & Garside, R. (2000), "Comparing corpora using frequency profiling", Workshop on Comparing Corpora,
    ACL 2000, pp. 1–6. Example (Lancaster's LL wizard instructions: 52 of 50,000 against 57 of 75,000, "+ 2.65")::

        >>> round(log_likelihood(52, 57, 50_000, 75_000), 2)
        2.65
    """
    total = a + b
    if total <= 0 or c <= 0 or d <= 0:
        return 0.0
    e1, e2 = c * total / (c + d), d * total / (c + d)
    return 2.0 * ((a * math.log(a / e1) if a > 0 else 0.0) + (b * math.log(b / e2) if b > 0 else 0.0))


def g2_table(k11: float, k12: float, k21: float, k22: float) -> float:
    """Dunning's G² of a 2×2 table, 2·Σ O·ln(O/E). Dunning (1993), Computational Linguistics 19(1):61–74.
    Example (Apache Mahout's LogLikelihoodTest: (5, 1995, 0, 100000) gives 39.33052)::

        >>> round(g2_table(5, 1995, 0, 100000), 5)
        39.33052
    """
    table = np.array([[k11, k12], [k21, k22]], dtype=float)
    n = table.sum()
    if n <= 0:
        return 0.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = np.where(table > 0, table * np.log(table / expected), 0.0)
    return float(2.0 * cells.sum())


def chi2_p(g2: float) -> float:
    """The p-value of a G² with one degree of freedom: P(χ²₁ > g2) = erfc(√(g2/2)), exactly (no SciPy, which a
    customer-only summary does not load).

    >>> round(chi2_p(3.841459), 4)
    0.05
    """
    return math.erfc(math.sqrt(max(g2, 0.0) / 2.0))


def benjamini_hochberg(p: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (step-up; Benjamini & Hochberg 1995)."""
    p_arr = np.asarray(p, dtype=float)
    n = len(p_arr)
    if not n:
        return []
    order = np.argsort(p_arr, kind="stable")
    ranked = p_arr[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adjusted, 1.0)
    return out.tolist()


@dataclass(frozen=True)
class Key:
    """A word (or theme) more frequent in one group's comments than the other's: counts, G², Log Ratio
    (log₂ of the relative frequencies, Hardie 2014), BH-adjusted p, and whether it holds after the correction."""

    term: str
    language: str
    first: int
    second: int
    g2: float
    log_ratio: float
    p: float
    p_adjusted: float
    holds: bool
    writers: int = 0


def keyness(first: Sequence[Sequence[str]], second: Sequence[Sequence[str]], languages_first: Sequence[str],
            languages_second: Sequence[str], minimum: int = 5, alpha: float = 0.05) -> list[Key]:
    """Words more frequent in ``first`` (detractors' terms, per comment) than in ``second`` (promoters'), per
    language, by Rayson & Garside's G²; a word is tested when at least ``minimum`` comments of the two groups use
    it; p-values adjusted by Benjamini–Hochberg over every word tested; only words with a higher relative
    frequency in ``first`` are returned, strongest first. Tokens within a comment are not independent, so the
    p-values rank more than they prove."""
    rows = []
    for lang in LANGUAGES:
        a_docs = [t for t, lg in zip(first, languages_first) if lg == lang]
        b_docs = [t for t, lg in zip(second, languages_second) if lg == lang]
        a, b = Counter(w for t in a_docs for w in t), Counter(w for t in b_docs for w in t)
        c, d = sum(a.values()), sum(b.values())
        if not c or not d:
            continue
        writers = Counter(w for t in [*a_docs, *b_docs] for w in set(t))
        for w, n in writers.items():
            if n < minimum:
                continue
            g2 = log_likelihood(a[w], b[w], c, d)
            ratio = math.log2(((a[w] or 0.5) / c) / ((b[w] or 0.5) / d))
            rows.append((w, lang, a[w], b[w], g2, ratio, chi2_p(g2), n))
    adjusted = benjamini_hochberg([r[6] for r in rows])
    out = [Key(w, lang, x, y, g2, ratio, p, q, q < alpha, n)
           for (w, lang, x, y, g2, ratio, p, n), q in zip(rows, adjusted) if ratio > 0]
    return sorted(out, key=lambda k: (-k.g2, k.term))


# --------------------------------------------------------------------------- the score


def score_group(score: float, low: float, high: float, nps: bool) -> str:
    """"detractor", "passive" or "promoter" on an NPS question (0–6, 7–8, 9–10); on another scale the lower
    third, the middle and the upper third of its range."""
    if math.isnan(score):
        return ""
    if nps:
        return "detractor" if score <= 6 else "promoter" if score >= 9 else "passive"
    share = (score - low) / (high - low) if high > low else 0.5
    return "detractor" if share < 1 / 3 else "promoter" if share > 2 / 3 else "passive"


def counted(texts: Iterable[str]) -> list[tuple[str, int]]:
    """Repeated comments shown once with their count (compared without case and surrounding spaces), most
    repeated first, otherwise in the order given.

    >>> counted(["Bra", "bra ", "Tack"])
    [('Bra', 2), ('Tack', 1)]
    """
    return counted_pairs(Counter(str(t) for t in texts).items())


def counted_masked(texts: Iterable[str]) -> list[tuple[str, int]]:
    """:func:`counted` of the texts with personal data masked (:func:`lib.privacy.personal.mask`): each distinct
    text masked once, the same as masking every text."""
    from lib.privacy.personal import mask

    return counted_pairs((mask(t), times) for t, times in Counter(str(t) for t in texts).items())


def counted_pairs(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """:func:`counted` of texts given once each with how often they occur, in the order each first occurs (a
    Counter's items): a text and its key are worked out once however often it repeats, with the same result."""
    first: dict[str, str] = {}
    n: Counter[str] = Counter()
    for t, times in pairs:
        shown = " ".join(t.split())
        k = shown.casefold()
        if not k:
            continue
        first.setdefault(k, shown)
        n[k] += times
    # dicts keep insertion order and sorted() is stable: most repeated first, ties in the order given
    return [(first[k], n[k]) for k in sorted(first, key=lambda k: -n[k])]


@dataclass(frozen=True)
class ThemeScore:
    """One theme's figures: comments that mention it, their share, and the score of its writers against the
    rest (NPS points, or the mean on the pulse's own scale), with the difference's interval and p (Holm over
    the themes)."""

    key: str
    name: str
    mentions: int
    share: float
    score_with: float | None = None
    score_without: float | None = None
    n_with: int = 0
    n_without: int = 0
    difference: float | None = None
    ci95: tuple[float, float] | None = None
    p: float | None = None
    p_holm: float | None = None
    holds: bool = False
    examples: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    hidden: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"theme": self.key, "name": self.name, "mentions": self.mentions, "share": self.share,
                "score_with": self.score_with, "score_without": self.score_without, "n_with": self.n_with,
                "n_without": self.n_without, "difference": self.difference,
                "ci95": list(self.ci95) if self.ci95 else None, "p": self.p, "p_holm": self.p_holm,
                "holds_after_holm": self.holds, "hidden": self.hidden,
                "examples": [{"text": t, "count": n} for t, n in self.examples]} if not self.hidden else {
            "theme": self.key, "name": self.name, "hidden": True}


# --------------------------------------------------------------------------- a survey's comments


@dataclass
class ThemeReport:
    """What the comments of one side of a view say: themes with their score comparison, the words and themes
    more frequent among detractors than promoters, new themes to consider, and notes."""

    side: str
    comments: int
    languages: dict[str, int]
    themes: list[ThemeScore]
    key_words: list[Key]
    key_themes: list[Key]
    suggestions: list[Suggestion]
    score: str | None  # "nps", "enps", "pulse" or None
    notes: list = field(default_factory=list)
    coded: Coded | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {"side": self.side, "comments": self.comments, "languages": self.languages, "score": self.score,
                "themes": [t.as_dict() for t in self.themes],
                "detractor_words": [_key_dict(k) for k in self.key_words],
                "detractor_themes": [_key_dict(k) for k in self.key_themes],
                "suggested_themes": [{"language": s.language, "terms": list(s.terms), "comments": s.comments}
                                     for s in self.suggestions],
                "notes": [str(n) for n in self.notes]}


def _key_dict(k: Key) -> dict[str, object]:
    return {"term": k.term, "language": k.language, "detractors": k.first, "promoters": k.second, "g2": k.g2,
            "log_ratio": k.log_ratio, "p": k.p, "p_adjusted": k.p_adjusted, "holds": k.holds}


def _score_part(scores: np.ndarray, has: np.ndarray, kind: str, low: float, high: float) -> dict[str, object]:
    """The score of writers who mention a theme against the rest: NPS points (adjusted Wald) or pulse means
    (Welch)."""
    from lib.figures import stats

    a, b = scores[has & ~np.isnan(scores)], scores[~has & ~np.isnan(scores)]
    if kind in ("nps", "enps"):
        ca, cb = stats.nps_counts(a), stats.nps_counts(b)
        d = stats.nps_difference(ca, cb)
        with_, without = stats.nps(a).score, stats.nps(b).score
    else:
        d = stats.welch_t(a, b)
        with_, without = float(a.mean()) if len(a) else None, float(b.mean()) if len(b) else None
    ok = not math.isnan(d.p)
    return {"score_with": with_, "score_without": without, "n_with": int(len(a)), "n_without": int(len(b)),
            "difference": d.difference if ok else None, "ci95": d.ci95 if ok else None, "p": d.p if ok else None}


def _examples(coded: Coded, j: int, n: int) -> tuple[tuple[str, int], ...]:
    return tuple(counted_masked(coded.texts[i] for i in np.flatnonzero(coded.mentions[:, j])))[:n]


def theme_scores(coded: Coded, book: Codebook, lang: str, minimum: int, scores: np.ndarray | None = None,
                 kind: str | None = None, scale: tuple[float, float] = (0, 10), examples: int = 3) -> list[ThemeScore]:
    """Per theme: mentions, share, examples and (with ``scores``, one per comment) the score of those who mention
    it against those who do not, Holm-corrected over the themes. A theme fewer than ``minimum`` writers mention is
    hidden; a comparison needs ``minimum`` writers on each side."""
    from lib.figures import stats

    n = len(coded.texts)
    out: list[ThemeScore] = []
    for j, key in enumerate(coded.keys):
        has = coded.mentions[:, j]
        m = int(has.sum())
        name = book.theme(key).name(lang)
        if m < minimum:
            out.append(ThemeScore(key, name, m, m / n if n else 0.0, hidden=True))
            continue
        part: dict[str, object] = {}
        if scores is not None and kind is not None and m <= n - minimum:
            part = _score_part(scores, has, kind, *scale)
            if min(part["n_with"], part["n_without"]) < minimum:  # type: ignore[call-overload]
                part = {}
        out.append(ThemeScore(key, name, m, m / n, examples=_examples(coded, j, examples), **part))  # type: ignore[arg-type]
    tested = [i for i, t in enumerate(out) if t.p is not None]
    for i, q in zip(tested, stats.holm([out[i].p for i in tested])):  # type: ignore[misc]
        out[i] = replace(out[i], p_holm=q, holds=q < 0.05)
    return sorted(out, key=lambda t: (t.hidden, -t.mentions, t.key))


def theme_keyness(coded: Coded, groups: Sequence[str], minimum: int) -> list[Key]:
    """Themes more or less frequent among detractors than promoters (Dunning's 2×2 G² on writers, Holm over the
    themes tested); a theme is tested when at least ``minimum`` writers of the two groups mention it."""
    from lib.figures import stats

    g = np.asarray(groups)
    det, pro = g == "detractor", g == "promoter"
    rows = []
    for j, key in enumerate(coded.keys):
        a, b = int((coded.mentions[:, j] & det).sum()), int((coded.mentions[:, j] & pro).sum())
        if a + b < minimum:
            continue
        g2 = g2_table(a, int(det.sum()) - a, b, int(pro.sum()) - b)
        ratio = math.log2(((a or 0.5) / max(det.sum(), 1)) / ((b or 0.5) / max(pro.sum(), 1)))
        rows.append((key, a, b, g2, ratio, chi2_p(g2), a + b))
    adjusted = stats.holm([r[5] for r in rows]) if rows else []
    out = [Key(k, "", a, b, g2, r, p, q, q < 0.05, n) for (k, a, b, g2, r, p, n), q in zip(rows, adjusted)]
    return sorted(out, key=lambda k: (-k.log_ratio, k.term))


def analyse(texts: Sequence[str], book: Codebook, lang: str, minimum: int, scores: np.ndarray | None = None,
            kind: str | None = None, scale: tuple[float, float] = (0, 10), language: str | None = None,
            side: str = "customer", suggest: bool = True, coded: Coded | None = None) -> ThemeReport:
    """Everything :class:`ThemeReport` holds for one set of comments (one per writer) and, optionally, their
    writers' scores; ``lang`` names the themes, ``minimum`` is the fewest writers behind anything shown.
    ``coded``: the texts already coded with the side's codebook (:meth:`CommentIndex.coded`)."""
    book = book.for_side(side)
    coded = coded if coded is not None else code(texts, book, language=language)
    report = ThemeReport(side, len(texts), coded.language_counts, theme_scores(coded, book, lang, minimum, scores, kind,
                                                                               scale), [], [], [], kind, coded=coded)
    if scores is not None and kind is not None:
        groups = [score_group(float(v), scale[0], scale[1], kind in ("nps", "enps")) for v in scores]
        det = [i for i, g in enumerate(groups) if g == "detractor"]
        pro = [i for i, g in enumerate(groups) if g == "promoter"]
        if len(det) >= minimum and len(pro) >= minimum:
            report.key_words = keyness([coded.terms[i] for i in det], [coded.terms[i] for i in pro],
                                       [coded.languages[i] for i in det], [coded.languages[i] for i in pro],
                                       max(5, minimum))
            report.key_themes = theme_keyness(coded, groups, minimum)
        else:
            report.notes.append(msg("Words and themes by score need at least {k} detractors and {k} promoters who "
                                    "wrote a comment.", k=minimum))
    if suggest:
        report.suggestions = suggest_themes(coded, minimum=max(5, minimum))
    return report


def _score_column(survey: object, side: str) -> tuple[str | None, str | None, tuple[float, float]]:
    """The frame column, kind and scale of the score a writer gave: NPS/eNPS ("recommend") or the pulse."""
    if getattr(survey, "has_recommend", False) and "recommend" in survey.frame:  # type: ignore[attr-defined]
        return "recommend", "nps" if side == "customer" else "enps", (0.0, 10.0)
    col = survey.detection.one("pulse")  # type: ignore[attr-defined]
    if col is not None and col.scale is not None and "pulse" in survey.frame:  # type: ignore[attr-defined]
        return "pulse", "pulse", (float(col.scale.low), float(col.scale.high))
    return None, None, (0.0, 10.0)


def comment_report(s: object, side: str, book: Codebook, lang: str = "en", suggest: bool = True) -> ThemeReport | None:
    """The comments of one side of a summary (:class:`lib.figures.summary.Summary`) as a :class:`ThemeReport`.

    Customer comments: every comment the filters select. Employee comments only as :mod:`lib.privacy.commentary`
    releases them: counts, shares and examples from the view's whole comment groups, a theme only when at least
    ``k`` writers mention it; the score comparison and keyness from the whole file's comments (one release per
    file), each figure with at least ``k`` writers behind it. None when the side has no comments. ``suggest=False``
    leaves out the new themes NMF would suggest (it loads scikit-learn, seconds on a cold start). The report of a
    view is kept with its survey for the same rows, settings, codebook and language (the app's pages and decks ask
    for the same ones); not while the release ledger is on, nor with a fresh comment shuffle each time.
    """
    survey = getattr(s, "customer" if side == "customer" else "employee")
    if survey is None or not survey.comments:
        return None
    from lib.privacy import ledger

    st = s.settings  # type: ignore[attr-defined]
    if ledger.active() or st.comment_seed is None:  # a release is recorded where it is made; None: a fresh shuffle
        return _comment_report(s, survey, side, book, lang, suggest)
    if side == "customer":
        result = s.customer_filter  # type: ignore[attr-defined]
        chosen = result.mask if result is not None else None
    else:
        chosen = s.employee_view.chosen if s.employee_view is not None else None  # type: ignore[attr-defined]
    digest = hashlib.sha1(np.ascontiguousarray(chosen).tobytes()).hexdigest() if chosen is not None else ""
    key = (side, digest, st.min_group, st.floor, st.min_comments, st.comment_seed,
           json.dumps(book.as_dict(), sort_keys=True, ensure_ascii=False), lang, suggest)
    from lib.survey.frame import remembered

    return remembered(survey, "comment_reports", key, lambda: _comment_report(s, survey, side, book, lang, suggest))


def _comment_report(s: object, survey: object, side: str, book: Codebook, lang: str, suggest: bool
                    ) -> ThemeReport | None:
    column, kind, scale = _score_column(survey, side)
    if side == "customer":
        result = s.customer_filter  # type: ignore[attr-defined]
        index = comment_index(survey)
        at = index.positions(result.mask if result is not None else np.ones(len(survey.frame), bool))
        scores = survey.frame[column].to_numpy(dtype="float64")[index.rows[at]] if column else None
        texts = [index.texts[i] for i in at]
        return analyse(texts, book, lang, 5, scores, kind, scale, side="customer", suggest=suggest,
                       coded=index.coded(book.for_side("customer"), at))
    return _employee_report(s, survey, book, lang, column, kind, scale, suggest)


def _released_keys(keys: list[Key], has: list[np.ndarray], groups: np.ndarray, survey: object, whole: object,
                   measure: str, column: str | None) -> list[Key]:
    """The keys whose detractor and promoter counts each rest on at least ``k`` writers, released with their G²
    (:func:`lib.privacy.commentary.release_together`). ``has``: per key, which writers used the word (in its
    language) or mention the theme. A count of 0 ("no promoter wrote it") is a statement about the whole side
    (at least ``k`` writers, or keyness is not computed) and is released as resting on all of them; a count of
    1 to k−1 withholds the key."""
    from lib.privacy import commentary

    det, pro = groups == "detractor", groups == "promoter"
    out = []
    for key, h in zip(keys, has):
        on_det = h & det if (h & det).any() else det
        on_pro = h & pro if (h & pro).any() else pro
        got = commentary.release_together({"detractors": (key.first, on_det), "promoters": (key.second, on_pro),
                                           "g2": (key.g2, on_det | on_pro)}, survey, whole, f"{measure}:{key.term}",
                                          score=column)
        if got is not None:
            out.append(key)
    return out


def department_report(s: object, side: str, book: Codebook, lang: str, department: str) -> ThemeReport | None:
    """:func:`comment_report` for one department of a summary (its filters narrowed to the department), without
    suggestions: employee comments only when the department's whole comment groups hold at least ``k`` writers."""
    from lib.figures.filters import apply

    survey = getattr(s, side)
    if survey is None or not survey.comments or department not in s.link.names:  # type: ignore[attr-defined]
        return None
    mask = apply(survey, replace(s.filters, departments=frozenset({department})), s.link, side)  # type: ignore[attr-defined]
    if side == "customer":
        narrowed = replace(s, customer_filter=mask)  # type: ignore[type-var]
    elif s.employee_view is None:  # type: ignore[attr-defined]
        return None
    else:
        narrowed = replace(s, employee_view=replace(s.employee_view, chosen=mask.mask))  # type: ignore[type-var, attr-defined]
    return comment_report(narrowed, side, book, lang, suggest=False)


def _employee_report(s: object, survey: object, book: Codebook, lang: str, column: str | None, kind: str | None,
                     scale: tuple[float, float], suggest: bool = True) -> ThemeReport:
    from lib.privacy import commentary

    st = s.settings  # type: ignore[attr-defined]
    k = st.min_group
    view = commentary.view_comments(survey, s.employee_view.chosen, k, st.floor, st.min_comments,  # type: ignore[attr-defined]
                                    st.comment_seed)
    if view is None:
        from lib.privacy.groups import comment_threshold

        return ThemeReport("employee", 0, {}, [], [], [], [], kind, [msg(
            "Comments are shown only for whole groups of at least {n} employee responses, and this selection holds "
            "none.", n=comment_threshold(k, st.min_comments))])
    shown = analyse(view.texts, book, lang, k, side="employee", suggest=suggest)
    coded = shown.coded
    # a hidden theme's count, and a language fewer than k wrote in, are not released (the rest would give it away)
    shown.themes = [replace(t, mentions=0, share=0.0) if t.hidden else t for t in shown.themes]
    by_language = {lg: (n, np.array([x == lg for x in coded.languages])) for lg, n in shown.languages.items()}
    shown.languages = dict(commentary.release_together(by_language, survey, view, "languages") or {})
    for t in shown.themes:
        if not t.hidden:
            j = coded.keys.index(t.key)
            commentary.release((t.mentions, t.share), survey, view, coded.mentions[:, j], f"theme:{t.key}")
    for sug in shown.suggestions:
        commentary.release(sug.terms, survey, view, np.ones(len(view.texts), bool), "theme-suggestion")
    whole = commentary.file_comments(survey, k, st.floor, st.min_comments, column, st.comment_seed)
    if whole is None or kind is None:
        return shown
    scored = analyse(whole.texts, book, lang, k, whole.scores, kind, scale, side="employee", suggest=False)
    by_key = {t.key: t for t in scored.themes}
    fields = ("score_with", "score_without", "n_with", "n_without", "difference", "ci95", "p", "p_holm", "holds")
    for i, t in enumerate(shown.themes):
        f = by_key.get(t.key)
        if f is not None and f.p is not None and not t.hidden:
            commentary.release(f.difference, survey, whole, np.ones(len(whole.texts), bool), f"theme-score:{t.key}",
                               score=column)
            shown.themes[i] = replace(t, **{name: getattr(f, name) for name in fields})
    coded = scored.coded
    groups = np.array([score_group(float(v), scale[0], scale[1], kind in ("nps", "enps")) for v in whole.scores])
    words_of = [np.array([key.term in terms and lg == key.language for terms, lg in zip(coded.terms, coded.languages)])
                for key in scored.key_words]
    themes_of = [coded.mentions[:, coded.keys.index(key.term)] for key in scored.key_themes]
    key_words = _released_keys(scored.key_words, words_of, groups, survey, whole, "keyness", column)
    key_themes = _released_keys(scored.key_themes, themes_of, groups, survey, whole, "theme-keyness", column)
    withheld = len(scored.key_words) + len(scored.key_themes) - len(key_words) - len(key_themes)
    if withheld:
        shown.notes.append(msg_n("{count} word or theme is left out of the comparison of detractors and promoters: "
                                 "fewer than {k} detractors or fewer than {k} promoters wrote it.",
                                 "{count} words or themes are left out of the comparison of detractors and promoters: "
                                 "fewer than {k} detractors or fewer than {k} promoters wrote each.", withheld, k=k))
    shown.key_words, shown.key_themes, shown.score = key_words, key_themes, kind
    shown.notes += [*scored.notes, msg("Employee scores by theme and the words by score use the whole file's "
                                       "comments, whatever the filters, so that no two views can be compared to "
                                       "single anyone out.")]
    return shown


# --------------------------------------------------------------------------- over time and by unit


def theme_shares(s: object, side: str, book: Codebook, chosen: np.ndarray, group: str) -> tuple[int, dict[str, float]] | None:
    """The comments of the ``chosen`` rows of one side and each theme's share of them: customer themes that at
    least 5 writers mention; employee comments only as :func:`lib.privacy.commentary.view_comments` releases them
    (whole comment groups inside the rows, at least ``k`` writers) and a theme only when at least ``k`` of them
    mention it, each share recorded in the release ledger under ``group``. None when nothing may be shown."""
    book = book.for_side(side)
    if side == "customer":
        index = comment_index(s.customer)  # type: ignore[attr-defined]
        at = index.positions(chosen)
        if not len(at):
            return None
        _main, mentions = index.mentions(book, at)
        counts, minimum = mentions.sum(axis=0), 5
        return len(at), {key: float(counts[j] / len(at)) for j, key in enumerate(matcher(book).keys)
                         if counts[j] >= minimum}
    from lib.privacy import commentary

    st, survey = s.settings, s.employee  # type: ignore[attr-defined]
    view = commentary.view_comments(survey, chosen, st.min_group, st.floor, st.min_comments, st.comment_seed)
    if view is None:
        return None
    coded = code(view.texts, book)
    n = len(view.texts)
    commentary.release(n, survey, view, np.ones(n, bool), "comments", group=group)
    out = {}
    for j, key in enumerate(coded.keys):
        share = commentary.release(float(coded.mentions[:, j].mean()), survey, view, coded.mentions[:, j],
                                   f"theme-share:{key}", group=group)
        if share is not None:
            out[key] = share
    return n, out  # type: ignore[return-value]


def theme_breakdown(s: object, side: str, book: Codebook, lang: str = "en", period: str | None = None
                    ) -> dict[str, object] | None:
    """A theme's share of the comments by period (``period``: a kind of :mod:`lib.figures.periods`) and by
    department, each group by :func:`theme_shares` (so under the anonymity rules on the employee side). Rows:
    ``{"by", "group", "comments", "shares": {theme: share}}``; a group with nothing to show has ``comments``
    None; a theme missing from ``shares`` is not shown for that group. None when the side has no comments."""
    from lib.figures import periods as P
    from lib.figures.filters import apply

    survey = getattr(s, side)
    if survey is None or not survey.comments:
        return None
    filters = s.filters  # type: ignore[attr-defined]
    groups: list[tuple[str, str, object]] = []
    if period:
        both = (s.customer, s.employee)  # type: ignore[attr-defined]
        for p in P.periods([x for x in both if x is not None], period):
            groups.append(("period", p.label(period), P.window(filters, p, period, both)))
    for name in s.link.names:  # type: ignore[attr-defined]
        if (filters.departments is None or name in filters.departments) and name not in s.link.outside:  # type: ignore[attr-defined]
            groups.append(("department", name, replace(filters, departments=frozenset({name}))))
    rows = []
    for by, label, f in groups:
        got = theme_shares(s, side, book, apply(survey, f, s.link, side).mask, f"{by}:{label}")  # type: ignore[arg-type, attr-defined]
        rows.append({"by": by, "group": label, "comments": got[0] if got else None, "shares": got[1] if got else {}})
    themes = [{"theme": t.key, "name": t.name(lang)} for t in book.for_side(side).themes]
    return {"side": side, "period": period, "themes": themes, "rows": rows}
