"""Row-level snapshots of every table an API write can touch, to prove nothing was written."""

from conversations.models import Conversation, Message
from issues.dedup.models import IssueApiSource
from issues.models import Issue
from releases.models import Release
from workspaces.models import Member, Product, Workspace

# API keys are left out because every request records when its key was last used.
WRITABLE_MODELS = [
    Workspace,
    Member,
    Product,
    Conversation,
    Message,
    Issue,
    Issue.conversations.through,
    Release,
    Release.issues.through,
    IssueApiSource,
]


def snapshot() -> dict:
    """Return every row of WRITABLE_MODELS, ordered by primary key."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in WRITABLE_MODELS}
