"""A real server thread on 127.0.0.1 over a real SQLite file (the ``app`` fixture's), and
Debian's headless Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from quizapp.services.templates import load_builtin_templates

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def live_url(app, db):
    with db.write() as session:
        load_builtin_templates(session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def browser():
    chromium = os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("no Chromium (scripts/test installs Debian's package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def problems():
    """Console errors and warnings, page errors (a CSP violation is one) and failed requests."""
    return []


@pytest.fixture
def page_factory(browser, problems):
    def make(**context_options):
        page = browser.new_context(**context_options).new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        return page

    return make


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where screenshots go: E2E_SCREENSHOTS if set (to look at them), else the test's tmp."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
