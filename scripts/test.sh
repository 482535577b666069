#!/usr/bin/env bash
# Runs every test: unit tests, doctests, notebooks (nbval) and the browser test against a real Voila server.
# Creates .venv and installs what is missing first (the test and scale extras too). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export EXPLORER_EXTRAS=test,scale
source scripts/setup.sh
bash scripts/system-deps.sh
exec python -m pytest "$@"
