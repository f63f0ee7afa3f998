"""The command line: ``python -m lib summary …`` and ``python -m lib make-sample``.

Unusable input ends with one line on stderr that says what is wrong and what to
do, and exit status 2 — never a traceback.
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
from lib.i18n import _, format_number, msg
from lib.figures.metrics import DEFAULT_MIN_CUSTOMERS
from lib.privacy.groups import DEFAULT_MIN_GROUP, hidden_explanation, hidden_text
from lib.read.table import ENCODINGS

if TYPE_CHECKING:  # imported by the commands that use them (SciPy, for one, only when a correlation is computed)
    from lib.figures.filters import Filters
    from lib.setup import Setup
    from lib.figures.summary import Settings, Summary
    from lib.survey.frame import Survey

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        sys.stderr.write(f"{self.prog}: {message} (see --help)\n")
        raise SystemExit(EXIT_USAGE)


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        if "=" not in v:
            raise OptionError(msg("“{value}” should be written {what}, with an equals sign.", value=v, what=what))
        left, right = v.rsplit("=", 1) if what == "COLUMN=ROLE" else v.split("=", 1)
        out[left.strip()] = right.strip()
    return out


def _survey_options(p: argparse.ArgumentParser) -> None:
    """The files and every choice about them, shared by ``summary`` and ``report``."""
    p.add_argument("--customer", type=Path, action="append",
                   help=_("customer survey export (.xlsx .xlsm .xls .ods .csv); repeat it for one file per wave"))
    p.add_argument("--employee", type=Path, action="append",
                   help=_("employee survey export; repeat it for one file per wave"))
    p.add_argument("--min-group", type=int, default=None, metavar="K",
                   help=_("anonymity threshold: groups with fewer employee responses show no figures (default 5, at least 3)"))
    p.add_argument("--min-customers", type=int, default=None, metavar="M",
                   help=_("customer answers a department needs to count in the correlation (default 10)"))
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
    p.add_argument("--map", action="append", metavar="NAME=NAME",
                   help=_("treat a department name as another, to join renamed units (repeatable)"))
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
    r = sub.add_parser("report", help=_("write the meeting deck as PowerPoint or PDF"))
    _survey_options(r)
    r.add_argument("--format", choices=["pptx", "pdf"], default="pptx", help=_("pptx (default) or pdf"))
    r.add_argument("--per-department", action="store_true",
                   help=_("a zip with the organisation's deck and one deck per department"))
    r.add_argument("--template", type=Path, metavar="FILE", help=_("a .potx or .pptx whose layouts the deck uses"))
    r.add_argument("--organisation", default="", metavar="NAME", help=_("the name on the title slide"))
    r.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help=_("folder to write to (default: here)"))
    m = sub.add_parser("make-sample", help=_("write the demo workbooks to sample_data/"))
    m.add_argument("--out", type=Path, default=None, help=_("folder to write to (default: sample_data/)"))
    return parser


def _sheet(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value


def _load(path: Path | None, kind: str, sheet: str | None, columns: dict[str, str], scales: dict[str, str] | None = None,
          encoding: str | None = None, other_units: tuple[str, ...] = (), setup: Setup | None = None
          ) -> Survey | None:
    if path is None:
        return None
    try:
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise OptionError(msg("There is no file “{path}”; check the path.", path=str(path))) from None
    except IsADirectoryError:
        raise OptionError(msg("“{path}” is a folder; give the survey file itself.", path=str(path))) from None
    except OSError as exc:
        raise OptionError(msg("“{path}” could not be opened ({why}).", path=str(path), why=exc.strerror or exc)) from None
    from lib.survey.frame import load_survey

    try:
        return load_survey(path, path.name, kind=kind, sheet=_sheet(sheet), columns=columns, scales=scales,
                           encoding=encoding, other_units=other_units)
    except SurveyError:
        if setup is None or not (getattr(setup, kind).named() or (kind == "employee" and setup.hme)):
            raise
        plain = load_survey(path, path.name, kind=kind, sheet=_sheet(sheet), encoding=encoding)
        setup.check_fits(kind, path.name, [c.name for c in plain.detection.columns])  # names every missing column
        raise


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _fmt(x: float | None, digits: int = 1) -> str:
    """A figure in the output language's number style (decimal comma in Swedish and Finnish)."""
    return "–" if x is None else format_number(x, digits)


def _ci(ci: tuple[float, float] | list[float] | None, digits: int = 1) -> str:
    return "" if not ci else f"[{_fmt(ci[0], digits)} – {_fmt(ci[1], digits)}]"


def _file_lines(survey: Survey, label: str) -> list[str]:
    """A file's name, rows used, rows left out by reason, value issues and every column's role with its reason."""
    lines = [f"{label}: {survey.name}" + (f" [{survey.sheet}]" if survey.sheet else ""),
             "  " + _("{kept} of {rows} rows used").format(kept=len(survey.frame), rows=survey.total_rows)]
    lines += [f"  - {sk.count} × {sk.message}" for sk in survey.skipped]
    lines += [f"  ! {issue.column}: {issue.message}" for issue in survey.issues]
    reversed_items = {i.name: i.reverse_reason for i in survey.items if i.reverse}
    for c in survey.detection.columns:
        if c.role != "ignore":
            role, why = c.role, c.reason
            if c.name in reversed_items:
                role, why = "reverse-item", reversed_items[c.name] or why
            lines.append(f"    {role:<13} {c.name[:60]}  ({why})")
    return lines


def _headline_lines(s: Summary) -> list[str]:
    lines = []
    k = s.settings.min_group
    if s.nps is not None:
        lines.append(_("Customer NPS: {score} {ci}  n = {n}").format(score=_fmt(s.nps.score), ci=_ci(s.nps.ci95), n=s.nps.n))
    e = s.engagement
    if e is None:
        return lines
    if e.suppressed:
        lines.append(_("Engagement: not shown ({why})").format(
            why=hidden_text("small" if e.n < k else e.reason, k)))
    else:
        lines.append(_("Engagement index: {index}  favourable: {fav} %  n = {n}").format(
            index=_fmt(e.index), fav=_fmt(e.favorable_pct), n=e.n))
    if s.enps is not None:
        lines.append(_("eNPS: {score} {ci}  n = {n}").format(score=_fmt(s.enps.score), ci=_ci(s.enps.ci95), n=s.enps.n))
    if s.pulse is not None:
        lines.append(_("Pulse: {mean} on {low}–{high}  n = {n}").format(mean=_fmt(s.pulse.mean), low=s.pulse.low,
                                                                        high=s.pulse.high, n=s.pulse.n))
    if s.alpha is not None and s.alpha.alpha is not None:
        lines.append(_("Cronbach's alpha: {alpha} ({items} statements, n = {n})").format(
            alpha=_fmt(s.alpha.alpha, 3), items=s.alpha.items, n=s.alpha.n))
    return lines + _nordic_lines(s)


def _nordic_lines(s: Summary) -> list[str]:
    """NKI, NMI and HME when the files ask their questions, whole numbers as Kolada shows them."""
    from lib.figures.hme import SUBINDEX_NAMES

    n, k, lines = s.nordic, s.settings.min_group, []
    for label, result in ((_("NKI (unweighted)"), n.nki), (_("NMI (unweighted)"), n.nmi)):
        if result is not None:
            lines.append(_("{label}: {value}  n = {n}").format(label=label, value=_fmt(result.index, 0),
                                                               n=result.respondents))
    if n.hme is not None:
        value = str(hidden_text("small", k)) if n.hme.suppressed else _fmt(n.hme.total, 0)
        parts = ", ".join(f"{SUBINDEX_NAMES[key]} {_fmt(v, 0)}" for key, v in n.hme.subindices.items())
        lines.append(_("HME: {value} ({parts})  n = {n}").format(value=value, parts=parts, n=n.hme.respondents))
    return lines


def _department_lines(s: Summary) -> list[str]:
    """The department table, hidden cells spelled out by :mod:`lib.privacy.groups`."""
    k = s.settings.min_group
    head = [_("Department"), _("Cust. n"), _("NPS"), _("95% CI"), _("Empl. n"), _("Engagement"), _("Fav. %"), _("eNPS")]
    table = [head]
    for d in s.departments:
        e = d.engagement
        shown = [_fmt(e.index if e else None), _fmt(e.favorable_pct if e else None), _fmt(d.enps.score if d.enps else None)]
        if d.suppressed:
            shown = [str(hidden_text(d.suppressed_reason, k))] * 3
        table.append([d.department[:34], str(d.customer_n), _fmt(d.nps.score if d.nps else None),
                      _ci(d.nps.ci95 if d.nps else None), str(d.employee_n), *shown])
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    return ["  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)) for r in table]


def _linkage_lines(s: Summary) -> list[str]:
    if s.linkage is None:
        return []
    r = s.linkage.result
    lines = [""]
    if r.pearson_r is not None:
        lines.append(_("Engagement vs NPS over {n} departments: Pearson r = {r} {ci}, p = {p}; "
                       "Spearman rho = {rho}, p = {sp}").format(
            n=r.n, r=_fmt(r.pearson_r, 3), ci=_ci(r.pearson_ci95, 3),
            p=_fmt(r.pearson_p, 4), rho=_fmt(r.spearman_rho, 3), sp=_fmt(r.spearman_p, 4)))
    lines += [f"  - {ex.department}: {ex.reason}" for ex in s.linkage.excluded]
    return lines


def render_text(s: Summary) -> str:
    """A readable report of a summary: files and roles, headline figures, departments, linkage, notes."""
    lines: list[str] = []
    for survey, label in ((s.customer, _("Customer survey")), (s.employee, _("Employee survey"))):
        if survey is not None:
            lines += _file_lines(survey, label)
    lines += ["", *_headline_lines(s), "", *_department_lines(s), *_linkage_lines(s)]
    lines += [_("Note: {text}").format(text=w) for w in s.warnings]
    reasons = sorted({d.suppressed_reason for d in s.departments if d.suppressed_reason})
    lines += [str(hidden_explanation(reason, s.settings.min_group)) for reason in reasons]
    return "\n".join(lines)


def _read_setup(path: Path | None) -> Setup:
    from lib.setup import Setup, from_json

    if path is None:
        return Setup()
    try:
        return from_json(Path(path).read_bytes())
    except OSError:
        raise OptionError(msg("There is no file “{path}”; check the path.", path=str(path))) from None


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


def _settings(args: argparse.Namespace, setup: Setup) -> Settings:
    """The command line's thresholds, mapping, HME columns and measures, over the setup's."""
    from lib.figures.summary import Settings

    mapping = {**setup.mapping, **_pairs(args.map, "NAME=NAME")}
    hme = {**setup.hme, **{code.upper(): col for code, col in _pairs(args.hme, "CODE=COLUMN").items()}}
    def first(*values: int | None) -> int:
        return next(v for v in values if v is not None)

    return Settings(first(args.min_group, setup.min_group, DEFAULT_MIN_GROUP),
                    first(args.min_customers, setup.min_customers, DEFAULT_MIN_CUSTOMERS), tuple(mapping.items()),
                    hme=tuple(hme.items()), customer_measure=args.link_customer or setup.customer_measure,
                    employee_measure=args.link_employee or setup.employee_measure)


def _surveys(args: argparse.Namespace, setup: Setup) -> tuple[Survey | None, Survey | None]:
    """Both files, read with the setup's and the command line's roles and scales; a second read with the other
    survey's unit names when only one file has a unit column."""
    c_columns = {**setup.customer.columns, **_pairs(args.customer_column, "COLUMN=ROLE")}
    e_columns = {**setup.employee.columns, **_pairs(args.employee_column, "COLUMN=ROLE")}
    for name in args.reverse or []:
        e_columns[name] = "reverse-item"
    scales = _pairs(args.scale, "COLUMN=ROLE")
    c_scales = {**setup.customer.scales, **({} if args.employee else scales)}
    e_scales = {**setup.employee.scales, **scales}
    c_sheet, e_sheet = args.customer_sheet or setup.customer.sheet, args.employee_sheet or setup.employee.sheet

    def read(kind: str, units: tuple[str, ...] = ()) -> Survey | None:
        paths = (args.customer if kind == "customer" else args.employee) or []
        sheet, cols, sc = (c_sheet, c_columns, c_scales) if kind == "customer" else (e_sheet, e_columns, e_scales)
        surveys = [_load(path, kind, sheet, cols, sc, args.encoding, units, setup) for path in paths]
        if len(surveys) > 1:
            from lib.survey.stacking import in_date_order, stack

            return stack(in_date_order(surveys))
        return surveys[0] if surveys else None

    customer, employee = read("customer"), read("employee")
    if customer is not None and employee is not None:  # a unit found by its values: the other survey's unit names
        if not customer.has_units and employee.has_units:
            customer = read("customer", employee.unit_names)
        elif not employee.has_units and customer.has_units:
            employee = read("employee", customer.unit_names)
    return customer, employee


def run_summary(args: argparse.Namespace) -> int:
    from lib.figures.summary import summarize

    if args.customer is None and args.employee is None:
        raise OptionError(msg("Give at least one survey file with --customer FILE or --employee FILE."))
    setup = _read_setup(args.setup)
    filters, settings = _filters(args, setup), _settings(args, setup)
    customer, employee = _surveys(args, setup)
    summary = summarize(customer, employee, filters, settings)
    period = args.period or setup.period
    lag = args.lag if args.lag is not None else setup.lag
    over_time = _over_time(customer, employee, filters, settings, period, lag) if period else None
    if args.json:
        out = summary.as_dict()
        if over_time is not None:
            out["over_time"] = over_time
        sys.stdout.write(json.dumps(_clean(out), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(summary) + ("\n\n" + _over_time_text(over_time) if over_time else "") + "\n")
    return 0


def _over_time(customer: Survey | None, employee: Survey | None, filters: Filters, settings: Settings, period: str,
               lag: int | None) -> dict[str, object]:
    """Each period's headline figures, the change between the last two periods, and the lagged linkage."""
    from lib.figures.comparisons import change
    from lib.figures.lagged import lagged_linkage
    from lib.figures.periods import by_period, check_period

    kind = check_period(period)
    summaries = by_period(customer, employee, filters, settings, kind)
    rows = []
    for p, s in summaries:
        e = s.engagement if s.engagement is not None and not s.engagement.suppressed else None
        rows.append({"period": p.key, "label": p.label(kind), "start": p.start.isoformat(), "end": p.end.isoformat(),
                     "nps": s.nps.as_dict() if s.nps else None, "engagement": e.as_dict() if e else None,
                     "enps": s.enps.as_dict() if s.enps else None,
                     "pulse": {"mean": s.pulse.mean, "n": s.pulse.n} if s.pulse else None})
    out: dict[str, object] = {"period": kind, "periods": rows}
    if len(summaries) >= 2:
        (a, before), (b, after) = summaries[-2], summaries[-1]
        out["change"] = {"from": a.key, "to": b.key, "correction": "holm",
                         "tests": [t.as_dict() for t in change(before, after)]}
    if customer is not None and employee is not None:
        lags = (lag,) if lag is not None else (0, 1, 2)
        if any(x not in (0, 1, 2) for x in lags):
            raise OptionError(msg("The lag must be 0, 1 or 2 periods, not {lag}.", lag=lag))
        out["lagged"] = [x.as_dict() for x in lagged_linkage(customer, employee, filters, settings, kind, lags,
                                                             summaries)]
    return out


def _over_time_text(over_time: dict[str, object]) -> str:
    lines = [_("Periods ({kind})").format(kind=over_time["period"])]
    for row in over_time["periods"]:  # type: ignore[union-attr]
        nps = row["nps"]["score"] if row["nps"] else None
        eng = row["engagement"]["index"] if row["engagement"] else None
        lines.append(_("  {label}: NPS {nps}, engagement {engagement}").format(label=row["label"], nps=_fmt(nps),
                                                                               engagement=_fmt(eng)))
    for x in over_time.get("lagged", []):  # type: ignore[union-attr]
        lines.append(_("Lag {lag}: r = {r} over {n} department-periods").format(
            lag=x["lag"], r=_fmt(x["pearson_r"], 3), n=x["departments"]))
    return "\n".join(lines)


def run_report(args: argparse.Namespace) -> int:
    """``python -m lib report``: the organisation's deck, or with --per-department a zip of decks."""
    from lib.deck import files, slides as report
    from lib.figures.summary import summarize

    if args.customer is None and args.employee is None:
        raise OptionError(msg("Give at least one survey file with --customer FILE or --employee FILE."))
    setup = _read_setup(args.setup)
    template = None
    if args.template is not None:
        try:
            template = args.template.read_bytes()
        except OSError:
            raise OptionError(msg("There is no file “{path}”; check the path.", path=str(args.template))) from None
    customer, employee = _surveys(args, setup)
    summary = summarize(customer, employee, _filters(args, setup), _settings(args, setup))
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
            raise OptionError(msg("The template “{path}” could not be used ({why}); give a .potx or .pptx saved by "
                                  "PowerPoint.", path=str(args.template), why=type(exc).__name__)) from None
    sys.stdout.write(f"{path}\n")
    return 0


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
        if args.command == "report":
            return run_report(args)
        return run_summary(args)
    except SurveyError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except MemoryError:
        sys.stderr.write("error: " + _("The file is too large to summarise in the memory available; split it and try "
                                       "again.") + "\n")
        return EXIT_USAGE
