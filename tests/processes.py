"""Helpers for the servers tests start on loopback ports."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen) -> None:
    """Stop a server the test started: asked to end, then killed after ten seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
