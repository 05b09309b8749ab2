import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from issues.models import Issue
from tests.issue_helpers import make_issue
from workspaces import services as workspace_services
from workspaces.models import Product


def create(api, product, title="T"):
    return api.post("/api/v1/issues", {"product_id": str(product.pk), "title": title}, format="json")


def test_shortcodes_count_up_per_product(api, product, workspace):
    sibling = workspace_services.product_create(workspace=workspace, name="Billing")

    first = create(api, product).json()["data"]["shortcode"]
    second = create(api, product).json()["data"]["shortcode"]
    other = create(api, sibling).json()["data"]["shortcode"]

    assert (first, second) == ("GET-001", "GET-002")
    assert other == "BIL-001"


def test_shortcode_after_999_has_four_digits(api, product):
    Product.objects.filter(pk=product.pk).update(issue_counter=999)

    response = create(api, product)

    assert response.json()["data"]["shortcode"] == "GET-1000"
    assert api.get("/api/v1/issues/get-1000").status_code == 200


def test_shortcode_numbers_never_reused(api, product):
    make_issue(product)
    second = make_issue(product)
    Issue.objects.filter(pk=second.pk).delete()

    response = create(api, product)

    assert response.json()["data"]["shortcode"] == "GET-003"


def test_prefix_change_keeps_old_shortcodes(api, product):
    old = make_issue(product)
    patched = api.patch(f"/api/v1/products/{product.pk}", {"issue_prefix": "NEW"}, format="json")

    new = create(api, product).json()["data"]

    assert patched.status_code == 200
    assert new["shortcode"] == "NEW-002"
    old.refresh_from_db()
    assert old.shortcode == "GET-001"
    assert api.get("/api/v1/issues/GET-001").json()["data"]["id"] == str(old.pk)
    assert api.get("/api/v1/issues/new-002").json()["data"]["id"] == new["id"]


def test_prefix_carried_by_issues_cannot_be_taken(api, product, workspace):
    make_issue(product)
    api.patch(f"/api/v1/products/{product.pk}", {"issue_prefix": "NEW"}, format="json")
    sibling = workspace_services.product_create(workspace=workspace, name="Billing")

    response = api.patch(f"/api/v1/products/{sibling.pk}", {"issue_prefix": "GET"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"issue_prefix"}
    assert api.get("/api/v1/issues/GET-001").json()["data"]["product_id"] == str(product.pk)


def test_new_product_cannot_take_carried_prefix(api, product):
    make_issue(product)
    api.patch(f"/api/v1/products/{product.pk}", {"issue_prefix": "NEW"}, format="json")

    response = api.post("/api/v1/products", {"name": "Getaway", "issue_prefix": "GET"}, format="json")
    derived = api.post("/api/v1/products", {"name": "Getaway"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"issue_prefix"}
    assert derived.status_code == 201
    assert derived.json()["data"]["issue_prefix"] != "GET"


def test_product_may_return_to_its_old_prefix(api, product):
    make_issue(product)
    api.patch(f"/api/v1/products/{product.pk}", {"issue_prefix": "NEW"}, format="json")

    response = api.patch(f"/api/v1/products/{product.pk}", {"issue_prefix": "GET"}, format="json")
    new = create(api, product).json()["data"]

    assert response.status_code == 200
    assert new["shortcode"] == "GET-002"


def test_same_shortcode_in_two_workspaces(api, other_api, product, other_workspace):
    foreign_product = workspace_services.product_create(workspace=other_workspace, name="Get Other", issue_prefix="GET")
    mine = create(api, product).json()["data"]
    theirs = create(other_api, foreign_product).json()["data"]

    assert mine["shortcode"] == theirs["shortcode"] == "GET-001"
    assert api.get("/api/v1/issues/GET-001").json()["data"]["id"] == mine["id"]
    assert other_api.get("/api/v1/issues/GET-001").json()["data"]["id"] == theirs["id"]


THREADS = 8
CREATES_PER_THREAD = 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_numbers(key_and_secret, product):
    secret = key_and_secret[1]
    barrier = threading.Barrier(THREADS)
    statuses = []
    lock = threading.Lock()

    def worker(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            barrier.wait()
            for number in range(CREATES_PER_THREAD):
                response = create(client, product, title=f"thread {index} issue {number}")
                with lock:
                    statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = THREADS * CREATES_PER_THREAD
    assert statuses == [201] * total
    numbers = sorted(Issue.objects.filter(product=product).values_list("number", flat=True))
    assert numbers == list(range(1, total + 1))
    shortcodes = set(Issue.objects.filter(product=product).values_list("shortcode", flat=True))
    assert len(shortcodes) == total
    product.refresh_from_db()
    assert product.issue_counter == total


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_across_prefix_change(key_and_secret, product):
    """A prefix change racing with creates never yields a duplicate or a reused number."""
    secret = key_and_secret[1]
    barrier = threading.Barrier(THREADS + 1)
    statuses = []
    lock = threading.Lock()

    def creator(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            barrier.wait()
            for number in range(CREATES_PER_THREAD):
                response = create(client, product, title=f"thread {index} issue {number}")
                with lock:
                    statuses.append(response.status_code)
        finally:
            connection.close()

    def renamer():
        try:
            barrier.wait()
            workspace_services.product_update(product=product, issue_prefix="NEW")
        finally:
            connection.close()

    threads = [threading.Thread(target=creator, args=(index,)) for index in range(THREADS)]
    threads.append(threading.Thread(target=renamer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = THREADS * CREATES_PER_THREAD
    assert statuses == [201] * total
    rows = list(Issue.objects.filter(product=product).values_list("number", "shortcode"))
    assert sorted(number for number, _ in rows) == list(range(1, total + 1))
    for number, shortcode in rows:
        assert shortcode in (f"GET-{number:03d}", f"NEW-{number:03d}")
