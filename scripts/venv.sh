# Sourced by the other scripts (it sets no shell options): explorer_use_venv VENV puts VENV/bin first
# on PATH and points Jupyter and IPython at folders inside VENV (not the home folder).
explorer_use_venv() {
  export JUPYTER_CONFIG_DIR="$1/jupyter/config"
  export JUPYTER_DATA_DIR="$1/jupyter/data"
  export JUPYTER_RUNTIME_DIR="$1/jupyter/runtime"
  export IPYTHONDIR="$1/ipython"
  mkdir -p "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR"
  case ":$PATH:" in *":$1/bin:"*) ;; *) export PATH="$1/bin:$PATH" ;; esac
}

# explorer_scratch_venv NAME: a fresh virtual environment (of $PYTHON, default python3) in a temporary
# folder that is removed when the script exits; sets $venv to it and $pip to its quiet `pip install`.
explorer_scratch_venv() {
  local scratch
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/explorer-$1.XXXXXX")"
  trap "rm -rf '$scratch'" EXIT
  venv="$scratch/venv"
  echo "$1: a fresh virtual environment in $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv"
  pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
}
