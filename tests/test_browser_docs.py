import pytest

from tests.browser import browser_page, save_screenshot  # noqa: F401

pytestmark = pytest.mark.browser


def test_swagger_ui_lists_operations(browser_page):  # noqa: F811
    page = browser_page

    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    save_screenshot(page, "swagger-ui")
    assert any(path.replace("\u200b", "") == "/api/v1/me" for path in paths), paths


def test_redoc_renders_operations(browser_page):  # noqa: F811
    page = browser_page

    page.goto("/api/redoc/")
    # The operation's heading in the main column; the side menu has a hidden copy.
    page.locator("h2", has_text="Identify the calling API key").wait_for()

    save_screenshot(page, "redoc")
