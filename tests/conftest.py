"""Shared fixtures: the seed corpus, a temp corpus with the escaped-markup page, and real Voila servers.

Servers are started with coreutils ``timeout`` (they stop by themselves), in their own process group,
and ended by PID in fixture teardown. One server per corpus for the whole session.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.config import RAW_DIR

TESTS = Path(__file__).resolve().parent
ESCAPED_PAGE = TESTS / "pages" / "escaped-markup.txt"
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


def start_voila(data: Path | None, log: Path, notebook: Path | None = None, wait: float = 60) -> VoilaServer:
    """Start ``explorer serve``'s Voila command on a free port and wait until it accepts connections."""
    from explorer.serve import DASHBOARD_NOTEBOOK, voila_command, voila_env

    port = free_port()
    cmd = voila_command(port, "127.0.0.1", notebook or DASHBOARD_NOTEBOOK, timeout=SERVER_TIMEOUT)
    out = open(log, "wb")
    proc = subprocess.Popen(cmd, env=voila_env(data), stdout=out, stderr=subprocess.STDOUT,
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


def http_get(url: str, timeout: float = 120) -> tuple[int, str, str]:
    """GET without following redirects: (status, final location or url, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.geturl(), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", url), e.read().decode("utf-8", "replace")


@pytest.fixture(scope="session")
def seed_corpus():
    """The embedded corpus (the seed page)."""
    import explorer

    return explorer.load()


@pytest.fixture(scope="session")
def escaped_corpus_dir(tmp_path_factory) -> Path:
    """A corpus folder holding the seed page and the escaped-markup test page."""
    from explorer.ingest import ingest

    pages = tmp_path_factory.mktemp("pages")
    for src in (RAW_DIR / "mirena-back-pain.txt", ESCAPED_PAGE):
        (pages / src.name).write_bytes(src.read_bytes())
    out = tmp_path_factory.mktemp("corpus") / "escaped"
    ingest([pages], out, workers=1, progress=False)
    return out


@pytest.fixture(scope="session")
def escaped_corpus(escaped_corpus_dir):
    import explorer

    return explorer.load(escaped_corpus_dir)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """The dashboard served on the embedded data (one server for the session)."""
    server = start_voila(None, tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def escaped_server(escaped_corpus_dir, tmp_path_factory):
    """The dashboard served on the corpus with the escaped-markup page."""
    server = start_voila(escaped_corpus_dir, tmp_path_factory.mktemp("voila-escaped") / "voila.log")
    yield server
    server.stop()
