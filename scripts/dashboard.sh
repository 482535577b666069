#!/usr/bin/env bash
# Starts the Voila dashboard on the embedded data at http://127.0.0.1:8866 (Ctrl-C stops it).
# Creates .venv and installs what is missing first. Extra arguments go to `explorer serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
exec explorer serve "$@"
