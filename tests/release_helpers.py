"""Shared setup for the release tests: issues in a given status."""

from issues.models import Issue
from issues.services import issue_create, issue_update


def make_issue(product, *, status="done", title="Fix the login page") -> Issue:
    """Create an issue of PRODUCT and move it to STATUS through the issue services."""
    issue = issue_create(workspace=product.workspace, product=product, title=title)
    if status != issue.status:
        issue = issue_update(issue=issue, status=status)
    return issue


def statuses(*issues) -> list[str]:
    """Return the stored status of each issue, read fresh from the database."""
    stored = dict(Issue.objects.filter(pk__in=[issue.pk for issue in issues]).values_list("pk", "status"))
    return [stored[issue.pk] for issue in issues]
