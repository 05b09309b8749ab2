import uuid

import pytest

from tests.conversation_factories import make_conversation
from workspaces import services as workspace_services


@pytest.fixture
def second_product(workspace):
    return workspace_services.product_create(workspace=workspace, name="Second Product")


def listed_ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["data"]]


def test_list_is_newest_first(api, workspace, product):
    first = make_conversation(workspace, product)
    second = make_conversation(workspace, product)

    assert listed_ids(api.get("/api/v1/conversations")) == [str(second.pk), str(first.pk)]


def test_list_shows_fields(api, workspace, product):
    conversation = make_conversation(
        workspace, product, subject="Export", customer_name="Cleo", customer_email="cleo@example.com", source="chat"
    )

    item = api.get("/api/v1/conversations").json()["data"][0]

    assert item == {
        "id": str(conversation.pk),
        "product_id": str(product.pk),
        "type": "ticket",
        "status": "open",
        "priority": "normal",
        "source": "chat",
        "subject": "Export",
        "customer_name": "Cleo",
        "customer_email": "cleo@example.com",
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "last_message_at": item["last_message_at"],
    }
    assert item["last_message_at"] is not None


def test_list_paginates(api, workspace, product):
    conversations = [make_conversation(workspace, product) for _ in range(3)]

    response = api.get("/api/v1/conversations?limit=2&offset=1")

    assert listed_ids(response) == [str(conversations[1].pk), str(conversations[0].pk)]
    assert response.json()["pagination"] == {"total": 3, "limit": 2, "offset": 1}


def test_list_hides_other_workspace(api, workspace, product, other_workspace, other_product):
    ours = make_conversation(workspace, product)
    make_conversation(other_workspace, other_product)

    assert listed_ids(api.get("/api/v1/conversations")) == [str(ours.pk)]


@pytest.mark.parametrize(
    ("parameter", "field", "values"),
    [
        ("status", "status", ["open", "in_progress", "resolved", "dismissed"]),
        ("priority", "priority", ["low", "normal", "high", "urgent"]),
        ("type", "type", ["ticket", "idea", "feedback", "chat"]),
    ],
)
def test_list_filters_by_choice(api, workspace, product, parameter, field, values):
    by_value = {value: make_conversation(workspace, product, **{field: value}) for value in values}

    single = api.get(f"/api/v1/conversations?{parameter}={values[0]}")
    several = api.get(f"/api/v1/conversations?{parameter}={values[1]},{values[2]}")

    assert listed_ids(single) == [str(by_value[values[0]].pk)]
    assert set(listed_ids(several)) == {str(by_value[values[1]].pk), str(by_value[values[2]].pk)}


def test_list_filters_combine_with_and(api, workspace, product):
    match = make_conversation(workspace, product, status="open", priority="high")
    make_conversation(workspace, product, status="open", priority="low")
    make_conversation(workspace, product, status="resolved", priority="high")

    response = api.get("/api/v1/conversations?status=open,in_progress&priority=high,urgent")

    assert listed_ids(response) == [str(match.pk)]


def test_list_filters_by_product(api, workspace, product, second_product):
    first = make_conversation(workspace, product)
    second = make_conversation(workspace, second_product)

    only_first = api.get(f"/api/v1/conversations?product_id={product.pk}")
    both = api.get(f"/api/v1/conversations?product_id={product.pk},{second_product.pk}")

    assert listed_ids(only_first) == [str(first.pk)]
    assert listed_ids(both) == [str(second.pk), str(first.pk)]


def test_list_ignores_empty_filters(api, workspace, product):
    conversation = make_conversation(workspace, product)

    response = api.get("/api/v1/conversations?status=&priority=&type=&product_id=")

    assert listed_ids(response) == [str(conversation.pk)]


@pytest.mark.parametrize(
    ("query", "parameter", "value"),
    [
        ("status=open,closed", "status", "closed"),
        ("priority=critical", "priority", "critical"),
        ("type=ticket,bug", "type", "bug"),
        ("status=OPEN", "status", "OPEN"),
        ("product_id=not-a-uuid", "product_id", "not-a-uuid"),
    ],
)
def test_list_rejects_bad_filter_value(api, workspace, product, query, parameter, value):
    response = api.get(f"/api/v1/conversations?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert list(body["fields"]) == [parameter]
    assert value in body["fields"][parameter]


def test_list_rejects_unknown_product(api, workspace, product):
    missing = uuid.uuid4()

    response = api.get(f"/api/v1/conversations?product_id={product.pk},{missing}")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert str(missing) in response.json()["fields"]["product_id"]


def test_list_rejects_other_workspace_product(api, workspace, product, other_product):
    missing_id = uuid.uuid4()

    missing = api.get(f"/api/v1/conversations?product_id={missing_id}")
    foreign = api.get(f"/api/v1/conversations?product_id={other_product.pk}")

    assert foreign.status_code == 400
    assert missing.json()["fields"]["product_id"] == f"No product with id {missing_id} in the workspace."
    assert foreign.json()["fields"]["product_id"] == f"No product with id {other_product.pk} in the workspace."


# Key lookup, product check, count, page. The key's last_used_at write is
# skipped because the warm-up request has just refreshed it.
LIST_QUERIES = 4


def test_list_query_count_is_fixed(api, workspace, product, django_assert_num_queries):
    for _ in range(5):
        make_conversation(workspace, product)
    api.get("/api/v1/me")

    for size in (1, 5):
        with django_assert_num_queries(LIST_QUERIES):
            response = api.get(f"/api/v1/conversations?limit={size}&product_id={product.pk}&status=open")
        assert len(response.json()["data"]) == size


def test_list_needs_key(anonymous_api):
    response = anonymous_api.get("/api/v1/conversations")

    assert response.status_code == 401


def test_list_rejects_too_many_filter_values(api):
    response = api.get("/api/v1/conversations?status=" + ",".join(["open"] * 101))

    assert response.status_code == 400
    assert "at most 100" in response.json()["fields"]["status"]


def test_list_joins_repeated_filter(api, workspace, product):
    open_one = make_conversation(workspace, product, status="open")
    resolved = make_conversation(workspace, product, status="resolved")
    make_conversation(workspace, product, status="dismissed")

    response = api.get("/api/v1/conversations?status=open&status=resolved")

    assert listed_ids(response) == [str(resolved.pk), str(open_one.pk)]


def test_list_names_every_bad_value(api):
    response = api.get("/api/v1/conversations?type=bug,ticket,question")

    message = response.json()["fields"]["type"]
    assert "'bug'" in message
    assert "'question'" in message
    assert "'ticket'" not in message
