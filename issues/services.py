"""Write operations on issues: creation with shortcode allocation, and updates.

The API, the admin and the deduplicating create all go through these functions.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from issues.models import CREATE_STATUSES, Issue, IssuePriority, IssueStatus, format_shortcode
from workspaces.models import Member, Product, Workspace

logger = logging.getLogger(__name__)

_UNSET = object()


def _check_conversations(*, product: Product, conversations) -> list:
    conversations = list(conversations or ())
    foreign = [str(c.pk) for c in conversations if c.product_id != product.pk]
    if foreign:
        raise ValidationError(
            {"conversation_ids": f"Conversations of another product cannot be linked: {', '.join(foreign)}."}
        )
    return conversations


@transaction.atomic
def issue_create(
    *,
    workspace: Workspace,
    product: Product,
    title: str,
    description: str | None = None,
    status: str = IssueStatus.PENDING,
    priority: str = IssuePriority.NORMAL,
    assignee: Member | None = None,
    resolution_comment: str | None = None,
    conversations=(),
) -> Issue:
    """Create an issue with the product's next shortcode and link CONVERSATIONS.

    The product row is locked while its counter is raised, so concurrent creates
    on PostgreSQL get consecutive numbers and never a duplicate.
    """
    if product.workspace_id != workspace.pk:
        raise ValidationError({"product_id": "No product with this id in the workspace."})
    if assignee is not None and assignee.workspace_id != workspace.pk:
        raise ValidationError({"assignee_id": "No member with this id in the workspace."})
    if status not in CREATE_STATUSES:
        raise ValidationError(
            {"status": f"An issue cannot be created as {status}; use one of {', '.join(CREATE_STATUSES)}."}
        )
    conversations = _check_conversations(product=product, conversations=conversations)

    Product.objects.filter(pk=product.pk).update(issue_counter=F("issue_counter") + 1)
    locked = Product.objects.select_for_update().only("issue_counter", "issue_prefix").get(pk=product.pk)
    number = locked.issue_counter

    issue = Issue.objects.create(
        workspace=workspace,
        product=product,
        number=number,
        shortcode=format_shortcode(locked.issue_prefix, number),
        title=title,
        description=description,
        status=status,
        priority=priority,
        assignee=assignee,
        resolution_comment=resolution_comment,
    )
    if conversations:
        issue.conversations.add(*conversations)
    logger.info("Created issue %s (%s) in workspace %s", issue.pk, issue.shortcode, workspace.pk)
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: Issue,
    status=_UNSET,
    priority=_UNSET,
    assignee=_UNSET,
    resolution_comment=_UNSET,
    title=_UNSET,
    description=_UNSET,
) -> Issue:
    """Apply the given changes, enforcing the status transition table."""
    # Re-read under a lock so a concurrent release or status change is seen.
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    changed = []

    if status is not _UNSET and status != issue.status:
        issue.check_transition(status)
        issue.status = status
        changed.append("status")
    if assignee is not _UNSET:
        if assignee is not None and assignee.workspace_id != issue.workspace_id:
            raise ValidationError({"assignee_id": "No member with this id in the workspace."})
        issue.assignee = assignee
        changed.append("assignee")
    for name, value in (
        ("priority", priority),
        ("resolution_comment", resolution_comment),
        ("title", title),
        ("description", description),
    ):
        if value is not _UNSET:
            setattr(issue, name, value)
            changed.append(name)

    if changed:
        issue.save(update_fields=[*changed, "updated_at"])
        logger.info("Updated issue %s fields %s", issue.pk, ",".join(changed))
    return issue


def issues_mark_released(issues) -> None:
    """Move ISSUES, all in status done, to released.

    This is the only way into `released`, used by release creation. The caller
    must hold the issues' row locks (select_for_update) in its transaction, and
    must have checked that each one is done.
    """
    issues = list(issues)
    if not issues:
        return
    not_done = [issue.shortcode for issue in issues if issue.status != IssueStatus.DONE]
    if not_done:
        raise ValidationError({"issue_ids": f"Only done issues can be released: {', '.join(not_done)}."})

    now = timezone.now()
    updated = Issue.objects.filter(pk__in=[issue.pk for issue in issues], status=IssueStatus.DONE).update(
        status=IssueStatus.RELEASED, updated_at=now
    )
    # Fewer rows than issues means a status changed after the caller read it,
    # which the caller's row locks should have prevented.
    if updated != len(issues):
        raise ValidationError({"issue_ids": "An issue changed status while the release was created; try again."})
    for issue in issues:
        issue.status = IssueStatus.RELEASED
        issue.updated_at = now
    logger.info("Marked %d issue(s) released: %s", len(issues), ",".join(str(issue.pk) for issue in issues))
