"""Employee comments for analysis (themes, their counts and shares, keyness, the score of those who wrote them),
released here under the comment rule of :mod:`lib.privacy.groups`.

* :func:`view_comments`: the comments of a view, one text per writer, from whole comment groups inside the view
  only, and nothing when fewer than ``k`` wrote — exactly the rows whose texts :func:`lib.privacy.groups.comments`
  shows, so theme counts and shares say nothing the listed comments do not.
* :func:`file_comments`: the same for the whole file, whatever the filters, with each writer's score. Anything
  that joins a comment to its writer's score (a theme's eNPS, keyness by score group) is computed over the whole
  file only: one release per file, so no two views can be subtracted to single out a writer.
* :func:`release`: a number computed from released comments, recorded in the release ledger with its writers and
  cells; withheld (None) when fewer than ``k`` writers stand behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.privacy import ledger
from lib.privacy.groups import commenters, comment_groups, comment_threshold, new_seed


@dataclass(frozen=True)
class Released:
    """Comments released for analysis: positions of the writers' rows in the survey's frame (never shown), one
    text per writer (their comment columns joined), each writer's score (file releases only) and how many
    responses the groups hold."""

    rows: np.ndarray
    texts: list[str]
    scores: np.ndarray | None
    responses: int
    k: int


def _whole(of_row: np.ndarray, size: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    if not len(size):
        return np.zeros(len(chosen), dtype=bool)
    usable = chosen & (of_row >= 0)
    inside = np.bincount(of_row[usable], minlength=len(size)) == size
    return usable & inside[np.maximum(of_row, 0)]


def _texts(survey: object, rows: np.ndarray) -> list[str]:
    frame = survey.frame  # type: ignore[attr-defined]
    cols = [frame[c].astype("string").str.strip().fillna("").to_numpy(dtype=object)[rows]
            for c in survey.comments.values()]  # type: ignore[attr-defined]
    return ["\n".join(str(c[i]) for c in cols if c[i]) for i in range(len(rows))]


def view_comments(survey: object, chosen: np.ndarray, k: int, floor: int | None, threshold: int,
                  seed: int | None = None) -> Released | None:
    """The comments of whole comment groups inside the view (``chosen`` rows), one per writer, sorted and then
    shuffled with ``seed`` (as :func:`lib.privacy.groups.shuffled` does), so their order says nothing about who
    wrote when; None when fewer than ``k`` wrote."""
    threshold = comment_threshold(k, threshold)
    groups = comment_groups(survey, k, k if floor is None else min(floor, k), threshold)
    mask = _whole(groups.of_row, groups.size, np.asarray(chosen, dtype=bool))
    wrote = commenters(survey) & mask
    if int(wrote.sum()) < k:
        return None
    rows = np.flatnonzero(wrote)
    texts = _texts(survey, rows)
    order = np.argsort(np.array(texts, dtype=object), kind="stable")
    order = order[np.random.default_rng(new_seed() if seed is None else seed).permutation(len(order))]
    return Released(rows[order], [texts[i] for i in order], None, int(mask.sum()), k)


def file_comments(survey: object, k: int, floor: int | None, threshold: int, score: str | None,
                  seed: int | None = None) -> Released | None:
    """The whole file's comments with each writer's score (the frame's ``score`` column: "recommend" or
    "pulse"); None when fewer than ``k`` wrote."""
    n = len(survey.frame)  # type: ignore[attr-defined]
    got = view_comments(survey, np.ones(n, dtype=bool), k, floor, threshold, seed)
    if got is None:
        return None
    values = None
    if score is not None and score in survey.frame:  # type: ignore[attr-defined]
        values = survey.frame[score].to_numpy(dtype="float64")[got.rows]  # type: ignore[attr-defined]
    return Released(got.rows, got.texts, values, got.responses, k)


def release(value: object, survey: object, released: Released, writers: np.ndarray, measure: str,
            group: str = "total", score: str | None = None) -> object | None:
    """``value``, computed from the comments of ``writers`` (a mask over ``released.rows``), if at least ``k`` of
    them stand behind it (else None); recorded in the release ledger with their rows and comment (and score)
    cells."""
    writers = np.asarray(writers, dtype=bool)
    if int(writers.sum()) < released.k:
        return None
    n = len(survey.frame)  # type: ignore[attr-defined]
    rows = np.zeros(n, dtype=bool)
    rows[released.rows[writers]] = True
    cells = {name: rows & survey.frame[c].notna().to_numpy(dtype=bool)  # type: ignore[attr-defined]
             for name, c in survey.comments.items()}  # type: ignore[attr-defined]
    if score is not None and score in survey.frame:  # type: ignore[attr-defined]
        cells[f"({score})"] = rows & survey.frame[score].notna().to_numpy(dtype=bool)  # type: ignore[attr-defined]
    return ledger.release(value, survey=survey, kind="figure", measure=measure, group=group, rows=rows, cells=cells,
                          k=released.k)


def release_together(parts: dict[str, tuple[object, np.ndarray]], survey: object, released: Released, measure: str,
                     score: str | None = None) -> dict[str, object] | None:
    """Figures that are shown together and reveal one another (a word's detractor and promoter counts, its G² and
    log ratio, which are computed from the counts): each ``name: (value, writers)`` released by :func:`release`
    as ``measure:name``, or none of them (None, nothing recorded) when any rests on fewer than ``k`` writers."""
    if any(int(np.asarray(w, dtype=bool).sum()) < released.k for _, w in parts.values()):
        return None
    return {name: release(value, survey, released, w, f"{measure}:{name}", score=score)
            for name, (value, w) in parts.items()}
