import uuid

import pytest

from issues.models import Issue
from tests.issue_helpers import make_conversation, make_issue

ISSUE_FIELDS = {
    "id",
    "shortcode",
    "product_id",
    "title",
    "description",
    "status",
    "priority",
    "assignee_id",
    "resolution_comment",
    "created_at",
    "updated_at",
}


def create(api, **body):
    return api.post("/api/v1/issues", body, format="json")


# Create


def test_create_applies_defaults(api, product):
    response = create(api, product_id=str(product.pk), title="  Login button does nothing  ")

    assert response.status_code == 201
    data = response.json()["data"]
    assert set(data) == ISSUE_FIELDS | {"conversations"}
    assert data["shortcode"] == "GET-001"
    assert data["title"] == "Login button does nothing"
    assert data["status"] == "pending"
    assert data["priority"] == "normal"
    assert data["assignee_id"] is None
    assert data["description"] is None
    assert data["resolution_comment"] is None
    assert data["product_id"] == str(product.pk)
    assert data["conversations"] == []


def test_create_with_every_field(api, product, agent):
    conversation = make_conversation(product)

    response = create(
        api,
        product_id=str(product.pk),
        title="Crash on save",
        description="Steps: open, save.",
        status="in_progress",
        priority="urgent",
        assignee_id=str(agent.pk),
        resolution_comment="Looking into it",
        conversation_ids=[str(conversation.pk)],
    )

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["status"] == "in_progress"
    assert data["priority"] == "urgent"
    assert data["assignee_id"] == str(agent.pk)
    assert data["description"] == "Steps: open, save."
    assert data["resolution_comment"] == "Looking into it"
    assert [c["id"] for c in data["conversations"]] == [str(conversation.pk)]
    assert Issue.objects.get(pk=data["id"]).conversations.get() == conversation


@pytest.mark.parametrize("status", ["pending", "in_progress", "done", "icebox", "dismissed"])
def test_create_accepts_status(api, product, status):
    response = create(api, product_id=str(product.pk), title="T", status=status)

    assert response.status_code == 201
    assert response.json()["data"]["status"] == status


def test_create_rejects_released(api, product):
    response = create(api, product_id=str(product.pk), title="T", status="released")

    assert response.status_code == 400
    assert "status" in response.json()["fields"]
    assert not Issue.objects.exists()


def test_create_assigns_me(api, product, owner):
    response = create(api, product_id=str(product.pk), title="T", assignee_id="me")

    assert response.status_code == 201
    assert response.json()["data"]["assignee_id"] == str(owner.pk)


def test_create_me_without_member(memberless_api, product):
    response = create(memberless_api, product_id=str(product.pk), title="T", assignee_id="me")

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert set(body["fields"]) == {"assignee_id"}
    assert not Issue.objects.exists()


def test_create_memberless_key_without_me(memberless_api, product):
    response = create(memberless_api, product_id=str(product.pk), title="T")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T"}, "product_id"),
        ({"product_id": "nope", "title": "T"}, "product_id"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": None}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "T", "description": "a\x00b"}, "description"),
        ({"title": "T", "description": "x" * 20_001}, "description"),
        ({"title": "T", "resolution_comment": "x" * 10_001}, "resolution_comment"),
        ({"title": "T", "status": "bogus"}, "status"),
        ({"title": "T", "priority": "critical"}, "priority"),
        ({"title": "T", "assignee_id": "someone"}, "assignee_id"),
        ({"title": "T", "assignee_id": 5}, "assignee_id"),
        ({"title": "T", "conversation_ids": ["nope"]}, "conversation_ids"),
        ({"title": "T", "conversation_ids": "abc"}, "conversation_ids"),
        ({"title": "T", "stauts": "done"}, "stauts"),
    ],
)
def test_create_rejects_invalid_field(api, product, body, field):
    body = {"product_id": str(product.pk), **body} if field != "product_id" else body

    response = api.post("/api/v1/issues", body, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not Issue.objects.exists()


def test_create_accepts_max_lengths(api, product):
    response = create(
        api,
        product_id=str(product.pk),
        title="x" * 500,
        description="d" * 20_000,
        resolution_comment="r" * 10_000,
    )

    assert response.status_code == 201


def test_create_ignores_read_only_fields(api, product):
    response = create(api, product_id=str(product.pk), title="T", id=str(uuid.uuid4()), shortcode="ZZZ-999")

    assert response.status_code == 201
    assert response.json()["data"]["shortcode"] == "GET-001"


def test_create_rejects_unknown_product(api, product):
    response = create(api, product_id=str(uuid.uuid4()), title="T")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"product_id"}


def test_create_rejects_other_workspace_product(api, product, other_product):
    response = create(api, product_id=str(other_product.pk), title="T")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"product_id"}
    assert not Issue.objects.exists()


def test_create_rejects_other_workspace_assignee(api, product, other_member):
    response = create(api, product_id=str(product.pk), title="T", assignee_id=str(other_member.pk))

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"assignee_id"}


def test_create_rejects_other_workspace_conversation(api, product, other_product):
    foreign = make_conversation(other_product)

    response = create(api, product_id=str(product.pk), title="T", conversation_ids=[str(foreign.pk)])

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"conversation_ids"}
    assert str(foreign.pk) in response.json()["fields"]["conversation_ids"]
    assert not Issue.objects.exists()


def test_create_rejects_other_product_conversation(api, product, workspace):
    from workspaces import services as workspace_services

    sibling = workspace_services.product_create(workspace=workspace, name="Sibling")
    conversation = make_conversation(sibling)

    response = create(api, product_id=str(product.pk), title="T", conversation_ids=[str(conversation.pk)])

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"conversation_ids"}
    assert not Issue.objects.exists()


def test_create_read_only_key_forbidden(read_only_api, product):
    response = create(read_only_api, product_id=str(product.pk), title="T")

    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"
    assert not Issue.objects.exists()


def test_create_without_key_unauthorized(anonymous_api, product):
    response = create(anonymous_api, product_id=str(product.pk), title="T")

    assert response.status_code == 401


# Retrieve


def test_retrieve_by_uuid(api, product):
    issue = make_issue(product)

    response = api.get(f"/api/v1/issues/{issue.pk}")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(issue.pk)


@pytest.mark.parametrize("ref", ["GET-001", "get-001", "Get-001"])
def test_retrieve_by_shortcode_any_case(api, product, ref):
    issue = make_issue(product)

    response = api.get(f"/api/v1/issues/{ref}")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(issue.pk)


def test_retrieve_lists_conversations_without_messages(api, product):
    conversation = make_conversation(product, type="idea", source="chat", customer_name="Cleo")
    issue = make_issue(product, conversations=[conversation])

    response = api.get(f"/api/v1/issues/{issue.shortcode}")

    linked = response.json()["data"]["conversations"]
    assert len(linked) == 1
    assert set(linked[0]) == {
        "id",
        "product_id",
        "type",
        "status",
        "priority",
        "source",
        "subject",
        "customer_name",
        "customer_email",
        "created_at",
        "updated_at",
        "last_message_at",
    }
    assert linked[0]["id"] == str(conversation.pk)
    assert linked[0]["type"] == "idea"
    assert linked[0]["source"] == "chat"
    assert linked[0]["customer_name"] == "Cleo"


@pytest.mark.parametrize("ref", ["not-a-uuid", "GET-", "12345", "GET-001-2", "%20", "G%C3%A9T-001"])
def test_retrieve_malformed_id_not_found(api, product, ref):
    make_issue(product)

    response = api.get(f"/api/v1/issues/{ref}")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_retrieve_unknown_shortcode_not_found(api, product):
    make_issue(product)

    response = api.get("/api/v1/issues/GET-002")

    assert response.status_code == 404


def test_retrieve_other_workspace_issue_not_found(api, other_product):
    foreign = make_issue(other_product)

    by_uuid = api.get(f"/api/v1/issues/{foreign.pk}")
    by_shortcode = api.get(f"/api/v1/issues/{foreign.shortcode}")

    assert by_uuid.status_code == 404
    assert by_shortcode.status_code == 404
    assert by_uuid.json() == by_shortcode.json()


def test_retrieve_lists_conversations_newest_first(api, product):
    older = make_conversation(product, subject="older")
    newer = make_conversation(product, subject="newer")
    issue = make_issue(product, conversations=[older, newer])

    response = api.get(f"/api/v1/issues/{issue.pk}")

    assert [c["subject"] for c in response.json()["data"]["conversations"]] == ["newer", "older"]


def test_retrieve_query_count_is_fixed(api, product, django_assert_num_queries):
    conversations = [make_conversation(product, subject=f"S{i}") for i in range(5)]
    issue = make_issue(product, conversations=conversations)
    api.get("/api/v1/me")  # records key use, so the counted request writes nothing

    # key lookup, issue, its conversations
    with django_assert_num_queries(3):
        response = api.get(f"/api/v1/issues/{issue.shortcode}")

    assert len(response.json()["data"]["conversations"]) == 5


# Update


def test_patch_changes_fields(api, product, agent):
    issue = make_issue(product)

    response = api.patch(
        f"/api/v1/issues/{issue.shortcode}",
        {
            "title": " New title ",
            "description": "More detail",
            "priority": "high",
            "assignee_id": str(agent.pk),
            "resolution_comment": "fixed in v2.4",
        },
        format="json",
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["title"] == "New title"
    assert data["description"] == "More detail"
    assert data["priority"] == "high"
    assert data["assignee_id"] == str(agent.pk)
    assert data["resolution_comment"] == "fixed in v2.4"
    issue.refresh_from_db()
    assert issue.resolution_comment == "fixed in v2.4"


def test_patch_clears_nullable_fields(api, product, agent):
    issue = make_issue(product, assignee=agent, description="d", resolution_comment="r")

    response = api.patch(
        f"/api/v1/issues/{issue.pk}",
        {"assignee_id": None, "description": None, "resolution_comment": None},
        format="json",
    )

    data = response.json()["data"]
    assert data["assignee_id"] is None
    assert data["description"] is None
    assert data["resolution_comment"] is None


def test_patch_assigns_me(api, product, owner):
    issue = make_issue(product)

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"assignee_id": "me"}, format="json")

    assert response.json()["data"]["assignee_id"] == str(owner.pk)


def test_patch_me_without_member(memberless_api, product, agent):
    issue = make_issue(product, assignee=agent)

    response = memberless_api.patch(f"/api/v1/issues/{issue.pk}", {"assignee_id": "me"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"assignee_id"}
    issue.refresh_from_db()
    assert issue.assignee == agent


def test_patch_rejects_other_workspace_assignee(api, product, other_member):
    issue = make_issue(product)

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"assignee_id": str(other_member.pk)}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"assignee_id"}


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": None},
        {"priority": "critical"},
        {"status": "closed"},
        {"resolution_comment": "x" * 10_001},
        {"product_id": None, "stauts": "done"},
        {"conversation_ids": []},
    ],
)
def test_patch_rejects_invalid_body(api, product, body):
    issue = make_issue(product)

    response = api.patch(f"/api/v1/issues/{issue.pk}", body, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    issue.refresh_from_db()
    assert issue.title == "Login button does nothing"


def test_patch_failed_transition_writes_nothing(api, product):
    issue = make_issue(product, status="dismissed")

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"status": "pending", "title": "Changed"}, format="json")

    assert response.status_code == 400
    issue.refresh_from_db()
    assert issue.title == "Login button does nothing"


def test_patch_read_only_key_forbidden(read_only_api, product):
    issue = make_issue(product)

    response = read_only_api.patch(f"/api/v1/issues/{issue.pk}", {"status": "done"}, format="json")

    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == "pending"


def test_patch_other_workspace_issue_not_found(api, other_product):
    foreign = make_issue(other_product)

    by_uuid = api.patch(f"/api/v1/issues/{foreign.pk}", {"status": "done"}, format="json")
    by_shortcode = api.patch(f"/api/v1/issues/{foreign.shortcode}", {"status": "done"}, format="json")

    assert by_uuid.status_code == 404
    assert by_shortcode.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "pending"


def test_read_only_key_can_read(read_only_api, product):
    issue = make_issue(product)

    assert read_only_api.get("/api/v1/issues").status_code == 200
    assert read_only_api.get(f"/api/v1/issues/{issue.shortcode}").status_code == 200


def test_delete_not_allowed(api, product):
    issue = make_issue(product)

    response = api.delete(f"/api/v1/issues/{issue.pk}")

    assert response.status_code == 405
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_quick_start_flow(api, product):
    conversation = make_conversation(product)
    created = api.post(
        "/api/v1/issues",
        {"product_id": str(product.pk), "title": "Export is slow", "conversation_ids": [str(conversation.pk)]},
        format="json",
    ).json()["data"]

    pending = api.get("/api/v1/issues?status=pending").json()["data"]
    started = api.patch(f"/api/v1/issues/{created['shortcode']}", {"status": "in_progress"}, format="json")
    done = api.patch(f"/api/v1/issues/{created['id']}", {"status": "done"}, format="json")
    noted = api.patch(f"/api/v1/issues/{created['id']}", {"resolution_comment": "fixed in v2.4"}, format="json")
    detail = api.get(f"/api/v1/issues/{created['shortcode']}").json()["data"]

    assert [issue["id"] for issue in pending] == [created["id"]]
    assert started.json()["data"]["status"] == "in_progress"
    assert done.json()["data"]["status"] == "done"
    assert noted.json()["data"]["resolution_comment"] == "fixed in v2.4"
    assert detail["status"] == "done"
    assert [c["id"] for c in detail["conversations"]] == [str(conversation.pk)]


def test_options_describes_create_body(api):
    response = api.options("/api/v1/issues")

    post = response.json()["actions"]["POST"]
    assert "conversation_ids" in post
    assert "shortcode" not in post


def test_blank_optional_text_is_stored_as_null(api, product):
    created = create(api, product_id=str(product.pk), title="Blank texts", description="   ", resolution_comment="")
    shortcode = created.json()["data"]["shortcode"]
    patched = api.patch(f"/api/v1/issues/{shortcode}", {"description": "\n\t"}, format="json")

    assert created.status_code == 201
    assert created.json()["data"]["description"] is None
    assert created.json()["data"]["resolution_comment"] is None
    assert patched.status_code == 200
    assert patched.json()["data"]["description"] is None
