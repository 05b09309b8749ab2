import uuid

import pytest

from releases.models import Release
from tests.release_helpers import make_issue, statuses
from workspaces import services as workspace_services

URL = "/api/v1/releases"


@pytest.fixture
def second_product(workspace):
    return workspace_services.product_create(workspace=workspace, name="Second Product")


def post(api, body):
    return api.post(URL, body, format="json")


def test_create_releases_done_issues(api, product):
    first = make_issue(product)
    second = make_issue(product)

    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "Spring release",
            "description": "Login fixes.",
            "version": "2.4.0",
            "issue_ids": [str(first.pk), second.shortcode],
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["product_id"] == str(product.pk)
    assert data["title"] == "Spring release"
    assert data["description"] == "Login fixes."
    assert data["version"] == "2.4.0"
    assert [issue["id"] for issue in data["issues"]] == [str(first.pk), str(second.pk)]
    assert [issue["status"] for issue in data["issues"]] == ["released", "released"]
    assert statuses(first, second) == ["released", "released"]
    release = Release.objects.get(pk=data["id"])
    assert release.workspace_id == product.workspace_id
    assert set(release.issues.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_create_issue_shape(api, product, owner):
    issue = make_issue(product)

    response = post(api, {"product_id": str(product.pk), "title": "R1", "issue_ids": [issue.shortcode]})

    assert response.status_code == 201
    released = response.json()["data"]["issues"][0]
    assert set(released) == {
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
    assert released["shortcode"] == issue.shortcode
    assert released["product_id"] == str(product.pk)
    assert released["priority"] == "normal"
    assert released["assignee_id"] is None


def test_create_without_issues(api, product):
    response = post(api, {"product_id": str(product.pk), "title": "Docs only"})

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["issues"] == []
    assert data["description"] is None
    assert data["version"] is None


def test_create_with_empty_issue_list(api, product):
    response = post(api, {"product_id": str(product.pk), "title": "Docs only", "issue_ids": []})

    assert response.status_code == 201
    assert response.json()["data"]["issues"] == []


def test_create_trims_and_nulls_blanks(api, product):
    response = post(api, {"product_id": str(product.pk), "title": "  R1  ", "description": "  ", "version": " "})

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["title"] == "R1"
    assert data["description"] is None
    assert data["version"] is None


def test_create_mixed_references_collapse_duplicates(api, product):
    first = make_issue(product)
    second = make_issue(product)

    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "R1",
            "issue_ids": [
                str(first.pk),
                first.shortcode,
                first.shortcode.lower(),
                str(first.pk).upper(),
                second.shortcode.lower(),
                second.shortcode,
            ],
        },
    )

    assert response.status_code == 201, response.json()
    issue_ids = [issue["id"] for issue in response.json()["data"]["issues"]]
    assert issue_ids == [str(first.pk), str(second.pk)]
    assert Release.objects.get().issues.count() == 2


def test_create_names_every_offender(api, product, second_product, other_product):
    good = make_issue(product)
    pending = make_issue(product, status="pending")
    in_progress = make_issue(product, status="in_progress")
    dismissed = make_issue(product, status="dismissed")
    other_product_issue = make_issue(second_product)
    foreign = make_issue(other_product)
    unknown = str(uuid.uuid4())

    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "R1",
            "issue_ids": [
                str(good.pk),
                pending.shortcode,
                str(in_progress.pk),
                dismissed.shortcode,
                other_product_issue.shortcode,
                str(foreign.pk),
                unknown,
                "NOPE-999",
            ],
        },
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    message = body["fields"]["issue_ids"]
    assert f"{pending.shortcode}: the issue is pending, and only done issues can be released." in message
    assert f"{in_progress.pk}: the issue is in_progress, and only done issues can be released." in message
    assert f"{dismissed.shortcode}: the issue is dismissed" in message
    assert f"{other_product_issue.shortcode}: the issue belongs to another product." in message
    assert f"{foreign.pk}: no issue with this id or shortcode in the workspace." in message
    assert f"{unknown}: no issue with this id or shortcode in the workspace." in message
    assert "NOPE-999: no issue with this id or shortcode in the workspace." in message
    assert str(good.pk) not in message


def test_create_invalid_mix_writes_nothing(api, product, other_product):
    good = make_issue(product)
    also_good = make_issue(product)
    pending = make_issue(product, status="pending")
    foreign = make_issue(other_product)

    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "R1",
            "version": "1.0",
            "issue_ids": [str(good.pk), also_good.shortcode, pending.shortcode, str(foreign.pk)],
        },
    )

    assert response.status_code == 400
    assert Release.objects.count() == 0
    assert statuses(good, also_good, pending, foreign) == ["done", "done", "pending", "done"]


def test_create_foreign_issue_reads_like_missing(api, product, other_product):
    foreign = make_issue(other_product)

    by_shortcode = post(api, {"product_id": str(product.pk), "title": "R1", "issue_ids": [foreign.shortcode]})
    missing = post(api, {"product_id": str(product.pk), "title": "R1", "issue_ids": ["ZZZ-001"]})

    assert by_shortcode.status_code == 400
    assert by_shortcode.json()["fields"]["issue_ids"] == (
        f"{foreign.shortcode}: no issue with this id or shortcode in the workspace."
    )
    assert missing.json()["fields"]["issue_ids"] == "ZZZ-001: no issue with this id or shortcode in the workspace."


def test_create_rejects_released_issue(api, product):
    issue = make_issue(product)
    assert post(api, {"product_id": str(product.pk), "title": "R1", "issue_ids": [issue.shortcode]}).status_code == 201

    response = post(api, {"product_id": str(product.pk), "title": "R2", "issue_ids": [issue.shortcode]})

    assert response.status_code == 400
    assert response.json()["fields"]["issue_ids"] == (
        f"{issue.shortcode}: the issue is released, and only done issues can be released."
    )
    assert Release.objects.count() == 1


def test_create_repeated_version(api, product):
    assert post(api, {"product_id": str(product.pk), "title": "R1", "version": "1.0"}).status_code == 201

    response = post(api, {"product_id": str(product.pk), "title": "R2", "version": "1.0"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"version": "This product already has a release with this version."}
    assert Release.objects.count() == 1


def test_create_repeated_version_keeps_issues_done(api, product):
    issue = make_issue(product)
    assert post(api, {"product_id": str(product.pk), "title": "R1", "version": "1.0"}).status_code == 201

    response = post(
        api, {"product_id": str(product.pk), "title": "R2", "version": "1.0", "issue_ids": [issue.shortcode]}
    )

    assert response.status_code == 400
    assert statuses(issue) == ["done"]


def test_create_same_version_other_product(api, product, second_product):
    assert post(api, {"product_id": str(product.pk), "title": "R1", "version": "1.0"}).status_code == 201

    response = post(api, {"product_id": str(second_product.pk), "title": "R1", "version": "1.0"})

    assert response.status_code == 201


def test_create_null_version_twice(api, product):
    first = post(api, {"product_id": str(product.pk), "title": "R1", "version": None})
    second = post(api, {"product_id": str(product.pk), "title": "R2"})

    assert first.status_code == 201
    assert second.status_code == 201
    assert Release.objects.filter(version__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "R1"}, "product_id"),
        ({"product_id": "not-a-uuid", "title": "R1"}, "product_id"),
        ({"product_id": "{product}"}, "title"),
        ({"product_id": "{product}", "title": "   "}, "title"),
        ({"product_id": "{product}", "title": "x" * 201}, "title"),
        ({"product_id": "{product}", "title": "R1", "version": "v" * 51}, "version"),
        ({"product_id": "{product}", "title": "R1", "description": "d" * 20_001}, "description"),
        ({"product_id": "{product}", "title": "R1", "issue_ids": "GET-001"}, "issue_ids"),
        ({"product_id": "{product}", "title": "R1", "issue_ids": [7]}, "issue_ids"),
        ({"product_id": "{product}", "title": "R1", "issue_ids": None}, "issue_ids"),
        ({"product_id": "{product}", "title": "R1", "stauts": "done"}, "stauts"),
    ],
)
def test_create_rejects_bad_body(api, product, body, field):
    body = {key: str(product.pk) if value == "{product}" else value for key, value in body.items()}

    response = post(api, body)

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert field in response.json()["fields"]
    assert Release.objects.count() == 0


def test_create_rejects_too_many_issue_ids(api, product):
    response = post(api, {"product_id": str(product.pk), "title": "R1", "issue_ids": ["GET-001"] * 501})

    assert response.status_code == 400
    assert "issue_ids" in response.json()["fields"]


def test_create_ignores_read_only_fields(api, product):
    response = post(
        api,
        {
            "product_id": str(product.pk),
            "title": "R1",
            "id": str(uuid.uuid4()),
            "created_at": "2020-01-01T00:00:00Z",
            "issues": [],
        },
    )

    assert response.status_code == 201
    assert response.json()["data"]["created_at"] != "2020-01-01T00:00:00Z"


def test_create_other_workspace_product(api, other_product):
    response = post(api, {"product_id": str(other_product.pk), "title": "R1"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"product_id": "No product with this id in the workspace."}
    assert Release.objects.count() == 0


def test_create_unknown_product_reads_like_foreign(api, other_product):
    foreign = post(api, {"product_id": str(other_product.pk), "title": "R1"})
    unknown = post(api, {"product_id": str(uuid.uuid4()), "title": "R1"})

    assert foreign.json() == unknown.json()


def test_create_with_read_only_key(read_only_api, product):
    issue = make_issue(product)

    response = post(read_only_api, {"product_id": str(product.pk), "title": "R1", "issue_ids": [issue.shortcode]})

    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"
    assert Release.objects.count() == 0
    assert statuses(issue) == ["done"]


def test_create_without_key(anonymous_api, product):
    response = post(anonymous_api, {"product_id": str(product.pk), "title": "R1"})

    assert response.status_code == 401
    assert Release.objects.count() == 0


@pytest.mark.parametrize("issue_count", [1, 5])
def test_create_query_count(api, product, django_assert_num_queries, issue_count):
    issues = [make_issue(product) for _ in range(issue_count)]
    api.get("/api/v1/me")  # refresh the key's last_used_at outside the measured request

    # Key, product, version check, locked issue read, release insert, link
    # insert, status update and the response's issues, plus four savepoint
    # statements: the same for any number of issues.
    with django_assert_num_queries(12):
        response = post(
            api,
            {
                "product_id": str(product.pk),
                "title": "R1",
                "version": "1.0",
                "issue_ids": [issue.shortcode for issue in issues],
            },
        )

    assert response.status_code == 201
