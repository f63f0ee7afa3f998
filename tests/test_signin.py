"""Sign-in (issue 26): the real OpenID Connect provider the sign-in tests use, checked end to end on its own.

The provider (tests/oidc/provider.mjs, panva's OpenID Certified ``oidc-provider``) runs on a loopback port with two
users; this test signs each in through the authorization-code flow, as a browser would, and reads their e-mail
address and groups from the ID token. The app's sign-in with roles is not built yet (README, "Publishing").
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pytest

requests = pytest.importorskip("requests", reason="requests is not installed")


def _form(html: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert action, html[:500]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return action.group(1), fields


def sign_in(issuer: str, client: str, secret: str, redirect: str, email: str) -> dict:
    """The authorization-code flow through the provider's own sign-in and consent pages; the ID token's claims."""
    s = requests.Session()
    url = f"{issuer}/auth?" + urlencode({"client_id": client, "redirect_uri": redirect, "response_type": "code",
                                         "scope": "openid email profile groups", "state": "s1", "nonce": "n1"})
    for _ in range(12):
        r = s.get(url, allow_redirects=False, timeout=10)
        if r.is_redirect:
            url = urljoin(url, r.headers["location"])
            if url.startswith(redirect):
                break
            continue
        action, fields = _form(r.text)
        if 'name="login"' in r.text:
            fields |= {"login": email, "password": "any"}
        r = s.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
        url = urljoin(url, r.headers["location"])
        if url.startswith(redirect):
            break
    query = parse_qs(urlparse(url).query)
    assert "code" in query and query.get("state") == ["s1"], url
    token = requests.post(f"{issuer}/token", data={"grant_type": "authorization_code", "code": query["code"][0],
                                                   "redirect_uri": redirect}, auth=(client, secret), timeout=10).json()
    payload = token["id_token"].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_the_provider_signs_in_the_lead_and_the_manager(oidc_provider):
    issuer, client, secret, redirect = oidc_provider
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == issuer and "authorization_code" in discovery["grant_types_supported"]
    lead = sign_in(issuer, client, secret, redirect, "lead@example.com")
    assert (lead["sub"], lead["iss"], lead["aud"]) == ("lead@example.com", issuer, client)
    assert (lead["email"], lead["groups"]) == ("lead@example.com", ["hr-leads"])
    manager = sign_in(issuer, client, secret, redirect, "manager@example.com")
    assert (manager["email"], manager["groups"]) == ("manager@example.com", ["managers"])
