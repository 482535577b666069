#!/usr/bin/env bash
# Refreshes requirements/constraints.txt, the versions scripts/install.sh installs. In a fresh virtual
# environment in a temporary folder it installs the package with all its extras at the newest versions
# pip finds (nothing pinned), runs the fast tests there, and only when they pass writes every
# distribution of that environment, pinned, to requirements/constraints.txt. Then review the diff,
# commit it, and the next scripts/setup.sh, test.sh or dashboard.sh installs those versions.
# Extra arguments go to pytest instead of the fast tests' marker expression (e.g. -m "not slow").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="$ROOT/requirements/constraints.txt"
source "$ROOT/scripts/venv.sh"
explorer_scratch_venv lock
"${pip[@]}" --upgrade pip setuptools
# Every extra the package declares, as its metadata lists them once installed.
"${pip[@]}" --no-build-isolation --no-deps --editable "$ROOT"
extras="$("$venv/bin/python" -c 'from importlib.metadata import metadata
print(",".join(sorted(metadata("drug-content-explorer").get_all("Provides-Extra") or [])))')"
echo "lock: installing the explorer with its extras ($extras), newest versions" >&2
"${pip[@]}" --no-build-isolation --editable "$ROOT${extras:+[$extras]}"
pins="$("$venv/bin/python" -m pip freeze --all --exclude-editable --disable-pip-version-check)"
if grep -v '^[A-Za-z0-9._-]*==' <<<"$pins"; then
  echo "lock: the lines above are not name==version pins; nothing written" >&2
  exit 1
fi
python_version="$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
# The new lock, checked by the tests (EXPLORER_LOCK points tests/test_install.py at it), then moved in.
candidate="$(dirname "$venv")/constraints.txt"
{
  echo "# The versions scripts/install.sh installs (pip constraints: each pin applies when something asks"
  echo "# for that distribution). Written by scripts/lock.sh from a fresh environment of the package with"
  echo "# its extras ($extras) whose tests passed; do not edit by hand, run scripts/lock.sh."
  echo "# python: $python_version"
  LC_ALL=C sort -f <<<"$pins"
} > "$candidate"
explorer_use_venv "$venv"
if [[ $# -eq 0 ]]; then
  set -- -n 2 --dist loadscope -m "not slow and not server and not browser"
fi
echo "lock: running the tests there (pytest -q $*)" >&2
(cd "$ROOT" && EXPLORER_LOCK="$candidate" python -m pytest -q "$@")
mkdir -p "$(dirname "$LOCK")"
cp "$candidate" "$LOCK.tmp"
mv "$LOCK.tmp" "$LOCK"
echo "lock: wrote $(grep -c '==' "$LOCK") pins to $LOCK" >&2
