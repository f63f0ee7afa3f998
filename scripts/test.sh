#!/usr/bin/env bash
# Install the test dependencies and run every test (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -r requirements-dev.txt
python -m pytest -q -p no:cacheprovider "$@"
