"""Matcher that asks a Claude model, through the official anthropic SDK.

The candidates go into the system prompt, marked for prompt caching, so calls
for one product with an unchanged backlog reuse the cached prefix. The model
answers through a forced tool call, and an answer that is not one of the
candidates shown is rejected rather than trusted.
"""

import functools
import json
import logging

import anthropic
from django.conf import settings

from issues.dedup.matching import Candidate, Decision, MatcherUnavailable, Proposal

logger = logging.getLogger(__name__)

TOOL_NAME = "report_duplicate"
# Enough for a shortcode, a number and one sentence.
MAX_ANSWER_TOKENS = 400
# Candidate descriptions are cut to this many characters; the title carries
# most of the meaning and a long backlog must fit in one request.
DESCRIPTION_CHARS = 300
REASON_CHARS = 500

INSTRUCTIONS = """\
You deduplicate the issue backlog of a customer-support team.
You get the product's open issues and one proposed new issue. Decide whether the
proposed issue describes the same underlying problem or request as one of the open
issues. Issues may be written in different languages and with different words:
a translation or a paraphrase of an open issue is a duplicate. An issue that shares
words with an open issue but describes a different problem (another page, another
provider, another symptom) is not a duplicate.
Answer only by calling the report_duplicate tool. Set shortcode to the shortcode of
the duplicated open issue exactly as listed, or to null when none is the same problem.
Never name an issue that is not in the list."""

ANSWER_TOOL = {
    "name": TOOL_NAME,
    "description": "Report which open issue, if any, the proposed issue duplicates.",
    "input_schema": {
        "type": "object",
        "properties": {
            "shortcode": {
                "type": ["string", "null"],
                "description": "Shortcode of the duplicated open issue, e.g. GET-005, or null for a new problem.",
            },
            "confidence": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "How sure you are of this answer, from 0 to 1.",
            },
            "reason": {"type": "string", "description": "One sentence explaining the answer."},
        },
        "required": ["shortcode", "confidence", "reason"],
    },
}


def trim(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def build_request(model: str, proposal: Proposal, candidates: list[Candidate]) -> dict:
    """Return the keyword arguments for messages.create.

    Candidates are JSON lines, so a title containing quotes or markup cannot
    break out of its entry.
    """
    lines = [
        json.dumps(
            {
                "shortcode": candidate.shortcode,
                "title": candidate.title,
                "description": trim(candidate.description, DESCRIPTION_CHARS),
            },
            ensure_ascii=False,
        )
        for candidate in candidates
    ]
    backlog = "Open issues, one JSON object per line:\n" + "\n".join(lines)
    proposed = json.dumps({"title": proposal.title, "description": proposal.description}, ensure_ascii=False)
    return {
        "model": model,
        "max_tokens": MAX_ANSWER_TOKENS,
        "system": [
            {"type": "text", "text": INSTRUCTIONS},
            {"type": "text", "text": backlog, "cache_control": {"type": "ephemeral"}},
        ],
        "tools": [ANSWER_TOOL],
        "tool_choice": {"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True},
        "messages": [{"role": "user", "content": f"Proposed issue:\n{proposed}"}],
    }


def parse_answer(message, candidates: list[Candidate]) -> Decision:
    """Turn the model's tool call into a Decision, or raise MatcherUnavailable."""
    calls = [block for block in message.content if block.type == "tool_use" and block.name == TOOL_NAME]
    if not calls:
        raise MatcherUnavailable(f"invalid response: no {TOOL_NAME} tool call (stop_reason {message.stop_reason})")
    answer = calls[0].input
    if not isinstance(answer, dict):
        raise MatcherUnavailable("invalid response: the tool input is not an object")

    shortcode = answer.get("shortcode")
    confidence = answer.get("confidence")
    reason = answer.get("reason")
    if "shortcode" not in answer or not (shortcode is None or isinstance(shortcode, str)):
        raise MatcherUnavailable("invalid response: shortcode is missing or not a string or null")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise MatcherUnavailable(f"invalid response: confidence {confidence!r} is not a number from 0 to 1")
    if not isinstance(reason, str) or not reason.strip():
        raise MatcherUnavailable("invalid response: reason is missing or empty")

    if shortcode is not None:
        shown = {candidate.shortcode.upper(): candidate.shortcode for candidate in candidates}
        if shortcode.strip().upper() not in shown:
            raise MatcherUnavailable(
                f"invalid response: {trim(shortcode, 40)!r} is not one of the {len(candidates)} candidates shown"
            )
        shortcode = shown[shortcode.strip().upper()]
    return Decision(shortcode=shortcode, confidence=float(confidence), reason=trim(reason.strip(), REASON_CHARS))


@functools.cache
def shared_http_client():
    """Return one HTTP client per process, so connections to the API are reused."""
    return anthropic.DefaultHttpxClient()


class AnthropicMatcher:
    """Ask the configured Claude model whether the proposal duplicates a candidate."""

    def __init__(self, *, api_key: str, model: str, timeout: float, max_retries: int, http_client=None):
        self.name = model
        self.timeout = timeout
        self.client = anthropic.Anthropic(
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client if http_client is not None else shared_http_client(),
        )

    @classmethod
    def from_settings(cls) -> "AnthropicMatcher":
        return cls(
            api_key=settings.ANTHROPIC_API_KEY,
            model=settings.ANTHROPIC_MODEL,
            timeout=settings.ANTHROPIC_TIMEOUT_SECONDS,
            max_retries=settings.ANTHROPIC_MAX_RETRIES,
        )

    def match(self, proposal: Proposal, candidates: list[Candidate]) -> Decision:
        request = build_request(self.name, proposal, candidates)
        # Timeout first: APITimeoutError is a subclass of APIConnectionError.
        try:
            message = self.client.messages.create(**request)
        except anthropic.APITimeoutError:
            raise MatcherUnavailable(f"timed out: no response within {self.timeout:g}s")
        except anthropic.APIStatusError as exc:
            raise MatcherUnavailable(f"API error: HTTP {exc.status_code}")
        except anthropic.APIConnectionError as exc:
            raise MatcherUnavailable(f"connection error: {exc}")
        except anthropic.AnthropicError as exc:
            raise MatcherUnavailable(f"API error: {type(exc).__name__}: {exc}")
        return parse_answer(message, candidates)
