# Source it (`source scripts/setup.sh`): installs what is missing (scripts/install.sh), then activates
# .venv in this shell and points Jupyter and IPython at folders inside it (not the home folder).
# It sets no shell options, so it is safe to source in an interactive shell.
_explorer_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if bash "$_explorer_root/scripts/install.sh"; then
  source "$_explorer_root/scripts/venv.sh"
  explorer_use_venv "$_explorer_root/.venv"
  unset _explorer_root
else
  echo "setup: installation failed (see above)" >&2
  unset _explorer_root
  return 1 2>/dev/null || exit 1
fi
