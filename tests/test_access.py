"""Access control: off by default; with [auth] in secrets a login is required, optionally by e-mail domain."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def run(secrets=None, user=None):
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets:
        for key, value in secrets.items():
            at.secrets[key] = value
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception
    return at


def test_open_without_auth_configured():
    at = run()
    assert any(m.label == "Customer NPS" for m in at.metric)


def test_login_required_when_auth_is_configured():
    at = run({"auth": AUTH}, {"is_logged_in": False})
    assert not at.metric and any(b.label == "Sign in" for b in at.button)


def test_signed_in_user_of_an_allowed_domain_gets_in():
    at = run({"auth": AUTH, "access": {"allowed_domains": ["example.org"]}},
             {"is_logged_in": True, "email": "manager@example.org"})
    assert any(m.label == "Customer NPS" for m in at.metric)


def test_other_domains_are_refused():
    at = run({"auth": AUTH, "access": {"allowed_domains": ["example.org"]}},
             {"is_logged_in": True, "email": "someone@elsewhere.com"})
    assert not at.metric and "may not use this explorer" in at.error[0].value


def test_secrets_are_never_committed():
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()
    assert (ROOT / ".streamlit" / "secrets.example.toml").exists()
