"""Issue bodies: the resource shape, and the create and update inputs.

Input serializers check shapes only. `issue_create_kwargs` and
`issue_update_kwargs` then turn ids into the caller's workspace objects for the
services, so every endpoint that creates issues validates the same way.
"""

import uuid

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.models import Conversation
from conversations.serializers import ConversationSerializer
from getresolved.api.serializers import MULTILINE, CachedFieldsMixin, OptionalTextField, StrictSerializer
from issues.models import CREATE_STATUS_CHOICES, Issue, IssuePriority, IssueStatus
from workspaces.models import Member, Product

TITLE_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 20_000
RESOLUTION_COMMENT_MAX_LENGTH = 10_000
# Conversations linked in one create; a bound keeps the id lookup a single cheap query.
CONVERSATION_IDS_MAX = 100

ASSIGNEE_ME = "me"


class IssueSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    shortcode = serializers.CharField(
        read_only=True,
        help_text="The product's prefix at creation, a hyphen and the per-product number, such as GET-005. "
        "It never changes.",
    )
    product_id = serializers.UUIDField(read_only=True)
    assignee_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "shortcode",
            "product_id",
            "title",
            "description",
            "status",
            "priority",
            "assignee_id",
            "resolution_comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IssueDetailSerializer(IssueSerializer):
    # The linked conversations as the conversation list shows them, without messages.
    conversations = ConversationSerializer(many=True, read_only=True)

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "conversations"]
        read_only_fields = fields


@extend_schema_field(
    {
        "anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "enum": ["me"]}],
        "description": 'A member id, "me" for the member who created the API key, or null for unassigned.',
        "examples": ["me"],
    }
)
class AssigneeField(serializers.Field):
    """A member UUID, "me" or null, validated into a UUID, ASSIGNEE_ME or None."""

    default_error_messages = {
        "invalid": 'Must be a member id (UUID), "me" or null.',
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            value = data.strip()
            if value.lower() == ASSIGNEE_ME:
                return ASSIGNEE_ME
            try:
                return uuid.UUID(value)
            except ValueError:
                pass
        self.fail("invalid")

    def to_representation(self, value):
        return str(value) if value is not None else None


# Resource fields a client may echo back from a GET; they are dropped, not rejected.
_READ_ONLY_FIELDS = ("id", "shortcode", "created_at", "updated_at", "conversations")


class IssueCreateSerializer(StrictSerializer):
    """Body of an issue create. Unknown fields are a validation_error. The read-only
    fields id, shortcode, created_at, updated_at and conversations are ignored."""

    product_id = serializers.UUIDField()
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description = OptionalTextField(max_length=DESCRIPTION_MAX_LENGTH, style=MULTILINE)
    status = serializers.ChoiceField(choices=CREATE_STATUS_CHOICES, default=IssueStatus.PENDING)
    priority = serializers.ChoiceField(choices=IssuePriority.choices, default=IssuePriority.NORMAL)
    assignee_id = AssigneeField(required=False, allow_null=True)
    resolution_comment = OptionalTextField(max_length=RESOLUTION_COMMENT_MAX_LENGTH, style=MULTILINE)
    conversation_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=CONVERSATION_IDS_MAX
    )

    ignored_fields = _READ_ONLY_FIELDS


class IssueUpdateSerializer(StrictSerializer):
    """Body of an issue PATCH, where every field is optional. Unknown fields are a
    validation_error. The fields that cannot change (product_id, id, shortcode,
    created_at, updated_at and conversations) are ignored."""

    title = serializers.CharField(max_length=TITLE_MAX_LENGTH, required=False)
    description = OptionalTextField(max_length=DESCRIPTION_MAX_LENGTH, style=MULTILINE)
    # Every status is accepted here so that a rejected move, released included,
    # gets the transition message from Issue.check_transition.
    status = serializers.ChoiceField(choices=IssueStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=IssuePriority.choices, required=False)
    assignee_id = AssigneeField(required=False, allow_null=True)
    resolution_comment = OptionalTextField(max_length=RESOLUTION_COMMENT_MAX_LENGTH, style=MULTILINE)

    # product_id cannot change; echoing it back is harmless.
    ignored_fields = (*_READ_ONLY_FIELDS, "product_id")


def resolve_assignee(value, client) -> Member | None:
    """Turn an AssigneeField value into a member of the caller's workspace."""
    if value is None:
        return None
    if value == ASSIGNEE_ME:
        if client.member is None:
            raise ValidationError(
                {"assignee_id": 'This API key has no member, so "me" cannot be used; pass a member id.'}
            )
        return client.member
    member = Member.objects.filter(workspace=client.workspace, pk=value).first()
    if member is None:
        raise ValidationError({"assignee_id": f"No member with id {value} in this workspace."})
    return member


def _resolve_conversations(ids, *, client, product: Product | None) -> list[Conversation]:
    wanted = list(dict.fromkeys(ids))
    found = {c.pk: c for c in Conversation.objects.filter(workspace=client.workspace, pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError({"conversation_ids": f"No conversation with id {', '.join(missing)} in this workspace."})
    if product is not None:
        foreign = [str(pk) for pk in wanted if found[pk].product_id != product.pk]
        if foreign:
            raise ValidationError(
                {"conversation_ids": f"Conversations {', '.join(foreign)} belong to another product than product_id."}
            )
    return [found[pk] for pk in wanted]


def issue_create_kwargs(validated_data: dict, client) -> dict:
    """Turn IssueCreateSerializer data into keyword arguments for services.issue_create.

    CLIENT is the request's ApiClient: its workspace scopes every id, and its
    member is what "me" stands for. Unknown or foreign ids raise ValidationError
    keyed by the body field, with every failing field reported at once.
    """
    data = dict(validated_data)
    errors = {}
    kwargs = {"workspace": client.workspace}

    product = Product.objects.filter(workspace=client.workspace, pk=data.pop("product_id")).first()
    if product is None:
        errors["product_id"] = "No product with this id in this workspace."
    kwargs["product"] = product

    if "assignee_id" in data:
        try:
            kwargs["assignee"] = resolve_assignee(data.pop("assignee_id"), client)
        except ValidationError as exc:
            errors.update(exc.message_dict)

    conversation_ids = data.pop("conversation_ids", None)
    if conversation_ids:
        try:
            kwargs["conversations"] = _resolve_conversations(conversation_ids, client=client, product=product)
        except ValidationError as exc:
            errors.update(exc.message_dict)

    if errors:
        raise ValidationError(errors)
    kwargs.update(data)
    return kwargs


def issue_update_kwargs(validated_data: dict, client) -> dict:
    """Turn IssueUpdateSerializer data into keyword arguments for services.issue_update."""
    kwargs = dict(validated_data)
    if "assignee_id" in kwargs:
        kwargs["assignee"] = resolve_assignee(kwargs.pop("assignee_id"), client)
    return kwargs
