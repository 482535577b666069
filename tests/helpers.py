"""Shared test helpers: paths of the test data, and real Voila servers started and ended by PID.

Servers are started with coreutils ``timeout`` (they stop by themselves), in their own process group,
and ended by PID (``VoilaServer.stop``).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
PAGES = FIXTURES / "pages"  # test pages written for the tests, one per template variant or failure
GOLDEN = FIXTURES / "golden"  # what the parser reads from each test page (see tests/pages/test_golden.py)
ESCAPED_PAGE = PAGES / "escaped-markup.txt"
DASHBOARD_PAGES = FIXTURES / "dashboard"  # pages written for the dashboard's browser test (an invented drug)
GENERAL_PAGES = FIXTURES / "general"  # pages of other sites written for the tests (general extractor)
FORMULA_PAGE = FIXTURES / "hostile" / "formula-cells.txt"  # side effects that read as spreadsheet formulas
ARTIFACTS = TESTS / "artifacts"
SERVER_TIMEOUT = 900  # seconds a test server may live at most


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class VoilaServer:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # its own group: voila and its kernels
            except ProcessLookupError:
                return
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def start_voila(data: Path | None, log: Path, notebook: Path | None = None, wait: float = 60,
                labels: Path | None = None, **options) -> VoilaServer:
    """Start ``explorer serve``'s Voila command on a free port and wait until it accepts connections;
    ``labels``: a label store to check claims against; ``options``: ``max_kernels``, ``idle_timeout``
    (see :func:`explorer.app.serve.voila_arguments`)."""
    from explorer.app.serve import DASHBOARD_NOTEBOOK, voila_command, voila_env

    port = free_port()
    cmd = voila_command(port, "127.0.0.1", notebook or DASHBOARD_NOTEBOOK, timeout=SERVER_TIMEOUT, **options)
    out = open(log, "wb")
    proc = subprocess.Popen(cmd, env=voila_env(data, labels=labels), stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    server = VoilaServer(f"http://127.0.0.1:{port}", port, proc, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"voila did not listen on {port} within {wait}s")


def dashboard_viewer(url: str, timeout: float = 120) -> tuple[str, str]:
    """Load the dashboard at ``url`` as a browser does: the id of the kernel it started, and the cookies
    it set (a ``Cookie`` header's value), which make this viewer that kernel's owner."""
    with urllib.request.urlopen(urllib.request.Request(url + "/"), timeout=timeout) as r:
        body = r.read().decode("utf-8", "replace")
        cookies = "; ".join(c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or [])
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert match, body[-2000:]
    return match.group(1), cookies


def http_get(url: str, timeout: float = 120, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """GET (with ``headers``) without following redirects: (status, final location or url, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as r:
            return r.status, r.geturl(), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", url), e.read().decode("utf-8", "replace")
