"""POST /api/v1/issues/maybe: the deduplicating create over HTTP."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from issues.dedup import anthropic_matcher, services
from issues.dedup.models import IssueApiSource
from issues.models import Issue
from tests.anthropic_stub import StubApi, proposed_title, same_title_oracle, tool_answer
from tests.issue_helpers import make_conversation, make_issue
from workspaces.services import product_create

MAYBE = "/api/v1/issues/maybe"


@pytest.fixture
def no_key(settings):
    settings.ANTHROPIC_API_KEY = None


@pytest.fixture
def anthropic_api(settings, monkeypatch):
    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    settings.ANTHROPIC_MODEL = "claude-haiku-5-5"
    settings.ANTHROPIC_MAX_RETRIES = 0
    api = StubApi(same_title_oracle)
    monkeypatch.setattr(anthropic_matcher, "shared_http_client", api.http_client)
    return api


def post(client, body, path=MAYBE):
    return client.post(path, body, format="json")


def test_same_title_twice_creates_then_matches(api, product, no_key):
    body = {"product_id": str(product.pk), "title": "Export to CSV times out"}
    first = post(api, body)
    second = post(api, body)

    assert first.status_code == 201
    assert first.json()["matched_existing"] is False
    assert second.status_code == 200
    assert second.json()["matched_existing"] is True
    assert second.json()["data"]["id"] == first.json()["data"]["id"]
    assert Issue.objects.count() == 1

    sources = IssueApiSource.objects.order_by("created_at")
    assert [str(source.pk) for source in sources] == [first.json()["api_source_id"], second.json()["api_source_id"]]
    assert [source.outcome for source in sources] == ["created", "matched"]
    assert {source.matcher for source in sources} == {"local"}
    assert {source.fallback_reason for source in sources} == {services.NO_API_KEY}
    assert sources[1].request_body == body


def test_data_has_the_shape_of_get(api, product, no_key):
    created = post(api, {"product_id": str(product.pk), "title": "Export to CSV times out"}).json()
    matched = post(api, {"product_id": str(product.pk), "title": "export to csv times out!"}).json()
    fetched = api.get(f"/api/v1/issues/{created['data']['id']}").json()

    assert created["data"] == fetched["data"]
    assert matched["data"] == fetched["data"]
    assert set(created) == {"data", "matched_existing", "api_source_id"}


def test_match_links_conversations_and_changes_nothing_else(api, product, agent, no_key):
    issue = make_issue(product, "Export to CSV times out")
    conversation = make_conversation(product)

    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "Export to CSV times out",
            "description": "New words",
            "priority": "urgent",
            "assignee_id": str(agent.pk),
            "conversation_ids": [str(conversation.pk)],
        },
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["id"] for item in data["conversations"]] == [str(conversation.pk)]
    issue.refresh_from_db()
    assert issue.description is None
    assert issue.priority == "normal"
    assert issue.assignee is None
    assert data["updated_at"] == api.get(f"/api/v1/issues/{issue.pk}").json()["data"]["updated_at"]


def test_created_issue_takes_the_body(api, product, owner, no_key):
    conversation = make_conversation(product)
    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "  Brand new problem  ",
            "status": "icebox",
            "priority": "high",
            "assignee_id": "me",
            "conversation_ids": [str(conversation.pk)],
        },
    )

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["title"] == "Brand new problem"
    assert (data["status"], data["priority"], data["assignee_id"]) == ("icebox", "high", str(owner.pk))
    assert [item["id"] for item in data["conversations"]] == [str(conversation.pk)]


INVALID_BODIES = [
    {},
    {"title": "No product"},
    {"product_id": "not-a-uuid", "title": "x"},
    {"product_id": "{product}", "title": "   "},
    {"product_id": "{product}", "title": "x" * 501},
    {"product_id": "{product}", "title": "x", "status": "released"},
    {"product_id": "{product}", "title": "x", "priority": "asap"},
    {"product_id": "{product}", "title": "x", "assignee_id": "someone"},
    {"product_id": "{product}", "title": "x", "assignee_id": "00000000-0000-0000-0000-000000000000"},
    {"product_id": "{product}", "title": "x", "conversation_ids": ["00000000-0000-0000-0000-000000000000"]},
    {"product_id": "{product}", "title": "x", "stauts": "pending"},
    {"product_id": "{other_product}", "title": "x"},
]


@pytest.mark.parametrize("template", INVALID_BODIES)
def test_invalid_body_fails_like_post_issues(api, product, other_product, anthropic_api, template):
    make_issue(product, "x")
    body = {
        key: value.format(product=product.pk, other_product=other_product.pk) if isinstance(value, str) else value
        for key, value in template.items()
    }
    expected = post(api, body, path="/api/v1/issues")
    response = post(api, body)

    assert expected.status_code == 400
    assert response.status_code == 400
    assert response.json() == expected.json()
    assert anthropic_api.requests == []
    assert IssueApiSource.objects.count() == 0
    assert Issue.objects.count() == 1


def test_conversation_of_other_product_fails(api, workspace, product, anthropic_api):
    other = product_create(workspace=workspace, name="Second product")
    conversation = make_conversation(other)
    response = post(api, {"product_id": str(product.pk), "title": "x", "conversation_ids": [str(conversation.pk)]})

    assert response.status_code == 400
    assert "conversation_ids" in response.json()["fields"]
    assert IssueApiSource.objects.count() == 0


def test_non_json_body_is_rejected(api, product, no_key):
    response = api.post(MAYBE, "title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_read_only_key_is_forbidden(read_only_api, product, no_key):
    response = post(read_only_api, {"product_id": str(product.pk), "title": "x"})
    assert response.status_code == 403
    assert Issue.objects.count() == 0


def test_anonymous_is_unauthorized(anonymous_api, product, no_key):
    response = post(anonymous_api, {"product_id": str(product.pk), "title": "x"})
    assert response.status_code == 401


def test_other_workspace_issues_are_not_candidates(api, other_api, product, other_product, no_key):
    post(other_api, {"product_id": str(other_product.pk), "title": "Export to CSV times out"})
    response = post(api, {"product_id": str(product.pk), "title": "Export to CSV times out"})

    assert response.status_code == 201
    assert IssueApiSource.objects.filter(workspace=product.workspace).count() == 1


def test_get_is_not_an_issue_lookup(api, product, no_key):
    response = api.get(MAYBE)
    assert response.status_code == 405


def test_actions_alias_is_deprecated(api, product, no_key):
    response = post(
        api, {"product_id": str(product.pk), "title": "Export to CSV times out"}, path="/api/v1/actions/maybe"
    )
    assert response.status_code == 201
    assert response["Deprecation"] == "true"
    assert response["Link"] == '</api/v1/issues/maybe>; rel="successor-version"'


def test_anthropic_matches_a_translated_title(api, product, anthropic_api):
    original = make_issue(product, "Password reset email never arrives")
    make_issue(product, "Dark mode toggle does not persist")
    anthropic_api.respond = lambda body: tool_answer(original.shortcode, 0.97, "German for the reset email issue.")

    response = post(api, {"product_id": str(product.pk), "title": "E-Mail zum Zurücksetzen des Passworts kommt nie an"})

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(original.pk)
    source = IssueApiSource.objects.get(pk=response.json()["api_source_id"])
    assert source.matcher == "claude-haiku-5-5"
    assert source.reason == "German for the reset email issue."
    assert source.fallback_reason is None
    request = anthropic_api.requests[0]["body"]
    assert request["model"] == "claude-haiku-5-5"
    assert proposed_title(request) == "E-Mail zum Zurücksetzen des Passworts kommt nie an"


def test_invented_shortcode_falls_back_to_local(api, product, anthropic_api):
    make_issue(product, "Password reset email never arrives")
    anthropic_api.respond = lambda body: tool_answer("GET-999")

    response = post(api, {"product_id": str(product.pk), "title": "A different problem"})

    assert response.status_code == 201
    source = IssueApiSource.objects.get(pk=response.json()["api_source_id"])
    assert source.matcher == "local"
    assert source.fallback_reason.startswith("invalid response")


@pytest.mark.django_db(transaction=True)
def test_nul_in_ignored_field_is_stored(api, product, no_key):
    response = post(
        api, {"product_id": str(product.pk), "title": "x", "id": "a\u0000b", "created_at": {"n\u0000": ["\u0000"]}}
    )

    assert response.status_code == 201
    source = IssueApiSource.objects.get(pk=response.json()["api_source_id"])
    assert source.request_body["title"] == "x"
    assert source.request_body["id"] == "a\ufffdb"
    assert "\u0000" not in str(source.request_body)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_create_one_issue(key_and_secret, product, anthropic_api):
    make_issue(product, "Unrelated open issue")
    anthropic_api.delay = 0.5
    barrier = threading.Barrier(2)
    responses = []

    def call():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key_and_secret[1]}")
        barrier.wait()
        try:
            responses.append(post(client, {"product_id": str(product.pk), "title": "Checkout page is blank"}))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(response.status_code for response in responses) == [200, 201]
    assert Issue.objects.filter(title="Checkout page is blank").count() == 1
    assert len({response.json()["data"]["id"] for response in responses}) == 1


def test_openapi_documents_both_outcomes(anonymous_api, db):
    spec = anonymous_api.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/issues/maybe"]["post"]
    alias = spec["paths"]["/api/v1/actions/maybe"]["post"]

    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/IssueCreateRequest")
    for status in ("200", "201"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/IssueMaybeResponse"}
    assert {"400", "401", "403", "429"} <= set(operation["responses"])
    body = spec["components"]["schemas"]["IssueMaybeResponse"]
    assert set(body["properties"]) == {"data", "matched_existing", "api_source_id"}
    assert body["properties"]["data"] == {"$ref": "#/components/schemas/IssueDetail"}
    assert alias["deprecated"] is True
    assert not operation.get("deprecated", False)


def test_llms_txt_documents_maybe(anonymous_api, db):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()
    assert "POST /api/v1/issues/maybe" in text
    assert "matched_existing" in text
    assert "api_source_id" in text


def test_match_query_count_is_flat(api, product, no_key):
    make_issue(product, "Export to CSV times out")
    conversations = [str(make_conversation(product).pk) for _ in range(4)]
    # The first request of a key records last_used_at; keep that write out of the counts.
    api.get("/api/v1/me")
    counts = []
    for linked in (conversations[:1], conversations[1:]):
        with CaptureQueriesContext(connection) as queries:
            response = post(
                api, {"product_id": str(product.pk), "title": "Export to CSV times out", "conversation_ids": linked}
            )
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
