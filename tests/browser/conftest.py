"""Browser tests: a real headless Chromium, driven by Playwright, against ``live_server``.

Chromium is the system's (Debian's package at /usr/bin/chromium, or CHROMIUM_PATH), never
a browser build that Playwright downloads. Tests marked ``browser`` are skipped when it is
missing, and fail instead with CI=true, like the service markers in tests/conftest.py.

Browser tests use ``django_db(transaction=True)``: the live server's thread must see the
test's rows. The flush after each one empties the seeded catalog and teams, which
tests/conftest.py puts back before the next transactional test.
"""

from __future__ import annotations

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
    if chromium_path() is None:
        _missing("Chromium (apt-get install chromium, or set CHROMIUM_PATH)")


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each browser test counts failed sign-ins in a cache of its own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"browser-tests-{uuid.uuid4()}",
        }
    }


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests.

    Playwright's sync API keeps an asyncio event loop running in this thread, so Django
    would refuse ORM calls from the tests (SynchronousOnlyOperation);
    DJANGO_ALLOW_ASYNC_UNSAFE lifts that while the browser runs. The fixture is
    package-scoped so that both the loop and the relaxed check end with the last browser
    test instead of lasting through the rest of the suite.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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


@pytest.fixture
def items(tmp_path):
    """A generated remittance booked end to end (Celery runs eagerly): its denials
    become items in every team's queue."""
    from remittance.generator import generate_file
    from remittance.services import remittance_process, remittance_receive
    from worklist.models import WorklistItem

    path = tmp_path / "remit.835"
    path.write_bytes(generate_file(claims=120, seed=21).encode("latin-1"))
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source="upload")
    remittance_process(remittance_id=received.remittance.pk)
    assert WorklistItem.objects.count() > 10
    return WorklistItem.objects.all()
