"""A stand-in for Anthropic's HTTP API, plugged into the real SDK as its transport.

The SDK builds, sends and parses real requests; only the network is replaced.
"""

import json
import re
import time

import httpx2

from issues.dedup.anthropic_matcher import TOOL_NAME, AnthropicMatcher


def tool_answer(shortcode, confidence=0.9, reason="Same problem.", model="claude-haiku-5-5"):
    """Return a Messages API response body whose only content is a report_duplicate call."""
    return message_body(
        [
            {
                "type": "tool_use",
                "id": "toolu_01",
                "name": TOOL_NAME,
                "input": {"shortcode": shortcode, "confidence": confidence, "reason": reason},
            }
        ],
        model=model,
    )


def message_body(content, model="claude-haiku-5-5", stop_reason="tool_use"):
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 100, "output_tokens": 20},
    }


def error_body(status):
    kind = {500: "api_error", 529: "overloaded_error", 429: "rate_limit_error"}.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": f"stubbed {status}"}}


class StubApi:
    """Records each request the SDK sends and responds with RESPOND(request_body).

    RESPOND returns an httpx2.Response, or a dict sent as a 200 JSON body.
    DELAY seconds are slept before responding, to imitate a slow model.
    """

    def __init__(self, respond, delay=0.0):
        self.respond = respond
        self.delay = delay
        self.requests = []

    def __call__(self, request):
        body = json.loads(request.content)
        self.requests.append({"url": str(request.url), "headers": dict(request.headers), "body": body})
        if self.delay:
            time.sleep(self.delay)
        answer = self.respond(body)
        if isinstance(answer, httpx2.Response):
            return answer
        return httpx2.Response(200, json=answer)

    def http_client(self):
        return httpx2.Client(transport=httpx2.MockTransport(self))

    def matcher(self, max_retries=0, model="claude-haiku-5-5"):
        return AnthropicMatcher(
            api_key="sk-ant-test", model=model, timeout=5.0, max_retries=max_retries, http_client=self.http_client()
        )


def shown_candidates(body) -> list[dict]:
    """Return the candidates as the request showed them to the model."""
    backlog = body["system"][-1]["text"]
    return [json.loads(line) for line in backlog.splitlines() if line.startswith("{")]


def proposed_title(body) -> str:
    text = body["messages"][0]["content"]
    return json.loads(re.search(r"\{.*\}", text, re.S).group(0))["title"]


def same_title_oracle(body):
    """Return the response of a model that matches a candidate with exactly the proposed title."""
    title = proposed_title(body)
    for candidate in shown_candidates(body):
        if candidate["title"].casefold() == title.casefold():
            return tool_answer(candidate["shortcode"], reason="Identical title.")
    return tool_answer(None, reason="No candidate describes this.")
