"""Serve the dashboard notebook with Voila, safely by default.

What the defaults guarantee (each is checked against the real server in ``tests/app/test_serve.py`` and
``tests/hostile/test_server.py``):

- bound to 127.0.0.1 unless another address is asked for; on a loopback address, a request naming
  another host is refused;
- only ``notebooks/dashboard.ipynb`` is served: Voila runs in single-notebook mode, so there is no
  file browser, no other notebook and no contents API, and ``/voila/files/`` serves nothing;
- no source code in the page (``--strip_sources=True``), no tracebacks and no server paths for viewers
  (``--show_tracebacks=False``; a failing dashboard says what to do; the kernel's stderr stays in the
  server's log);
- plotly's chart front end (a 5 MB JavaScript module) is served from plotly's ``package_data``
  folder, added to Voila's labextension paths, so the page fetches it once and caches it;
- the page is our Voila template (:data:`explorer.config.VOILA_TEMPLATE`): Voila's lab page without its
  requests to a CDN, so the page asks nothing of any other host (its icons come with Voila's bundle);
- the viewer's browser cannot run code in the kernel: Voila's kernel manager accepts only comm
  (widget) messages, kernel_info and shutdown over the websocket, so an ``execute_request`` is dropped,
  and malformed comm messages are dropped before they reach the kernel;
- every page load starts a kernel (the corpus in memory): at most ``max_kernels`` at once (past that, a
  short "busy" page), none for a request from another site, a kernel whose page is not connected is
  shut down after ``idle_timeout`` seconds idle, and all of them when the server stops (SIGTERM, SIGHUP,
  Ctrl-C).

The server is :mod:`explorer.app.voila_server` (Voila with those guards), run in the ``explorer serve``
process itself, so a signal to that process reaches Voila's own clean-up. The corpus folder reaches the
kernel through the environment variable ``EXPLORER_CORPUS``, read by :func:`explorer.app.widgets.app`,
not by notebook code. This module imports no widget or plotting library, nor Voila: building the command
needs only the command line.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
import sys
from pathlib import Path

from .. import config
from ..config import CORPUS_ENV, DASHBOARD_NOTEBOOK, LABELS_ENV


#: Most kernels the server holds at once (each holds the corpus: ~200 MB with the embedded data).
MAX_KERNELS = 8
#: Seconds a kernel whose page is not connected may sit idle before it is shut down.
IDLE_TIMEOUT = 600


def cull_interval(idle_timeout: int) -> int:
    """How often (seconds) idle kernels are looked for: a fifth of the timeout, between 1 and 60 s.

    >>> cull_interval(600), cull_interval(4)
    (60, 1)
    """
    return max(1, min(60, idle_timeout // 5))


def voila_arguments(port: int = 8866, ip: str = "127.0.0.1", notebook: Path = DASHBOARD_NOTEBOOK,
                    max_kernels: int = MAX_KERNELS, idle_timeout: int = IDLE_TIMEOUT) -> list[str]:
    """The arguments of :mod:`explorer.app.voila_server` (Voila's options) that serve ``notebook``.

    Parameters
    ----------
    port, ip : where to listen (no other port is tried if this one is taken).
    notebook : the one notebook served.
    max_kernels : most kernels held at once; a viewer past that gets a short "busy" page.
    idle_timeout : seconds a kernel whose page is not connected may be idle before it is shut down.

    >>> args = voila_arguments(9000)
    >>> "--Voila.ip=127.0.0.1" in args and "--show_tracebacks=False" in args and "--strip_sources=True" in args
    True
    >>> "--KernelPool.max_kernels=8" in args and "--KernelPool.cull_idle_timeout=600" in args
    True
    """
    return [
        str(notebook), "--no-browser", f"--port={port}", f"--Voila.ip={ip}", "--Voila.port_retries=0",
        "--strip_sources=True", "--show_tracebacks=False",
        # Nothing under /voila/files/: the default would serve any image below the notebook folder.
        "--VoilaConfiguration.file_allowlist=^$", "--VoilaConfiguration.file_denylist=.*",
        f"--Voila.root_dir={Path(notebook).resolve().parent}",
        "--theme=light", f"--template={config.VOILA_TEMPLATE}",  # found through JUPYTER_PATH (voila_server)
        # Plotly's chart front end, served once per page instead of inside every chart's state
        # (see explorer.app.figures.SharedBundleFigureWidget).
        f"--VoilaConfiguration.extra_labextensions_path={config.plotly_bundle_dir()}",
        # Kernels: capped, and culled when their page is not connected (a closed tab, a fetch without
        # a browser); a connected page keeps its kernel however long it is idle.
        f"--KernelPool.max_kernels={max_kernels}", f"--KernelPool.cull_idle_timeout={idle_timeout}",
        f"--KernelPool.cull_interval={cull_interval(idle_timeout)}", "--KernelPool.cull_connected=False",
    ]


def voila_command(port: int = 8866, ip: str = "127.0.0.1", notebook: Path = DASHBOARD_NOTEBOOK,
                  timeout: float | None = None, max_kernels: int = MAX_KERNELS,
                  idle_timeout: int = IDLE_TIMEOUT) -> list[str]:
    """The command line that serves ``notebook`` as ``explorer serve`` does, in a process of its own
    (tests and benchmarks; see :func:`voila_arguments` for the other parameters).

    timeout : stop the server after this many seconds (uses coreutils ``timeout``, so the server stops
        even if its parent dies).

    >>> voila_command(9000)[1:3]
    ['-m', 'explorer.app.voila_server']
    """
    cmd = [sys.executable, "-m", "explorer.app.voila_server",
           *voila_arguments(port, ip, notebook, max_kernels, idle_timeout)]
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


def serve(data: Path | None = None, port: int = 8866, ip: str = "127.0.0.1", labels: Path | None = None,
          max_kernels: int = MAX_KERNELS, idle_timeout: int = IDLE_TIMEOUT) -> int:
    """Serve the dashboard for the corpus folder ``data`` (default: the embedded data) until stopped
    (SIGTERM, SIGHUP or Ctrl-C: the kernels are shut down first), checking claims against the label
    store ``labels`` when given.

    Prints the address to open and returns the exit status (2: bad arguments or the port is taken).
    """
    if data is not None and not Path(data).is_dir():
        print(f"explorer serve: {data}: no such corpus folder", file=sys.stderr)
        return 2
    if labels is not None and not (Path(labels) / "manifest.json").is_file():
        print(f"explorer serve: {labels}: not a label store (import labels with 'explorer labels import')",
              file=sys.stderr)
        return 2
    if max_kernels < 1 or idle_timeout < 1:
        print("explorer serve: --max-kernels and --idle-timeout must be at least 1", file=sys.stderr)
        return 2
    host = f"[{ip}]" if ":" in ip else ip
    taken = _port_taken(ip, port)
    if taken:
        print(f"explorer serve: cannot listen on {host}:{port}: {taken}; stop what uses it or choose "
              "another port with --port", file=sys.stderr)
        return 2
    print(f"Serving the dashboard at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    print(f"At most {max_kernels} viewers at once; a kernel whose page is closed stops after {idle_timeout} s idle.",
          flush=True)
    if ip not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {ip}: anyone who can reach this address can use the dashboard",
              file=sys.stderr)
    env = voila_env(data, labels=labels)
    for name in (CORPUS_ENV, LABELS_ENV):  # the kernels inherit this process's environment
        if name in env:
            os.environ[name] = env[name]
        else:
            os.environ.pop(name, None)
    try:
        from .voila_server import main

        return main(voila_arguments(port, ip, DASHBOARD_NOTEBOOK, max_kernels, idle_timeout))
    except KeyboardInterrupt:  # Ctrl-C while starting, before any kernel
        return 130


def _port_taken(ip: str, port: int) -> str | None:
    """Why ``ip:port`` cannot be listened on right now, or None."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
        try:
            probe.bind((ip, port))
        except OSError as exc:
            return "the port is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
    return None
