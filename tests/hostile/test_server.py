"""Hostile requests to the dashboard server, each against a real server on 127.0.0.1 (issue 16, items 3
and 15; issue 20, the server's stop), and hostile pages for the page view (item 16).

Kernels are counted as the server's processes are: the descendants of the server's PID running
``ipykernel_launcher`` (Voila serves one notebook, so it has no kernel-listing API). Servers stop by
themselves (coreutils ``timeout``) and are ended by PID.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import dashboard_viewer, free_port, http_get, start_voila

from .limits import MEMORY_LIMIT, TIME_LIMIT, run_limited

PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="counting kernels needs Linux /proc")


# --- the server's processes ---------------------------------------------------------------------------

def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    out = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            out[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    return out


def descendants(pid: int) -> list[int]:
    parents, found, todo = _parents(), [], [pid]
    while todo:
        current = todo.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


def kernels(pid: int) -> list[int]:
    """The kernel processes below ``pid``."""
    out = []
    for p in descendants(pid):
        try:
            if b"ipykernel_launcher" in (PROC / str(p) / "cmdline").read_bytes():
                out.append(p)
        except OSError:
            continue
    return out


def rss_mb(pid: int) -> float:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wait_for_kernels(pid: int, at_most: int, within: float) -> list[int]:
    deadline = time.monotonic() + within
    while (held := kernels(pid)) and len(held) > at_most and time.monotonic() < deadline:
        time.sleep(0.5)
    return held


# --- kernels: capped, culled, none for another site -------------------------------------------------

IDLE = 5  # seconds: the cull timeout of the test servers (cull interval: 1 s)
CAP = 3


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory):
    """The dashboard with at most 3 kernels, culled after 5 s idle when their page is not connected."""
    server = start_voila(None, tmp_path_factory.mktemp("capped") / "voila.log", max_kernels=CAP, idle_timeout=IDLE)
    yield server
    server.stop()


@pytest.mark.server
@needs_proc
def test_page_loads_hold_at_most_the_cap_and_unconnected_kernels_are_shut_down(capped_server):
    server = capped_server
    assert wait_for_kernels(server.process.pid, 0, 60) == []
    peak, peak_mb, done = [0], [0.0], [False]

    def watch():
        while not done[0]:
            held = kernels(server.process.pid)
            peak[0] = max(peak[0], len(held))
            peak_mb[0] = max([peak_mb[0], *map(rss_mb, held)])
            time.sleep(0.2)

    def load(_):
        t0 = time.monotonic()
        status, _, body = http_get(server.url + "/")
        return status, body, time.monotonic() - t0

    with concurrent.futures.ThreadPoolExecutor(11) as pool:
        watcher = pool.submit(watch)
        results = list(pool.map(load, range(10)))  # ten page loads at once, as curl would make them
        done[0] = True
        watcher.result()
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [200] * CAP + [503] * (10 - CAP), statuses
    assert 0 < peak[0] <= CAP
    for status, body, seconds in results:
        if status == 503:
            assert "The dashboard is busy" in body and "Try again in a minute" in body and seconds < 5
        else:
            assert '"kernelId"' in body and seconds < TIME_LIMIT
            assert sys.prefix not in body and str(Path(__file__).parents[2]) not in body  # no server path
    assert peak_mb[0] < MEMORY_LIMIT / 2**20, f"a kernel held {peak_mb[0]:.0f} MB"
    # None of these pages ever connected: their kernels go once idle for IDLE seconds
    assert wait_for_kernels(server.process.pid, 0, IDLE + 20) == []
    status, _, _ = http_get(server.url + "/")
    assert status == 200  # room again
    log = server.log.read_text(errors="replace")
    assert "with 0 connections due to" in log and "Dashboard busy" in log


@pytest.mark.server
@needs_proc
@pytest.mark.parametrize("headers", [
    {"Origin": "http://attacker.test"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "iframe"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}])
def test_a_request_from_another_site_starts_no_kernel(capped_server, headers):
    server = capped_server
    assert wait_for_kernels(server.process.pid, 0, 60) == []
    t0 = time.monotonic()
    status, _, body = http_get(server.url + "/?drug=Mirena", headers=headers)
    assert status == 403 and time.monotonic() - t0 < 5
    assert "Open the dashboard from its own address" in body and 'href="/?drug=Mirena"' in body
    assert "<script" not in body
    time.sleep(1)
    assert kernels(server.process.pid) == []


@pytest.mark.server
def test_the_link_on_the_refusal_page_stays_on_the_dashboard(capped_server):
    status, _, body = http_get(capped_server.url + "//attacker.test/x?q=1", headers={"Origin": "http://attacker.test"})
    assert status == 403 and 'href="/?q=1"' in body and "attacker.test/x" not in body


@pytest.mark.server
@needs_proc
def test_a_request_naming_another_host_is_refused_on_a_loopback_address(capped_server):
    """DNS rebinding: a page of attacker.test whose name now points at 127.0.0.1 sends Host: attacker.test."""
    server = capped_server
    assert wait_for_kernels(server.process.pid, 0, 60) == []
    status, _, _ = http_get(server.url + "/", headers={"Host": f"attacker.test:{server.port}"})
    assert status == 403
    time.sleep(1)
    assert kernels(server.process.pid) == []


@pytest.mark.server
def test_a_request_from_the_dashboards_own_address_is_served(capped_server):
    status, _, body = http_get(capped_server.url + "/", headers={"Origin": capped_server.url,
                                                                 "Sec-Fetch-Site": "same-origin"})
    assert status == 200 and '"kernelId"' in body


# --- the websocket: malformed messages get no traceback ---------------------------------------------

def _message(msg_type: str, content: object) -> str:
    return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "",
                                  "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                       "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


MALFORMED = [
    _message("comm_open", {}),                                                     # no ids at all
    _message("comm_open", {"comm_id": 5, "target_name": "jupyter.widget", "data": {}}),
    _message("comm_open", {"comm_id": "a", "target_name": "jupyter.widget"}),    # no data
    _message("comm_open", {"comm_id": "b", "target_name": "jupyter.widget", "data": None}),
    _message("comm_open", [1, 2]),
    _message("comm_msg", {"comm_id": "nobody", "data": {"method": "update", "state": {}}}),  # no such comm
    # well formed, but the widget library refuses it with a traceback (wrong protocol version)
    _message("comm_open", {"comm_id": "c", "target_name": "jupyter.widget",
                           "data": {"state": {"_model_name": "Nope"}}, "metadata": {"version": "0.0.1"}}),
    "this is not JSON",
    json.dumps({"no": "header"}),
]


async def _exchange(url: str, kernel_id: str, cookies: str) -> list[str]:
    import websockets

    seen: list[str] = []
    async with websockets.connect(url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels",
                                  open_timeout=20, max_size=None, additional_headers={"Cookie": cookies}) as ws:
        for text in MALFORMED:
            await ws.send(text)
        await ws.send(_message("kernel_info_request", {}))
        try:
            async with asyncio.timeout(20):
                while not any('"kernel_info_reply"' in m for m in seen):
                    reply = await ws.recv()
                    seen.append(reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply)
            async with asyncio.timeout(3):  # whatever the kernel still says about the bad messages
                while True:
                    reply = await ws.recv()
                    seen.append(reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply)
        except TimeoutError:
            pass
    return seen


@pytest.mark.server
@needs_proc
def test_malformed_comm_messages_get_no_traceback_and_the_kernel_keeps_answering(capped_server):
    kernel_id, cookies = dashboard_viewer(capped_server.url)
    seen = asyncio.run(_exchange(capped_server.url, kernel_id, cookies))
    assert any('"kernel_info_reply"' in m for m in seen)  # the connection outlived the garbage
    for text in seen:
        assert "Traceback" not in text and "site-packages" not in text and ".venv" not in text, text[:2000]
        assert str(Path(sys.prefix)) not in text and '"name": "stderr"' not in text, text[:2000]
    log = capped_server.log.read_text(errors="replace")
    assert "Dropped a malformed comm_open from the page" in log and "not a kernel message" in log
    assert "Incompatible widget protocol versions" in log  # the kernel's complaint is kept, on the server
    # the page is gone (a tab closed without saying so): its kernel goes once idle
    assert wait_for_kernels(capped_server.process.pid, 0, IDLE + 20) == []


# --- the kernel's API: its own page's only ---------------------------------------------------------------

def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers or {}), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


async def _websocket_status(url: str, kernel_id: str, headers: dict[str, str]) -> int:
    """101 when the kernel's websocket opens with these headers, else the HTTP status it was refused with."""
    import websockets

    try:
        async with websockets.connect(url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels",
                                      open_timeout=20, additional_headers=headers):
            return 101
    except websockets.exceptions.InvalidStatus as e:
        return e.response.status_code


async def _strangers_and_owner(url: str, kernel_id: str, cookies: str) -> dict[str, int]:
    import websockets

    kernel = f"{url}/api/kernels/{kernel_id}"
    # A cookie and header pair of one's own passes the XSRF check: it shut the kernel down (204) before.
    xsrf = {"Cookie": "_xsrf=mine", "X-XSRFToken": "mine"}
    owner = {"Cookie": cookies}
    # the owner's page stays connected meanwhile, so that the culler leaves its kernel alone
    async with websockets.connect(url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels",
                                  open_timeout=20, additional_headers=owner):
        return {
            "stranger GET": await asyncio.to_thread(_request, kernel),
            "stranger DELETE": await asyncio.to_thread(_request, kernel, "DELETE", xsrf),
            "stranger shutdown": await asyncio.to_thread(_request, f"{url}/voila/api/shutdown/{kernel_id}", "POST", xsrf),
            "stranger websocket": await _websocket_status(url, kernel_id, {}),
            "owner from another site": await _websocket_status(url, kernel_id, {**owner, "Origin": "http://evil.test"}),
            "another site DELETE": await asyncio.to_thread(_request, kernel, "DELETE", {
                "Cookie": f"{cookies}; _xsrf=mine", "X-XSRFToken": "mine", "Origin": "http://evil.test"}),
            "owner GET": await asyncio.to_thread(_request, kernel, "GET", owner),
        }


@pytest.mark.server
@needs_proc
def test_only_the_page_that_started_a_kernel_may_use_it_or_shut_it_down(capped_server):
    kernel_id, cookies = dashboard_viewer(capped_server.url)
    assert "explorer-viewer=" in cookies

    seen = asyncio.run(_strangers_and_owner(capped_server.url, kernel_id, cookies))

    assert seen == {"stranger GET": 403, "stranger DELETE": 403, "stranger shutdown": 403, "stranger websocket": 403,
                    "owner from another site": 403, "another site DELETE": 403, "owner GET": 200}
    log = capped_server.log.read_text(errors="replace")
    assert f"Refused DELETE /api/kernels/{kernel_id}: not from the page that started the kernel" in log
    assert "Refused DELETE" in log and "Origin: http://evil.test" in log
    # its owner may shut it down
    assert _request(f"{capped_server.url}/api/kernels/{kernel_id}", "DELETE", {
        "Cookie": f"{cookies}; _xsrf=mine", "X-XSRFToken": "mine"}) == 204


# --- explorer serve stops, with its kernels ------------------------------------------------------------

@pytest.mark.server
@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_to_explorer_serve_stops_its_kernels_and_frees_the_port(tmp_path, sig):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "explorer.cli", "serve", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        status, _, _ = http_get(f"http://127.0.0.1:{port}/")
        assert status == 200
        held = kernels(proc.pid)
        assert len(held) == 1
        os.kill(proc.pid, sig)  # the process only, as `kill PID` or Ctrl-C in its terminal
        assert proc.wait(30) == 0
        time.sleep(0.5)
        assert [k for k in held if (PROC / str(k)).exists()] == []
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "Stopped; 1 kernel(s) shut down" in text
        # nothing alarming for a loopback server: no trust or encryption warnings, no key in the home folder
        assert "not trusted" not in text and "without encryption" not in text and "notebook_secret" not in text
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: it and what it started
            proc.wait(10)


# --- the page view: hostile pages ------------------------------------------------------------------------

def test_a_page_with_a_20_mb_line_is_shown_cut_within_the_limits(tmp_path):
    page = tmp_path / "site" / "one-line.txt"
    page.parent.mkdir()
    page.write_bytes(b"Zolvane for Hiccups\nCommon Side Effects of Zolvane for Hiccups\n- Rash\n"
                     + b"y" * (20 * 2**20) + b"\n")
    code = ("import hashlib, sys, pandas as pd; from pathlib import Path; "
            "from explorer.app.pageview import read_page, page_html; p = Path(sys.argv[1]); "
            "out = page_html(read_page(str(p), hashlib.sha256(p.read_bytes()).hexdigest(), [p.parent.parent]), "
            "pd.DataFrame()); print(len(out)); print(out)")
    outcome = run_limited([sys.executable, "-c", code, str(page)])
    outcome.assert_clean()
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    size, _, shown = outcome.stdout.partition("\n")
    assert int(size) < 10_000 and "more characters)" in shown and "site/one-line.txt" in shown
    assert str(tmp_path) not in shown
    assert outcome.peak_mb < MEMORY_LIMIT / 2**20 and outcome.seconds < TIME_LIMIT

