#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: chromium for the browser test.
set -euo pipefail
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "system-deps: need Debian packages ${missing[*]} and am not root (no sudo); install them and retry" >&2
    exit 2
  fi
else SUDO=""; fi
echo "system-deps: installing ${missing[*]} with apt-get" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
