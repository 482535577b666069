#!/usr/bin/env bash
# Creates .venv and installs the package with its dependencies (EXPLORER_EXTRAS, default test,scale).
# Idempotent: when pyproject.toml and the extras are unchanged since the last install, it only checks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${EXPLORER_EXTRAS:-test,scale}"
PY="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating virtual environment in $VENV" >&2
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)-${EXTRAS//,/_}"
if [[ ! -f "$stamp" ]]; then
  echo "setup: installing the explorer and its dependencies ($EXTRAS)" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$EXTRAS]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
