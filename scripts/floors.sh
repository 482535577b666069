#!/usr/bin/env bash
# Checks the floors pyproject.toml declares: in a fresh virtual environment in a temporary folder it
# installs requirements/floors.txt (each declared dependency at its floor's release line, everything
# else at the newest release pip can combine with them), then this checkout without its dependencies,
# and runs every test but the slow ones there (fast, server and, with Debian's chromium, browser tests;
# about 6 minutes). Extra arguments go to pytest instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/venv.sh"
explorer_scratch_venv floors
echo "floors: installing requirements/floors.txt there" >&2
"${pip[@]}" --upgrade pip
"${pip[@]}" --requirement "$ROOT/requirements/floors.txt"
"${pip[@]}" --no-deps --editable "$ROOT"
explorer_use_venv "$venv"
if [[ $# -eq 0 ]]; then
  set -- -n 2 --dist loadscope -m "not slow"
fi
echo "floors: running the tests there (pytest -q $*)" >&2
cd "$ROOT"
python -m pytest -q "$@"
