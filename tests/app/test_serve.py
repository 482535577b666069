"""`explorer serve` is safe by default: its command line and environment, and each promise of
explorer/app/serve.py checked against the real Voila server (those tests are marked ``server``)."""
from __future__ import annotations

import asyncio
import html
import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

from explorer.app.serve import voila_command, voila_env
from explorer.app.voila_server import ERROR_MESSAGE
from explorer.config import CORPUS_ENV, DASHBOARD_NOTEBOOK, plotly_bundle_dir
from tests.helpers import dashboard_viewer, free_port, http_get, start_voila


def test_command_line_is_safe_by_default():
    cmd = voila_command(9123)
    assert cmd[cmd.index("-m") + 1] == "explorer.app.voila_server" and str(DASHBOARD_NOTEBOOK) in cmd
    for flag in ("--port=9123", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--strip_sources=True",
                 "--show_tracebacks=False", "--no-browser", "--VoilaConfiguration.file_denylist=.*"):
        assert flag in cmd
    assert not any("preheat" in a or "progressive" in a or "token" in a for a in cmd)
    assert "--Voila.ip=0.0.0.0" in voila_command(9123, ip="0.0.0.0")
    timed = voila_command(9123, timeout=30)
    assert timed[0].endswith("timeout") and timed[1:4] == ["-k", "5", "30"]


def test_command_adds_plotlys_bundle_folder_to_voilas_labextensions():
    assert f"--VoilaConfiguration.extra_labextensions_path={plotly_bundle_dir()}" in voila_command(9123)


def test_starting_the_server_imports_no_widget_or_plotting_library():
    code = ("import sys; from explorer.app.serve import voila_command, voila_env; voila_command(9123); voila_env(); "
            "print(sorted(m for m in ('ipywidgets', 'plotly', 'pandas', 'voila', 'jupyter_server') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_corpus_reaches_the_kernel_through_the_environment(tmp_path):
    env = voila_env(tmp_path, base={"PATH": "/bin", CORPUS_ENV: "stale"})
    assert env == {"PATH": "/bin", CORPUS_ENV: str(tmp_path.resolve())}
    assert CORPUS_ENV not in voila_env(None, base={CORPUS_ENV: "stale"})


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, from /proc/net/tcp{,6} (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if int(hexport, 16) == port and state == "0A":  # LISTEN
                found.add(addr)
    return found


def test_server_listens_on_loopback_only(voila_server):
    addresses = _listening_addresses(voila_server.port)
    if not addresses:
        pytest.skip("/proc/net/tcp not readable here")
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, little-endian hex; no 0.0.0.0 or ::


@pytest.fixture(scope="module")
def dashboard_page(voila_server) -> str:
    status, _, body = http_get(voila_server.url + "/")
    assert status == 200
    return body


def test_page_shows_no_source_code(dashboard_page):
    source = "".join(nbformat.read(DASHBOARD_NOTEBOOK, as_version=4).cells[0].source)
    assert "from explorer.app.widgets import app" in source
    assert "from explorer.app.widgets import app" not in dashboard_page
    assert "NBVAL_CHECK_OUTPUT" not in dashboard_page
    assert "application/vnd.jupyter.widget-view+json" in dashboard_page  # the widget output is there


@pytest.mark.parametrize("path", [
    "/voila/tree", "/tree", "/voila/render/01-quickstart.ipynb", "/01-quickstart.ipynb",
    "/voila/files/01-quickstart.ipynb", "/voila/files/dashboard.ipynb", "/voila/files/../explorer/app/serve.py",
    "/voila/api/contents", "/api/contents", "/api/contents/dashboard.ipynb", "/api/kernels", "/lab",
    "/voila/files/../docs/screenshot.png",
])
def test_nothing_but_the_dashboard_is_served(voila_server, path):
    status, location, body = http_get(voila_server.url + path)
    if status in (301, 302, 303, 307, 308):  # single-notebook Voila sends other paths to /voila/files/
        assert "/voila/files/" in location
        status, _, body = http_get(voila_server.url + location if location.startswith("/") else location)
    assert status in (403, 404, 405), (path, status)
    assert '"cells"' not in body and "import" not in body


@pytest.mark.server  # starts its own server on a failing notebook
def test_tracebacks_are_not_shown(tmp_path):
    secret = f"secret-{uuid.uuid4().hex}"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"raise RuntimeError('{secret}')")],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    server = start_voila(None, tmp_path / "voila.log", notebook=path)
    try:
        status, _, body = http_get(server.url + "/")
    finally:
        server.stop()
    assert status == 200
    assert secret not in body and "Traceback" not in body and "RuntimeError" not in body
    assert secret in (tmp_path / "voila.log").read_text(errors="replace")  # it did fail, server-side
    # what the viewer reads instead: our message, saying what to do; not Voila's advice to use a flag
    # that explorer serve does not take
    assert ERROR_MESSAGE in html.unescape(body)
    assert "show_tracebacks" not in body and "error when executing cell" not in body


async def _kernel_exchange(url: str, kernel_id: str, marker: Path, cookies: str) -> tuple[set[str], bool]:
    """Send execute_request (writes ``marker``) then kernel_info_request; return reply types seen."""
    import websockets

    def message(msg_type: str, content: dict) -> str:
        return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "",
                                      "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                           "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
                           "buffers": []})

    seen: set[str] = set()
    ws_url = url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
    async with websockets.connect(ws_url, open_timeout=10, additional_headers={"Cookie": cookies}) as ws:
        await ws.send(message("execute_request", {
            "code": f"open({str(marker)!r}, 'w').write('ran')", "silent": False, "store_history": False,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}))
        await ws.send(message("kernel_info_request", {}))
        try:
            async with asyncio.timeout(15):
                while "kernel_info_reply" not in seen:
                    reply = json.loads(await ws.recv())
                    seen.add(reply.get("header", {}).get("msg_type", ""))
        except TimeoutError:
            pass
        await asyncio.sleep(2)  # give a (wrongly) accepted execute_request time to run
    return seen, marker.exists()


def test_browser_cannot_execute_code_in_the_kernel(voila_server, tmp_path):
    kernel_id, cookies = dashboard_viewer(voila_server.url)  # its own page's cookie: a stranger is refused
    marker = tmp_path / "executed.txt"
    seen, ran = asyncio.run(_kernel_exchange(voila_server.url, kernel_id, marker, cookies))
    assert "kernel_info_reply" in seen  # the channel works: allowed messages get answers ...
    assert "execute_reply" not in seen and "execute_input" not in seen
    assert not ran  # ... but the code was never run


def test_a_taken_port_is_named_with_what_to_do(capsys):
    from explorer.app.serve import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(port=port) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in err and "--port" in err


@pytest.mark.parametrize("option", [{"max_kernels": 0}, {"idle_timeout": 0}])
def test_kernel_limits_below_one_are_refused(capsys, option):
    from explorer.app.serve import serve

    assert serve(port=free_port(), **option) == 2
    assert "--max-kernels and --idle-timeout must be at least 1" in capsys.readouterr().err


def test_kernel_limits_reach_the_kernel_manager_and_the_culler():
    cmd = voila_command(9123, max_kernels=3, idle_timeout=40)
    for flag in ("--KernelPool.max_kernels=3", "--KernelPool.cull_idle_timeout=40", "--KernelPool.cull_interval=8",
                 "--KernelPool.cull_connected=False"):
        assert flag in cmd


def test_a_failing_cell_reads_our_message_through_voilas_executor():
    """The server swaps Voila's executor (voila.notebook_renderer.VoilaExecutor) for ours: this fails
    loudly if a Voila release renames either."""
    import voila.notebook_renderer

    from explorer.app.voila_server import DashboardExecutor

    assert issubclass(DashboardExecutor, voila.notebook_renderer.VoilaExecutor)
    cell = nbformat.v4.new_code_cell("1/0", outputs=[nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["File /srv/.venv/x.py, line 1"])])
    DashboardExecutor(nbformat.v4.new_notebook()).strip_code_cell_errors(cell)
    assert cell.outputs[0]["traceback"] == [ERROR_MESSAGE] and cell.outputs[0]["evalue"] == ERROR_MESSAGE
