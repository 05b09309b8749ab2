"""A corpus of malformed requests: each gets a 4xx in the error format and writes nothing.

Decisions the cases pin down:
- A string field accepts only a JSON string; a number, boolean, array or object is invalid.
- NUL (U+0000) is invalid in every string. Other control characters are
  invalid in single-line fields (names, titles, slugs) and allowed in
  multi-line text (message bodies, descriptions, resolution comments); tab,
  line feed and carriage return are allowed everywhere.
- Unknown query parameters and repeated `limit` or `offset` are invalid.
"""

import json
import uuid

import pytest

from conversations import services as conversation_services
from conversations.models import Message
from issues import services as issue_services
from tests.db_state import snapshot

ERROR_CODES = {
    "unauthorized",
    "forbidden",
    "not_found",
    "validation_error",
    "method_not_allowed",
    "length_required",
    "payload_too_large",
    "unsupported_media_type",
    "rate_limited",
}

# (method, path, a valid body) for every write; {product}, {conversation} and
# {issue} are replaced by ids of seeded objects.
WRITES = [
    ("POST", "/api/v1/products", {"name": "Widget"}),
    ("PATCH", "/api/v1/products/{product}", {"name": "Widget"}),
    ("POST", "/api/v1/conversations", {"product_id": "{product}", "message": "Hi"}),
    ("PATCH", "/api/v1/conversations/{conversation}", {"status": "resolved"}),
    ("POST", "/api/v1/conversations/{conversation}/messages", {"body": "Hi"}),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": "Broken"}),
    ("PATCH", "/api/v1/issues/{issue}", {"title": "Broken"}),
    ("POST", "/api/v1/issues/maybe", {"product_id": "{product}", "title": "Broken"}),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "Spring"}),
]

MALFORMED_JSON = [
    b'{"name": ',
    b"{'name': 'x'}",
    b'{"name": "x",}',
    b'{"name": NaN}',
    b'{"name": Infinity}',
    b'{"name": "\xff\xfe"}',
    b"\x00",
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
]

NOT_AN_OBJECT = [b"[]", b'[{"name": "x"}]', b'"name"', b"42", b"null", b"true"]

# (method, path, body, field named in `fields`)
INVALID_FIELDS = [
    # Wrong types.
    ("POST", "/api/v1/products", {"name": 123}, "name"),
    ("POST", "/api/v1/products", {"name": 1.5}, "name"),
    ("POST", "/api/v1/products", {"name": ["Widget"]}, "name"),
    ("POST", "/api/v1/products", {"name": {"text": "Widget"}}, "name"),
    ("POST", "/api/v1/products", {"name": "Widget", "widget_config": "{}"}, "widget_config"),
    ("POST", "/api/v1/products", {"name": "Widget", "widget_config": [1]}, "widget_config"),
    ("POST", "/api/v1/conversations", {"product_id": "{product}", "message": 7}, "message"),
    ("POST", "/api/v1/conversations", {"product_id": 7, "message": "Hi"}, "product_id"),
    ("PATCH", "/api/v1/conversations/{conversation}", {"status": 1}, "status"),
    ("PATCH", "/api/v1/conversations/{conversation}", {"priority": ["high"]}, "priority"),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": False}, "title"),
    (
        "POST",
        "/api/v1/issues",
        {"product_id": "{product}", "title": "T", "conversation_ids": "{conversation}"},
        "conversation_ids",
    ),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": "T", "assignee_id": 5}, "assignee_id"),
    ("PATCH", "/api/v1/issues/{issue}", {"description": {"text": "x"}}, "description"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": "GET-001"}, "issue_ids"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": [5]}, "issue_ids"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "version": 2}, "version"),
    # Null where a value is required.
    ("POST", "/api/v1/products", {"name": None}, "name"),
    ("PATCH", "/api/v1/products/{product}", {"slug": None}, "slug"),
    ("PATCH", "/api/v1/products/{product}", {"issue_prefix": None}, "issue_prefix"),
    ("POST", "/api/v1/conversations", {"product_id": None, "message": "Hi"}, "product_id"),
    ("POST", "/api/v1/conversations/{conversation}/messages", {"body": None}, "body"),
    ("PATCH", "/api/v1/conversations/{conversation}", {"status": None}, "status"),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": None}, "title"),
    ("PATCH", "/api/v1/issues/{issue}", {"priority": None}, "priority"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": None}, "title"),
    # Blank after trimming.
    ("POST", "/api/v1/products", {"name": " \t\n "}, "name"),
    ("POST", "/api/v1/conversations/{conversation}/messages", {"body": "   "}, "body"),
    # Over the length limits.
    ("POST", "/api/v1/products", {"name": "x" * 201}, "name"),
    ("POST", "/api/v1/products", {"name": "Widget", "slug": "s" * 51}, "slug"),
    ("POST", "/api/v1/products", {"name": "Widget", "issue_prefix": "ABCD"}, "issue_prefix"),
    ("POST", "/api/v1/products", {"name": "Widget", "domain": "a" * 254}, "domain"),
    ("POST", "/api/v1/products", {"name": "Widget", "widget_config": {"k": "v" * 17000}}, "widget_config"),
    ("POST", "/api/v1/conversations", {"product_id": "{product}", "message": "m" * 20001}, "message"),
    ("POST", "/api/v1/conversations", {"product_id": "{product}", "message": "Hi", "subject": "s" * 501}, "subject"),
    ("POST", "/api/v1/conversations/{conversation}/messages", {"body": "b" * 20001}, "body"),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": "t" * 501}, "title"),
    ("PATCH", "/api/v1/issues/{issue}", {"description": "d" * 20001}, "description"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "t" * 201}, "title"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "version": "v" * 51}, "version"),
    # NUL bytes and control characters.
    ("POST", "/api/v1/products", {"name": "Wid\x00get"}, "name"),
    ("POST", "/api/v1/products", {"name": "Wid\x07get"}, "name"),
    ("POST", "/api/v1/products", {"name": "Wid\x1b[31mget"}, "name"),
    ("POST", "/api/v1/products", {"name": "Wid\x85get"}, "name"),
    ("POST", "/api/v1/products", {"name": "Widget", "widget_config": {"k": "a\x00b"}}, "widget_config"),
    ("POST", "/api/v1/products", {"name": "Widget", "widget_config": {"a\x00b": 1}}, "widget_config"),
    ("POST", "/api/v1/conversations", {"product_id": "{product}", "message": "Hi\x00"}, "message"),
    (
        "POST",
        "/api/v1/conversations",
        {"product_id": "{product}", "message": "Hi", "customer_name": "A\x08"},
        "customer_name",
    ),
    ("POST", "/api/v1/conversations/{conversation}/messages", {"body": "a\x00b"}, "body"),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": "Broken\x0c"}, "title"),
    ("PATCH", "/api/v1/issues/{issue}", {"description": "a\x00b"}, "description"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "version": "1.0\x1f"}, "version"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": ["GET-001\x00"]}, "issue_ids"),
    # Lone surrogates, which no UTF-8 text can carry.
    ("POST", "/api/v1/products", {"name": "Wid\ud800get"}, "name"),
    # Malformed ids.
    ("POST", "/api/v1/conversations", {"product_id": "not-a-uuid", "message": "Hi"}, "product_id"),
    ("POST", "/api/v1/conversations", {"product_id": "{product}x", "message": "Hi"}, "product_id"),
    (
        "POST",
        "/api/v1/issues",
        {"product_id": "{product}", "title": "T", "conversation_ids": ["nope"]},
        "conversation_ids",
    ),
    ("POST", "/api/v1/issues", {"product_id": "{product}", "title": "T", "assignee_id": "someone"}, "assignee_id"),
    ("PATCH", "/api/v1/issues/{issue}", {"assignee_id": "00000000-0000-0000-0000-00000000000g"}, "assignee_id"),
    # Shortcodes of the wrong shape, and numbers beyond any integer column.
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": ["GET-"]}, "issue_ids"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": ["-001"]}, "issue_ids"),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": ["GET-1e3"]}, "issue_ids"),
    (
        "POST",
        "/api/v1/releases",
        {"product_id": "{product}", "title": "R", "issue_ids": ["GET-" + "9" * 30]},
        "issue_ids",
    ),
    ("POST", "/api/v1/releases", {"product_id": "{product}", "title": "R", "issue_ids": ["x" * 101]}, "issue_ids"),
    # Unknown fields.
    ("POST", "/api/v1/products", {"name": "Widget", "stauts": "open"}, "stauts"),
    ("PATCH", "/api/v1/issues/{issue}", {"name\x00": "x"}, "name\x00"),
]

MALFORMED_PATH_IDS = [
    "not-a-uuid",
    "12345",
    "{product}x",
    "%00",
    "x" * 2000,
    "GET-",
    "-001",
    "GET-00x",
    "GETT-001",
    "GET-1e3",
    "GET-" + "9" * 30,
    "GET-001-2",
]

# (path, query, parameter named in `fields`)
INVALID_QUERIES = [
    ("/api/v1/products", {"limit": "0"}, "limit"),
    ("/api/v1/products", {"limit": "-1"}, "limit"),
    ("/api/v1/products", {"limit": "1.5"}, "limit"),
    ("/api/v1/products", {"limit": "ten"}, "limit"),
    ("/api/v1/products", {"offset": "-1"}, "offset"),
    ("/api/v1/products", {"offset": str(10**30)}, "offset"),
    ("/api/v1/products", {"offset": "1e3"}, "offset"),
    ("/api/v1/members", {"limit": ["1", "2"]}, "limit"),
    ("/api/v1/members", {"offset": ["0", "5"]}, "offset"),
    ("/api/v1/products", {"stauts": "open"}, "stauts"),
    ("/api/v1/products", {"format": "xml"}, "format"),
    ("/api/v1/me", {"limit": "5"}, "limit"),
    ("/api/v1/products/{product}", {"status": "open"}, "status"),
    ("/api/v1/conversations", {"status": "opne"}, "status"),
    ("/api/v1/conversations", {"status": "100%"}, "status"),
    ("/api/v1/conversations", {"type": "%s%s%(x)s"}, "type"),
    ("/api/v1/conversations", {"product_id": "not-a-uuid"}, "product_id"),
    ("/api/v1/conversations", {"product_id": ",".join(str(uuid.uuid4()) for _ in range(101))}, "product_id"),
    ("/api/v1/issues", {"status": "pending\x00"}, "status"),
    ("/api/v1/issues", {"assignee_id": "nobody"}, "assignee_id"),
    ("/api/v1/issues", {"priority": ["low", "nope"]}, "priority"),
    ("/api/v1/releases", {"product_id": "%00"}, "product_id"),
]


def assert_error_format(response, status: int, error_code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) <= {"error_code", "detail", "fields"}
    assert body["error_code"] in ERROR_CODES
    if error_code is not None:
        assert body["error_code"] == error_code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    for name, message in body.get("fields", {}).items():
        assert isinstance(name, str)
        assert isinstance(message, str)
    return body


@pytest.fixture
def ids(workspace, product, owner):
    conversation = conversation_services.conversation_create(workspace=workspace, product=product, message="Hi")
    issue = issue_services.issue_create(workspace=workspace, product=product, title="Broken export")
    return {"product": str(product.pk), "conversation": str(conversation.pk), "issue": str(issue.pk)}


def fill(value, ids: dict):
    if isinstance(value, str):
        for name, object_id in ids.items():
            value = value.replace("{" + name + "}", object_id)
        return value
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {fill(key, ids): fill(item, ids) for key, item in value.items()}
    return value


def send_raw(api, method: str, path: str, data: bytes, content_type: str | None = "application/json"):
    extra = {} if content_type is None else {"content_type": content_type}
    return api.generic(method, path, data, **extra)


def write_label(write) -> str:
    return f"{write[0]} {write[1]}"


@pytest.mark.parametrize("write", WRITES, ids=write_label)
@pytest.mark.parametrize("data", MALFORMED_JSON, ids=lambda data: repr(data[:20]))
def test_malformed_json_rejected(write, data, api, ids):
    method, path, _ = write
    before = snapshot()

    response = send_raw(api, method, fill(path, ids), data)

    assert_error_format(response, 400, "validation_error")
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES, ids=write_label)
@pytest.mark.parametrize("data", NOT_AN_OBJECT, ids=lambda data: data.decode()[:20])
def test_json_not_object_rejected(write, data, api, ids):
    method, path, _ = write
    before = snapshot()

    response = send_raw(api, method, fill(path, ids), data)

    body = assert_error_format(response, 400, "validation_error")
    assert "JSON object" in body["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    INVALID_FIELDS,
    ids=lambda value: value if isinstance(value, str) and value.startswith(("/", "P", "G")) else None,
)
def test_invalid_field_rejected(method, path, body, field, api, ids):
    before = snapshot()

    response = send_raw(api, method, fill(path, ids), json.dumps(fill(body, ids)).encode())

    result = assert_error_format(response, 400, "validation_error")
    assert field in result.get("fields", {}), result
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES, ids=write_label)
@pytest.mark.parametrize(
    "content_type",
    [None, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_non_json_content_type_rejected(write, content_type, api, ids):
    method, path, body = write
    before = snapshot()

    response = send_raw(api, method, fill(path, ids), json.dumps(fill(body, ids)).encode(), content_type)

    assert_error_format(response, 415, "unsupported_media_type")
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES, ids=write_label)
def test_body_over_default_limit_rejected(write, api, ids, settings):
    method, path, body = write
    # The default of MAX_REQUEST_BODY_BYTES, which README and llms.txt state.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    padded = {**fill(body, ids), "padding": "x" * (1024 * 1024)}
    before = snapshot()

    response = send_raw(api, method, fill(path, ids), json.dumps(padded).encode())

    assert_error_format(response, 413, "payload_too_large")
    assert snapshot() == before


@pytest.mark.parametrize("prefix", ["products", "conversations", "items", "issues", "actions", "releases"])
@pytest.mark.parametrize("malformed", MALFORMED_PATH_IDS)
def test_malformed_path_id_is_not_found(prefix, malformed, api, ids):
    path = f"/api/v1/{prefix}/{fill(malformed, ids)}"

    response = api.get(path)

    assert_error_format(response, 404, "not_found")


@pytest.mark.parametrize(("path", "query", "parameter"), INVALID_QUERIES)
def test_invalid_query_rejected(path, query, parameter, api, ids):
    response = api.get(fill(path, ids), fill(query, ids))

    body = assert_error_format(response, 400, "validation_error")
    assert parameter in body.get("fields", {}), body


def test_huge_limit_is_clamped(api, ids):
    response = api.get("/api/v1/products", {"limit": str(10**30)})

    assert response.status_code == 200
    assert response.json()["pagination"]["limit"] == 200


def test_repeated_filter_is_one_list(api, ids):
    response = api.get("/api/v1/conversations", {"status": ["open", "resolved"]})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [ids["conversation"]]


def test_unknown_query_parameter_names_accepted_ones(api, ids):
    body = api.get("/api/v1/conversations", {"stauts": "open"}).json()

    assert body["fields"] == {"stauts": "Unknown query parameter."}
    assert "limit, offset, priority, product_id, status, type" in body["detail"]


def test_control_characters_allowed_in_message_body(api, ids):
    text = "Log:\x1b[31m error\x1b[0m\tline\r\nnext\x07"

    response = api.post(f"/api/v1/conversations/{ids['conversation']}/messages", {"body": text}, format="json")

    assert response.status_code == 201
    assert Message.objects.get(pk=response.json()["data"]["id"]).body == text


def test_tab_and_newline_allowed_in_name(api, ids):
    response = api.post("/api/v1/products", {"name": "Wid\tget\nTwo"}, format="json")

    assert response.status_code == 201


def test_nested_json_depth_rejected_without_crash(api, ids):
    before = snapshot()
    deep = b'{"name": "x", "widget_config": ' + b'{"a":' * 3000 + b"1" + b"}" * 3000 + b"}"

    response = send_raw(api, "POST", "/api/v1/products", deep)

    assert_error_format(response, 400, "validation_error")
    assert snapshot() == before


@pytest.mark.parametrize("prefix", ["items", "actions"])
def test_alias_link_header_survives_line_break_in_path(prefix, api, ids):
    response = api.get(f"/api/v1/{prefix}/x%0D%0Ay%3E")

    assert_error_format(response, 404, "not_found")
    assert "\r" not in response["Link"]
    assert response["Link"].startswith(f"</api/v1/{'conversations' if prefix == 'items' else 'issues'}/x%0D%0Ay%3E>")


def test_control_character_error_names_code_point(api, ids):
    body = api.post("/api/v1/products", {"name": "Wid\x07get"}, format="json").json()

    assert body["fields"]["name"].startswith("Contains the control character U+0007.")
