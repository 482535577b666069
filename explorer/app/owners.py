"""Kernels are their page's alone: the kernel's API answers only the page that started it.

The page's response sets a random viewer cookie (:data:`VIEWER_COOKIE`: HttpOnly, SameSite=Strict, one per
browser, its tabs sharing it) that the server records as the owner of the kernel the page started
(:class:`Recording`, :meth:`explorer.app.voila_server.KernelPool.own`). The kernel's API (its websocket,
what runs the widgets and could run any code; ``/api/kernels/<id>``, its state, DELETE to shut it down;
``/voila/api/shutdown/<id>``) answers only a request that carries its owner's cookie and comes from no
other site (:func:`cross_site`); anything else gets 403, logged in the server's terminal. Knowing a
kernel's id (it is in the page, and in the server's log) no longer lets anyone use it or shut it down:
with only the id, a self-made ``_xsrf`` cookie and header pair shut a kernel down, and its websocket
opened. Voila's front end uses only the websocket. ``tests/hostile/test_server.py`` checks it on a real
server.
"""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlsplit

import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

#: The cookie that makes a browser a kernel's owner: a random token, one per browser (its tabs share it).
VIEWER_COOKIE = "explorer-viewer"


def cross_site(headers: Mapping[str, str], host: str) -> str | None:
    """Why a request for the dashboard comes from another site (a link or frame on someone else's page,
    a script of another origin), or None when nothing says so. ``host`` is the request's Host header.

    >>> cross_site({"Sec-Fetch-Site": "cross-site"}, "127.0.0.1:8866")
    'Sec-Fetch-Site: cross-site'
    >>> cross_site({"Origin": "http://evil.test"}, "127.0.0.1:8866")
    'Origin: http://evil.test'
    >>> cross_site({"Origin": "http://127.0.0.1:8866", "Sec-Fetch-Site": "same-origin"}, "127.0.0.1:8866") is None
    True
    >>> cross_site({}, "127.0.0.1:8866") is None  # curl, or an address typed in
    True
    """
    if headers.get("Sec-Fetch-Site", "").strip().casefold() == "cross-site":
        return "Sec-Fetch-Site: cross-site"
    origin = headers.get("Origin")
    if origin is not None and urlsplit(origin.strip()).netloc.casefold() != host.strip().casefold():
        return f"Origin: {origin.strip()[:200]}"
    return None


class Recording:
    """The kernel manager as the page handler sees it: a kernel it starts is recorded as its own."""

    def __init__(self, manager, handler):
        self._manager, self._handler = manager, handler

    async def start_kernel(self, **kwargs):
        kernel_id = await self._manager.start_kernel(**kwargs)
        self._handler.started = kernel_id
        return kernel_id

    def __getattr__(self, name):
        return getattr(self._manager, name)


def refuse_stranger(handler, kernel_id: str) -> None:
    """Raise 403 unless the request carries the viewer cookie of the page that started ``kernel_id`` and
    comes from no other site; logged in the server's terminal."""
    why = cross_site(handler.request.headers, handler.request.host)
    if why is None and handler.settings["kernel_manager"].owned_by(kernel_id, handler.get_cookie(VIEWER_COOKIE)):
        return
    handler.log.warning("Refused %s %s: %s", handler.request.method, handler.request.path,
                        why or "not from the page that started the kernel")
    raise tornado.web.HTTPError(403, "only the page that started this kernel may use it")


class OwnedKernelHandler(KernelHandler):
    """``/api/kernels/<id>`` (its state; DELETE shuts it down), for the kernel's own page only."""

    def prepare(self):
        refuse_stranger(self, self.path_kwargs.get("kernel_id") or self.path_args[0])
        return super().prepare()


class OwnedShutdownHandler(VoilaShutdownKernelHandler):
    """``/voila/api/shutdown/<id>`` (Voila's shutdown as a page closes), for the kernel's own page only."""

    def prepare(self):
        refuse_stranger(self, self.path_args[0] if self.path_args else "")
        return super().prepare()


class OwnedWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel's websocket (what runs the widgets, and could run any code), for its own page only."""

    async def pre_get(self):
        refuse_stranger(self, self.kernel_id)
        await super().pre_get()
