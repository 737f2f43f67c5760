"""Browser tests: Playwright for Python driving Debian's headless Chromium against `live_server`.

Run with `pytest e2e/` (or `make e2e`). Without /usr/bin/chromium the tests are
skipped, except under CI=true where they fail (root conftest.py). A failing
test leaves a screenshot in e2e/artifacts/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from mentorat.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each journey starts with allauth's sign-in counters at zero (30 sign-ins a minute per address:
    the tests all come from 127.0.0.1 and share the live server's in-memory cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser tab (French first, like the service centre's staff), screenshot on failure."""
    context = browser.new_context(locale="fr-CA", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo centre at 5 % (3 schools, 100 staff, the 9 demo accounts), committed for the live server."""
    call_command("seed_demo", scale=0.05, verbosity=0)


@pytest.fixture
def sign_in(page):
    """sign_in(email) → signs in through the login form with the demo password, lands on the home page."""

    def _sign_in(email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/comptes/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", password)
        page.locator('form:has(#id_password) button[type="submit"]').click()
        page.wait_for_url(lambda url: "/comptes/login/" not in url)

    return _sign_in
