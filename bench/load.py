"""Load test: 20 browser sessions against two app processes behind nginx, each uploading its own file.

``python -m bench.load`` starts two ``streamlit run app.py`` processes and nginx
(deploy/nginx.conf's sticky-session setup) on loopback ports, then drives 20
concurrent Chromium sessions: each uploads a different customer survey and reads
"Customer NPS" back. Every session must see the figure of its own file. Bounded:
20 sessions, one upload each, a 240-second limit; loopback only. Prints the
sessions that passed, the time taken, sessions per process and each process's
peak memory. Exits 0 with a note when nginx or Chromium is missing.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SESSIONS = int(__import__("os").environ.get("LOAD_SESSIONS", "20"))
LIMIT_SECONDS = 600
STEP_MS = 300_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shown(value: float) -> str:
    """A score as the app writes it in English (one formatter, lib.present.model.number: U+2212 for minus)."""
    from lib.i18n import set_language
    from lib.present.model import number

    set_language("en")
    return number(value, "score")


def survey_file(i: int) -> tuple[str, bytes, float]:
    """A customer survey whose NPS is different for every session."""
    promoters, detractors = 10 + i, 30 - i
    rows = ["Department,How likely are you to recommend us to a friend or colleague?"]
    scores = [10] * promoters + [8] * 10 + [3] * detractors
    rows += [f"{['North', 'South', 'East'][j % 3]},{s}" for j, s in enumerate(scores)]
    nps = 100.0 * (promoters - detractors) / len(scores)
    return f"session_{i:02d}.csv", ("\n".join(rows) + "\n").encode(), nps


def _log(name: str):
    """A log file in artifacts/load/ (kept for a look after a failed run)."""
    folder = ROOT / "artifacts" / "load"
    folder.mkdir(parents=True, exist_ok=True)
    return open(folder / name, "w")


def peak_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def wait_health(url: str, seconds: float = 60, poll: float = 0.2) -> None:
    """Return once ``url``/_stcore/health answers "ok"; SystemExit after ``seconds``."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(poll)
    raise SystemExit(f"{url} did not answer /_stcore/health within {seconds:.0f} s")


def nginx_conf(prefix: Path, port: int, backends: list[int]) -> Path:
    template = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in backends)
    upstream = r"(upstream explorer \{\n    hash \$explorer_key consistent;\n)(    server .*;\n)+"
    body = re.sub(upstream, r"\g<1>" + servers, template)
    body = body.replace("listen 80;", f"listen 127.0.0.1:{port};")
    for d in ("logs", "tmp"):
        (prefix / d).mkdir(exist_ok=True)
    conf = f"""
daemon off;
worker_processes 1;
error_log {prefix}/logs/error.log warn;
pid {prefix}/nginx.pid;
user root;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    log_format up '$upstream_addr $cookie_explorer_backend';
    access_log {prefix}/logs/upstream.log up;
{body}
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(conf)
    return path


STEPS = ("page", "uploader", "read", "figure")  # what a session waits for, in order


async def one_session(browser, url: str, i: int) -> dict:
    """One browser session: its result, the backend that served it and how long each step took.

    The steps: the Data page answers (page), its uploader is drawn (uploader), the sidebar names the uploaded file
    (read: parsed in the app's worker), the Overview shows the file's Customer NPS (figure).
    """
    name, data, expected = survey_file(i)
    context = await browser.new_context(viewport={"width": 1024, "height": 700})
    page = await context.new_page()
    out: dict = {"ok": False, "detail": "", "times": {}, "backend": "?"}
    t0 = time.time()

    def mark(step: str) -> None:
        out["times"][step] = time.time() - t0

    step = STEPS[0]
    try:
        await page.goto(url + "/data", timeout=STEP_MS)
        out["backend"] = next((c["value"] for c in await context.cookies() if c["name"] == "explorer_backend"), "?")
        mark("page")
        step = "uploader"
        await page.wait_for_selector("[data-testid='stMain'] [data-testid='stFileUploaderDropzone']", timeout=STEP_MS)
        mark("uploader")
        step = "read"
        async with page.expect_file_chooser(timeout=STEP_MS) as chooser:
            await page.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzone").first.click()
        await (await chooser.value).set_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
        # processed when the sidebar names the file as the customer survey
        await page.locator("[data-testid='stSidebar']", has_text=name).first.wait_for(timeout=STEP_MS)
        mark("read")
        step = "figure"
        await page.get_by_role("link", name="Overview").first.click()
        want = shown(expected)
        card = page.locator("[data-testid='stMetric']", has_text="Customer NPS").first
        deadline = time.time() + STEP_MS / 1000
        got = ""
        while time.time() < deadline:
            try:
                got = (await card.locator("[data-testid='stMetricValue']").inner_text(timeout=5_000)).strip()
            except Exception:
                got = ""
            if got == want:
                mark("figure")
                out.update(ok=True, detail=got)
                return out
            await page.wait_for_timeout(500)
        await _evidence(page, i)
        out["detail"] = f"at step '{step}' after {time.time() - t0:.0f} s: expected {want}, saw {got!r}"
        return out
    except Exception as exc:  # a failed session is reported, not raised
        await _evidence(page, i)
        out["detail"] = (f"at step '{step}' after {time.time() - t0:.0f} s: "
                         f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        return out
    finally:
        await context.close()


async def _evidence(page, i: int) -> None:
    """A screenshot of a failed session, for the artefacts."""
    try:
        folder = ROOT / "artifacts" / "load"
        folder.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(folder / f"session_{i:02d}.png"), full_page=True)
    except Exception:  # evidence is best effort
        pass


async def drive(url: str) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            return await asyncio.wait_for(asyncio.gather(*(one_session(browser, url, i) for i in range(SESSIONS))),
                                          timeout=LIMIT_SECONDS)
        finally:
            await browser.close()


def _upstreams(prefix: Path) -> dict[str, str]:
    """{session key: backend address} from nginx's upstream log (requests that carried the sticky cookie)."""
    keys: dict[str, str] = {}
    log = prefix / "logs" / "upstream.log"
    if log.exists():
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1] != "-":
                keys[parts[1]] = parts[0]
    return keys


def report(results: list[dict], elapsed: float, peaks: dict[str, float], upstreams: dict[str, str]) -> None:
    """What the run saw: sessions that passed, each step's median and slowest time, sessions and memory per process,
    and for each failed session the step it stopped at, its backend and that backend's share of the sessions.

    The sticky key of a new browser is random, so the sessions split between the two processes as a coin decides
    (with 20 sessions, a split of 14 to 6 or worse happens in about one run in nine); a split is reported, not a
    failure."""
    import statistics

    passed = sum(r["ok"] for r in results)
    print(f"load test: {passed}/{len(results)} sessions saw their own file's Customer NPS in {elapsed:.1f} s "
          f"(two app processes behind nginx, sticky sessions)")
    for step in STEPS:
        times = [r["times"][step] for r in results if step in r["times"]]
        if times:
            print(f"  {step:>8}: reached by {len(times)}, median {statistics.median(times):.1f} s, "
                  f"slowest {max(times):.1f} s after the session started")
    per_backend: dict[str, int] = {}
    for r in results:
        backend = upstreams.get(r["backend"], "?")
        r["address"] = backend
        per_backend[backend] = per_backend.get(backend, 0) + 1
    for i, r in enumerate(results):
        if not r["ok"]:
            print(f"  session {i:02d} failed {r['detail']} (served by {r['address']})")
    print("  browsers per process: " + ", ".join(f"{k}: {v}" for k, v in sorted(per_backend.items())))
    print("  peak memory per process: " + ", ".join(f"{k}: {m:,.0f} MB" for k, m in peaks.items()))


def main() -> int:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx or not Path(CHROMIUM).exists():
        print("load test skipped: needs nginx and Chromium (apt-get install -y nginx chromium)")
        return 0
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("load test skipped: needs playwright (pip install playwright)")
        return 0
    ports = [free_port(), free_port()]
    apps = [subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p),
                              "--server.address", "127.0.0.1", "--server.headless", "true"],
                             cwd=ROOT, stdout=_log(f"app_{p}.log"), stderr=subprocess.STDOUT) for p in ports]
    prefix = Path(tempfile.mkdtemp(prefix="explorer-nginx-"))
    front = free_port()
    proxy = None
    try:
        for p in ports:
            wait_health(f"http://127.0.0.1:{p}")
        proxy = subprocess.Popen([nginx, "-c", str(nginx_conf(prefix, front, ports)), "-p", str(prefix)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{front}"
        wait_health(url)
        t0 = time.time()
        results = asyncio.run(drive(url))
        elapsed = time.time() - t0
    finally:
        peaks = [peak_mb(a.pid) for a in apps]
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for a in apps:
            a.terminate()
            a.wait(timeout=20)
    report(results, elapsed, {f"127.0.0.1:{p}": m for p, m in zip(ports, peaks)}, _upstreams(prefix))
    shutil.rmtree(prefix, ignore_errors=True)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
