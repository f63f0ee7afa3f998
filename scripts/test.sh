#!/usr/bin/env bash
# Install what the tests need and run every test (the README's test command).
# The browser tests drive Debian's Chromium and the report tests turn PDF pages into PNG with poppler's
# pdftoppm: both installed here when this runs as root with apt-get; otherwise those tests are skipped and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore DEBIAN_FRONTEND=noninteractive
if { ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; } \
    && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null) \
    || echo "test.sh: could not install chromium and poppler-utils; the browser and PDF-page tests will be skipped"
fi
python -m pip install -q -r requirements-dev.txt
python -m pytest -q -p no:cacheprovider "$@"
