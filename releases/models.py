"""Releases: groups of done issues that shipped together."""

import uuid

from django.db import models

from workspaces.models import Product, Workspace


class Release(models.Model):
    """A shipped version of a product; creating one moves its issues to released."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="releases")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="releases")
    title = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)
    version = models.CharField(max_length=50, null=True, blank=True)
    issues = models.ManyToManyField("issues.Issue", blank=True, related_name="releases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "version"],
                name="release_version_unique_per_product",
                condition=models.Q(version__isnull=False),
                violation_error_message="This product already has a release with this version.",
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "-created_at", "-id"], name="release_ws_created"),
            models.Index(fields=["product", "-created_at"], name="release_product_created"),
        ]

    def __str__(self):
        return f"{self.title} ({self.version})" if self.version else self.title
