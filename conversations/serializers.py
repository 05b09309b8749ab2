from rest_framework import serializers

from conversations.models import Conversation, Message
from conversations.services import MESSAGE_MAX_LENGTH
from getresolved.api.serializers import MULTILINE, CachedFieldsMixin, OptionalTextField, StrictSerializer
from issues.models import Issue
from workspaces.models import Product


class MessageSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """A message of a conversation, from the customer or from an agent."""

    conversation_id = serializers.UUIDField(read_only=True)
    author_member_id = serializers.UUIDField(read_only=True, allow_null=True)
    delivery_status = serializers.ChoiceField(
        choices=Message.DeliveryStatus.choices,
        read_only=True,
        help_text=(
            "Email delivery of an agent reply to the customer: pending until sent after the write "
            "commits, then sent or failed; not_applicable for customer messages and for "
            "conversations without customer_email."
        ),
    )

    class Meta:
        model = Message
        fields = ["id", "conversation_id", "body", "author_type", "author_member_id", "delivery_status", "created_at"]
        read_only_fields = fields


class LinkedIssueSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """An issue linked to the conversation."""

    class Meta:
        model = Issue
        fields = ["id", "shortcode", "title", "status"]
        read_only_fields = fields


class ConversationSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """A conversation with one customer about one product."""

    product_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "product_id",
            "type",
            "status",
            "priority",
            "source",
            "subject",
            "customer_name",
            "customer_email",
            "created_at",
            "updated_at",
            "last_message_at",
        ]
        read_only_fields = fields


class ConversationDetailSerializer(ConversationSerializer):
    """A conversation with its messages, oldest first, and its linked issues."""

    messages = MessageSerializer(many=True, read_only=True, help_text="Oldest first.")
    issues = LinkedIssueSerializer(many=True, read_only=True, help_text="Issues linked to the conversation.")

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages", "issues"]
        read_only_fields = fields


# Fields of the conversation representation that a write may echo back and
# that are dropped without effect.
_READ_ONLY_FIELDS = ("id", "created_at", "updated_at", "last_message_at", "messages", "issues")


class ConversationCreateSerializer(StrictSerializer):
    """A new conversation and its first customer message. Unknown fields are rejected."""

    product_id = serializers.UUIDField()
    type = serializers.ChoiceField(choices=Conversation.Type.choices, default=Conversation.Type.TICKET)
    source = serializers.ChoiceField(choices=Conversation.Source.choices, default=Conversation.Source.FORM)
    status = serializers.ChoiceField(choices=Conversation.Status.choices, default=Conversation.Status.OPEN)
    priority = serializers.ChoiceField(choices=Conversation.Priority.choices, default=Conversation.Priority.NORMAL)
    subject = OptionalTextField(max_length=500)
    customer_name = OptionalTextField(max_length=200)
    customer_email = serializers.EmailField(max_length=254, required=False, allow_null=True, allow_blank=True)
    message = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        style=MULTILINE,
        help_text="The customer's first message, 1-20,000 characters after trimming.",
    )

    ignored_fields = _READ_ONLY_FIELDS

    def validate_product_id(self, value):
        workspace = self.context["request"].user.workspace
        product = Product.objects.filter(workspace=workspace, pk=value).first()
        if product is None:
            raise serializers.ValidationError(f"No product with id {value} in the workspace.")
        return product

    def validate(self, attrs):
        attrs["product"] = attrs.pop("product_id")
        # An empty optional string means "not given".
        for name in ("subject", "customer_name", "customer_email"):
            if attrs.get(name) == "":
                attrs[name] = None
        return attrs


class ConversationUpdateSerializer(StrictSerializer):
    """Changes to a conversation. Other fields of the conversation are ignored, unknown fields rejected."""

    status = serializers.ChoiceField(choices=Conversation.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Conversation.Priority.choices, required=False)

    # Everything else in the representation is fixed after create.
    ignored_fields = (
        *_READ_ONLY_FIELDS,
        "product_id",
        "type",
        "source",
        "subject",
        "customer_name",
        "customer_email",
    )


class MessageCreateSerializer(StrictSerializer):
    """An agent reply. Unknown fields are rejected."""

    body = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        style=MULTILINE,
        help_text="1-20,000 characters after trimming leading and trailing whitespace.",
    )

    ignored_fields = ("id", "conversation_id", "author_type", "author_member_id", "delivery_status", "created_at")
