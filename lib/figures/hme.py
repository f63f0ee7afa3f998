"""HME, Hållbart medarbetarengagemang: SKR's nine employee statements and their 0–100 indices.

What SKR and Kolada establish, implemented exactly:

* nine statements in three sub-indices, Motivation (M1–M3), Ledarskap (leadership, L1–L3) and Styrning
  (governance, S1–S3), answered on a 1–5 scale from "Stämmer mycket dåligt" to "Stämmer mycket bra";
* each **question's** result becomes a 0–100 index, and the total is the mean of the nine question indices
  (equivalently, of the three sub-indices).

What no readable source settles, and the choice made here (each is shown with the figure, :data:`CHOICES`):

* the mapping from 1–5 to 0–100 is taken as linear, 100 × (mean − 1) / 4, the only one with 0 and 100 at the ends;
* blanks and "vet ej" are left out of each question separately (everyone who answered a question counts for it);
* a sub-index needs all three of its question indices, the total all nine; otherwise none is shown;
* figures are kept unrounded and shown as whole numbers, rounded half up;
* the minimum group is the app's anonymity threshold k: a group with fewer than k HME respondents, or a question
  fewer than k answered, shows no index that uses it.

The respondent-first mean of the app's engagement index is a different figure (60.3 against 65.9 on the worked
example in the tests) and is never called HME.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.i18n import Msg, msg
from lib.values.vocab import normalize

#: The nine statements by code: SKR's Swedish wording first (Motivation and Ledarskap from SKR's HME page; the
#: Styrning items as Enköping municipality publishes them), then wordings seen in use, then common English and
#: Finnish renderings. Matching is exact after normalising case, spaces, dashes and a trailing full stop.
STATEMENTS: dict[str, tuple[str, ...]] = {
    "M1": ("Mitt arbete känns meningsfullt", "My work feels meaningful", "Työni tuntuu merkitykselliseltä"),
    "M2": ("Jag lär nytt och utvecklas i mitt dagliga arbete", "I learn new things and develop in my daily work",
           "I learn new things and develop in my everyday work", "Opin uutta ja kehityn päivittäisessä työssäni"),
    "M3": ("Jag ser fram emot att gå till arbetet", "I look forward to going to work", "Odotan innolla töihin menemistä"),
    "L1": ("Min närmaste chef visar uppskattning för mina arbetsinsatser",
           "My immediate manager shows appreciation for my work",
           "My immediate manager shows appreciation for my work efforts",
           "Lähin esihenkilöni arvostaa työpanostani"),
    "L2": ("Min närmaste chef visar förtroende för mig som medarbetare",
           "My immediate manager shows trust in me as an employee",
           "Lähin esihenkilöni osoittaa luottamusta minuun työntekijänä"),
    "L3": ("Min närmaste chef ger mig förutsättningar att ta ansvar i mitt arbete",
           "My immediate manager gives me the conditions to take responsibility in my work",
           "Lähin esihenkilöni antaa minulle edellytykset ottaa vastuuta työssäni"),
    "S1": ("Jag är insatt i min arbetsplats mål", "Jag är insatt i målen för min enhet",
           "I am familiar with my workplace's goals", "Tunnen työpaikkani tavoitteet"),
    "S2": ("Min arbetsplats mål följs upp och utvärderas på ett bra sätt",
           "I vår enhet följs våra mål upp och utvärderas på ett bra sätt",
           "My workplace's goals are followed up and evaluated in a good way",
           "Työpaikkani tavoitteita seurataan ja arvioidaan hyvin"),
    "S3": ("Jag vet vad som förväntas av mig i mitt arbete", "I know what is expected of me in my work",
           "Tiedän, mitä minulta odotetaan työssäni"),
}
CODES: tuple[str, ...] = tuple(STATEMENTS)
SUBINDICES: dict[str, tuple[str, ...]] = {"motivation": ("M1", "M2", "M3"), "leadership": ("L1", "L2", "L3"),
                                          "governance": ("S1", "S2", "S3")}
SUBINDEX_NAMES: dict[str, Msg] = {"motivation": msg("Motivation"), "leadership": msg("Leadership"),
                                  "governance": msg("Governance")}
#: The points no readable source settles, as the figure's notes say them.
CHOICES: tuple[Msg, ...] = (
    msg("HME as SKR defines it: each question's mean on 1–5 becomes 100 × (mean − 1) / 4; a sub-index is the mean "
        "of its three questions, the total the mean of all nine."),
    msg("Our choices where SKR's published texts are silent: blanks and “vet ej” are left out of each question; a "
        "sub-index needs all three questions and the total all nine; no index for fewer than {k} respondents or a "
        "question fewer than {k} answered; shown rounded half up to whole numbers."),
)
LOW, HIGH = 1, 5


def _key(text: str) -> str:
    return normalize(text).rstrip(" .!")


_LOOKUP: dict[str, str] = {_key(text): code for code, texts in STATEMENTS.items() for text in texts}


def recognise(headers: list[str]) -> dict[str, str]:
    """The HME statements among ``headers``: {code: header}, by exact wording after normalising.

    >>> recognise(["Mitt arbete känns meningsfullt.", "Jag ser fram emot att gå till arbetet", "Ålder"])
    {'M1': 'Mitt arbete känns meningsfullt.', 'M3': 'Jag ser fram emot att gå till arbetet'}
    """
    found: dict[str, str] = {}
    for header in headers:
        code = _LOOKUP.get(_key(header))
        if code is not None and code not in found:
            found[code] = header
    return found


@dataclass(frozen=True)
class HmeItem:
    """One statement's answers in a group: ``n`` valid answers, counts of 1…5, the 0–100 index (None when hidden)."""

    code: str
    n: int
    counts: tuple[int, ...]
    index: float | None

    @property
    def positive_share(self) -> float | None:
        """The share of 4 and 5 among the valid answers, in %."""
        return None if self.index is None or not self.n else 100.0 * (self.counts[3] + self.counts[4]) / self.n


@dataclass(frozen=True)
class HmeResult:
    """HME for one group. ``respondents``: people with at least one valid HME answer. Indices are None when hidden
    or incomplete; ``suppressed`` says the whole group is below the threshold."""

    items: dict[str, HmeItem]
    subindices: dict[str, float | None]
    total: float | None
    respondents: int
    suppressed: bool

    def as_dict(self) -> dict[str, object]:
        return {"total": self.total, "subindices": dict(self.subindices), "respondents": self.respondents,
                "suppressed": self.suppressed,
                "items": {c: {"n": i.n, "index": i.index, "counts": list(i.counts) if i.index is not None else None}
                          for c, i in self.items.items()}}


def hme_index(points: np.ndarray, k: int) -> HmeResult:
    """HME total, sub-indices and item indices of one group, question first (Kolada's U15200 description).

    ``points`` has one row per respondent and the nine columns M1 M2 M3 L1 L2 L3 S1 S2 S3; a valid answer is a
    whole number 1–5, anything else (NaN for blank or "vet ej") is missing.

    I_q = 100 × (mean_q − 1) / 4; sub-index = mean of its three I_q; total = mean of the nine I_q.

    Worked example (seven respondents, worked by hand; also in the tests):

    >>> nan = float("nan")
    >>> rows = [[5, 4, 5, 5, 5, 4, 4, 3, 5], [4, 4, 3, 2, 3, 3, 4, 4, 4], [5, 5, 4, nan, nan, nan, 5, 4, 5],
    ...         [3, 2, 2, 4, 4, 4, 3, 2, 3], [4, 3, 4, 5, 5, 5, nan, 3, 4], [2, 3, 1, 3, 4, 3, 4, 3, nan],
    ...         [1, 2, 1, nan, nan, nan, nan, nan, nan]]
    >>> r = hme_index(np.array(rows, dtype=float), k=5)
    >>> round(r.total, 6), round(r.subindices["motivation"], 6), r.respondents
    (65.939153, 54.761905, 7)
    """
    points = np.asarray(points, dtype="float64")
    valid = np.isin(points, np.arange(LOW, HIGH + 1))
    respondents = int(valid.any(axis=1).sum())
    suppressed = respondents < k
    items: dict[str, HmeItem] = {}
    for j, code in enumerate(CODES):
        answers = points[valid[:, j], j]
        counts = tuple(int((answers == p).sum()) for p in range(LOW, HIGH + 1))
        n = int(answers.size)
        index = None if suppressed or n < k or n == 0 else 100.0 * (float(answers.mean()) - LOW) / (HIGH - LOW)
        items[code] = HmeItem(code, n, counts, index)
    subs: dict[str, float | None] = {}
    for name, codes in SUBINDICES.items():
        values = [items[c].index for c in codes]
        subs[name] = None if any(v is None for v in values) else float(np.mean(values))
    all_nine = [items[c].index for c in CODES]
    total = None if any(v is None for v in all_nine) else float(np.mean(all_nine))
    return HmeResult(items, subs, total, respondents, suppressed)
