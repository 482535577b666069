"""The served dashboard in headless Debian Chromium (Playwright), against the real Voila server.

Every request not to 127.0.0.1 is blocked. One server per corpus for the session (see conftest).
"""
from __future__ import annotations

import os
import shutil
from urllib.parse import quote, urlparse

import pytest

from explorer.audit.vocabulary import COVERAGE_NOTE
from explorer.config import PLOTLY_BUNDLE
from tests.helpers import ARTIFACTS

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
LOAD_TIMEOUT_MS = 90_000
DOCS = ARTIFACTS.parent.parent / "docs"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Page:
    """One browser page on the dashboard, recording console errors, dialogs and blocked requests."""

    def __init__(self, browser, url: str, width: int = 1400, ready: bool = True):
        self.context = browser.new_context(viewport={"width": width, "height": 1100 if width < 1400 else 1800},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.bundle_requests: list[str] = []
        self.websocket_bytes = 0
        self.context.route("**/*", self._route)
        self.page.on("request", lambda r: self.bundle_requests.append(r.url) if PLOTLY_BUNDLE in r.url else None)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count_frame))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        if ready:
            self.wait_ready()

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _count_frame(self, payload) -> None:
        self.websocket_bytes += len(payload)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def wait_ready(self) -> None:
        p = self.page
        p.wait_for_selector(".explorer-dashboard", timeout=LOAD_TIMEOUT_MS)
        p.wait_for_selector(".explorer-overview .explorer-entries select", timeout=LOAD_TIMEOUT_MS)
        p.wait_for_selector(".explorer-results table", state="attached", timeout=LOAD_TIMEOUT_MS)

    def summary(self) -> str:
        return self.page.inner_text(".explorer-summary")

    def wait_summary(self, text: str) -> None:
        self.page.wait_for_function(
            "t => (document.querySelector('.explorer-summary') || {}).innerText?.startsWith(t)", arg=text,
            timeout=20_000)

    def wait_severity(self, name: str, x: list) -> None:
        """Wait until the severity chart's trace ``name`` has x values ``x`` (figure updates are async)."""
        self.page.wait_for_function(
            "([n, x]) => { const d = document.querySelectorAll('.explorer-dashboard .js-plotly-plot')[0].data;"
            " const t = d && d.find(t => t.name === n);"
            " return t && JSON.stringify(Array.from(t.x || [])) === JSON.stringify(x); }",
            arg=[name, x], timeout=20_000)

    def wait_rows(self, n: int) -> None:
        self.page.wait_for_function(
            "n => document.querySelectorAll('.explorer-results tbody tr').length === n", arg=n, timeout=20_000)

    def severity_traces(self) -> dict[str, list]:
        """Trace name -> x values of the severity chart, as plotly.js holds them."""
        return self.page.evaluate(
            "() => Object.fromEntries(document.querySelectorAll('.explorer-dashboard .js-plotly-plot')[0]"
            ".data.map(t => [t.name, Array.from(t.x || [])]))")

    def table_rows(self) -> list[list[str]]:
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.explorer-results tbody tr'))"
            ".map(r => Array.from(r.cells).map(c => c.innerText))")

    def our_errors(self) -> list[str]:
        """Console errors except those caused by the requests this test blocked (the icon-font CDN)."""
        return [e for e in self.errors
                if not ("Failed to load resource" in e or "ERR_FAILED" in e or "cdn.jsdelivr" in e)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def dashboard(browser, voila_server):
    page = Page(browser, voila_server.url + "/")
    yield page
    page.close()


def side_effects_tab(page: "Page") -> None:
    """Open the side-effects tab; its charts are built when it is first shown."""
    page.page.click(".lm-TabBar-tab:has-text('Side effects')")
    page.page.wait_for_selector(".explorer-results table", state="visible")
    page.page.wait_for_function("document.querySelectorAll('.explorer-charts .js-plotly-plot .main-svg').length >= 3",
                                timeout=LOAD_TIMEOUT_MS)


def test_dashboard_opens_on_the_overview_with_the_audit_headline(dashboard):
    p = dashboard.page
    assert p.is_visible(".explorer-overview")
    assert [t.strip() for t in p.eval_on_selector_all(".explorer-counts button", "bs => bs.map(b => b.innerText)")] == [
        "1 page", "1 drug", "1 condition", "1 site", "9 side-effect claims"]
    headline = p.inner_text(".explorer-headline")
    assert "1 serious without label support" in headline and "1 figures only a superseded label gives" in headline
    statuses = p.eval_on_selector_all(".explorer-status-count", "bs => bs.map(b => b.innerText.trim())")
    assert "5 not among the captured label facts" in statuses and "2 label warning" in statuses
    # The first finding: "Blood clots", called serious by the seed, is not among the captured label facts.
    assert p.eval_on_selector(".explorer-entries select", "s => s.options[0].text").replace("\xa0", " ").startswith("Mirena: blood clots")
    rows = p.evaluate("() => Array.from(document.querySelectorAll('.explorer-finding-rows tbody tr'))"
                      ".map(r => Array.from(r.cells).map(c => c.innerText))")
    assert len(rows) == 1 and rows[0][0] == "data/raw/mirena-back-pain.txt:42" and "Blood clots" in rows[0]
    link = p.get_attribute(".explorer-finding-rows a.explorer-page-link", "href")
    assert link == "?page=data%2Fraw%2Fmirena-back-pain.txt&line=42"


def test_a_count_opens_the_rows_behind_it(dashboard):
    p = dashboard.page
    p.click(".explorer-status-count:has-text('label warning')")
    p.wait_for_function("document.querySelectorAll('.explorer-claims tbody tr').length === 2", timeout=20_000)
    assert "label status: label warning" in p.inner_text(".explorer-claims-summary")
    p.select_option(".explorer-status-filter select", label="every status")  # back, for the other tests
    p.wait_for_function("document.querySelectorAll('.explorer-claims tbody tr').length === 9", timeout=20_000)
    p.click(".lm-TabBar-tab:has-text('Overview')")
    p.click(".explorer-open-stale")
    p.wait_for_function("(document.querySelector('.explorer-finding-rows') || {}).innerText?.includes('five to seven')",
                        timeout=20_000)
    p.select_option(".explorer-finding select", label="Serious claims without label support")  # back to the first finding, for the other tests
    p.wait_for_function("(document.querySelector('.explorer-finding-rows') || {}).innerText?.includes('Blood clots')",
                        timeout=20_000)


def test_a_finding_row_opens_its_page_with_the_claims_highlighted(dashboard):
    p = dashboard.page
    p.select_option(".explorer-row-pick select", index=1)
    p.wait_for_selector(".explorer-page-view .explorer-page-text", state="visible", timeout=20_000)
    focus = p.inner_text(".explorer-page-view tr.explorer-focus")
    assert focus.startswith("42") and "Blood clots" in focus and "not among the captured label facts" in focus
    assert p.locator(".explorer-page-view tr.explorer-claim-line").count() == 9
    p.click(".lm-TabBar-tab:has-text('Overview')")


def test_dashboard_loads_with_the_seed(dashboard):
    side_effects_tab(dashboard)
    assert dashboard.summary().startswith("9 side effects on 1 page, 3 of them Serious")
    traces = dashboard.severity_traces()
    assert traces["Common"] == [3] and traces["Less common"] == [3] and traces["Serious"] == [3]
    assert len(dashboard.table_rows()) == 9
    assert all(urlparse(u).hostname != "127.0.0.1" for u in dashboard.blocked)
    # Plotly's 5 MB front end is fetched once for all charts, not sent in each chart's widget state
    # (three copies took more than anywidget's 2 s to start on a loaded machine).
    assert len(dashboard.bundle_requests) == 1, dashboard.bundle_requests
    assert dashboard.websocket_bytes < 2_000_000, dashboard.websocket_bytes


def test_picking_serious_shows_the_three_serious_side_effects(dashboard):
    p = dashboard.page
    side_effects_tab(dashboard)
    p.click(".explorer-severity-serious")
    dashboard.wait_summary("3 side effects")
    dashboard.wait_severity("Common", [])
    dashboard.wait_rows(3)
    assert "mod-active" in (p.get_attribute(".explorer-severity-serious", "class") or "")
    traces = dashboard.severity_traces()
    assert traces["Serious"] == [3]
    assert traces["Common"] == [] and traces["Less common"] == [] and traces["Rare"] == []
    rows = dashboard.table_rows()
    assert [r[3] for r in rows] == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert {r[2] for r in rows} == {"Serious"}
    assert [r[5] for r in rows] == [f"data/raw/mirena-back-pain.txt:{n}" for n in (40, 41, 42)]
    # The CSV link holds exactly the rows shown.
    with p.expect_download() as info:
        p.click(".explorer-results-download a")
    csv = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert len(csv) == 1 + 3 and csv[0].startswith("source_file,sha256,line,drug,condition,tier,severity")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "dashboard-serious.png"), full_page=True)
    p.click(".explorer-severity-serious")  # back to no filter for the other tests
    dashboard.wait_summary("9 side effects")
    dashboard.wait_rows(9)


def test_label_check_tab(dashboard):
    p = dashboard.page
    side_effects_tab(dashboard)
    p.click(".lm-TabBar-tab:has-text('Label check')")
    p.wait_for_selector(".explorer-claims table", timeout=LOAD_TIMEOUT_MS)
    p.wait_for_function("document.querySelectorAll('.explorer-label-check .js-plotly-plot .main-svg').length >= 1",
                        timeout=LOAD_TIMEOUT_MS)
    assert "not in the label" in p.inner_text(".explorer-coverage")  # ... "does not mean 'not in the label'"
    rows = p.evaluate("() => Array.from(document.querySelectorAll('.explorer-claims tbody tr'))"
                      ".map(r => Array.from(r.cells).map(c => c.innerText))")
    assert len(rows) == 9
    blood = next(r for r in rows if r[3] == "Blood clots")
    assert blood[4] == "not among the captured label facts"
    hrefs = p.eval_on_selector_all(".explorer-claims a", "links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    # The claims' CSV link holds the shown claims, headed by the coverage note.
    with p.expect_download() as info:
        p.click(".explorer-claims-download a")
    csv = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert csv[0] == f"# {COVERAGE_NOTE}" and csv[1].startswith("source_file,sha256,line,") and len(csv) == 2 + 9
    p.click(".lm-TabBar-tab:has-text('Side effects')")  # back, for the other tests
    p.wait_for_selector(".explorer-results table", state="visible")


def test_controls_are_labelled_and_work_from_the_keyboard(browser, voila_server):
    page = Page(browser, voila_server.url + "/")
    try:
        p = page.page
        for name in ("Finding", "Ranked", "Show page"):
            assert p.get_by_label(name, exact=True).count() == 1, name
        side_effects_tab(page)
        for name in ("Drug", "Condition", "Site", "Search"):
            assert p.get_by_label(name, exact=True).count() == 1, name
        p.focus(".explorer-severity-serious")
        p.keyboard.press("Space")
        page.wait_summary("3 side effects")
        p.keyboard.press("Space")
        page.wait_summary("9 side effects")
        p.get_by_label("Search", exact=True).focus()
        p.keyboard.type("clots")
        p.keyboard.press("Enter")
        page.wait_summary("1 side effect on 1 page")
        assert page.our_errors() == []
    finally:
        page.close()


def test_no_console_errors_from_our_code(dashboard):
    assert dashboard.our_errors() == []
    assert dashboard.dialogs == []


@pytest.mark.parametrize("width", [1400, 800])
def test_grid_uses_the_width_and_screenshots(browser, voila_server, width):
    """Wide: charts side by side, the findings beside their rows; narrow: everything stacked. The README's
    screenshots are taken here (``EXPLORER_UPDATE_SCREENSHOT=1`` rewrites them)."""
    page = Page(browser, voila_server.url + "/", width=width)
    try:
        p = page.page
        ARTIFACTS.mkdir(exist_ok=True)
        shots = {"overview": ARTIFACTS / f"overview-{width}.png", "side-effects": ARTIFACTS / f"side-effects-{width}.png"}
        p.screenshot(path=str(shots["overview"]), full_page=False)
        left = p.eval_on_selector_all(".explorer-overview .widget-gridbox > *", "cs => cs.map(c => c.getBoundingClientRect().left)")
        side_effects_tab(page)
        p.wait_for_timeout(500)  # plotly redraws the charts at the width of a tab shown for the first time
        p.screenshot(path=str(shots["side-effects"]), full_page=False)
        boxes = p.eval_on_selector_all(".explorer-charts > .js-plotly-plot, .explorer-charts > *",
                                       "cs => cs.map(c => { const r = c.getBoundingClientRect();"
                                       " return [r.left, r.top, r.width]; })")
        assert len(boxes) >= 3
        if width >= 1400:
            assert boxes[0][1] == boxes[1][1] and boxes[1][0] > boxes[0][0] + 300  # side by side
            assert left[1] > left[0] + 300
        else:
            assert len({round(b[0]) for b in boxes}) == 1 and boxes[1][1] > boxes[0][1]  # stacked
            assert len({round(x) for x in left}) == 1
        assert all(b[0] + b[2] <= width for b in boxes)  # nothing wider than the window
        assert page.our_errors() == []
        for name, shot in shots.items():
            assert shot.stat().st_size > 10_000
            docs = DOCS / f"dashboard-{name}-{width}.png"
            if not docs.exists() or os.environ.get("EXPLORER_UPDATE_SCREENSHOT"):
                DOCS.mkdir(exist_ok=True)
                shutil.copyfile(shot, docs)
    finally:
        page.close()


def test_page_view_by_address(browser, voila_server):
    page = Page(browser, voila_server.url + "/?page=data/raw/mirena-back-pain.txt&line=14", ready=False)
    try:
        p = page.page
        p.wait_for_selector(".explorer-page-view .explorer-page-text", state="visible", timeout=LOAD_TIMEOUT_MS)
        assert "Mirena for Back Pain" in p.inner_text(".explorer-page-view #line-4")
        assert p.inner_text(".explorer-page-view tr.explorer-focus").startswith("14")
        assert p.locator(".explorer-page-view tr.explorer-claim-line").count() == 9
        assert p.eval_on_selector(".explorer-page-path input", "i => i.value") == "data/raw/mirena-back-pain.txt"
        assert page.our_errors() == []
    finally:
        page.close()


def test_address_presets_the_filters(browser, voila_server):
    page = Page(browser, voila_server.url + "/?condition=Back+Pain&severity=serious&drug=Nosuchdrug&site=raw&prose=no")
    try:
        side_effects_tab(page)
        assert page.summary().startswith("3 side effects on 1 page, 3 of them Serious")
        p = page.page
        assert "mod-active" in (p.get_attribute(".explorer-severity-serious", "class") or "")
        assert "mod-active" not in (p.get_attribute(".explorer-severity-common", "class") or "")
        selected = p.eval_on_selector(".explorer-picker-condition select",
                                      "s => Array.from(s.selectedOptions).map(o => o.value)")
        assert selected == ["Back Pain"]
        sites = p.eval_on_selector(".explorer-picker-site select", "s => Array.from(s.selectedOptions).map(o => o.value)")
        assert sites == ["raw"]  # the embedded page's folder (no address known)
        assert p.eval_on_selector(".explorer-prose input", "i => i.checked") is False
        assert "Ignored drug 'Nosuchdrug'" in p.inner_text(".explorer-dashboard")
        assert page.severity_traces()["Serious"] == [3]
        assert len(page.table_rows()) == 3
        assert page.our_errors() == []
    finally:
        page.close()


def test_page_markup_is_shown_as_text_in_the_overview_and_the_page_view(browser, escaped_server, escaped_corpus):
    """The findings and the page view show a page's markup as text; nothing from it runs."""
    page = Page(browser, escaped_server.url + "/?drug=Examplin")
    try:
        p = page.page
        p.wait_for_function("(document.querySelector('.explorer-finding-rows') || {}).innerText?.includes('Bold claim')",
                            timeout=20_000)
        assert "<b>Bold claim</b>" in p.inner_text(".explorer-finding-rows")
        assert p.locator(".explorer-finding-rows b, .explorer-overview script, .explorer-overview img").count() == 0
        assert "<b>bold claim</b>" in p.eval_on_selector(".explorer-entries select",
                                                      "s => s.options[0].text.replaceAll('\\xa0', ' ')")
        p.select_option(".explorer-row-pick select", index=1)
        p.wait_for_selector(".explorer-page-view .explorer-page-text", state="visible", timeout=20_000)
        text = p.inner_text(".explorer-page-view")
        assert "<script>window.pwned = 1</script>" in text and "Itchy <b>Skin</b>" in text
        assert "<img src=x onerror=" in text
        assert p.locator(".explorer-page-view script, .explorer-page-view img, .explorer-page-view b").count() == 0
        assert p.evaluate("() => window.pwned === undefined") and page.dialogs == []
        p.screenshot(path=str(ARTIFACTS / "dashboard-escaped-page.png"), full_page=True)
    finally:
        page.close()
    source = str(escaped_corpus.articles["source_file"][escaped_corpus.articles["drug"] == "Examplin"].iloc[0])
    page = Page(browser, f"{escaped_server.url}/?page={quote(source)}", ready=False)
    try:
        p = page.page
        p.wait_for_selector(".explorer-page-view .explorer-page-text", state="visible", timeout=LOAD_TIMEOUT_MS)
        assert '<script>window.pwned = 2; alert("script")</script>' in p.inner_text(".explorer-page-view")
        assert p.locator(".explorer-page-view script, .explorer-page-view img").count() == 0
        assert p.evaluate("() => window.pwned === undefined") and page.dialogs == [] and page.our_errors() == []
    finally:
        page.close()


def test_page_markup_is_shown_as_text_and_never_runs(browser, escaped_server):
    page = Page(browser, escaped_server.url + "/?drug=Examplin")
    try:
        p = page.page
        side_effects_tab(page)
        assert page.summary().startswith("4 side effects on 1 page, 1 of them Serious")
        rows = page.table_rows()
        text = "\n".join("\t".join(r) for r in rows)
        assert '<script>window.pwned = 2; alert("script")</script>' in text
        assert "<img src=x onerror=\"window.pwned = 3; alert('img')\">" in text
        assert "<b>Bold claim</b>" in text and "Itchy <b>Skin</b>" in text
        # Nothing from the page became an element, ran, or asked for the fake image.
        assert p.locator(".explorer-dashboard img").count() == 0
        assert p.locator(".explorer-results script, .explorer-results b").count() == 0
        assert p.evaluate("() => window.pwned === undefined")
        assert page.dialogs == []
        assert not [u for u in page.blocked if urlparse(u).path.endswith("/x")]
        # The chart labels show the markup as text too (plotly draws it as SVG text, not HTML).
        ticks = p.evaluate("() => Array.from(document.querySelectorAll("
                           "'.explorer-dashboard .js-plotly-plot')[0].querySelectorAll('.ytick text'))"
                           ".map(t => t.textContent)")
        assert any("Itchy <b>Skin</b>" in t for t in ticks), ticks
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / "dashboard-escaped.png"), full_page=True)
        assert page.our_errors() == []
    finally:
        page.close()
