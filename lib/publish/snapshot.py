"""A published analysis: only what the privacy module releases, per protection group.

:func:`build` turns an analysis (the two surveys and their settings) into a :class:`Snapshot` that holds no raw
row, respondent id, answer date or unreleased text:

* **employee groups** (``groups``): one row per protection group of the installation's floor
  (:func:`lib.privacy.groups.protection_groups`, nested in the organisation when there is one) with what the group
  is (the units, months, ISO weeks and segment values of its people: a view holds the group only when it holds
  every one of them, else it leaves the group out whole) and the sufficient statistics of every employee figure: responses, the
  engagement sums behind the index, favourable % and their intervals (:class:`lib.figures.metrics.EngagementSums`),
  the eNPS answers per score, and every statement's answers per point. A statement fewer than k people answered in
  the whole file is used by nothing (:func:`lib.privacy.groups.released_survey`), here as everywhere;
* **comments** (``comments``): the comment groups of the floor (:func:`lib.privacy.groups.comment_groups`: each with
  0 or at least k commenters), each with what the group is, its responses and commenters, and its texts masked
  (:func:`lib.privacy.personal.mask`), sorted then shuffled with a secret seed (no order says who wrote when);
* **customer answers** (``customers``): how many answered each score per unit, ISO week (its Monday) and segment
  values (customer answers are not anonymity-restricted; no answer's own day is kept);
* ``meta``: the name, the thresholds, the statements (name, scale), the segments and the organisation.

Every figure a viewer of the snapshot sees is a sum over whole groups (:mod:`lib.publish.views`), so any two views differ by
whole groups of at least k people, as in the app.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lib.errors import OptionError
from lib.figures import metrics
from lib.i18n import msg
from lib.figures.summary import Settings, make_link
from lib.figures.filters import department_index
from lib.privacy import groups as privacy, surfaces
from lib.privacy.personal import mask
from lib.survey.frame import Survey
from lib.survey.hierarchy import with_hierarchy
from lib.values.scales import favorable_points

FORMAT = 1
#: The engagement sums kept per group, in :class:`lib.figures.metrics.EngagementSums`' field order.
SUMS = ("rows", "respondents", "score_sum", "favorable", "answered", "score_squares", "favorable_squares",
        "answered_squares", "cross", "answering")


@dataclass
class Snapshot:
    """What a published analysis holds (see the module's docstring); tables as pandas frames."""

    meta: dict
    groups: pd.DataFrame
    comments: pd.DataFrame
    customers: pd.DataFrame
    parts: dict[str, bytes] = field(default_factory=dict, repr=False)
    cache: dict = field(default_factory=dict, repr=False)
    #: the employee responses per cell (unit, month, segment values) of the people in its groups: kept by the store
    #: beside the snapshot, never in it nor shown (:meth:`lib.publish.store.Store.publish`); None when read back
    cells: pd.DataFrame | None = field(default=None, repr=False)  # the ledger's name for it (lib.privacy.ledger.survey_id)

    @property
    def name(self) -> str:
        return f"snapshot {self.meta.get('name', '')}"

    def to_parts(self) -> dict[str, bytes]:
        """The snapshot as the store keeps it: ``meta`` as JSON, each table as Parquet."""
        out = {"meta": json.dumps(self.meta, ensure_ascii=False, sort_keys=True).encode()}
        for name in ("groups", "comments", "customers"):
            buf = io.BytesIO()
            getattr(self, name).to_parquet(buf, index=False)
            out[name] = buf.getvalue()
        return out

    @staticmethod
    def from_parts(parts: dict[str, bytes]) -> Snapshot:
        def table(name: str) -> pd.DataFrame:
            if name not in parts:
                return pd.DataFrame()
            frame = pd.read_parquet(io.BytesIO(parts[name]))
            for col in frame.columns:  # Parquet hands lists back as arrays: lists again, as they were kept
                if frame[col].dtype == object and len(frame) and isinstance(frame[col].iloc[0], np.ndarray):
                    frame[col] = [list(v) for v in frame[col]]
            return frame

        return Snapshot(json.loads(parts["meta"]), table("groups"), table("comments"), table("customers"), parts)


def _spans(values: pd.Series, group: np.ndarray, count: int) -> list[list[str]]:
    """Per group, the values of ``values`` its people have, sorted ("" for none): a view holds the group only when
    it holds every one of them."""
    codes, uniques = pd.factorize(values.astype("object").reset_index(drop=True), use_na_sentinel=True, sort=True)
    pairs = np.unique(np.column_stack([group, codes]), axis=0)
    out: list[list[str]] = [[] for _ in range(count)]
    for g, c in pairs:
        out[int(g)].append(str(uniques[c]) if c >= 0 else "")
    return out


def _identity(survey: Survey, rows: np.ndarray, group: np.ndarray, count: int, units: np.ndarray,
              names: tuple[str, ...], k: int) -> dict[str, list[object]]:
    """What each group is: the units (as the analysis names them), months, ISO weeks and segment values of its
    people, and its unit where it has one only."""
    frame = survey.frame.loc[rows]
    dates = pd.DatetimeIndex(frame["date"])
    months = pd.Series(np.where(dates.isna(), None, dates.strftime("%Y-%m")), dtype="object")
    iso = dates.isocalendar()
    weeks = pd.Series([None if pd.isna(y) else f"{int(y)}-W{int(w):02d}" for y, w in zip(iso["year"], iso["week"])],
                      dtype="object")
    unit_names = pd.Series([names[u] if u < len(names) else None for u in units[rows]], dtype="object")
    out: dict[str, list[object]] = {"units": _spans(unit_names, group, count)}  # type: ignore[dict-item]
    out["unit"] = [u[0] if len(u) == 1 and u[0] else None for u in out["units"]]  # type: ignore[index]
    out["months"], out["weeks"] = _spans(months, group, count), _spans(weeks, group, count)  # type: ignore[assignment]
    for name, values in _segment_values(survey, frame, k).items():
        out[f"segment:{name}"] = _spans(values, group, count)  # type: ignore[assignment]
    return out


def _segment_values(survey: Survey, frame: pd.DataFrame, k: int) -> dict[str, pd.Series]:
    """Each segment column of ``frame`` (rows of ``survey``), a value fewer than k share as none (None), as the app
    never offers it as a filter."""
    offered = {name: {privacy.key(v) for v in values}
               for name, values in surfaces.filter_values(survey, k).items()}
    out = {}
    for name, key in survey.segments.items():
        values = frame[key].astype("object")
        known = offered.get(name, set())
        out[name] = values.where(values.map(lambda v, known=known: isinstance(v, str) and privacy.key(v) in known),
                                 None)
    return out


def threshold(settings: Settings) -> int:
    """The snapshot's anonymity threshold: the analysis's, never below the installation's floor
    (``SURVEY_EXPLORER_MIN_GROUP``): a snapshot is shown to people who do not hold the raw file."""
    return max(settings.min_group, settings.floor or 0, privacy.floor_threshold())


def cell_key(unit: str, month: str, segments: list[tuple[str, str]]) -> str:
    """A cell as the store keeps it: its unit, month and each segment column's value (by the column's name)."""
    return json.dumps([unit, month, sorted(segments)], ensure_ascii=False)


def _cells(survey: Survey, settings: Settings, units: np.ndarray, names: tuple[str, ...]) -> pd.DataFrame:
    """How many responses of the snapshot's groups each cell holds: a unit (as the analysis names it), a month and
    one value per segment column, a value fewer than k share as none, as in the groups (every view of the snapshot
    is a union of whole cells)."""
    k = threshold(settings)
    released = privacy.released_survey(survey, k)
    rows = privacy.protection_groups(released, k).of_row >= 0
    frame = released.frame.loc[rows]  # type: ignore[attr-defined]
    dates = pd.DatetimeIndex(frame["date"])
    months = pd.Series(np.where(dates.isna(), "", dates.strftime("%Y-%m")), dtype="object")
    unit_names = [names[u] if u < len(names) else "" for u in units[rows]]
    segments = sorted(_segment_values(released, frame, k).items())  # type: ignore[arg-type]
    values = [s.fillna("").astype(str).tolist() for _n, s in segments]
    keys = pd.Series([cell_key(u, m, [(n, v[i]) for (n, _s), v in zip(segments, values)])
                      for i, (u, m) in enumerate(zip(unit_names, months))], dtype="object")
    counts = keys.value_counts()
    return pd.DataFrame({"cell": counts.index, "month": [json.loads(c)[1] for c in counts.index],
                         "responses": counts.to_numpy(dtype="int64")})


def _employee_groups(survey: Survey, settings: Settings, units: np.ndarray, names: tuple[str, ...]) -> pd.DataFrame:
    k = threshold(settings)
    released = privacy.released_survey(survey, k)
    groups = privacy.protection_groups(released, k)
    rows = groups.of_row >= 0
    if not groups.count or not rows.any():
        return pd.DataFrame()
    g = groups.of_row[rows]
    f = released.frame.loc[rows]  # type: ignore[attr-defined]
    sums = metrics.engagement_sums(g, f["engagement"].to_numpy(dtype="float64"), f["answered"].to_numpy(dtype="float64"),
                                   f["favorable"].to_numpy(dtype="float64"), groups.count)
    table: dict[str, object] = {"group": np.arange(groups.count)}
    table |= _identity(released, rows, g, groups.count, units, names, k)  # type: ignore[arg-type]
    table |= {f"sum:{name}": getattr(sums, name) for name in SUMS}
    if released.has_recommend and "recommend" not in groups.hidden:  # type: ignore[attr-defined]
        scores = f["recommend"].to_numpy(dtype="float64")
        for s in range(11):
            table[f"enps:{s}"] = np.bincount(g[scores == s], minlength=groups.count)
    for item in released.items:  # type: ignore[attr-defined]
        if item.key in groups.hidden:
            continue
        points = f[item.key].to_numpy(dtype="float64")
        for p in range(item.scale.low, item.scale.high + 1):
            table[f"item:{item.name}:{p}"] = np.bincount(g[points == p], minlength=groups.count)
    return pd.DataFrame(table)


def _comments(survey: Survey, settings: Settings, units: np.ndarray, names: tuple[str, ...], seed: int) -> pd.DataFrame:
    k = threshold(settings)
    # at the analysis's comment threshold: every view of the snapshot shows comments of groups at least that large
    groups = privacy.comment_groups(survey, k, k, privacy.comment_threshold(k, settings.min_comments))
    rows = groups.of_row >= 0
    wrote = privacy.commenters(survey)
    if not groups.count or not (wrote & rows).any():
        return pd.DataFrame(columns=["group", "units", "unit", "months", "weeks", "responses", "commenters", "texts"])
    g = groups.of_row[rows]
    table: dict[str, object] = {"group": np.arange(groups.count)}
    table |= _identity(survey, rows, g, groups.count, units, names, k)
    table["responses"] = np.bincount(g, minlength=groups.count)
    commenters = np.bincount(groups.of_row[wrote & rows], minlength=groups.count)
    table["commenters"] = commenters
    found: dict[int, list[str]] = {}
    for col in survey.comments.values():  # every text with its group, once
        text = survey.frame[col].astype("string").str.strip()
        keep = rows & text.notna().to_numpy() & (text != "").fillna(False).to_numpy(dtype=bool)
        for c, t in zip(groups.of_row[keep], text[keep]):
            found.setdefault(int(c), []).append(str(t))
    # a group holds 0 or at least k commenters (lib.privacy.groups.comment_groups); one below k keeps nothing
    table["texts"] = [privacy.shuffled([mask(t) for t in found.get(c, [])], seed + c) if commenters[c] >= k else []
                      for c in range(groups.count)]
    return pd.DataFrame(table)


def _customers(customer: Survey | None, units: np.ndarray, names: tuple[str, ...]) -> pd.DataFrame:
    """How many customers gave each score, per unit, ISO week (the Monday it starts on) and segment values: no
    answer's own day is kept."""
    if customer is None:
        return pd.DataFrame(columns=["unit", "week", "score", "answers"])
    f = customer.frame
    dates = pd.DatetimeIndex(f["date"])
    monday = (dates.normalize() - pd.to_timedelta(dates.day_of_week, unit="D")).strftime("%Y-%m-%d")
    data = pd.DataFrame({"unit": [names[u] for u in units],
                         "week": pd.Series(monday, dtype="object").where(~dates.isna(), None),
                         "score": f["recommend"].to_numpy(dtype="float64"), "answers": customer.weights})
    for name, key in customer.segments.items():
        data[f"segment:{name}"] = f[key].astype("object")
    keys = [c for c in data.columns if c != "answers"]
    return data.dropna(subset=["score"]).groupby(keys, dropna=False, sort=True, observed=True)["answers"].sum() \
        .reset_index()


def employee_digest(loaded: Iterable[Any]) -> str:
    """What names the employee files' content (:class:`lib.load.Loaded` items): a hash of their digests, in any
    order, for :func:`build`'s ``digest``."""
    import hashlib

    return hashlib.sha256("".join(sorted(item.file.digest for item in loaded if item.kind == "employee"))
                          .encode()).hexdigest()


def build(name: str, customer: Survey | None, employee: Survey | None, settings: Settings, *,
          seed: int | None = None, published: dt.datetime | None = None, digest: str = "") -> Snapshot:
    """The snapshot of an analysis (see the module's docstring). ``employee`` is the survey as loaded (nested in the
    organisation by :func:`lib.load.load`); units are named as the analysis names them (the department mapping).
    ``digest`` names the employee files' content (:func:`lib.publish.store.Store.publish` refuses a second snapshot of
    the same files whose groups differ)."""
    if not name.strip():
        raise OptionError(msg("A snapshot needs a name."))
    if employee is not None:  # the groups nest in the organisation, as every view of the analysis does
        employee = with_hierarchy(employee, settings.hierarchy, dict(settings.mapping))  # type: ignore[assignment]
    link = make_link(customer, employee, replace_focus(settings))
    names = tuple(link.names)
    k = threshold(settings)
    seed = privacy.new_seed() if seed is None else seed
    e_units = department_index(employee, link, "employee") if employee is not None else np.zeros(0, np.int64)
    c_units = department_index(customer, link, "customer") if customer is not None else np.zeros(0, np.int64)
    groups = _employee_groups(employee, settings, e_units, names) if employee is not None else pd.DataFrame()
    comments = _comments(employee, settings, e_units, names, seed) if employee is not None else pd.DataFrame()
    items = []
    if employee is not None:
        hidden = privacy.hidden_items(employee, k)
        items = [{"name": i.name, "low": i.scale.low, "high": i.scale.high, "favourable": favorable_points(i.scale)[0],
                  "reverse": i.reverse} for i in employee.items if i.key not in hidden]
    h = settings.hierarchy
    meta = {"format": FORMAT, "name": name, "published": (published or dt.datetime.now(dt.UTC)).isoformat(),
            "k": k, "min_comments": privacy.comment_threshold(k, settings.min_comments),
            "min_customers": settings.min_customers, "employee_digest": digest,
            "mapping": dict(settings.mapping), "units": list(names), "items": items,
            "unit_counts": _unit_counts(e_units, names),
            "segments": list(employee.segments) if employee is not None else [],
            "organisation": [list(e) for e in h.edges] if h is not None else [],
            "managers": [list(m) for m in h.managers] if h is not None else []}
    meta["partition"] = partition(groups, comments)
    cells = _cells(employee, settings, e_units, names) if employee is not None else None
    return Snapshot(meta, groups, comments, _customers(customer, c_units, names), cells=cells)


def partition(groups: pd.DataFrame, comments: pd.DataFrame) -> str:
    """A fingerprint of how the employee responses are split into groups (each group's units, months, segment
    values and size): two snapshots of the same files with the same fingerprint differ by nothing a viewer could
    difference."""
    import hashlib

    h = hashlib.sha256()
    for table in (groups, comments):
        if table is None or table.empty:
            continue
        cols = [c for c in table.columns if c in ("units", "months", "weeks", "sum:rows", "responses")
                or c.startswith("segment:")]
        for row in table[cols].itertuples(index=False):
            h.update(repr(tuple(tuple(v) if isinstance(v, (list, np.ndarray)) else v for v in row)).encode())
    return h.hexdigest()


def _unit_counts(units: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
    """Employee responses per unit (the whole counts the app shows beside a hidden unit)."""
    counts = np.bincount(units, minlength=len(names))[:len(names)] if len(units) else np.zeros(len(names), int)
    return {n: int(c) for n, c in zip(names, counts) if c}


def replace_focus(settings: Settings) -> Settings:
    """The settings without a unit or level view: a snapshot holds the whole analysis, by the files' units."""
    from dataclasses import replace

    return replace(settings, unit=None, level=None)
