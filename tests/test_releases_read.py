import uuid

import pytest

from releases.services import release_create
from tests.release_helpers import make_issue
from workspaces import services as workspace_services

URL = "/api/v1/releases"


@pytest.fixture
def second_product(workspace):
    return workspace_services.product_create(workspace=workspace, name="Second Product")


def make_release(product, *, title="R1", version=None, issues=()):
    return release_create(
        workspace=product.workspace,
        product=product,
        title=title,
        version=version,
        issues_refs=[issue.shortcode for issue in issues],
    )


def test_list_newest_first(api, product):
    first = make_release(product, title="First")
    second = make_release(product, title="Second")
    third = make_release(product, title="Third")

    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [str(third.pk), str(second.pk), str(first.pk)]
    assert body["pagination"] == {"total": 3, "limit": 50, "offset": 0}


def test_list_item_shape(api, product):
    make_release(product, version="1.0", issues=[make_issue(product)])

    item = api.get(URL).json()["data"][0]

    assert set(item) == {"id", "product_id", "title", "description", "version", "created_at"}
    assert item["version"] == "1.0"


def test_list_paginates(api, product):
    releases = [make_release(product, title=f"R{number}") for number in range(3)]

    response = api.get(URL, {"limit": 1, "offset": 1})

    assert [item["id"] for item in response.json()["data"]] == [str(releases[1].pk)]
    assert response.json()["pagination"] == {"total": 3, "limit": 1, "offset": 1}


def test_list_hides_other_workspace(api, product, other_product):
    mine = make_release(product)
    make_release(other_product)

    response = api.get(URL)

    assert [item["id"] for item in response.json()["data"]] == [str(mine.pk)]


def test_list_filters_by_product(api, product, second_product):
    mine = make_release(product)
    make_release(second_product)

    response = api.get(URL, {"product_id": str(product.pk)})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [str(mine.pk)]


def test_list_filters_by_several_products(api, product, second_product, workspace):
    third_product = workspace_services.product_create(workspace=workspace, name="Third Product")
    first = make_release(product)
    second = make_release(second_product)
    make_release(third_product)

    comma_separated = api.get(URL, {"product_id": f"{product.pk}, {second_product.pk}"})
    repeated = api.get(f"{URL}?product_id={product.pk}&product_id={second_product.pk}")

    expected = [str(second.pk), str(first.pk)]
    assert [item["id"] for item in comma_separated.json()["data"]] == expected
    assert [item["id"] for item in repeated.json()["data"]] == expected


def test_list_empty_product_filter_is_ignored(api, product):
    make_release(product)

    response = api.get(URL, {"product_id": ""})

    assert response.status_code == 200
    assert response.json()["pagination"]["total"] == 1


@pytest.mark.parametrize("value", ["nope", "{product},nope", "12345"])
def test_list_rejects_malformed_product_id(api, product, value):
    response = api.get(URL, {"product_id": value.format(product=product.pk)})

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert "is not a valid UUID" in response.json()["fields"]["product_id"]


def test_list_rejects_other_workspace_product(api, product, other_product):
    response = api.get(URL, {"product_id": f"{product.pk},{other_product.pk}"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"product_id": f"No product with id {other_product.pk} in the workspace."}


def test_list_unknown_product_reads_like_foreign(api, other_product):
    unknown = uuid.uuid4()

    response = api.get(URL, {"product_id": str(unknown)})

    assert response.status_code == 400
    assert response.json()["fields"] == {"product_id": f"No product with id {unknown} in the workspace."}


def test_list_rejects_too_many_product_ids(api):
    ids = ",".join(str(uuid.uuid4()) for _ in range(101))

    response = api.get(URL, {"product_id": ids})

    assert response.status_code == 400
    assert "product_id" in response.json()["fields"]


def test_list_with_read_only_key(read_only_api, product):
    make_release(product)

    response = read_only_api.get(URL)

    assert response.status_code == 200
    assert response.json()["pagination"]["total"] == 1


def test_list_without_key(anonymous_api):
    assert anonymous_api.get(URL).status_code == 401


@pytest.mark.parametrize("release_count", [1, 6])
def test_list_query_count(api, product, django_assert_num_queries, release_count):
    for number in range(release_count):
        make_release(product, title=f"R{number}", issues=[make_issue(product)])
    api.get("/api/v1/me")  # refresh the key's last_used_at outside the measured request

    # Key, count and page. The product filter adds one product lookup.
    with django_assert_num_queries(3):
        response = api.get(URL)
    with django_assert_num_queries(4):
        filtered = api.get(URL, {"product_id": str(product.pk)})

    assert len(response.json()["data"]) == release_count
    assert len(filtered.json()["data"]) == release_count


def test_retrieve_with_issues(api, product):
    first = make_issue(product, title="First")
    second = make_issue(product, title="Second")
    release = make_release(product, version="2.0", issues=[second, first])

    response = api.get(f"{URL}/{release.pk}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == str(release.pk)
    assert data["version"] == "2.0"
    assert [issue["shortcode"] for issue in data["issues"]] == [first.shortcode, second.shortcode]
    assert {issue["status"] for issue in data["issues"]} == {"released"}


def test_retrieve_other_workspace_release(api, other_product):
    foreign = make_release(other_product)

    response = api.get(f"{URL}/{foreign.pk}")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_retrieve_foreign_reads_like_missing(api, other_product):
    foreign = make_release(other_product)

    assert api.get(f"{URL}/{foreign.pk}").json() == api.get(f"{URL}/{uuid.uuid4()}").json()


def test_retrieve_malformed_id(api):
    response = api.get(f"{URL}/not-a-uuid")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_retrieve_with_read_only_key(read_only_api, product):
    release = make_release(product)

    assert read_only_api.get(f"{URL}/{release.pk}").status_code == 200


@pytest.mark.parametrize("issue_count", [1, 6])
def test_retrieve_query_count(api, product, django_assert_num_queries, issue_count):
    release = make_release(product, issues=[make_issue(product) for _ in range(issue_count)])
    api.get("/api/v1/me")  # refresh the key's last_used_at outside the measured request

    # Key, release and its issues.
    with django_assert_num_queries(3):
        response = api.get(f"{URL}/{release.pk}")

    assert len(response.json()["data"]["issues"]) == issue_count


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_release_cannot_be_changed(api, product, method):
    release = make_release(product)

    response = getattr(api, method)(f"{URL}/{release.pk}", {"title": "Renamed"}, format="json")

    assert response.status_code == 405
    assert response.json()["error_code"] == "method_not_allowed"
