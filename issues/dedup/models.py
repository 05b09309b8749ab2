"""Provenance of deduplicating creates: one row per POST /issues/maybe call."""

import uuid

from django.db import models


class IssueApiSource(models.Model):
    """Provenance of one deduplicating create: the request body, the matcher that decided, and its reason.

    `matcher` is the Anthropic model id or `local`. `fallback_reason` is set when
    the local matcher decided although Anthropic was preferred, or when no key is
    configured, and contains the cause.
    """

    class Outcome(models.TextChoices):
        MATCHED = "matched"
        CREATED = "created"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="issue_api_sources")
    api_key = models.ForeignKey(
        "workspaces.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="issue_api_sources"
    )
    product = models.ForeignKey("workspaces.Product", on_delete=models.CASCADE, related_name="issue_api_sources")
    request_body = models.JSONField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    issue = models.ForeignKey("issues.Issue", on_delete=models.CASCADE, related_name="api_sources")
    matcher = models.CharField(max_length=100)
    reason = models.TextField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    fallback_reason = models.TextField(null=True, blank=True)
    # Wall-clock time spent deciding, including every model call and retry.
    matching_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "issues"
        db_table = "issue_api_sources"
        ordering = ["-created_at", "-id"]
        verbose_name = "issue API source"
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="issue_api_source_ws_created"),
        ]

    def __str__(self):
        return f"{self.outcome} {self.issue_id} by {self.matcher}"
