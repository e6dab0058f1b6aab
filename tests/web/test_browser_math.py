"""In a real Chromium: KaTeX renders under our Content-Security-Policy, with no errors."""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def page():
    chromium = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("no Chromium (scripts/test installs Debian's package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        yield browser.new_page()
        browser.close()


def test_home_page_math_renders_without_csp_violations(live_url, page):
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.goto(live_url + "/")
    page.wait_for_selector(".math-rendered .katex")
    assert page.locator(".katex-display .mfrac").count() >= 3  # three fractions: dL/dx = ...
    assert problems == []


def test_language_switch_in_the_browser(live_url, page):
    page.goto(live_url + "/login")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(live_url + "/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
