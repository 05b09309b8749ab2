import logging
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from conversations.models import Conversation, Message
from tests.conversation_factories import conversation_url, make_conversation


class UnreachableEmailBackend(BaseEmailBackend):
    """An email backend whose mail server cannot be reached."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by mail.example.com:25")


@pytest.fixture
def conversation(workspace, product):
    return make_conversation(workspace, product, subject="Export broken", customer_email="cleo@example.com")


@pytest.fixture
def silent_conversation(workspace, product):
    """A conversation whose customer left no email address."""
    return make_conversation(workspace, product)


def messages_url(conversation, prefix="conversations") -> str:
    return conversation_url(conversation, prefix) + "/messages"


def test_reply_returns_agent_message(api, conversation, owner):
    response = api.post(messages_url(conversation), {"body": "  We are on it.  "}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["body"] == "We are on it."
    assert data["author_type"] == "agent"
    assert data["author_member_id"] == str(owner.pk)
    assert data["conversation_id"] == str(conversation.pk)
    assert data["delivery_status"] == "pending"


def test_reply_moves_last_message_at(api, conversation):
    before = conversation.last_message_at

    data = api.post(messages_url(conversation), {"body": "Hello"}, format="json").json()["data"]

    conversation.refresh_from_db()
    assert conversation.last_message_at > before
    assert conversation.last_message_at.isoformat().replace("+00:00", "Z") == data["created_at"]
    assert conversation.updated_at >= conversation.last_message_at


def test_reply_keeps_newer_last_message_at(api, conversation):
    # As if a concurrent request had committed a later message first.
    later = timezone.now() + timedelta(minutes=5)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=later)

    api.post(messages_url(conversation), {"body": "Hello"}, format="json")

    conversation.refresh_from_db()
    assert conversation.last_message_at == later


def test_reply_with_memberless_key_has_null_author(memberless_api, conversation):
    response = memberless_api.post(messages_url(conversation), {"body": "Hello"}, format="json")

    assert response.status_code == 201
    assert response.json()["data"]["author_member_id"] is None


@pytest.mark.parametrize("body", ["", "   ", "\n\t "])
def test_reply_rejects_empty_body(api, conversation, body):
    response = api.post(messages_url(conversation), {"body": body}, format="json")

    assert response.status_code == 400
    assert "body" in response.json()["fields"]
    assert conversation.messages.count() == 1


def test_reply_rejects_oversized_body(api, conversation):
    response = api.post(messages_url(conversation), {"body": "x" * 20_001}, format="json")

    assert response.status_code == 400
    assert "body" in response.json()["fields"]
    assert conversation.messages.count() == 1


def test_reply_accepts_maximum_body_after_trimming(api, conversation):
    response = api.post(messages_url(conversation), {"body": "  " + "x" * 20_000 + "  "}, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("body", [{}, {"body": None}, {"body": "Hi", "author_type": "customer", "extra": 1}])
def test_reply_rejects_missing_or_unknown_fields(api, conversation, body):
    response = api.post(messages_url(conversation), body, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"


def test_reply_to_other_workspace_is_not_found(api, other_workspace, other_product):
    foreign = make_conversation(other_workspace, other_product, customer_email="x@example.com")

    response = api.post(messages_url(foreign), {"body": "Hello"}, format="json")

    assert response.status_code == 404
    assert foreign.messages.count() == 1


def test_reply_with_read_only_key_is_forbidden(read_only_api, conversation):
    response = read_only_api.post(messages_url(conversation), {"body": "Hello"}, format="json")

    assert response.status_code == 403
    assert conversation.messages.count() == 1


def test_reply_is_emailed_after_commit(api, conversation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(messages_url(conversation), {"body": "It works again."}, format="json")
        assert mailoutbox == []

    assert response.status_code == 201
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["cleo@example.com"]
    assert email.body == "It works again."
    assert email.subject == "Re: Export broken"
    message = Message.objects.get(pk=response.json()["data"]["id"])
    assert message.delivery_status == "sent"
    assert message.delivery_error is None


def test_reply_without_customer_email_sends_nothing(
    api, silent_conversation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(messages_url(silent_conversation), {"body": "Noted."}, format="json")

    assert response.status_code == 201
    assert response.json()["data"]["delivery_status"] == "not_applicable"
    assert callbacks == []
    assert mailoutbox == []


def test_failed_email_is_recorded_and_logged(
    api, conversation, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableEmailBackend"

    with caplog.at_level(logging.ERROR, logger="conversations"):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(messages_url(conversation), {"body": "It works again."}, format="json")

    assert response.status_code == 201
    message_id = response.json()["data"]["id"]
    message = Message.objects.get(pk=message_id)
    assert message.delivery_status == "failed"
    assert "Connection refused" in message.delivery_error
    assert mailoutbox == []
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert message_id in record.getMessage()
    assert str(conversation.pk) in record.getMessage()
    assert record.exc_info is not None


def test_failed_email_shows_in_detail(api, conversation, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        api.post(messages_url(conversation), {"body": "It works again."}, format="json")

    messages = api.get(conversation_url(conversation)).json()["data"]["messages"]

    assert messages[-1]["delivery_status"] == "failed"
    assert "delivery_error" not in messages[-1]


def test_rolled_back_reply_is_not_emailed(api, conversation, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(messages_url(conversation), {"body": ""}, format="json")

    assert response.status_code == 400
    assert callbacks == []
    assert mailoutbox == []


def test_reply_subject_drops_line_breaks(api, workspace, product, mailoutbox, django_capture_on_commit_callbacks):
    conversation = make_conversation(
        workspace, product, subject="Help\r\nBcc: someone@example.com", customer_email="cleo@example.com"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(messages_url(conversation), {"body": "On it."}, format="json")

    assert response.status_code == 201
    assert Message.objects.get(pk=response.json()["data"]["id"]).delivery_status == "sent"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Re: Help Bcc: someone@example.com"
    assert mailoutbox[0].to == ["cleo@example.com"]
