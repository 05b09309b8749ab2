from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from conversations import services
from conversations.filtersets import ConversationFilterSet
from conversations.models import Conversation, Message
from conversations.serializers import (
    ConversationCreateSerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    ConversationUpdateSerializer,
    MessageCreateSerializer,
    MessageSerializer,
)
from getresolved.api.deprecation import DeprecatedAliasMixin
from getresolved.api.viewsets import (
    CreateModelMixin,
    ListModelMixin,
    PartialUpdateModelMixin,
    RetrieveModelMixin,
    WorkspaceViewSet,
    envelope,
)
from issues.models import Issue


@extend_schema_view(
    list=extend_schema(summary="List conversations, newest first"),
    retrieve=extend_schema(summary="Get a conversation with its messages and linked issues"),
    create=extend_schema(summary="Create a conversation with its first customer message"),
    partial_update=extend_schema(summary="Change a conversation's status or priority"),
)
class ConversationViewSet(
    DeprecatedAliasMixin,
    ListModelMixin,
    RetrieveModelMixin,
    CreateModelMixin,
    PartialUpdateModelMixin,
    WorkspaceViewSet,
):
    queryset = Conversation.objects.order_by("-created_at", "-id")
    filterset_class = ConversationFilterSet
    output_serializer_class = ConversationDetailSerializer
    deprecated_aliases = {"/api/v1/items": "/api/v1/conversations"}

    def get_serializer_class(self):
        if self.action == "list":
            return ConversationSerializer
        if self.action == "create":
            return ConversationCreateSerializer
        if self.action == "partial_update":
            return ConversationUpdateSerializer
        if self.action == "messages":
            return MessageCreateSerializer
        return ConversationDetailSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = with_messages_and_issues(queryset)
        return queryset

    def perform_create(self, validated_data):
        conversation = services.conversation_create(workspace=self.workspace, **validated_data)
        return with_messages_and_issues(Conversation.objects.all()).get(pk=conversation.pk)

    def perform_update(self, instance, validated_data):
        services.conversation_update(conversation=instance, **validated_data)
        return with_messages_and_issues(Conversation.objects.all()).get(pk=instance.pk)

    @extend_schema(
        summary="Reply to a conversation as an agent",
        description=(
            "Adds an agent message authored by the API key's member (null for a key without one). "
            "When the conversation has a customer_email, the message is emailed to the customer "
            "after it is saved; delivery_status reports the outcome."
        ),
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, *args, **kwargs):
        conversation = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        message = services.message_create(
            conversation=conversation, body=serializer.validated_data["body"], author_member=request.user.member
        )
        return Response(envelope(MessageSerializer(message).data), status=status.HTTP_201_CREATED)


def with_messages_and_issues(queryset):
    """Load messages (oldest first) and linked issues in one query each."""
    return queryset.prefetch_related(
        Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
        Prefetch("issues", queryset=Issue.objects.only("id", "shortcode", "title", "status")),
    )
