"""Helpers for the servers tests start on loopback ports."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

OIDC = Path(__file__).resolve().parent / "oidc"


def stop(proc: subprocess.Popen) -> None:
    """Stop a server the test started: asked to end, then killed after ten seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oidc_provider(redirect: str, secret: str = "test-secret") -> Iterator[tuple[str, str, str, str]]:
    """A real OpenID Connect provider (panva's certified oidc-provider on Node.js, tests/oidc/provider.mjs) on a
    loopback port for one client that returns to ``redirect``, with two users, lead@example.com and
    manager@example.com; stopped after. Yields (issuer, client id, client secret, redirect URI); skips the test,
    saying why, where Node.js or the provider's packages are missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (Debian's nodejs package)")
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("the test provider's packages are not installed: npm ci --prefix tests/oidc")
    port = free_port()
    proc = subprocess.Popen([node, str(OIDC / "provider.mjs"), str(port), redirect, secret], cwd=OIDC,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("ready"):
            pytest.skip(f"the OpenID Connect provider did not start: {line.strip()[:200]}")
        yield f"http://127.0.0.1:{port}", "survey-explorer", secret, redirect
    finally:
        stop(proc)
