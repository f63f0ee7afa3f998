"""Sample data for demos: a customer NPS survey and an employee engagement survey.

``python -m lib make-sample`` writes ``sample_data/customer_survey.xlsx`` and
``sample_data/employee_survey.xlsx``, and the same surveys in Swedish (``kundenkat.xlsx``,
``medarbetarenkat.xlsx``) and Finnish (``asiakaskysely.xlsx``, ``henkilostokysely.xlsx``).
Everything comes from a fixed seed and the workbooks carry fixed timestamps, so the bytes are
the same on every run, and the three languages draw the same numbers: their figures are identical.

What the demo shows: 12 departments of an occupational-health provider; a year
of customer answers with a few preview responses and blanks (rows left out);
one employee survey wave with 10 statements (one reverse-worded), an eNPS
question; open comments on both sides ("why"), mostly in the file's language and a few in
the other two, about the starter codebook's themes and tied to the score (detractors write of waiting
times and booking, promoters of the staff; staff with a low eNPS of workload and their manager, those
with a high one of colleagues), some short ("Bra service") and many repeated, drawn from a second
generator (:data:`TEXT_SEED`) so that no figure depends on them; "Pharmacy Services" has only 3 employee responses (below
the anonymity threshold); "Home Care" is called "Homecare" in the employee file
(map them on the Data page); and departments with more engaged staff tend to
have more loyal customers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED = 20261122
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

#: Engagement level (0–100), customers and employees of each department, in :data:`TEXTS`' department order.
SIZES: tuple[tuple[float, int, int], ...] = (
    (74, 420, 58), (66, 360, 44), (71, 330, 40), (62, 280, 31), (55, 300, 36), (49, 260, 27),
    (58, 150, 18), (52, 310, 39), (60, 190, 22), (68, 210, 25), (77, 170, 21), (63, 140, 3),
)
REVERSED = 5  # the statement (by position) that is reverse-worded


@dataclass(frozen=True)
class Texts:
    """Everything a sample file says, in one language; the figures come from the seed alone."""

    departments: tuple[tuple[str, str], ...]  # (customer file's name, employee file's name)
    statements: tuple[str, ...]
    agree: tuple[str, ...]
    dont_know: str
    channels: tuple[str, ...]
    roles: tuple[str, ...]
    tenure: tuple[str, ...]
    nps_question: str
    enps_question: str
    nps_ends: tuple[str, str]
    customer_header: tuple[str, ...]  # id, status, time, department, channel, (question), reason
    employee_header: tuple[str, ...]  # id, submitted, department, role, tenure, (statements, eNPS), comment
    files: tuple[str, str]
    mapping: tuple[str, str]  # the renamed unit: employee file's name -> customer file's name


TEXTS: dict[str, Texts] = {
    "en": Texts(
        departments=(("Occupational Health Stockholm", "Occupational Health Stockholm"),
                     ("Occupational Health Gothenburg", "Occupational health Gothenburg"),
                     ("Occupational Health Helsinki", "Occupational Health Helsinki"),
                     ("Physiotherapy – Central", "physiotherapy - central"), ("Home Care", "Homecare"),
                     ("IT Service Desk", "IT Service Desk"), ("Payroll Services", "Payroll Services"),
                     ("Customer Support", "Customer Support"), ("Field Service North", "Field Service North"),
                     ("Field Service South", "Field Service South"), ("Rehabilitation", "Rehabilitation"),
                     ("Pharmacy Services", "Pharmacy Services")),
        statements=("I know what is expected of me at work", "I have the tools and equipment I need to do my job well",
                    "My manager gives me regular, useful feedback", "I feel my work makes a difference for our clients",
                    "I would like to be working here in two years' time", "I often think about leaving this organisation",
                    "My team works well together", "I have opportunities to learn and grow",
                    "Workload in my team is manageable", "I am proud to work here"),
        agree=("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
        dont_know="Don't know",
        channels=("Visit", "Phone", "Video"),
        roles=("Clinician", "Administrator", "Manager", "Technician"),
        tenure=("< 1 year", "1-3 years", "3-10 years", "> 10 years"),
        nps_question="How likely is it that you would recommend us to a friend or colleague?",
        enps_question="How likely are you to recommend Northwind Care as a place to work to a friend?",
        nps_ends=("0 - Not at all likely", "10 - Extremely likely"),
        customer_header=("Response ID", "Status", "Completion time", "Department", "Channel",
                         "What is the main reason for your score?"),
        employee_header=("Respondent ID", "Submitted", "Department", "Role", "Tenure",
                         "What would make this a better place to work?"),
        files=("customer_survey.xlsx", "employee_survey.xlsx"),
        mapping=("Homecare", "Home Care"),
    ),
    "sv": Texts(
        departments=(("Företagshälsa Stockholm", "Företagshälsa Stockholm"),
                     ("Företagshälsa Göteborg", "företagshälsa Göteborg"),
                     ("Företagshälsa Helsingfors", "Företagshälsa Helsingfors"),
                     ("Fysioterapi – Centrum", "fysioterapi - centrum"), ("Hemtjänst", "Hemtjänsten"),
                     ("IT-servicedesk", "IT-servicedesk"), ("Lönetjänster", "Lönetjänster"),
                     ("Kundtjänst", "Kundtjänst"), ("Fältservice Norr", "Fältservice Norr"),
                     ("Fältservice Syd", "Fältservice Syd"), ("Rehabilitering", "Rehabilitering"),
                     ("Apotekstjänster", "Apotekstjänster")),
        statements=("Jag vet vad som förväntas av mig i arbetet",
                    "Jag har de verktyg och den utrustning jag behöver för att göra ett bra jobb",
                    "Min chef ger mig regelbunden och användbar återkoppling",
                    "Jag känner att mitt arbete gör skillnad för våra kunder",
                    "Jag skulle vilja arbeta här om två år", "Jag tänker ofta på att lämna organisationen",
                    "Mitt team samarbetar bra", "Jag har möjligheter att lära och utvecklas",
                    "Arbetsbelastningen i mitt team är hanterbar", "Jag är stolt över att arbeta här"),
        agree=("Instämmer inte alls", "Instämmer inte", "Varken instämmer eller tar avstånd", "Instämmer",
               "Instämmer helt"),
        dont_know="Vet ej",
        channels=("Besök", "Telefon", "Video"),
        roles=("Behandlare", "Administratör", "Chef", "Tekniker"),
        tenure=("< 1 år", "1-3 år", "3-10 år", "> 10 år"),
        nps_question="Hur troligt är det att du skulle rekommendera oss till en vän eller kollega?",
        enps_question="Hur troligt är det att du skulle rekommendera Northwind Care som arbetsplats till en vän?",
        nps_ends=("0 - Inte alls troligt", "10 - Extremt troligt"),
        customer_header=("Svars-id", "Status", "Slutförd", "Avdelning", "Kanal", "Vad är det främsta skälet till ditt betyg?"),
        employee_header=("Svars-id", "Inskickad", "Avdelning", "Roll", "Anställningstid",
                         "Vad skulle göra det här till en bättre arbetsplats?"),
        files=("kundenkat.xlsx", "medarbetarenkat.xlsx"),
        mapping=("Hemtjänsten", "Hemtjänst"),
    ),
    "fi": Texts(
        departments=(("Työterveys Tukholma", "Työterveys Tukholma"), ("Työterveys Göteborg", "työterveys Göteborg"),
                     ("Työterveys Helsinki", "Työterveys Helsinki"), ("Fysioterapia – Keskusta", "fysioterapia - keskusta"),
                     ("Kotihoito", "Kotihoitopalvelut"), ("IT-palvelupiste", "IT-palvelupiste"),
                     ("Palkkapalvelut", "Palkkapalvelut"), ("Asiakaspalvelu", "Asiakaspalvelu"),
                     ("Kenttähuolto Pohjoinen", "Kenttähuolto Pohjoinen"), ("Kenttähuolto Etelä", "Kenttähuolto Etelä"),
                     ("Kuntoutus", "Kuntoutus"), ("Apteekkipalvelut", "Apteekkipalvelut")),
        statements=("Tiedän, mitä minulta odotetaan työssä",
                    "Minulla on työkalut ja välineet, joita tarvitsen tehdäkseni työni hyvin",
                    "Esihenkilöni antaa minulle säännöllistä ja hyödyllistä palautetta",
                    "Koen, että työlläni on merkitystä asiakkaillemme", "Haluaisin työskennellä täällä kahden vuoden päästä",
                    "Ajattelen usein tämän organisaation jättämistä", "Tiimini toimii hyvin yhdessä",
                    "Minulla on mahdollisuuksia oppia ja kehittyä", "Tiimini työmäärä on hallittavissa",
                    "Olen ylpeä siitä, että työskentelen täällä"),
        agree=("Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin samaa mieltä",
               "Täysin samaa mieltä"),
        dont_know="En osaa sanoa",
        channels=("Käynti", "Puhelin", "Video"),
        roles=("Hoitaja", "Hallinto", "Esihenkilö", "Teknikko"),
        tenure=("< 1 vuosi", "1-3 vuotta", "3-10 vuotta", "> 10 vuotta"),
        nps_question="Kuinka todennäköistä on, että suosittelisit meitä ystävällesi tai kollegallesi?",
        enps_question="Kuinka todennäköistä on, että suosittelisit Northwind Carea työpaikkana ystävällesi?",
        nps_ends=("0 - Ei lainkaan todennäköistä", "10 - Erittäin todennäköistä"),
        customer_header=("Vastaustunniste", "Status", "Valmistunut", "Yksikkö", "Kanava",
                         "Mikä on tärkein syy antamaasi arvosanaan?"),
        employee_header=("Vastaajatunniste", "Lähetetty", "Yksikkö", "Rooli", "Työsuhteen kesto",
                         "Mikä tekisi tästä paremman työpaikan?"),
        files=("asiakaskysely.xlsx", "henkilostokysely.xlsx"),
        mapping=("Kotihoitopalvelut", "Kotihoito"),
    ),
}
# The English sample's names, as the tests and the README use them.
DEPARTMENTS = tuple((c, e, *sizes) for (c, e), sizes in zip(TEXTS["en"].departments, SIZES))
STATEMENTS = tuple((text, i == REVERSED) for i, text in enumerate(TEXTS["en"].statements))
AGREE = TEXTS["en"].agree
NPS_QUESTION = TEXTS["en"].nps_question
ENPS_QUESTION = TEXTS["en"].enps_question


#: The open comments' second seed: texts are drawn from their own generator, so no score depends on them.
TEXT_SEED = SEED + 24
#: How often a comment is written in one of the other two languages, as in real Nordic files.
OTHER_LANGUAGE = 0.05

# Comment sentences by theme of the starter codebook (lib/figures/starter_codebook.json) and language:
# (critical, appreciative). A sentence mentions its own theme only.
_Bank = dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]]
CUSTOMER_COMMENTS: _Bank = {
    "wait": {
        "en": (("Had to wait too long on the phone", "The queue was far too long", "Waited almost an hour in the lobby",
                "I was on hold for forty minutes"), ("Hardly any wait at all", "No waiting, I got in right away")),
        "sv": (("Fick vänta för länge i telefon", "Alldeles för lång kö", "Väntade nästan en timme i väntrummet",
                "Lång väntetid i telefonen"), ("Ingen väntetid alls", "Kom in direkt")),
        "fi": (("Piti odottaa puhelimessa liian kauan", "Jono oli aivan liian pitkä", "Odotin melkein tunnin aulassa",
                "Odotusaika oli kohtuuton"), ("Ei tarvinnut odottaa lainkaan", "Pääsin heti sisään"))},
    "booking": {
        "en": (("The booking system was confusing", "Could not book online", "My appointment was cancelled twice",
                "Impossible to reschedule"), ("Easy to book online", "Booking was quick and simple")),
        "sv": (("Bokningssystemet var förvirrande", "Gick inte att boka på nätet", "Min bokade tid ställdes in två gånger",
                "Omöjligt att få en tid"), ("Enkelt att boka på nätet", "Smidig bokning")),
        "fi": (("Ajanvarausjärjestelmä oli sekava", "Netissä ei voinut varata aikaa", "Varaukseni peruttiin kahdesti",
                "Ajanvaraus ei toiminut"), ("Ajanvaraus sujui helposti", "Helppo varaus netissä"))},
    "staff": {
        "en": (("The receptionist was rude", "The staff seemed indifferent"),
               ("Friendly and professional staff", "The nurse was very kind", "Lovely receptionist",
                "The staff really listened to me")),
        "sv": (("Otrevligt bemötande i receptionen", "Personalen verkade ointresserad"),
               ("Trevlig och professionell personal", "Sjuksköterskan var mycket vänlig", "Fint bemötande",
                "Personalen lyssnade verkligen på mig")),
        "fi": (("Vastaanotossa oli töykeä kohtelu", "Henkilökunta vaikutti välinpitämättömältä"),
               ("Ystävällinen ja ammattitaitoinen henkilökunta", "Hoitaja oli todella mukava", "Ihana kohtelu",
                "Henkilökunta kuunteli minua"))},
    "info": {
        "en": (("Nobody explained the results", "The letter had no useful information"),
               ("Clear advice, thank you", "Everything was explained well")),
        "sv": (("Ingen förklarade resultaten", "Brevet saknade information"),
               ("Tydliga råd, tack", "Fick tydlig information")),
        "fi": (("Kukaan ei kertonut tuloksista", "Kirjeessä ei ollut tarpeellista tietoa"),
               ("Selkeitä neuvoja, kiitos", "Sain selkeät ohjeet"))},
}
EMPLOYEE_COMMENTS: _Bank = {
    "workload": {
        "en": (("The workload is far too heavy", "We are understaffed every week", "Too much overtime lately",
                "No time for a break", "Constant stress"), ("The workload is manageable now",)),
        "sv": (("Arbetsbelastningen är alldeles för hög", "Vi har för låg bemanning varje vecka",
                "För mycket övertid på sistone", "Ingen tid för rast", "Ständig stress"),
               ("Arbetsbelastningen är hanterbar nu",)),
        "fi": (("Työkuorma on aivan liian suuri", "Meillä on jatkuvasti liian vähän väkeä", "Liikaa ylitöitä viime aikoina",
                "Ei aikaa tauolle", "Jatkuva kiire"), ("Työmäärä on nyt kohtuullinen",))},
    "manager": {
        "en": (("My manager never gives feedback", "Clearer priorities from management", "The leadership ignores us"),
               ("My manager supports me well",)),
        "sv": (("Min chef ger aldrig återkoppling", "Tydligare prioriteringar från ledningen", "Ledningen struntar i oss"),
               ("Min chef stöttar mig bra",)),
        "fi": (("Esihenkilöni ei koskaan anna palautetta", "Selkeämmät prioriteetit johdolta", "Johto ei välitä meistä"),
               ("Esihenkilöni tukee minua hyvin",))},
    "colleagues": {
        "en": (("Conflicts in the team",), ("I like my colleagues", "Great atmosphere", "We help each other",
                                           "Wonderful coworkers")),
        "sv": (("Konflikter i arbetsgruppen",), ("Jag trivs med mina kollegor", "Bra stämning", "Vi hjälper varandra",
                                                 "Fantastiska arbetskamrater")),
        "fi": (("Tiimissä on ristiriitoja",), ("Pidän työkavereistani", "Hyvä yhteishenki", "Autamme toisiamme",
                                               "Mahtava työyhteisö"))},
    "pay": {
        "en": (("Pay is too low for the job", "The salary has not risen with prices"), ("Good benefits",)),
        "sv": (("Lönen är för låg för jobbet", "Lönen har inte följt priserna"), ("Bra förmåner",)),
        "fi": (("Palkka on liian pieni työhön nähden", "Palkka ei ole noussut hintojen mukana"), ("Hyvät työsuhde-edut",))},
    "tools": {
        "en": (("Better scheduling tools", "The computers are slow", "The new system crashes often"), ()),
        "sv": (("Bättre verktyg för schemaläggning", "Datorerna är långsamma", "Det nya systemet kraschar ofta"), ()),
        "fi": (("Paremmat työvuorosuunnittelun välineet", "Tietokoneet ovat hitaita", "Uusi järjestelmä kaatuu usein"), ())},
    "development": {
        "en": (("The training budget is too small", "More chances to develop my career"), ("Good courses this year",)),
        "sv": (("Utbildningsbudgeten är för liten", "Fler möjligheter att utvecklas"), ("Bra kurser i år",)),
        "fi": (("Koulutusbudjetti on liian pieni", "Enemmän mahdollisuuksia kehittyä"), ("Hyviä kursseja tänä vuonna",))},
}
#: Short comments that name no theme (language detection cannot read them: they take the file's language).
SHORT_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "customer": {"en": ("Good service", "Thank you"), "sv": ("Bra service", "Tack så mycket"),
                 "fi": ("Hyvä palvelu", "Kiitos")},
    "employee": {"en": ("Flexible hours are great", "Nice place"), "sv": ("Flexibla arbetstider är toppen", "Trivs bra"),
                 "fi": ("Joustavat työajat ovat hienoja", "Kiva paikka")},
}
#: The planted themes: per score group (detractor, passive, promoter), how likely a comment is about each theme.
CUSTOMER_THEMES: dict[str, tuple[float, ...]] = {  # wait, booking, staff, info
    "detractor": (0.45, 0.3, 0.1, 0.15), "passive": (0.25, 0.25, 0.25, 0.25), "promoter": (0.08, 0.07, 0.6, 0.25)}
EMPLOYEE_THEMES: dict[str, tuple[float, ...]] = {  # workload, manager, colleagues, pay, tools, development
    "detractor": (0.38, 0.3, 0.04, 0.12, 0.1, 0.06), "passive": (0.2, 0.15, 0.2, 0.15, 0.15, 0.15),
    "promoter": (0.06, 0.08, 0.5, 0.1, 0.1, 0.16)}


def _group(score: int) -> str:
    return "detractor" if score <= 6 else "promoter" if score >= 9 else "passive"


def comment(words: np.random.Generator, side: str, score: int, language: str) -> str:
    """One open comment whose theme and tone follow the writer's 0–10 score: mostly in ``language``, now and then in
    another of the three; a short one without a theme; sometimes two sentences on two themes. Every draw comes
    from ``words`` (the text generator), never from the one that draws the scores."""
    bank, weights = (CUSTOMER_COMMENTS, CUSTOMER_THEMES) if side == "customer" else (EMPLOYEE_COMMENTS, EMPLOYEE_THEMES)
    group = _group(score)
    others = [lg for lg in TEXTS if lg != language]
    lang = others[int(words.integers(len(others)))] if words.random() < OTHER_LANGUAGE else language
    if words.random() < 0.1:
        short = SHORT_COMMENTS[side][language]  # short ones stay in the file's language (nobody could tell)
        return short[int(words.integers(len(short)))]
    keys = list(bank)
    parts = []
    for _ in range(2 if words.random() < 0.25 else 1):
        key = keys[int(words.choice(len(keys), p=weights[group]))]
        critical, kind = bank[key][lang]
        tone = critical if not kind or group == "detractor" or (group == "passive" and words.random() < 0.5) else kind
        text = tone[int(words.integers(len(tone)))]
        if text not in parts:
            parts.append(text)
    return ". ".join(parts)


def _nps_target(engagement: float, rng: np.random.Generator) -> float:
    return float(np.clip(-20 + 1.3 * (engagement - 45) + rng.normal(0, 8), -60, 80))


def _scores(target_nps: float, n: int, rng: np.random.Generator) -> np.ndarray:
    p_det = float(np.clip(0.38 - target_nps / 260, 0.04, 0.9))
    p_pro = float(np.clip(p_det + target_nps / 100, 0.03, 0.95))
    p_pas = max(0.02, 1 - p_det - p_pro)
    total = p_det + p_pas + p_pro
    group = rng.choice(3, size=n, p=[p_det / total, p_pas / total, p_pro / total])
    det = rng.choice(7, size=n, p=[0.04, 0.04, 0.07, 0.1, 0.15, 0.25, 0.35])
    pas = rng.choice([7, 8], size=n, p=[0.45, 0.55])
    pro = rng.choice([9, 10], size=n, p=[0.5, 0.5])
    return np.where(group == 0, det, np.where(group == 1, pas, pro))


def customer_rows(rng: np.random.Generator, t: Texts = TEXTS["en"], words: np.random.Generator | None = None
                  ) -> tuple[list[str], list[list[object]]]:
    """The customer survey's rows: scores and everything else from ``rng``, the comments' texts from ``words``
    (default: a generator of :data:`TEXT_SEED`)."""
    words = np.random.default_rng(TEXT_SEED) if words is None else words
    language = _language(t)
    header = [*t.customer_header[:5], t.nps_question, t.customer_header[5]]
    rows: list[list[object]] = []
    start = dt.datetime(2025, 11, 1, 8, 0)
    for (name, _), (engagement, n, _) in zip(t.departments, SIZES):
        target = _nps_target(engagement, rng)
        scores = _scores(target, n, rng)
        days = rng.integers(0, 365, size=n)
        minutes = rng.integers(0, 9 * 60, size=n)
        channels = rng.choice(list(t.channels), size=n, p=[0.6, 0.25, 0.15])
        for i in range(n):
            score: object = int(scores[i])
            if score == 10:
                score = t.nps_ends[1]
            elif score == 0:
                score = t.nps_ends[0]
            if rng.random() < 0.01:
                score = None
            text = None
            if rng.random() < 0.3:
                rng.integers(8)  # the draw that once chose the comment, kept so that every later figure stays the same
                text = comment(words, "customer", int(scores[i]), language)
            when = start + dt.timedelta(days=int(days[i]), minutes=int(minutes[i]))
            rows.append([None, "IP Address", when, name, str(channels[i]), score, text])
    order = np.argsort([r[2] for r in rows], kind="stable")
    rows = [rows[i] for i in order]
    for i in (5, 17, 40):
        rows[i][1] = "Survey Preview"
    for i, r in enumerate(rows):
        r[0] = f"R_{i + 1:06d}"
    return header, rows


def employee_rows(rng: np.random.Generator, t: Texts = TEXTS["en"], words: np.random.Generator | None = None
                  ) -> tuple[list[str], list[list[object]]]:
    """The employee survey's rows: answers from ``rng``, the comments' texts from ``words``."""
    words = np.random.default_rng(TEXT_SEED + 1) if words is None else words
    language = _language(t)
    header = [*t.employee_header[:5], *t.statements, t.enps_question, t.employee_header[5]]
    rows: list[list[object]] = []
    start = dt.datetime(2026, 9, 7, 8, 0)
    rid = 5001
    for (_, name), (engagement, _, n) in zip(t.departments, SIZES):
        for _ in range(n):
            person = rng.normal(engagement, 12)
            answers: list[object] = []
            for j in range(len(t.statements)):
                rev = j == REVERSED
                latent = (person - 50) / 25 + rng.normal(0, 0.8)
                if rev:
                    latent = -latent
                point = int(np.clip(np.round(3 + 1.3 * latent), 1, 5))
                answers.append(t.dont_know if rng.random() < 0.02 else t.agree[point - 1])
            enps = int(np.clip(np.round(rng.normal((person - 20) / 5.5, 1.8)), 0, 10))
            when = start + dt.timedelta(days=int(rng.integers(0, 14)), minutes=int(rng.integers(0, 600)))
            text = None
            if rng.random() < 0.25:
                rng.integers(6)  # the draw that once chose the comment, kept so that every later figure stays the same
                text = comment(words, "employee", enps, language)
            rows.append([rid, when, name, str(rng.choice(list(t.roles), p=[0.5, 0.25, 0.1, 0.15])),
                         str(rng.choice(list(t.tenure))), *answers, enps, text])
            rid += 1
    order = np.argsort([r[1] for r in rows], kind="stable")
    return header, [rows[i] for i in order]


def _language(t: Texts) -> str:
    return next(lang for lang, texts in TEXTS.items() if texts is t) if any(x is t for x in TEXTS.values()) else "en"


def workbook_bytes(header: list[str], rows: list[list[object]], sheet: str = "Responses") -> bytes:
    """An .xlsx of one sheet, with fixed timestamps so the bytes are reproducible."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.number_format = "@"
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible_zip(buf.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`FIXED_TIME` and core.xml's dates fixed."""
    from lib.read.zipparts import rewrite

    def fix(name: str, body: bytes) -> bytes:
        if name == "docProps/core.xml":
            return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
        return body

    return rewrite(data, fix, FIXED_TIME)


def make_sample(language: str = "en") -> dict[str, bytes]:
    """The two sample workbooks of one language by file name; every language draws the same numbers from the seed,
    so the figures are identical and only the words differ."""
    t = TEXTS[language]
    rng, words = np.random.default_rng(SEED), np.random.default_rng(TEXT_SEED)
    c_header, c_rows = customer_rows(rng, t, words)
    e_header, e_rows = employee_rows(rng, t, words)
    return {t.files[0]: workbook_bytes(c_header, c_rows), t.files[1]: workbook_bytes(e_header, e_rows)}


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_MAPPING: dict[str, str] = dict([TEXTS["en"].mapping])
#: The sample's employee statement that is reverse-worded, confirmed as the app and the README's command do.
SAMPLE_COLUMNS: dict[str, str] = {TEXTS["en"].statements[REVERSED]: "reverse-item"}


def sample_files(language: str) -> tuple[Path, Path]:
    """The bundled customer and employee workbooks of ``language`` (English for any other)."""
    t = TEXTS.get(language, TEXTS["en"])
    return SAMPLE_DIR / t.files[0], SAMPLE_DIR / t.files[1]


def sample_mapping(language: str) -> dict[str, str]:
    return dict([TEXTS.get(language, TEXTS["en"]).mapping])


def sample_columns(language: str) -> dict[str, str]:
    return {TEXTS.get(language, TEXTS["en"]).statements[REVERSED]: "reverse-item"}


def write_sample(folder: Path = SAMPLE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in {k: v for lang in TEXTS for k, v in make_sample(lang).items()}.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
