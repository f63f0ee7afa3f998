"""NKI and NMI, Nöjd-Kund-Index and Nöjd-Medarbetar-Index: SCB's three 1–10 questions as a 0–100 index.

SCB's model measures overall satisfaction with three questions (satisfaction with the whole, expectations met,
closeness to an ideal) and weights them with weights estimated for each survey; those weights are not published,
so an SCB NKI cannot be reproduced. This module computes the documented **simple, unweighted** form: each
question's mean on 1–10 becomes 100 × (mean − 1) / 9, and the index is the mean of the three, question first.
It says so wherever it is shown (:data:`METHOD`). SCB's reports give the scale link in words: "NKI 72 …
corresponds to 7,5 on the ten-point scale" (1 + 9 × 0.72 = 7.48).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.i18n import Msg, msg
from lib.values.questions import CODES, looks_like_question

QUESTION_NAMES: dict[str, Msg] = {"overall": msg("satisfaction with the whole"),
                                  "expectations": msg("expectations met"), "ideal": msg("closeness to the ideal")}
METHOD: Msg = msg("Unweighted: the mean of the three questions' indices, 100 × (mean − 1) / 9 each. SCB's own model "
                  "weights the three questions with weights estimated for each survey, which are not published, so "
                  "an SCB-modelled index can differ by a few points.")
LOW, HIGH = 1, 10


def recognise(headers: list[str]) -> dict[str, str]:
    """{code: header} for the three questions, when all three are among ``headers`` (else empty)."""
    found: dict[str, str] = {}
    for header in headers:
        code = looks_like_question(header)
        if code is not None and code not in found:
            found[code] = header
    return found if len(found) == len(CODES) else {}


def to_mean(index: float) -> float:
    """The mean on 1–10 that an index stands for: 1 + 9 × index / 100.

    >>> round(to_mean(72), 2), round(to_mean(85), 2)  # SCB: "NKI 72 ≈ 7,5", "NKI 85 ≈ 8,7"
    (7.48, 8.65)
    """
    return LOW + (HIGH - LOW) * index / 100.0


def to_index(mean: float) -> float:
    """The 0–100 index of a mean on 1–10: 100 × (mean − 1) / 9.

    >>> round(to_index(7.5), 6)
    72.222222
    """
    return 100.0 * (mean - LOW) / (HIGH - LOW)


@dataclass(frozen=True)
class NkiResult:
    """The index of one group (None when hidden), each question's index and n, and the respondents."""

    index: float | None
    questions: dict[str, float | None]
    n: dict[str, int]
    respondents: int
    suppressed: bool

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "questions": dict(self.questions), "n": dict(self.n),
                "respondents": self.respondents, "suppressed": self.suppressed, "method": "unweighted"}


def nki_index(points: np.ndarray, k: int, weights: tuple[float, float, float] | None = None) -> NkiResult:
    """NKI (or NMI) of one group, question first: I_q = 100 × (mean_q − 1) / 9, index = Σ w_q I_q (w = ⅓ each
    unless given; weights must be ≥ 0 and sum to 1).

    ``points``: one row per respondent, columns overall, expectations, ideal; a valid answer is 1–10, anything
    else missing. A group with fewer than ``k`` respondents, or a question fewer than ``k`` answered, shows none.

    >>> nan = float("nan")
    >>> rows = [[8, 7, 6], [10, 9, 9], [6, 5, 4], [9, 8, nan], [7, 7, 6]]
    >>> round(nki_index(np.array(rows), k=3).index, 6), round(nki_index(np.array(rows), 3, (0.4, 0.3, 0.3)).index, 6)
    (68.333333, 69.277778)
    """
    points = np.asarray(points, dtype="float64")
    valid = np.isin(points, np.arange(LOW, HIGH + 1))
    respondents = int(valid.any(axis=1).sum())
    suppressed = respondents < k
    w = np.full(3, 1 / 3) if weights is None else np.asarray(weights, dtype="float64")
    if w.shape != (3,) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
        raise ValueError("weights must be three non-negative numbers that sum to 1")
    questions: dict[str, float | None] = {}
    ns: dict[str, int] = {}
    for j, code in enumerate(CODES):
        answers = points[valid[:, j], j]
        ns[code] = int(answers.size)
        questions[code] = None if suppressed or answers.size < max(k, 1) else to_index(float(answers.mean()))
    values = list(questions.values())
    index = None if any(v is None for v in values) else float(np.dot(w, values))
    return NkiResult(index, questions, ns, respondents, suppressed)
