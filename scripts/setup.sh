#!/usr/bin/env bash
# Creates .venv, installs the package with its dependencies, and points Jupyter/IPython at folders
# inside the checkout. Idempotent: a second run only checks. Source it: `source scripts/setup.sh [extras]`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${1:-test,scale}"
export JUPYTER_CONFIG_DIR="$ROOT/.venv/jupyter/config"
export JUPYTER_DATA_DIR="$ROOT/.venv/jupyter/data"
export JUPYTER_RUNTIME_DIR="$ROOT/.venv/jupyter/runtime"
export IPYTHONDIR="$ROOT/.venv/ipython"
PY="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating virtual environment in $VENV" >&2
  "$PY" -m venv "$VENV"
fi
mkdir -p "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR"
stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-${EXTRAS//,/_}"
if [[ ! -f "$stamp" ]]; then
  echo "setup: installing the explorer and its dependencies ($EXTRAS)" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$EXTRAS]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
