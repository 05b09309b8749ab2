import pytest

from tests.issue_helpers import make_conversation, make_issue


def comparable(body):
    """Drop the values that differ between two separately created issues."""
    data = body["data"]
    if isinstance(data, list):
        return [
            {key: value for key, value in item.items() if key not in ("id", "created_at", "updated_at")}
            for item in data
        ]
    return {key: value for key, value in data.items() if key not in ("created_at", "updated_at")}


def test_actions_list_matches_issues(api, product):
    make_issue(product, "A")
    make_issue(product, "B", status="done")

    issues = api.get("/api/v1/issues?status=pending,done&limit=1")
    actions = api.get("/api/v1/actions?status=pending,done&limit=1")

    assert actions.status_code == issues.status_code == 200
    assert actions.json() == issues.json()


def test_actions_retrieve_by_shortcode(api, product):
    issue = make_issue(product, conversations=[make_conversation(product)])

    issues = api.get(f"/api/v1/issues/{issue.shortcode}")
    actions = api.get(f"/api/v1/actions/{issue.shortcode.lower()}")

    assert actions.json() == issues.json()


def test_actions_create_and_patch(api, product):
    created = api.post("/api/v1/actions", {"product_id": str(product.pk), "title": "Via alias"}, format="json")
    shortcode = created.json()["data"]["shortcode"]

    patched = api.patch(f"/api/v1/actions/{shortcode}", {"status": "in_progress"}, format="json")

    assert created.status_code == 201
    assert shortcode == "GET-001"
    assert patched.status_code == 200
    assert api.get(f"/api/v1/issues/{shortcode}").json()["data"]["status"] == "in_progress"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/actions?status=bogus", None, 400),
        ("get", "/api/v1/actions/GET-404", None, 404),
        ("patch", "/api/v1/actions/GET-001", {"status": "released"}, 400),
        ("post", "/api/v1/actions", {"title": "no product"}, 400),
    ],
)
def test_actions_errors_match_issues(api, product, method, path, body, status):
    make_issue(product)
    call = getattr(api, method)
    kwargs = {"format": "json"} if body is not None else {}

    actions = call(path, body, **kwargs) if body is not None else call(path)
    issues_path = path.replace("/actions", "/issues")
    issues = call(issues_path, body, **kwargs) if body is not None else call(issues_path)

    assert actions.status_code == issues.status_code == status
    assert actions.json() == issues.json()
    assert actions["Deprecation"] == "true"


@pytest.mark.parametrize(
    ("path", "successor"),
    [
        ("/api/v1/actions", "/api/v1/issues"),
        ("/api/v1/actions?status=pending", "/api/v1/issues?status=pending"),
        ("/api/v1/actions/GET-001", "/api/v1/issues/GET-001"),
    ],
)
def test_actions_carry_deprecation_headers(api, product, path, successor):
    make_issue(product)

    response = api.get(path)

    assert response.status_code == 200
    assert response["Deprecation"] == "true"
    assert response["Link"] == f'<{successor}>; rel="successor-version"'


def test_issues_carry_no_deprecation_headers(api, product):
    response = api.get("/api/v1/issues")

    assert "Deprecation" not in response
    assert "Link" not in response


def test_actions_hide_other_workspace(api, other_product):
    foreign = make_issue(other_product)

    assert api.get(f"/api/v1/actions/{foreign.pk}").status_code == 404
    assert api.get(f"/api/v1/actions/{foreign.shortcode}").status_code == 404
    assert api.get("/api/v1/actions").json()["data"] == []


def test_actions_read_only_key_forbidden(read_only_api, product):
    response = read_only_api.post("/api/v1/actions", {"product_id": str(product.pk), "title": "T"}, format="json")

    assert response.status_code == 403
    assert response["Deprecation"] == "true"
