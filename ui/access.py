"""Who may use the app, and as what. Off by default (local demos); for internal hosting, Streamlit's OIDC login.

Configured in ``.streamlit/secrets.toml`` (never committed; see
``.streamlit/secrets.example.toml``): an ``[auth]`` section turns the login on,
and ``[access] allowed_domains`` optionally limits it to e-mail domains. With the login on, the snapshot store's
access list (:mod:`lib.publish.store`; ``SURVEY_EXPLORER_STORE`` names the store) decides each visitor's role on
every run (:func:`visitor`): a lead analyses files, publishes and edits the list; a manager sees published snapshots
of their units only; anyone else nothing. While the list is empty, every signed-in visitor analyses their own files
as without the login, and publishing is off.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from lib.errors import OptionError
from lib.i18n import _, msg
from lib.publish.snapshot import Snapshot
from lib.publish.store import STORE_VARIABLE, Listed, Store, default_url


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


@dataclass(frozen=True)
class Visitor:
    """Who is using the app: ``role`` is "local" (no login: the app as a local demo), "open" (signed in, the access
    list empty: their own files, no publishing), "lead", "manager" (with ``units``) or None (no access)."""

    email: str
    role: str | None
    units: tuple[str, ...] = ()

    @property
    def analyses(self) -> bool:
        """Whether this visitor uploads and analyses files (everyone but a manager)."""
        return self.role in ("local", "open", "lead")


@functools.lru_cache(maxsize=4)
def _open_store(url: str) -> Store:
    # one per server process, shared by its sessions: a store handle (its connection pool) holds no one's data, and a
    # pool per session would open connections, and run the migrations, for every visitor
    return Store.open(url)


def store() -> Store:
    """The installation's snapshot store, opened (and migrated) once per server process."""
    return _open_store(default_url())


def visitor() -> Visitor:
    """This run's visitor and their role, read from the access list now (a changed line holds on the next click);
    raises :class:`lib.errors.OptionError` when the store cannot be read."""
    from lib.publish.views import visitor_role

    if not _secret("auth"):
        return Visitor("", "local")
    email = str(st.user.get("email") or "").lower()
    role, units = visitor_role(_grants(), email, st.user.get("groups"), st.user.get("email_verified"))
    return Visitor(email, role, units)


def _grants() -> list:
    """The access list; empty, without making a store, when none is configured and the default one was never made
    (an installation that does not publish needs no store). A store that cannot be read is logged, and said to the
    visitor without its address."""
    url = default_url()
    if not os.environ.get(STORE_VARIABLE) and not Path(url.removeprefix("sqlite:///")).exists():
        return []
    try:
        return store().access()
    except OptionError as exc:
        logging.getLogger(__name__).log(logging.ERROR, "the snapshot store could not be read: %s", exc)
        raise OptionError(msg("The published results cannot be reached just now; try again later, or tell the "
                              "person who runs the survey.")) from None


def refuse(who: Visitor | None, problem: OptionError | None) -> None:
    """Stop the run of a signed-in visitor with no role (or whose role cannot be read), saying so in one sentence."""
    if who is not None and who.role is not None:
        return
    st.title(_("Survey explorer"))
    if problem is not None:
        st.error(str(problem))
    else:
        st.error(_("{email} has no access to the published results; ask the person who runs the survey.").format(
            email=who.email if who else ""))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=16, scope="session")
def _snapshot(url: str, sid: int, published_at: str, name: str) -> Snapshot:
    return _open_store(url).load(sid)


def snapshot(listed: Listed) -> Snapshot:
    """A published snapshot (as the store lists it), read once per session and kept while its listing (name, time)
    is the same; the caller lists the store first, so a withdrawn or deleted snapshot is never served."""
    return _snapshot(default_url(), listed.id, listed.published_at, listed.name)
