import pytest

from conversations import services
from issues.services import issue_create
from tests.conversation_factories import conversation_url, make_conversation


@pytest.fixture
def conversation(workspace, product):
    return make_conversation(workspace, product, subject="Export broken", customer_email="cleo@example.com")


def test_detail_lists_messages_oldest_first(api, conversation, owner):
    first_reply = services.message_create(conversation=conversation, body="Looking into it.", author_member=owner)
    second_reply = services.message_create(conversation=conversation, body="Fixed now.", author_member=None)

    response = api.get(conversation_url(conversation))

    assert response.status_code == 200
    messages = response.json()["data"]["messages"]
    assert [m["body"] for m in messages] == ["The export button does nothing.", "Looking into it.", "Fixed now."]
    assert messages[0]["author_type"] == "customer"
    assert messages[0]["author_member_id"] is None
    assert messages[0]["delivery_status"] == "not_applicable"
    assert messages[1] == {
        "id": str(first_reply.pk),
        "conversation_id": str(conversation.pk),
        "body": "Looking into it.",
        "author_type": "agent",
        "author_member_id": str(owner.pk),
        "delivery_status": "pending",
        "created_at": messages[1]["created_at"],
    }
    assert messages[2]["id"] == str(second_reply.pk)


def test_detail_lists_linked_issues(api, workspace, product, conversation):
    issue = issue_create(workspace=workspace, product=product, title="Export fails", conversations=[conversation])

    response = api.get(conversation_url(conversation))

    assert response.json()["data"]["issues"] == [
        {"id": str(issue.pk), "shortcode": issue.shortcode, "title": "Export fails", "status": "pending"}
    ]


def test_detail_without_issues_is_empty_list(api, conversation):
    response = api.get(conversation_url(conversation))

    assert response.json()["data"]["issues"] == []


# Key lookup, conversation, messages, issues.
DETAIL_QUERIES = 4


def test_detail_query_count_is_fixed(api, workspace, product, owner, django_assert_num_queries):
    small = make_conversation(workspace, product)
    large = make_conversation(workspace, product)
    for number in range(10):
        services.message_create(conversation=large, body=f"Reply {number}", author_member=owner)
    for number in range(3):
        issue_create(workspace=workspace, product=product, title=f"Issue {number}", conversations=[large, small])
    api.get("/api/v1/me")

    for conversation, message_count in ((small, 1), (large, 11)):
        with django_assert_num_queries(DETAIL_QUERIES):
            response = api.get(conversation_url(conversation))
        assert len(response.json()["data"]["messages"]) == message_count
        assert len(response.json()["data"]["issues"]) == 3


def test_detail_of_other_workspace_is_not_found(api, other_workspace, other_product):
    foreign = make_conversation(other_workspace, other_product)

    response = api.get(conversation_url(foreign))

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_detail_with_malformed_id_is_not_found(api):
    response = api.get("/api/v1/conversations/not-a-uuid")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"
