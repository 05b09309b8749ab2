"""Support conversations (tickets, ideas, feedback, chats) and their messages."""

import uuid

from django.db import models

from workspaces.models import Member, Product, Workspace


class Conversation(models.Model):
    """A thread with one customer about one product."""

    class Type(models.TextChoices):
        TICKET = "ticket"
        IDEA = "idea"
        FEEDBACK = "feedback"
        CHAT = "chat"

    class Status(models.TextChoices):
        OPEN = "open"
        IN_PROGRESS = "in_progress"
        RESOLVED = "resolved"
        DISMISSED = "dismissed"

    class Priority(models.TextChoices):
        LOW = "low"
        NORMAL = "normal"
        HIGH = "high"
        URGENT = "urgent"

    class Source(models.TextChoices):
        CHAT = "chat"
        FORM = "form"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="conversations")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="conversations")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.TICKET)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    subject = models.CharField(max_length=500, null=True, blank=True)
    customer_name = models.CharField(max_length=200, null=True, blank=True)
    customer_email = models.EmailField(max_length=254, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at", "-id"], name="conv_ws_created"),
            models.Index(fields=["workspace", "status", "-created_at"], name="conv_ws_status"),
            models.Index(fields=["product", "-created_at"], name="conv_product_created"),
        ]

    def __str__(self):
        return self.subject or f"{self.get_type_display()} {self.id}"


class Message(models.Model):
    """One message in a conversation, from the customer or from an agent."""

    class AuthorType(models.TextChoices):
        CUSTOMER = "customer"
        AGENT = "agent"

    class DeliveryStatus(models.TextChoices):
        # An agent reply waits in `pending` until the transaction commits and the
        # email is handed to the backend. Customer messages and replies to
        # conversations without an email address are `not_applicable`.
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"
        NOT_APPLICABLE = "not_applicable"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    body = models.TextField()
    author_type = models.CharField(max_length=10, choices=AuthorType.choices)
    author_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    delivery_status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_APPLICABLE
    )
    # The email backend's error for a failed send; shown in the admin, not in the API.
    delivery_error = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at", "id"], name="message_conv_created")]

    def __str__(self):
        return f"{self.author_type}: {self.body[:60]}"
