"""The Voila server behind ``explorer serve``: Voila 0.5 with what a stranger must not get from it taken out.

- :class:`KernelPool`, the kernel manager: every page load starts a kernel holding the corpus (~200 MB
  with the embedded data), so it holds at most ``max_kernels`` of them, and jupyter_server's culler shuts
  down a kernel whose page is not connected (fetched without a browser, a closed tab) once it has been
  idle for ``cull_idle_timeout`` seconds. A page fetched by ``curl`` never connects: its kernel shows
  ``connections == 0`` from the start and goes at the first cull past the timeout.
- :class:`DashboardHandler`, the page: a request that says it comes from another site (an ``Origin`` of
  another host, ``Sec-Fetch-Site: cross-site``) gets a short page with a link to open the dashboard, and
  no kernel; past the cap, a short "busy" page (503, ``Retry-After``), and no kernel.
- A kernel is its page's alone: the page sets a viewer cookie, recorded as the owner of the kernel it
  started (:meth:`KernelPool.own`), and the kernel's API answers only its owner (:mod:`explorer.app.owners`).
- :class:`PageConnection`, the websocket: malformed messages from the page (not JSON, a ``comm_open``
  without its ids, ...) are dropped and logged here; nothing the kernel writes to stderr (warnings and
  tracebacks, with the server's paths) reaches the page: it is logged in the server's terminal.
- :class:`DashboardServer`, the application: on a loopback address a request naming another host is
  refused (jupyter_server's host check, which Voila turns off; it stops DNS rebinding); kernels talk over
  IPC sockets in Voila's private temporary folder (no TCP port, so no "without encryption" warning); the
  notebook-trust key stays in memory (Voila runs the notebook whatever its trust: the "not trusted"
  warning and the key file in the home folder were noise); SIGTERM, SIGHUP and Ctrl-C shut the kernels
  down, then the server; a dashboard that fails shows :data:`ERROR_MESSAGE` instead of Voila's advice
  to run it with ``--show_tracebacks=True``; our template (:data:`explorer.config.VOILA_TEMPLATE_DIR`,
  put first on ``JUPYTER_PATH``) is found like Voila's own.

Run as ``python -m explorer.app.voila_server NOTEBOOK [Voila options]`` (the command
:func:`explorer.app.serve.voila_command` builds) or in the ``explorer serve`` process
(:func:`explorer.app.serve.serve`). This relies on internals of Voila 0.5 (its handler, executor and
app classes) and jupyter_server 2 (its websocket connection class and kernel bookkeeping), pinned in
pyproject.toml; ``tests/hostile/test_server.py`` checks each behaviour against a real server.
"""
from __future__ import annotations

import html
import json
import logging
import os
import secrets
import shutil
import signal
import sys

import tornado.web
import voila.notebook_renderer
from jupyter_core.utils import run_sync
from jupyter_server.services.kernels.connection.base import deserialize_binary_message, deserialize_msg_from_ws_v1
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer
from voila.app import Voila
from voila.execute import VoilaExecutor
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .owners import (VIEWER_COOKIE, OwnedKernelHandler, OwnedShutdownHandler, OwnedWebsocketHandler, Recording,
                     cross_site)

from .. import config

#: What a viewer sees when the dashboard's notebook fails (the error itself is in the server's log).
ERROR_MESSAGE = ("The dashboard could not be built. The error is in the server's log (the terminal running "
                 "'explorer serve'). Reload the page to try again; if it fails again, check the corpus with "
                 "'explorer summary --data DIR' and re-run 'explorer ingest' if it is damaged.")
#: Seconds a viewer is asked to wait when every kernel is taken.
RETRY_AFTER = 60
#: Longest folder for kernel IPC sockets: a Unix socket path holds at most 104-108 bytes, and the
#: socket's name adds ~70 (kernel-<uuid>-ipc-<port>); longer folders keep TCP on 127.0.0.1.
_IPC_FOLDER_LIMIT = 32


class KernelLimitReached(RuntimeError):
    """Every kernel the server may hold is taken."""


class KernelPool(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, holding at most :attr:`max_kernels` kernels (culling is its own)."""

    max_kernels = Integer(8, config=True, help="Most kernels held at once (each holds the corpus); 0: no limit.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._owners: dict[str, str] = {}  # kernel id -> the viewer token of the page that started it

    def own(self, kernel_id: str, viewer: str) -> None:
        """Record ``viewer`` as the owner of ``kernel_id`` (and forget the owners of kernels gone)."""
        for gone in [k for k in self._owners if k not in self._kernels]:
            del self._owners[gone]
        self._owners[kernel_id] = viewer

    def owned_by(self, kernel_id: str, viewer: str | None) -> bool:
        """Whether ``viewer`` (a cookie's token, or None) is the owner of ``kernel_id``."""
        owner = self._owners.get(kernel_id)
        return owner is not None and viewer is not None and secrets.compare_digest(owner, viewer)

    def held(self) -> int:
        """Kernels running, starting or shutting down: those that hold memory. A start registers its
        kernel as pending before its first pause, so two concurrent starts never both see room."""
        return len(self._kernels.keys() | self._pending_kernels.keys())

    def has_room(self) -> bool:
        return self.max_kernels <= 0 or self.held() < self.max_kernels

    async def start_kernel(self, **kwargs):  # type: ignore[override]
        if not self.has_room():
            raise KernelLimitReached(f"{self.held()} kernels held (at most {self.max_kernels})")
        return await super().start_kernel(**kwargs)


# --- the page ---------------------------------------------------------------------------------------

def short_page(title: str, text: str, link: str | None = None) -> str:
    """A small HTML page of our own (no script, no request to any other host); ``link``: a relative
    address to open the dashboard."""
    more = f'<p><a href="{html.escape(link, quote=True)}">Open the dashboard</a></p>' if link else ""
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
            f'{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:40em;margin:4em auto;'
            f'line-height:1.5;color:#222}}</style></head><body><h1>{html.escape(title)}</h1>'
            f'<p>{html.escape(text)}</p>{more}</body></html>')


class DashboardHandler(TornadoVoilaHandler):
    """Voila's page handler, starting no kernel for another site's request or past the kernel cap; the
    kernel it starts is owned by the viewer cookie it sets."""

    started: str | None = None  # the id of the kernel this request started

    @property
    def kernel_manager(self):
        return Recording(self.settings["kernel_manager"], self)

    def _own_started(self) -> None:
        """Make the kernel just started the viewer's (before the page's first byte: a cookie is a header)."""
        if self.started is None or self._headers_written:
            return
        viewer = self.get_cookie(VIEWER_COOKIE)
        if not viewer or len(viewer) > 100:
            viewer = secrets.token_urlsafe(32)
        self.set_cookie(VIEWER_COOKIE, viewer, path=self.base_url, httponly=True, samesite="Strict")
        self.settings["kernel_manager"].own(self.started, viewer)

    def _short(self, status: int, title: str, text: str, link: str | None = None) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if status == 503:
            self.set_header("Retry-After", str(RETRY_AFTER))
        self.finish(short_page(title, text, link))

    def _busy(self) -> None:
        self.log.warning("Dashboard busy: %s kernels held; a viewer was asked to try again later",
                         self.kernel_manager.held())
        self._short(503, "The dashboard is busy",
                    "It is showing as many viewers as it can at once. Try again in a minute.")

    @tornado.web.authenticated
    async def get(self, path=None):
        why = cross_site(self.request.headers, self.request.host)
        if why is not None:
            self.log.warning("Refused a dashboard request from another site (%s): no kernel started", why)
            # The link is built, not echoed: a request line such as "//evil.test" must not become a link away.
            query = f"?{self.request.query}" if self.request.query else ""
            return self._short(403, "Open the dashboard from its own address",
                               "This request came from another site, so the dashboard did not start.",
                               link=f"{self.base_url}{query}")
        if not self.kernel_manager.has_room():
            return self._busy()
        try:
            async for part in self.get_generator(path=path):
                self._own_started()
                self.write(part)
                self.flush()
        except KernelLimitReached:
            if self._headers_written:  # cannot happen: the kernel starts before the first write
                raise
            self._busy()


# --- the websocket ----------------------------------------------------------------------------------

def malformed(msg_type: object, content: object) -> str | None:
    """What is wrong with a comm message a page sent (the kernel would answer it with a traceback), or
    None when it is well formed.

    >>> malformed("comm_open", {"comm_id": "a", "target_name": "jupyter.widget", "data": {}}) is None
    True
    >>> malformed("comm_open", {}), malformed("comm_msg", {"comm_id": 5, "data": {}})
    ('comm_id must be text', 'comm_id must be text')
    >>> malformed("comm_open", {"comm_id": "a", "target_name": "x", "data": None})
    'data must be an object'
    """
    if not isinstance(msg_type, str):
        return "no message type"
    if not isinstance(content, dict):
        return "content must be an object"
    if msg_type in ("comm_open", "comm_msg", "comm_close"):
        if not isinstance(content.get("comm_id"), str) or not content["comm_id"]:
            return "comm_id must be text"
        if msg_type == "comm_open" and not isinstance(content.get("target_name"), str):
            return "target_name must be text"
        if not isinstance(content.get("data", {}), dict) or (msg_type != "comm_close" and "data" not in content):
            return "data must be an object"
    return None


class PageConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket, dropping malformed messages from the page and keeping the
    kernel's stderr (and error messages) off it; both are logged in the server's terminal."""

    def _peek(self, ws_msg) -> tuple[object, object]:
        """A message from the page: its type and content, read as jupyter_server will read it."""
        if self.subprotocol == "v1.kernel.websocket.jupyter.org":
            _, parts = deserialize_msg_from_ws_v1(ws_msg)
            header, content = json.loads(parts[0]), json.loads(parts[3])
        else:
            msg = deserialize_binary_message(ws_msg) if isinstance(ws_msg, bytes) else json.loads(ws_msg)
            header, content = msg["header"], msg.get("content")
        return header.get("msg_type"), content

    def handle_incoming_message(self, incoming_msg) -> None:
        try:
            msg_type, content = self._peek(incoming_msg)
            problem = malformed(msg_type, content)
        except Exception:  # anything that is not a kernel message: jupyter_server would raise and close
            msg_type, problem = "message", "not a kernel message"
        if problem is not None:
            self.log.warning("Dropped a malformed %s from the page (kernel %s): %s", str(msg_type)[:40],
                             self.kernel_id, problem)
            return
        super().handle_incoming_message(incoming_msg)

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        try:
            _, parts = self.session.feed_identities(outgoing_msg)
            msg_type = self.session.unpack(parts[1]).get("msg_type")
            if msg_type in ("stream", "error"):
                content = self.session.unpack(parts[4])
                if msg_type == "error" or content.get("name") == "stderr":
                    text = content.get("text") or "\n".join(content.get("traceback") or ()) or content.get("evalue")
                    self.log.warning("Kernel %s wrote (not sent to the page):\n%s", self.kernel_id, text)
                    return
        except Exception:  # not ours to judge: jupyter_server handles (and logs) what it cannot read
            pass
        super().handle_outgoing_message(stream, outgoing_msg)


# --- errors in the notebook ---------------------------------------------------------------------------

class DashboardExecutor(VoilaExecutor):
    """Voila's executor, whose stripped errors say :data:`ERROR_MESSAGE` (Voila's own message tells the
    viewer to run Voila with a flag ``explorer serve`` does not have)."""

    def strip_code_cell_errors(self, cell):
        if cell["cell_type"] == "code":
            for output in cell["outputs"]:
                if output["output_type"] == "error":
                    output.update(ename="Error", evalue=ERROR_MESSAGE, traceback=[ERROR_MESSAGE])
        return cell


# --- the application ----------------------------------------------------------------------------------

def _is_loopback(ip: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(ip.strip("[]")).is_loopback
    except ValueError:
        return ip == "localhost"


class _NotTrusted(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Notebook %s is not trusted"


class DashboardServer(Voila):
    """Voila with :class:`KernelPool`, :class:`DashboardHandler` and :class:`PageConnection`, a host
    check on loopback addresses, kernels over IPC, no trust noise, and a clean stop on signals."""

    name = "explorer-serve"

    def initialize(self, argv=None):
        # Our template (no CDN requests) is found, and its files served, through Jupyter's data path.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(config.VOILA_TEMPLATE_DIR), *filter(None, [os.environ.get("JUPYTER_PATH")])])
        super().initialize(argv)
        voila.notebook_renderer.VoilaExecutor = DashboardExecutor  # the renderer builds its executor by this name
        self.config.VoilaExecutor.cell_error_instruction = ERROR_MESSAGE
        self.voila_configuration.multi_kernel_manager_class = KernelPool
        self.kernel_websocket_connection_class = PageConnection
        self.config.NotebookNotary.db_file = ":memory:"
        self.config.NotebookNotary.secret = os.urandom(32)
        if len(self.connection_dir_root) <= _IPC_FOLDER_LIMIT:
            self.config.KernelManager.transport = "ipc"  # sockets in Voila's mkdtemp folder (mode 0700)
        else:
            self.log.info("Kernels use TCP on 127.0.0.1 (the temporary folder %s is too long for IPC sockets): "
                          "their 'without encryption' warning means that; messages are still signed.",
                          self.connection_dir_root)
        self.log.addFilter(_NotTrusted())
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._handle_signal_stop)

    def init_settings(self):
        settings = super().init_settings()
        settings["allow_remote_access"] = not _is_loopback(self.ip)
        return settings

    def init_handlers(self):
        ours = {TornadoVoilaHandler: DashboardHandler, KernelHandler: OwnedKernelHandler,
                VoilaKernelWebsocketHandler: OwnedWebsocketHandler, VoilaShutdownKernelHandler: OwnedShutdownHandler}
        handlers = [(route, ours.get(handler, handler), *rest) for route, handler, *rest in super().init_handlers()]
        missing = set(ours.values()) - {handler for _, handler, *_ in handlers}
        if missing:  # Voila's routes changed: refuse to serve kernels to strangers
            raise RuntimeError(f"Voila's handlers changed: {sorted(h.__name__ for h in missing)} not installed")
        return handlers

    def _handle_signal_stop(self, sig, frame):
        self.log.info("Stopping (%s): shutting down the kernels", signal.Signals(sig).name)
        loop = getattr(self, "ioloop", None)
        if loop is None:  # not serving yet: no kernel to stop
            raise SystemExit(0)
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)

    def stop(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a second Ctrl-C must not cut the clean-up
            signal.signal(sig, signal.SIG_IGN)
        held = len(self.kernel_manager.list_kernel_ids())
        run_sync(self.kernel_manager.shutdown_all)()
        shutil.rmtree(self.connection_dir, ignore_errors=True)
        self.log.info("Stopped; %d kernel(s) shut down", held)


def main(argv: list[str] | None = None) -> int:
    """Serve as :class:`DashboardServer` until stopped; the exit status."""
    try:
        DashboardServer.launch_instance(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
