"""`pagination.total` is exact up to a cap and an estimate beyond it.

The cap is lowered to 3 here so a handful of products exceeds it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from getresolved.api import pagination
from workspaces import services
from workspaces.models import Product


@pytest.fixture
def six_products(workspace, product):
    for i in range(1, 6):
        services.product_create(workspace=workspace, name=f"P{i:02d}x")
    return list(Product.objects.filter(workspace=workspace).values_list("id", flat=True))


@pytest.fixture
def low_cap(monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_CAP", 3)


def test_total_exact_below_cap(api, six_products):
    response = api.get("/api/v1/products?limit=2")

    assert response.status_code == 200
    assert response.json()["pagination"] == {"total": 6, "limit": 2, "offset": 0}


def test_full_page_beyond_cap_promises_more(api, six_products, low_cap):
    response = api.get("/api/v1/products?limit=2&offset=2")

    total = response.json()["pagination"]["total"]
    assert len(response.json()["data"]) == 2
    assert total > 2 + 2
    assert total > 3


def test_short_page_beyond_cap_is_exact(api, six_products, low_cap):
    response = api.get("/api/v1/products?limit=4&offset=4")

    assert len(response.json()["data"]) == 2
    assert response.json()["pagination"]["total"] == 6


def test_empty_page_beyond_cap_is_exact(api, six_products, low_cap):
    response = api.get("/api/v1/products?limit=4&offset=50")

    assert response.json()["data"] == []
    assert response.json()["pagination"]["total"] == 6


def test_paging_by_total_reaches_every_item(api, six_products, low_cap):
    seen, offset, limit = [], 0, 2
    while True:
        body = api.get(f"/api/v1/products?limit={limit}&offset={offset}").json()
        seen += [item["id"] for item in body["data"]]
        if offset + limit >= body["pagination"]["total"]:
            break
        offset += limit

    assert seen == [str(pk) for pk in six_products]


def test_count_query_stops_at_cap(api, six_products, low_cap):
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/products?limit=2")

    # The first count stops after cap + 1 rows. On SQLite, which has no planner
    # estimate, a second count replaces it.
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 4" in counts[0]
    assert len(counts) == (1 if connection.vendor == "postgresql" else 2)


@pytest.mark.postgres_only
def test_full_page_total_is_planner_estimate(api, workspace, product, low_cap):
    for i in range(1, 40):
        services.product_create(workspace=workspace, name=f"Q{i:02d}x")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workspaces_product")

    response = api.get("/api/v1/products?limit=2")

    # 40 products match; after ANALYZE the planner's estimate is close to that.
    assert 30 <= response.json()["pagination"]["total"] <= 50
