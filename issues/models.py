"""Issues: the to-dos of the backlog, each with a per-product shortcode."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from workspaces.models import Member, Product, Workspace


class IssueStatus(models.TextChoices):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ICEBOX = "icebox"
    RELEASED = "released"
    DISMISSED = "dismissed"


class IssuePriority(models.TextChoices):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


# Allowed targets of a client's status change, by current status. `released` is
# reached only by creating a release, and released and dismissed are terminal.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    IssueStatus.PENDING: (IssueStatus.IN_PROGRESS, IssueStatus.DONE, IssueStatus.ICEBOX, IssueStatus.DISMISSED),
    IssueStatus.IN_PROGRESS: (IssueStatus.PENDING, IssueStatus.DONE, IssueStatus.ICEBOX, IssueStatus.DISMISSED),
    IssueStatus.DONE: (IssueStatus.IN_PROGRESS, IssueStatus.PENDING, IssueStatus.ICEBOX, IssueStatus.DISMISSED),
    IssueStatus.ICEBOX: (IssueStatus.PENDING, IssueStatus.IN_PROGRESS, IssueStatus.DONE, IssueStatus.DISMISSED),
    IssueStatus.RELEASED: (),
    IssueStatus.DISMISSED: (),
}

# Statuses an issue may be created in.
CREATE_STATUSES = tuple(s for s in IssueStatus.values if s != IssueStatus.RELEASED)
CREATE_STATUS_CHOICES = [(value, label) for value, label in IssueStatus.choices if value in CREATE_STATUSES]


def format_shortcode(prefix: str, number: int) -> str:
    """Return e.g. GET-005: the prefix and the number padded to at least three digits."""
    return f"{prefix}-{number:03d}"


class Issue(models.Model):
    """A to-do in a product's backlog, usually extracted from conversations."""

    Status = IssueStatus
    Priority = IssuePriority

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="issues")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveIntegerField(editable=False)
    # Stored, not computed: a later prefix change must not rename existing issues.
    shortcode = models.CharField(max_length=20, editable=False)
    title = models.CharField(max_length=500)
    description = models.TextField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.PENDING)
    priority = models.CharField(max_length=8, choices=IssuePriority.choices, default=IssuePriority.NORMAL)
    assignee = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_issues"
    )
    resolution_comment = models.TextField(null=True, blank=True)
    conversations = models.ManyToManyField("conversations.Conversation", blank=True, related_name="issues")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number"],
                name="issue_number_unique_per_product",
                violation_error_message="This issue number is already used in the product.",
            ),
            models.UniqueConstraint(
                fields=["workspace", "shortcode"],
                name="issue_shortcode_unique_per_workspace",
                violation_error_message="This shortcode is already used in the workspace.",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "-created_at", "-id"], name="issue_ws_created"),
            models.Index(fields=["workspace", "status", "-created_at", "-id"], name="issue_ws_status"),
            models.Index(fields=["product", "-created_at", "-id"], name="issue_product_created"),
            models.Index(fields=["product", "status"], name="issue_product_status"),
            models.Index(fields=["assignee", "-created_at"], name="issue_assignee_created"),
            # The list filters on priority and on assignee (including unassigned,
            # which an index led by assignee alone shares across workspaces).
            models.Index(fields=["workspace", "priority", "-created_at", "-id"], name="issue_ws_priority"),
            models.Index(fields=["workspace", "assignee", "-created_at", "-id"], name="issue_ws_assignee"),
            # The product filter: an index-only capped count and an OFFSET scan
            # that reads only the product's rows.
            models.Index(fields=["workspace", "product", "-created_at", "-id"], name="issue_ws_product"),
        ]

    def __str__(self):
        return f"{self.shortcode} {self.title}"

    def check_transition(self, new_status: str) -> None:
        """Raise ValidationError on `status` unless moving to NEW_STATUS is allowed.

        Setting the current status again is allowed and changes nothing.
        """
        if new_status == self.status:
            return
        allowed = ALLOWED_TRANSITIONS.get(self.status, ())
        if new_status in allowed:
            return
        if not allowed:
            message = f"The issue is {self.status}, a final status; it cannot change."
        elif new_status == IssueStatus.RELEASED:
            message = (
                "An issue becomes released only by being included in a release; "
                f"from {self.status} it can move to {', '.join(allowed)}."
            )
        else:
            message = f"Cannot move from {self.status} to {new_status}; allowed: {', '.join(allowed)}."
        raise ValidationError({"status": message})


# Defined in the dedup package, registered here so Django finds it in this app.
from issues.dedup.models import IssueApiSource  # noqa: E402, F401
