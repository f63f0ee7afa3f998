"""Hosting files: a non-root image with a health check, production settings, sticky sessions behind nginx."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_runs_as_non_root_with_a_health_check():
    text = (ROOT / "Dockerfile").read_text()
    user = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/_stcore/health" in text


def test_production_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_nginx_keeps_a_browser_on_one_process():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "hash $explorer_key consistent" in text and "Set-Cookie" in text
    assert "Upgrade" in text and "client_max_body_size" in text
