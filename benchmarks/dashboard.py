"""Dashboard speed: prints a table of timings (a benchmark, not a test).

    python benchmarks/dashboard.py [--pages 100000] [--runs 3] [--no-server] [--corpus DIR [--labels DIR]]

Measures, in one run:

1. time from server start to the overview (headline and first finding) visible in headless Chromium, for the dashboard
   and for a bare Voila notebook showing one widget (target: ratio at most 1.3);
2. time from a filter change to the updated charts and table on the embedded data, through the
   widget (target under 100 ms), and in the browser (from the click to the redrawn chart and table);
3. the same filter change on a synthetic corpus of ``--pages`` pages (9 side effects and 35 related
   links each), in the widget model, without a browser;
4. with ``--corpus`` (and ``--labels``): the audit of that corpus computed and saved once (as ``explorer
   audit`` does), then the dashboard's start on it with the saved audit (target at 100,000 pages and
   1,000 labels: at most 2x the bare notebook) and the model's first overview with the saved audit
   (target at a million pages: at most 5 s).
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.corpus.dataset import Corpus
from explorer.corpus.tables import SEVERITY_DTYPE, frame


def synthetic_corpus(n_pages: int = 100_000, n_drugs: int = 400, n_conditions: int = 3000,
                     n_names: int = 600, seed: int = 0) -> Corpus:
    """A corpus held in memory with ``n_pages`` pages, 9 side effects and 35 related links per page.

    Built straight as categorical columns (no page text, no validation): it measures the dashboard,
    not the parser.
    """
    rng = np.random.default_rng(seed)
    drugs = pd.Index([f"Drug{i:03d}" for i in range(n_drugs)])
    conditions = pd.Index([f"Condition {i:04d}" for i in range(n_conditions)])
    names = np.array([f"Side effect {i:03d}" for i in range(n_names)], dtype=object)
    files = pd.Index([f"pages/p{i:06d}.txt" for i in range(n_pages)])
    page_drug = rng.integers(0, n_drugs, n_pages)
    page_cond = rng.integers(0, n_conditions, n_pages)

    def cat(codes, cats):
        return pd.Categorical.from_codes(codes, categories=cats)

    articles = pd.DataFrame({
        "source_file": cat(np.arange(n_pages), files), "sha256": cat(np.arange(n_pages), files),
        "line": np.full(n_pages, 4), "drug": cat(page_drug, drugs), "condition": cat(page_cond, conditions),
        "title": pd.array([f"{d} for {c}" for d, c in zip(drugs[page_drug], conditions[page_cond])], "string"),
        "n_side_effects": np.full(n_pages, 9), "n_related": np.full(n_pages, 35)})
    k = 9
    page = np.repeat(np.arange(n_pages), k)
    sev_codes = np.tile([0, 0, 0, 1, 1, 1, 3, 3, 3], n_pages)
    tiers = pd.Index(["Common", "Less Common", "Rare", "Serious"])
    side_effects = pd.DataFrame({
        "source_file": cat(page, files), "sha256": cat(page, files), "line": np.tile(np.arange(30, 39), n_pages),
        "drug": cat(page_drug[page], drugs), "condition": cat(page_cond[page], conditions),
        "tier": cat(sev_codes, tiers), "severity": pd.Categorical.from_codes(sev_codes, dtype=SEVERITY_DTYPE),
        # categoricals, as explorer.load gives them (names and descriptions repeat across pages)
        "name": pd.Categorical(names[rng.zipf(1.3, n_pages * k) % n_names]),
        "description": pd.Categorical(["Some users have reported it."] * (n_pages * k))})
    r = 35
    rpage = np.repeat(np.arange(n_pages), r)
    rcond = rng.integers(0, n_conditions, n_pages * r)
    related = pd.DataFrame({
        "source_file": cat(rpage, files), "sha256": cat(rpage, files), "line": np.tile(np.arange(61, 61 + r), n_pages),
        "drug": cat(page_drug[rpage], drugs), "condition": cat(page_cond[rpage], conditions),
        "related_drug": cat(page_drug[rpage], drugs), "related_condition": cat(rcond, conditions),
        "has_page": rng.random(n_pages * r) < 0.3})
    empty = pd.DataFrame({"drug": pd.Categorical([]), "condition": pd.Categorical([])})
    return Corpus(articles=articles, sections=empty, side_effects=side_effects, advice=empty, related=related,
                  numbers=frame("numbers", []))  # no numbers: the dashboard does not show them


# --- measurements ---------------------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
BARE_NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "source": "import ipywidgets as widgets\nwidgets.IntSlider(description='bare')"}],
                 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                 "nbformat": 4, "nbformat_minor": 5}
# Visible: the overview (the tab the dashboard opens on) shows its headline and the first finding's rows.
DASHBOARD_READY = ("() => (document.querySelector('.explorer-headline') || {}).innerText?.includes('claims')"
                   " && document.querySelector('.explorer-finding-rows') !== null")
BARE_READY = "() => document.querySelector('.widget-slider') !== null"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _route(route) -> None:
    from urllib.parse import urlparse

    route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1" else route.abort()


@contextlib.contextmanager
def _voila(notebook: Path | None = None, data: Path | None = None, labels: Path | None = None):
    """Start Voila on a free port; yield the port once it accepts connections; end it by its PID."""
    import os
    import signal
    import socket
    import subprocess

    from explorer.app.serve import voila_command, voila_env

    port = _free_port()
    kwargs = {"notebook": notebook} if notebook is not None else {}
    proc = subprocess.Popen(voila_command(port, timeout=300, **kwargs), env=voila_env(data, labels=labels),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def _open(browser, port: int):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.route("**/*", _route)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/", wait_until="commit", timeout=120_000)
    return context, page


def time_to_visible(browser, notebook: Path, ready: str, data: Path | None = None,
                    labels: Path | None = None) -> float:
    """Seconds from starting Voila on ``notebook`` (corpus ``data``, label store ``labels``) to ``ready``
    being true in a fresh page."""
    start = time.perf_counter()
    with _voila(notebook, data, labels) as port:
        context, page = _open(browser, port)
        page.wait_for_function(ready, timeout=120_000, polling=50)
        elapsed = time.perf_counter() - start
        context.close()
    return elapsed


def browser_filter_change(browser, runs: int) -> list[float]:
    """Milliseconds from clicking 'Serious' to the redrawn chart and table, on the embedded data."""
    times = []
    with _voila() as port:
        context, page = _open(browser, port)
        page.wait_for_function(DASHBOARD_READY, timeout=120_000)
        page.click(".lm-TabBar-tab:has-text('Side effects')")
        page.wait_for_selector(".explorer-results table", state="visible")
        page.wait_for_function("document.querySelectorAll('.explorer-charts .js-plotly-plot .main-svg').length >= 3",
                               timeout=120_000)
        for i in range(2 * runs):
            on = i % 2 == 0
            want_common, want_rows = ([], 3) if on else ([3], 9)
            t = time.perf_counter()
            page.click(".explorer-severity-serious")
            page.wait_for_function(
                "([c, n]) => { const d = document.querySelectorAll('.explorer-dashboard .js-plotly-plot')[0].data;"
                " const t = d.find(t => t.name === 'Common');"
                " return JSON.stringify(Array.from(t.x || [])) === JSON.stringify(c)"
                " && document.querySelectorAll('.explorer-results tbody tr').length === n; }",
                arg=[want_common, want_rows], timeout=30_000, polling="raf")
            times.append((time.perf_counter() - t) * 1000)
        context.close()
    return times


def widget_filter_change(corpus: Corpus, runs: int) -> list[float]:
    """Milliseconds per severity toggle through the Dashboard widget (state, figures, table, CSV)."""
    from explorer.app.widgets import SIDE_EFFECTS_TAB, Dashboard

    dash = Dashboard(corpus)
    dash.open_tab(SIDE_EFFECTS_TAB)  # where the severity buttons are
    button = dash._severities["serious"]
    button.value = True
    button.value = False
    times = []
    for _ in range(runs):
        for value in (True, False):
            t = time.perf_counter()
            button.value = value
            times.append((time.perf_counter() - t) * 1000)
    return times


def model_filter_change(corpus: Corpus, runs: int) -> list[float]:
    """Milliseconds for filter + the three charts + table page + summary on ``corpus`` (no widgets)."""
    from explorer.app.model import DashboardModel
    from explorer.app.render import table_html
    from explorer.explore.filters import FilterState

    model = DashboardModel(corpus)
    drug = model.drugs[7]
    states = [FilterState(severities=("serious",)), FilterState(), FilterState(drugs=(drug,)),
              FilterState(drugs=(drug,), severities=("common", "serious"))]
    model.related_figure()
    times = []
    for _ in range(runs):
        for state in states:
            t = time.perf_counter()
            model.set_state(state)
            model.severity_figure(), model.matrix_figure(), model.related_figure()
            table_html(model.rows, 0), model.summary()
            times.append((time.perf_counter() - t) * 1000)
    return times


def save_audit(path: Path, labels: Path | None) -> tuple[str, str, str]:
    """The audit of the corpus at ``path`` computed and saved once (what ``explorer audit`` does), unless
    the one saved there is current."""
    import explorer
    from explorer.audit.audit import Audit
    from explorer.labels.store import LabelStore

    t = time.perf_counter()
    audit = Audit.of(explorer.load(path, validate=False), LabelStore(labels) if labels else None, save=True)
    took = time.perf_counter() - t
    what = "reused (already saved)" if audit.reused else f"computed and saved in {audit.saved}"
    return (f"audit of the corpus{' against the labels' if labels else ''}, once (s)", f"{took:.2f}", what)


def overview_timings(path: Path, runs: int, labels: Path | None = None) -> list[tuple[str, str, str]]:
    """The overview and the page view on a stored corpus, in the model (no browser): the first overview
    (the saved audit read, headline, the first finding), an overview after a filter change, and page views
    of pages picked across the corpus (target <= 300 ms at 100,000 pages)."""
    import explorer
    from explorer.app.model import DashboardModel
    from explorer.app.overview import FINDING_KEYS, OverviewModel
    from explorer.explore.filters import FilterState
    from explorer.labels.store import LabelStore

    t = time.perf_counter()
    corpus = explorer.load(path)
    n = len(corpus.articles)
    overview = OverviewModel(DashboardModel(corpus, labels=LabelStore(labels) if labels else None))
    overview.counts(), overview.headline(), overview.ranked(FINDING_KEYS[0])
    first = time.perf_counter() - t
    model, drugs = overview.model, overview.model.drugs
    updates = []
    for i in range(runs * 5):
        t = time.perf_counter()
        model.set_state(FilterState(drugs=(drugs[(7 * i) % len(drugs)],)))
        overview.counts(), overview.headline(), overview.ranked(FINDING_KEYS[0])
        updates.append((time.perf_counter() - t) * 1000)
    files = corpus.articles["source_file"].astype(str).to_numpy()
    views = []
    for i in range(runs * 10):
        t = time.perf_counter()
        overview.page_html(files[(i * 7919) % len(files)])
        views.append((time.perf_counter() - t) * 1000)
    med = statistics.median
    saved = "saved audit read" if overview.model.audit.reused else "audit computed"
    return [(f"model: load + first overview ({saved}, headline, first finding), {n:,} pages (s, target <= 5 at 1M)",
             f"{first:.2f}", ""),
            (f"model: overview after a drug filter, {n:,} pages (ms)", f"{med(updates):.1f}",
             f"max {max(updates):.1f}"),
            (f"model: page view, {n:,} pages (ms, target <= 300)", f"{med(views):.1f}", f"max {max(views):.1f}")]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=100_000, help="pages of the synthetic corpus (default 100000)")
    p.add_argument("--runs", type=int, default=3, help="repetitions of each measure (default 3)")
    p.add_argument("--no-server", action="store_true", help="skip the Voila and browser measures")
    p.add_argument("--corpus", type=Path, default=None,
                   help="also time the dashboard served on this corpus folder (e.g. one made by explorer bench; "
                        "target for 100,000 pages: at most 2x the bare notebook)")
    p.add_argument("--labels", type=Path, default=None,
                   help="with --corpus: the label store the dashboard checks it against (the audit is computed and "
                        "saved once first, as explorer audit does)")
    args = p.parse_args(argv)

    import explorer
    from explorer.config import DASHBOARD_NOTEBOOK

    rows: list[tuple[str, str, str]] = []
    med = statistics.median
    if not args.no_server:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            bare = Path(tmp) / "bare.ipynb"
            bare.write_text(__import__("json").dumps(BARE_NOTEBOOK))
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            time_to_visible(browser, bare, BARE_READY)  # warm the file cache for both
            dash_t, bare_t = [], []
            for _ in range(args.runs):  # interleaved, so both see the same machine load
                bare_t.append(time_to_visible(browser, bare, BARE_READY))
                dash_t.append(time_to_visible(browser, DASHBOARD_NOTEBOOK, DASHBOARD_READY))
            rows.append(("server start -> widget visible, bare Voila (s)", f"{med(bare_t):.2f}",
                         " ".join(f"{t:.2f}" for t in bare_t)))
            rows.append(("server start -> overview visible, dashboard (s)", f"{med(dash_t):.2f}",
                         " ".join(f"{t:.2f}" for t in dash_t)))
            rows.append(("ratio dashboard / bare (target <= 1.3)", f"{med(dash_t) / med(bare_t):.2f}", ""))
            if args.corpus is not None:
                n = len(explorer.load(args.corpus, validate=False).articles)
                rows.append(save_audit(args.corpus, args.labels))
                big_t = [time_to_visible(browser, DASHBOARD_NOTEBOOK, DASHBOARD_READY, args.corpus, args.labels)
                         for _ in range(args.runs)]
                rows.append((f"server start -> overview visible, {n:,}-page corpus (s)", f"{med(big_t):.2f}",
                             " ".join(f"{t:.2f}" for t in big_t)))
                rows.append((f"ratio {n:,}-page dashboard / bare (target <= 2)", f"{med(big_t) / med(bare_t):.2f}", ""))
            clicks = browser_filter_change(browser, args.runs)
            rows.append(("browser: click Serious -> chart+table redrawn, embedded (ms)", f"{med(clicks):.0f}",
                         f"min {min(clicks):.0f}, max {max(clicks):.0f}"))
            browser.close()
    embedded = explorer.load()
    w = widget_filter_change(embedded, args.runs * 5)
    rows.append(("widget: severity toggle -> figures+table, embedded (ms, target < 100)", f"{med(w):.1f}",
                 f"min {min(w):.1f}, max {max(w):.1f}"))
    if args.corpus is not None:
        if args.no_server:
            rows.append(save_audit(args.corpus, args.labels))
        rows.extend(overview_timings(args.corpus, args.runs, args.labels))
    big = synthetic_corpus(args.pages)
    m = model_filter_change(big, args.runs)
    rows.append((f"model: filter+3 charts+table, {args.pages:,} pages / {len(big.side_effects):,} rows (ms)",
                 f"{med(m):.1f}", f"min {min(m):.1f}, max {max(m):.1f}"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>8}  runs")
    for name, value, detail in rows:
        print(f"{name:<{width}}  {value:>8}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
