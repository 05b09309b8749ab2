import pytest
from openapi_spec_validator import validate


@pytest.fixture
def openapi(anonymous_api):
    response = anonymous_api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(spec, schema):
    name = schema["$ref"].rsplit("/", 1)[-1]
    return spec["components"]["schemas"][name]


def referenced_schemas(spec, node, found):
    """Collect the names of the component schemas NODE refers to, transitively."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in found:
                found.add(name)
                referenced_schemas(spec, spec["components"]["schemas"][name], found)
        for value in node.values():
            referenced_schemas(spec, value, found)
    elif isinstance(node, list):
        for value in node:
            referenced_schemas(spec, value, found)
    return found


def test_openapi_release_part_is_valid(openapi):
    # Only the release paths and the schemas they use, so this test fails for
    # release problems and not for another endpoint's.
    paths = {path: item for path, item in openapi["paths"].items() if path.startswith("/api/v1/releases")}
    names = referenced_schemas(openapi, paths, set())
    components = dict(openapi["components"])
    components["schemas"] = {name: openapi["components"]["schemas"][name] for name in names}

    validate({**openapi, "paths": paths, "components": components})


def test_openapi_release_paths(openapi):
    assert set(openapi["paths"]["/api/v1/releases"]) == {"get", "post"}
    assert set(openapi["paths"]["/api/v1/releases/{id}"]) == {"get"}


def test_openapi_release_list_filter(openapi):
    parameters = {p["name"]: p for p in openapi["paths"]["/api/v1/releases"]["get"]["parameters"]}

    assert set(parameters) == {"limit", "offset", "product_id"}
    assert parameters["product_id"]["schema"]["items"]["format"] == "uuid"
    assert parameters["product_id"]["explode"] is False


def test_openapi_release_create_body(openapi):
    operation = openapi["paths"]["/api/v1/releases"]["post"]
    body = resolve(openapi, operation["requestBody"]["content"]["application/json"]["schema"])

    assert set(body["properties"]) == {"product_id", "title", "description", "version", "issue_ids"}
    assert set(body["required"]) == {"product_id", "title"}
    assert body["properties"]["version"]["maxLength"] == 50
    assert body["properties"]["title"]["maxLength"] == 200
    assert {"201", "400", "401", "403"} <= set(operation["responses"])


def test_openapi_release_detail_has_issues(openapi):
    operation = openapi["paths"]["/api/v1/releases/{id}"]["get"]
    envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]
    detail = resolve(openapi, envelope["properties"]["data"])
    issue = resolve(openapi, detail["properties"]["issues"]["items"])

    assert set(detail["properties"]) == {
        "id",
        "product_id",
        "title",
        "description",
        "version",
        "created_at",
        "issues",
    }
    assert set(issue["properties"]) == {
        "id",
        "shortcode",
        "product_id",
        "title",
        "status",
        "priority",
        "assignee_id",
        "created_at",
        "updated_at",
    }
    assert "404" in operation["responses"]
    assert operation["parameters"][0]["schema"] == {"type": "string", "format": "uuid"}


def test_llms_txt_describes_releases(anonymous_api):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()

    assert "## Releases" in text
    for fragment in ("GET /api/v1/releases", "POST /api/v1/releases", "GET /api/v1/releases/{id}", "issue_ids"):
        assert fragment in text
