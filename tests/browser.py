"""Playwright fixtures for the browser tests: Debian's chromium against pytest-django's live server.

Browser test modules import `browser_page` and `staff_user` from here, so the
async-safety override below applies to them only.
"""

from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"
STAFF_PASSWORD = "correct-horse-battery-staple"

# Headless and quiet: no background downloads, updates or sync, which would
# try to reach the internet.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """Return a Playwright page whose relative URLs resolve against the live server."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install it with `apt-get install chromium` (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")

    # The sync API runs an event loop in this thread, and Django refuses ORM
    # calls from a thread with a running loop unless this is set.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Django keeps connections per async context, so ORM calls made while
            # Playwright runs open a connection of their own. It is closed here
            # because PostgreSQL cannot drop a test database that is in use.
            connections.close_all()


@pytest.fixture
def staff_user(transactional_db):
    from workspaces.models import User

    return User.objects.create_superuser(username="staff", email="staff@example.com", password=STAFF_PASSWORD)


def admin_login(page, user) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a person to look at after the run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
