"""Anonymity: every rule that decides which employee answers a figure may use.

Every employee figure the project releases — in the app, a chart, a table, a
download, a link or the command line — is computed over the rows this module
hands out, and nowhere else.

The model, sound by construction
--------------------------------
Once per employee file, the respondents are split into **protection groups**
(:func:`protection_groups`): the file is divided by its units' higher units, top
first, when an organisation is given (:mod:`lib.survey.hierarchy`), then by
department, then by the month of the answer, then by every segment column in the order of the file, then
by ISO week. A split is kept only where each part has at least ``k`` responses and,
for every figure (engagement, eNPS, each statement), either nobody or at least
``k`` people who answered it. The parts that are too small are pooled, and the
pool, if still too small, takes in the smallest sibling that makes it large enough on its own (else the smallest
siblings in turn until it is);
such a pool is split further only into parts that each hold some of the small
parts' rows, so the sibling is hidden whole rather than shown in part. So every
group holds at least ``k`` responses and every figure's answers come from 0 or at
least ``k`` of them. The complete answers behind Cronbach's alpha do not decide
the split; alpha uses them only in groups with 0 or at least ``k`` of them
(``Groups.complete``).

A view (any filters: departments, segment values, dates, a department mapping)
uses **only the groups that lie wholly inside it**; the rows of a group the
filters cut are left out of the employee figures and counted under
"anonymity". A department's figure uses only the groups that lie wholly in that
department (after the mapping); groups that span departments count in the
totals only. Hence every employee figure of every view is computed over a union
of whole groups, and any two such unions differ by whole groups: by nobody or
by at least ``k`` people. That covers filter steps, date windows a day apart,
the whole file minus every department shown (the remainder is whole groups),
mappings (groups are formed from the file's own department names, so a mapping
can join them but never split one; with an organisation, the mapping also decides
where a unit sits in it, so there it is the uploader's choice that forms the groups,
like a role), views of a level or a unit of the organisation (a joining mapping and
a department filter) and any combination of these.

A viewer may raise the threshold for their own view. The groups for a higher
threshold are built by pooling the groups of the deployment's floor
(:func:`floor_threshold`), so every figure, whatever threshold a viewer picks,
is still a union of the floor's groups, and the promise holds for the floor.

Comments get their own, coarser groups (:func:`comment_groups`): at least the
comment threshold of responses each, and 0 or at least ``k`` commenters each.
They are shown without department or date, sorted and then shuffled with a
secret seed, so their order says nothing about who wrote when.

What this does not protect: counts of responses (which are shown, so a reader
knows how many people answered), customer answers, and anything to a person
who holds the raw file.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.errors import OptionError
from lib.i18n import Msg, msg
from lib.privacy import ledger
from lib.values.scales import favorable_points
from lib.values.vocab import normalize

DEFAULT_MIN_GROUP = 5
MIN_MIN_GROUP = 3
DEFAULT_MIN_COMMENTS = 10
MIN_COMMENTS = 5  # comments are never shown for fewer responses, whatever k is
FLOOR_VARIABLE = "SURVEY_EXPLORER_MIN_GROUP"

#: What a hidden cell says, by reason: the one wording every view, download and the command line use.
HIDDEN_REASONS: dict[str, Msg] = {
    "small": msg("fewer than {k} responses"),
    "protects": msg("hidden to protect a smaller group"),
    "cut": msg("hidden: the filters split its groups"),
    "pooled": msg("hidden: pooled with another department"),
    "few_answers": msg("answered by fewer than {k} people"),
}
#: What each hidden-cell text means, for a note under a table.
HIDDEN_EXPLANATIONS: dict[str, Msg] = {
    "small": msg("“fewer than {k} responses”: too few people to show figures without revealing someone's answers; "
             "their responses still count in the totals."),
    "protects": msg("“hidden to protect a smaller group”: large enough, but pooled with a department of fewer than {k} "
                "responses, so that the smaller one cannot be worked out from the totals."),
    "cut": msg("“hidden: the filters split its groups”: figures use whole groups of at least {k} people, and the filters "
           "leave none of this department's groups whole."),
    "pooled": msg("“hidden: pooled with another department”: large enough, but a question was answered by fewer than "
              "{k} of its people or of the people of the department it is pooled with, so their answers form one group "
              "that counts in the totals only."),
    "few_answers": msg("“answered by fewer than {k} people”: a question so few people answered in the whole file is "
                   "never shown."),
}

_MIXED = -2  # a pooled group's value in a dimension it does not split


def key(name: object) -> str:
    """The one form under which department, column and value names are compared.

    Every filter, mapping and anonymity rule compares names through this key:
    case, surrounding and repeated spaces, non-breaking spaces and dash variants
    do not matter.

    >>> key("  Home–Care ") == key("home-care")
    True
    """
    return normalize(name)


def check_min_group(k: object) -> int:
    """The anonymity threshold as an int, refused below 3 or when it is not a whole number."""
    text = str(k).strip()
    if not (text.isascii() and text.removeprefix("-").isdigit()):  # a negative number is refused as too small
        raise OptionError(msg("The anonymity threshold must be a whole number of responses, not “{k}”.", k=k))
    if int(text) < MIN_MIN_GROUP:
        raise OptionError(msg("The anonymity threshold must be at least {low} responses, not {k}.", low=MIN_MIN_GROUP, k=k))
    return int(text)


def floor_threshold() -> int:
    """The deployment's anonymity threshold: ``SURVEY_EXPLORER_MIN_GROUP`` (default 5, at least 3).

    Viewers of the app may raise the threshold for their own view, never lower
    it below this floor.
    """
    value = os.environ.get(FLOOR_VARIABLE, "").strip()
    if not value:
        return DEFAULT_MIN_GROUP
    try:
        return check_min_group(value)
    except OptionError:
        return DEFAULT_MIN_GROUP


def comment_threshold(k: int, wanted: int | None = None) -> int:
    """Responses a group needs before its comments are shown: never below ``k``, never below 5."""
    return max(int(wanted if wanted is not None else DEFAULT_MIN_COMMENTS), int(k), MIN_COMMENTS)


def hidden_text(reason: str | None, k: int) -> Msg:
    """What a hidden cell says ("fewer than 5 responses", "hidden to protect a smaller group")."""
    return HIDDEN_REASONS.get(reason or "small", HIDDEN_REASONS["small"]).using(k=k)


def hidden_explanation(reason: str, k: int) -> Msg:
    """A sentence saying what a hidden-cell text means."""
    return HIDDEN_EXPLANATIONS[reason].using(k=k)


def hidden_reason(chosen: int, whole: bool, k: int, own_groups: bool = False, with_small: bool = True) -> str:
    """Why a department's figures are hidden: "small" (``chosen``, its whole count, is below ``k``), "protects"
    (none of its groups lies wholly inside it, and one it shares holds a department of fewer than ``k`` responses),
    "pooled" (none lies wholly inside it, and none it shares holds such a department: a question few of them answered
    pooled them) or "cut" (it has groups of its own, and the filters split them, ``whole`` being False)."""
    if chosen < k:
        return "small"
    if own_groups and not whole:
        return "cut"
    return "protects" if with_small else "pooled"


def new_seed() -> int:
    """A secret seed for shuffling comments (one per app session)."""
    return secrets.randbits(63)


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class Groups:
    """A partition of an employee file's rows into protection groups.

    ``of_row`` gives each row's group (−1: the row is never shown, because the
    whole file is below the threshold); ``size`` the rows per group;
    ``hidden`` the figures that fewer than ``k`` people answered in the whole
    file, so they are never shown at all; ``complete`` the rows whose complete
    answers Cronbach's alpha may use: those of groups with 0 or at least ``k``
    of them (with a raised threshold, only rows the floor's groups allow).
    """

    of_row: np.ndarray
    size: np.ndarray
    hidden: frozenset[str] = frozenset()
    complete: np.ndarray | None = None  # rows whose complete answers Cronbach's alpha may use (see protection_groups)

    @property
    def count(self) -> int:
        return len(self.size)


def _measures(frame: pd.DataFrame, item_keys: list[str], k: int) -> tuple[list[str], np.ndarray]:
    """Per row, 0/1 for every figure the row takes part in (the first column is the row itself).

    "complete" (the answers behind Cronbach's alpha) counts the statements that at least ``k`` people answered:
    a statement fewer answered is used by no figure (:func:`released_survey`).
    """
    names = ["rows", "respondents", "recommend", "complete", "pulse"] + item_keys
    n = len(frame)
    points = frame[item_keys].to_numpy(dtype="float64") if item_keys else np.zeros((n, 0))
    answered = ~np.isnan(points)
    usable = answered.sum(axis=0) >= k
    pulse = frame["pulse"].to_numpy(dtype="float64") if "pulse" in frame else np.full(n, np.nan)
    cols = [np.ones(n, bool), ~np.isnan(frame["engagement"].to_numpy(dtype="float64")),
            ~np.isnan(frame["recommend"].to_numpy(dtype="float64")),
            answered[:, usable].all(axis=1) if usable.any() else np.zeros(n, bool), ~np.isnan(pulse)]
    cols += [answered[:, j] for j in range(len(item_keys))]
    return names, np.column_stack(cols).astype(np.int64)


def _dimensions(frame: pd.DataFrame, segments: list[str], hierarchy: tuple[tuple[str, ...], ...] = ()) -> np.ndarray:
    """Per row, the codes of every dimension a view can filter by, in split order: the unit's higher units (top
    first, from ``hierarchy``: per department category, :func:`lib.survey.hierarchy.ancestors`), department, month,
    each segment column, ISO week."""
    def coded(values: pd.Series) -> np.ndarray:
        keys = values.astype("object").map(lambda v: key(v) if isinstance(v, str) else "")
        return pd.factorize(keys, sort=True)[0].astype(np.int64)

    segs = [coded(frame[s]) for s in segments]
    dates = pd.DatetimeIndex(frame["date"])
    month = np.where(dates.isna(), -1, dates.year * 12 + dates.month)
    iso = dates.isocalendar()
    week = np.where(dates.isna(), -1, iso["year"].fillna(0).to_numpy(dtype=np.int64) * 100
                    + iso["week"].fillna(0).to_numpy(dtype=np.int64))
    # months before segments, so that a month (and a quarter, a half-year, a year: unions of months) is whole groups
    # wherever the rules allow; weeks last
    levels = []
    if hierarchy and hierarchy[0]:  # a unit's higher units first, so a parent is whole groups of its own children
        unit = frame["department"].cat.codes.to_numpy()
        for j in range(len(hierarchy[0])):
            codes = pd.factorize(pd.Series([path[j] for path in hierarchy]), sort=True)[0].astype(np.int64)
            levels.append(codes[unit] if len(unit) else np.zeros(0, np.int64))
    dims = [*levels, coded(frame["department"]), month.astype(np.int64), *segs, week.astype(np.int64)]
    return np.column_stack(dims) if len(frame) else np.zeros((0, len(dims)), np.int64)


def _valid(sums: np.ndarray, need_rows: int, k: int, active: np.ndarray) -> np.ndarray:
    """Which groups (rows of ``sums``) may stand alone."""
    counts = sums[:, 1:][:, active[1:]]
    return (sums[:, 0] >= need_rows) & ((counts == 0) | (counts >= k)).all(axis=1)


def _split(values: np.ndarray, counts: np.ndarray, need_rows: int, k: int, active: np.ndarray) -> np.ndarray:
    """Top-down split of atoms (rows of ``values``) into valid groups; returns each atom's group.

    At each level the parts that may stand alone are kept; the others are pooled, and a pool still too small takes in
    the smallest kept sibling whole. Such a pool is *anchored* on the parts that were too small: it is split further
    only into parts that each hold some of them, so the sibling that protects them is never shown in part (it reads
    "hidden to protect a smaller group"), while months and weeks stay apart wherever the small parts allow.
    """
    group = np.full(len(values), -1, dtype=np.int64)
    next_id = 0
    stack: list[tuple[np.ndarray, int, np.ndarray | None]] = [(np.arange(len(values)), 0, None)]
    depth = values.shape[1]
    while stack:
        idx, level, anchor = stack.pop()
        if level == depth:
            group[idx] = next_id
            next_id += 1
            continue
        uniq, inv = np.unique(values[idx, level], return_inverse=True)
        if len(uniq) == 1:
            stack.append((idx, level + 1, anchor))
            continue
        sums = np.zeros((len(uniq), counts.shape[1]), dtype=np.int64)
        np.add.at(sums, inv, counts[idx])
        anchored = np.ones(len(uniq), bool)
        if anchor is not None:  # every part of an anchored pool holds some of the rows it protects
            anchored = np.bincount(inv, weights=anchor[idx].astype(float), minlength=len(uniq)) > 0
        ok = _valid(sums, need_rows, k, active) & anchored
        pool = ~ok
        pooled = sums[pool].sum(axis=0)
        order = [c for c in np.argsort(sums[:, 0], kind="stable") if ok[c]]
        took = False
        if pool.any() and not _valid(pooled[None, :], need_rows, k, active)[0]:
            # the smallest one sibling that makes the pool valid on its own, so that one is hidden rather than two
            for c in order:
                if _valid((pooled + sums[c])[None, :], need_rows, k, active)[0] and (anchored[pool].any() or anchored[c]):
                    pool[c] = True
                    pooled = pooled + sums[c]
                    order.remove(c)
                    took = True
                    break
        while pool.any() and not (_valid(pooled[None, :], need_rows, k, active)[0] and anchored[pool].any()) and order:
            c = order.pop(0)
            pool[c] = True
            pooled = pooled + sums[c]
            took = True
        for c in np.flatnonzero(~pool):
            stack.append((idx[inv == c], level + 1, anchor))
        if pool.any():
            inside = idx[pool[inv]]
            small = np.zeros(len(values), bool)
            small[idx[(~ok)[inv]]] = True
            stack.append((inside, level + 1, small if took and anchor is None else anchor))
    return group


def _partition(dims: np.ndarray, counts: np.ndarray, need_rows: int, k: int, base: Groups | None = None,
               soft: tuple[int, ...] = ()) -> tuple[np.ndarray, np.ndarray, frozenset[int]]:
    """Split rows (or, with ``base``, whole groups of ``base``) into groups; returns (group of row, sizes, hidden).

    The columns of ``counts`` listed in ``soft`` do not decide whether a part may stand alone: their rows are used
    only in groups where they are 0 or at least ``k`` (:func:`protection_groups`)."""
    n = len(dims)
    total = counts.sum(axis=0)
    inactive = (total > 0) & (total < k)
    active = ~inactive
    active[list(soft)] = False
    active[0] = True
    if n == 0 or total[0] < need_rows:
        return np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=np.int64), frozenset(np.flatnonzero(inactive))
    if base is None:
        atoms, atom_of_row = np.unique(dims, axis=0, return_inverse=True)
        atom_of_row = atom_of_row.reshape(-1)
    else:  # the atoms are the base groups; a dimension a group does not split is "mixed"
        atom_of_row = base.of_row
        lo = np.full((base.count, dims.shape[1]), np.iinfo(np.int64).max, dtype=np.int64)
        hi = np.full((base.count, dims.shape[1]), np.iinfo(np.int64).min, dtype=np.int64)
        np.minimum.at(lo, atom_of_row, dims)
        np.maximum.at(hi, atom_of_row, dims)
        atoms = np.where(lo == hi, lo, _MIXED)
    atom_counts = np.zeros((len(atoms), counts.shape[1]), dtype=np.int64)
    np.add.at(atom_counts, atom_of_row, counts)
    group_of_atom = _split(atoms, atom_counts, need_rows, k, active)
    of_row = group_of_atom[atom_of_row]
    size = np.bincount(of_row, minlength=int(group_of_atom.max()) + 1)
    return of_row, size, frozenset(np.flatnonzero(inactive))


def _origin(survey: object) -> object:
    """The survey as read: groups are always formed from it, never from a released copy (:func:`released_survey`)."""
    cache = getattr(survey, "cache", None)
    return cache.get("origin", survey) if cache is not None else survey


def _cached(survey: object, name: tuple, make):  # type: ignore[no-untyped-def]
    cache = getattr(survey, "cache", None)
    if cache is None:
        return make()
    if name not in cache:
        cache[name] = make()
    return cache[name]


def protection_groups(survey: object, k: int, floor: int | None = None) -> Groups:
    """The protection groups of an employee survey for threshold ``k``.

    With ``floor`` below ``k``, the groups are built by pooling the floor's
    groups, so figures at any threshold are unions of the floor's groups.
    Cached on the survey.
    """
    floor = k if floor is None else min(floor, k)

    survey = _origin(survey)

    def make() -> Groups:
        frame = survey.frame  # type: ignore[attr-defined]
        names, counts = _measures(frame, [i.key for i in survey.items], k)  # type: ignore[attr-defined]
        dims = _dimensions(frame, list(survey.segments.values()), survey.hierarchy)  # type: ignore[attr-defined]
        base = None if floor == k else protection_groups(survey, floor)
        # the complete answers behind alpha do not decide the groups (a department where few answered every statement
        # would otherwise be pooled with another): alpha uses them only in groups with 0 or at least k of them
        complete = counts[:, names.index("complete")].astype(bool)
        if base is not None and base.complete is not None:
            complete &= base.complete
        of_row, size, hidden = _partition(dims, counts, k, k, base, soft=(names.index("complete"),))
        if len(size):
            per_group = np.bincount(of_row[complete & (of_row >= 0)], minlength=len(size))
            complete &= (of_row >= 0) & (per_group >= k)[np.maximum(of_row, 0)]
        return Groups(of_row, size, frozenset(names[j] for j in hidden), complete & (of_row >= 0))

    return _cached(survey, ("groups", k, floor), make)


def commenters(survey: object) -> np.ndarray:
    """Per row of the survey, whether it wrote any comment."""
    frame = survey.frame  # type: ignore[attr-defined]
    wrote = np.zeros(len(frame), bool)
    for c in survey.comments.values():  # type: ignore[attr-defined]
        text = frame[c].astype("string").str.strip()
        wrote |= (text.notna() & (text != "")).to_numpy(dtype=bool)
    return wrote


def comment_groups(survey: object, k: int, floor: int, threshold: int) -> Groups:
    """Groups for showing comments, made exactly as the figure groups are: once, at the installation's floor
    (pooled from the floor's figure groups, each with at least the lowest comment threshold a viewer can choose,
    ``max(floor, 5)``, responses and 0 or at least ``floor`` commenters), and, for a higher threshold or a higher
    ``k``, by pooling those floor groups. So the comments of every view at every setting are unions of the floor's
    comment groups, and any two differ by nobody or by at least ``floor`` commenters."""
    survey = _origin(survey)
    floor = min(floor, k)
    low = comment_threshold(floor, floor)

    def parts() -> tuple[np.ndarray, np.ndarray]:
        frame = survey.frame  # type: ignore[attr-defined]
        counts = np.column_stack([np.ones(len(frame), np.int64), commenters(survey).astype(np.int64)])
        return _dimensions(frame, list(survey.segments.values()), survey.hierarchy), counts  # type: ignore[attr-defined]

    def make_base() -> Groups:
        dims, counts = parts()
        of_row, size, _hidden = _partition(dims, counts, low, floor, protection_groups(survey, floor))
        return Groups(of_row, size)

    base = _cached(survey, ("comments", floor), make_base)
    if k == floor and threshold <= low:
        return base

    def make() -> Groups:
        dims, counts = parts()
        of_row, size, _hidden = _partition(dims, counts, threshold, k, base)
        return Groups(of_row, size)

    return _cached(survey, ("comments", k, floor, threshold), make)


def hidden_items(survey: object, k: int) -> frozenset[str]:
    """The keys of the statements fewer than ``k`` people answered in the whole file (but someone did)."""
    survey = _origin(survey)
    answered = survey.cache.get("answered_per_item")  # type: ignore[attr-defined]
    if answered is None:  # how many answered each statement in the whole file, counted once per survey
        frame = survey.frame  # type: ignore[attr-defined]
        answered = survey.cache["answered_per_item"] = {  # type: ignore[attr-defined]
            item.key: int(frame[item.key].notna().sum()) for item in survey.items}  # type: ignore[attr-defined]
    return frozenset(key_ for key_, n in answered.items() if 0 < n < k)


def released_survey(survey: object, k: int) -> object:
    """The survey as every employee figure at threshold ``k`` may use it: a statement fewer than ``k`` people
    answered in the whole file is used by nothing — its answers are blanked, and each person's engagement score,
    answered and favourable counts are computed again without it — so it is not only hidden in the tables but is
    also outside engagement, favourable %, alpha, the drivers and HME. The copy shares the survey's cache, so its
    protection groups are the survey's own (formed from the file as read).
    """
    origin = _origin(survey)
    hidden = hidden_items(origin, k)
    if not hidden:
        return origin

    def make() -> object:
        import dataclasses

        frame = origin.frame.copy()  # type: ignore[attr-defined]
        items = [i for i in origin.items if i.key not in hidden]  # type: ignore[attr-defined]
        for key_ in hidden:
            frame[key_] = np.float32(np.nan)
        if items:
            points = frame[[i.key for i in items]].to_numpy(dtype="float64")
            lows = np.array([i.scale.low for i in items], float)
            highs = np.array([i.scale.high for i in items], float)
            answered = (~np.isnan(points)).sum(axis=1)
            scaled = 100.0 * (points - lows) / (highs - lows)
            fav_low = np.array([favorable_points(i.scale)[0] for i in items], float)
            favorable = (points >= fav_low).sum(axis=1)
        else:
            answered = favorable = np.zeros(len(frame), int)
            scaled = np.zeros((len(frame), 0))
        if origin.detection.one("score") is None:  # type: ignore[attr-defined]
            with np.errstate(invalid="ignore", divide="ignore"):
                frame["engagement"] = np.where(answered > 0, np.nansum(scaled, axis=1) / np.maximum(answered, 1), np.nan)
            frame["answered"] = answered.astype(np.int32)
        else:
            scored = ~np.isnan(frame["engagement"].to_numpy(dtype="float64"))
            frame["answered"] = np.maximum(answered, scored).astype(np.int32)
        frame["favorable"] = favorable.astype(np.int32)
        origin.cache["origin"] = origin  # type: ignore[attr-defined]
        return dataclasses.replace(origin, frame=frame, cache=origin.cache)  # type: ignore[call-overload]

    return _cached(origin, ("released", k), make)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class EmployeeView:
    """The employee rows a view may use, and how they count.

    ``mask``: rows whose answers count in this view's figures (whole groups
    only). ``group``: for every row of the file, the index of the department
    row its answers count in, or ``len(names)`` when its group spans
    departments (it then counts in the totals only). ``department``: each
    row's own department row. ``chosen``: rows the
    filters select, before the anonymity rule (for counts of hidden
    departments). ``left_out``: chosen rows left out by the rule.
    ``complete``: rows of ``mask`` whose complete answers Cronbach's alpha may
    use. ``with_small``: per department row, whether a group it shares with
    another department holds a department of fewer than ``k`` responses (so
    :func:`hidden_reason` names the real reason).
    """

    mask: np.ndarray
    group: np.ndarray
    department: np.ndarray
    chosen: np.ndarray
    left_out: int
    hidden: frozenset[str]
    notices: tuple[Msg, ...] = field(default_factory=tuple)
    complete: np.ndarray | None = None
    with_small: np.ndarray | None = None

    @property
    def shown(self) -> int:
        return int(self.mask.sum())

    def department_counts(self, n_departments: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per department row: responses in the file, those the filters chose, and of them those whose
        figures are shown."""
        whole = np.bincount(self.department, minlength=n_departments)[:n_departments]
        chosen = np.bincount(self.department[self.chosen], minlength=n_departments)[:n_departments]
        return whole, chosen, np.bincount(self.group[self.mask], minlength=n_departments + 1)[:n_departments]

    def own_groups(self, n_departments: int) -> np.ndarray:
        """Per department row, whether any group lies wholly inside it."""
        return np.bincount(self.group, minlength=n_departments + 1)[:n_departments] > 0

    def hidden_reason(self, g: int, whole: int, all_chosen: bool, k: int) -> str:
        """Why department row ``g`` (``whole`` responses; all of them chosen or not) shows no figure."""
        with_small = bool(self.with_small[g]) if self.with_small is not None and g < len(self.with_small) else True
        return hidden_reason(whole, all_chosen, k, bool(self.own_groups(g + 1)[g]), with_small)


def _whole_groups(groups: Groups, chosen: np.ndarray) -> np.ndarray:
    """The chosen rows whose whole group is chosen."""
    if not groups.count:
        return np.zeros(len(chosen), dtype=bool)
    of_row = groups.of_row
    usable = chosen & (of_row >= 0)
    inside = np.bincount(of_row[usable], minlength=groups.count) == groups.size
    return usable & inside[np.maximum(of_row, 0)]


def employee_view(survey: object, chosen: np.ndarray, department_of_row: np.ndarray, n_departments: int,
                  k: int, floor: int | None = None) -> EmployeeView:
    """Narrow the rows the filters chose to whole protection groups.

    ``department_of_row`` is each row's department row (after the mapping).
    """
    groups = protection_groups(survey, k, floor)
    of_row = groups.of_row
    mask = _whole_groups(groups, chosen)
    span = np.full(groups.count, n_departments, dtype=np.int64)
    if groups.count:
        lo = np.full(groups.count, np.iinfo(np.int64).max)
        hi = np.full(groups.count, np.iinfo(np.int64).min)
        ok = of_row >= 0
        np.minimum.at(lo, of_row[ok], department_of_row[ok])
        np.maximum.at(hi, of_row[ok], department_of_row[ok])
        span = np.where(lo == hi, lo, n_departments)
    with_small = _shares_with_small(groups, department_of_row, span, n_departments, k)
    group = (np.where(of_row >= 0, span[np.maximum(of_row, 0)], n_departments) if groups.count
             else np.full(len(of_row), n_departments, dtype=np.int64))  # no group at all: the file has fewer than k
    left_out = int(chosen.sum() - mask.sum())
    notices: list[Msg] = []
    total = int(chosen.sum())
    if mask.any() and left_out:  # no count: the filters' own count of people is not a released figure
        notices.append(msg("Some employee responses in this selection are left out of its employee figures: they "
                           "belong to groups of at least {k} people that the filters cut, and figures use whole groups "
                           "only, so that no two views differ by fewer than {k} people.", k=k))
    elif total and not mask.any():
        notices.append(msg("No employee figure is shown for this selection: it holds no whole group of at least {k} "
                           "people, and figures use whole groups only. Widen the filters.", k=k))
    complete = mask & groups.complete if groups.complete is not None else mask
    return EmployeeView(mask, group, department_of_row, chosen, left_out, groups.hidden, tuple(notices), complete,
                        with_small)


def _shares_with_small(groups: Groups, department_of_row: np.ndarray, span: np.ndarray, n_departments: int,
                       k: int) -> np.ndarray:
    """Per department row, whether a group spanning departments that holds some of its rows also holds rows of a
    department of fewer than ``k`` responses."""
    out = np.zeros(n_departments, dtype=bool)
    of_row = groups.of_row
    ok = of_row >= 0
    if not groups.count or not ok.any():
        return out
    whole = np.bincount(department_of_row, minlength=n_departments)[:n_departments]
    small_row = ok & (whole[np.minimum(department_of_row, n_departments - 1)] < k) & (department_of_row < n_departments)
    small_group = np.bincount(of_row[small_row], minlength=groups.count) > 0
    spanning = span == n_departments
    hit = ok & spanning[np.maximum(of_row, 0)] & small_group[np.maximum(of_row, 0)] & (department_of_row < n_departments)
    out[np.unique(department_of_row[hit])] = True
    return out


def comments(survey: object, chosen: np.ndarray, k: int, floor: int | None, threshold: int,
             seed: int | None) -> tuple[list[str], int]:
    """Employee comments of whole comment groups inside the selection, sorted then shuffled with ``seed``.

    Returns the texts and the number of responses they come from (0 when none may be shown).
    """
    threshold = comment_threshold(k, threshold)
    groups = comment_groups(survey, k, k if floor is None else min(floor, k), threshold)
    mask = _whole_groups(groups, chosen)
    wrote = commenters(survey) & mask
    if int(wrote.sum()) < k:  # fewer than k commenters in the view (the rule is never switched off): no comment at all
        return [], 0
    frame = survey.frame.loc[mask]  # type: ignore[attr-defined]
    texts: list[str] = []
    cells: dict[str, np.ndarray] = {}
    for name, c in survey.comments.items():  # type: ignore[attr-defined]
        col = frame[c].dropna().astype(str).str.strip()
        texts.extend(t for t in col.tolist() if t)
        text = survey.frame[c].astype("string").str.strip()  # type: ignore[attr-defined]
        cells[name] = mask & (text.notna() & (text != "")).to_numpy(dtype=bool)
    out = shuffled(texts, seed)
    ledger.release(tuple(sorted(out)), survey=survey, kind="comment", measure="comments", rows=wrote, cells=cells, k=k)
    return out, int(mask.sum())


def shuffled(texts: list[str] | pd.Series, seed: int | None) -> list[str]:
    """Texts in an order that says nothing about the order they were given in: sorted (by code point), then put
    in the seed's random order. A pandas Series of texts is sorted by pandas, in the same order as Python's."""
    ordered = texts.sort_values(ignore_index=True).tolist() if isinstance(texts, pd.Series) else sorted(texts)
    rng = np.random.default_rng(new_seed() if seed is None else seed)
    return [ordered[i] for i in rng.permutation(len(ordered))]
