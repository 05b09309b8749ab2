"""Write operations on conversations and their messages.

The API and the admin call these functions. Failures raise
django.core.exceptions.ValidationError keyed by field name.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from conversations.delivery import deliver_message
from conversations.models import Conversation, Message
from workspaces.models import Member, Product, Workspace

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 20_000

_UNSET = object()


def clean_message_body(body: str) -> str:
    """Return BODY trimmed, or raise ValidationError on `body` unless it has 1-20,000 characters."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(
            {"body": "The message body is empty after trimming whitespace. Send 1 to 20,000 characters."}
        )
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": f"The message body has {len(body)} characters; the maximum is {MESSAGE_MAX_LENGTH:,}."}
        )
    return body


def _add_message(*, conversation: Conversation, body: str, author_type: str, author_member: Member | None) -> Message:
    """Insert a message and move the conversation's last_message_at to it."""
    needs_delivery = author_type == Message.AuthorType.AGENT and bool(conversation.customer_email)
    message = Message.objects.create(
        conversation=conversation,
        body=clean_message_body(body),
        author_type=author_type,
        author_member=author_member,
        delivery_status=(Message.DeliveryStatus.PENDING if needs_delivery else Message.DeliveryStatus.NOT_APPLICABLE),
    )
    # Greatest keeps a reply that commits late from moving last_message_at back
    # past a newer message of a concurrent request.
    written_at = Value(message.created_at, output_field=DateTimeField())
    conversation.updated_at = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=Greatest(Coalesce("last_message_at", written_at), written_at),
        updated_at=conversation.updated_at,
    )
    conversation.last_message_at = max(filter(None, (conversation.last_message_at, message.created_at)))
    return message


@transaction.atomic
def conversation_create(
    *,
    workspace: Workspace,
    product: Product,
    message: str,
    type: str = Conversation.Type.TICKET,
    source: str = Conversation.Source.FORM,
    status: str = Conversation.Status.OPEN,
    priority: str = Conversation.Priority.NORMAL,
    subject: str | None = None,
    customer_name: str | None = None,
    customer_email: str | None = None,
) -> Conversation:
    """Create a conversation with its first customer MESSAGE.

    The first message comes from the customer, so no email is sent for it.
    """
    if product.workspace_id != workspace.pk:
        raise ValidationError({"product_id": "No product with this id in the workspace."})

    conversation = Conversation(
        workspace=workspace,
        product=product,
        type=type,
        source=source,
        status=status,
        priority=priority,
        subject=subject or None,
        customer_name=customer_name or None,
        customer_email=customer_email or None,
    )
    conversation.full_clean()
    conversation.save()
    _add_message(conversation=conversation, body=message, author_type=Message.AuthorType.CUSTOMER, author_member=None)

    logger.info("Created conversation %s in workspace %s", conversation.pk, workspace.pk)
    return conversation


@transaction.atomic
def conversation_update(*, conversation: Conversation, status=_UNSET, priority=_UNSET) -> Conversation:
    """Change the status and/or priority. Any status may follow any other."""
    changed = []
    for name, value, choices in (
        ("status", status, Conversation.Status.values),
        ("priority", priority, Conversation.Priority.values),
    ):
        if value is _UNSET or value == getattr(conversation, name):
            continue
        if value not in choices:
            raise ValidationError({name: f"Unknown {name} '{value}'; use one of {', '.join(choices)}."})
        setattr(conversation, name, value)
        changed.append(name)

    if changed:
        conversation.save(update_fields=[*changed, "updated_at"])
        logger.info("Updated conversation %s fields %s", conversation.pk, ",".join(changed))
    return conversation


def message_create(*, conversation: Conversation, body: str, author_member: Member | None = None) -> Message:
    """Add an agent reply by AUTHOR_MEMBER and email it to the customer, if known.

    The email goes out after the transaction commits, so a rolled-back reply is
    never sent. The send's outcome is stored on the message (see
    conversations.delivery). Outside an enclosing transaction the send has run
    by the time this returns, and the returned message shows its outcome.
    """
    if author_member is not None and author_member.workspace_id != conversation.workspace_id:
        raise ValidationError({"author_member_id": "No member with this id in the workspace."})

    with transaction.atomic():
        message = _add_message(
            conversation=conversation, body=body, author_type=Message.AuthorType.AGENT, author_member=author_member
        )
        if message.delivery_status == Message.DeliveryStatus.PENDING:
            # With robust=True, an error while recording the outcome is logged
            # instead of raised into a request whose reply is already committed.
            transaction.on_commit(lambda: deliver_message(message), robust=True)
        logger.info("Added message %s to conversation %s", message.pk, conversation.pk)

    return message
