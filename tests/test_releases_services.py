import pytest
from django.core.exceptions import ValidationError

from issues.models import IssueStatus
from issues.services import issue_update, issues_mark_released
from releases.models import Release
from releases.services import release_create
from tests.release_helpers import make_issue, statuses


def release(product, *issues, **kwargs):
    return release_create(
        workspace=product.workspace,
        product=product,
        title=kwargs.pop("title", "R1"),
        issues_refs=[issue.shortcode for issue in issues],
        **kwargs,
    )


@pytest.mark.parametrize("target", [status for status in IssueStatus.values if status != IssueStatus.RELEASED])
def test_released_issue_rejects_status_change(product, target):
    issue = make_issue(product)
    release(product, issue)
    issue.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        issue_update(issue=issue, status=target)

    assert "status" in raised.value.message_dict
    assert statuses(issue) == ["released"]


def test_released_issue_same_status_is_noop(product):
    issue = make_issue(product)
    release(product, issue)
    issue.refresh_from_db()

    updated = issue_update(issue=issue, status=IssueStatus.RELEASED)

    assert updated.status == IssueStatus.RELEASED


def test_stale_issue_object_cannot_leave_released(product):
    issue = make_issue(product)
    release(product, issue)

    # `issue` still has status done in memory, so the service must read the stored status.
    with pytest.raises(ValidationError):
        issue_update(issue=issue, status=IssueStatus.IN_PROGRESS)

    assert statuses(issue) == ["released"]


def test_done_issue_cannot_be_set_released_directly(product):
    issue = make_issue(product)

    with pytest.raises(ValidationError) as raised:
        issue_update(issue=issue, status=IssueStatus.RELEASED)

    assert "status" in raised.value.message_dict
    assert statuses(issue) == ["done"]


def test_mark_released_rejects_not_done(product):
    done = make_issue(product)
    pending = make_issue(product, status="pending")

    with pytest.raises(ValidationError):
        issues_mark_released([done, pending])

    assert statuses(done, pending) == ["done", "pending"]


def test_mark_released_updates_timestamp(product):
    issue = make_issue(product)
    before = issue.updated_at

    issues_mark_released([issue])

    issue.refresh_from_db()
    assert issue.status == IssueStatus.RELEASED
    assert issue.updated_at > before


def test_release_create_rejects_foreign_product(workspace, other_product):
    with pytest.raises(ValidationError) as raised:
        release_create(workspace=workspace, product=other_product, title="R1")

    assert raised.value.message_dict == {"product_id": ["No product with this id in the workspace."]}
    assert Release.objects.count() == 0


def test_release_create_reports_all_errors_at_once(product):
    release(product, title="R0", version="1.0")
    pending = make_issue(product, status="pending")

    with pytest.raises(ValidationError) as raised:
        release(product, pending, title=" ", version="1.0")

    assert set(raised.value.message_dict) == {"title", "version", "issue_ids"}
    assert Release.objects.count() == 1


def test_release_create_accepts_lowercase_shortcode(product):
    issue = make_issue(product)

    created = release_create(
        workspace=product.workspace, product=product, title="R1", issues_refs=[f"  {issue.shortcode.lower()} "]
    )

    assert list(created.issues.all()) == [issue]
