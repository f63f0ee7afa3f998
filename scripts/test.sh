#!/usr/bin/env bash
# Install what the tests need into a virtual environment and run every test (the README's test command).
# The environment is .venv beside this checkout (VENV=path chooses another); every run upgrades it to the newest
# versions requirements-dev.txt allows, as a fresh machine would get them, so a pass here is a pass there.
# The browser tests drive Debian's Chromium, the report tests turn PDF pages into PNG with poppler's
# pdftoppm and convert the deck with LibreOffice Impress (soffice), the database tests start Debian's PostgreSQL (tests/test_sources.py,
# tests/test_publish.py) and the sign-in tests a real OpenID Connect provider on Node.js (tests/oidc): all installed here when this runs
# as root with apt-get; otherwise those tests are skipped and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore DEBIAN_FRONTEND=noninteractive
if { ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
      || ! command -v soffice >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } \
    && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium poppler-utils libreoffice-impress postgresql >/dev/null) \
    || echo "test.sh: could not install chromium, poppler-utils, libreoffice-impress and postgresql; the browser, PDF-page, Impress and PostgreSQL tests will be skipped"
fi
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) \
    || echo "test.sh: could not install Node.js and npm; the sign-in tests will be skipped"
fi
# the real OpenID Connect provider of the sign-in tests (tests/oidc: panva's oidc-provider, versions in its lock file)
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/oidc --no-audit --no-fund --silent \
    || echo "test.sh: could not install the test OpenID Connect provider (npm ci); the sign-in tests will be skipped"
fi
VENV="${VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q --upgrade --upgrade-strategy eager -r requirements-dev.txt
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
