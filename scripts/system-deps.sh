#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: chromium for the browser test.
# As root (or with password-less sudo) it runs apt-get; otherwise it says that the browser test will be
# skipped and lets the run go on (tests/app/test_browser.py skips itself when /usr/bin/chromium is absent).
set -euo pipefail
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"  # where the browser test looks for it
missing=()
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "system-deps: Debian packages ${missing[*]} are missing and installing them needs root;" \
       "the browser test will be skipped (install them with: sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "system-deps: no apt-get on this machine; install ${missing[*]} yourself, the browser test will be skipped" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]} with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
