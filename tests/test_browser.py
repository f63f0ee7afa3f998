"""The app in a real browser: Playwright driving Debian's Chromium against `streamlit run app.py`.

Skipped, with the reason shown, where Chromium or Playwright is missing. Saves a
screenshot of every page to artifacts/screenshots/ (and, with
UPDATE_SCREENSHOTS=1, to docs/screenshots/ for the README). Every step waits on
the app's own state (its connection and script state, the text it should show),
never on a fixed time, and clicks elements by role or test id, never by pixel.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import free_port, wait_health
from lib.figures.filters import Filters
from lib.sample import SAMPLE_COLUMNS, SAMPLE_DIR, SAMPLE_MAPPING
from lib.figures.summary import Settings, summarize
from lib.survey.frame import load_survey

from . import exports as ex
from .processes import stop

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = playwright.expect


def shown(x: float) -> str:
    """A score as the app writes it in English: one decimal, a true minus sign (U+2212), one formatter."""
    from lib.i18n import set_language
    from lib.present.model import number

    set_language("en")
    return number(x, "score")


@contextlib.contextmanager
def serve(tmp_path_factory, port: int | None = None, more: list[str] | None = None, env: dict[str, str] | None = None):
    """``streamlit run app.py`` on a loopback port (``more``: other options; ``env``: more environment), stopped
    after."""
    port = port or free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
             "--global.developmentMode", "false", *(more or [])],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_health(url)
        except SystemExit:
            pytest.fail("streamlit did not answer /_stcore/health: " + log.read_text()[-2000:])
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(server)
    wait(pg)
    yield pg
    context.close()


def wait(pg, timeout: float = 30_000) -> None:
    """Until the app is connected, its script has finished and nothing is still loading."""
    pg.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    pg.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    expect(pg.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(pg.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)


def metric_value(pg, label: str):
    return pg.locator("[data-testid='stMetric']", has_text=label).first.get_by_test_id("stMetricValue")


def metric(pg, label: str) -> str:
    return metric_value(pg, label).inner_text().strip()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    height = pg.evaluate("() => Math.max(...[...document.querySelectorAll('section, [data-testid=\\'stMain\\']')]"
                         ".map(e => e.scrollHeight), 1000)")
    pg.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 6000)})
    wait(pg)
    pg.evaluate("() => document.fonts.ready")
    charts = pg.get_by_test_id("stVegaLiteChart")
    for i in range(charts.count()):  # every chart has drawn its marks
        expect(charts.nth(i).locator("svg, canvas").first).to_be_attached()
    pg.screenshot(path=str(path), full_page=True)
    pg.set_viewport_size({"width": 1440, "height": 1000})
    if os.environ.get("UPDATE_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


def goto(pg, title: str) -> None:
    pg.get_by_role("link", name=title).first.click()
    expect(pg.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=30_000)
    wait(pg)


def sample_summary(departments=None):
    c = load_survey((SAMPLE_DIR / "customer_survey.xlsx").read_bytes(), "customer_survey.xlsx", kind="customer")
    e = load_survey((SAMPLE_DIR / "employee_survey.xlsx").read_bytes(), "employee_survey.xlsx", kind="employee",
                    columns=SAMPLE_COLUMNS)
    return summarize(c, e, Filters(departments=frozenset(departments) if departments else None),
                     Settings(mapping=tuple(SAMPLE_MAPPING.items())))


def test_every_page_on_the_sample_with_screenshots(page):
    assert page.get_by_text("sample data").first.is_visible()
    assert metric(page, "Customer NPS") == shown(sample_summary().nps.score)
    shot(page, "overview")
    for title, name in (("Customer NPS", "customer"), ("Engagement", "engagement"), ("Linkage", "linkage"),
                        ("Over time", "trends"), ("Data", "data")):
        goto(page, title)
        assert page.get_by_test_id("stException").count() == 0, title
        shot(page, name)
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0  # the Data page has no charts


def test_filter_a_department_and_download(page):
    dept = "IT Service Desk"
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    box.click()
    page.keyboard.type(dept)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(metric_value(page, "Customer NPS")).to_have_text(shown(sample_summary([dept]).nps.score), timeout=30_000)
    wait(page)
    assert "dept=IT+Service+Desk" in page.url or "dept=IT%20Service%20Desk" in page.url
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Excel")).first.click()
    download = info.value
    assert download.suggested_filename == "departments.xlsx"
    data = Path(download.path()).read_bytes()
    assert data[:2] == b"PK"


def test_click_a_chart_filters_the_views(page):
    goto(page, "Customer NPS")
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    top = max((d for d in sample_summary().departments if d.nps), key=lambda d: d.nps.score)
    # the department's bar, found by its ARIA role and label (Vega labels every mark it draws)
    bar = chart.locator(f"[role='graphics-symbol'][aria-roledescription='bar'][aria-label*='department: {top.department};']")
    bar.click()
    expect(metric_value(page, "Customer NPS")).to_have_text(shown(top.nps.score), timeout=30_000)
    wait(page)
    chips = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text()
    assert top.department in chips


def test_upload_a_workbook(page, tmp_path):
    goto(page, "Data")
    name, data = ex.ms_forms_employee_xlsx()
    c_name, c_data = ex.summary_first_workbook()
    with page.expect_file_chooser() as fc:
        page.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzone").first.click()
    fc.value.set_files(files=[
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": data},
        {"name": c_name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": c_data},
    ])
    expect(page.get_by_text(name).first).to_be_visible(timeout=60_000)
    expect(page.get_by_text(c_name).first).to_be_visible(timeout=60_000)
    wait(page, timeout=60_000)
    goto(page, "Overview")
    assert metric(page, "Customer NPS") == shown(ex.expected_nps([s for *_, s in ex.CUSTOMER]))
    shot(page, "overview-uploaded")


def test_click_a_heatmap_cell_filters_every_view(page):
    """The heatmap is not in a fragment: a click on a cell reruns the whole app, sidebar and cards too."""
    goto(page, "Engagement")
    dept = "Rehabilitation"
    heatmap = page.get_by_test_id("stVegaLiteChart").filter(has_text="Statements by department").first
    heatmap.scroll_into_view_if_needed()
    # the centre of a cell holds its number: the click lands on the text mark, which selects the department too
    number = heatmap.locator(f"[role='graphics-symbol'][aria-roledescription='text mark'][aria-label*='department: {dept};']")
    number.first.click()
    expected = sample_summary([dept]).engagement.index
    expect(metric_value(page, "Engagement index")).to_have_text(shown(expected), timeout=30_000)
    wait(page)
    chips = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text()
    assert dept in chips


@pytest.mark.parametrize("locale, lang, title, label", [("en-GB", "en", "Overview", "Customer NPS"),
                                                        ("sv-SE", "sv", "Översikt", "Kund-NPS"),
                                                        ("fi-FI", "fi", "Yleiskatsaus", "Asiakas-NPS")])
def test_the_browsers_locale_picks_the_language(browser, server, locale, lang, title, label):
    """A first visit follows the browser's locale (st.context.locale): words, numbers and the sample's names."""
    from lib.i18n import format_number
    from lib.sample import TEXTS

    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale=locale)
    pg = context.new_page()
    try:
        pg.goto(server)
        wait(pg)
        expect(pg.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=30_000)
        assert metric(pg, label) == format_number(sample_summary().nps.score, 1, lang)
        expect(pg).to_have_url(re.compile(rf"lang={lang}") if lang != "en" else re.compile(r"^(?!.*lang=)"))
        goto(pg, {"en": "Customer NPS", "sv": "Kund-NPS", "fi": "Asiakas-NPS"}[lang])
        assert pg.get_by_test_id("stException").count() == 0
        expect(pg.get_by_text(TEXTS[lang].departments[0][0]).first).to_be_attached()
        shot(pg, f"customer-{lang}")
    finally:
        context.close()


def test_download_the_meeting_deck(page):
    """The sidebar's Report: one click gives the PowerPoint of the current view, which python-pptx opens."""
    import io

    from pptx import Presentation

    sidebar = page.get_by_test_id("stSidebar")
    with page.expect_download(timeout=120_000) as info:
        sidebar.get_by_role("button", name=re.compile("PowerPoint")).click()
    download = info.value
    assert download.suggested_filename == "survey-results.pptx"
    prs = Presentation(io.BytesIO(Path(download.path()).read_bytes()))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:3] == ["Survey results", "Our customers", "Our employees"]
    assert {"Headline figures", "Method"} <= set(titles)


# --- every page, in every language, at a desk and on a tablet -------------------------------------------------------

PAGES = ("overview", "customer", "engagement", "linkage", "trends", "data")
LOCALES = {"en-GB": "en", "sv-SE": "sv", "fi-FI": "fi"}
WIDTHS = (1440, 800)
REAL = ROOT.parent / "shared" / "real-exports"
#: Two real exports the pages are read on as well (tests/test_real_exports.py's folder; skipped when missing).
REAL_FILES = ("lund_pulse_sv.csv", "covid_pulse_qualtrics.csv")
#: English that stays in Swedish and Finnish pages: Streamlit's own texts it does not let an app translate (the
#: README's list), and names (NPS, eNPS, HME, PNG, SVG, CSV, Excel, PowerPoint, PDF).
ALLOWED_ENGLISH = ("Upload", "MB per file", "Drag and drop files here", "Browse files", "more", "Deploy",
                   "Running", "Stop")
#: Words that give away an untranslated English text.
ENGLISH = re.compile(r"\b(the|and|with|from|of|Download|Department|Departments|Engagement|Customer|Overview|"
                     r"Strengths|Focus|Answers|interval|none|empty|not given|Show)\b")
BAD = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|0\.000000|\d[.,]…|\d…|Page not found")
#: Elements whose text is cut off: clipped (overflow hidden or an ellipsis) and wider than their box.
CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')]
  .filter(e => e.children.length === 0 && e.textContent.trim() && e.offsetParent !== null)
  .filter(e => { const s = getComputedStyle(e);
                 return (s.overflowX === 'hidden' || s.overflowX === 'clip' || s.textOverflow === 'ellipsis')
                        && e.scrollWidth > e.clientWidth + 1; })
  .map(e => e.textContent.trim().slice(0, 80))"""


def data_texts(files: tuple[str, ...]) -> tuple[str, ...]:
    """The files' own words a page may show as they are (statements, unit names, column headers), longest first:
    an English statement of an English export is data, not an untranslated text."""
    found: set[str] = set()
    for f in files:
        s = load_survey((REAL / f).read_bytes(), f)
        found |= {i.label for i in s.items} | {str(d) for d in s.departments}
        found |= {str(c.name) for c in s.detection.columns}
    return tuple(sorted(found, key=len, reverse=True))


def check_page(pg, lang: str, where: str, data: tuple[str, ...] = ()) -> None:
    """No raw missing value or cut figure, no English word in Swedish or Finnish (outside the README's list and the
    file's own words, ``data``), no text cut off."""
    assert pg.get_by_test_id("stException").count() == 0, where
    text = pg.get_by_test_id("stMain").inner_text()
    assert not BAD.search(text), (where, BAD.search(text).group(0), text[max(0, BAD.search(text).start() - 80):][:160])
    if lang != "en":
        rest = text
        for allowed in (*data, *ALLOWED_ENGLISH):  # a wrapped name (on lines of a chart's label) as well
            rest = re.sub(r"\s*".join(re.escape(w) for w in allowed.split()), " ", rest)
        found = [rest[max(0, m.start() - 40):m.end() + 40] for m in ENGLISH.finditer(rest)]
        assert not found, (where, found[:10])
    cut = pg.evaluate(CUT)
    assert not cut, (where, cut[:10])


def view(pg, name: str, save: bool) -> None:
    """A screenshot of the window (artifacts/; with UPDATE_SCREENSHOTS=1 also docs/screenshots/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path))
    if save and os.environ.get("UPDATE_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


@pytest.mark.parametrize("locale", list(LOCALES))
def test_every_page_reads_in_every_language_and_width(browser, server, locale):
    """Each page on the sample, at 1440 and 800 pixels, in English, Swedish and Finnish (one server for all)."""
    lang = LOCALES[locale]
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 1000}, locale=locale)
        pg = context.new_page()
        try:
            for name in PAGES:
                path = "" if name == "overview" else name  # the first page lives at the root
                pg.goto(f"{server}/{path}" + (f"?lang={lang}" if lang != "en" else ""))
                wait(pg, timeout=60_000)
                expect(pg.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
                wait(pg, timeout=60_000)
                check_page(pg, lang, f"{name} {lang} {width}")
                view(pg, f"{name}-{lang}-{width}", save=True)
        finally:
            context.close()


@pytest.mark.parametrize("locale", list(LOCALES))
def test_every_page_reads_on_real_exports(browser, server, locale):
    """Two real exports uploaded once; each page checked at 1440 and, resized in the same session, at 800."""
    missing = [f for f in REAL_FILES if not (REAL / f).exists()]
    if missing:
        pytest.skip(f"real exports missing in {REAL}: {', '.join(missing)}")
    lang = LOCALES[locale]
    data = data_texts(REAL_FILES)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale=locale)
    pg = context.new_page()
    try:
        pg.goto(f"{server}/data" + (f"?lang={lang}" if lang != "en" else ""))
        wait(pg, timeout=60_000)
        with pg.expect_file_chooser() as fc:
            pg.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzone").first.click()
        fc.value.set_files(files=[{"name": f, "mimeType": "text/csv", "buffer": (REAL / f).read_bytes()}
                                  for f in REAL_FILES])
        expect(pg.get_by_text(REAL_FILES[0]).first).to_be_visible(timeout=90_000)
        wait(pg, timeout=90_000)
        for name in PAGES:
            pg.set_viewport_size({"width": 1440, "height": 1000})
            pg.locator(f"a[href$='/{name}']" if name != "overview" else f"a[href='{server}/'], a[href='/']").first.click()
            wait(pg, timeout=90_000)
            for width in WIDTHS:
                pg.set_viewport_size({"width": width, "height": 1000})
                wait(pg, timeout=60_000)
                check_page(pg, lang, f"real {name} {lang} {width}", data)
            view(pg, f"real-{name}-{lang}", save=False)
    finally:
        context.close()


def test_a_link_to_a_page_keeps_its_language_and_filters_on_a_fresh_server(browser, tmp_path_factory):
    """The first session after the server starts runs a page before the entry point, which then takes over and
    used to drop the link's parameters: a Swedish link to the Customer NPS page with a department came up in
    English with no filter."""
    with serve(tmp_path_factory) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.goto(url + "/customer?lang=sv&dept=Hemtj%C3%A4nst")
        wait(pg)
        expect(pg.get_by_test_id("stSidebar").get_by_text("Språk")).to_be_visible()
        assert "dept=Hemtj" in pg.url
        context.close()


def sign_in(pg, url: str, issuer: str, email: str) -> None:
    """Through the app's login button and the provider's own sign-in and consent pages, back to the app signed in."""
    pg.goto(url)
    pg.get_by_role("button", name="Sign in").click()
    pg.wait_for_url(re.compile(re.escape(issuer)), timeout=30_000)
    for _step in range(6):  # the provider's own pages: sign-in, then consent
        if pg.url.startswith(url):
            break
        pg.wait_for_selector("button[type=submit]", timeout=30_000)
        if pg.locator("input[name=login]").count():
            pg.locator("input[name=login]").fill(email)
            pg.locator("input[name=password]").fill("any")
        with pg.expect_navigation(timeout=30_000):
            pg.locator("button[type=submit]").click()
    pg.wait_for_url(re.compile(re.escape(url)), timeout=30_000)
    wait(pg)
    expect(pg.get_by_test_id("stSidebar").get_by_text(f"Signed in as {email}")).to_be_visible()


@contextlib.contextmanager
def signed_in_app(tmp_path_factory, tmp_path, env: dict[str, str] | None = None, groups: bool = False):
    """The app with sign-in through a real OpenID Connect provider on a loopback port; yields (app URL, issuer). With
    ``groups``, the provider is named in the secrets and asked for the groups scope, as the README says to."""
    from .processes import free_port, oidc_provider

    port = free_port()
    with oidc_provider(f"http://127.0.0.1:{port}/oauth2callback") as (issuer, client, secret, redirect):
        secrets = tmp_path / "secrets.toml"
        provider = (f'client_id = "{client}"\nclient_secret = "{secret}"\n'
                    f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n')
        if groups:
            provider = '[auth.corp]\n' + provider + 'client_kwargs = { scope = "openid profile email groups" }\n'
        secrets.write_text(f'[auth]\nredirect_uri = "{redirect}"\ncookie_secret = "{"x" * 32}"\n' + provider)
        with serve(tmp_path_factory, port, ["--secrets.files", str(secrets)], env) as url:
            yield url, issuer


def store_with(tmp_path, lines: list[list[str]], snapshots: list[tuple[str, bool]] = ()) -> str:
    """A SQLite store made on the command line, as a lead would: access lines (``access --grant`` arguments), then
    snapshots of the sample (name, with the employee survey or the customer survey alone); its URL."""
    from lib.cli import main
    from lib.sample import SAMPLE_DIR

    store = f"sqlite:///{tmp_path / 'store.db'}"
    for line in lines:
        assert main(["access", "--store", store, "--grant", *line]) == 0
    for name, employee in snapshots:
        files = ["--customer", str(SAMPLE_DIR / "customer_survey.xlsx")]
        if employee:
            files += ["--employee", str(SAMPLE_DIR / "employee_survey.xlsx"), "--map", "Homecare=Home Care"]
        assert main(["publish", *files, "--name", name, "--store", store]) == 0
    return store


def test_signing_in_through_a_real_provider(browser, tmp_path_factory, tmp_path):
    """Sign-in on: the app's login button takes the browser to the OpenID Connect provider (a real one, on a loopback
    port), whose own sign-in and consent pages bring it back signed in; the sidebar names the user."""
    store = f"sqlite:///{tmp_path / 'store.db'}"
    with signed_in_app(tmp_path_factory, tmp_path, {"SURVEY_EXPLORER_STORE": store}) as (url, issuer):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.goto(url)
        expect(pg.get_by_role("button", name="Sign in")).to_be_visible()
        assert not pg.get_by_test_id("stSidebarNav").count() and not pg.get_by_text("comments").count()  # no pages
        sign_in(pg, url, issuer, "manager@example.com")
        # the access list is empty: everyone signed in analyses their own files, and nothing is published
        nav = pg.get_by_test_id("stTopNav")
        expect(nav.get_by_role("link", name="Data")).to_be_visible()
        assert not nav.get_by_role("link", name="Publish").count()
        context.close()


def _pptx_text(data: bytes) -> str:
    import io

    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame) + \
        "\n".join(cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
                  for row in shape.table.rows for cell in row.cells)


def test_a_lead_publishes_and_grants_and_a_manager_sees_only_their_units(browser, tmp_path_factory, tmp_path):
    """The lead (made the first lead on the command line) signs in through the real provider, publishes the sample
    analysis and grants a manager one unit; the manager signs in, sees that unit and the organisation's total only,
    cannot reach the analysis pages, and downloads a table and a deck that hold no other unit."""
    store = store_with(tmp_path, [["lead@example.com", "--role", "lead"]])
    with signed_in_app(tmp_path_factory, tmp_path, {"SURVEY_EXPLORER_STORE": store}) as (url, issuer):
        lead = browser.new_context(viewport={"width": 1280, "height": 1000})
        pg = lead.new_page()
        sign_in(pg, url, issuer, "lead@example.com")
        pg.goto(url + "/publish")
        wait(pg)
        pg.get_by_label("Snapshot name", exact=True).fill("Spring 2026")
        pg.get_by_label("Snapshot name", exact=True).press("Enter")
        wait(pg)
        pg.get_by_role("button", name="Publish").click()
        wait(pg)
        expect(pg.get_by_text("Published: Spring 2026.")).to_be_visible()
        pg.get_by_label("E-mail address or group:NAME").fill("manager@example.com")
        pg.get_by_test_id("stForm").get_by_test_id("stSelectbox").click()
        pg.keyboard.type("manager")
        pg.keyboard.press("Enter")
        units = pg.get_by_test_id("stForm").get_by_test_id("stMultiSelect")
        units.click()
        pg.keyboard.type("Home Care")
        pg.keyboard.press("Enter")
        pg.keyboard.press("Escape")
        pg.get_by_role("button", name="Grant").click()
        wait(pg)
        expect(pg.get_by_text("Granted: manager@example.com.")).to_be_visible()
        lead.close()

        manager = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        pg = manager.new_page()
        sign_in(pg, url, issuer, "manager@example.com")
        expect(pg.get_by_role("heading", name="Published results")).to_be_visible()
        expect(pg.get_by_role("heading", name="The whole organisation")).to_be_visible()
        from lib.publish.store import Store

        others = set(Store.open(store).load(1).meta["units"]) - {"Home Care"}
        assert len(others) >= 10
        body = pg.get_by_test_id("stMain").inner_text()
        assert "Home Care" in body and not [o for o in others if o in body]
        with pg.expect_download() as info:
            pg.get_by_role("button", name="CSV", exact=True).click()
        table = Path(info.value.path()).read_text(encoding="utf-8-sig")
        assert "Home Care" in table and not [o for o in others if o in table] and len(table.strip().splitlines()) == 2
        with pg.expect_download(timeout=120_000) as info:
            pg.get_by_role("button", name="PowerPoint", exact=True).click()
        text = _pptx_text(Path(info.value.path()).read_bytes())
        assert "Home Care" in text and "whole organisation" in text and not [o for o in others if o in text]
        for page in ("data", "overview", "publish", "comments"):  # the analysis pages do not exist for a manager
            pg.goto(f"{url}/{page}")
            wait(pg)
            expect(pg.get_by_role("heading", name="Published results")).to_be_visible()
            assert "Upload" not in pg.get_by_test_id("stMain").inner_text()
        manager.close()


def test_a_manager_by_the_identity_providers_group_on_a_fresh_server(browser, tmp_path_factory, tmp_path):
    """A ``group:managers`` line, with the provider named and asked for the groups scope (as the README and the
    example secrets say): the manager, on no line of their own, signs in and sees the group's unit. Their first
    request, on a freshly started server, asks for the Data page, which Streamlit then runs before the entry point:
    it shows the sign-in, never the data."""
    store = store_with(tmp_path, [["lead@example.com", "--role", "lead"],
                                  ["group:managers", "--role", "manager", "--unit", "Rehabilitation"]], [("Q", True)])
    with signed_in_app(tmp_path_factory, tmp_path, {"SURVEY_EXPLORER_STORE": store}, groups=True) as (url, issuer):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        pg = context.new_page()
        pg.goto(url + "/data")
        wait(pg)
        expect(pg.get_by_role("button", name="Sign in with Corp")).to_be_visible()
        assert "Upload" not in pg.get_by_test_id("stMain").inner_text()
        sign_in(pg, url, issuer, "manager@example.com")
        expect(pg.get_by_role("heading", name="Published results")).to_be_visible()
        units = pg.get_by_test_id("stDataFrame").first
        expect(units).to_contain_text("Rehabilitation")
        assert "Home Care" not in pg.get_by_test_id("stMain").inner_text()
        context.close()


def test_the_chosen_snapshot_stays_when_the_language_changes(browser, tmp_path_factory, tmp_path):
    """Found by an outside tester: the snapshot select box's labels carry a date in the language's form, and on
    switching language the page jumped to the newest snapshot."""
    store = store_with(tmp_path, [["manager@example.com", "--role", "lead"]], [("Older", False), ("Newer", False)])
    with signed_in_app(tmp_path_factory, tmp_path, {"SURVEY_EXPLORER_STORE": store}) as (url, issuer):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        pg = context.new_page()
        sign_in(pg, url, issuer, "manager@example.com")
        pg.goto(url + "/results")
        wait(pg)
        box = pg.get_by_test_id("stMain").get_by_role("combobox").first
        expect(box).to_have_value(re.compile("^Newer"))
        box.click()
        pg.keyboard.type("Older")
        pg.keyboard.press("Enter")
        wait(pg)
        expect(box).to_have_value(re.compile("^Older"))
        for language in ("Svenska", "Suomi", "English", "Suomi"):
            pg.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
            pg.keyboard.type(language)
            pg.keyboard.press("Enter")
            wait(pg)
            expect(pg.get_by_test_id("stMain").get_by_role("combobox").first).to_have_value(re.compile("^Older"))
        context.close()


def test_the_published_pages_read_in_every_language_and_width(browser, tmp_path_factory, tmp_path):
    """Published results and Publish, signed in as a lead, at 1440 and 800 pixels in English, Swedish and Finnish:
    no English word in Swedish or Finnish but the snapshot's own names, nothing cut off, no raw missing value."""
    from lib.publish.store import Store

    store = store_with(tmp_path, [["lead@example.com", "--role", "lead"]], [("Spring", True)])
    snap = Store.open(store).load(1)
    meta = snap.meta
    data = tuple(sorted({*meta["units"], *(i["name"] for i in meta["items"]), "Spring", "lead@example.com",
                         *meta.get("segments", []), *(t for ts in snap.comments["texts"] for t in ts)},
                        key=len, reverse=True))  # the file's own words (the sample is in English)
    with signed_in_app(tmp_path_factory, tmp_path, {"SURVEY_EXPLORER_STORE": store}) as (url, issuer):
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 1000})
            pg = context.new_page()
            sign_in(pg, url, issuer, "lead@example.com")
            for lang in LOCALES.values():
                for page in ("results", "publish"):
                    pg.goto(f"{url}/{page}" + (f"?lang={lang}" if lang != "en" else ""))
                    wait(pg, timeout=60_000)
                    expect(pg.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
                    wait(pg, timeout=60_000)
                    check_page(pg, lang, f"{page} {lang} {width}", data)
                    view(pg, f"{page}-{lang}-{width}", save=False)
            context.close()
