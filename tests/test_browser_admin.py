"""Staff work in the Django admin, driven through a real browser."""

import re
import urllib.request

import pytest

from issues.models import IssueStatus
from issues.services import issue_create
from tests.browser import admin_login, browser_page, save_screenshot, staff_user  # noqa: F401
from workspaces.models import ApiKey, hash_api_key

pytestmark = pytest.mark.browser


def test_admin_issues_api_key_shown_once(browser_page, staff_user, workspace, owner, live_server):  # noqa: F811
    page = browser_page
    admin_login(page, staff_user)

    page.goto("/admin/workspaces/apikey/add/")
    page.select_option("#id_workspace", str(workspace.pk))
    page.select_option("#id_created_by", str(owner.pk))
    page.fill("#id_name", "deploy bot")
    page.click("input[name=_save]")

    secret = page.inner_text("#api-key-secret").strip()
    save_screenshot(page, "admin-api-key-secret")
    assert secret.startswith("gr_")
    key = ApiKey.objects.get(name="deploy bot")
    assert key.key_hash == hash_api_key(secret)
    assert key.workspace == workspace

    page.goto(f"/admin/workspaces/apikey/{key.pk}/change/")
    assert secret not in page.content()

    request = urllib.request.Request(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the live server's loopback URL)
        assert response.status == 200


def test_admin_finds_issue_and_changes_status(browser_page, staff_user, workspace, product):  # noqa: F811
    issue_create(workspace=workspace, product=product, title="Export fails")
    target = issue_create(workspace=workspace, product=product, title="Login button does nothing")
    page = browser_page
    admin_login(page, staff_user)

    page.goto("/admin/issues/issue/")
    page.fill("#searchbar", target.shortcode)
    page.press("#searchbar", "Enter")
    page.wait_for_url(re.compile(rf"/admin/issues/issue/\?q={target.shortcode}$"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    save_screenshot(page, "admin-issue-search")

    rows.first.locator("th a, td a").first.click()
    # The admin keeps the search in a `_changelist_filters` query string.
    page.wait_for_url(re.compile(rf"/admin/issues/issue/{target.pk}/change/"))
    page.select_option("#id_status", IssueStatus.IN_PROGRESS)
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    save_screenshot(page, "admin-issue-status-changed")
    target.refresh_from_db()
    assert target.status == IssueStatus.IN_PROGRESS
