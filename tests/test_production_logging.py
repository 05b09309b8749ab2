"""The request log and error logging, through the handler, filter and formatters production uses."""

import io
import json
import logging
from unittest import mock

import pytest
from rest_framework.test import APIClient

from getresolved.logs import JsonFormatter, RequestIdFilter, logging_config


@pytest.fixture
def log_output():
    """Capture what the production console handler would write, as JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def request_lines(entries):
    return [entry for entry in entries if entry["logger"] == "getresolved.request"]


def test_request_line_has_key_and_workspace(key_and_secret, workspace, log_output):
    key, secret = key_and_secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get("/api/v1/me?token=query-value")

    assert response.status_code == 200
    [line] = request_lines(log_output())
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/me"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["workspace_id"] == str(workspace.pk)
    assert line["key_prefix"] == key.prefix
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /api/v1/me 200 ")


def test_request_line_never_contains_secret(key_and_secret, log_output):
    _, secret = key_and_secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    client.get("/api/v1/me?token=query-value", HTTP_X_REQUEST_ID="trace-123")

    output = json.dumps(log_output())
    assert secret not in output
    assert "Bearer" not in output
    assert "query-value" not in output
    assert "trace-123" in output


def test_request_line_for_rejected_key(db, log_output):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer gr_notarealkey")

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    [line] = request_lines(log_output())
    assert line["status"] == 401
    assert line["workspace_id"] is None
    assert line["key_prefix"] is None
    assert "gr_notarealkey" not in json.dumps(line)


def test_one_line_per_client_error(db, log_output):
    APIClient().get("/api/v1/me")

    # django.request would add a second "Unauthorized" line; only the request line is kept.
    entries = log_output()
    assert [entry["logger"] for entry in entries] == ["getresolved.request"]


def test_server_error_logs_traceback_with_request_id(api, log_output):
    api.raise_request_exception = False

    with mock.patch("workspaces.views.MeView.get", side_effect=RuntimeError("boom in view")):
        response = api.get("/api/v1/me", HTTP_X_REQUEST_ID="req-500")

    assert response.status_code == 500
    body = response.json()
    assert body["error_code"] == "internal_error"
    assert "req-500" in body["detail"]
    assert "boom" not in body["detail"]

    entries = log_output()
    [error] = [entry for entry in entries if entry["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-500"
    assert "Traceback" in error["exception"]
    assert "RuntimeError: boom in view" in error["exception"]
    [line] = request_lines(entries)
    assert line["status"] == 500
    assert line["request_id"] == "req-500"


def test_healthy_healthz_logged_at_debug(db, client, log_output):
    client.get("/healthz")

    assert request_lines(log_output()) == []


def test_log_outside_request_has_placeholder_id(log_output):
    logging.getLogger("getresolved.test").warning("outside %s", "any request")

    [entry] = log_output()
    assert entry["request_id"] == "-"
    assert entry["message"] == "outside any request"


def test_plain_format_shows_request_id():
    config = logging_config("INFO", "plain")
    formatter = logging.Formatter(config["formatters"]["plain"]["format"])
    record = logging.makeLogRecord({"name": "getresolved.request", "levelname": "INFO", "msg": "GET / 200"})
    RequestIdFilter().filter(record)

    assert formatter.format(record).endswith("INFO getresolved.request [-] GET / 200")


def test_json_format_skips_objects():
    record = logging.makeLogRecord({"msg": "x", "request": object(), "status_code": 500})

    entry = json.loads(JsonFormatter().format(record))

    assert entry["status_code"] == 500
    assert "request" not in entry


def test_unknown_log_format_rejected():
    with pytest.raises(ValueError, match="LOG_FORMAT='xml'"):
        logging_config("INFO", "xml")
