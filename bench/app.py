"""The app action by action in Chromium, on a generated organisation: 150 clinics, 500,000 customer answers over two
years and 20,000 employees in four quarterly waves (``--tiny``: 10 clinics, 5,000 answers, 400 employees).

Every round is a new browser session against one ``streamlit run app.py`` on a loopback port: it uploads the five
files on the Data page, visits every page, chooses a department in the sidebar and clears it (on the Overview and on
the Engagement page), switches the Over time page to weeks and downloads the PowerPoint deck. Each action is timed
from the click until the page shows its figures: the script has finished its run (the app's own
``data-test-script-state``, followed by a MutationObserver, so a run is never missed however quick), nothing is
loading or running any more, and the page's concrete element (a metric's value, a drawn chart, a table) is there.

The upload is set beside the same five files read alone, in-process, by :func:`lib.load.load` (each file read,
detected and tidied, the waves stacked), in a fresh process each round: ``python -m bench.app reference FILE…``
prints one JSON line as :mod:`bench.measure` does.

The files are CSV exports, written once into ``bench/.cache/organisation_C_N_E/``: customers (answer id, date and
time, clinic, channel as the segment, the 0–10 recommend question with one answer in a hundred blank, and a comment
from about a third of them), and one file per employee wave (respondent id, submission date, department = the
clinic, five agree–disagree statements on "Strongly disagree…Strongly agree", the eNPS question 0–10 and a comment).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .data import AGREE, CACHE, write_csv
from .load import free_port, peak_mb, wait_health
from .sources import CLINICS

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": (150, 500_000, 20_000), "tiny": (10, 5_000, 400)}  # clinics, customer answers, employees
SEED = 11
CHANNELS = ["Visit", "Phone", "Video", "Chat"]
RECOMMEND = "How likely is it that you would recommend us to a friend or colleague?"
REASON = "What is the main reason for your score?"
STATEMENTS = ["I know what is expected of me at work", "My manager gives me regular, useful feedback",
              "My team works well together", "I have opportunities to learn and grow", "I am proud to work here"]
ENPS = "How likely are you to recommend us as a place to work to a friend?"
BETTER = "What would make this a better place to work?"
WAVES = ("2025-03-03", "2025-06-02", "2025-09-01", "2025-12-01")  # each wave open for two weeks
#: Comment fragments by the writer's mood (detractor, passive, promoter); a comment is one or two of them.
SAID = {
    "customer": (["Long wait on the phone before anyone answered", "Booking an appointment online was confusing",
                  "The doctor was in a hurry and did not listen", "Nobody called me back about my results",
                  "The waiting room was crowded and the queue did not move", "Too expensive for a short visit"],
                 ["Fine overall but the wait was long", "The visit was ok, parking was hard to find",
                  "Friendly staff but the booking system is slow", "Good care, the follow-up took a while"],
                 ["Very friendly and professional staff", "Quick appointment and clear explanations",
                  "The nurse took time to listen to me", "Easy to book and no waiting at all",
                  "Great follow-up after the visit", "Clean clinic and kind reception"]),
    "employee": (["Workload is too high and we are always short of staff", "My manager never gives feedback",
                  "Too many meetings and not enough time for patients", "Salary does not match the responsibility"],
                 ["More time for training would help", "Better tools for booking and records",
                  "Clearer priorities from management"],
                 ["Great colleagues who help each other", "I like the flexibility in my schedule",
                  "Good support from my manager", "Meaningful work with patients"]),
}


def _comments(rng: np.random.Generator, mood: np.ndarray, side: str, share: float) -> np.ndarray:
    """About ``share`` of the writers say something: one or two fragments of their mood, so most differ."""
    out = np.full(len(mood), "", dtype=object)
    said = np.flatnonzero(rng.random(len(mood)) < share)
    for m, frags in enumerate(SAID[side]):
        idx = said[mood[said] == m]
        pick, then = rng.integers(0, len(frags), len(idx)), rng.integers(0, len(frags), len(idx))  # then 0: no more
        more = np.array([". " + f.lower() for f in frags], dtype=object)[(pick + then) % len(frags)]
        out[idx] = np.array(frags, dtype=object)[pick] + np.where(then == 0, "", more)
    return out


def _mood(score: np.ndarray) -> np.ndarray:
    return np.where(score <= 6, 0, np.where(score <= 8, 1, 2))


def customers(n: int, clinics: list[str], seed: int = SEED) -> pd.DataFrame:
    """``n`` customer answers over 2024–2025, clinics of different loyalty, a channel each."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T07:00", "s")
    at = start + np.sort(rng.integers(0, 730 * 86400 - 14 * 3600, n)).astype("timedelta64[s]")
    clinic = rng.integers(0, len(clinics), n)
    score = np.clip(np.round(rng.normal(6.8 + (clinic % 9) * 0.25, 2.3, n)), 0, 10).astype(int)
    shown = pd.array(score, dtype="Int64")
    shown[rng.random(n) < 0.01] = pd.NA
    return pd.DataFrame({"Response ID": np.char.add("R_", np.char.zfill(np.arange(1, n + 1).astype(str), 9)),
                         "Recorded Date": at, "Clinic": np.array(clinics, dtype=object)[clinic],
                         "Channel": np.array(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), n)],
                         RECOMMEND: shown, REASON: _comments(rng, _mood(score), "customer", 0.35)})


def employee_wave(n: int, clinics: list[str], wave: int, seed: int = SEED) -> pd.DataFrame:
    """One wave of ``n`` staff answers, every clinic's staff in it, over the two weeks the survey is open."""
    rng = np.random.default_rng(seed + 1 + wave)
    clinic = np.arange(n) % len(clinics)
    rng.shuffle(clinic)
    base = rng.normal(3.5 + (clinic % 9) * 0.08 + wave * 0.03, 0.7, n)
    data: dict[str, object] = {
        "Respondent ID": np.arange(1, n + 1) + wave * n,
        "Submitted": np.datetime64(WAVES[wave]) + rng.integers(0, 14, n).astype("timedelta64[D]"),
        "Department": np.array(clinics, dtype=object)[clinic]}
    agree = np.array(AGREE, dtype=object)
    for text in STATEMENTS:
        data[text] = agree[np.clip(np.round(base + rng.normal(0, 0.7, n)), 1, 5).astype(int) - 1]
    enps = np.clip(np.round(base * 2 + rng.normal(0, 1.4, n)), 0, 10).astype(int)
    data[ENPS] = enps
    data[BETTER] = _comments(rng, _mood(enps), "employee", 0.4)
    return pd.DataFrame(data)


def organisation(clinics: int, answers: int, employees: int) -> list[Path]:
    """The cached files: the customer answers first, then the four waves, earliest first."""
    folder = CACHE / f"organisation_{clinics}_{answers}_{employees}_v1"
    names = ["customer_answers.csv", *(f"employee_wave_{i + 1}.csv" for i in range(len(WAVES)))]
    paths = [folder / name for name in names]
    if all(p.exists() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    chosen = CLINICS[:clinics]
    write_csv(customers(answers, chosen), paths[0])
    for i, path in enumerate(paths[1:]):
        write_csv(employee_wave(employees // len(WAVES), chosen, i), path)
    return paths


# ---------------------------------------------------------------- the reference: the same files read alone, in-process


def read_alone(paths: list[Path]):
    """The five files read by the library as the command line does, the bytes read from disk in the time."""
    from lib.load import File, load

    found = load([File(p.name, p.read_bytes()) for p in paths])
    found.check()
    return found


def main(argv: list[str]) -> None:
    """``python -m bench.app reference FILE… REPEAT``: one JSON line."""
    from .measure import peak_mb as own_peak, timed

    name, *files, repeat = argv
    if name != "reference":
        raise SystemExit(f"unknown measurement {name}")
    import lib.figures.summary  # noqa: F401  (imported before the clock starts, as the app's worker has it)
    import lib.survey.frame  # noqa: F401

    secs, found = timed(lambda: read_alone([Path(f) for f in files]), int(repeat))
    extra = {"customer_rows": len(found.customer.frame), "employee_rows": len(found.employee.frame)}
    sys.stdout.write(json.dumps({"seconds": secs, "peak_mb": own_peak(), "extra": extra}) + "\n")


def reference(paths: list[Path]) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.app", "reference", *map(str, paths), "1"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"bench: the reference read failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the app in Chromium

#: Every page by its title, and what shows that its figures are there.
PAGES = {"Overview": "[data-testid='stMetricValue']", "Customer NPS": "[data-testid='stMetricValue']",
         "Engagement": "[data-testid='stMetricValue']", "Linkage": "[data-testid='stVegaLiteChart'] :is(svg, canvas)",
         "Over time": "[data-testid='stVegaLiteChart'] :is(svg, canvas)",
         "Comments": "[data-testid='stVegaLiteChart'] :is(svg, canvas)", "Data": "[data-testid='stDataFrame']"}
#: Follows the app's script state: ``window.__bench.done`` counts the runs that have finished; ``click`` is the time of
#: the last pointer press (the user's click), ``shown`` the time :data:`SHOWN` saw the figures (both the page's clock).
OBSERVE = """() => {
  if (window.__bench) return;
  window.__bench = {done: 0, click: 0, shown: 0};
  document.addEventListener('pointerdown', () => { window.__bench.click = performance.now(); }, true);
  const state = () => document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state');
  new MutationObserver(records => {
    const mine = records.filter(r => r.target.getAttribute('data-testid') === 'stApp');
    mine.forEach((r, i) => {
      const now = i + 1 < mine.length ? mine[i + 1].oldValue : state();
      if (now === 'notRunning' && r.oldValue !== 'notRunning') window.__bench.done++;
    });
  }).observe(document.body, {attributes: true, subtree: true, attributeOldValue: true,
                             attributeFilter: ['data-test-script-state']});
}"""
#: True once a run after ``before`` has finished, nothing runs or loads, and the page shows ``show`` (and ``title``).
SHOWN = """([before, show, title, texts]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || window.__bench.done <= before || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stStatusWidget']")) return false;
  const main = document.querySelector("[data-testid='stMain']");
  if (title && ![...main.querySelectorAll('h1')].some(h => h.textContent.trim() === title)) return false;
  if (texts.some(t => !main.textContent.includes(t))) return false;
  if (show && !main.querySelector(show)) return false;
  window.__bench.shown = performance.now();
  return true;
}"""
TIMEOUT = 300_000  # ms: the longest any one action may take before the run is given up
#: What :data:`SHOWN` looks at, for the message when it never became true.
STATE = """([before, show]) => {
  const app = document.querySelector("[data-testid='stApp']");
  const main = document.querySelector("[data-testid='stMain']");
  return JSON.stringify({done: window.__bench.done, before, script: app?.getAttribute('data-test-script-state'),
    connection: app?.getAttribute('data-test-connection-state'),
    loading: !!document.querySelector("[data-testid='stSkeleton'], [data-testid='stStatusWidget']"),
    titles: [...(main?.querySelectorAll('h1') ?? [])].map(h => h.textContent.trim()),
    shown: show ? !!main?.querySelector(show) : null, charts: main?.querySelectorAll("[data-testid='stVegaLiteChart']").length,
    errors: [...document.querySelectorAll("[data-testid='stException'], [data-testid='stAlertContentError']")]
      .map(e => e.textContent.slice(0, 300))});
}"""


class Session:
    """One browser session of the app, each action timed from the click until the page shows its figures."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.goto(url + "/data")
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT)
        self.page.wait_for_selector("[data-testid='stMain'] [data-testid='stFileUploaderDropzone']", timeout=TIMEOUT)
        self.page.evaluate(OBSERVE)
        self.errors: set[str] = set()

    def done(self) -> int:
        return self.page.evaluate("() => window.__bench.done")

    def shown(self, before: int, show: str | None, title: str | None = None, texts: tuple[str, ...] = ()) -> None:
        try:
            self.page.wait_for_function(SHOWN, arg=[before, show, title, list(texts)], timeout=TIMEOUT, polling="raf")
        except Exception as exc:  # what the page showed instead, so that a run that never ends can be told apart
            raise RuntimeError(f"bench: {title or show} was not shown within {TIMEOUT / 1000:.0f} s; the page had: "
                               f"{self.page.evaluate(STATE, [before, show])}") from exc
        if self.page.get_by_test_id("stException").count():
            self.errors.add(title or "?")

    def clicked(self, target, show: str | None, title: str) -> float:
        """Click ``target``; seconds on the page's clock from the press until :meth:`shown` saw the figures."""
        before = self.done()
        self.page.evaluate("() => { window.__bench.click = 0; }")
        target.click()
        self.shown(before, show, title)
        click, shown = self.page.evaluate("() => [window.__bench.click, window.__bench.shown]")
        if not click:
            raise SystemExit(f"bench: no click seen on {title!r}")
        return (shown - click) / 1000

    def upload(self, paths: list[Path]) -> tuple[float, float]:
        """Seconds from choosing the files until the Overview shows its figures, and until the Data page had read them
        (this clock: the choice is no click on the page)."""
        page = self.page
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzone").first.click()
        before = self.done()
        t0 = time.perf_counter()
        chooser.value.set_files([str(p) for p in paths])
        self.shown(before, PAGES["Data"], "Data", tuple(p.name for p in paths))
        read = time.perf_counter() - t0
        self.switch("Overview")
        return time.perf_counter() - t0, read

    def switch(self, title: str) -> float:
        return self.clicked(self.page.get_by_role("link", name=title, exact=True).first, PAGES[title], title)

    def departments(self):
        return self.page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first

    def leave(self) -> None:
        """Out of the multiselect, off the clock, as a user's next click does. While it has the focus the box can be a
        line taller; the click that takes the focus away moves what lies below it (the sidebar's buttons), and that
        click is lost. Done here, the next action's click is its own."""
        self.page.evaluate("() => new Promise(done => { document.activeElement?.blur(); "
                           "requestAnimationFrame(() => requestAnimationFrame(done)); })")

    def choose(self, department: str, title: str) -> float:
        """Choose one department in the sidebar's multiselect (the clock starts at the choice, not the typing)."""
        page, box = self.page, self.departments()
        box.click()
        page.keyboard.type(department)
        option = page.get_by_role("option", name=department, exact=True)
        option.wait_for(timeout=TIMEOUT)
        seconds = self.clicked(option, PAGES[title], title)
        page.keyboard.press("Escape")
        self.leave()
        if department not in box.inner_text():
            raise SystemExit(f"bench: the department filter did not take {department!r}: {box.inner_text()!r}")
        return seconds

    def clear(self, department: str, title: str) -> float:
        """Clear the multiselect with its own "Clear all" button."""
        box = self.departments()
        seconds = self.clicked(box.get_by_role("button", name="Clear all"), PAGES[title], title)
        self.leave()
        if department in box.inner_text():
            raise SystemExit(f"bench: the department filter was not cleared: {box.inner_text()!r}")
        return seconds

    def period(self, kind: str) -> float:
        choice = self.page.get_by_test_id("stMain").get_by_role("radio", name=kind, exact=True).first
        seconds = self.clicked(choice, PAGES["Over time"], "Over time")
        if choice.get_attribute("aria-checked") != "true":
            raise SystemExit(f"bench: the period did not change to {kind!r}")
        return seconds

    def deck(self) -> tuple[float, int]:
        """Seconds from the sidebar's PowerPoint button until the file has arrived, and its size."""
        sidebar = self.page.get_by_test_id("stSidebar")
        t0 = time.perf_counter()
        with self.page.expect_download(timeout=TIMEOUT) as info:
            sidebar.get_by_role("button", name="PowerPoint").click()
        path = info.value.path()
        seconds = time.perf_counter() - t0
        return seconds, Path(path).stat().st_size

    def close(self) -> None:
        self.context.close()


def one_round(browser, url: str, paths: list[Path], department: str) -> dict[str, float]:
    """Every action once, in a new session, in the order a user takes them."""
    s = Session(browser, url)
    try:
        got: dict[str, float] = {}
        got["upload"], got["upload_read"] = s.upload(paths)
        for title in ("Customer NPS", "Engagement", "Linkage", "Over time", "Comments", "Data", "Overview"):
            got[f"page:{title}"] = s.switch(title)
        for title in ("Overview", "Engagement"):
            if title != "Overview":
                s.switch(title)
            got[f"choose:{title}"] = s.choose(department, title)
            got[f"clear:{title}"] = s.clear(department, title)
        s.switch("Over time")
        got["period:week"] = s.period("week")
        s.period("quarter")
        got["deck"], got["deck_bytes"] = s.deck()
        if s.errors:
            raise SystemExit(f"bench: the app showed an exception on: {', '.join(sorted(s.errors))}")
        return got
    finally:
        s.close()


def serve() -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-app-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
                                 "--global.developmentMode", "false"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_health(url)
    except BaseException:
        proc.kill()
        raise SystemExit(f"bench: the app did not start: {log.read_text()[-2000:]}") from None
    return proc, url, log


def unique(names: list[str]) -> str:
    """A department whose name is no other's beginning (typed into the multiselect, it finds only itself)."""
    return next(n for n in reversed(names) if not any(m != n and m.startswith(n) for m in names))


ACTIONS = [("upload", "upload 5 files (customers + 4 waves) until the Overview shows its figures")] + [
    (f"page:{t}", f"page switch to {t}") for t in ("Customer NPS", "Engagement", "Linkage", "Over time", "Comments",
                                                      "Data", "Overview")] + [
    (f"{what}:{t}", f"{label} on {t}") for t in ("Overview", "Engagement")
    for what, label in (("choose", "filter: choose one department"), ("clear", "filter: clear it"))] + [
    ("period:week", "period change on Over time: to week"), ("deck", "PowerPoint deck from the sidebar until it arrives")]


def rows(tiny: bool, repeat: int, row, browser) -> list:
    """The app-level table (``row`` is :class:`bench.__main__.Row`, ``browser`` a Playwright browser or None)."""
    clinics, answers, employees = SIZES["tiny" if tiny else "full"]
    if browser is None:
        return [row(f"app: {label}", answers, "this project", [float("nan")], note="no Chromium here: not measured")
                for _key, label in ACTIONS]
    paths = organisation(clinics, answers, employees)
    size = f"{clinics} clinics, {answers:,} answers, {employees:,} employees"
    proc, url, log = serve()
    got: dict[str, list[float]] = {}
    refs: list[dict] = []
    try:
        for _ in range(repeat):  # the reference and the app in turn, so drift hits both alike
            refs.append(reference(paths))
            for key, value in one_round(browser, url, paths, unique(CLINICS[:clinics])).items():
                got.setdefault(key, []).append(value)
        server_mb = peak_mb(proc.pid)
    except BaseException:
        sys.stderr.write(f"bench: the app's log ({log}):\n{log.read_text()[-3000:]}\n")
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.unlink(missing_ok=True)
    return table(got, refs, server_mb, answers, size, row)


def table(got: dict[str, list[float]], refs: list[dict], server_mb: float, answers: int, size: str, row) -> list:
    ref = [r["seconds"][0] for r in refs]
    out = []
    for key, label in ACTIONS:
        r = row(f"app: {label}", answers, "this project (Chromium)", got[key])
        if key == "upload":
            r.reference, r.target, r.peak_mb = ref, "≤ 1.5 × reading alone", server_mb
            r.ok = r.ratio <= 1.5
            r.note = (f"{size}; the Data page had read them after {statistics.median(got['upload_read']):.2f} s "
                      f"(median); peak MB: the server process")
        elif key == "deck":
            r.target, r.ok = "< 3 s (median)", r.median < 3
            r.note = f"{statistics.median(got['deck_bytes']) / 1e6:.1f} MB .pptx"
        else:
            r.target, r.ok = "< 0.5 s (median)", r.median < 0.5
        out.append(r)
        if key == "upload":
            out.append(row("app: the same 5 files read alone (lib.load, in-process)", answers, "reference: lib alone",
                           ref, ref, peak_mb=max(x["peak_mb"] for x in refs),
                           note="read, detect, tidy, waves stacked; a fresh process each round"))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
