"""The audit a dashboard starts with: the one saved beside the corpus, else computed once, in a thread
with a progress bar when served, so that the page shows how far it is instead of a blank wait."""
from __future__ import annotations

import html
import threading
from typing import Callable

import ipywidgets as widgets

from ..audit.audit import Audit
from ..corpus.store import CorpusError
from .style import stylesheet


def audited(corpus, labels, build: Callable[[Audit], widgets.Widget],
            failed: Callable[[CorpusError], widgets.Widget], in_thread: bool = False) -> widgets.Widget:
    """``build(audit)`` with the corpus's :class:`~explorer.audit.audit.Audit` (``failed(error)`` when a
    corpus table turns out damaged on the way).

    When the audit saved beside the corpus is current, or not ``in_thread``, or outside a kernel, it is
    built at once. Otherwise (the first start on a corpus or label store, served by Voila) the audit is
    computed in a thread while a progress bar says how far it is, and what ``build`` gives replaces the
    bar when it is done (built on the kernel's own loop); the audit is then saved, so the next start is
    immediate.
    """
    kernel = _kernel()
    if not in_thread or kernel is None or Audit.is_saved(corpus, labels):
        try:
            return build(Audit.of(corpus, labels))
        except CorpusError as exc:
            return failed(exc)
    loop = kernel.io_loop  # tornado's IOLoop: add_callback may be called from any thread
    bar = widgets.IntProgress(value=0, min=0, max=1, layout=widgets.Layout(width="320px"))
    said = widgets.HTML(_progress_html("claims", 0, 1))
    box = widgets.VBox([said, bar], layout=widgets.Layout(padding="24px"))

    def tell(step: str, done: int, total: int) -> None:
        def show() -> None:
            bar.max, bar.value = max(total, 1), min(done, max(total, 1))
            said.value = _progress_html(step, done, total)
        loop.add_callback(show)

    def show(make: Callable[[], widgets.Widget]) -> None:
        def replace() -> None:
            try:
                box.children = (make(),)
            except CorpusError as exc:
                box.children = (failed(exc),)
        loop.add_callback(replace)

    def work() -> None:
        try:
            audit = Audit.of(corpus, labels, progress=tell)
        except CorpusError as exc:
            show(lambda: failed(exc))
        except Exception as exc:  # noqa: BLE001 - shown, not lost in the kernel's log
            message = f"The label check could not be completed: {type(exc).__name__}: {exc}"
            show(lambda: widgets.HTML(f"{stylesheet()}<div class='explorer-dashboard'><p class='explorer-note'>"
                                      f"{html.escape(message)}</p></div>"))
        else:
            show(lambda: build(audit))

    threading.Thread(target=work, name="explorer-audit", daemon=True).start()
    return box


def _kernel():
    """The running IPython kernel, or None (plain Python, a test)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return kernel if getattr(kernel, "io_loop", None) is not None else None


def _progress_html(step: str, done: int, total: int) -> str:
    what = {"claims": f"side-effect claims ({done:,} of {total:,} checked)" if total > 1 else "side-effect claims",
            "premises": "the conditions pages present their drug as being for",
            "numbers": "durations and percentages"}.get(step, step)
    return (f"{stylesheet()}<div class='explorer-dashboard'><p class='explorer-note'><b>Checking the pages against "
            "the labels</b> (the first start on this corpus and label store; the result is saved beside the corpus, "
            f"so later starts are immediate): {html.escape(what)}</p></div>")
