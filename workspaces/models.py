"""Tenancy: workspaces, their members, API keys and products."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

API_KEY_PREFIX = "gr_"
# Characters of the key shown in listings and logs: "gr_" plus 8 of the secret.
API_KEY_DISPLAY_LENGTH = len(API_KEY_PREFIX) + 8
# last_used_at is refreshed at most this often, so a busy key costs no write per request.
API_KEY_LAST_USED_RESOLUTION = timedelta(minutes=1)


class User(AbstractUser):
    """A login account for the Django admin. API clients authenticate with keys, not users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class Workspace(models.Model):
    """The tenant: every product, issue, conversation and key belongs to exactly one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True, help_text="A disabled workspace rejects every API request with 403.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.name} ({self.slug})"


class Member(models.Model):
    """A person acting in a workspace, with or without a login account."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        AGENT = "agent"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.AGENT)
    display_name = models.CharField(max_length=200, null=True, blank=True)
    avatar_url = models.URLField(max_length=500, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"],
                name="member_user_unique_per_workspace",
                violation_error_message="This user is already a member of the workspace.",
            )
        ]

    def __str__(self):
        return self.display_name or (self.user.get_username() if self.user_id else str(self.id))


def hash_api_key(secret: str) -> str:
    # Keys are 190+ bits of randomness, so a fast hash is enough: no one can
    # brute-force the pre-image, and a slow hash would cost every request.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A workspace's API credential. Only a SHA-256 digest of the secret is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="api_keys")
    name = models.CharField(max_length=200, blank=True, default="")
    prefix = models.CharField(max_length=20, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.prefix}… ({self.name})" if self.name else f"{self.prefix}…"

    @staticmethod
    def generate_secret() -> str:
        return API_KEY_PREFIX + secrets.token_urlsafe(32)

    def set_secret(self, secret: str) -> None:
        self.prefix = secret[:API_KEY_DISPLAY_LENGTH]
        self.key_hash = hash_api_key(secret)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def touch(self) -> None:
        """Record use, writing only when the stored time is older than the resolution."""
        now = timezone.now()
        if self.last_used_at and now - self.last_used_at < API_KEY_LAST_USED_RESOLUTION:
            return
        ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now


class Product(models.Model):
    """Something the workspace supports; issues, conversations and releases hang off it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=50)
    issue_prefix = models.CharField(max_length=3)
    widget_key = models.CharField(max_length=64, unique=True, editable=False)
    widget_config = models.JSONField(null=True, blank=True)
    domain = models.CharField(max_length=253, null=True, blank=True)
    # The last issue number handed out; raised under a row lock by issue creation.
    issue_counter = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slug"],
                name="product_slug_unique_per_workspace",
                violation_error_message="Another product in this workspace already uses this slug.",
            ),
            models.UniqueConstraint(
                fields=["workspace", "issue_prefix"],
                name="product_prefix_unique_per_workspace",
                violation_error_message="Another product in this workspace already uses this issue prefix.",
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def generate_widget_key() -> str:
        return "wk_" + secrets.token_urlsafe(24)
