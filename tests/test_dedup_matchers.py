"""The Anthropic matcher driven through the real SDK, and the local matcher."""

import logging

import httpx2
import pytest

from issues.dedup import services
from issues.dedup.anthropic_matcher import TOOL_NAME
from issues.dedup.local_matcher import MATCH_THRESHOLD, LocalMatcher, distinctive_words, normalise, similarity
from issues.dedup.matching import Candidate, MatcherUnavailable, Proposal
from tests.anthropic_stub import StubApi, error_body, message_body, proposed_title, shown_candidates, tool_answer

CANDIDATES = [
    Candidate("GET-001", "Password reset email never arrives", "No email shows up, not even in spam. " * 30),
    Candidate("GET-002", "Dark mode toggle does not persist after reload"),
    Candidate("GET-003", "Login with Google fails with error 400"),
]
PROPOSAL = Proposal("E-Mail zum Zurücksetzen des Passworts kommt nie an", "Seit gestern.")


# Anthropic matcher: the request


def test_request_names_model_tool_and_forced_choice():
    api = StubApi(lambda body: tool_answer(None))
    api.matcher(model="claude-haiku-5-5").match(PROPOSAL, CANDIDATES)

    assert len(api.requests) == 1
    request = api.requests[0]
    body = request["body"]
    assert request["url"].endswith("/v1/messages")
    assert request["headers"]["authorization"] == "Bearer sk-ant-test"
    assert body["model"] == "claude-haiku-5-5"
    assert [tool["name"] for tool in body["tools"]] == [TOOL_NAME]
    assert body["tool_choice"]["type"] == "tool"
    assert body["tool_choice"]["name"] == TOOL_NAME


def test_request_shows_every_candidate_in_cached_block():
    api = StubApi(lambda body: tool_answer(None))
    api.matcher().match(PROPOSAL, CANDIDATES)

    body = api.requests[0]["body"]
    shown = shown_candidates(body)
    assert [item["shortcode"] for item in shown] == ["GET-001", "GET-002", "GET-003"]
    assert shown[1]["title"] == "Dark mode toggle does not persist after reload"
    assert body["system"][-1]["cache_control"] == {"type": "ephemeral"}
    # The proposal stays out of the cached prefix.
    assert "Zurücksetzen" not in body["system"][-1]["text"]
    assert proposed_title(body) == PROPOSAL.title


def test_request_trims_long_descriptions():
    api = StubApi(lambda body: tool_answer(None))
    api.matcher().match(PROPOSAL, CANDIDATES)

    description = shown_candidates(api.requests[0]["body"])[0]["description"]
    assert len(description) <= 300
    assert description.endswith("…")


# Anthropic matcher: the answers


def test_match_returns_the_shortcode():
    api = StubApi(lambda body: tool_answer("GET-001", confidence=0.93, reason="Both are about the reset email."))
    decision = api.matcher().match(PROPOSAL, CANDIDATES)

    assert decision.shortcode == "GET-001"
    assert decision.confidence == 0.93
    assert decision.reason == "Both are about the reset email."


def test_null_shortcode_is_no_match():
    api = StubApi(lambda body: tool_answer(None, confidence=0.8, reason="A new problem."))
    decision = api.matcher().match(PROPOSAL, CANDIDATES)

    assert decision.shortcode is None
    assert decision.reason == "A new problem."


def test_shortcode_case_is_normalised():
    api = StubApi(lambda body: tool_answer(" get-003 "))
    assert api.matcher().match(PROPOSAL, CANDIDATES).shortcode == "GET-003"


def test_invented_shortcode_is_rejected():
    api = StubApi(lambda body: tool_answer("GET-999"))
    with pytest.raises(MatcherUnavailable) as caught:
        api.matcher().match(PROPOSAL, CANDIDATES)
    assert caught.value.reason.startswith("invalid response")
    assert "GET-999" in caught.value.reason


def test_answer_without_tool_call_is_rejected():
    api = StubApi(lambda body: message_body([{"type": "text", "text": "GET-001"}], stop_reason="end_turn"))
    with pytest.raises(MatcherUnavailable) as caught:
        api.matcher().match(PROPOSAL, CANDIDATES)
    assert caught.value.reason.startswith("invalid response: no report_duplicate tool call")


@pytest.mark.parametrize(
    "answer",
    [
        {"confidence": 0.9, "reason": "No shortcode key."},
        {"shortcode": 1, "confidence": 0.9, "reason": "Number."},
        {"shortcode": "GET-001", "confidence": "high", "reason": "Words."},
        {"shortcode": "GET-001", "confidence": 1.5, "reason": "Out of range."},
        {"shortcode": "GET-001", "confidence": True, "reason": "Boolean."},
        {"shortcode": "GET-001", "confidence": 0.9},
        {"shortcode": "GET-001", "confidence": 0.9, "reason": "  "},
    ],
)
def test_malformed_tool_input_is_rejected(answer):
    content = [{"type": "tool_use", "id": "toolu_01", "name": TOOL_NAME, "input": answer}]
    api = StubApi(lambda body: message_body(content))
    with pytest.raises(MatcherUnavailable) as caught:
        api.matcher().match(PROPOSAL, CANDIDATES)
    assert caught.value.reason.startswith("invalid response")


def test_call_to_another_tool_is_rejected():
    content = [{"type": "tool_use", "id": "toolu_01", "name": "other_tool", "input": {"shortcode": "GET-001"}}]
    api = StubApi(lambda body: message_body(content))
    with pytest.raises(MatcherUnavailable):
        api.matcher().match(PROPOSAL, CANDIDATES)


@pytest.mark.parametrize("status", [500, 529])
def test_server_error_is_unavailable(status):
    api = StubApi(lambda body: httpx2.Response(status, json=error_body(status)))
    with pytest.raises(MatcherUnavailable) as caught:
        api.matcher(max_retries=0).match(PROPOSAL, CANDIDATES)
    assert caught.value.reason == f"API error: HTTP {status}"
    assert len(api.requests) == 1


def test_overload_is_retried_as_configured():
    responses = iter(
        [
            httpx2.Response(529, json=error_body(529), headers={"retry-after-ms": "1"}),
            httpx2.Response(529, json=error_body(529), headers={"retry-after-ms": "1"}),
            httpx2.Response(200, json=tool_answer("GET-002")),
        ]
    )
    api = StubApi(lambda body: next(responses))
    decision = api.matcher(max_retries=2).match(PROPOSAL, CANDIDATES)

    assert decision.shortcode == "GET-002"
    assert len(api.requests) == 3


def test_timeout_is_unavailable():
    def time_out(request):
        raise httpx2.ReadTimeout("The read operation timed out", request=request)

    api = StubApi(lambda body: tool_answer(None))
    matcher = api.matcher()
    matcher.client = matcher.client.with_options(http_client=httpx2.Client(transport=httpx2.MockTransport(time_out)))
    with pytest.raises(MatcherUnavailable) as caught:
        matcher.match(PROPOSAL, CANDIDATES)
    assert caught.value.reason == "timed out: no response within 5s"


def test_connection_error_is_unavailable():
    def refuse(request):
        raise httpx2.ConnectError("Connection refused", request=request)

    api = StubApi(lambda body: tool_answer(None))
    matcher = api.matcher()
    matcher.client = matcher.client.with_options(http_client=httpx2.Client(transport=httpx2.MockTransport(refuse)))
    with pytest.raises(MatcherUnavailable) as caught:
        matcher.match(PROPOSAL, CANDIDATES)
    assert caught.value.reason.startswith("connection error")


# Local matcher


LOCAL_CANDIDATES = [
    *CANDIDATES,
    Candidate("GET-004", "App crashes when uploading a PNG larger than 10 MB"),
    Candidate("GET-005", "Webhook retries stop after the first failure"),
    Candidate("GET-006", "Keyboard shortcut Ctrl+K does not open search in Firefox"),
]


def test_normalise_strips_case_accents_and_punctuation():
    assert normalise("  Café-Login FAILS!!  (again) ") == "cafe login fails again"


def test_normalise_splits_numbers_from_units():
    assert normalise("Attachments over 25MB") == "attachments over 25 mb"


def test_distinctive_words_are_names_and_numbers():
    assert distinctive_words("Login with Google fails with error 400") == {"googl", "400"}
    assert distinctive_words("Invoice PDF shows EUR") == {"pdf", "eur"}


@pytest.mark.parametrize("title", ["PASSWORD RESET FAILS ON SAFARI", "Password Reset Fails On Safari"])
def test_distinctive_words_ignore_capitals_on_every_word(title):
    assert distinctive_words(title) == set()


@pytest.mark.parametrize(
    "title",
    [
        "PASSWORD RESET EMAIL NEVER ARRIVES!!!",
        "password-reset e-mail never arrives",
        "  Password reset email never arrives.  ",
        "Passwórd reset émail never arrives",
    ],
)
def test_local_matches_case_and_punctuation_noise(title):
    decision = LocalMatcher().match(Proposal(title), CANDIDATES)
    assert decision.shortcode == "GET-001"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("I never get the password reset email", "GET-001"),
        ("Dark mode toggle doesn't persist after a reload", "GET-002"),
        ("Error 400 when login with Google fails", "GET-003"),
        ("Uploading a PNG larger than 10MB crashed the app", "GET-004"),
        ("App crashing on PNG uploads larger than 10 MB", "GET-004"),
        ("Webhook retrying stops after first failures", "GET-005"),
        ("ctrl-k search shortcut not opening in firefox", "GET-006"),
    ],
)
def test_local_matches_rewordings_with_shared_words(title, expected):
    decision = LocalMatcher().match(Proposal(title), LOCAL_CANDIDATES)
    assert decision.shortcode == expected
    assert decision.confidence >= MATCH_THRESHOLD / 100


@pytest.mark.parametrize(
    "title",
    [
        "Login with Microsoft fails with error 400",
        "Password reset link expires too quickly",
        "Dark mode colors make links unreadable",
        "Login with Google fails with error 500",
        "App crashes when uploading a GIF larger than 10 MB",
        "Keyboard shortcut Ctrl+K does not open search in Safari",
        "Keyboard shortcut Ctrl+S does not save drafts in Firefox",
    ],
)
def test_local_keeps_apart_different_problems_sharing_words(title):
    decision = LocalMatcher().match(Proposal(title), LOCAL_CANDIDATES)
    assert decision.shortcode is None
    assert decision.confidence is None


def test_local_does_not_match_translations():
    assert LocalMatcher().match(PROPOSAL, CANDIDATES).shortcode is None


def test_local_with_no_candidates_is_no_match():
    decision = LocalMatcher().match(Proposal("Anything"), [])
    assert decision.shortcode is None


def test_swapped_name_costs_the_penalty():
    google = "Login with Google fails with error 400"
    assert similarity(google, "Login with Microsoft fails with error 400") < MATCH_THRESHOLD
    # A name only one title has is no sign of a different problem.
    assert similarity(google, "Login fails with error 400") >= MATCH_THRESHOLD


def test_similarity_is_symmetric_and_bounded():
    first, second = "Slack notifications are sent twice", "Duplicate Slack notifications"
    assert similarity(first, second) == similarity(second, first)
    assert similarity(first, first) == 100


# Choosing the matcher


def test_decide_without_key_uses_local(product, settings):
    settings.ANTHROPIC_API_KEY = None
    verdict = services.decide(
        proposal=Proposal("Password reset email never arrives"),
        candidates=CANDIDATES,
        product=product,
        matcher=services.preferred_matcher(),
    )
    assert verdict.matcher == "local"
    assert verdict.fallback_reason == services.NO_API_KEY
    assert verdict.decision.shortcode == "GET-001"


def test_decide_falls_back_on_api_error_and_logs(product, caplog):
    api = StubApi(lambda body: httpx2.Response(529, json=error_body(529)))
    with caplog.at_level(logging.WARNING, logger="issues.dedup.services"):
        verdict = services.decide(
            proposal=Proposal("password reset email never arrives"),
            candidates=CANDIDATES,
            product=product,
            matcher=api.matcher(),
        )
    assert verdict.matcher == "local"
    assert verdict.fallback_reason == "API error: HTTP 529"
    assert verdict.decision.shortcode == "GET-001"
    assert str(product.pk) in caplog.text
    assert "API error: HTTP 529" in caplog.text


def test_decide_falls_back_on_invalid_answer(product):
    api = StubApi(lambda body: tool_answer("GET-404"))
    verdict = services.decide(
        proposal=Proposal("Something new"), candidates=CANDIDATES, product=product, matcher=api.matcher()
    )
    assert verdict.matcher == "local"
    assert verdict.fallback_reason.startswith("invalid response")
    assert verdict.decision.shortcode is None


def test_decide_skips_the_model_without_candidates(product):
    api = StubApi(lambda body: tool_answer(None))
    verdict = services.decide(proposal=Proposal("Anything"), candidates=[], product=product, matcher=api.matcher())
    assert api.requests == []
    assert verdict.matcher == "claude-haiku-5-5"
    assert verdict.decision.shortcode is None
    assert verdict.fallback_reason is None
