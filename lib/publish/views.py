"""A view of a published snapshot: the figures of the groups that lie wholly inside the filters.

A viewer of a snapshot chooses departments, an organisation view (a level, or a unit and its units), whole months
and segment values, as in the app. :func:`view` keeps the snapshot's groups (:mod:`lib.publish.snapshot`) that lie
wholly inside those choices — every unit, month and segment value of the group's people chosen — and adds up their
sums: the engagement index, favourable % and their intervals (:class:`lib.figures.metrics.EngagementSums`), eNPS,
and per unit the groups of that unit alone. So every figure is a union of whole groups of at least k people, and any
two views differ by whole groups, as in the app; each is released to the ledger with the ids of the groups behind
it. The threshold is the snapshot's own (the installation's floor when it was published). Comments are shown only
when the view's whole comment groups hold at least k commenters; customer NPS is counted from the answers per unit,
whole ISO week and segment values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib.errors import OptionError
from lib.figures import metrics, stats
from lib.figures.linkage import Linkage, correlate
from lib.i18n import msg
from lib.privacy import groups as privacy, ledger
from lib.present.published import Choice, SnapshotView, UnitFigures
from lib.publish.snapshot import SUMS, Snapshot
from lib.survey.hierarchy import Hierarchy, build, check_focus, focus_mapping


def _month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _months(choice: Choice) -> tuple[str, str]:
    """The whole months inside the window, as "YYYY-MM" bounds."""
    since, until = choice.since, choice.until
    lo = "0000-00" if since is None else f"{since if since.day == 1 else _month_end(since) + dt.timedelta(days=1):%Y-%m}"
    hi = "9999-99" if until is None else \
        f"{until if until == _month_end(until) else until.replace(day=1) - dt.timedelta(days=1):%Y-%m}"
    return lo, hi


def organisation(snapshot: Snapshot) -> Hierarchy | None:
    """The snapshot's organisation, when it was published with one."""
    edges = snapshot.meta.get("organisation") or []
    return build([tuple(e) for e in edges]) if edges else None


def _shown_names(snapshot: Snapshot, choice: Choice) -> tuple[dict[str, str], frozenset[str]]:
    """Each of the snapshot's units, as the view shows it, and those outside a unit's view."""
    names = list(snapshot.meta.get("units", []))
    if choice.unit is None and choice.level is None:
        return {n: n for n in names}, frozenset()
    h = organisation(snapshot)
    check_focus(h, choice.unit, choice.level)
    shown, outside = focus_mapping(h, names, {}, choice.unit, choice.level)  # type: ignore[arg-type]
    return {n: shown.get(n, n) for n in names}, frozenset(outside)


def unit_names(snapshot: Snapshot, unit: str | None = None, level: int | None = None) -> list[str]:
    """The units a view of the organisation (a unit and its units, or every unit at a level) shows, by name."""
    shown, outside = _shown_names(snapshot, Choice(unit=unit, level=level))
    return sorted(set(shown.values()) - outside, key=str.casefold)


def _inside(table: pd.DataFrame, shown: dict[str, str], chosen: set[str] | None, outside: frozenset[str],
            months: tuple[str, str], segments: tuple[tuple[str, frozenset[str]], ...]) -> np.ndarray:
    """Which groups lie wholly inside the choices."""
    keep = np.ones(len(table), dtype=bool)
    for i, units in enumerate(table["units"]):
        names = {shown.get(u, u) for u in units}
        if "" in units or names & outside or (chosen is not None and not names <= chosen):
            keep[i] = False
    for i, ms in enumerate(table["months"]):
        if "" in ms and months != ("0000-00", "9999-99") or any(not months[0] <= m <= months[1] for m in ms if m):
            keep[i] = False
    for column, values in segments:
        col = f"segment:{column}"
        if col not in table:
            continue
        wanted = {privacy.key(v) for v in values}
        keep &= np.array([all(privacy.key(v) in wanted for v in vs) for vs in table[col]], dtype=bool)
    return keep


def _sums(table: pd.DataFrame, rows: np.ndarray) -> metrics.EngagementSums:
    return metrics.EngagementSums(*(np.array([table.loc[rows, f"sum:{n}"].sum()], dtype="float64") for n in SUMS))


def _enps(table: pd.DataFrame, rows: np.ndarray) -> stats.NpsResult | None:
    cols = [f"enps:{s}" for s in range(11)]
    if not all(c in table for c in cols):
        return None
    counts = table.loc[rows, cols].sum().to_numpy()
    return metrics.nps_result(np.array([counts[:7].sum(), counts[7:9].sum(), counts[9:].sum()]))


def view(snapshot: Snapshot, choice: Choice | None = None, headline: bool = False) -> SnapshotView:
    """The figures of a snapshot for a viewer's choices (see the module's docstring); with ``headline``, the
    headline figures only (no units, statements or comments are worked out, so none is released)."""
    choice = choice or Choice()
    k = int(snapshot.meta["k"])
    if k < privacy.floor_threshold():
        raise OptionError(msg("This snapshot was published with an anonymity threshold of {k}, below this "
                              "installation's {floor}; publish it again.", k=k, floor=privacy.floor_threshold()))
    shown, outside = _shown_names(snapshot, choice)
    _check(snapshot, choice, shown, outside)
    chosen = None if choice.departments is None else {privacy.key(d) for d in choice.departments}
    chosen_names = None if chosen is None else {n for n in set(shown.values()) if privacy.key(n) in chosen}
    months = _months(choice)
    g = snapshot.groups
    name = snapshot  # the ledger names the snapshot (lib.privacy.ledger.survey_id)
    inside = np.zeros(0, dtype=bool) if g.empty else _inside(g, shown, chosen_names, outside, months, choice.segments)
    ids = np.flatnonzero(inside)
    engagement = enps = None
    if ids.size:  # whole groups, each of at least k people
        engagement = ledger.release(_sums(g, inside).result(0), survey=name, kind="figure", measure="engagement",
                                    rows=ids, k=k)
        enps = ledger.release(_enps(g, inside), survey=name, kind="figure", measure="enps", rows=ids, k=k)
    own_ids: dict[str, np.ndarray] = {}
    units = [] if headline else _units(snapshot, g, inside, shown, outside, chosen_names, choice, k, name, own_ids)
    link = None if headline else _linkage(snapshot, units, own_ids, k, name)
    statements = _statements(snapshot, g, inside, k, name) if ids.size and not headline else []
    nps = _customer_nps(snapshot, shown, outside, chosen_names, choice)
    if nps is not None and not metrics.nps_shown(nps, 1):  # an interval that would not hold it: its n only
        nps = replace(nps, score=None, ci95=None)
    comments = [] if headline else _comments(snapshot, shown, outside, chosen_names, months, choice, k, name)
    counts = snapshot.meta.get("unit_counts", {})
    chosen_total = sum(n for u, n in counts.items() if shown.get(u, u) not in outside
                       and (chosen_names is None or shown.get(u, u) in chosen_names))
    used = int(g.loc[inside, "sum:rows"].sum()) if ids.size else 0
    notes = []
    whole_units = not (choice.since or choice.until or choice.segments)  # the counts are of whole units only
    if chosen_total > used and whole_units:
        notes.append(str(msg("{n} of the {total} employee responses in this selection are left out of its employee "
                             "figures: they belong to groups of at least {k} people that reach beyond the chosen "
                             "units, and figures use whole groups only, so that no two views differ by fewer than {k} "
                             "people.",
                             n=chosen_total - used, total=chosen_total, k=k)))
    return SnapshotView(snapshot.meta["name"], k, engagement, enps, nps, units, comments,
                        max(chosen_total - used, 0), notes, statements,
                        int(snapshot.meta.get("min_comments", k)), link)


def _linkage(snapshot: Snapshot, units: list[UnitFigures], own_ids: dict[str, np.ndarray], k: int,
             name: object) -> Linkage:
    """The units' engagement index against their customer NPS (:func:`lib.figures.linkage.correlate`, as the app's
    Linkage page): a unit counts with figures of its own groups and enough customer answers."""
    rows = [{"department": u.unit, "customer_n": u.customer_n, "customer": u.nps.score if u.nps else None,
             "employee_n": u.employee_n, "employee": u.engagement.index if u.engagement else None,
             "hidden": u.hidden, "in_customer": bool(u.customer_n)} for u in units]
    link = correlate(rows, k, int(snapshot.meta.get("min_customers", 1)))
    ids = np.concatenate([own_ids[u] for u in link.departments if u in own_ids] or [np.zeros(0, np.int64)])
    return ledger.release(link, survey=name, kind="figure", measure="linkage", rows=ids, k=k)


def _statements(snapshot: Snapshot, g: pd.DataFrame, inside: np.ndarray, k: int, name: object) -> list[dict]:
    """Each statement's answers per point over the view's groups, and its favourable % (the top points, as in the
    app); a statement answered by nobody in the view is left out."""
    out = []
    for item in snapshot.meta.get("items", []):
        points = list(range(int(item["low"]), int(item["high"]) + 1))
        cols = [f"item:{item['name']}:{p}" for p in points]
        if not all(c in g for c in cols):
            continue
        counts = g.loc[inside, cols].sum().to_numpy(dtype=np.int64)
        answered = int(counts.sum())
        if not answered:
            continue
        favourable = 100.0 * counts[[p >= int(item["favourable"]) for p in points]].sum() / answered
        row = {"statement": item["name"], "answered": answered, "favourable_pct": float(favourable),
               "answers": {str(p): int(c) for p, c in zip(points, counts)}}
        out.append(ledger.release(row, survey=name, kind="figure", measure=f"item:{item['name']}",
                                  rows=np.flatnonzero(inside), k=k))
    return out


def _check(snapshot: Snapshot, choice: Choice, shown: dict[str, str], outside: frozenset[str]) -> None:
    """Refuse, in one sentence, a department, segment column or value the snapshot does not have, or dates the wrong
    way round (the app's and the command line's rules)."""
    if choice.since and choice.until and choice.since > choice.until:
        raise OptionError(msg("The start date {since} is after the end date {until}; swap them.",
                              since=choice.since.isoformat(), until=choice.until.isoformat()))
    names = {privacy.key(n): n for n in set(shown.values()) - outside}
    for d in sorted(choice.departments or ()):
        if privacy.key(d) not in names:
            raise OptionError(msg("There is no department “{name}” (the departments are {names}); check the spelling, "
                                  "or leave it out.", name=d, names=", ".join(f"“{n}”" for n in sorted(names.values())[:6])))
    for column, values in choice.segments:
        col = f"segment:{column}"
        tables = [t for t in (snapshot.groups, snapshot.customers) if t is not None and col in t]
        if not tables:
            raise OptionError(msg("There is no segment column “{column}”; leave --segment {column}=… out.",
                                  column=column))
        have = {privacy.key(v) for t in tables for vs in t[col] for v in (vs if isinstance(vs, list) else [vs])
                if isinstance(v, str)}
        for v in sorted(values):
            if privacy.key(v) not in have:
                raise OptionError(msg("“{column}” has no value “{value}”; check the spelling, or leave it out.",
                                      column=column, value=v))


def _units(snapshot: Snapshot, g: pd.DataFrame, inside: np.ndarray, shown: dict[str, str], outside: frozenset[str],
           chosen: set[str] | None, choice: Choice, k: int, name: object,
           own_ids: dict[str, np.ndarray] | None = None) -> list[UnitFigures]:
    """Each unit of the view: the figures of its own groups inside the view (their ids put in ``own_ids``), or why
    it has none."""
    counts: dict[str, int] = {}
    for u, n in snapshot.meta.get("unit_counts", {}).items():
        counts[shown.get(u, u)] = counts.get(shown.get(u, u), 0) + int(n)
    names = sorted({shown.get(u, u) for u in snapshot.meta.get("units", [])} - outside, key=str.casefold)
    out = []
    for unit in names:
        if chosen is not None and unit not in chosen:
            continue
        own = inside & np.array([{shown.get(x, x) for x in us} == {unit} for us in g["units"]], dtype=bool) \
            if len(g) else np.zeros(0, dtype=bool)
        whole = counts.get(unit, 0)
        c_nps = _customer_nps(snapshot, shown, outside, {unit}, choice)
        if c_nps is not None and not metrics.nps_shown(c_nps, int(snapshot.meta.get("min_customers", 1))):
            c_nps = replace(c_nps, score=None, ci95=None)  # too few answers: its n only, as in the app
        if own.any():
            ids = np.flatnonzero(own)
            if own_ids is not None:
                own_ids[unit] = ids
            n = int(g.loc[own, "sum:rows"].sum())
            e = ledger.release(_sums(g, own).result(0), survey=name, kind="figure", measure="engagement", group=unit,
                               rows=ids, k=k)
            p = ledger.release(_enps(g, own), survey=name, kind="figure", measure="enps", group=unit, rows=ids, k=k)
            out.append(UnitFigures(unit, n, e, p, c_nps, c_nps.n if c_nps else 0))
        else:  # no group of its own inside the view: too small, its groups cut by the choices, or pooled with others
            has_own = any({shown.get(x, x) for x in us} == {unit} for us in g["units"]) if len(g) else False
            reason = "small" if whole < k else "cut" if has_own else "protects"
            if whole:
                ledger.release(whole, survey=name, kind="hidden-count", measure="n", group=unit, k=k)
            out.append(UnitFigures(unit, whole, None, None, c_nps, c_nps.n if c_nps else 0,
                                   str(privacy.hidden_text(reason, k)) if whole else None))
    return out


def _customer_nps(snapshot: Snapshot, shown: dict[str, str], outside: frozenset[str], chosen: set[str] | None,
                  choice: Choice) -> stats.NpsResult | None:
    c = snapshot.customers
    if c is None or c.empty:
        return None
    units = c["unit"].map(lambda u: shown.get(u, u))
    keep = ~units.isin(outside)
    if chosen is not None:
        keep &= units.isin(chosen)
    if choice.since is not None:  # whole weeks inside the window (a week is kept by its Monday)
        keep &= c["week"] >= f"{choice.since:%Y-%m-%d}"
    if choice.until is not None:
        keep &= c["week"] <= f"{choice.until - dt.timedelta(days=6):%Y-%m-%d}"
    for column, values in choice.segments:
        col = f"segment:{column}"
        if col in c:
            wanted = {privacy.key(v) for v in values}
            keep &= np.array([isinstance(v, str) and privacy.key(v) in wanted for v in c[col]], dtype=bool)
    scores, answers = c.loc[keep, "score"].to_numpy(), c.loc[keep, "answers"].to_numpy()
    if not answers.sum():
        return None
    counts = np.array([answers[scores <= 6].sum(), answers[(scores >= 7) & (scores <= 8)].sum(), answers[scores >= 9].sum()])
    return metrics.nps_result(counts)


def _comments(snapshot: Snapshot, shown: dict[str, str], outside: frozenset[str], chosen: set[str] | None,
              months: tuple[str, str], choice: Choice, k: int, name: object) -> list[str]:
    c = snapshot.comments
    if c is None or c.empty:
        return []
    inside = _inside(c, shown, chosen, outside, months, choice.segments)
    # the groups were made at the analysis's comment threshold; fewer than k commenters in the view: no comment at all
    if int(c.loc[inside, "commenters"].sum()) < k:
        return []
    texts = [t for ts in c.loc[inside, "texts"] for t in ts]
    ordered = privacy.shuffled(texts, len(texts))
    return ledger.release(ordered, survey=name, kind="comment", measure="comments", rows=np.flatnonzero(inside), k=k)


def parse_choice(departments: list[str] | None, unit: str | None, level: int | None, since: str | None,
                 until: str | None, segments: dict[str, list[str]]) -> Choice:
    """A viewer's choices from the command line; one sentence for a date that is not one."""
    def day(text: str | None) -> dt.date | None:
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise OptionError(msg("“{text}” is not a date; write it as YYYY-MM-DD, for example 2024-03-31.",
                                  text=text)) from exc

    return Choice(frozenset(departments) if departments else None, unit, level, day(since), day(until),
                  tuple((c, frozenset(v)) for c, v in segments.items()))


@dataclass(frozen=True)
class Offered:
    """What a viewer of a snapshot may choose: its units (as the analysis names them), the days it spans and each
    segment column's values."""

    units: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None
    segments: dict[str, list[str]]


def offered(snapshot: Snapshot) -> Offered:
    """The snapshot's choices (:class:`Offered`): the days from the first month of its employee groups or the first
    customer week to the end of the last."""
    days: list[dt.date] = []
    g, c = snapshot.groups, snapshot.customers
    months = sorted({m for ms in g.get("months", []) for m in ms if m})
    if months:
        days += [dt.date.fromisoformat(months[0] + "-01"), _month_end(dt.date.fromisoformat(months[-1] + "-01"))]
    if c is not None and "week" in c and len(c):
        days += [dt.date.fromisoformat(str(c["week"].min())), dt.date.fromisoformat(str(c["week"].max())) + dt.timedelta(days=6)]
    segments: dict[str, set[str]] = {}
    for table in (g, c):
        if table is None:
            continue
        for col in (x for x in table.columns if str(x).startswith("segment:")):
            values = segments.setdefault(str(col)[len("segment:"):], set())
            for vs in table[col]:
                values.update(v for v in (vs if isinstance(vs, (list, np.ndarray)) else [vs]) if isinstance(v, str) and v)
    units = tuple(sorted(snapshot.meta.get("units", []), key=str.casefold))
    return Offered(units, min(days) if days else None, max(days) if days else None,
                   {k: sorted(v, key=str.casefold) for k, v in sorted(segments.items())})


def role_of(grants: list, email: str, groups: list[str] | tuple[str, ...] = ()) -> tuple[str | None, tuple[str, ...]]:
    """A signed-in person's role and units from the access list (:class:`lib.publish.store.Grant`): a lead by address
    or group sees everything; a manager the units of every line that names them; no line, no access (None)."""
    email = email.strip().casefold()
    mine = [g for g in grants if (g.kind == "email" and g.principal == email) or (g.kind == "group" and g.principal in groups)]
    if any(g.role == "lead" for g in mine):
        return "lead", ()
    units = tuple(dict.fromkeys(u for g in mine if g.role == "manager" for u in g.units))
    return ("manager", units) if units else (None, ())


def visitor_role(grants: list, email: str, groups: object = (), verified: object = None
                 ) -> tuple[str | None, tuple[str, ...]]:
    """A signed-in visitor's role in the app: "open" while the access list is empty (their own files, no
    publishing); else :func:`role_of` by their address and their identity provider's ``groups`` claim (a list, one
    name, or nothing), and no role for an address the provider marks unverified (``email_verified`` False)."""
    if not grants:
        return "open", ()
    if verified is False:
        return None, ()
    names = groups if isinstance(groups, (list, tuple)) else [] if groups is None else [groups]
    return role_of(grants, email, [str(g) for g in names])


def allowed_units(snapshot: Snapshot, units: tuple[str, ...]) -> frozenset[str]:
    """The snapshot's units a manager of ``units`` sees: those units and every unit below them in the snapshot's
    organisation (compared by :func:`lib.privacy.groups.key`)."""
    h = organisation(snapshot)
    wanted = {privacy.key(u) for u in units}
    out = set()
    for name in snapshot.meta.get("units", []):
        path = h.path(name) if h is not None else ()
        if privacy.key(name) in wanted or any(p in wanted for p in path):
            out.add(name)
    return frozenset(out)


def view_as(snapshot: Snapshot, choice: Choice, role: str | None, units: tuple[str, ...],
            headline: bool = False, total: bool = True) -> tuple[SnapshotView, SnapshotView | None]:
    """What a person of ``role`` sees: a lead, the view asked for; a manager, the view of their units and the units
    below them (a department, unit or level outside them is refused in one sentence), and beside it the
    organisation's total (headline figures of the whole snapshot, whatever the filters; None without ``total``);
    anyone else, nothing (one sentence). Checked here, on the server, whatever the page offers."""
    if role == "lead":
        return view(snapshot, choice, headline), None
    if role != "manager":
        raise OptionError(msg("You have no access to this snapshot; ask the person who published it."))
    allowed = allowed_units(snapshot, units)
    if not allowed:
        raise OptionError(msg("None of your units is in this snapshot; ask the person who published it."))
    mine_only = msg("You see only your own units: {units}.", units=", ".join(sorted(allowed)))
    keys = {privacy.key(u) for u in allowed}
    if choice.unit is not None or choice.level is not None or \
            any(privacy.key(d) not in keys for d in choice.departments or ()):
        raise OptionError(mine_only)
    asked = allowed if choice.departments is None else frozenset(u for u in allowed if privacy.key(u) in
                                                                  {privacy.key(d) for d in choice.departments})
    mine = view(snapshot, Choice(asked, None, None, choice.since, choice.until, choice.segments), headline)
    # the organisation's headline figures, whatever the manager chose: their own filters on it would, subtracted from
    # their view, show the rest of the organisation by month and segment
    return mine, view(snapshot, Choice(), headline=True) if total else None


def months(snapshot: Snapshot, choice: Choice) -> list[tuple[dt.date, dt.date]]:
    """The calendar months of the snapshot inside the viewer's dates, first to last."""
    span = offered(snapshot)
    if span.first is None or span.last is None:
        return []
    lo, hi = max(span.first, choice.since or span.first), min(span.last, choice.until or span.last)
    out, day = [], lo.replace(day=1)
    while day <= hi:
        end = _month_end(day)
        out.append((day, end))
        day = end + dt.timedelta(days=1)
    return out


def over_time(snapshot: Snapshot, choice: Choice, role: str | None, units: tuple[str, ...]
              ) -> list[tuple[dt.date, SnapshotView]]:
    """The view's headline figures month by month (each month a view of its own, so whole groups inside that month
    and whole customer weeks, as :func:`view_as` gives the person of ``role``); months with no figure are left out."""
    out = []
    for first, last in months(snapshot, choice):
        mine, _none = view_as(snapshot, replace(choice, since=first, until=last), role, units, headline=True,
                              total=False)
        if mine.engagement is not None or (mine.nps is not None and mine.nps.n):
            out.append((first, mine))
    return out


def growth(new: Snapshot, old: Snapshot) -> tuple[str, int] | None:
    """Where two snapshots of answers from the same months differ by 1 to k − 1 employee responses (the whole
    organisation, or one unit, over the months both hold): a grown or trimmed copy of one file, whose difference
    would show those people's answers. The first such view (its unit, or "" for the whole) and the difference; None
    when there is none. Views of other combinations of units, months and segments are not compared."""
    k = max(int(new.meta.get("k", 0)), int(old.meta.get("k", 0)), privacy.floor_threshold())
    g, h = new.groups, old.groups
    if g.empty or h.empty:
        return None
    both = sorted({m for ms in g["months"] for m in ms if m} & {m for ms in h["months"] for m in ms if m})
    if not both:
        return None
    months = (both[0], both[-1])
    units = sorted(set(new.meta.get("units", [])) & set(old.meta.get("units", [])), key=str.casefold)
    for chosen in (None, *({u} for u in units)):
        def n(table: pd.DataFrame, names: list[str], chosen: set[str] | None = chosen) -> int:
            keep = _inside(table, {u: u for u in names}, chosen, frozenset(), months, ())
            return int(table.loc[keep, "sum:rows"].sum())

        d = abs(n(g, new.meta.get("units", [])) - n(h, old.meta.get("units", [])))
        if 0 < d < k:
            return ("" if chosen is None else next(iter(chosen))), d
    return None


def changed_group(new: Snapshot, old: Snapshot) -> str | None:
    """The units of groups both snapshots hold in the same place and size (their units, months and segment values —
    what a view chooses by — and their responses) whose answers differ, or of comment groups whose texts differ: as
    many people with other answers (some swapped or changed), whose difference would show them. Only the figures both
    snapshots keep are compared (a statement that reached k in one only is not). None when there is none."""
    def place(table: pd.DataFrame) -> list[str]:
        return sorted(c for c in table.columns if c in ("units", "months", "responses", "sum:rows")
                      or str(c).startswith("segment:"))

    def keyed(table: pd.DataFrame, where: list[str], values: list[str]) -> dict[str, list[tuple[list[str], list]]]:
        out: dict[str, list[tuple[list[str], list]]] = {}
        if table is None or table.empty:
            return out
        columns = {c: table[c].tolist() for c in {*where, *values, "units"} if c in table.columns}
        for i in range(len(table)):
            key = json.dumps([sorted(str(x) for x in columns[c][i]) if isinstance(columns[c][i], (list, np.ndarray))
                              else str(columns[c][i]) for c in where], ensure_ascii=False)
            row = [sorted(columns[c][i]) if isinstance(columns[c][i], (list, np.ndarray)) else columns[c][i]
                   for c in values]
            out.setdefault(key, []).append(([str(u) for u in columns["units"][i] if u], row))
        return out

    def same(a: list, b: list) -> bool:
        return len(a) == len(b) and all(bool(np.isclose(x, y, rtol=1e-9, atol=1e-9)) if isinstance(x, float) else x == y
                                        for x, y in zip(a, b))

    for mine_t, theirs_t, wanted in ((new.groups, old.groups, ("sum:", "enps:", "item:")),
                                     (new.comments, old.comments, ("commenters", "texts"))):
        if mine_t is None or theirs_t is None or mine_t.empty or theirs_t.empty:
            continue
        where = [c for c in place(mine_t) if c in theirs_t.columns]
        values = sorted(c for c in set(mine_t.columns) & set(theirs_t.columns) if str(c).startswith(wanted))
        mine, theirs = keyed(mine_t, where, values), keyed(theirs_t, where, values)
        for key in sorted(set(mine) & set(theirs)):
            a, b = sorted(mine[key], key=repr), sorted(theirs[key], key=repr)
            if len(a) != len(b) or not all(same(x[1], y[1]) for x, y in zip(a, b)):
                return ", ".join(dict.fromkeys(u for units, _row in a for u in units)) or "?"
    return None
