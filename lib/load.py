"""The one loading path of the app and the command line: files and the choices about them in; each file's reading,
the customer and the employee survey (waves stacked) and the settings out.

:func:`load` reads every file (through a ``parse`` function the caller may give: the app parses uploads in a worker
process and keeps them per session, the command line reads in-process), takes the files of each survey together as
waves (:mod:`lib.survey.stacking`), reads a survey without a unit column again with the other survey's unit names,
and builds the :class:`lib.figures.summary.Settings` from the choices and the files' HME columns. A linkage measure
or an HME column the files do not hold is refused with one sentence (:class:`lib.errors.OptionError`) and the
default used instead: the command line stops on it (:meth:`Loading.check`), the app shows it and carries on.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lib.errors import OptionError, SurveyError
from lib.i18n import msg
from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS
from lib.figures.nordic import hme_columns
from lib.figures.summary import Settings, check_measures
from lib.privacy import groups as privacy
from lib.read.sources import Source
from lib.setup import Setup
from lib.survey.aggregate import from_counts, detect, counted
from lib.survey import isolation
from lib.survey.frame import Survey
from lib.survey.hierarchy import Hierarchy, from_paths, with_hierarchy
from lib.survey.isolation import Parsed
from lib.survey.stacking import in_date_order, stack

if TYPE_CHECKING:
    from lib.detect.roles import Detection

KINDS = ("customer", "employee")


class SurveyFile(Protocol):
    """One file and the choices made about it (the app's ``ui.state.UploadedSurvey`` is one, :class:`File` another)."""

    name: str
    data: bytes | Path
    use: str                  # auto | customer | employee | unused
    sheet: str | int | None
    columns: dict[str, str]   # column -> role
    scales: dict[str, str]    # column -> "1-4"
    encoding: str | None      # None: detected
    hme: dict[str, str]       # HME code -> column ("": none)

    @property
    def digest(self) -> str: ...


@dataclass
class File:
    """A file given by path or bytes (the command line's), with its choices."""

    name: str
    data: bytes | Path | Source = field(repr=False)  # a Source: customer answers where they live
    use: str = "auto"
    sheet: str | int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    scales: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    hme: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None  # spreadsheet row of the header, when the user chose one
    part: dict[str, str] = field(default_factory=dict)  # column -> value: read only those rows (one question type)
    part_optional: bool = False  # a column of ``part`` the file lacks is passed over (--part names one of the files')

    @cached_property
    def digest(self) -> str:
        if isinstance(self.data, Source):  # answers where they live: the source's address, table or query
            return hashlib.sha256(self.data.key.encode()).hexdigest()
        data = self.data.read_bytes() if isinstance(self.data, Path) else self.data
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Request:
    """One reading of a file: its choices, the kind it is read as (None: guessed) and the other survey's unit
    names (a unit column found by its values)."""

    file: SurveyFile
    kind: str | None
    other_units: tuple[str, ...] = ()

    def options(self) -> dict[str, object]:
        """The keyword arguments of :func:`lib.survey.isolation.parse` and ``parse_here``."""
        f = self.file
        return {"kind": self.kind, "sheet": f.sheet, "columns": dict(f.columns), "scales": dict(f.scales),
                "encoding": f.encoding, "other_units": tuple(self.other_units),
                "header_row": getattr(f, "header_row", None), "part": dict(getattr(f, "part", None) or {}) or None,
                "part_optional": bool(getattr(f, "part_optional", False))}

    @property
    def key(self) -> str:
        """The file's content and every choice that changes its reading, as one string (a cache key)."""
        f = self.file
        units = hashlib.sha256("\n".join(self.other_units).encode()).hexdigest()[:16] if self.other_units else ""
        return (f"{f.digest}|{f.sheet!r}|{self.kind}|{sorted(f.columns.items())}|{sorted(f.scales.items())}|"
                f"{f.encoding}|{units}|{getattr(f, 'header_row', None)}|{sorted((getattr(f, 'part', None) or {}).items())}|"
                f"{bool(getattr(f, 'part_optional', False))}")


Parse = Callable[[Request], Parsed]


def parse_source(source: Source, *, columns: dict[str, str] | None = None, scales: dict[str, str] | None = None,
                 other_units: Sequence[str] = ()) -> Parsed:
    """Customer answers where they live (:mod:`lib.survey.aggregate`), as a file's reading: the survey and its
    roles, or the roles and the one sentence saying why it could not be used."""
    detection = None
    try:
        head, detection = detect(source, columns, scales, other_units)
        survey = from_counts(source, head, detection)
        return Parsed(survey.detection, survey, None)
    except SurveyError as exc:
        return Parsed(counted(detection)[0] if detection is not None else None, None, exc)


def read_here(request: Request) -> Parsed:
    """The command line's ``parse``: in this process, no cache. A file whose ``data`` is a
    :class:`lib.read.sources.Source` is counted in its engine (:mod:`lib.survey.aggregate`)."""
    if isinstance(request.file.data, Source):
        return parse_source(request.file.data, columns=dict(request.file.columns), scales=dict(request.file.scales),
                            other_units=request.other_units)
    return isolation.parse_here(request.file.data, request.file.name, **request.options())  # type: ignore[arg-type]


@dataclass
class Loaded:
    """One file after reading: its survey, or the error saying why it could not be used."""

    file: SurveyFile
    survey: Survey | None = None
    detection: Detection | None = None
    problem: SurveyError | None = None
    key: str = ""  # the reading's :attr:`Request.key`

    @property
    def error(self) -> str | None:
        return str(self.problem) if self.problem is not None else None

    @property
    def kind(self) -> str | None:
        if self.file.use in KINDS:
            return self.file.use
        if self.file.use == "unused":
            return None
        return self.detection.kind if self.detection is not None else None


Stack = Callable[[list[Loaded]], Survey]


def stack_waves(files: list[Loaded]) -> Survey:
    """The command line's ``stack``: several files of one survey as one, a wave each, earliest first."""
    return stack(in_date_order([f.survey for f in files if f.survey is not None]))


@dataclass(frozen=True)
class Choices:
    """The choices about the whole analysis, None where not made: thresholds, the department mapping, the linkage's
    measures, the organisation and the unit or level viewed. :meth:`over` fills them from a saved setup,
    :meth:`settings` builds the engine's settings."""

    min_group: int | None = None
    min_customers: int | None = None
    min_comments: int | None = None
    floor: int | None = None
    comment_seed: int | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    customer_measure: str | None = None
    employee_measure: str | None = None
    organisation: Hierarchy | None = None  # the organisation file's hierarchy (lib.survey.hierarchy)
    unit: str | None = None                # the view: this unit and its children …
    level: int | None = None               # … or every unit at this level

    def over(self, setup: Setup) -> Choices:
        """These choices, and the setup's where none was made (the mapping: the setup's, then these)."""
        def first(mine: object, theirs: object) -> object:
            return mine if mine is not None else theirs

        return Choices(first(self.min_group, setup.min_group), first(self.min_customers, setup.min_customers),
                       first(self.min_comments, setup.min_comments), self.floor, self.comment_seed,
                       tuple({**setup.mapping, **dict(self.mapping)}.items()),
                       first(self.customer_measure, setup.customer_measure),
                       first(self.employee_measure, setup.employee_measure),
                       first(self.organisation, setup.hierarchy),
                       *((self.unit, self.level) if self.unit is not None or self.level is not None
                         else (setup.unit, setup.level)))  # type: ignore[arg-type]

    def settings(self, hme: tuple[tuple[str, str], ...] = ()) -> Settings:
        """The engine's settings; one sentence (:class:`lib.errors.OptionError`) when a value is not valid."""
        k = privacy.check_min_group(self.min_group if self.min_group is not None else privacy.DEFAULT_MIN_GROUP)
        if self.min_customers is not None and self.min_customers < 1:
            raise OptionError(msg("The minimum of customer answers a department needs must be at least 1, not "
                                  "{m}.", m=self.min_customers))
        return Settings(k, self.min_customers if self.min_customers is not None else DEFAULT_MIN_CUSTOMERS,
                        tuple((str(a), str(b)) for a, b in self.mapping), privacy.comment_threshold(k, self.min_comments),
                        self.floor, self.comment_seed, hme, self.customer_measure or "nps",
                        self.employee_measure or "engagement", self.organisation,
                        *((self.unit, self.level) if self.organisation is not None else (None, None)))


@dataclass
class Loading:
    """What :func:`load` found: every file's reading, the two surveys, the settings used, and what was refused."""

    loaded: list[Loaded]
    customer: Survey | None
    employee: Survey | None
    settings: Settings
    error: SurveyError | None = None  # the files of a survey could not be put together
    refused: list[OptionError] = field(default_factory=list)  # choices the files do not hold; the default used
    focus_refused: OptionError | None = None  # the unit or level asked for, which the organisation lacks

    def check(self) -> None:
        """Raise the first problem: a file that could not be read, the waves, or a refused choice."""
        for item in self.loaded:
            if item.problem is not None:
                raise item.problem
        if self.error is not None:
            raise self.error
        if self.refused:
            raise self.refused[0]


def _read(f: SurveyFile, parse: Parse, setup: Setup | None, other_units: tuple[str, ...] = ()) -> Loaded:
    request = Request(f, f.use if f.use in KINDS else None, other_units)
    result = parse(request)
    problem = result.error
    if problem is not None and setup is not None and request.kind is not None:
        problem = _fits(f, request, parse, setup) or problem
    return Loaded(f, result.survey, result.detection, problem, request.key)  # type: ignore[arg-type]


def _fits(f: SurveyFile, request: Request, parse: Parse, setup: Setup) -> OptionError | None:
    """When a file read with a setup's choices fails: the sentence naming every column of the setup it lacks."""
    kind = str(request.kind)
    if not (getattr(setup, kind).named() or (kind == "employee" and setup.hme)):
        return None
    plain = parse(Request(File(f.name, f.data, kind, f.sheet, encoding=f.encoding), kind))
    if plain.detection is None:
        return None
    try:
        setup.check_fits(kind, f.name, [c.name for c in plain.detection.columns])
    except OptionError as exc:
        return exc
    return None


def _pick(loaded: list[Loaded], kind: str, stacker: Stack) -> Survey | None:
    files = [item for item in loaded if item.survey is not None and item.kind == kind]
    if len(files) <= 1:
        return files[0].survey if files else None
    return stacker(files)


def _hme(loaded: list[Loaded], employee: Survey | None) -> tuple[tuple[tuple[str, str], ...], list[OptionError]]:
    """The HME columns chosen for the employee files (one choice for every wave), each checked against the survey."""
    chosen: dict[str, str] = {}
    for item in loaded:
        if item.survey is not None and item.kind == "employee":
            chosen.update(item.file.hme)
    if employee is None:
        return (), []
    kept, refused = {}, []
    for code, column in chosen.items():
        try:
            hme_columns(employee, {code: column})
            kept[code] = column
        except OptionError as exc:
            refused.append(exc)
    return tuple(sorted(kept.items())), refused


def _measures(settings: Settings, customer: Survey | None, employee: Survey | None) -> tuple[Settings, list[OptionError]]:
    """The settings with each measure the files hold; a measure they lack is refused and the default used."""
    refused = []
    for side, default in (("customer", "nps"), ("employee", "engagement")):
        try:
            check_measures(customer if side == "customer" else None, employee if side == "employee" else None, settings)
        except OptionError as exc:
            refused.append(exc)
            settings = replace(settings, **{f"{side}_measure": default})
    return settings, refused


def load(files: Sequence[SurveyFile], choices: Choices | None = None, *, parse: Parse = read_here,
         stacker: Stack = stack_waves, setup: Setup | None = None) -> Loading:
    """Read ``files`` and put them together (see the module's docstring).

    A file whose ``use`` is "customer" or "employee" is read as that survey, "auto" is guessed, "unused" is read
    (its reading is shown) but not used. ``setup``, when the files' choices came from one, words a failed reading
    as the columns the setup names and the file lacks. Raises :class:`lib.errors.OptionError` for a threshold that
    is not valid, before any file is read.
    """
    settings = (choices or Choices()).settings()
    loaded = [_read(f, parse, setup) for f in files]
    try:
        customer, employee = _pick(loaded, "customer", stacker), _pick(loaded, "employee", stacker)
        if customer is not None and employee is not None and customer.has_units != employee.has_units:
            # the survey without a unit column: look for one by the other survey's unit names
            lacking, other = ("customer", employee) if employee.has_units else ("employee", customer)
            loaded = [_read(item.file, parse, setup, other.unit_names) if item.kind == lacking else item
                      for item in loaded]
            customer, employee = _pick(loaded, "customer", stacker), _pick(loaded, "employee", stacker)
    except SurveyError as exc:
        return Loading(loaded, None, None, settings, exc)
    settings, employee, wrong_focus = _organisation(settings, choices or Choices(), customer, employee)
    employee = with_hierarchy(employee, settings.hierarchy, dict(settings.mapping))  # type: ignore[assignment]
    hme, refused = _hme(loaded, employee)
    settings, wrong_measures = _measures(replace(settings, hme=hme), customer, employee)
    return Loading(loaded, customer, employee, settings, None,
                   [*([wrong_focus] if wrong_focus else []), *refused, *wrong_measures], wrong_focus)


def _organisation(settings: Settings, choices: Choices, customer: Survey | None, employee: Survey | None
                  ) -> tuple[Settings, Survey | None, OptionError | None]:
    """The settings with the organisation (the organisation file's, else the employee file's own higher-unit columns:
    never the customer file's, so that adding a customer file cannot change the employee groups) and the unit or
    level to view; a unit or level the organisation lacks, or columns that put a unit under two parents, said in one
    sentence (the units then as in the files)."""
    hierarchy = settings.hierarchy
    if hierarchy is None and employee is not None:  # never the customer file's: the employee groups nest in it
        # columns that put a unit under two parents are the file's, not a choice: the units as they are, and every
        # summary says why (lib.figures.summary.level_conflict)
        with contextlib.suppress(OptionError):
            hierarchy = from_paths(employee.levels, employee.unit_paths, dict(settings.mapping))
    try:
        return replace(settings, hierarchy=hierarchy, unit=choices.unit, level=choices.level), employee, None
    except OptionError as exc:
        return replace(settings, hierarchy=hierarchy, unit=None, level=None), employee, exc
