"""A layout generator: survey exports across vendor layouts × scales × header styles × codes × encodings × formats.

Each :class:`Case` names one point of that space. :func:`build` writes the file exactly as that layout would, from
answers drawn with a seed taken from the case itself, and returns the figures those answers give, computed here
from the answers written (never by the reader): eNPS or NPS, the engagement index, favourable %, each statement's
mean, and the rows that must be left out, by reason. ``tests/test_generated.py`` reads every file and compares.

Reproduce one case from its id (printed by a failing test)::

    python -m tests.generate "qualtrics|agree5-somewhat|numbered|none|csv|utf-8"   # writes /tmp/<case>.<fmt>

The layouts follow docs/formats.md, the label sets lib/values/scale_library.py (sources in docs/reading.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import random
import sys
import zlib
from dataclasses import dataclass, field

# ----------------------------------------------------------------- dimensions

VENDORS = ("qualtrics", "surveymonkey", "msforms", "googleforms", "webropol", "netigate", "questback", "plain", "long")
#: Answer scales of the statements (employee files), and "nps": a customer file with a 0–10 recommend question.
LABEL_SETS: dict[str, tuple[str, tuple[str, ...]]] = {  # key: (language, labels low → high)
    "agree5": ("en", ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")),
    # Qualtrics's 5-point agreement preset (scales.md §1): "Somewhat" at points 2 and 4
    "agree5-somewhat": ("en", ("Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
                               "Strongly agree")),
    "agree5-neutral": ("en", ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")),  # MS Forms
    "agree5-ex": ("en", ("Strongly Disagree", "Disagree", "Neither Agree nor Disagree", "Agree", "Strongly Agree")),
    "agree4": ("en", ("Strongly disagree", "Disagree", "Agree", "Strongly agree")),
    "agree6": ("en", ("Strongly disagree", "Disagree", "Somewhat disagree", "Somewhat agree", "Agree", "Strongly agree")),
    "agree7": ("en", ("Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
                      "Agree", "Strongly agree")),
    "satisfied5": ("en", ("Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied",
                          "Very satisfied")),
    "satisfied5-qualtrics": ("en", ("Extremely dissatisfied", "Somewhat dissatisfied", "Neither satisfied nor dissatisfied",
                                    "Somewhat satisfied", "Extremely satisfied")),
    "likely5-qualtrics": ("en", ("Extremely unlikely", "Somewhat unlikely", "Neither likely nor unlikely",
                                 "Somewhat likely", "Extremely likely")),
    "frequency5": ("en", ("Never", "Rarely", "Sometimes", "Often", "Always")),
    "extent5": ("en", ("To a very small extent", "To a small extent", "To some extent", "To a large extent",
                       "To a very large extent")),
    "importance5": ("en", ("Not at all important", "Slightly important", "Moderately important", "Very important",
                           "Extremely important")),
    "quality5": ("en", ("Very poor", "Poor", "Fair", "Good", "Excellent")),
    "agree5-sv": ("sv", ("Instämmer inte alls", "Instämmer inte", "Varken eller", "Instämmer", "Instämmer helt")),
    "agree5-fi": ("fi", ("Täysin eri mieltä", "Jokseenkin eri mieltä", "En samaa enkä eri mieltä",
                         "Jokseenkin samaa mieltä", "Täysin samaa mieltä")),
    "agree4-fi": ("fi", ("Täysin eri mieltä", "Jokseenkin eri mieltä", "Jokseenkin samaa mieltä", "Täysin samaa mieltä")),
    # an outside tester's Swedish degree wording: "delvis" is the midpoint here, 4 of 5 beside "Tar delvis avstånd"
    "agree5-sv-grad": ("sv", ("Instämmer inte alls", "Instämmer i liten grad", "Instämmer delvis", "Instämmer till stor del",
                              "Instämmer helt")),
    "stammer4-sv": ("sv", ("Stämmer inte alls", "Stämmer delvis", "Stämmer till stor del", "Stämmer helt")),  # delvis = 2
    # an outside tester's: "i låg grad … i hög grad" around "delvis", which is the midpoint here too
    "agree5-sv-hoggrad": ("sv", ("Instämmer inte alls", "Instämmer i låg grad", "Instämmer delvis", "Instämmer i hög grad",
                                 "Instämmer helt")),
    # "Instämmer delvis inte" is 2, never a misspelt "Instämmer delvis" (4)
    "agree5-sv-delvisinte": ("sv", ("Instämmer inte alls", "Instämmer delvis inte", "Varken eller", "Instämmer delvis",
                                    "Instämmer helt")),
    "stammer5-sv": ("sv", ("Stämmer inte alls", "Stämmer ganska dåligt", "Varken eller", "Stämmer ganska bra",
                           "Stämmer helt")),
    "quality5-fi": ("fi", ("Erittäin huonosti", "Melko huonosti", "Ei hyvin eikä huonosti", "Melko hyvin", "Erittäin hyvin")),
}
NUMBER_SCALES: dict[str, tuple[int, int]] = {"n1-4": (1, 4), "n1-5": (1, 5), "n1-6": (1, 6), "n1-7": (1, 7),
                                             "n0-10": (0, 10), "n1-10": (1, 10)}
SCALES = (*LABEL_SETS, *NUMBER_SCALES, "nps")
HEADERS = ("plain", "numbered", "dotted", "qcode", "cut", "stem", "multirow")
#: none; "don't know" as 9, 99, −1 or its label; "*redacted*" in the recommend column; a byte-order mark inside
#: cells; a yes/no recommend question coded 1/2; numeric department codes with 99 = not given; R's "NA" for blanks;
#: "dictsheet": "don't know" written as the number just above the scale (6 on 1–5, 11 on 0–10), which only a second
#: sheet, a data dictionary ("6 = Don't know"), tells from an answer; "gapstray": one statement where nobody chose the
#: second point and one answer is a text that is no label (its siblings use every point: it is read on their scale);
#: "onelabel": one statement answered with one label only (everybody chose the same point), read on its siblings' set.
CODES = ("none", "dk9", "dk99", "dk-1", "dklabel", "redacted", "bom", "yesno12", "dept99", "na", "dictsheet", "gapstray",
         "onelabel")
DK_CODES = ("dk9", "dk99", "dk-1", "dklabel", "dictsheet")
FORMATS = ("xlsx", "xls", "ods", "csv", "tsv")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
WORKBOOKS = ("xlsx", "xls", "ods")
#: How the answer dates are written: as the tool writes them, or every other row in ISO and the rest as Nordic
#: day.month.year or day/month/year (hand-merged exports; an outside tester's bug: ISO decided the order of the rest).
DATE_STYLES = ("vendor", "iso+dot", "iso+slash")
DIMENSIONS = ("vendor", "scale", "header", "code", "fmt", "dates", "encoding")


@dataclass(frozen=True)
class Case:
    vendor: str
    scale: str
    header: str
    code: str
    fmt: str
    dates: str
    encoding: str  # "-" for workbooks

    @property
    def id(self) -> str:
        return "|".join(getattr(self, d) for d in DIMENSIONS)

    @staticmethod
    def parse(text: str) -> Case:
        return Case(*text.split("|"))

    @property
    def customer(self) -> bool:
        return self.scale == "nps"

    @property
    def language(self) -> str:
        if self.scale in LABEL_SETS:
            return LABEL_SETS[self.scale][0]
        return {"webropol": "fi", "netigate": "sv"}.get(self.vendor, "en")

    def valid(self) -> bool:
        """Whether the combination makes sense (a workbook has no text encoding, 9 is an answer on 0–10…)."""
        numeric = self.scale in NUMBER_SCALES
        checks = (
            (self.fmt in WORKBOOKS) == (self.encoding == "-"),
            self.code != "dk9" or (numeric and NUMBER_SCALES[self.scale][1] < 9),
            self.code not in ("dk99", "dk-1") or numeric or self.customer,
            not (self.code == "bom" and self.encoding == "cp1252"),
            not (self.header == "multirow" and self.vendor in ("long", "qualtrics", "surveymonkey")),
            not (self.customer and self.header in ("stem", "multirow")),
            not (self.code == "na" and self.fmt in WORKBOOKS and self.vendor != "plain"),
            self.code != "dictsheet" or (self.fmt in WORKBOOKS and (numeric or self.customer)),
            self.code not in ("gapstray", "onelabel") or self.scale in LABEL_SETS,
            self.dates == "vendor" or self.vendor not in ("qualtrics", "surveymonkey"),  # their own stamps only
        )
        return all(checks)


def all_cases() -> list[Case]:
    """Every valid combination (tens of thousands)."""
    product = itertools.product(VENDORS, SCALES, HEADERS, CODES, FORMATS, DATE_STYLES, (*ENCODINGS, "-"))
    return [c for c in (Case(*p) for p in product) if c.valid()]


VALUES: dict[str, tuple[str, ...]] = {"vendor": VENDORS, "scale": SCALES, "header": HEADERS, "code": CODES,
                                     "fmt": FORMATS, "dates": DATE_STYLES, "encoding": (*ENCODINGS, "-")}


def _draw(rnd: random.Random, **fixed: str) -> Case | None:
    """One case with each dimension drawn uniformly (the encoding follows the format); None when not valid."""
    values = {d: fixed.get(d) or rnd.choice(VALUES[d]) for d in DIMENSIONS[:-1]}
    encoding = "-" if values["fmt"] in WORKBOOKS else fixed.get("encoding") or rnd.choice(ENCODINGS)
    case = Case(**values, encoding=encoding)
    return case if case.valid() and fixed.get("encoding", encoding) == encoding else None


def sample(n: int, seed: int = 21) -> list[Case]:
    """``n`` cases drawn with ``seed``: first one for every value of every dimension, then uniformly at random."""
    rnd = random.Random(seed)
    chosen: dict[str, Case] = {}
    for dim in DIMENSIONS:
        for value in VALUES[dim]:
            case = None
            while case is None:
                case = _draw(rnd, **{dim: value})
            chosen.setdefault(case.id, case)
    while len(chosen) < n:
        case = _draw(rnd)
        if case is not None:
            chosen.setdefault(case.id, case)
    return list(chosen.values())


# ----------------------------------------------------------------- texts

STATEMENTS = {
    "en": ["I have the tools I need to do my job well", "I know what is expected of me at work",
           "My manager gives me regular and useful feedback on my work", "I get the information I need to do my work well",
           "My team works well together towards shared goals", "I am proud of the work our organisation does for customers"],
    "sv": ["Jag har de verktyg jag behöver för att göra ett bra arbete", "Jag vet vad som förväntas av mig i mitt arbete",
           "Min chef ger mig regelbunden och användbar återkoppling", "Jag får den information jag behöver i mitt arbete",
           "Mitt team arbetar väl tillsammans mot gemensamma mål", "Jag är stolt över det arbete vi gör för våra kunder"],
    "fi": ["Minulla on työkalut, joita tarvitsen työni hyvin tekemiseen", "Olen tietoinen siitä, mitä minulta odotetaan",
           "Minulla on esihenkilö, joka antaa säännöllistä ja hyödyllistä palautetta",
           "Minulla on tieto, jota tarvitsen työni tekemiseen", "Koen, että tiimimme toimii hyvin yhdessä",
           "Olen ylpeä työstä, jota teemme asiakkaidemme hyväksi"],
}
ENPS = {"en": "How likely are you to recommend Contoso as a place to work to a friend or colleague?",
        "sv": "Hur troligt är det att du skulle rekommendera Företaget som arbetsgivare till en vän eller kollega?",
        "fi": "Kuinka todennäköisesti suosittelisit Yritystä työnantajana ystävällesi tai kollegallesi?"}
NPS = {"en": "How likely is it that you would recommend Contoso to a friend or colleague?",
       "sv": "Hur troligt är det att du skulle rekommendera Företaget till en vän eller kollega?",
       "fi": "Kuinka todennäköisesti suosittelisit Yritystä ystävällesi tai kollegallesi?"}
YESNO = {"en": "Would you recommend working here to a friend?", "sv": "Skulle du rekommendera din arbetsplats till en vän?",
         "fi": "Suosittelisitko työpaikkaasi ystävällesi?"}
DONT_KNOW = {"en": "Don't know", "sv": "Vet inte", "fi": "En osaa sanoa"}
STEM = {"en": "Please tell us about your work", "sv": "Berätta om ditt arbete", "fi": "Kerro meille työstäsi"}
UNITS = {"en": ["Sales", "Finance", "Customer Service", "IT"], "sv": ["Försäljning", "Ekonomi", "Kundtjänst", "IT"],
         "fi": ["Myynti", "Talous", "Asiakaspalvelu", "IT"]}
COMMENT = {"en": "Anything else you want to tell us?", "sv": "Övriga kommentarer", "fi": "Muuta kommentoitavaa?"}
REDACTED = "*redacted*"
STRAY = "depends on the day"
NOT_GIVEN_CODE = 99


def style_header(text: str, style: str, number: int) -> str:
    """A question's header in one of the header styles ("Q3 …", "3. …", "Q5_3 …", cut at 40 characters…)."""
    if style == "numbered":
        return f"Q{number} {text}"
    if style == "dotted":
        return f"{number}. {text}"
    if style == "qcode":
        return f"Q5_{number} {text}"
    if style == "cut":
        return f"Q{number}  {text}"[:40]
    return text


# ----------------------------------------------------------------- answers


@dataclass
class Expected:
    """The figures the written answers give."""

    kind: str
    statements: int = 0
    means: list[float] = field(default_factory=list)
    engagement: float | None = None
    favourable: float | None = None
    recommend: float | None = None  # NPS (customer) or eNPS (employee); None: the file has no recommend question
    recommend_n: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)
    days: frozenset[str] = frozenset()  # the answers' days (YYYY-MM-DD): every date read must be one of them
    first_row: int | None = None  # spreadsheet row of the first data row (None: not checked)
    rows: int | None = None       # data rows in the file (None: not checked)


def nps(scores: list[int]) -> float:
    return 100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def favourable_low(low: int, high: int) -> int:
    """The top two points are favourable on scales of up to 7 points, the top three on 10- and 11-point scales."""
    return high - 2 if high - low + 1 >= 10 else high - 1


@dataclass
class Person:
    unit: object
    when: dt.datetime
    points: list[int | None]      # per statement; None = no answer
    cells: list[object]           # what is written per statement
    recommend: int | None
    recommend_cell: object
    counted: bool = True          # False: a row the reader must leave out (preview)


def _scale_range(case: Case) -> tuple[int, int]:
    if case.scale in LABEL_SETS:
        return 1, len(LABEL_SETS[case.scale][1])
    return NUMBER_SCALES.get(case.scale, (0, 10))


def _dk_cell(case: Case) -> object:
    if case.code == "dictsheet":
        return _scale_range(case)[1] + 1
    return {"dk9": 9, "dk99": 99, "dk-1": -1, "dklabel": DONT_KNOW[case.language]}[case.code]


def _statement_cell(case: Case, point: int | None, rnd: random.Random) -> object:
    if point is None:
        return "NA" if case.code == "na" else None
    value: object = LABEL_SETS[case.scale][1][point - 1] if case.scale in LABEL_SETS else point
    if case.code == "bom" and rnd.random() < 0.2:
        value = f"\ufeff{value}"
    return value


def _recommend_cell(case: Case, score: int | None, rnd: random.Random) -> object:
    if score is None:
        return "NA" if case.code == "na" else None
    if case.code == "bom" and score in (0, 10):
        return "\ufeff0 - Not at all likely" if score == 0 else "\ufeff10 - Extremely likely"
    return score


def people(case: Case, rnd: random.Random) -> list[Person]:
    """Respondents: every scale point used in every statement, a few blanks and codes, one person who answered
    nothing (employee) or two without a recommend answer (customer)."""
    n = rnd.randint(30, 44)
    k = 0 if case.customer else rnd.randint(4, 6)
    low, high = _scale_range(case)
    units = list(range(1, 5)) if case.code == "dept99" else UNITS[case.language]
    start = dt.datetime(2025, 3, 3, 8, 0, 0)
    out: list[Person] = []
    for i in range(n):
        points: list[int | None] = []
        for j in range(k):
            p = low + (i + j) % (high - low + 1) if i < 2 * (high - low + 1) else rnd.randint(low, high)
            points.append(None if i >= 12 and rnd.random() < 0.06 else p)
        score: int | None = rnd.randint(0, 10) if i >= 11 else i  # 0…10 all present
        unit: object = units[i % len(units)]
        if case.code == "dept99" and i % 9 == 4:
            unit = NOT_GIVEN_CODE
        out.append(Person(unit, start + dt.timedelta(hours=7 * i, minutes=13 * i % 60, seconds=i), points, [], score, None))
    if case.customer:
        out[5].recommend = None
        out[17].recommend = None
    else:
        out[7].points = [None] * k
        out[7].recommend = None
    if case.code == "gapstray":  # nobody chose the second point in the last statement (its siblings use it)
        for p in out:
            if p.points and p.points[-1] == low + 1:
                p.points[-1] = low + 2
    if case.code == "onelabel":  # everybody who answered the last statement chose its third point
        for p in out:
            if p.points and p.points[-1] is not None:
                p.points[-1] = low + 2
    if case.code == "na":  # R writes NA for a blank, also in the first data row
        out[0].points = [None if j % 2 == 0 else x for j, x in enumerate(out[0].points)]
    return out


def _fill_cells(case: Case, folks: list[Person], rnd: random.Random) -> None:
    """What each person's cells hold: labels or numbers, "don't know" codes, placeholders, byte-order marks."""
    coded = case.code in DK_CODES
    for i, p in enumerate(folks):
        p.cells = [_statement_cell(case, pt, rnd) for pt in p.points]
        if coded and not case.customer and i >= 12:
            for j, pt in enumerate(p.points):
                if pt is not None and rnd.random() < 0.1:
                    p.points[j] = None
                    p.cells[j] = _dk_cell(case)
        if case.code == "gapstray" and i == 13 and p.points and p.points[-1] is not None:
            p.points[-1], p.cells[-1] = None, STRAY  # one text that is no answer label, left out
        p.recommend_cell = _recommend_cell(case, p.recommend, rnd)
        if coded and case.customer and i % 11 == 3:
            p.recommend, p.recommend_cell = None, _dk_cell(case)
        if case.code == "redacted" and i % 7 == 2 and p.recommend is not None:
            p.recommend, p.recommend_cell = None, REDACTED


def expected(case: Case, folks: list[Person]) -> Expected:
    """The figures from the answers written: the long way, person by person."""
    counted = [p for p in folks if p.counted]
    kind = "customer" if case.customer else "employee"
    e = Expected(kind)
    e.days = frozenset(d.isoformat() for p in folks for d in (p.when.date(), (p.when - dt.timedelta(minutes=4)).date()))
    if case.customer:
        scores = [p.recommend for p in counted if p.recommend is not None]
        e.recommend, e.recommend_n = nps(scores), len(scores)  # type: ignore[arg-type]
        blank = sum(p.recommend_cell in (None, "NA") for p in counted)
        # "don't know" (as a label or a code) and placeholder texts are counted out under their own reason
        coded = sum(p.recommend_cell == REDACTED or p.recommend_cell == _dk_or_none(case) for p in counted)
        e.skipped = {k: v for k, v in (("no_score", blank), ("coded", coded)) if v}
        kept = [p for p in counted if p.recommend is not None]
    else:
        _employee_figures(case, counted, e)
        kept = [p for p in counted if any(x is not None for x in p.points)
                or (p.recommend is not None and case.code != "yesno12")]
    if len(folks) > len(counted):
        e.skipped["status"] = len(folks) - len(counted)
    e.units = sorted({_unit_name(p.unit) for p in kept})
    return e


def _dk_or_none(case: Case) -> object:
    return _dk_cell(case) if case.code in DK_CODES else object()


def _unit_name(unit: object) -> str:
    return "(not given)" if unit == NOT_GIVEN_CODE else str(unit)


def _employee_figures(case: Case, counted: list[Person], e: Expected) -> None:
    low, high = _scale_range(case)
    k = len(counted[0].points)
    e.statements = k
    columns = [[p.points[j] for p in counted if p.points[j] is not None] for j in range(k)]
    e.means = [sum(c) / len(c) for c in columns]  # type: ignore[arg-type]
    scores, fav, answered = [], 0, 0
    for p in counted:
        given = [x for x in p.points if x is not None]
        if given:
            scores.append(sum(100.0 * (x - low) / (high - low) for x in given) / len(given))
            answered += len(given)
            fav += sum(x >= favourable_low(low, high) for x in given)
    e.engagement = sum(scores) / len(scores)
    e.favourable = 100.0 * fav / answered
    if case.code != "yesno12":
        enps = [p.recommend for p in counted if p.recommend is not None]
        e.recommend, e.recommend_n = nps(enps), len(enps)  # type: ignore[arg-type]
    read = case.code != "yesno12"  # a yes/no question is no answer that keeps a row
    empty = sum(all(x is None for x in p.points) and (p.recommend is None or not read) for p in counted)
    e.skipped = {"no_answers": empty} if empty else {}


# ----------------------------------------------------------------- layouts


@dataclass
class Sheet:
    """A layout's rows before they are written: header rows, then data rows."""

    header: list[list[object]]
    data: list[list[object]]
    long: bool = False


def _answers(case: Case, p: Person, k: int) -> tuple[list[object], list[object]]:
    """(statement cells, recommend-question cells) of one person, with the yes/no question in place of the eNPS."""
    statements = p.cells[:k]
    if case.code == "yesno12" and not case.customer:
        return statements, [1 if (p.recommend or 0) >= 5 else 2 if p.recommend is not None else None]
    if case.code == "yesno12":
        return statements, [1 if (p.recommend or 0) >= 5 else 2, p.recommend_cell]
    return statements, [p.recommend_cell]


def _recommend_headers(case: Case, text: str, number: int) -> list[str]:
    lang = case.language
    if case.code == "yesno12" and not case.customer:
        return [style_header(YESNO[lang], case.header, number)]
    if case.code == "yesno12":
        return [style_header(YESNO[lang], case.header, number), style_header(text, case.header, number + 1)]
    return [style_header(text, case.header, number)]


def _statement_headers(case: Case, k: int) -> list[str]:
    texts = STATEMENTS[case.language][:k]
    if case.header == "stem":
        return [f"{STEM[case.language]} - {t}" for t in texts]
    if case.header == "multirow":
        return list(texts)
    return [style_header(t, case.header, j + 1) for j, t in enumerate(texts)]


def _stamp(when: dt.datetime, style: str) -> object:
    return {"iso": when.strftime("%Y-%m-%d %H:%M:%S"), "us": f"{when.month}/{when.day}/{when.year} {when:%H:%M:%S}",
            "fi": f"{when.day}.{when.month}.{when.year} {when.hour}.{when.minute:02d}", "dt": when,
            "dot": f"{when.day:02d}.{when.month:02d}.{when.year}", "slash": f"{when.day:02d}/{when.month:02d}/{when.year}"
            }[style]


def _style(case: Case, i: int, style: str) -> str:
    """The date style of the ``i``-th row: the tool's, or, mixed, ISO on even rows and the other on odd ones."""
    if case.dates == "vendor":
        return style
    return "iso" if i % 2 == 0 else case.dates.split("+")[1]


def layout_qualtrics(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    from tests.exports import QUALTRICS_META, QUALTRICS_META_IMPORT, QUALTRICS_META_TEXT

    texts = _statement_headers(case, k)
    rec = _recommend_headers(case, ENPS[case.language] if not case.customer else NPS[case.language], k + 1)
    codes = QUALTRICS_META + ["Department"] + [f"Q1_{j + 1}" for j in range(k)] + [f"Q{k + 2 + i}" for i in range(len(rec))]
    labels = QUALTRICS_META_TEXT + ["Department"] + texts + rec
    imports = [json.dumps({"ImportId": x}) for x in QUALTRICS_META_IMPORT + ["Department"]] + [
        json.dumps({"ImportId": f"QID1_{j + 1}"}) for j in range(k)] + [
        json.dumps({"ImportId": f"QID{k + 2 + i}"}) for i in range(len(rec))]
    header = [codes, labels] + ([imports] if case.fmt not in WORKBOOKS or rnd.random() < 0.5 else [])
    data = []
    for i, p in enumerate(folks):
        stamp = _stamp(p.when, "iso")
        status = "IP Address" if p.counted else "Survey Preview"
        meta = [stamp, stamp, status, "", 100, 60 + i, "True", stamp, f"R_{i:015d}", "", "", "", "", "", "", "anonymous", "EN"]
        statements, recommend = _answers(case, p, k)
        data.append(meta + [p.unit] + statements + recommend)
    return Sheet(header, data)


def layout_surveymonkey(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
            "Last Name", "Custom Data 1"]
    rec = _recommend_headers(case, ENPS[case.language] if not case.customer else NPS[case.language], k + 2)
    unit_q = style_header("Which department do you work in?", case.header, 1)
    row1 = meta + [unit_q] + rec + ([STEM[case.language]] + [None] * (k - 1) if k else [])
    row2 = [None] * len(meta) + ["Response"] + ["Response"] * len(rec) + _statement_headers(case, k)
    data = []
    for i, p in enumerate(folks):
        stamp = f"{p.when:%m/%d/%Y %I:%M:%S %p}"
        statements, recommend = _answers(case, p, k)
        data.append([114230587712 + i, 431287765, stamp, stamp, None, None, None, None, None, p.unit]
                    + recommend + statements)
    return Sheet([row1, row2], data)


def _one_row(case: Case, folks: list[Person], k: int, first: list[str], unit: str, stamp: str) -> Sheet:
    """A one-row-header layout: first columns, the unit, statements, the recommend question(s)."""
    statements_h = _statement_headers(case, k)
    rec = _recommend_headers(case, ENPS[case.language] if not case.customer else NPS[case.language], k + 1)
    header = [first + [unit] + statements_h + rec]
    if case.header == "multirow" and k:  # a question row above the statements, carried right by position
        header = [first + [unit] + [STEM[case.language]] + [None] * (k - 1) + rec,
                  [None] * (len(first) + 1) + statements_h + [None] * len(rec)]
    data = []
    for i, p in enumerate(folks):
        statements, recommend = _answers(case, p, k)
        data.append(_first_cells(first, i, p, _style(case, i, stamp)) + [p.unit] + statements + recommend)
    if case.customer:
        for row, p in zip(data, folks):
            row.append("Fine, thanks" if p.recommend is not None and p.recommend % 4 == 0 else None)
        header[0].append(COMMENT[case.language])
        for extra in header[1:]:
            extra.append(None)
    return Sheet(header, data)


def _first_cells(first: list[str], i: int, p: Person, stamp: str) -> list[object]:
    cells: list[object] = []
    for name in first:
        if name in ("ID", "Respondent", "Vastaaja", "Respondent-ID"):
            cells.append(i + 1 if name != "Respondent-ID" else f"SE-{1000 + i}")
        elif name in ("Email", "E-mail", "Email Address"):
            cells.append(f"person{i}@example.com" if name != "Email" else "anonymous")
        elif name == "Name":
            cells.append(None)
        elif name == "Start time":
            cells.append(_stamp(p.when - dt.timedelta(minutes=4), stamp))
        else:
            cells.append(_stamp(p.when, stamp))
    return cells


def layout_msforms(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    return _one_row(case, folks, k, ["ID", "Start time", "Completion time", "Email", "Name"],
                    style_header("Which department do you belong to?", case.header, k + 3), "us")


def layout_googleforms(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    return _one_row(case, folks, k, ["Timestamp", "Email Address"],
                    style_header("Which team are you in?", case.header, k + 3), "us")


def layout_webropol(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    return _one_row(case, folks, k, ["Vastaaja", "Vastausaika"], "Osasto", "fi")


def layout_netigate(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    return _one_row(case, folks, k, ["Respondent-ID", "Svarsdatum"], "Avdelning", "iso")


def layout_questback(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    return _one_row(case, folks, k, ["Respondent", "E-mail", "Answered"], "Department", "iso")


def layout_plain(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    sheet = _one_row(case, folks, k, ["Date"], "Department", "iso")
    if case.fmt in WORKBOOKS and rnd.random() < 0.5:  # a title row and a blank row above a hand-made table
        sheet.header = [["Staff survey spring 2025"], [None]] + sheet.header
    return sheet


def layout_long(case: Case, folks: list[Person], k: int, rnd: random.Random) -> Sheet:
    """One row per answer: respondent, unit, date, question, answer."""
    wide = _one_row(case, folks, k, ["Respondent", "Date"], "Department", "iso")
    names = wide.header[0]
    first = 3
    data = []
    for row in wide.data:
        for name, value in zip(names[first:], row[first:]):
            data.append(row[:first] + [name, value])
    return Sheet([names[:first] + ["Question", "Answer"]], data, long=True)


LAYOUTS = {"qualtrics": layout_qualtrics, "surveymonkey": layout_surveymonkey, "msforms": layout_msforms,
           "googleforms": layout_googleforms, "webropol": layout_webropol, "netigate": layout_netigate,
           "questback": layout_questback, "plain": layout_plain, "long": layout_long}


# ----------------------------------------------------------------- files


def _text_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def write_text(rows: list[list[object]], fmt: str, encoding: str) -> bytes:
    delimiter = "\t" if fmt == "tsv" else ";" if encoding == "cp1252" else ","
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow([_text_cell(v) for v in r])
    return buf.getvalue().encode(encoding)


def write_xlsx(rows: list[list[object]], extra: dict[str, list[list[object]]] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in rows:
        ws.append(r)
    for title, more in (extra or {}).items():
        other = wb.create_sheet(title)
        for r in more:
            other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xls(rows: list[list[object]], extra: dict[str, list[list[object]]] | None = None) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    when = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
    for title, grid in {"Sheet1": rows, **(extra or {})}.items():
        sheet = book.add_sheet(title)
        for i, r in enumerate(grid):
            for j, v in enumerate(r):
                if isinstance(v, dt.datetime):
                    sheet.write(i, j, v, when)
                elif v is not None:
                    sheet.write(i, j, v)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_ods(rows: list[list[object]], extra: dict[str, list[list[object]]] | None = None) -> bytes:
    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="odf") as writer:
        for title, grid in {"Sheet1": rows, **(extra or {})}.items():
            width = max(len(r) for r in grid)
            frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in grid], dtype=object)
            frame.to_excel(writer, sheet_name=title, header=False, index=False)
    return buf.getvalue()


def write(rows: list[list[object]], fmt: str, encoding: str, extra: dict[str, list[list[object]]] | None = None) -> bytes:
    """The file's bytes; ``extra`` sheets (a data dictionary) after the responses, in workbooks only."""
    if fmt == "xlsx":
        return write_xlsx(rows, extra)
    if fmt == "xls":
        return write_xls(rows, extra)
    if fmt == "ods":
        return write_ods(rows, extra)
    return write_text(rows, fmt, encoding)


def dictionary_sheet(case: Case, k: int) -> list[list[object]]:
    """A data-dictionary sheet naming the "don't know" code, in one of three forms drawn from the case's id: per
    statement (SPSS-style ``Variable | Value | Label``, each statement by its header; employee files), ``Value |
    Label`` for every column, or one cell "11 = Don't know"."""
    low, high = _scale_range(case)
    code, dk = _dk_cell(case), DONT_KNOW[case.language]
    form = zlib.crc32(f"{case.id}|dictionary".encode()) % 3
    if form == 1 or (form == 0 and case.customer):
        return [["Value", "Label"], [code, dk]]
    if form == 2:
        return [["Codes used in this file"], [f"{code} = {dk}"]]
    rows: list[list[object]] = [["Variable", "Value", "Label"]]
    for name in _statement_headers(case, k):
        rows += [[name, low, "lowest"], [None, high, "highest"], [None, code, dk]]
    return rows


@dataclass
class Built:
    case: Case
    filename: str
    data: bytes
    expected: Expected
    rows: list[list[object]] = field(default_factory=list, repr=False)  # the response sheet's rows as written


def build(case: Case) -> Built:
    """The case's file and the figures its answers give."""
    rnd = random.Random(zlib.crc32(case.id.encode()))
    folks = people(case, rnd)
    if case.vendor == "qualtrics":  # a preview response, which the reader must leave out by the Status column
        preview = people(case, random.Random(1))[3]
        preview.counted = False
        folks.insert(9, preview)
    _fill_cells(case, folks, rnd)
    k = len(folks[0].points)
    sheet = LAYOUTS[case.vendor](case, folks, k, rnd)
    rows = sheet.header + sheet.data
    e = expected(case, folks)
    if not sheet.long:
        e.first_row = len(sheet.header) + 1
        e.rows = len(sheet.data)
    name = f"{case.vendor}-{case.scale}-{case.header}-{case.code}.{case.fmt if case.fmt != 'tsv' else 'tsv'}"
    extra = {"Codes": dictionary_sheet(case, k)} if case.code == "dictsheet" else None
    return Built(case, name, write(rows, case.fmt, case.encoding, extra), e, rows)


def main(argv: list[str]) -> int:
    """``python -m tests.generate CASE-ID [FOLDER]``: write the case's file and print what it should read as."""
    built = build(Case.parse(argv[0]))
    folder = argv[1] if len(argv) > 1 else "/tmp"
    path = f"{folder}/{built.filename}"
    with open(path, "wb") as fh:
        fh.write(built.data)
    print(path)
    print(built.expected)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
