import pytest


@pytest.fixture
def spec(anonymous_api, db):
    return anonymous_api.get("/api/v1/openapi.json").json()


OPERATIONS = [
    ("/api/v1/{base}", "get"),
    ("/api/v1/{base}", "post"),
    ("/api/v1/{base}/{{id}}", "get"),
    ("/api/v1/{base}/{{id}}", "patch"),
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_openapi_marks_only_actions_deprecated(spec, path, method):
    issues = spec["paths"][path.format(base="issues")][method]
    actions = spec["paths"][path.format(base="actions")][method]

    assert actions["deprecated"] is True
    assert not issues.get("deprecated", False)
    assert actions["operationId"] != issues["operationId"]


def test_openapi_documents_list_filters(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/issues"]["get"]["parameters"]}

    assert set(parameters) >= {"product_id", "status", "priority", "assignee_id", "limit", "offset"}
    assert set(parameters["status"]["schema"]["items"]["enum"]) == {
        "pending",
        "in_progress",
        "done",
        "icebox",
        "released",
        "dismissed",
    }
    assert set(parameters["priority"]["schema"]["items"]["enum"]) == {"low", "normal", "high", "urgent"}
    for name in ("product_id", "status", "priority", "assignee_id"):
        assert parameters[name]["explode"] is False
    assert "none" in parameters["assignee_id"]["description"]


def test_openapi_documents_shortcode_lookup(spec):
    for base in ("issues", "actions"):
        (parameter,) = [p for p in spec["paths"][f"/api/v1/{base}/{{id}}"]["get"]["parameters"] if p["in"] == "path"]
        assert parameter["schema"]["type"] == "string"
        assert "format" not in parameter["schema"]
        assert "shortcode" in parameter["schema"]["description"]


def test_openapi_create_excludes_released(spec):
    body = spec["paths"]["/api/v1/issues"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[1]
    status_ref = spec["components"]["schemas"][name]["properties"]["status"]
    enum_name = (status_ref.get("$ref") or status_ref["allOf"][0]["$ref"]).rsplit("/", 1)[1]

    assert "released" not in spec["components"]["schemas"][enum_name]["enum"]


def test_openapi_detail_includes_conversations(spec):
    response = spec["paths"]["/api/v1/issues/{id}"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    name = schema["properties"]["data"]["$ref"].rsplit("/", 1)[1]

    assert "conversations" in spec["components"]["schemas"][name]["properties"]


def test_openapi_document_is_valid(spec):
    from openapi_spec_validator import validate

    validate(spec)
