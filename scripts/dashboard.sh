#!/usr/bin/env bash
# Starts the Voila dashboard on the embedded data at http://127.0.0.1:8866 (Ctrl-C stops it).
# Creates .venv and installs what is missing first: the package's own dependencies, not the test and
# scale extras (EXPLORER_EXTRAS=test,scale to have them too). Extra arguments go to `explorer serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export EXPLORER_EXTRAS="${EXPLORER_EXTRAS-}"
source scripts/setup.sh
exec explorer serve "$@"
