#!/usr/bin/env bash
# Creates .venv and installs the package with its dependencies at the versions in
# requirements/constraints.txt (the lock: the versions the tests passed with; scripts/lock.sh
# refreshes it). EXPLORER_EXTRAS names the extras: test,scale when unset (what the tests need), empty
# for the package's own dependencies only (what the dashboard needs; scripts/dashboard.sh).
# Idempotent: .venv/.explorer-install holds a hash of pyproject.toml, the lock and this script, and the
# extras installed. While the hash is the same and the extras asked for are among those, it only
# checks. Extras already installed are kept (and moved to the new pins when the lock changes), so the
# dashboard after the tests, or the reverse, neither reinstalls nor removes nor downgrades anything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
LOCK="$ROOT/requirements/constraints.txt"
STAMP="$VENV/.explorer-install"
EXTRAS="${EXPLORER_EXTRAS-test,scale}"
PY="${PYTHON:-python3}"
if [[ ! -f "$LOCK" ]]; then
  echo "setup: $LOCK is missing; write it with scripts/lock.sh" >&2
  exit 1
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating virtual environment in $VENV" >&2
  "$PY" -m venv "$VENV"
fi
key="$(cat "$ROOT/pyproject.toml" "$LOCK" "$ROOT/scripts/install.sh" | sha256sum | cut -c1-16)"
installed_key="" installed_extras=""
earlier=("$VENV"/.installed-*)  # the stamp of earlier versions of this script: .installed-HASH-test_scale
if [[ -f "$STAMP" ]]; then
  read -r installed_key installed_extras < "$STAMP" || true
elif [[ -f "${earlier[0]}" ]]; then
  installed_extras="${earlier[0]##*-}" && installed_extras="${installed_extras//_/,}"
fi
# Those asked for and those already there, sorted, comma-separated ("" for none).
extras="$(echo "$EXTRAS,$installed_extras" | tr ', ' '\n\n' | sed '/^$/d' | sort -u | paste -sd, -)"
if [[ "$key" == "$installed_key" && "$extras" == "$installed_extras" ]]; then
  exit 0
fi
# --no-compile: Python compiles a module's bytecode when it is first imported; pip compiling every
# module of every distribution took half the CPU time of the dashboard's install (18 s of 36 s).
pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-compile --constraint "$LOCK")
locked="$(sed -n 's/^# python: *//p' "$LOCK")"
here="$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [[ -n "$locked" && "$locked" != "$here" ]]; then
  echo "setup: requirements/constraints.txt was written on Python $locked and this is Python $here;" \
       "if a pinned version does not install, run scripts/lock.sh" >&2
fi
echo "setup: installing the explorer and its dependencies${extras:+ ($extras)}" \
     "at the versions in requirements/constraints.txt" >&2
# pip and setuptools at their pinned versions first; setuptools then builds the package itself (no
# isolated build environment, whose setuptools would be whatever is newest).
"${pip[@]}" --upgrade pip setuptools
"${pip[@]}" --no-build-isolation --editable "$ROOT${extras:+[$extras]}"
rm -f "$VENV"/.installed-*
echo "$key $extras" > "$STAMP"
