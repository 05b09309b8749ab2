"""openapi.json and llms.txt: public, valid, and in step with what the API serves."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from getresolved.api.deprecation import successor_path

ERROR_CODES = {
    "400": "validation_error",
    "401": "unauthorized",
    "403": "forbidden",
    "404": "not_found",
    "413": "payload_too_large",
    "415": "unsupported_media_type",
    "429": "rate_limited",
    "500": "internal_error",
}


@pytest.fixture
def spec(anonymous_api, db):
    return anonymous_api.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def resolve(spec, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def api_routes() -> dict[str, object]:
    """Map every route under /api/v1/, with converters and regex groups as {name}, to its view."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.callback

    routes = {}
    for route, callback in walk(get_resolver().url_patterns, "/"):
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("^", "").replace("$", "").replace("\\.", ".")
        route = route.replace("{pk}", "{id}")
        if route.startswith("/api/v1/"):
            routes[route] = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return routes


def api_paths() -> set[str]:
    return set(api_routes())


# -- openapi.json ------------------------------------------------------------------


def test_openapi_served_without_key_as_json(anonymous_api, db):
    response = anonymous_api.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_openapi_honours_accept_json(anonymous_api, db):
    response = anonymous_api.get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")

    assert response.status_code == 200


def test_openapi_ignores_bad_key(db):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer gr_wrong")

    assert client.get("/api/v1/openapi.json").status_code == 200


def test_openapi_is_valid_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_openapi_lists_every_api_path(spec):
    assert set(spec["paths"]) == api_paths()


def test_openapi_success_bodies_are_envelopes(spec):
    public = {"/api/v1/openapi.json", "/api/v1/llms.txt"}
    for path, method, operation in operations(spec):
        successes = {code: body for code, body in operation["responses"].items() if code.startswith("2")}
        assert successes, f"{method} {path} has no 2xx response"
        if path in public:
            continue
        for code, body in successes.items():
            schema = resolve(spec, body["content"]["application/json"]["schema"])
            assert "data" in schema["required"], f"{method} {path} {code}"
            if method == "get" and not path.endswith("}") and path != "/api/v1/me":
                assert "pagination" in schema["required"], f"{method} {path} {code}"


def test_openapi_lists_error_statuses(spec):
    public = {"/api/v1/openapi.json", "/api/v1/llms.txt"}
    for path, method, operation in operations(spec):
        statuses = set(operation["responses"])
        expected = {"500"} if path in public else {"401", "403", "500"}
        if method in ("post", "patch"):
            expected |= {"400", "413", "415"}
        if "{" in path:
            expected.add("404")
        if method == "get" and path in ("/api/v1/members", "/api/v1/products"):
            expected.add("400")
        assert expected <= statuses, f"{method} {path} lacks {expected - statuses}"
        for code in statuses - {"200", "201"}:
            schema = resolve(spec, operation["responses"][code]["content"]["application/json"]["schema"])
            assert set(schema["required"]) == {"error_code", "detail"}
            enum = resolve(spec, schema["properties"]["error_code"])["enum"]
            assert enum == [ERROR_CODES[code]], f"{method} {path} {code}"


def test_openapi_unauthorized_documents_header(spec):
    response = spec["paths"]["/api/v1/me"]["get"]["responses"]["401"]

    assert "WWW-Authenticate" in response["headers"]


def test_openapi_enums_present(spec):
    schemas = spec["components"]["schemas"]

    assert resolve(spec, schemas["RoleEnum"])["enum"] == ["owner", "admin", "agent"]


def test_openapi_path_ids_use_lookup_schema(spec):
    # Without the view's lookup_schema, drf-spectacular prints the route's regex as a pattern.
    for path, method, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path":
                continue
            schema = parameter["schema"]
            assert "pattern" not in schema, f"{method} {path} {parameter['name']}"
            assert schema.get("format") == "uuid" or schema.get("description"), f"{method} {path}"


def test_openapi_product_id_is_uuid(spec):
    parameter = spec["paths"]["/api/v1/products/{id}"]["get"]["parameters"][0]

    assert parameter["schema"] == {"type": "string", "format": "uuid"}


def test_openapi_security_is_bearer(spec):
    scheme = spec["components"]["securitySchemes"]["ApiKey"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"ApiKey": []}]


# -- served bodies match the document -------------------------------------------


def assert_matches_schema(spec, path, method, response):
    operation = spec["paths"][path][method]
    documented = operation["responses"][str(response.status_code)]
    schema = {**documented["content"]["application/json"]["schema"], "components": spec["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
    assert errors == [], f"{method} {path} {response.status_code}: {errors[0].message if errors else ''}"


def test_served_bodies_match_schema(spec, api, anonymous_api, read_only_api, product, owner, agent):
    cases = [
        ("/api/v1/me", "get", api.get("/api/v1/me")),
        ("/api/v1/me", "get", anonymous_api.get("/api/v1/me")),
        ("/api/v1/members", "get", api.get("/api/v1/members")),
        ("/api/v1/members", "get", api.get("/api/v1/members?limit=0")),
        ("/api/v1/products", "get", api.get("/api/v1/products")),
        ("/api/v1/products", "post", api.post("/api/v1/products", {"name": "Schema"}, format="json")),
        ("/api/v1/products", "post", api.post("/api/v1/products", {"nam": "x"}, format="json")),
        ("/api/v1/products", "post", read_only_api.post("/api/v1/products", {"name": "x"}, format="json")),
        ("/api/v1/products", "post", api.post("/api/v1/products", "x", content_type="text/plain")),
        ("/api/v1/products/{id}", "get", api.get(f"/api/v1/products/{product.pk}")),
        ("/api/v1/products/{id}", "get", api.get(f"/api/v1/products/{uuid.uuid4()}")),
        (
            "/api/v1/products/{id}",
            "patch",
            api.patch(f"/api/v1/products/{product.pk}", {"widget_config": {"a": 1}}, format="json"),
        ),
        ("/api/v1/products/{id}", "patch", api.patch(f"/api/v1/products/{product.pk}", {"slug": "X"}, format="json")),
    ]
    statuses = set()
    for path, method, response in cases:
        statuses.add(response.status_code)
        assert_matches_schema(spec, path, method, response)
    assert statuses == {200, 201, 400, 401, 403, 404, 415}


# -- llms.txt ------------------------------------------------------------------------


def test_llms_txt_served_without_key_as_text(anonymous_api, db):
    response = anonymous_api.get("/api/v1/llms.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("# GetResolved API v1")


def test_llms_txt_mentions_every_api_path(anonymous_api, db):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()

    missing = []
    for path, view in api_routes().items():
        successor = successor_path(view, path)
        if successor is None:
            documented = path in text
        else:
            # A deprecated alias may be documented once, by its prefix, beside its successor.
            alias = next(alias for alias in view.deprecated_aliases if path.startswith(alias))
            documented = alias in text and successor in text
        if not documented:
            missing.append(path)
    assert missing == []


def test_llms_txt_names_base_url(anonymous_api, db):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()

    assert "http://testserver/api/v1" in text


def test_llms_txt_lists_every_error_code(anonymous_api, db):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()

    for code in [*ERROR_CODES.values(), "method_not_allowed"]:
        assert code in text
