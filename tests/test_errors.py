"""The single error format, statuses for DRF and Django errors, and X-Request-ID."""

import json
import logging

import pytest
from rest_framework.test import APIClient

from getresolved.logs import RequestIdFilter
from workspaces import services


def assert_error(response, status: int, error_code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error_code"] == error_code
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"error_code", "detail", "fields"}
    return body


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/me", "/api/", "/api/v1/products/", "/api/v1/me/"])
def test_unknown_api_path_is_json_404(api, path):
    assert_error(api.get(path), 404, "not_found")


def test_unknown_api_path_without_key_is_json_404(anonymous_api):
    assert_error(anonymous_api.get("/api/v1/nope"), 404, "not_found")


def test_unknown_path_outside_api_is_not_json(client, db):
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/products/{id}"),
        ("put", "/api/v1/products/{id}"),
        ("post", "/api/v1/me"),
        ("patch", "/api/v1/members"),
        ("delete", "/api/v1/products"),
    ],
)
def test_unserved_method_is_405(api, product, method, path):
    response = getattr(api, method)(path.format(id=product.pk), {}, format="json")

    body = assert_error(response, 405, "method_not_allowed")
    assert method.upper() in body["detail"]


def test_non_json_content_type_is_415(api):
    response = api.post("/api/v1/products", "name=Widget", content_type="application/x-www-form-urlencoded")

    assert_error(response, 415, "unsupported_media_type")


def test_malformed_json_is_validation_error(api):
    response = api.post("/api/v1/products", "{not json", content_type="application/json")

    body = assert_error(response, 400, "validation_error")
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("payload", ["[]", '[{"name": "x"}]', '"text"', "42", "null"])
def test_json_non_object_is_validation_error(api, payload):
    response = api.post("/api/v1/products", payload, content_type="application/json")

    body = assert_error(response, 400, "validation_error")
    assert "object" in body["detail"]


def test_unknown_body_field_is_named(api):
    response = api.post("/api/v1/products", {"name": "Widget", "colour": "red"}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert body["fields"] == {"colour": "Unknown field."}


def test_read_only_fields_in_body_are_ignored(api, workspace):
    payload = {"name": "Widget", "id": "x", "workspace_id": "y", "widget_key": "z", "created_at": "now"}

    response = api.post("/api/v1/products", payload, format="json")

    assert response.status_code == 201
    assert response.json()["data"]["widget_key"] != "z"


def test_validation_error_has_fields(api):
    body = assert_error(api.post("/api/v1/products", {}, format="json"), 400, "validation_error")

    assert "name" in body["fields"]
    assert "name" in body["detail"]


def test_oversized_body_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = json.dumps({"name": "x" * 2000})

    response = api.post("/api/v1/products", payload, content_type="application/json")

    assert_error(response, 413, "payload_too_large")


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("path", ["/api/v1/test-explode", "/api/v1/test-explode-django"])
def test_unexpected_error_is_500_without_internals(db, settings, path):
    settings.DEBUG = False
    client = APIClient(raise_request_exception=False)

    response = client.get(path, HTTP_X_REQUEST_ID="trace-500")

    body = assert_error(response, 500, "internal_error")
    assert "trace-500" in body["detail"]
    assert response["X-Request-ID"] == "trace-500"
    text = response.content.decode()
    assert "SELECT" not in text
    assert "RuntimeError" not in text
    assert "Traceback" not in text


def test_request_id_is_echoed(api):
    response = api.get("/api/v1/me", HTTP_X_REQUEST_ID="client-id_1.2:3")

    assert response["X-Request-ID"] == "client-id_1.2:3"


@pytest.mark.parametrize("supplied", ["", "has space", "x" * 129, "semi;colon", "<script>", "abc\n"])
def test_insane_request_id_is_replaced(api, supplied):
    response = api.get("/api/v1/me", HTTP_X_REQUEST_ID=supplied)

    assert response["X-Request-ID"] != supplied
    assert len(response["X-Request-ID"]) == 32


def test_request_id_is_generated_per_request(api):
    first = api.get("/api/v1/me")["X-Request-ID"]
    second = api.get("/api/v1/me")["X-Request-ID"]

    assert first != second


def test_request_id_on_error_responses(anonymous_api):
    assert anonymous_api.get("/api/v1/me")["X-Request-ID"]
    assert anonymous_api.get("/api/v1/nope")["X-Request-ID"]


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    ("kind", "status", "error_code", "fields"),
    [
        ("django-validation-dict", 400, "validation_error", {"title": "Title is required.", "status": "Bad status."}),
        ("django-validation-plain", 400, "validation_error", None),
        ("django-permission", 403, "forbidden", None),
        ("django-404", 404, "not_found", None),
        ("api-error", 400, "validation_error", {"x": "Bad x."}),
        ("too-large", 413, "payload_too_large", None),
    ],
)
def test_raised_exceptions_become_error_bodies(db, kind, status, error_code, fields):
    body = assert_error(APIClient().get(f"/api/v1/test-raise/{kind}"), status, error_code)

    assert body.get("fields") == fields


@pytest.mark.urls("tests.error_urls")
def test_plain_django_validation_message_is_detail(db):
    body = APIClient().get("/api/v1/test-raise/django-validation-plain").json()

    assert body["detail"] == "The request cannot be applied."


def test_disallowed_host_is_json_400(db, settings):
    settings.DEBUG = False
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/v1/me", HTTP_HOST="evil.example")

    assert_error(response, 400, "validation_error")


@pytest.mark.parametrize("field", ["name", "slug", "issue_prefix", "domain"])
def test_number_for_string_field_rejected(api, field):
    payload = {"name": "Widget", field: 12}

    response = api.post("/api/v1/products", payload, format="json")

    body = assert_error(response, 400, "validation_error")
    assert body["fields"] == {field: "Must be a string, not a number."}


def test_boolean_for_string_field_rejected(api):
    body = assert_error(api.post("/api/v1/products", {"name": True}, format="json"), 400, "validation_error")

    assert body["fields"] == {"name": "Not a valid string."}


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/plain", "application/json"])
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/me", "application/json"),
        ("/api/v1/products/not-a-uuid", "application/json"),
        ("/api/v1/llms.txt", "text/plain"),
        ("/api/v1/openapi.json", "application/json"),
    ],
)
def test_accept_header_never_gives_406(api, accept, path, content_type):
    response = api.get(path, HTTP_ACCEPT=accept)

    assert response.status_code in (200, 404)
    assert response["Content-Type"].startswith(content_type)


@pytest.fixture
def request_id_records():
    """Collect workspaces.services records through a handler with the request id filter."""
    records = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.emit = records.append
    logger = logging.getLogger("workspaces.services")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_request_id_in_log_records(api, request_id_records):
    api.post("/api/v1/products", {"name": "Logged"}, format="json", HTTP_X_REQUEST_ID="log-me-1")

    assert [record.request_id for record in request_id_records] == ["log-me-1"]


def test_request_id_outside_request_is_dash(workspace, request_id_records):
    services.product_create(workspace=workspace, name="Offline")

    assert [record.request_id for record in request_id_records] == ["-"]
