"""Serve the dashboard notebook with Voila, safely by default.

What the defaults guarantee (each is checked against the real server in ``tests/app/test_serve.py``):

- bound to 127.0.0.1 unless another address is asked for;
- only ``notebooks/dashboard.ipynb`` is served: Voila runs in single-notebook mode, so there is no
  file browser, no other notebook and no contents API, and ``/voila/files/`` serves nothing;
- no source code in the page (``--strip_sources=True``) and no tracebacks for viewers
  (``--show_tracebacks=False``);
- plotly's chart front end (a 5 MB JavaScript module) is served from plotly's ``package_data``
  folder, added to Voila's labextension paths, so the page fetches it once and caches it;
- the viewer's browser cannot run code in the kernel: Voila's kernel manager accepts only comm
  (widget) messages, kernel_info and shutdown over the websocket, so an ``execute_request`` is dropped.

The corpus folder reaches the kernel through the environment variable ``EXPLORER_CORPUS``, read by
:func:`explorer.app.widgets.app`, not by notebook code. This module imports no widget or plotting
library: starting the server needs only the command line.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .. import config
from ..config import CORPUS_ENV, DASHBOARD_NOTEBOOK, LABELS_ENV


def voila_command(port: int = 8866, ip: str = "127.0.0.1", notebook: Path = DASHBOARD_NOTEBOOK,
                  timeout: float | None = None) -> list[str]:
    """The command line that serves ``notebook`` with Voila.

    Parameters
    ----------
    port, ip : where to listen (no other port is tried if this one is taken).
    notebook : the one notebook served.
    timeout : stop the server after this many seconds (tests and benchmarks; uses coreutils
        ``timeout``, so the server stops even if its parent dies).

    >>> cmd = voila_command(9000)
    >>> "--Voila.ip=127.0.0.1" in cmd and "--show_tracebacks=False" in cmd and "--strip_sources=True" in cmd
    True
    """
    cmd = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser", f"--port={port}", f"--Voila.ip={ip}", "--Voila.port_retries=0",
        "--strip_sources=True", "--show_tracebacks=False",
        # Nothing under /voila/files/: the default would serve any image below the notebook folder.
        "--VoilaConfiguration.file_allowlist=^$", "--VoilaConfiguration.file_denylist=.*",
        f"--Voila.root_dir={Path(notebook).resolve().parent}",
        "--theme=light",
        # Plotly's chart front end, served once per page instead of inside every chart's state
        # (see explorer.app.widgets.SharedBundleFigureWidget).
        f"--VoilaConfiguration.extra_labextensions_path={config.plotly_bundle_dir()}",
    ]
    if timeout is not None:
        killer = shutil.which("timeout")
        if killer:
            cmd = [killer, "-k", "5", str(int(timeout))] + cmd
    return cmd


def voila_env(data: Path | str | None = None, base: dict[str, str] | None = None,
              labels: Path | str | None = None) -> dict[str, str]:
    """The environment for the Voila process: ``EXPLORER_CORPUS`` set to ``data`` and ``EXPLORER_LABELS``
    to ``labels`` (absolute), each unset when not given."""
    env = dict(os.environ if base is None else base)
    for name, value in ((CORPUS_ENV, data), (LABELS_ENV, labels)):
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(Path(value).resolve())
    return env


def serve(data: Path | None = None, port: int = 8866, ip: str = "127.0.0.1", labels: Path | None = None) -> int:
    """Serve the dashboard for the corpus folder ``data`` (default: the embedded data) until stopped,
    checking claims against the label store ``labels`` when given.

    Prints the address to open and returns Voila's exit status.
    """
    if data is not None and not Path(data).is_dir():
        print(f"explorer serve: {data}: no such corpus folder", file=sys.stderr)
        return 2
    if labels is not None and not (Path(labels) / "manifest.json").is_file():
        print(f"explorer serve: {labels}: not a label store (import labels with 'explorer labels import')",
              file=sys.stderr)
        return 2
    host = f"[{ip}]" if ":" in ip else ip
    print(f"Serving the dashboard at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    if ip not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {ip}: anyone who can reach this address can use the dashboard",
              file=sys.stderr)
    try:
        return subprocess.call(voila_command(port, ip), env=voila_env(data, labels=labels))
    except KeyboardInterrupt:
        return 0
