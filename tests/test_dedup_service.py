"""The deduplicating create service: provenance, linking, fallbacks and races."""

import threading

import httpx2
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conversations.models import Conversation
from issues import services as issue_services
from issues.dedup import anthropic_matcher, services
from issues.dedup.local_matcher import LocalMatcher
from issues.dedup.models import IssueApiSource
from issues.models import Issue
from tests.anthropic_stub import StubApi, error_body, same_title_oracle, shown_candidates, tool_answer
from workspaces.services import product_create


@pytest.fixture
def anthropic_api(settings, monkeypatch):
    """Configure a key and route the SDK to a StubApi; set `.respond` to script it."""
    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    settings.ANTHROPIC_MODEL = "claude-haiku-5-5"
    settings.ANTHROPIC_MAX_RETRIES = 0
    api = StubApi(same_title_oracle)
    monkeypatch.setattr(anthropic_matcher, "shared_http_client", api.http_client)
    return api


@pytest.fixture
def no_key(settings):
    settings.ANTHROPIC_API_KEY = None


def create_or_match(workspace, product, title, **fields):
    body = {"product_id": str(product.pk), "title": title, **fields.pop("body", {})}
    return services.issue_create_or_match(
        workspace=workspace, api_key=None, request_body=body, product=product, title=title, **fields
    )


def make_issue(workspace, product, title, **fields):
    return issue_services.issue_create(workspace=workspace, product=product, title=title, **fields)


def test_first_call_creates_with_local_provenance(workspace, product, api_key, no_key):
    body = {"product_id": str(product.pk), "title": "Export button is grey"}
    issue, source = services.issue_create_or_match(
        workspace=workspace, api_key=api_key, request_body=body, product=product, title="Export button is grey"
    )

    assert issue.title == "Export button is grey"
    assert source.outcome == IssueApiSource.Outcome.CREATED
    assert source.issue == issue
    assert source.api_key == api_key
    assert source.workspace == workspace
    assert source.product == product
    assert source.request_body == body
    assert source.matcher == "local"
    assert source.fallback_reason == services.NO_API_KEY
    assert source.matching_ms >= 0


def test_same_title_matches_and_links_conversations(workspace, product, no_key):
    first, _ = create_or_match(workspace, product, "Export button is grey")
    conversation = Conversation.objects.create(workspace=workspace, product=product, subject="Grey button")
    before = Issue.objects.get(pk=first.pk)

    second, source = create_or_match(
        workspace, product, "export button is GREY!", description="Other text", conversations=[conversation]
    )

    assert second.pk == first.pk
    assert source.outcome == IssueApiSource.Outcome.MATCHED
    assert source.confidence >= 0.85
    assert list(second.conversations.all()) == [conversation]
    after = Issue.objects.get(pk=first.pk)
    assert after.description is None
    assert after.updated_at == before.updated_at
    assert Issue.objects.count() == 1
    assert IssueApiSource.objects.count() == 2


def test_closed_issues_are_not_candidates(workspace, product, no_key):
    make_issue(workspace, product, "Export button is grey", status="done")
    issue, source = create_or_match(workspace, product, "Export button is grey")

    assert source.outcome == IssueApiSource.Outcome.CREATED
    assert Issue.objects.count() == 2
    assert issue.status == "pending"


def test_created_issue_takes_create_fields(workspace, product, agent, no_key):
    issue, _ = create_or_match(workspace, product, "Brand new", status="icebox", priority="high", assignee=agent)
    assert (issue.status, issue.priority, issue.assignee) == ("icebox", "high", agent)


def test_conversation_of_other_product_fails_before_matching(workspace, product, anthropic_api):
    other = product_create(workspace=workspace, name="Other")
    make_issue(workspace, product, "Something open")
    conversation = Conversation.objects.create(workspace=workspace, product=other)

    with pytest.raises(ValidationError) as caught:
        create_or_match(workspace, product, "Something open", conversations=[conversation])
    assert "conversation_ids" in caught.value.message_dict
    assert anthropic_api.requests == []
    assert IssueApiSource.objects.count() == 0


def test_anthropic_matches_a_translation(workspace, product, anthropic_api):
    original = make_issue(workspace, product, "Password reset email never arrives")
    make_issue(workspace, product, "Dark mode toggle does not persist")
    anthropic_api.respond = lambda body: tool_answer(original.shortcode, 0.95, "Same problem, in German.")

    issue, source = create_or_match(workspace, product, "E-Mail zum Zurücksetzen des Passworts kommt nie an")

    assert issue == original
    assert source.matcher == "claude-haiku-5-5"
    assert source.reason == "Same problem, in German."
    assert source.confidence == 0.95
    assert source.fallback_reason is None
    shown = [candidate["shortcode"] for candidate in shown_candidates(anthropic_api.requests[0]["body"])]
    assert sorted(shown) == sorted(Issue.objects.values_list("shortcode", flat=True))


def test_api_error_falls_back_to_local(workspace, product, anthropic_api):
    original = make_issue(workspace, product, "Password reset email never arrives")
    anthropic_api.respond = lambda body: httpx2.Response(500, json=error_body(500))

    issue, source = create_or_match(workspace, product, "PASSWORD RESET EMAIL NEVER ARRIVES")

    assert issue == original
    assert source.matcher == "local"
    assert source.fallback_reason == "API error: HTTP 500"


def test_no_candidates_skips_the_model(workspace, product, anthropic_api):
    issue, source = create_or_match(workspace, product, "First issue")

    assert anthropic_api.requests == []
    assert source.outcome == IssueApiSource.Outcome.CREATED
    assert source.matcher == "claude-haiku-5-5"


def test_candidates_are_the_most_recent(workspace, product, anthropic_api, settings):
    settings.DEDUP_MAX_CANDIDATES = 2
    for number in range(4):
        make_issue(workspace, product, f"Old issue {number}")
    create_or_match(workspace, product, "Something else")

    shown = [candidate["title"] for candidate in shown_candidates(anthropic_api.requests[0]["body"])]
    assert shown == ["Old issue 3", "Old issue 2"]


def test_issue_created_while_matching_is_rechecked(workspace, product, anthropic_api):
    make_issue(workspace, product, "Unrelated open issue")
    racer = {}

    def respond(body):
        # The first request imitates a concurrent call that creates the same
        # issue while the model decides; the second must show only that issue.
        if not racer:
            racer["issue"] = make_issue(workspace, product, "Checkout page is blank")
            return tool_answer(None)
        return same_title_oracle(body)

    anthropic_api.respond = respond
    issue, source = create_or_match(workspace, product, "Checkout page is blank")

    assert issue == racer["issue"]
    assert source.outcome == IssueApiSource.Outcome.MATCHED
    assert len(anthropic_api.requests) == 2
    second_shown = shown_candidates(anthropic_api.requests[1]["body"])
    assert [candidate["shortcode"] for candidate in second_shown] == [racer["issue"].shortcode]


def test_endless_race_is_settled_locally(workspace, product, anthropic_api):
    make_issue(workspace, product, "Unrelated open issue")

    def respond(body):
        make_issue(workspace, product, f"Newcomer {len(anthropic_api.requests)}")
        return tool_answer(None)

    anthropic_api.respond = respond
    issue, source = create_or_match(workspace, product, "Checkout page is blank")

    assert len(anthropic_api.requests) == services.MAX_RECHECK_ROUNDS + 1
    assert source.outcome == IssueApiSource.Outcome.CREATED
    assert source.matcher == "local"
    assert source.fallback_reason == services.RACE_FALLBACK
    assert issue.title == "Checkout page is blank"


def test_explicit_local_matcher_records_no_fallback(workspace, product, anthropic_api):
    make_issue(workspace, product, "Checkout page is blank")
    issue, source = create_or_match(workspace, product, "Checkout page is blank", matcher=LocalMatcher())

    assert anthropic_api.requests == []
    assert source.matcher == "local"
    assert source.fallback_reason is None
    assert source.outcome == IssueApiSource.Outcome.MATCHED


@pytest.mark.django_db(transaction=True)
def test_model_is_asked_outside_any_transaction(workspace, product, anthropic_api):
    make_issue(workspace, product, "Unrelated open issue")
    seen = []

    def respond(body):
        seen.append(connection.in_atomic_block)
        return tool_answer(None)

    anthropic_api.respond = respond
    create_or_match(workspace, product, "Checkout page is blank")

    assert seen == [False]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_same_title_creates_one_issue(workspace, product, anthropic_api):
    make_issue(workspace, product, "Unrelated open issue")
    anthropic_api.delay = 0.5
    barrier = threading.Barrier(2)
    results, errors = [], []

    def call():
        try:
            barrier.wait()
            results.append(create_or_match(workspace, product, "Checkout page is blank"))
        except Exception as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Issue.objects.filter(title="Checkout page is blank").count() == 1
    outcomes = sorted(source.outcome for _, source in results)
    assert outcomes == ["created", "matched"]
    assert results[0][0].pk == results[1][0].pk


def test_recheck_skips_issues_already_shown(workspace, product):
    shown = make_issue(workspace, product, "Shown to the matcher")
    # A counter read before `shown` committed: it is both a candidate and above the counter.
    snapshot = services.take_snapshot(product=product, counter=0)
    newcomer = make_issue(workspace, product, "Created afterwards")

    recheck = services.take_snapshot(product=product, after_number=snapshot.counter, seen=snapshot)

    assert [candidate.title for candidate in snapshot.candidates] == [shown.title]
    assert [candidate.title for candidate in recheck.candidates] == [newcomer.title]
