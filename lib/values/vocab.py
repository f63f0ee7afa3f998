"""Vocabularies: the words survey tools use, in English, Swedish and Finnish.

Header words that name a column's role, answer-label sets of the common Likert
scales, the answers that mean "no answer", and survey-tool metadata columns.
The survey tools' layouts are described in docs/formats.md. Everything is compared after
:func:`normalize`, so case, repeated spaces and dash variants do not matter.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
#: Characters that print as nothing: byte-order marks, zero-width spaces and joiners, soft hyphens, word joiners.
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\ufffe"), None)
_SPACES = re.compile(r"\s+")


def visible(text: str) -> str:
    """``text`` without the characters that print as nothing (a byte-order mark inside a cell, a zero-width space).

    >>> visible("\ufeff0 - Not at all satisfied")
    '0 - Not at all satisfied'
    """
    return text.translate(INVISIBLE)


def normalize(text: object) -> str:
    """Case-folded text with one space between words and plain hyphens for every dash.

    >>> normalize("  Stämmer\u00a0 helt – ja ")
    'stämmer helt - ja'
    """
    return _normalized(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _normalized(text: str) -> str:
    """:func:`normalize`, remembered: detection asks for the same labels and names many times over."""
    s = unicodedata.normalize("NFC", text).translate(_DASHES).translate(INVISIBLE).replace("\u00a0", " ")
    return _SPACES.sub(" ", s).strip().casefold()


def split_words(text: object) -> str:
    """Words of a header, with CamelCase, snake_case and dashes split: "LikelyToRecommend" → "likely to recommend".

    >>> split_words("EnvironmentSatisfaction"), split_words("Likely-To-Recommend"), split_words("Q13_248_TEXT")
    ('environment satisfaction', 'likely to recommend', 'q13 248 text')
    """
    s = re.sub(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])", " ", str(text))
    s = re.sub(r"[_\-–—/.:()]+", " ", s)
    return _SPACES.sub(" ", s).strip().casefold()


def header_words(text: object) -> str:
    """A header reduced for keyword matching: normalised, ``_``/punctuation as spaces."""
    s = normalize(text).replace("_", " ")
    s = re.sub(r"[^\w\s#/&-]", " ", s)
    return _SPACES.sub(" ", s).strip()


# ------------------------------------------------------------------ answers

#: Answers that mean "no answer": never zero, never a scale point.
MISSING_ANSWERS: frozenset[str] = frozenset(
    normalize(s)
    for s in (
        "", "-", "--", ".", "n/a", "na", "n.a.", "not applicable", "does not apply",
        "don't know", "dont know", "don’t know", "do not know", "prefer not to say", "no answer",
        "vet inte", "vet ej", "ingen åsikt", "ej aktuellt", "inte aktuellt", "kan inte svara",
        "en osaa sanoa", "eos", "ei koske minua", "ei vastausta",
        "not sure", "unsure", "don't know / not applicable", "no opinion", "rather not say", "prefer not to answer",
        "i don't know", "i prefer not to say", "not relevant", "n/a - not applicable",
        "vet inte/ej aktuellt", "ej tillämpligt", "inte tillämpligt", "vill inte svara", "föredrar att inte svara",
        "vill ej svara", "inget svar", "kan ej svara",
        "en tiedä", "ei sovellu", "ei koske", "en halua vastata", "en halua sanoa", "ei kantaa", "en osaa sanoa/ei koske minua",
        "#n/a", "nan", "none", "null",
    )
)


#: Marks a tool or a program writes for an empty cell (R's "NA", "-", "null"): a blank, not an answer meaning "no
#: answer" ("don't know", "N/A" as an option), so never counted as a code.
BLANK_MARKS: frozenset[str] = frozenset(normalize(s) for s in ("", "-", "--", ".", "na", "#n/a", "nan", "none", "null"))

#: Why an answer is no answer, by the words of its label (checked in this order).
_MISSING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("prefer not to say", re.compile(r"prefer|rather not|vill (inte|ej)|föredrar|halua", re.IGNORECASE)),
    ("not applicable", re.compile(r"applicable|apply|relevant|aktuellt|tillämpligt|koske|sovellu|^n/?a$|^n\.a\.$",
                                  re.IGNORECASE)),
    ("don't know", re.compile(r"know|sure|uncertain|opinion|vet (inte|ej)|åsikt|kan (inte|ej) svara|osaa|tiedä|kantaa|^eos$",
                              re.IGNORECASE)),
)


def missing_kind(label: object) -> str | None:
    """Why a label means no answer ("don't know", "not applicable", "prefer not to say", "no answer"); None when it is
    an answer.

    >>> missing_kind("Vet ej"), missing_kind("Ei koske minua"), missing_kind("Prefer not to say"), missing_kind("Agree")
    ("don't know", 'not applicable', 'prefer not to say', None)
    """
    key = normalize(label)
    if key not in MISSING_ANSWERS:
        return None
    return next((kind for kind, pattern in _MISSING_KINDS if pattern.search(key)), "no answer")


#: Standard numeric Likert scales (low, high), checked in this order.
NUMERIC_SCALES: tuple[tuple[int, int], ...] = ((1, 4), (1, 5), (1, 6), (1, 7), (0, 6), (0, 10), (1, 10))

# ------------------------------------------------------------------ headers

#: Department header words by strength: 3 = names a department, 2 = a unit, 1 = a place.
DEPARTMENT_WORDS: dict[str, int] = {
    **dict.fromkeys(
        ("department", "dept", "departement", "avdelning", "osasto", "parent unit", "org unit",
         "organisational unit", "organizational unit", "organisation unit", "organization unit",
         "organisationsenhet", "org enhet", "organisaatioyksikkö", "business unit", "enhet", "yksikkö",
         "työyksikkö", "tulosyksikkö", "förvaltning", "division", "liiketoimintayksikkö"), 3),
    **dict.fromkeys(
        ("team", "team name", "unit", "bu", "function", "group", "section", "cost center", "cost centre",
         "grupp", "arbetsgrupp", "sektion", "verksamhet", "verksamhetsområde", "affärsområde", "funktion",
         "kostnadsställe", "tiimi", "ryhmä", "vastuualue", "toimiala", "palvelualue", "kustannuspaikka",
         "clinic", "klinik", "mottagning", "klinikka", "service", "tjänst", "palvelu"), 2),
    **dict.fromkeys(
        ("office", "location", "site", "region", "area", "arbetsplats", "kontor", "toimipiste", "alue",
         "ort", "paikkakunta", "branch", "filial"), 1),
}

#: Headers of an organisation's higher units (division, region, administration, area), English, Swedish, Finnish.
LEVEL_WORDS = re.compile(
    r"\b(division|divisions?|region|area|sector|business\s+unit|business\s+area|segment\s+unit|förvaltning(en)?|"
    r"område(t)?|verksamhetsområde|affärsområde|sektor|resultatenhet|toimiala|vastuualue|palvelualue|tulosalue|alue|"
    r"sektori|liiketoiminta-alue|hallinnonala)\b", re.IGNORECASE)

#: Question forms that ask for the department ("Which department do you work in?").
DEPARTMENT_QUESTIONS: tuple[tuple[str, int], ...] = (
    (r"\b(which|what|your)\b.*\b(department|dept|unit|team|division)\b", 3),
    (r"\b(vilken|vilket|din)\b.*\b(avdelning|enhet|team|grupp|förvaltning)\b", 3),
    (r"\b(missä|mikä|mihin)\b.*\b(yksikö|osasto|tiimi|työyksikö)", 3),
    (r"\b(which|what)\b.*\b(office|location|site|clinic|store|branch|shop|ward)s?\b", 1),
    (r"\b(vilket|vilken)\b.*\b(kontor|arbetsplats|mottagning|butik|klinik)\b", 1),
    (r"\b(missä|mikä|mihin|millä)\b.*\b(toimipist|klinik|myymäl|toimipaik)", 1),
)

#: The recommend stem of an NPS question; match on the stem, not the whole text.
RECOMMEND = re.compile(
    r"recommend|rekommendera|suosittel|\bnps\b|\benps\b|net promoter|likely to refer"
    r"|empfehl|recommand|recomend|recomiend",
    re.IGNORECASE,
)
#: Cues that the recommend question is about the workplace (eNPS).
WORKPLACE = re.compile(
    r"place to work|workplace|as an employer|as employer|work(ing)? here|work for|\benps\b|employee net promoter"
    r"|arbetsgivare|arbetsplats|jobba|arbeta (här|hos)|työnantaja|työpaik|työskennellä",
    re.IGNORECASE,
)
#: A 0–10 rating of the whole organisation or event ("On a scale of 0-10, how would you rate Sudzilla?"): read
#: as the customer NPS only when a file has no recommend question, and said so.
RATING_QUESTION = re.compile(r"\bhow (would|do) you rate\b|\brate (us|our)\b", re.IGNORECASE)
#: A weekly pulse ("Where are you on a scale from 1 to 10 this week?").
PULSE = re.compile(r"this week|past week|last week|today|right now|how are you|denna vecka|i veckan|idag|"
                   r"tällä viikolla|tänään|miten voit|hur mår du", re.IGNORECASE)
#: A scale declared in a header: "1–4", "(1-10)", "1 - strongly disagree, 5 - strongly agree", "scale of 0-10".
DECLARED_SCALE = re.compile(r"(?<![\d.])([01])\s*(?:-|–|—|to|till|–)\s*(?:[a-zåäö ,:]{0,40}?)\b(4|5|6|7|10|11)\b",
                            re.IGNORECASE)
#: Words of an agree or rating scale in a header (so numbers under it are a statement's points).
AGREE_HEADER = re.compile(r"\bagree|disagree|instämmer|stämmer|samaa mieltä|eri mieltä", re.IGNORECASE)
#: Header words that name an attitude: numbers under them are answers to a survey question.
ATTITUDE_WORDS = re.compile(
    r"satisf|engag|involvement|involved|balance|happy|happiness|enjoy|proud|motivat|wellbeing|well-being|"
    r"belong|trust|recogni|valued|feedback|morale|nöjd|trivs|trivsel|motivera|engagemang|tyytyv|viihty|"
    r"motivaat|hyvinvoin",
    re.IGNORECASE,
)
#: A header written as a first-person statement ("I feel…", "Jag har…", "Minulla on…").
FIRST_PERSON = re.compile(r"^\W*(i|i'm|my|jag|min|mitt|mina|minä|minulla|olen|koen|tunnen)\b",
                          re.IGNORECASE)
#: A statement about one's work, team or employer ("my job", "min chef", "työni"): with FIRST_PERSON, evidence of an
#: employee survey when its recommend question's header does not say the workplace (cut short by the tool).
WORK_WORDS = re.compile(
    r"\b(job|work|manager|team|colleagues?|organi[sz]ation|employer|workplace|supervisor)\b|"
    r"arbete|arbetet|\bchef|kolleg|arbetsplats|\bteam|työ|esihenkilö|esimie|tiimi",
    re.IGNORECASE,
)
#: The object of a customer's recommend question ("recommend us", "our product", "this workshop"): a customer survey.
CUSTOMER_CUES = re.compile(
    r"\b(us|our|this|these|product|products|service|services|store|shop|brand|workshop|course|session|event|"
    r"training|app|oss|vår|våra|denna|detta|tjänst\w*|butik\w*|meitä|meidän|tätä|tuote\w*|palvelu\w*)\b",
    re.IGNORECASE,
)
#: Header words of HR facts and codes, never survey statements (judged on words split from CamelCase and snake_case).
FACT_WORDS = re.compile(
    r"\b(id|ids|code|codes|no|nr|number|num|count|flag|level|age|ages|year|years|yrs|hours|hour|days|day|minutes|"
    r"salary|income|pay|wage|rate|amount|price|cost|ticket|zip|postal|distance|date|time|times|education|"
    r"performance|perf|stock|option|options|hike|percent|pct|training|absences|late|projects|employee count|"
    r"over18|standard|rank|ranking|weight|height|dob|birth|tenure|sequence|index)\b",
    re.IGNORECASE,
)
#: Words of a unit question or column in English, Swedish and Finnish (office, clinic, site, branch, store…).
UNIT_WORDS = re.compile(
    r"\b(department|dept|unit|team|office|clinic|site|branch|store|shop|location|division|ward|session|event|"
    r"workshop|course|"
    r"avdelning|enhet|kontor|mottagning|klinik|butik|filial|arbetsplats|förvaltning|"
    r"osasto|yksikkö|yksikkö|toimipiste|tiimi|klinikka|myymälä|toimipaikka)\b",
    re.IGNORECASE,
)
#: Negative or turnover wording: a statement that uses it is suggested as reverse-worded (the user confirms).
NEGATIVE_WORDING = re.compile(
    r"\b(leave|leaving|quit|quitting|resign|looking for (a|another) job|burn(ed|t)? ?out|exhausted|stress(ed|ful)?|"
    r"overwhelm\w*|too (much|many)|worried|anxious|unfair|severely|frustrat\w*|"
    r"sluta|lämna|byta jobb|stressad|stress|utmattad|för mycket|orolig|"
    r"lopettaa|lähteä|vaihtaa työpaikkaa|stressi\w*|uupu\w*|liikaa|huoli\w*)\b",
    re.IGNORECASE,
)
#: Dates about a person, not about the answer: never the response date.
PERSONAL_DATES = re.compile(r"\b(dob|birth|born|hire|hired|termination|terminated|review|anställ\w*|födelse\w*|"
                            r"syntymä\w*|palkattu)\b", re.IGNORECASE)
#: Decimal columns whose header names a score: read as a precomputed engagement score.
SCORE_WORDS = re.compile(r"engagement|score|index|satisfaction", re.IGNORECASE)

#: A Qualtrics NPS-group companion ("Q12_NPS_GROUP", "(Group) Q4_NPS_GROUP", "… - Group").
NPS_GROUP = re.compile(r"nps_group|\(group\)|\s-\s*group$", re.IGNORECASE)
NPS_GROUP_VALUES = frozenset({"promoter", "passive", "detractor", "neutral", "promoters", "passives", "detractors"})

DATE_WORDS: dict[str, int] = {
    # completion time first: it is when the answer was given.
    **dict.fromkeys(("recordeddate", "recorded date"), 4),
    **dict.fromkeys(
        ("enddate", "end date", "completion time", "submit date utc",
         "submit date", "date submitted", "submitdate", "submitted", "timestamp", "svarsdatum", "slutdatum",
         "vastausaika", "vastauspäivä", "aikaleima", "besvarad", "answered", "response date", "date"), 3),
    **dict.fromkeys(
        ("startdate", "start date", "start time", "start date utc", "time started", "date started",
         "startdatum", "datestamp", "date last action", "last modified time", "datum", "päivämäärä",
         "aloitusaika", "pvm", "visit date", "besöksdatum", "käyntipäivä", "week", "vecka", "viikko"), 2),
}

ID_WORDS: frozenset[str] = frozenset(
    header_words(s)
    for s in (
        "ResponseId", "Response ID", "ResponseID", "Respondent ID", "RespondentID", "ID", "Id", "#", "id",
        "_recordId", "Svars-ID", "Svars ID", "Respondent-ID", "Vastaaja", "Vastaajan tunnus", "Vastaus ID",
        "response id", "respondent", "record id", "token", "Vastaajatunniste", "Vastaustunniste", "Vastaajatunnus",
    )
)

STATUS_WORDS: frozenset[str] = frozenset({"status", "response type", "antworttyp", "svarstyp", "vastaustyyppi"})
#: Qualtrics/Alchemer Status values that are not real responses.
EXCLUDED_STATUS_TEXT: frozenset[str] = frozenset(
    normalize(s)
    for s in (
        "Survey Preview", "Survey Test", "Spam", "Preview Spam", "Imported Spam", "Offline Preview",
        "Preview", "Test", "Disqualified", "Deleted",
    )
)
#: Qualtrics numeric Status codes: 1 preview, 2 test, 8 spam, 9 preview spam, 12 imported spam, 17 offline preview.
EXCLUDED_STATUS_CODES: frozenset[int] = frozenset({1, 2, 8, 9, 12, 17})
KNOWN_STATUS_TEXT: frozenset[str] = EXCLUDED_STATUS_TEXT | frozenset(
    normalize(s) for s in ("IP Address", "Imported", "Offline", "Complete", "Partial", "EX", "32 / EX", "36 / Imported")
)

COMMENT_WORDS = re.compile(
    r"comment|why|reason|what could|what can|improve|feedback|suggest|anything else|other thoughts|open-ended|"
    r"kommentar|varför|motivera|förbättra|synpunkt|övrigt|"
    r"kommentti|kommentoi|miksi|perustel|parantaa|palaute|muuta",
    re.IGNORECASE,
)

#: A header that asks for a comment or a reason (EN, SV, FI): its answers are comments even when they repeat, so it
#: outweighs the few-different-values rule of a grouping ("What is the main reason for your score?", "Kommentar",
#: "Mitä parantaisit?"). A reason for something else ("Reason for visit") is a grouping.
COMMENT_ASKS = re.compile(
    r"\bcomments?\b|\bwhy\b|reasons? for (your|the|this) (score|rating|grade|answer|response)|what could|what can|"
    r"\bimprove|\bsuggest|anything else|other thoughts|feedback|"
    r"kommentar|varför|motivera|förbättra|synpunkt|övriga? (kommentar|synpunkt|tankar)|vad kan (göras|vi)|"
    r"kommentti|kommentoi|miksi|perustel|paranta|kehittä|palaute|muuta kerrottavaa|terveis",
    re.IGNORECASE,
)

#: Survey-tool metadata columns: never a role, often personal data (docs/formats.md).
METADATA_WORDS: frozenset[str] = frozenset(
    header_words(s)
    for s in (
        "IPAddress", "IP Address", "IP-Adresse", "ipaddr", "IP-adress", "IP-osoite", "Progress", "Duration (in seconds)",
        "Duration", "Finished", "Recipient Last Name", "Recipient First Name", "Recipient Email",
        "RecipientLastName", "RecipientFirstName", "RecipientEmail", "External Data Reference", "ExternalReference",
        "ExternalDataReference", "Location Latitude", "Location Longitude", "LocationLatitude", "LocationLongitude",
        "LocationAccuracy", "Distribution Channel", "DistributionChannel", "User Language", "UserLanguage",
        "ResponseSet", "Name", "EmailAddress", "Email Address", "Email address", "Email", "E-mail", "E-post",
        "Sähköposti", "First Name", "Last Name", "Custom Data 1", "Collector ID", "CollectorID", "Network ID",
        "lastpage", "Last page", "startlanguage", "Start language", "seed", "refurl", "Referrer URL",
        "interviewtime", "Total time", "Contact ID", "Legacy Comments", "Language", "Referer", "Extended Referer",
        "SessionID", "User Agent", "Extended User Agent", "Longitude", "Latitude", "Country", "City",
        "State/Region", "Postal", "Total points", "Quiz feedback", "Score", "Participant Name",
        "Participant Email", "Tags", "Ending", "Response Type Typeform",
    )
)
METADATA_PATTERNS = re.compile(r"^(question time|group time|points - |feedback - )|^\w*time$|^grouptime|^v\d+$", re.IGNORECASE)

#: Row-2 cells SurveyMonkey writes under a single-answer or text question.
SURVEYMONKEY_SUBHEADERS: frozenset[str] = frozenset(
    normalize(s) for s in ("Response", "Open-Ended Response", "Svar", "Öppet svar", "Vastaus", "Avoin vastaus")
)
SURVEYMONKEY_OPEN: frozenset[str] = frozenset(normalize(s) for s in ("Open-Ended Response", "Öppet svar", "Avoin vastaus"))
