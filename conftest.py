import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

# Browser tests drive Debian's Chromium through Playwright (no browser download).
CHROMIUM = os.environ.get("SINMUN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: cached rankings and settings never leak."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test in the run.

    pytest-django's live_server runs the app in a thread of this process; Playwright's
    sync API runs an event loop in the test thread, so Django's async-safety guard is
    relaxed once a browser test starts.
    """
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: run `make system-deps`")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
