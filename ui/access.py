"""Who may use the app. Off by default (local demos); for internal hosting, Streamlit's OIDC login.

Configured in ``.streamlit/secrets.toml`` (never committed; see
``.streamlit/secrets.example.toml``): an ``[auth]`` section turns the login on,
and ``[access] allowed_domains`` optionally limits it to e-mail domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from lib.i18n import _


def _secret(name: str) -> Any:
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing is configured
        return None


def allowed_domains() -> list[str]:
    access = _secret("access") or {}
    return [str(d).lower().lstrip("@") for d in access.get("allowed_domains", [])]


def signed_in() -> bool:
    """Whether the visitor may use the app: no login is configured, or they are signed in with an allowed address
    (the app's pages may then be listed)."""
    if not _secret("auth"):
        return True
    return bool(st.user.get("is_logged_in", False)) and _allowed(str(st.user.get("email") or "").lower())


def _allowed(email: str) -> bool:
    domains = allowed_domains()
    return not domains or email.rsplit("@", 1)[-1] in domains


def gate() -> None:
    """Stop the run unless the visitor may see the app (no-op when no login is configured)."""
    auth = _secret("auth")
    if not auth:
        return
    user = st.user
    if not user.get("is_logged_in", False):
        st.title(_("Survey explorer"))
        st.write(_("Sign in with your organisation account to continue."))
        providers = [name for name, value in auth.items() if isinstance(value, Mapping)]
        for provider in providers or [None]:
            label = _("Sign in with {provider}").format(provider=provider.title()) if provider else _("Sign in")
            st.button(label, on_click=st.login, args=(provider,) if provider else (), key=f"login::{provider}",
                      icon=":material/login:")
        st.stop()
    email = str(user.get("email") or "").lower()
    domains = allowed_domains()
    if not _allowed(email):
        st.title(_("Survey explorer"))
        st.error(_("{email} may not use this explorer; sign in with an address at {domains}.").format(
            email=email or _("This account"), domains=", ".join(domains)))
        st.button(_("Sign out"), on_click=st.logout, icon=":material/logout:")
        st.stop()
    with st.sidebar:
        st.caption(_("Signed in as {email}").format(email=email))
        st.button(_("Sign out"), on_click=st.logout, key="logout", icon=":material/logout:")
