"""An organisation's hierarchy: which unit belongs to which, and the views a level or a unit shows.

A hierarchy comes from an organisation file (one row per unit: the unit, its parent, optionally the manager's
e-mail), read by :func:`read_organisation`, or from columns of the employee export that name each answer's
higher units (division, then department, then team), read by :func:`from_paths`. Units are compared by
:func:`lib.privacy.groups.key` (case and spaces do not matter) after the department mapping, so the organisation
file may name a unit as the mapping does.

Two uses:

* **Nested protection groups** (:func:`with_hierarchy`): the employee survey's rows are split first by their
  top unit, then the next level down, and so on, before the department, month and segments
  (:mod:`lib.privacy.groups`). A small team is then pooled inside its own parent, so every parent's figure is a
  union of whole groups of its own children.
* **A view of a level or a unit** (:func:`focus_mapping`): every unit of the files is shown as its ancestor at a
  level ("every division"), or, for one unit, as the child of that unit it lies under ("Division A and its
  departments"); units outside that unit are left out with the reason. A view is a department mapping that only
  joins units, and a department filter, so it releases nothing the privacy module's rules do not already cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from lib.errors import OptionError
from lib.i18n import Msg, msg, msg_n
from lib.values.vocab import normalize as key  # the one form names are compared under (lib.privacy.groups.key)

#: Header words of an organisation file's columns (English, Swedish, Finnish), compared after :func:`key`.
_UNIT_WORDS = re.compile(r"^(unit|org(anisation|anization)?\s*unit|department|enhet|organisationsenhet|avdelning|"
                         r"yksikkö|organisaatioyksikkö|osasto|name|namn|nimi)$")
_PARENT_WORDS = re.compile(r"(parent|överordnad|ingår i|tillhör|ylempi|ylä|emo|kuuluu)")
MAX_UNITS = 50_000  # an organisation file larger than any organisation's, refused
MAX_DEPTH = 30      # levels; no organisation has more
_EMAIL_WORDS = re.compile(r"(e-?mail|e-?post|sähköposti|manager|chef|esihenkilö|esimies|päällikkö)")


@dataclass(frozen=True)
class Hierarchy:
    """Units and their parents (``edges``: (unit, parent) display names, parent "" for a top unit), the managers'
    e-mail addresses (``managers``: (unit, address)), the level names top first where the source names them, and
    ``notes``: the rows left out of the source, by reason."""

    edges: tuple[tuple[str, str], ...]
    managers: tuple[tuple[str, str], ...] = ()
    levels: tuple[str, ...] = ()
    notes: tuple[Msg, ...] = ()

    @cached_property
    def _parent(self) -> dict[str, str]:
        return {key(u): key(p) for u, p in self.edges}

    @cached_property
    def _name(self) -> dict[str, str]:
        names = {key(p): p for _u, p in self.edges if p}
        names.update({key(u): u for u, _p in self.edges})
        return names

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for u, p in self.edges:
            out.setdefault(key(p), []).append(key(u))
        for kids in out.values():
            kids.sort(key=lambda k: self._name[k].casefold())
        return out

    def name(self, unit: str) -> str:
        """The unit's name as the source writes it (``unit`` compared by :func:`key`)."""
        return self._name.get(key(unit), unit)

    def knows(self, unit: str) -> bool:
        return key(unit) in self._name

    def path(self, unit: str) -> tuple[str, ...]:
        """The keys of the unit's ancestors, top first, and its own; () for a unit the hierarchy does not have."""
        k = key(unit)
        if k not in self._name:
            return ()
        out = [k]
        while self._parent.get(out[-1], ""):
            out.append(self._parent[out[-1]])
        return tuple(reversed(out))

    def children(self, unit: str | None) -> list[str]:
        """The names of the unit's children (None: the top units)."""
        return [self._name[k] for k in self._children.get("" if unit is None else key(unit), [])]

    @property
    def depth(self) -> int:
        """How many levels the hierarchy has."""
        return max((len(self.path(u)) for u, _p in self.edges), default=0)

    def units(self) -> list[tuple[str, int]]:
        """Every unit with its level (0: top), parents before their children, siblings by name."""
        out: list[tuple[str, int]] = []
        stack = [(k, 0) for k in reversed(self._children.get("", []))]
        while stack:
            k, level = stack.pop()
            out.append((self._name[k], level))
            stack.extend((c, level + 1) for c in reversed(self._children.get(k, [])))
        return out

    def level_name(self, level: int) -> str | None:
        """The name of a level (1: the top) where the source names it (an export's hierarchy column), else None."""
        return (self.levels[level - 1] or None) if 1 <= level <= len(self.levels) else None

    def managed_by(self, address: str) -> list[str]:
        """The units an e-mail address manages (compared without case)."""
        wanted = address.strip().casefold()
        return [u for u, a in self.managers if a.strip().casefold() == wanted]


def _check_shape(parent: dict[str, tuple[str, str]]) -> None:
    """Refuse, in one sentence, an organisation too large, too deep, or with units that are each other's ancestors;
    each unit's depth is found once, so the walk is linear in the units."""
    if len(parent) > MAX_UNITS:
        raise OptionError(msg("The organisation has {n} units; at most {most} can be used. Leave out the units no "
                              "survey has.", n=len(parent), most=MAX_UNITS))
    depth: dict[str, int] = {}
    for start in parent:  # each unit's depth once, so the walk is linear in the units (a cycle is found on the way)
        trail: dict[str, int] = {}  # the units walked up from ``start``, in order
        at = start
        while at not in depth:
            if at in trail:
                circle = list(trail)[trail[at]:]
                raise OptionError(msg("The organisation's units {units} are each other's ancestors; correct the "
                                      "parent column.", units=" → ".join(f"“{parent[k][0]}”" for k in [*circle, at])))
            up = parent[at][1]
            if not up:
                depth[at] = 1
                break
            trail[at] = len(trail)
            at = key(up)
        level = depth[at]
        for k in reversed(list(trail)):
            level += 1
            depth[k] = level
        if level > MAX_DEPTH:
            raise OptionError(msg("The organisation has more than {most} levels; give it at most {most}.",
                                  most=MAX_DEPTH))


def build(edges: Iterable[tuple[str, str]], managers: Iterable[tuple[str, str]] = (), levels: Sequence[str] = (),
          notes: Sequence[Msg] = ()) -> Hierarchy:
    """A hierarchy from (unit, parent) pairs; one sentence (:class:`OptionError`) for a unit given two parents or
    a unit that is its own ancestor. A parent that is not itself listed becomes a top unit."""
    parent: dict[str, tuple[str, str]] = {}
    for unit, up in edges:
        unit, up = str(unit).strip(), str(up or "").strip()
        if not unit:
            continue
        if key(unit) == key(up):
            up = ""
        known = parent.get(key(unit))
        if known is not None and key(known[1]) != key(up):
            if not up:
                continue
            if known[1]:
                raise OptionError(msg("The organisation puts “{unit}” under both “{a}” and “{b}”; give each unit one "
                                      "parent.", unit=unit, a=known[1], b=up))
        parent[key(unit)] = (known[0] if known is not None else unit, up)  # the first spelling of a unit is kept
    for _unit, up in list(parent.values()):
        if up and key(up) not in parent:
            parent[key(up)] = (up, "")
    _check_shape(parent)
    kept = {key(u) for u, _a in parent.values()}
    return Hierarchy(tuple(sorted(parent.values(), key=lambda e: (key(e[1]), key(e[0])))),
                     tuple((parent[key(u)][0], a.strip()) for u, a in managers if key(u) in kept and str(a).strip()),
                     tuple(levels), tuple(notes))


def _column(headers: list[str], pattern: re.Pattern[str], taken: set[str]) -> str | None:
    for h in headers:
        if h not in taken and pattern.search(key(h)):
            return h
    return None


def from_frame(frame: pd.DataFrame, filename: str) -> Hierarchy:
    """A hierarchy from an organisation table: the unit, its parent and optionally the manager's e-mail, found by
    their headers (English, Swedish or Finnish), else the first two columns and a column of e-mail addresses."""
    headers = [str(c) for c in frame.columns]
    if len(headers) < 2:
        raise OptionError(msg("The organisation file {file} needs two columns, the unit and its parent; it has {n}.",
                              file=filename, n=len(headers)))
    taken: set[str] = set()
    unit = _column(headers, _UNIT_WORDS, taken) or headers[0]
    taken.add(unit)
    parent = _column(headers, _PARENT_WORDS, taken) or next(h for h in headers if h not in taken)
    taken.add(parent)
    text = frame.astype("string")
    email = _column(headers, _EMAIL_WORDS, taken)
    if email is None:
        email = next((h for h in headers if h not in taken and text[h].str.contains("@", regex=False).any()), None)
    units, parents = text[unit].fillna("").str.strip(), text[parent].fillna("").str.strip()
    blank = int((units == "").sum())
    notes = [msg_n("{count} row of the organisation file has no unit and was left out.",
                   "{count} rows of the organisation file have no unit and were left out.", blank)] if blank else []
    keep = units != ""
    edges = list(zip(units[keep], parents[keep]))
    if not edges:
        raise OptionError(msg("The organisation file {file} names no unit in its column “{column}”.", file=filename,
                              column=unit))
    managers = list(zip(units[keep], text[email].fillna("")[keep])) if email is not None else []
    return build(edges, managers, notes=notes)


def looks_like_organisation(columns: Sequence[str]) -> bool:
    """Whether a table's headers are an organisation file's (a unit column and a parent column, few columns): a file
    the user meant for the Data page's Organisation section."""
    headers = [str(c) for c in columns]
    unit = _column(headers, _UNIT_WORDS, set())
    return 2 <= len(headers) <= 4 and unit is not None and _column(headers, _PARENT_WORDS, {unit}) is not None


def read_organisation(data: bytes | Path, filename: str) -> Hierarchy:
    """An organisation file (.csv, .xlsx …): the unit, its parent and optionally the manager's e-mail per row.
    One sentence (:class:`lib.errors.SurveyError`) when it cannot be read."""
    from lib.read.table import read_table

    from lib.errors import EmptyFileError

    try:
        table = read_table(data, filename)
    except EmptyFileError as exc:  # the reader's sentences speak of survey responses: this file is no survey
        raise OptionError(msg("The organisation file {file} is empty; save it with a unit and a parent column, one "
                              "unit per row.", file=filename)) from exc
    except Exception as exc:  # a file the reader refuses, or its own failure: one sentence, no traceback
        raise OptionError(msg("The organisation file {file} could not be read; save it as CSV or Excel with a unit "
                              "and a parent column, one unit per row.", file=filename)) from exc
    return from_frame(table.frame, filename)


def from_paths(levels: Sequence[str], paths: Iterable[Sequence[str]], mapping: dict[str, str] | None = None
               ) -> Hierarchy | None:
    """A hierarchy from an export's higher-unit columns (``levels``, top first) and the paths of names they give,
    each ending in the unit (:attr:`lib.survey.frame.Survey.unit_paths`); the unit is named as ``mapping`` names it.
    None when there are no such columns. A unit under two parents is refused with one sentence."""
    if not levels:
        return None
    alias = {key(a): str(b) for a, b in (mapping or {}).items() if str(b).strip()}
    edges: list[tuple[str, str]] = []
    for path in paths:
        names = [v for v in (*path[:-1], alias.get(key(path[-1]), path[-1])) if str(v).strip()]
        edges.extend((unit, parent) for parent, unit in zip(["", *names[:-1]], names))
    return build(edges, levels=[*levels, ""]) if edges else None


# --------------------------------------------------------------------------- views


def check_focus(hierarchy: Hierarchy | None, unit: str | None, level: int | None) -> None:
    """Refuse, in one sentence, a unit or level the hierarchy does not have, or both at once."""
    if unit is None and level is None:
        return
    if hierarchy is None:
        raise OptionError(msg("A unit or level view needs an organisation: give an organisation file (--org-file on "
                              "the command line, the Data page in the app)."))
    if unit is not None and level is not None:
        raise OptionError(msg("Choose a unit or a level to view, not both."))
    if unit is not None and not hierarchy.knows(unit):
        raise OptionError(msg("The organisation has no unit “{unit}”; choose one of: {units}.", unit=unit,
                              units=", ".join(u for u, _d in hierarchy.units()[:12])))
    if level is not None and not 1 <= level <= hierarchy.depth:
        raise OptionError(msg("The organisation has levels 1 to {depth}, not {level}.", depth=hierarchy.depth,
                              level=level))


def focus_mapping(hierarchy: Hierarchy, names: Iterable[str], mapping: dict[str, str], unit: str | None,
                  level: int | None) -> tuple[dict[str, str], frozenset[str]]:
    """How a view shows the files' unit names: ``({file name: shown name}, file names outside the view)``.

    ``mapping`` is the department mapping, applied first; the result holds it too, so it replaces it. With ``level``
    (1: the top), each unit is shown as its ancestor at that level (a unit above that level as itself). With ``unit``,
    each unit below it is shown as the child of ``unit`` it lies under (the unit's own answers as the unit), and
    every other unit is outside the view. A unit the organisation does not have keeps its name (and, in a unit's
    view, is outside it).
    """
    alias = {key(a): str(b) for a, b in mapping.items() if str(b).strip()}
    shown: dict[str, str] = {}
    outside: set[str] = set()
    for name in names:
        mapped = alias.get(key(name), name)
        path = hierarchy.path(mapped)
        if not path:
            if key(name) in alias:
                shown[name] = mapped
            if unit is not None:
                outside.add(name)
            continue
        if level is not None:
            shown[name] = hierarchy.name(path[level - 1]) if len(path) >= level else mapped
        elif unit is not None:
            u = key(unit)
            if u in path:
                i = path.index(u)
                shown[name] = hierarchy.name(path[i + 1] if i + 1 < len(path) else u)
            else:
                outside.add(name)
    return shown, frozenset(outside)


def ancestors(hierarchy: Hierarchy, names: Sequence[str], mapping: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    """Per unit name of a file, the keys of its levels above the unit, top first, padded with its own key to the
    hierarchy's depth (a unit the organisation does not have stands alone at the top). What
    :mod:`lib.privacy.groups` splits by before the department."""
    alias = {key(a): str(b) for a, b in mapping.items() if str(b).strip()}
    depth = max(hierarchy.depth - 1, 0)
    out = []
    for name in names:
        path = hierarchy.path(alias.get(key(name), name)) or (key(name),)
        out.append(tuple(path[min(j, len(path) - 1)] for j in range(depth)))
    return tuple(out)


def with_hierarchy(survey: object, hierarchy: Hierarchy | None, mapping: dict[str, str]) -> object:
    """The employee survey whose protection groups nest inside ``hierarchy`` (see the module's docstring): a copy
    with its own cache, kept with the survey for the same hierarchy and mapping, so every view of an analysis
    shares its groups."""
    if hierarchy is None or survey is None:
        return survey
    import dataclasses

    from lib.survey.frame import remembered

    levels = ancestors(hierarchy, survey.departments, mapping)  # type: ignore[attr-defined]
    if survey.hierarchy == levels:  # type: ignore[attr-defined]  # nested already (the loading path did it)
        return survey
    return remembered(survey, "hierarchy", levels,
                      lambda: dataclasses.replace(survey, hierarchy=levels, cache={}))  # type: ignore[call-overload]
