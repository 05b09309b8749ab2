import pytest

from tests.conversation_factories import conversation_url, make_conversation


@pytest.fixture
def conversation(workspace, product):
    return make_conversation(workspace, product)


def test_items_list_matches_conversations(api, conversation):
    current = api.get("/api/v1/conversations?status=open")
    alias = api.get("/api/v1/items?status=open")

    assert alias.status_code == 200
    assert alias.json() == current.json()
    assert alias["Deprecation"] == "true"
    assert alias["Link"] == '</api/v1/conversations?status=open>; rel="successor-version"'
    assert "Deprecation" not in current


def test_items_detail_matches_conversations(api, conversation):
    current = api.get(conversation_url(conversation))
    alias = api.get(conversation_url(conversation, "items"))

    assert alias.json() == current.json()
    assert alias["Link"] == f'</api/v1/conversations/{conversation.pk}>; rel="successor-version"'


def test_items_accepts_writes(api, conversation):
    patched = api.patch(conversation_url(conversation, "items"), {"status": "resolved"}, format="json")
    replied = api.post(conversation_url(conversation, "items") + "/messages", {"body": "Done."}, format="json")

    assert patched.status_code == 200
    assert patched.json()["data"]["status"] == "resolved"
    assert replied.status_code == 201
    assert replied["Link"] == f'</api/v1/conversations/{conversation.pk}/messages>; rel="successor-version"'


def test_items_create_matches_conversations(api, product):
    response = api.post("/api/v1/items", {"product_id": str(product.pk), "message": "Hi"}, format="json")

    assert response.status_code == 201
    assert response["Deprecation"] == "true"


def test_items_errors_carry_deprecation(api, anonymous_api, other_workspace, other_product):
    foreign = make_conversation(other_workspace, other_product)

    not_found = api.get(conversation_url(foreign, "items"))
    invalid = api.get("/api/v1/items?status=closed")

    assert not_found.status_code == 404
    assert not_found["Deprecation"] == "true"
    assert invalid.status_code == 400
    assert invalid.json()["fields"] == api.get("/api/v1/conversations?status=closed").json()["fields"]


def test_openapi_marks_items_deprecated(anonymous_api):
    paths = anonymous_api.get("/api/v1/openapi.json").json()["paths"]

    operations = [
        (path, method, operation)
        for path, methods in paths.items()
        if path.startswith(("/api/v1/items", "/api/v1/conversations"))
        for method, operation in methods.items()
    ]
    assert len(operations) == 10
    operation_ids = [operation["operationId"] for _, _, operation in operations]
    assert len(set(operation_ids)) == len(operation_ids)
    for path, method, operation in operations:
        is_alias = path.startswith("/api/v1/items")
        assert operation.get("deprecated", False) is is_alias, (path, method)
        headers = operation["responses"]["200" if method in ("get", "patch") else "201"].get("headers", {})
        assert ("Deprecation" in headers) is is_alias, (path, method)
