"""Shared test set-up."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests import processes


@pytest.fixture(autouse=True)
def _navigation_not_pages_directory(monkeypatch):
    """Make AppTest treat the app as an st.navigation app.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and a
    folder called ``pages/`` next to app.py makes Streamlit guess the legacy
    pages-directory mode, which on reruns executes the page script without the
    entry point. A real server makes that guess only until the first
    ``st.navigation`` call; here it would be made on every run.
    """
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class NavigationPagesManager(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that switches the language (the command line's --lang, a Swedish app run) leaves English behind."""
    yield
    from lib.i18n import set_language

    set_language("en")


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server in a temporary folder on a loopback port (trust authentication, loopback only), stopped
    after; as root, it runs as the unprivileged user ``nobody``."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (Debian's postgresql package: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="survey-pg-"))
    data = folder / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: initdb cannot run as an unprivileged user")
        shutil.chown(folder, "nobody")
        os.chmod(folder, 0o700)
        prefix = ["runuser", "-u", "nobody", "--"]
    port = _free_port()
    run = lambda *args: subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)  # noqa: E731
    made = run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb failed: {made.stderr.strip()[:300]}")
    started = run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60", "-o",
                  f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {started.stderr.strip()[:300]}")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def oidc_provider():
    """The real OpenID Connect provider of :func:`tests.processes.oidc_provider`, for a client returning to port 8501."""
    with processes.oidc_provider("http://127.0.0.1:8501/oauth2callback") as found:
        yield found
