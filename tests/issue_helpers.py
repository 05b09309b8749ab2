"""Builders shared by the issue tests."""

from conversations.models import Conversation, Message
from issues import services


def make_issue(product, title="Login button does nothing", **fields):
    return services.issue_create(workspace=product.workspace, product=product, title=title, **fields)


def make_conversation(product, subject="Cannot log in", **fields):
    conversation = Conversation.objects.create(
        workspace=product.workspace, product=product, subject=subject, customer_email="c@example.com", **fields
    )
    Message.objects.create(conversation=conversation, body="It fails every time.", author_type="customer")
    return conversation
