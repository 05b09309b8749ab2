import uuid

import pytest

from tests.issue_helpers import make_issue
from workspaces import services as workspace_services


@pytest.fixture
def second_product(workspace):
    return workspace_services.product_create(workspace=workspace, name="Billing")


@pytest.fixture
def cast(product, second_product, owner, agent):
    """Five issues spread over products, statuses, priorities and assignees."""
    return {
        "a": make_issue(product, "A", status="pending", priority="low", assignee=owner),
        "b": make_issue(product, "B", status="in_progress", priority="high", assignee=agent),
        "c": make_issue(product, "C", status="done", priority="urgent"),
        "d": make_issue(second_product, "D", status="pending", priority="high"),
        "e": make_issue(second_product, "E", status="icebox", priority="normal", assignee=agent),
    }


def titles(response):
    assert response.status_code == 200, response.json()
    return sorted(issue["title"] for issue in response.json()["data"])


def test_list_newest_first(api, cast):
    response = api.get("/api/v1/issues")

    data = response.json()["data"]
    assert [issue["title"] for issue in data] == ["E", "D", "C", "B", "A"]
    assert response.json()["pagination"] == {"total": 5, "limit": 50, "offset": 0}


def test_list_hides_other_workspace(api, cast, other_product):
    make_issue(other_product, "Outsider")

    assert titles(api.get("/api/v1/issues")) == ["A", "B", "C", "D", "E"]


def test_list_pagination(api, cast):
    response = api.get("/api/v1/issues?limit=2&offset=1")

    assert [issue["title"] for issue in response.json()["data"]] == ["D", "C"]
    assert response.json()["pagination"] == {"total": 5, "limit": 2, "offset": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", ["A", "D"]),
        ("status=pending,icebox", ["A", "D", "E"]),
        ("status=released", []),
        ("priority=high", ["B", "D"]),
        ("priority=low,urgent", ["A", "C"]),
        ("assignee_id=none", ["C", "D"]),
        ("status=", ["A", "B", "C", "D", "E"]),
        ("status=pending,", ["A", "D"]),
        ("status=pending&status=done", ["A", "C", "D"]),
    ],
)
def test_list_single_filter(api, cast, query, expected):
    assert titles(api.get(f"/api/v1/issues?{query}")) == expected


def test_list_filter_by_product(api, cast, product, second_product):
    assert titles(api.get(f"/api/v1/issues?product_id={product.pk}")) == ["A", "B", "C"]
    both = f"{product.pk},{second_product.pk}"
    assert titles(api.get(f"/api/v1/issues?product_id={both}")) == ["A", "B", "C", "D", "E"]


def test_list_filter_by_assignee(api, cast, owner, agent):
    assert titles(api.get(f"/api/v1/issues?assignee_id={agent.pk}")) == ["B", "E"]
    assert titles(api.get(f"/api/v1/issues?assignee_id={owner.pk},{agent.pk}")) == ["A", "B", "E"]


def test_list_filter_assignee_mixed_with_none(api, cast, owner):
    assert titles(api.get(f"/api/v1/issues?assignee_id=none,{owner.pk}")) == ["A", "C", "D"]
    assert titles(api.get(f"/api/v1/issues?assignee_id=NONE,{owner.pk}")) == ["A", "C", "D"]


def test_list_filters_combine_with_and(api, cast, product, second_product, agent):
    query = f"product_id={second_product.pk}&status=pending,icebox&priority=high,normal&assignee_id={agent.pk}"
    assert titles(api.get(f"/api/v1/issues?{query}")) == ["E"]
    assert titles(api.get(f"/api/v1/issues?product_id={product.pk}&status=pending,done")) == ["A", "C"]
    assert titles(api.get("/api/v1/issues?status=pending&priority=high")) == ["D"]
    assert titles(api.get(f"/api/v1/issues?product_id={product.pk}&assignee_id=none")) == ["C"]


@pytest.mark.parametrize(
    ("query", "parameter", "value"),
    [
        ("status=open", "status", "open"),
        ("status=pending,bogus", "status", "bogus"),
        ("status=PENDING", "status", "PENDING"),
        ("priority=critical", "priority", "critical"),
        ("product_id=abc", "product_id", "abc"),
        ("assignee_id=nobody", "assignee_id", "nobody"),
        ("assignee_id=none,123", "assignee_id", "123"),
        ("product_id=%00", "product_id", "\\x00"),
    ],
)
def test_list_rejects_bad_filter_value(api, cast, query, parameter, value):
    response = api.get(f"/api/v1/issues?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert set(body["fields"]) == {parameter}
    assert value in body["fields"][parameter]


def test_list_rejects_unknown_product_id(api, cast):
    unknown = uuid.uuid4()

    response = api.get(f"/api/v1/issues?product_id={unknown}")

    assert response.status_code == 400
    assert str(unknown) in response.json()["fields"]["product_id"]


def test_list_rejects_other_workspace_ids(api, cast, other_product, other_member):
    unknown = uuid.uuid4()

    by_product = api.get(f"/api/v1/issues?product_id={other_product.pk}")
    by_assignee = api.get(f"/api/v1/issues?assignee_id={other_member.pk}")
    by_unknown_member = api.get(f"/api/v1/issues?assignee_id={unknown}")

    assert by_product.status_code == 400
    assert set(by_product.json()["fields"]) == {"product_id"}
    assert by_assignee.status_code == 400
    assert set(by_assignee.json()["fields"]) == {"assignee_id"}
    # A foreign id gets the same message as a missing one.
    foreign_message = by_assignee.json()["fields"]["assignee_id"].replace(str(other_member.pk), "<id>")
    unknown_message = by_unknown_member.json()["fields"]["assignee_id"].replace(str(unknown), "<id>")
    assert foreign_message == unknown_message


def test_list_rejects_too_many_values(api, cast):
    response = api.get("/api/v1/issues?status=" + ",".join(["pending"] * 101))

    assert response.status_code == 400
    assert "100" in response.json()["fields"]["status"]


def test_list_reports_every_bad_filter(api, cast):
    response = api.get("/api/v1/issues?status=x&priority=y")

    assert set(response.json()["fields"]) == {"status", "priority"}


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_fixed(api, product, agent, count, django_assert_num_queries):
    for index in range(count):
        make_issue(product, f"Issue {index}", assignee=agent)
    api.get("/api/v1/me")  # records key use, so the counted request writes nothing

    # key lookup, count, page
    with django_assert_num_queries(3):
        response = api.get("/api/v1/issues")
    assert len(response.json()["data"]) == count

    # plus one existence check each for product_id and assignee_id
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/issues?product_id={product.pk}&assignee_id={agent.pk}&status=pending")
    assert len(response.json()["data"]) == count
