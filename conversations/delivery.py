"""Email delivery of agent replies to the conversation's customer."""

import logging

from django.core.mail import send_mail

from conversations.models import Message

logger = logging.getLogger(__name__)

# Longer backend errors are cut so one bad send cannot bloat the row.
_MAX_ERROR_LENGTH = 2000


def reply_subject(message: Message) -> str:
    conversation = message.conversation
    if conversation.subject:
        subject = f"Re: {conversation.subject}"
    else:
        subject = f"Re: your {conversation.type} to {conversation.product.name}"
    # A header may not contain line breaks, and Django rejects the whole email
    # if it does, so a subject stored with one would block every reply.
    return " ".join(subject.split())


def deliver_message(message: Message) -> None:
    """Send MESSAGE to the customer's email address and record the outcome on it.

    Runs after the transaction that created the message commits. A failed send
    is logged and stored as `failed` instead of raised, because the reply is
    already saved and the request that posted it has succeeded.
    """
    conversation = message.conversation
    try:
        send_mail(
            subject=reply_subject(message),
            message=message.body,
            from_email=None,
            recipient_list=[conversation.customer_email],
        )
    # The email backend is pluggable (SMTP, a provider's SDK, ...), so the
    # exceptions it raises cannot be listed here.
    except Exception as exc:
        logger.exception("Failed to email message %s of conversation %s to the customer", message.pk, conversation.pk)
        message.delivery_status = Message.DeliveryStatus.FAILED
        message.delivery_error = f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_LENGTH]
    else:
        logger.info("Emailed message %s of conversation %s to the customer", message.pk, conversation.pk)
        message.delivery_status = Message.DeliveryStatus.SENT
        message.delivery_error = None
    message.save(update_fields=["delivery_status", "delivery_error"])
