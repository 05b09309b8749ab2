"""Builders shared by the conversation tests; they go through the services."""

from conversations import services


def make_conversation(workspace, product, message="The export button does nothing.", **fields):
    return services.conversation_create(workspace=workspace, product=product, message=message, **fields)


def conversation_url(conversation, prefix="conversations") -> str:
    return f"/api/v1/{prefix}/{conversation.pk}"
