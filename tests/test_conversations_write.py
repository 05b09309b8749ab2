import uuid

import pytest

from conversations.models import Conversation, Message
from tests.conversation_factories import conversation_url, make_conversation


@pytest.fixture
def conversation(workspace, product):
    return make_conversation(workspace, product)


@pytest.fixture
def create_body(product):
    return {
        "product_id": str(product.pk),
        "subject": "  Cannot export  ",
        "customer_name": "Cleo",
        "customer_email": "cleo@example.com",
        "message": "  The export button does nothing.  ",
    }


@pytest.mark.parametrize(
    ("start", "target"),
    [("open", "resolved"), ("resolved", "open"), ("dismissed", "in_progress"), ("in_progress", "dismissed")],
)
def test_patch_allows_any_status_change(api, workspace, product, start, target):
    conversation = make_conversation(workspace, product, status=start)

    response = api.patch(conversation_url(conversation), {"status": target}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["status"] == target
    conversation.refresh_from_db()
    assert conversation.status == target


def test_patch_changes_priority_and_returns_detail(api, conversation):
    response = api.patch(conversation_url(conversation), {"priority": "urgent"}, format="json")

    data = response.json()["data"]
    assert data["priority"] == "urgent"
    assert data["status"] == "open"
    assert len(data["messages"]) == 1
    assert data["issues"] == []


def test_patch_rejects_unknown_field(api, conversation):
    response = api.patch(conversation_url(conversation), {"stauts": "resolved"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"stauts": "Unknown field."}


def test_patch_rejects_unknown_status(api, conversation):
    response = api.patch(conversation_url(conversation), {"status": "closed"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_patch_ignores_read_only_fields(api, conversation):
    body = {"id": str(uuid.uuid4()), "created_at": "2020-01-01T00:00:00Z", "subject": "New", "status": "resolved"}

    response = api.patch(conversation_url(conversation), body, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(conversation.pk)
    assert response.json()["data"]["subject"] is None


def test_patch_of_other_workspace_is_not_found(api, other_workspace, other_product):
    foreign = make_conversation(other_workspace, other_product)

    response = api.patch(conversation_url(foreign), {"status": "resolved"}, format="json")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "open"


def test_patch_with_read_only_key_is_forbidden(read_only_api, conversation):
    response = read_only_api.patch(conversation_url(conversation), {"status": "resolved"}, format="json")

    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"


def test_create_returns_detail_with_first_message(api, create_body, product, mailoutbox):
    response = api.post("/api/v1/conversations", create_body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["product_id"] == str(product.pk)
    assert data["type"] == "ticket"
    assert data["source"] == "form"
    assert data["priority"] == "normal"
    assert data["status"] == "open"
    assert data["subject"] == "Cannot export"
    assert data["issues"] == []
    assert [m["body"] for m in data["messages"]] == ["The export button does nothing."]
    assert data["messages"][0]["author_type"] == "customer"
    assert data["messages"][0]["delivery_status"] == "not_applicable"
    assert data["last_message_at"] == data["messages"][0]["created_at"]
    assert mailoutbox == []


def test_create_accepts_type_source_priority(api, create_body):
    body = {**create_body, "type": "idea", "source": "chat", "priority": "high", "status": "in_progress"}

    data = api.post("/api/v1/conversations", body, format="json").json()["data"]

    assert (data["type"], data["source"], data["priority"], data["status"]) == ("idea", "chat", "high", "in_progress")


def test_create_stores_blank_optional_text_as_null(api, product):
    body = {"product_id": str(product.pk), "message": "Hello", "subject": " ", "customer_email": ""}

    data = api.post("/api/v1/conversations", body, format="json").json()["data"]

    assert data["subject"] is None
    assert data["customer_email"] is None
    assert data["customer_name"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 20_001}, "message"),
        ({"customer_email": "not-an-email"}, "customer_email"),
        ({"type": "bug"}, "type"),
        ({"source": "email"}, "source"),
        ({"product_id": "not-a-uuid"}, "product_id"),
        ({"product_id": str(uuid.uuid4())}, "product_id"),
        ({"subject": "x" * 501}, "subject"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_create_rejects_invalid_body(api, create_body, change, field):
    response = api.post("/api/v1/conversations", {**create_body, **change}, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert field in response.json()["fields"]
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize("missing", ["product_id", "message"])
def test_create_requires_product_and_message(api, create_body, missing):
    del create_body[missing]

    response = api.post("/api/v1/conversations", create_body, format="json")

    assert response.status_code == 400
    assert missing in response.json()["fields"]


def test_create_accepts_maximum_message(api, create_body):
    response = api.post("/api/v1/conversations", {**create_body, "message": "x" * 20_000}, format="json")

    assert response.status_code == 201


def test_create_rejects_other_workspace_product(api, create_body, other_product):
    response = api.post("/api/v1/conversations", {**create_body, "product_id": str(other_product.pk)}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["product_id"] == f"No product with id {other_product.pk} in the workspace."
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0


def test_create_with_read_only_key_is_forbidden(read_only_api, create_body):
    response = read_only_api.post("/api/v1/conversations", create_body, format="json")

    assert response.status_code == 403
    assert Conversation.objects.count() == 0
