"""Browser tests: a real headless Chromium, driven by Playwright, against ``live_server``.

Chromium is the system's (Debian's package at /usr/bin/chromium, or CHROMIUM_PATH), never
a browser build that Playwright downloads. Tests marked ``browser`` are skipped when it (or
Playwright) is missing, and fail instead with CI=true, like the service markers in
tests/conftest.py. Browser tests use ``django_db(transaction=True, serialized_rollback=True)``:
the live server's thread must see the test's rows, and the flush afterwards must not lose
the catalog and teams that migrations seed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import uuid

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return shutil.which(path)


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"CI requires this for browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None:
        return
    if importlib.util.find_spec("playwright") is None:
        _missing("Playwright (pip install -e '.[test]')")
    if chromium_path() is None:
        _missing("Chromium (apt-get install chromium, or set CHROMIUM_PATH)")


@pytest.fixture(autouse=True)
def _browser_test_environment(settings, monkeypatch):
    """Per browser test: a private cache (no throttle counts from elsewhere) and ORM calls
    allowed while Playwright's event loop runs in this thread (Django would otherwise raise
    SynchronousOnlyOperation); both undone after the test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"browser-tests-{uuid.uuid4()}",
        }
    }
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, with a page on ``live_server``."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
