"""The command line: ``python -m lib summary …``, ``python -m lib comments …``, ``python -m lib report …``,
``python -m lib publish …``, ``python -m lib snapshots …``, ``python -m lib snapshot …``, ``python -m lib access …``
and ``python -m lib make-sample``.

Unusable input (a file, an option, a setup) ends with one line on stderr that says
what is wrong and what to do, and exit status 2. A failure of the explorer itself
ends with one line naming it and exit status 1. Neither prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Sequence

from lib.errors import OptionError, SurveyError
from lib.i18n import Msg, _, msg
from lib.read.table import ENCODINGS, WORKBOOK_SUFFIXES

if TYPE_CHECKING:  # imported by the commands that use them (SciPy, for one, only when a correlation is computed)
    from lib.figures.filters import Filters
    from lib.figures.summary import Settings, Summary
    from lib.present.model import Figure, FileNote, Presentation
    from lib.load import Choices, File, Loading
    from lib.setup import Setup
    from lib.survey.frame import Survey

EXIT_USAGE = 2
EXIT_BUG = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        sys.stderr.write(f"{self.prog}: {message} (see --help)\n")
        raise SystemExit(EXIT_USAGE)


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        if "=" not in v:
            raise OptionError(msg("“{value}” should be written {what}, with an equals sign.", value=v, what=what))
        left, right = v.rsplit("=", 1) if what.startswith("COLUMN=") else v.split("=", 1)
        out[left.strip()] = right.strip()
    return out


def _survey_options(p: argparse.ArgumentParser) -> None:
    """The files and every choice about them, shared by ``summary`` and ``report``."""
    p.add_argument("--customer", type=Path, action="append",
                   help=_("customer survey export (.xlsx .xlsm .xls .ods .csv); repeat it for one file per wave"))
    p.add_argument("--employee", type=Path, action="append",
                   help=_("employee survey export; repeat it for one file per wave"))
    p.add_argument("--customer-source", metavar="URI",
                   help=_("customer answers where they live, counted there: a folder or pattern of .parquet or .csv "
                          "files, duckdb:///FILE, postgres://USER@HOST/DB or another database URI"))
    p.add_argument("--customer-table", metavar="TABLE", help=_("the table of --customer-source that holds the answers"))
    p.add_argument("--customer-query", metavar="SQL", help=_("a query of --customer-source that returns the answers"))
    p.add_argument("--min-group", type=int, default=None, metavar="K",
                   help=_("anonymity threshold: groups with fewer employee responses show no figures (default 5, at least 3)"))
    from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS

    p.add_argument("--min-customers", type=int, default=None, metavar="M",
                   help=_("customer answers a department needs for its NPS to be shown (else “too few answers”) and to "
                          "count in the correlation (default {m}, at least 1)").format(m=DEFAULT_MIN_CUSTOMERS))
    p.add_argument("--department", action="append", metavar="NAME", help=_("keep only this department (repeatable)"))
    p.add_argument("--since", metavar="YYYY-MM-DD", help=_("first day to include"))
    p.add_argument("--until", metavar="YYYY-MM-DD", help=_("last day to include"))
    p.add_argument("--segment", action="append", metavar="COLUMN=VALUE", help=_("keep only rows with this value (repeatable)"))
    for side in ("customer", "employee"):
        p.add_argument(f"--{side}-sheet", metavar="SHEET", help=_("sheet to read (default: the one that looks like responses)"))
        p.add_argument(f"--{side}-column", action="append", metavar="COLUMN=ROLE",
                       help=_("set a column's role: department, date, id, nps, enps, item, reverse-item, score, pulse, "
                              "comment, segment, status, ignore"))
    p.add_argument("--reverse", action="append", metavar="COLUMN",
                   help=_("employee statement that is reverse-worded (repeatable)"))
    p.add_argument("--scale", action="append", metavar="COLUMN=LOW-HIGH",
                   help=_("the scale of a statement answered with numbers, such as 1-4 (repeatable; employee file, "
                          "else the customer file)"))
    p.add_argument("--encoding", choices=ENCODINGS, help=_("read text exports in this encoding instead of the detected one"))
    p.add_argument("--header-row", type=_header_row, metavar="N",
                   help=_("the spreadsheet row that holds the column names, instead of the one found"))
    p.add_argument("--part", action="append", metavar="COLUMN=VALUE",
                   help=_("read only the rows whose column holds this value, in each file that has the column: one "
                          "question type of a column that mixes several (repeatable)"))
    p.add_argument("--explain", action="store_true",
                   help=_("print how each file was read (header row, roles, scales, codes, columns not used) on stderr"))
    p.add_argument("--map", action="append", metavar="NAME=NAME",
                   help=_("treat a department name as another, to join renamed units (repeatable)"))
    p.add_argument("--org-file", type=Path, metavar="FILE",
                   help=_("an organisation file (.csv .xlsx): per row a unit, its parent and optionally the manager's "
                          "e-mail; small teams are then protected inside their own parent"))
    p.add_argument("--unit", metavar="NAME", help=_("with an organisation: show this unit and its units"))
    p.add_argument("--level", type=int, metavar="N",
                   help=_("with an organisation: show every unit at this level (1: the top)"))
    p.add_argument("--hme", action="append", metavar="CODE=COLUMN",
                   help=_("the employee column that holds one of SKR's nine HME statements, M1 … S3, when its wording "
                          "differs from SKR's (repeatable)"))
    p.add_argument("--link-customer", choices=["nps", "nki"], default=None,
                   help=_("the customer figure the linkage compares: nps (default) or nki"))
    p.add_argument("--link-employee", choices=["engagement", "nmi", "hme"], default=None,
                   help=_("the employee figure the linkage compares: engagement (default), nmi or hme"))
    p.add_argument("--setup", type=Path, metavar="FILE",
                   help=_("a setup saved from the app (roles, scales, mapping, thresholds, filters); the other options "
                          "add to it or override it"))


def build_parser() -> argparse.ArgumentParser:
    from lib.i18n import LANGUAGES

    parser = _Parser(prog="python -m lib", description=_("Survey explorer: NPS, engagement and their link by department."))
    parser.add_argument("--lang", choices=list(LANGUAGES), default=None,
                        help=_("language of the output: en, sv or fi (default: the system's, else English)"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    s = sub.add_parser("summary", help=_("Summarise a customer and/or an employee survey export."))
    _survey_options(s)
    s.add_argument("--period", choices=["week", "month", "quarter", "half", "year", "wave"],
                   help=_("add each period's figures, the change between the last two and the lagged linkage"))
    s.add_argument("--lag", type=int, metavar="L",
                   help=_("with --period: engagement in period t against customer NPS in t + L (0, 1 or 2; default "
                          "all three)"))
    s.add_argument("--json", action="store_true", help=_("print one JSON object"))
    s.add_argument("--themes", action="store_true",
                   help=_("with --json: the comment themes with the new themes to consider, as the comments command "
                          "gives them (without it, the themes come without suggestions, which load scikit-learn)"))
    s.add_argument("--codebook", type=Path, metavar="FILE", help=_("a theme codebook saved from the Comments page"))
    c = sub.add_parser("comments", help=_("comment themes, their scores and what detractors say more than promoters"))
    _survey_options(c)
    c.add_argument("--codebook", type=Path, metavar="FILE", help=_("a theme codebook saved from the Comments page"))
    c.add_argument("--json", action="store_true", help=_("print one JSON object"))
    c.add_argument("--period", choices=["week", "month", "quarter", "half", "year", "wave"], default="quarter",
                   help=_("with --json: each theme's share by this period (and by department); default quarter"))
    r = sub.add_parser("report", help=_("write the meeting deck as PowerPoint or PDF"))
    _survey_options(r)
    r.add_argument("--format", choices=["pptx", "pdf"], default="pptx", help=_("pptx (default) or pdf"))
    r.add_argument("--per-department", action="store_true",
                   help=_("a zip with the organisation's deck and one deck per department"))
    r.add_argument("--template", type=Path, metavar="FILE", help=_("a .potx or .pptx whose layouts the deck uses"))
    r.add_argument("--organisation", default="", metavar="NAME", help=_("the name on the title slide"))
    r.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help=_("folder to write to (default: here)"))
    pub = sub.add_parser("publish", help=_("publish the analysis as a named snapshot that holds only released figures"))
    _survey_options(pub)
    pub.add_argument("--name", required=True, metavar="NAME", help=_("the snapshot's name, such as “Spring 2026”"))
    pub.add_argument("--store", metavar="URL",
                     help=_("the snapshot store: sqlite:///FILE or postgresql://USER@HOST/DB (default: "
                            "SURVEY_EXPLORER_STORE, else a SQLite file in your data folder)"))
    snaps = sub.add_parser("snapshots", help=_("list, rename, withdraw, restore or delete published snapshots"))
    snaps.add_argument("--store", metavar="URL", help=_("the snapshot store (as for publish)"))
    snaps.add_argument("--rename", nargs=2, metavar=("ID", "NAME"), help=_("give a snapshot another name"))
    snaps.add_argument("--withdraw", metavar="ID", help=_("withdraw a snapshot: kept, but nobody sees it"))
    snaps.add_argument("--restore", metavar="ID", help=_("publish a withdrawn snapshot again"))
    snaps.add_argument("--delete", metavar="ID", help=_("delete a snapshot and everything it holds"))
    snaps.add_argument("--json", action="store_true", help=_("print one JSON object"))
    acc = sub.add_parser("access", help=_("the access list: who may see which units once sign-in is on"))
    acc.add_argument("--store", metavar="URL", help=_("the snapshot store (as for publish)"))
    acc.add_argument("--grant", metavar="WHO", help=_("an e-mail address, or group:NAME for an identity provider's group"))
    acc.add_argument("--role", choices=["lead", "manager"], help=_("with --grant: lead (everything) or manager (units)"))
    acc.add_argument("--unit", action="append", metavar="NAME", help=_("with --grant and manager: a unit (repeatable)"))
    acc.add_argument("--revoke", metavar="WHO", help=_("take a line off the access list"))
    acc.add_argument("--load", type=Path, metavar="FILE",
                     help=_("lines from a CSV file: who, role and units (separated by | or ;), one per row"))
    acc.add_argument("--json", action="store_true", help=_("print one JSON object"))
    one = sub.add_parser("snapshot", help=_("the figures of a published snapshot, for departments, a unit or level, "
                                            "whole months and segment values"))
    one.add_argument("id", metavar="ID", help=_("the snapshot's id (python -m lib snapshots lists them)"))
    one.add_argument("--store", metavar="URL", help=_("the snapshot store (as for publish)"))
    one.add_argument("--department", action="append", metavar="NAME", help=_("keep only this department (repeatable)"))
    one.add_argument("--unit", metavar="NAME", help=_("with an organisation: show this unit and its units"))
    one.add_argument("--level", type=int, metavar="N",
                     help=_("with an organisation: show every unit at this level (1: the top)"))
    one.add_argument("--since", metavar="YYYY-MM-DD", help=_("first day to include (employee figures: whole months)"))
    one.add_argument("--until", metavar="YYYY-MM-DD", help=_("last day to include (employee figures: whole months)"))
    one.add_argument("--segment", action="append", metavar="COLUMN=VALUE",
                     help=_("keep only rows with this value (repeatable)"))
    one.add_argument("--as", dest="as_user", metavar="EMAIL",
                     help=_("show what this person sees by the access list (a manager: their units and the total)"))
    one.add_argument("--group", action="append", metavar="NAME", help=_("with --as: an identity provider's group of theirs"))
    one.add_argument("--deck", type=Path, metavar="FILE.pptx|FILE.pdf",
                     help=_("also write the view as a meeting deck (PowerPoint or PDF, by the file's ending)"))
    one.add_argument("--json", action="store_true", help=_("print one JSON object"))
    m = sub.add_parser("make-sample", help=_("write the demo workbooks to sample_data/"))
    m.add_argument("--out", type=Path, default=None, help=_("folder to write to (default: sample_data/)"))
    return parser


def _sheet(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value


def _file(path: Path, kind: str, sheet: str | None, columns: dict[str, str], scales: dict[str, str],
          encoding: str | None, hme: dict[str, str]) -> File:
    """One survey file named on the command line, with its choices; one sentence when it cannot be opened."""
    from lib.load import File

    try:
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise OptionError(msg("There is no file “{path}”; check the path.", path=str(path))) from None
    except IsADirectoryError:
        raise OptionError(msg("“{path}” is a folder; give the survey file itself.", path=str(path))) from None
    except OSError as exc:
        raise OptionError(msg("“{path}” could not be opened ({why}).", path=str(path), why=exc.strerror or exc)) from None
    return File(path.name, path, kind, _sheet(sheet), columns, scales, encoding, hme)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _fmt(x: float | None, kind: str = "score") -> str:
    """A figure as the presentation model writes it (:func:`lib.present.model.number`: the output language's style,
    the decimals of its kind)."""
    from lib.present.model import number

    return number(x, kind)


def _file_lines(note: FileNote) -> list[str]:
    """A file's name, rows used, rows left out by reason, value issues and every column's role with its reason."""
    lines = [f"{note.label}: {note.name}", f"  {note.used}"]
    lines += [f"  - {x}" for x in note.left_out]
    lines += [f"  ! {x}" for x in note.issues]
    lines += [f"    {role:<13} {column[:60]}  ({why})" for role, column, why in note.roles]
    return lines


def _figure_line(f: Figure) -> str:
    """"Customer NPS: 12.5  [6.1 to 18.9]  n = 364": the figure, its interval, its side figures and its n."""
    parts = [f"{f.label}: {f.value}", *([f"[{f.interval}]"] if f.interval else [])]
    parts += [f"{label} = {value}" for label, value in f.details]
    return "  ".join(parts + ([f"n = {f.n}"] if f.n else []))


def _headline_lines(p: Presentation) -> list[str]:
    return [_figure_line(f) for f in p.figures if f.group != "linkage"]


def _department_lines(p: Presentation) -> list[str]:
    """The department table as the model wrote it, in aligned columns; hidden cells spelled out."""
    t = p.table("departments")
    if t is None or t.empty:
        return []
    table = [list(t.columns)] + [[row[0].text[:34], *(c.text for c in row[1:])] for row in t.rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(t.columns))]
    return ["  ".join(c.rjust(widths[i]) if t.numeric[i] else c.ljust(widths[i]) for i, c in enumerate(r)).rstrip()
            for r in table]


def _linkage_lines(p: Presentation) -> list[str]:
    t = p.table("linkage")
    if t is None:
        return []
    lines = ["", f"{t.title}:"]
    for f in p.figures:
        if f.group == "linkage":
            lines.append("  " + _figure_line(f) + (f"  ({f.help})" if f.help else ""))
    return lines + [f"  - {note}" for note in t.notes]


def render_text(s: Summary) -> str:
    """A readable report of a summary, from its presentation model (:func:`lib.present.model.present`): files and
    roles, headline figures, departments, linkage, notes."""
    from lib.present.model import present

    from lib.present.model import view_text

    p = present(s)
    lines: list[str] = []
    for note in p.files:
        lines += _file_lines(note)
    view = view_text(s)
    lines += [*(["", _("View: {view}").format(view=view)] if view else []), "", *_headline_lines(p), "",
              *_department_lines(p), *_linkage_lines(p)]
    lines += [_("Note: {text}").format(text=w) for w in p.warnings]
    return "\n".join([*lines, *p.footnotes])


def _read_setup(path: Path | None) -> Setup:
    from lib.setup import Setup, from_json

    if path is None:
        return Setup()
    return from_json(_file_bytes(Path(path), msg("“{path}” is a folder; give the setup file itself.", path=str(path))))


def _file_bytes(path: Path, folder: Msg) -> bytes:
    """A file's bytes; what stops reading it said as it is (``folder`` when the path is a folder)."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise OptionError(folder) from None
    except FileNotFoundError:
        raise OptionError(msg("There is no file “{path}”; check the path.", path=str(path))) from None
    except PermissionError:
        raise OptionError(msg("“{path}” may not be read (permission denied); give a file you may read, or ask for "
                              "access to it.", path=str(path))) from None
    except OSError as exc:
        raise OptionError(msg("“{path}” could not be read ({why}); check the path and the disk.", path=str(path),
                              why=exc.strerror or type(exc).__name__)) from None


def _filters(args: argparse.Namespace, setup: Setup) -> Filters:
    """The command line's filters, else the setup's."""
    from lib.figures.filters import Filters, parse_date

    segments: dict[str, set[str]] = {c: set(v) for c, v in setup.segments.items()} if not args.segment else {}
    for v in args.segment or []:
        col, value = next(iter(_pairs([v], "COLUMN=VALUE").items()))
        segments.setdefault(col, set()).add(value)
    departments = args.department or setup.departments
    since, until = args.since or setup.since, args.until or setup.until
    return Filters(departments=frozenset(departments) if departments else None,
                   since=parse_date(since) if since else None, until=parse_date(until) if until else None,
                   segments=tuple((c, frozenset(v)) for c, v in segments.items()))


def _choices(args: argparse.Namespace, setup: Setup) -> Choices:
    """The command line's thresholds, mapping and measures, over the setup's."""
    from lib.load import Choices

    organisation = None
    if args.org_file is not None:
        from lib.survey.hierarchy import read_organisation

        if not args.org_file.is_file():
            raise OptionError(msg("The organisation file {file} does not exist; check the path after --org-file.",
                                  file=str(args.org_file)))
        organisation = read_organisation(args.org_file, args.org_file.name)
    return Choices(args.min_group, args.min_customers, mapping=tuple(_pairs(args.map, "NAME=NAME").items()),
                   customer_measure=args.link_customer, employee_measure=args.link_employee,
                   organisation=organisation, unit=args.unit, level=args.level).over(setup)


def _files(args: argparse.Namespace, setup: Setup) -> list[File]:
    """Every file with the setup's and the command line's roles, scales, sheet and HME columns (the same for every
    file of a survey)."""
    c_columns = {**setup.customer.columns, **_pairs(args.customer_column, "COLUMN=ROLE")}
    e_columns = {**setup.employee.columns, **_pairs(args.employee_column, "COLUMN=ROLE")}
    for name in args.reverse or []:
        e_columns[name] = "reverse-item"
    scales = _pairs(args.scale, "COLUMN=LOW-HIGH")
    c_scales = {**setup.customer.scales, **({} if args.employee else scales)}
    e_scales = {**setup.employee.scales, **scales}
    hme = {**setup.hme, **{code.upper(): col for code, col in _pairs(args.hme, "CODE=COLUMN").items()}}
    c_sheet, e_sheet = args.customer_sheet or setup.customer.sheet, args.employee_sheet or setup.employee.sheet
    for option, sheet, paths in (("--customer-sheet", args.customer_sheet, args.customer),
                                 ("--employee-sheet", args.employee_sheet, args.employee)):
        if sheet and paths and not any(Path(p).suffix.lower() in WORKBOOK_SUFFIXES for p in paths):
            raise OptionError(msg("{option} names a sheet, but “{name}” is a text file with none; leave {option} out.",
                                  option=option, name=Path(paths[0]).name))
    return [*(_file(path, "customer", c_sheet, c_columns, c_scales, args.encoding, {}) for path in args.customer or []),
            *_source(args, c_columns, c_scales),
            *(_file(path, "employee", e_sheet, e_columns, e_scales, args.encoding, hme) for path in args.employee or [])]


def _source(args: argparse.Namespace, columns: dict[str, str], scales: dict[str, str]) -> list[File]:
    """``--customer-source`` with ``--customer-table`` or ``--customer-query``: the customer answers counted where
    they live (:mod:`lib.survey.aggregate`)."""
    from lib.load import File
    from lib.read.sources import Source

    if not args.customer_source:
        return []
    source = Source(args.customer_source, args.customer_table, args.customer_query)
    return [File(source.name, source, "customer", None, dict(columns), dict(scales))]


def _header_row(text: str) -> int:
    """``--header-row``: a spreadsheet row number, 1 or more."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("the header row is a row number, 1 or more, not “{text}”").format(text=text))
    return int(text)


def _explain(found: Loading) -> None:
    """``--explain``: each file's reading (:mod:`lib.detect.review`) on stderr, "!" before what rests on thin
    evidence."""
    from lib.detect.review import as_text, review, survey_review
    from lib.privacy.surfaces import reading_withheld

    for item in found.loaded:
        if item.survey is not None:
            lines = survey_review(item.survey, reading_withheld(item.survey, found.settings.min_group))
        elif item.detection is not None:
            lines = review(item.detection)  # type: ignore[arg-type]
        else:
            continue
        sys.stderr.write(_("How “{name}” was read:").format(name=item.file.name) + "\n")
        sys.stderr.write("".join(line + "\n" for line in as_text(lines)))


def _load(args: argparse.Namespace, setup: Setup) -> Loading:
    """The files read and put together by :func:`lib.load.load`; the first problem ends the command."""
    from lib.load import load

    if (args.customer_table or args.customer_query) and not args.customer_source:
        raise OptionError(msg("--customer-table and --customer-query need --customer-source URI."))
    if args.customer is None and args.employee is None and not args.customer_source:
        raise OptionError(msg("Give at least one survey file with --customer FILE or --employee FILE."))
    _check_linkage_options(args)
    choices = _choices(args, setup)
    choices.settings()  # a threshold that is not valid is said before any file is read
    files = _files(args, setup)
    part = _pairs(args.part, "COLUMN=VALUE")
    for f in files:
        f.header_row = args.header_row
        f.part, f.part_optional = dict(part), True
    found = load(files, choices, setup=setup)
    if args.explain:
        _explain(found)
    if all(item.detection is not None for item in found.loaded):
        _check_part(part, found)  # before the files' own problems: a misspelt column would leave the mixed one
    found.check()
    return found


def _check_linkage_options(args: argparse.Namespace) -> None:
    """``--link-customer``/``--link-employee`` compare the two surveys: refused, not passed over, without both."""
    for flag, value in (("--link-customer", args.link_customer), ("--link-employee", args.link_employee)):
        if value is not None and not ((args.customer or args.customer_source) and args.employee):
            raise OptionError(msg("{flag} chooses what the linkage of the two surveys compares; give both a customer "
                                  "and an employee survey, or leave it out.", flag=flag))


def _check_lag(args: argparse.Namespace, period: str | None, lag: int | None) -> None:
    """``--lag`` is refused without a period and outside 0–2, before any file is read."""
    from lib.figures.lagged import LAGS

    if args.lag is not None and period is None:
        raise OptionError(msg("--lag needs --period: the lag counts periods (for example --period quarter --lag 1)."))
    if lag is not None and lag not in LAGS:
        raise OptionError(msg("The lag must be 0, 1 or 2 periods, not {lag}.", lag=lag))


def _check_departments(filters: Filters, found: Loading) -> None:
    """``--department`` (or the setup's departments): a name neither survey holds is refused, naming those there
    are."""
    from lib.figures.summary import make_link
    from lib.privacy.groups import key

    if filters.departments is None:
        return
    link = make_link(found.customer, found.employee, found.settings)
    names = [n for n in link.names if n not in link.outside]  # a unit's view: only its own units
    have = {key(n) for n in names}
    missing = [d for d in sorted(filters.departments) if key(d) not in have]
    if not missing:
        return
    if not names:
        raise OptionError(msg("There is no department “{name}”: neither survey has a department column; leave "
                              "--department out.", name=missing[0]))
    shown = ", ".join(f"“{n}”" for n in names[:6]) + (", …" if len(names) > 6 else "")
    raise OptionError(msg("There is no department “{name}” (the departments are {names}); check the spelling, or leave "
                          "it out.", name=missing[0], names=shown))


def _check_filters(filters: Filters, found: Loading) -> None:
    _check_departments(filters, found)
    _check_segments(filters, found)


def _check_segments(filters: Filters, found: Loading) -> None:
    """``--segment`` (or the setup's segments): a column that is no segment of either survey, or a value that may not
    be chosen, is refused in one sentence. An employee value fewer than the floor share is never a filter (as in the
    app, where it is never offered), and the values named are only those that may be."""
    from lib.figures.filters import segment_values
    from lib.privacy.groups import floor_threshold, key

    surveys = [s for s in (found.customer, found.employee) if s is not None]
    for column, values in filters.segments:
        offered: list[str] = []
        held = False
        for survey in surveys:
            if column not in survey.segments:
                continue
            held = True
            if survey.kind == "employee":
                offered += segment_values(survey, found.settings.floor).get(column, [])
            else:
                offered += [str(v) for v in survey.frame[survey.segments[column]].cat.categories]
        if not held:
            names = sorted({n for s in surveys for n in s.segments})
            raise OptionError(msg("“{column}” is not a segment column of these files (the segment columns are "
                                  "{names}); check the name, or make it a segment with --employee-column or "
                                  "--customer-column.", column=column,
                                  names=", ".join(f"“{n}”" for n in names) or "none"))
        have = {key(v) for v in offered}
        for value in sorted(values):
            if key(value) not in have:
                shown = ", ".join(f"“{v}”" for v in list(dict.fromkeys(offered))[:8]) or "none"
                raise OptionError(msg("“{value}” is not a value of “{column}” that may be chosen (the values are "
                                      "{values}; a value fewer than {k} respondents share is never a filter).",
                                      value=value, column=column, values=shown,
                                      k=found.settings.floor or floor_threshold()))


def _check_part(part: dict[str, str], found: Loading) -> None:
    """``--part``: a column no file holds is said, not passed over in every file."""
    from lib.values.vocab import normalize

    names = [c.name for item in found.loaded if item.detection is not None for c in item.detection.columns]
    for column in part:
        if not any(normalize(n) == normalize(column) for n in names):
            raise OptionError(msg("No file has a column “{name}” for --part; use one of: {names}.", name=column,
                                  names=", ".join(f"“{n}”" for n in names[:12])))


def run_summary(args: argparse.Namespace) -> int:
    from lib.figures.summary import summarize

    setup = _read_setup(args.setup)
    filters = _filters(args, setup)
    period = args.period or setup.period
    lag = args.lag if args.lag is not None else setup.lag
    _check_lag(args, period, lag)
    found = _load(args, setup)
    _check_filters(filters, found)
    customer, employee, settings = found.customer, found.employee, found.settings
    summary = summarize(customer, employee, filters, settings)
    over_time = _over_time(customer, employee, filters, settings, period, lag) if period else None
    if not args.json and (args.codebook or args.themes):
        raise OptionError(msg("--codebook and --themes shape the themes of --json; add --json, or use the comments "
                              "command for the themes as text."))
    if args.json:
        out = summary.as_dict()
        if over_time is not None:
            out["over_time"] = over_time
        out["themes"] = _themes(summary, setup, args.codebook, suggest=args.themes)
        sys.stdout.write(json.dumps(_clean(out), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(summary) + ("\n\n" + _over_time_text(over_time) if over_time else "") + "\n")
    return 0


def _reports(summary: object, setup: Setup, path: Path | None, suggest: bool = True) -> dict[str, object]:
    """Each side's comment themes (:func:`lib.figures.themes.comment_report`), coded by ``path``'s codebook, else
    the setup's, else the starter."""
    from lib.figures.themes import comment_report
    from lib.i18n import get_language

    book = _codebook(setup, path)
    reports = {side: comment_report(summary, side, book, get_language(), suggest) for side in ("customer", "employee")}
    return {side: r for side, r in reports.items() if r is not None}


def _codebook(setup: Setup, path: Path | None) -> object:
    """``path``'s codebook, else the setup's, else the starter."""
    from lib.figures.themes import Codebook

    if path is not None:
        try:
            book = Codebook.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError):
            raise OptionError(msg("This is not a theme codebook saved by the survey explorer; save it again from the "
                                  "Comments page.")) from None
    else:
        book = Codebook.from_dict(setup.codebook) if setup.codebook else Codebook.starter()
    return book


def _themes(summary: object, setup: Setup, path: Path | None, suggest: bool = True) -> dict[str, object]:
    return {side: r.as_dict() for side, r in _reports(summary, setup, path, suggest).items()}  # type: ignore[attr-defined]


def run_comments(args: argparse.Namespace) -> int:
    """``python -m lib comments``: the themes of each side's comments, as text or JSON."""
    from lib.figures.summary import summarize
    from lib.present.comment_views import key_table

    setup = _read_setup(args.setup)
    found = _load(args, setup)
    filters = _filters(args, setup)
    _check_filters(filters, found)
    summary = summarize(found.customer, found.employee, filters, found.settings)
    reports = _reports(summary, setup, args.codebook)
    if args.json:
        from lib.figures.themes import theme_breakdown
        from lib.i18n import get_language

        out = {side: r.as_dict() for side, r in reports.items()}  # type: ignore[attr-defined]
        book = _codebook(setup, args.codebook)
        for side in out:
            out[side]["by_group"] = theme_breakdown(summary, side, book, get_language(), args.period)  # type: ignore[index]
        sys.stdout.write(json.dumps(_clean(out), ensure_ascii=False) + "\n")
        return 0
    if not reports:
        raise OptionError(msg("Neither survey has a comment column; name it with --customer-column or "
                              "--employee-column COLUMN=comment."))
    for side, report in reports.items():
        k = found.settings.min_group if side == "employee" else 5
        sys.stdout.write(f"== {_('Customers') if side == 'customer' else _('Employees')}: "
                         f"{_fmt(report.comments, 'count')} ==\n")  # type: ignore[attr-defined]
        sys.stdout.write(_theme_text(report, k) + "\n")
        words = key_table(report.key_words)  # type: ignore[attr-defined]
        if not words.empty:
            sys.stdout.write(_("What detractors say more than promoters") + "\n")
            sys.stdout.write(words.head(15).to_string(index=False) + "\n")
        for note in report.notes:  # type: ignore[attr-defined]
            sys.stdout.write(f"{note}\n")
    return 0


def _theme_text(report: object, k: int) -> str:
    """The theme table as text: a hidden theme's cells carry the hidden mark (:func:`lib.privacy.groups.hidden_text`),
    a figure that does not exist a dash; never "NaN"."""
    from lib.present.comment_views import theme_table
    from lib.privacy.groups import hidden_text

    table = theme_table(report, k)  # type: ignore[arg-type]
    if table.empty:
        return _("No theme is mentioned.")
    hidden = [bool(t.hidden) for t in report.themes]  # type: ignore[attr-defined]
    mark = str(hidden_text("small", k))
    table = table.drop(columns=["key"]).astype(object)
    for i, is_hidden in enumerate(hidden):
        row = table.iloc[i]
        table.iloc[i] = [mark if is_hidden and _blank(v) else "–" if _blank(v) else v for v in row]
    return table.to_string(index=False)


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _over_time(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings, period: str,
               lag: int | None) -> dict[str, object]:
    """Each period's headline figures, the change between the last two periods, and the lagged linkage."""
    from lib.figures.comparisons import change
    from lib.figures.lagged import lagged_linkage
    from lib.figures.periods import by_period, check_period

    kind = check_period(period)
    if not any(s is not None and s.detection.one("date") is not None for s in (customer, employee)) and kind != "wave":
        return {"period": kind, "periods": [], "note": str(msg("The files have no dates, so there are no periods to "
                                                               "show; choose their date column with --customer-column "
                                                               "or --employee-column COLUMN=date."))}
    summaries = by_period(customer, employee, filters, settings, kind)
    rows = []
    for p, s in summaries:
        e = s.engagement if s.engagement is not None and not s.engagement.suppressed else None
        rows.append({"period": p.key, "label": p.label(kind), "start": p.start.isoformat(), "end": p.end.isoformat(),
                     "nps": s.nps.as_dict() if s.nps else None, "engagement": e.as_dict() if e else None,
                     **_period_employee_note(s),
                     "enps": s.enps.as_dict() if s.enps else None,
                     "pulse": {"mean": s.pulse.mean, "n": s.pulse.n} if s.pulse else None})
    out: dict[str, object] = {"period": kind, "periods": rows}
    if len(summaries) >= 2:
        (a, before), (b, after) = summaries[-2], summaries[-1]
        out["change"] = {"from": a.key, "to": b.key, "correction": "holm",
                         "tests": [t.as_dict() for t in change(before, after)]}
    if customer is not None and employee is not None:
        lags = (lag,) if lag is not None else (0, 1, 2)
        out["lagged"] = [x.as_dict() for x in lagged_linkage(customer, employee, filters, settings, kind, lags,
                                                             summaries)]
    return out


def _period_employee_note(s: Summary) -> dict[str, object]:
    """A period's employee figures that rest on part of its responses ("employee_partial"; how many it has is not
    said: the filters' own count of people is not a released figure), or why none is shown ("employee_hidden")."""
    from lib.privacy.groups import hidden_text

    view, k = s.employee_view, s.settings.min_group
    if view is None or not view.chosen.any():
        return {}
    if view.shown and view.left_out:
        return {"employee_partial": True}
    if not view.shown:  # no count: a hidden selection says only why it is hidden
        return {"employee_hidden": str(hidden_text("small" if int(view.chosen.sum()) < k else "cut", k))}
    return {}


def _over_time_text(over_time: dict[str, object]) -> str:
    lines = [_("Periods ({kind})").format(kind=over_time["period"])]
    if over_time.get("note"):
        return "\n".join([*lines, f"  {over_time['note']}"])
    for row in over_time["periods"]:  # type: ignore[union-attr]
        nps = row["nps"]["score"] if row["nps"] else None
        eng = row["engagement"]["index"] if row["engagement"] else None
        shown = _fmt(eng)
        if eng is not None and row.get("employee_partial"):
            shown += " (" + _("rests on part of its responses: whole groups only") + ")"
        elif row.get("employee_hidden"):
            shown += f" ({row['employee_hidden']})"
        lines.append(_("  {label}: NPS {nps}, engagement {engagement}").format(label=row["label"], nps=_fmt(nps),
                                                                               engagement=shown))
    for x in over_time.get("lagged", []):  # type: ignore[union-attr]
        lines.append(_("Lag {lag}: r = {r} over {n} department-periods").format(
            lag=x["lag"], r=_fmt(x["pearson_r"], "r"), n=_fmt(x["departments"], "count")))
    return "\n".join(lines)


def _read_template(path: Path) -> bytes:
    """The template's bytes, once opened with python-pptx (through an empty deck), so that a file it cannot read
    stops both the organisation deck and the department decks with one sentence before anything is built."""
    from lib.deck import pptx, slides

    data = _file_bytes(path, msg("“{path}” is a folder; give the template file itself.", path=str(path)))
    try:
        pptx.pptx_bytes(slides.Deck("template", ()), data)
    except Exception as exc:  # noqa: BLE001 - whatever python-pptx raises, the cause is the file given
        raise OptionError(msg("The template “{path}” could not be used ({why}); give a .potx or .pptx saved by "
                              "PowerPoint.", path=str(path), why=type(exc).__name__)) from None
    return data


def run_report(args: argparse.Namespace) -> int:
    """``python -m lib report``: the organisation's deck, or with --per-department a zip of decks."""
    from lib.deck import files, slides as report
    from lib.figures.summary import summarize

    setup = _read_setup(args.setup)
    template = None if args.template is None else _read_template(args.template)
    filters = _filters(args, setup)
    found = _load(args, setup)
    _check_filters(filters, found)
    summary = summarize(found.customer, found.employee, filters, found.settings)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.per_department:
        path = args.out / f"{report.organisation_deck(summary).name}-{args.format}.zip"
        path.write_bytes(files.bundle(summary, args.format, args.organisation, template=template))
    else:
        deck = report.organisation_deck(summary, args.organisation)
        path = args.out / f"{deck.name}.{args.format}"
        try:
            path.write_bytes(files.render(deck, args.format, template))
        except (KeyError, ValueError, OSError) as exc:  # a template python-pptx cannot read
            if template is None:
                raise
            raise OptionError(msg("The template “{path}” could not be used ({why}); give a .potx or .pptx saved by "
                                  "PowerPoint.", path=str(args.template), why=type(exc).__name__)) from None
    sys.stdout.write(f"{path}\n")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    """``python -m lib publish``: the analysis (files, setup, thresholds; no filters) as a snapshot in the store."""
    from lib.publish.snapshot import build, employee_digest
    from lib.publish.store import Store

    if args.department or args.since or args.until or args.segment or args.unit or args.level is not None:
        raise OptionError(msg("A snapshot keeps the whole analysis; its viewers choose departments, units, dates and "
                              "segments. Leave out --department, --unit, --level, --since, --until and --segment."))
    setup = _read_setup(args.setup)
    found = _load(args, setup)
    snapshot = build(args.name, found.customer, found.employee, found.settings, digest=employee_digest(found.loaded))
    sid = Store.open(args.store).publish(snapshot)
    sys.stdout.write(_("Published snapshot {id}: {name}").format(id=sid, name=args.name) + "\n")
    return 0


def run_snapshots(args: argparse.Namespace) -> int:
    """``python -m lib snapshots``: change one snapshot when asked, then list them all."""
    from lib.publish.store import Store

    store = Store.open(args.store)
    if args.rename:
        store.rename(_snapshot_id(args.rename[0]), args.rename[1])
    for action, sid in (("withdraw", args.withdraw), ("restore", args.restore), ("delete", args.delete)):
        if sid is not None:
            getattr(store, action)(_snapshot_id(sid))
    listed = store.list()
    if args.json:
        sys.stdout.write(json.dumps({"snapshots": [vars(x) for x in listed]}, ensure_ascii=False) + "\n")
        return 0
    labels = {"published": _("published"), "withdrawn": _("withdrawn")}
    for x in listed:
        sys.stdout.write(f"{x.id:>5}  {x.published_at[:16].replace('T', ' ')}  {labels[x.status]:<10}  {x.name}\n")
    if not listed:
        sys.stdout.write(_("No snapshot has been published.") + "\n")
    return 0


def run_snapshot(args: argparse.Namespace) -> int:
    """``python -m lib snapshot ID``: a published snapshot's figures for the viewer's choices."""
    from lib.present import published
    from lib.publish.store import Store
    from lib.publish.views import parse_choice, role_of, view, view_as

    segments: dict[str, list[str]] = {}
    for pair in args.segment or []:  # a column may be given several values
        column, value = next(iter(_pairs([pair], "COLUMN=VALUE").items()))
        segments.setdefault(column, []).append(value)
    choice = parse_choice(args.department, args.unit, args.level, args.since, args.until, segments)
    fmt = None if args.deck is None else args.deck.suffix.lower().lstrip(".")
    if fmt is not None and fmt not in ("pptx", "pdf"):
        raise OptionError(msg("“{path}” ends in neither .pptx nor .pdf; name the deck file with one of them.",
                              path=str(args.deck)))
    store = Store.open(args.store)
    snapshot = store.load(_snapshot_id(args.id))
    total = None
    if args.as_user is not None:  # an empty address is nobody, never everyone
        role, units = role_of(store.access(), args.as_user, args.group or [])
        v, total = view_as(snapshot, choice, role, units)
    else:
        v = view(snapshot, choice)
    if args.deck is not None:
        from lib.deck import files
        from lib.deck.published import deck

        try:
            args.deck.write_bytes(files.render(deck(v, total, published.choice_text(choice)), fmt or "pptx"))
        except OSError as exc:
            raise OptionError(msg("The deck could not be written to “{path}” ({why}); choose another file.",
                                  path=str(args.deck), why=exc.strerror or type(exc).__name__)) from None
    if args.json:
        def figure(r: object, value: str) -> object:
            return None if r is None else {"value": getattr(r, value), "n": r.n,  # type: ignore[attr-defined]
                                           "ci95": list(getattr(r, "ci95", None) or getattr(r, "index_ci95", None) or [])}

        out = {"snapshot": v.name, "k": v.k, "engagement": figure(v.engagement, "index"), "enps": figure(v.enps, "score"),
               "nps": figure(v.nps, "score"), "left_out": v.left_out, "notes": v.notes, "comments": v.comments,
               "statements": v.statements, "linkage": v.linkage.as_dict() if v.linkage is not None else None,
               "organisation_total": None if total is None else {"engagement": figure(total.engagement, "index"),
                                                                 "enps": figure(total.enps, "score"),
                                                                 "nps": figure(total.nps, "score")},
               "units": [{"unit": u.unit, "employee_n": u.employee_n, "hidden": u.hidden,
                          "engagement": figure(u.engagement, "index"), "enps": figure(u.enps, "score"),
                          "nps": figure(u.nps, "score"), "customer_n": u.customer_n} for u in v.units]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, default=str) + "\n")
        return 0
    sys.stdout.write(published.text(v, total) + "\n")
    return 0


def run_access(args: argparse.Namespace) -> int:
    """``python -m lib access``: grant, revoke or load lines of the access list, then list it."""
    from lib.publish.store import Store, grant_of, grants_from_file

    store = Store.open(args.store)
    if args.grant:
        if args.role is None:
            raise OptionError(msg("--grant needs --role lead or --role manager."))
        line = grant_of(args.grant, args.role, args.unit or [])
        store.grant(line)
        known = store.newest_units()
        unknown = [u for u in line.units if known and u not in known]
        if unknown:
            sys.stdout.write(_("Not in the newest snapshot: {units}; check the spelling.").format(
                units=", ".join(unknown)) + "\n")
    if args.revoke:
        store.revoke(args.revoke.removeprefix("group:"))
    if args.load is not None:
        store.grant_all(grants_from_file(args.load))
    lines = store.access()
    if args.json:
        sys.stdout.write(json.dumps({"access": [vars(x) | {"units": list(x.units)} for x in lines]},
                                    ensure_ascii=False) + "\n")
        return 0
    for x in lines:
        sys.stdout.write(f"{x.who:<40}  {x.role:<8}  {', '.join(x.units)}\n")
    if not lines:
        sys.stdout.write(_("The access list is empty.") + "\n")
    return 0


def _snapshot_id(text: str) -> int:
    if not (text.strip().isascii() and text.strip().isdigit() and len(text.strip()) <= 12):
        raise OptionError(msg("“{text}” is not a snapshot id; the ids are the numbers python -m lib snapshots lists.",
                              text=text))
    return int(text)


def _language(argv: Sequence[str]) -> str:
    """The language asked for with ``--lang`` (read before the parser is built: its help is translated too),
    else the system's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English."""
    import os

    from lib.i18n import DEFAULT_LANGUAGE, language_for

    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = language_for(os.environ.get(name))
        if found:
            return found
    return DEFAULT_LANGUAGE


def main(argv: Sequence[str] | None = None) -> int:
    from lib.i18n import set_language

    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "make-sample":
            from lib.sample import SAMPLE_DIR, write_sample

            for path in write_sample(args.out or SAMPLE_DIR):
                sys.stdout.write(f"{path}\n")
            return 0
        commands = {"report": run_report, "comments": run_comments, "publish": run_publish, "snapshots": run_snapshots,
                    "snapshot": run_snapshot, "access": run_access}
        return commands.get(args.command, run_summary)(args)
    except SurveyError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except MemoryError:
        sys.stderr.write("error: " + _("The file is too large to summarise in the memory available; split it and try "
                                       "again.") + "\n")
        return EXIT_USAGE
    except OSError as exc:  # a folder that cannot be written, a file that went away while it was read
        sys.stderr.write("error: " + _("“{path}” could not be used ({why}); check the path and its permissions.").format(
            path=exc.filename or "", why=exc.strerror or type(exc).__name__) + "\n")
        return EXIT_USAGE
    except Exception as exc:  # a bug of ours: one line that says so and where, still no traceback
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        sys.stderr.write("error: " + _("The explorer failed ({what} in {where}); this is a bug: please report it with "
                                       "the command you ran.").format(
            what=type(exc).__name__, where=f"{Path(frame.filename).name}:{frame.lineno}") + "\n")
        return EXIT_BUG
