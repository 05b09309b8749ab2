"""limit/offset validation, clamping and the list envelope."""

import pytest

from workspaces import services
from workspaces.models import Member


@pytest.fixture
def members(workspace, owner):
    extra = [
        services.member_create(workspace=workspace, role=Member.Role.AGENT, display_name=f"Agent {number}")
        for number in range(4)
    ]
    return [owner, *extra]


def test_default_page(api, members):
    body = api.get("/api/v1/members").json()

    assert body["pagination"] == {"total": 5, "limit": 50, "offset": 0}
    assert len(body["data"]) == 5


def test_limit_and_offset_select_window(api, members):
    body = api.get("/api/v1/members?limit=2&offset=1").json()

    assert body["pagination"] == {"total": 5, "limit": 2, "offset": 1}
    assert [item["id"] for item in body["data"]] == [str(members[1].pk), str(members[2].pk)]


def test_offset_past_end_is_empty(api, members):
    body = api.get("/api/v1/members?offset=10").json()

    assert body["data"] == []
    assert body["pagination"]["total"] == 5
    assert body["pagination"]["offset"] == 10


@pytest.mark.parametrize("limit", ["201", "1000", "9" * 30])
def test_limit_above_max_is_clamped(api, members, limit):
    response = api.get(f"/api/v1/members?limit={limit}")

    assert response.status_code == 200
    assert response.json()["pagination"]["limit"] == 200


def test_limit_at_max_is_kept(api, members):
    assert api.get("/api/v1/members?limit=200").json()["pagination"]["limit"] == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=1000001", "offset"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_invalid_paging_is_validation_error(api, members, query, field):
    response = api.get(f"/api/v1/members?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert field in body["fields"]


def test_limit_and_offset_both_invalid_name_both(api, members):
    body = api.get("/api/v1/members?limit=0&offset=-1").json()

    assert set(body["fields"]) == {"limit", "offset"}


def test_empty_limit_uses_default(api, members):
    assert api.get("/api/v1/members?limit=").json()["pagination"]["limit"] == 50


def test_products_list_is_paginated(api, product):
    body = api.get("/api/v1/products?limit=1").json()

    assert body["pagination"] == {"total": 1, "limit": 1, "offset": 0}
    assert body["data"][0]["id"] == str(product.pk)


@pytest.mark.parametrize("raw", ["1_0", "\u0665", "+5", "1e2", "9" * 101])
def test_only_plain_decimal_digits_accepted(api, members, raw):
    response = api.get("/api/v1/members", {"limit": raw})

    assert response.status_code == 400
    assert "limit" in response.json()["fields"]
