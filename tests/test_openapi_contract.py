"""openapi.json states exactly what the server accepts, so generated clients can rely on it."""

import re

import pytest
from django.urls import get_resolver
from openapi_spec_validator import validate

from getresolved.api.viewsets import RejectUnknownQueryParametersMixin, allowed_query_parameters
from tests.test_path_inventory import HTTP_METHODS, _walk

PUBLIC_PATHS = {"/api/v1/openapi.json", "/api/v1/llms.txt"}


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/openapi.json").json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


def _schemas(node):
    """Yield every dict inside NODE, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def _view_for(method: str, path: str):
    """Instantiate the view that serves METHOD on the openapi PATH, with its action set."""
    for route, callback in _walk(get_resolver().url_patterns):
        if route.replace("{id}", "{x}") != path.replace("{id}", "{x}"):
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:
            if method not in actions:
                continue
            view = callback.cls(**callback.initkwargs)
            view.action = actions[method]
            return view
        return callback.cls(**getattr(callback, "initkwargs", {}))
    raise AssertionError(f"No view serves {method.upper()} {path}")


def test_openapi_validates(spec):
    validate(spec)


def test_operation_ids_are_unique_identifiers(spec):
    operation_ids = [operation["operationId"] for _, _, operation in _operations(spec)]

    assert len(operation_ids) == len(set(operation_ids))
    for operation_id in operation_ids:
        # Code generators turn operation ids into method names.
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", operation_id), operation_id


def test_query_parameters_match_accepted(spec):
    for method, path, operation in _operations(spec):
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}

        accepted = allowed_query_parameters(_view_for(method, path))

        assert documented == accepted, f"{method.upper()} {path}"


def test_every_api_view_rejects_unknown_query_parameters():
    for path, callback in _walk(get_resolver().url_patterns):
        if path.startswith("/api/v1/") and hasattr(callback, "cls"):
            assert issubclass(callback.cls, RejectUnknownQueryParametersMixin), path


def test_query_parameters_allow_empty_value(spec):
    for method, path, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("allowEmptyValue") is True, f"{method.upper()} {path} {parameter['name']}"


def test_every_operation_documents_validation_error(spec):
    for method, path, operation in _operations(spec):
        response = operation["responses"].get("400")

        assert response is not None, f"{method.upper()} {path}"
        schema = spec["components"]["schemas"][response["content"]["application/json"]["schema"]["$ref"].split("/")[-1]]
        codes = spec["components"]["schemas"][schema["properties"]["error_code"]["$ref"].split("/")[-1]]["enum"]
        assert codes == ["validation_error"]


def test_rate_limit_documented_with_retry_after(spec):
    for method, path, operation in _operations(spec):
        if path in PUBLIC_PATHS:
            assert "429" not in operation["responses"], f"{method.upper()} {path}"
            continue

        response = operation["responses"]["429"]

        assert response["headers"]["Retry-After"]["schema"] == {"type": "integer"}, f"{method.upper()} {path}"
        assert response["content"]["application/json"]["schema"]["$ref"].endswith("/RateLimitedResponse")


def test_no_repeated_types(spec):
    for schema in _schemas(spec):
        types = schema.get("type")
        if isinstance(types, list) and all(isinstance(item, str) for item in types):
            assert len(types) == len(set(types)), schema


def test_widget_config_is_object_or_null(spec):
    schemas = spec["components"]["schemas"]

    for name in ("Product", "ProductCreateRequest", "PatchedProductUpdateRequest"):
        assert schemas[name]["properties"]["widget_config"]["type"] == ["object", "null"], name


def test_request_bodies_reject_unknown_keys(spec):
    for method, path, operation in _operations(spec):
        if "requestBody" not in operation:
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]

        body = spec["components"]["schemas"][ref.split("/")[-1]]

        assert body["additionalProperties"] is False, f"{method.upper()} {path}"


def test_single_line_strings_carry_pattern(spec):
    name = spec["components"]["schemas"]["ProductCreateRequest"]["properties"]["name"]
    body = spec["components"]["schemas"]["MessageCreateRequest"]["properties"]["body"]

    assert "\\u0007" not in name["pattern"]
    assert "\\u0000-\\u0008" in name["pattern"]
    assert body["pattern"].startswith("^[^\\u0000]*")


def test_writes_document_body_errors(spec):
    for method, path, operation in _operations(spec):
        if method not in ("post", "patch"):
            continue

        statuses = set(operation["responses"])

        assert {"400", "411", "413", "415"} <= statuses, f"{method.upper()} {path}"
