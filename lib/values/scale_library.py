"""The scale library: the answer-label sets survey tools ship, each with the evidence it rests on.

A column answered with labels is read on the set whose labels hold every label the file uses (see
:func:`lib.detect.roles.detect_roles`): among the sets that do, the one with no point that no answer uses, then the
set of the survey tool the file's layout shows, then the smaller set. Each set says where its labels were seen
(``evidence``): "verified" when the tool's own documentation shows them, "seen in …" when third-party code or data
shows them in a tool's output or in use, and "unverified" when no readable source was found (the sources
behind these words are listed in docs/reading.md, "The scale library"). No set rests on one vendor's wording
alone: the English, Swedish and Finnish labels of a point are the wordings seen for that point anywhere.

Two-point sets are not in the library: a column with two different answers is never read as a rating (a yes/no
question coded 1 and 2 is not a scale). Three-point sets are not either: their labels ("Disagree", "Neutral",
"Agree") are all points of the five-point sets, so a column could not tell them apart; a header stating "1-3" does.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.values.vocab import normalize


@dataclass(frozen=True)
class LabelScale:
    """An ordered answer-label set: ``points[i]`` holds the labels of scale point ``low + i`` (an empty tuple for a
    point printed as its number only, such as the middle of an end-labelled 0–10 scale)."""

    key: str
    low: int
    points: tuple[tuple[str, ...], ...]

    @property
    def high(self) -> int:
        return self.low + len(self.points) - 1

    def table(self) -> dict[str, int]:
        return _table(self)


_TABLES: dict[int, dict[str, int]] = {}


def _table(scale: LabelScale) -> dict[str, int]:
    key = id(scale)
    if key not in _TABLES:
        _TABLES[key] = {normalize(label): scale.low + i for i, labels in enumerate(scale.points) for label in labels}
    return _TABLES[key]


@dataclass(frozen=True)
class ScaleSet:
    """One set of the library: its labels, what it measures, the tools it is seen in, and the evidence."""

    scale: LabelScale
    family: str  # agree, stammer, satisfied, likely, frequency, importance, quality, extent
    measures: str  # agreement, satisfaction, likelihood, frequency, importance, quality, extent
    vendors: tuple[str, ...]
    evidence: str

    @property
    def key(self) -> str:
        return self.scale.key


def _ends(low: int, first: tuple[str, ...], last: tuple[str, ...], points: int) -> tuple[tuple[str, ...], ...]:
    """An end-labelled numeric scale: labels at both ends, numbers between."""
    return (first,) + ((),) * (points - 2) + (last,)


_SATISFIED: tuple[tuple[str, ...], ...] = (
    ("Very dissatisfied", "Mycket missnöjd", "Erittäin tyytymätön", "Hyvin tyytymätön"),
    ("Dissatisfied", "Missnöjd", "Tyytymätön"),
    ("Neither satisfied nor dissatisfied", "Neutral", "Varken nöjd eller missnöjd", "Ei tyytyväinen eikä tyytymätön",
     "Neutraali"),
    ("Satisfied", "Nöjd", "Tyytyväinen"),
    ("Very satisfied", "Mycket nöjd", "Erittäin tyytyväinen", "Hyvin tyytyväinen"),
)

_FREQUENCY: tuple[tuple[str, ...], ...] = (
    ("Never", "Aldrig", "Ei koskaan"),
    ("Almost never", "Nästan aldrig", "Lähes koskaan"),
    ("Rarely", "Sällan", "Harvoin"),
    ("Sometimes", "Ibland", "Joskus"),
    ("Often", "Ofta", "Usein"),
    ("Very often", "Mycket ofta", "Hyvin usein"),
    ("Always", "Alltid", "Aina"),
)

_QUALTRICS_7 = "seen in a live Qualtrics survey's choices, read by a public API script; as a template unverified"

#: The library, in the order that breaks the last ties.
LIBRARY: tuple[ScaleSet, ...] = (
    ScaleSet(LabelScale("agree5", 1, (
        ("Strongly disagree", "Instämmer inte alls", "Tar helt avstånd", "Helt avig", "Helt oenig",
         "Täysin eri mieltä"),
        ("Disagree", "Instämmer inte", "Instämmer i låg grad", "Tar delvis avstånd", "Instämmer knappast",
         "Instämmer inte delvis", "Instämmer delvis inte", "Delvis oenig", "Jokseenkin eri mieltä", "Osittain eri mieltä"),
        ("Neither agree nor disagree", "Neither agree or disagree", "Neither disagree or agree", "Neutral",
         "Varken eller", "Neutral / varken eller", "Instämmer i viss grad", "Varken instämmer eller tar avstånd",
         "Varken enig eller oenig", "En samaa enkä eri mieltä", "Ei samaa eikä eri mieltä", "Ei eri eikä samaa mieltä",
         "Neutraali"),
        ("Agree", "Instämmer", "Instämmer i hög grad", "Instämmer delvis", "Instämmer något", "Delvis enig",
         "Jokseenkin samaa mieltä", "Osittain samaa mieltä"),
        ("Strongly agree", "Instämmer helt", "Instämmer helt och hållet", "Helt enig", "Täysin samaa mieltä"),
    )), "agree", "agreement", ("Microsoft Forms", "Culture Amp", "SurveyMonkey"),
        "English: Culture Amp's agree format (verified, its support page) and a Microsoft Forms export parser's "
        "map with “Neutral” (seen in public code); Swedish: personalenkat.se and voting-advice apps (verified); "
        "Finnish: fi.wikipedia “Likert-asteikko” and tilastoapu (verified); SurveyMonkey's own default unverified"),
    ScaleSet(LabelScale("agree5_grad", 1, (  # "delvis" is the midpoint here, 4 of 5 in the voting-advice set above
        ("Instämmer inte alls",), ("Instämmer i liten grad", "Instämmer i mycket liten grad", "Instämmer i låg grad"),
        ("Instämmer delvis",), ("Instämmer till stor del", "Instämmer i stor grad", "Instämmer i hög grad"),
        ("Instämmer helt", "Instämmer helt och hållet"),
    )), "agree", "agreement", (),
        "Swedish: the degree wording of Swedish workplace and course surveys (“i liten grad … till stor del”, “i låg "
        "grad … i hög grad”), seen in outside testers' employee files; as a tool's template unverified"),
    ScaleSet(LabelScale("stammer5", 1, (  # the five-point "Stämmer" wording with a midpoint; HME's ends
        ("Stämmer inte alls", "Stämmer mycket dåligt"), ("Stämmer ganska dåligt", "Stämmer dåligt"),
        ("Varken eller", "Stämmer varken bra eller dåligt"), ("Stämmer ganska bra", "Stämmer bra"),
        ("Stämmer helt", "Stämmer mycket bra", "Stämmer helt och hållet"),
    )), "stammer", "agreement", (),
        "Swedish: SKR's HME statements end at “Stämmer mycket dåligt” and “Stämmer mycket bra” (verified, Kolada); the "
        "middle wordings were seen in an outside tester's employee file; as a tool's template unverified"),
    ScaleSet(LabelScale("stammer4_del", 1, (  # "Stämmer helt / till stor del / delvis / inte alls": "delvis" is 2 of 4
        ("Stämmer inte alls",), ("Stämmer delvis",), ("Stämmer till stor del",), ("Stämmer helt", "Stämmer helt och hållet"),
    )), "stammer", "agreement", (),
        "Swedish: the four-point degree wording of Swedish workplace surveys, named by an outside tester; unverified "
        "as a tool's template"),
    ScaleSet(LabelScale("agree4", 1, (
        ("Strongly disagree", "Stämmer inte alls", "Instämmer inte alls", "Tar helt och hållet avstånd från",
         "Täysin eri mieltä"),
        ("Disagree", "Stämmer ganska dåligt", "Instämmer inte", "Tar avstånd från", "Jokseenkin eri mieltä"),
        ("Agree", "Stämmer ganska bra", "Instämmer", "Jokseenkin samaa mieltä"),
        ("Strongly agree", "Stämmer helt och hållet", "Instämmer helt", "Instämmer helt och hållet",
         "Täysin samaa mieltä"),
    )), "agree", "agreement", (),
        "Swedish: a survey-item benchmark text (seen in public code); Finnish: a public code test and fi.wikipedia "
        "(verified); English: the five-point set without its midpoint, unverified as a tool's template"),
    ScaleSet(LabelScale("agree5_somewhat", 1, (
        ("Strongly disagree",), ("Somewhat disagree",), ("Neither agree nor disagree", "Neither agree or disagree"),
        ("Somewhat agree",), ("Strongly agree",),
    )), "agree", "agreement", ("Qualtrics", "Alchemer"),
        "unverified as a Qualtrics or Alchemer template (Qualtrics lists it among its scale presets); the five "
        "labels seen together in a public SQL dump"),
    ScaleSet(LabelScale("agree6", 1, (
        ("Strongly disagree", "Instämmer inte alls", "Täysin eri mieltä"),
        ("Disagree", "Instämmer inte", "Eri mieltä"),
        ("Slightly disagree", "Somewhat disagree", "Instämmer inte helt", "Jokseenkin eri mieltä", "Hieman eri mieltä"),
        ("Slightly agree", "Somewhat agree", "Instämmer delvis", "Jokseenkin samaa mieltä", "Hieman samaa mieltä"),
        ("Agree", "Instämmer", "Samaa mieltä"),
        ("Strongly agree", "Instämmer helt", "Täysin samaa mieltä"),
    )), "agree", "agreement", (),
        "Finnish (“Hieman”): an education-feedback warehouse query, Arvo (seen in public code); English and Swedish "
        "unverified"),
    ScaleSet(LabelScale("agree7", 1, (
        ("Strongly disagree", "Instämmer inte alls", "Täysin eri mieltä"),
        ("Disagree", "Instämmer inte", "Eri mieltä"),
        ("Somewhat disagree", "Slightly disagree", "Instämmer inte helt", "Jokseenkin eri mieltä"),
        ("Neither agree nor disagree", "Neither agree or disagree", "Neutral", "Varken eller",
         "En samaa enkä eri mieltä", "Ei samaa eikä eri mieltä"),
        ("Somewhat agree", "Slightly agree", "Instämmer delvis", "Jokseenkin samaa mieltä"),
        ("Agree", "Instämmer", "Samaa mieltä"),
        ("Strongly agree", "Instämmer helt", "Täysin samaa mieltä"),
    )), "agree", "agreement", ("Qualtrics",), "English: " + _QUALTRICS_7 + "; Swedish and Finnish unverified"),
    ScaleSet(LabelScale("agree7_hieman", 1, (
        ("Täysin eri mieltä",), ("Jokseenkin eri mieltä",), ("Hieman eri mieltä",),
        ("Ei eri eikä samaa mieltä", "Ei samaa eikä eri mieltä"), ("Hieman samaa mieltä",),
        ("Jokseenkin samaa mieltä",), ("Täysin samaa mieltä",),
    )), "agree", "agreement", (),
        "Finnish: the 2007 MTV3 voting-advice data (seen in public code, Kansan muisti); “Jokseenkin” is 2 and 6 of 7 "
        "here"),
    ScaleSet(LabelScale("stammer4", 1, (  # the 4-point "stämmer" scale of other Swedish surveys (no midpoint); not HME's
        ("Stämmer mycket dåligt",), ("Stämmer ganska dåligt",), ("Stämmer ganska bra",), ("Stämmer mycket bra",),
    )), "stammer", "agreement", (), "Swedish: the Stockholm school survey, pgmj/sthlmsenk (seen in public code)"),
    ScaleSet(LabelScale("stammer5", 1, (  # the 5-point "stämmer" scale of SKR's HME statements
        ("Stämmer mycket dåligt",), ("Stämmer ganska dåligt",), ("Stämmer varken bra eller dåligt",),
        ("Stämmer ganska bra",), ("Stämmer mycket bra",),
    )), "stammer", "agreement", ("Zondera",),
        "Swedish: SKR's HME ends “Stämmer mycket dåligt” / “Stämmer mycket bra” (seen in Kolada's text); points 2–4 "
        "unverified"),
    ScaleSet(LabelScale("satisfied5", 1, _SATISFIED), "satisfied", "satisfaction", (),
             "Finnish: fi.wikipedia and trustmary.com (verified); English and Swedish unverified as a tool's template"),
    ScaleSet(LabelScale("satisfied4", 1, _SATISFIED[:2] + _SATISFIED[3:]), "satisfied", "satisfaction", (),
             "the five-point set without its midpoint; unverified"),
    ScaleSet(LabelScale("satisfied5_extremely", 1, (
        ("Extremely dissatisfied",), ("Somewhat dissatisfied",), ("Neither satisfied nor dissatisfied",),
        ("Somewhat satisfied",), ("Extremely satisfied",),
    )), "satisfied", "satisfaction", ("Qualtrics",),
        "seen in Qualtrics API metadata of a CSAT survey, ropensci/qualtRics tests/fixtures/metadata.yml"),
    ScaleSet(LabelScale("satisfied5_slightly", 1, (
        ("Not at all satisfied", "Inte alls nöjd", "Ei lainkaan tyytyväinen"), ("Slightly satisfied",),
        ("Somewhat satisfied",), ("Very satisfied",), ("Extremely satisfied",),
    )), "satisfied", "satisfaction", ("SurveyMonkey",),
        "English: SurveyMonkey's help article on Likert questions (verified, an older article); Swedish and Finnish "
        "end labels unverified"),
    ScaleSet(LabelScale("satisfied7", 1, (
        ("Extremely dissatisfied",), ("Moderately dissatisfied",), ("Slightly dissatisfied",),
        ("Neither satisfied nor dissatisfied",), ("Slightly satisfied",), ("Moderately satisfied",),
        ("Extremely satisfied",),
    )), "satisfied", "satisfaction", (), "unverified"),
    ScaleSet(LabelScale("satisfied11", 0, _ends(0, ("Not at all satisfied", "Inte alls nöjd", "Ei lainkaan tyytyväinen"),
                                                ("Extremely satisfied", "Mycket nöjd", "Erittäin tyytyväinen"), 11)),
             "satisfied", "satisfaction", (),
             "an end-labelled 0–10 rating (“0 - Not at all satisfied”); unverified "
             "as a template"),
    ScaleSet(LabelScale("likely5", 1, (
        ("Extremely unlikely",), ("Somewhat unlikely",), ("Neither likely nor unlikely",), ("Somewhat likely",),
        ("Extremely likely",),
    )), "likely", "likelihood", ("Qualtrics",), "seen in an app reading a Qualtrics “…_labels.csv” export (public code)"),
    ScaleSet(LabelScale("likely5_very", 1, (
        ("Very unlikely", "Mycket osannolikt", "Erittäin epätodennäköistä"),
        ("Unlikely", "Osannolikt", "Epätodennäköistä"),
        ("Neither likely nor unlikely", "Varken sannolikt eller osannolikt", "Ei todennäköistä eikä epätodennäköistä"),
        ("Likely", "Sannolikt", "Todennäköistä"),
        ("Very likely", "Mycket sannolikt", "Erittäin todennäköistä"),
    )), "likely", "likelihood", (), "unverified"),
    ScaleSet(LabelScale("likely11", 0, _ends(0, ("Not at all likely", "Inte alls troligt", "Ei lainkaan todennäköistä"),
                                             ("Extremely likely", "Mycket troligt", "Erittäin todennäköistä"), 11)),
             "likely", "likelihood", ("Qualtrics", "SurveyMonkey", "Alchemer"),
             "English: Qualtrics's NPS support page (verified, a mirror); SurveyMonkey's NPS ends; "
             "Swedish and Finnish ends unverified"),
    ScaleSet(LabelScale("frequency5", 1, tuple(_FREQUENCY[i] for i in (0, 2, 3, 4, 6))), "frequency", "frequency", (),
             "unverified"),
    ScaleSet(LabelScale("frequency7", 0, _FREQUENCY), "frequency", "frequency", (), "unverified"),
    ScaleSet(LabelScale("frequency5_half", 1, (
        ("Never", "Aldrig"), ("Sometimes", "Ibland"), ("About half the time", "Ungefär hälften av gångerna"),
        ("Most of the time", "Oftast", "För det mesta"), ("Always", "Alltid"),
    )), "frequency", "frequency", (), "unverified"),
    ScaleSet(LabelScale("importance5", 1, (
        ("Not at all important", "Inte alls viktigt", "Ei lainkaan tärkeä"),
        ("Slightly important", "Lite viktigt", "Vähän tärkeä"),
        ("Moderately important", "Ganska viktigt", "Melko tärkeä"),
        ("Very important", "Mycket viktigt", "Hyvin tärkeä"),
        ("Extremely important", "Extremt viktigt", "Erittäin tärkeä"),
    )), "importance", "importance", (), "unverified"),
    ScaleSet(LabelScale("quality5", 1, (
        ("Very poor", "Mycket dålig", "Erittäin huono"), ("Poor", "Dålig", "Huono"),
        ("Fair", "Varken bra eller dålig", "Kohtalainen"), ("Good", "Bra", "Hyvä"),
        ("Very good", "Excellent", "Mycket bra", "Utmärkt", "Erittäin hyvä", "Erinomainen"),
    )), "quality", "quality", (), "Finnish ends: fi.wikipedia (verified); the rest unverified"),
    ScaleSet(LabelScale("quality5_adverb", 1, (  # how well something works: adverbs, not the adjectives above
        ("Very badly", "Mycket dåligt", "Erittäin huonosti"), ("Fairly badly", "Ganska dåligt", "Melko huonosti"),
        ("Neither well nor badly", "Varken bra eller dåligt", "Ei hyvin eikä huonosti"),
        ("Fairly well", "Ganska bra", "Melko hyvin"), ("Very well", "Mycket bra", "Erittäin hyvin"),
    )), "quality", "quality", (),
        "Finnish: the adverb form of fi.wikipedia's quality set (“erittäin huonosti … erittäin hyvin”), named by an "
        "outside tester; Swedish and English unverified"),
    ScaleSet(LabelScale("quality5_excellent", 1, (
        ("Poor",), ("Fair",), ("Good",), ("Very good",), ("Excellent",),
    )), "quality", "quality", (), "unverified"),
    ScaleSet(LabelScale("extent5", 1, (
        ("To a very small extent", "Not at all", "I mycket låg grad", "Inte alls", "Erittäin vähän", "Ei lainkaan"),
        ("To a small extent", "I låg grad", "Vähän"),
        ("To some extent", "I viss grad", "Jonkin verran"),
        ("To a large extent", "I hög grad", "Paljon"),
        ("To a very large extent", "I mycket hög grad", "Erittäin paljon"),
    )), "extent", "extent", (), "unverified"),
    ScaleSet(LabelScale("extent5_amount", 1, (
        ("Not at all",), ("A little",), ("A moderate amount",), ("A lot",), ("A great deal",),
    )), "extent", "extent", (), "unverified"),
)

#: The label sets alone, in library order.
LABEL_SCALES: tuple[LabelScale, ...] = tuple(s.scale for s in LIBRARY)
#: Label sets of one family: all the file's statements of a family are read on one set (see lib.detect.roles).
LABEL_FAMILIES: dict[str, str] = {s.key: s.family for s in LIBRARY}
#: The survey tools each set is seen in, by key.
VENDORS: dict[str, tuple[str, ...]] = {s.key: s.vendors for s in LIBRARY}
#: Which tool a file's header layout shows (lib.read.headers.HeaderLayout.kind).
LAYOUT_VENDORS: dict[str, str] = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey"}

#: What is known of each tool's answer sets, where it has no set of its own above (docs/reading.md lists it).
VENDOR_NOTES: dict[str, str] = {
    "Qualtrics": "5-point satisfaction and likelihood sets (seen in exports), the 7-point agreement set (seen in a live "
                 "survey), NPS 0–10 (verified); unanswered is blank, or a recode such as 99 / 999 / −99 set by the user",
    "SurveyMonkey": "author-typed labels; an optional N/A column left out of averages (verified); NPS 0–10",
    "Microsoft Forms": "Likert labels as text with “Neutral” as the midpoint (seen in an export parser); NPS as numbers",
    "Google Forms": "linear scales are numbers, 0 or 1 to 3–10, with labels at the ends only (verified, Forms API)",
    "Alchemer": "grids and NPS export a reporting value, 0–10 for NPS (verified); labels unverified",
    "LimeSurvey": "5- and 10-point arrays are numbers only; Yes/No/Uncertain (3 = Uncertain) is no scale (verified)",
    "Typeform": "opinion scale and NPS as numbers; labels and ranges unverified",
    "Webropol": "options carry a numeric “scale value for reports” (verified); labels unverified",
    "Netigate": "star ratings of 5–7 stars; a blank weight is left out of means (verified); labels unverified",
    "Questback": "missing codes 0, −66, −77, −99 (verified, EFS docs); labels unverified",
    "SurveyXact": "interface in Norwegian, Danish, Swedish, German, English (verified); scales unverified",
    "Easyfeedback": "opinion scales start at 0 or 1, with an optional “no statement” answer (verified); labels unverified",
}

#: Numbers that survey tools write for "no answer" (Questback −99/−77/−66, a Qualtrics recode 99/999/−99, Arvo −1,
#: and the habitual 9 / 99 after a short scale): read as a code only when they stand apart from the scale's answers.
KNOWN_CODES: frozenset[float] = frozenset({-999.0, -99.0, -98.0, -97.0, -77.0, -66.0, -9.0, -1.0, 9.0, 99.0, 999.0,
                                           98.0, 97.0, 88.0, 8.0})


def library_set(key: str) -> ScaleSet:
    """The library set with this key."""
    return next(s for s in LIBRARY if s.key == key)


def unused_points(scale: LabelScale, used: set[str]) -> list[str]:
    """The points of ``scale`` (their first label) that no label in ``used`` (normalised) stands for; points printed as
    numbers only (the middle of an end-labelled scale) are not counted.

    >>> unused_points(library_set("agree7").scale, {"strongly disagree", "somewhat agree", "strongly agree"})[:2]
    ['Disagree', 'Somewhat disagree']
    """
    table = scale.table()
    hit = {table[k] for k in used if k in table}
    return [labels[0] for i, labels in enumerate(scale.points) if labels and scale.low + i not in hit]


def points_into(small: LabelScale, large: LabelScale) -> dict[int, int] | None:
    """Each point of ``small`` as a point of ``large`` (the labels of the point that ``large`` holds are all one point
    there, and it holds at least one; its other wordings are not in it), or None: how a statement read on the 4-point
    agreement set moves to the 5-point one when another wave, or the user, says it was asked on five.

    >>> points_into(next(s for s in LABEL_SCALES if s.key == "agree4"), next(s for s in LABEL_SCALES if s.key == "agree5"))
    {1: 1, 2: 2, 3: 4, 4: 5}
    """
    table = large.table()
    out: dict[int, int] = {}
    for i, labels in enumerate(small.points):
        points = {table[normalize(label)] for label in labels if normalize(label) in table}
        if len(points) != 1:
            return None
        out[small.low + i] = points.pop()
    return out if len(set(out.values())) == len(out) else None
