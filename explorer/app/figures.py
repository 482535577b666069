"""The dashboard's chart widgets: plotly's ``FigureWidget`` with its front end fetched once per page, and
updated in place.

Served by Voila, the charts are :class:`SharedBundleFigureWidget`: plotly's 5 MB front end is fetched
once per page instead of travelling in every chart's state, and each chart is drawn at the width of its
box. :func:`update_in_place` copies a new figure into a widget in one message.
"""
from __future__ import annotations

import json
import os

from ..startup import import_jsonschema_without_iri_grammar

import_jsonschema_without_iri_grammar()  # before plotly's widgets import jsonschema: see explorer.startup

import plotly  # noqa: E402
import plotly.graph_objects as go  # noqa: E402

from .. import config  # noqa: E402

# Why a loader: a plain FigureWidget carries plotly's 5 MB bundle in its own state, so every chart
# sends it over the websocket and the browser evaluates it once per chart (about 1 s each, more on a
# loaded machine). anywidget rejects a model whose module is not ready within 2 s of its creation
# ("[anywidget] Failed to initialize model."), after which the chart ignores every update. This
# module is a few lines: it imports the bundle by URL, which the browser fetches, evaluates and
# caches once per page, shared by all charts. The bundle's default export is a factory, called once
# per model, so charts keep separate state.
# Why a resize: the bundle's render draws the chart into an element not yet in the page, so plotly sizes
# it at its default 700 px, wider than a grid cell (the right of every chart was cut off) or narrower,
# and the bundle listens to no resize. Each chart is redrawn at its box's width whenever that changes,
# through plotly.js's global (the bundle sets window.Plotly; the browser test fails if a chart is wider
# than its box).
_SHARED_BUNDLE_ESM = """\
const config = JSON.parse(document.getElementById("jupyter-config-data")?.textContent || "{}");
const base = config.fullLabextensionsUrl || ((config.baseUrl || "/") + "voila/labextensions");
const url = new URL(base.replace(/\\/?$/, "/") + %s, document.baseURI).href;
const bundle = await import(url).catch((error) => {
  throw new Error(`explorer: plotly's widget bundle is not served at ${url} (serve the dashboard ` +
                  `with 'explorer serve'): ${error}`);
});
export default () => {
  const widget = bundle.default();
  return {
    initialize: (context) => widget.initialize(context),
    render(context) {
      const cleanup = widget.render(context);
      const el = context.el;
      let drawn = 0;
      const observer = new ResizeObserver(() => {
        const width = el.clientWidth;
        if (width > 0 && width !== drawn && el._fullLayout && window.Plotly) {
          drawn = width;
          window.Plotly.Plots.resize(el);
        }
      });
      observer.observe(el);
      return () => { observer.disconnect(); if (typeof cleanup === "function") cleanup(); };
    },
  };
};
""" % json.dumps(f"{config.PLOTLY_BUNDLE}?v={plotly.__version__}")


class SharedBundleFigureWidget(go.FigureWidget):
    """A ``go.FigureWidget`` whose front end is imported by URL from the server, not sent in its state.

    Only for pages served by ``explorer serve`` (which serves :data:`explorer.config.PLOTLY_BUNDLE`);
    elsewhere, use ``go.FigureWidget``. Python-side behaviour is that of ``go.FigureWidget``.
    """

    _esm = _SHARED_BUNDLE_ESM


def served_by_voila() -> bool:
    """True in a kernel started by Voila (it sets ``SERVER_SOFTWARE=voila/<version>``)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def update_in_place(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Copy a new figure's traces and layout into a FigureWidget in one batch (one message)."""
    keys = ("title", "height", "margin", "xaxis", "yaxis", "legend", "annotations")
    if len(widget.data) != len(figure.data) or any(a.type != b.type for a, b in zip(widget.data, figure.data)):
        widget.data = ()
        widget.add_traces(figure.data)
        widget.layout.update({k: figure.layout[k] for k in keys})
        return
    with widget.batch_update():
        for trace, new in zip(widget.data, figure.data):
            props = new.to_plotly_json()
            props.pop("type", None)
            trace.update(props, overwrite=True)
        widget.layout.update({k: figure.layout[k] for k in keys})
